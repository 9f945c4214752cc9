//! Container definitions, built once in the ECS API's shape (camelCase
//! keys); CloudFormation renders them in PascalCase, Terraform as the JSON
//! document `container_definitions` takes.

use super::ids::Cx;
use super::*;
use crate::model::{Container, Protocol, Secret, SecretStore, TaskDef, TaskId};

/// The CloudFormation-style parameter name of an image deployed by CI.
pub fn image_input(task: &TaskDef, container: &Container) -> String {
    format!("{}-{}-image", task.name.name, container.name.name)
}

pub fn definitions(m: &Cx<'_>, id: TaskId, p: &mut Plan) -> Value {
    let task = &m[id];
    let list = task
        .containers
        .iter()
        .map(|c| definition(m, task, c, p))
        .collect();
    Value::List(list)
}

fn definition(m: &Cx<'_>, task: &TaskDef, c: &Container, p: &mut Plan) -> Value {
    let image = if let Some(from) = &c.from_repository {
        // CI pushes to the repository and deploys its tag: the input
        // carries the tag alone.
        let input = c.image_managed_outside.then(|| {
            let name = image_input(task, c) + "-tag";
            p.inputs.push(Input {
                name: name.clone(),
                description: format!(
                    "Image tag of container {} in task {}, in repository {}, set by the deploy (e.g. {})",
                    c.name.name,
                    task.name.name,
                    m[from.repository.value].name.name,
                    match &from.reference.value {
                        crate::model::ImageReference::Tag(t) => t.as_str(),
                        crate::model::ImageReference::Digest(_) => "1.4.2",
                    }
                ),
                cfn_type: "String",
                ssm: None,
                span: from.reference.span,
            });
            name
        });
        super::ecr::image(m, from, input.as_deref())
    } else if c.image_managed_outside {
        let name = image_input(task, c);
        // No default: a default would put the image of the sources back
        // on the next deploy that does not pass one.
        p.inputs.push(Input {
            name: name.clone(),
            description: format!(
                "Image of container {} in task {}, set by the deploy (e.g. {})",
                c.name.name,
                task.name.name,
                c.image.value.replace(crate::model::ACCOUNT, "<account>")
            ),
            cfn_type: "String",
            ssm: None,
            span: c.image.span,
        });
        Value::Input(name)
    } else {
        Value::Str(c.image.value.clone().into())
    };
    let ports = c
        .ports
        .iter()
        .map(|pm| {
            Doc::new()
                .set("containerPort", pm.container_port.value)
                .opt("hostPort", pm.host_port.as_ref().map(|h| h.value))
                .set(
                    "protocol",
                    match pm.protocol.value {
                        Protocol::Udp => "udp",
                        _ => "tcp",
                    },
                )
                .opt("name", pm.name.as_ref().map(|n| n.value.clone()))
                .opt("appProtocol", pm.app_protocol.clone())
                .into()
        })
        .collect();
    let env = c
        .env
        .iter()
        .map(|(k, v)| {
            Doc::new()
                .set("name", k.name.clone())
                .set("value", v.value.clone())
                .into()
        })
        .collect();
    let secrets = c
        .secrets
        .iter()
        .map(|s| {
            Doc::new()
                .set("name", s.name.name.clone())
                .set("valueFrom", value_from(s))
                .into()
        })
        .collect();
    let health = c.health.as_ref().map(|h| {
        let v = |x: &Option<crate::source::Spanned<u64>>| x.as_ref().map(|x| x.value);
        Doc::new()
            .set("command", h.command.value.clone())
            .opt("interval", v(&h.interval))
            .opt("timeout", v(&h.timeout))
            .opt("retries", v(&h.retries))
            .opt("startPeriod", v(&h.start_period))
    });
    let deps = c
        .depends_on
        .iter()
        .filter_map(|d| {
            let other = task.containers.get(d.container.value)?;
            Some(
                Doc::new()
                    .set("containerName", other.name.name.clone())
                    .set("condition", d.condition.as_str())
                    .into(),
            )
        })
        .collect();
    let mounts = c
        .mounts
        .iter()
        .filter_map(|mp| {
            let volume = task.volumes.get(mp.volume.value)?;
            Some(
                Doc::new()
                    .set("sourceVolume", volume.name.name.clone())
                    .set("containerPath", mp.path.clone())
                    .set("readOnly", mp.read_only)
                    .into(),
            )
        })
        .collect();
    let logging = match (c.logging, task.log_group) {
        (true, Some(lg)) => Some(Doc::new().set("logDriver", "awslogs").set(
            "options",
            Value::Dict(vec![
                (
                    "awslogs-group".into(),
                    super::ecs::log_group(m, m[lg].task).attr(Attr::Name).into(),
                ),
                ("awslogs-region".into(), Text(vec![Part::Region]).into()),
                ("awslogs-stream-prefix".into(), c.name.name.clone().into()),
            ]),
        )),
        _ => None,
    };
    let value = |x: &Option<crate::source::Spanned<u64>>| x.as_ref().map(|x| x.value);
    Doc::new()
        .set("name", c.name.name.clone())
        .set("image", image)
        .set("essential", c.essential.value)
        .opt("cpu", value(&c.cpu))
        .opt("memory", value(&c.memory))
        .opt("memoryReservation", value(&c.memory_reservation))
        .list("portMappings", ports)
        .opt("entryPoint", c.entrypoint.as_ref().map(|a| a.items.clone()))
        .opt("command", c.command.as_ref().map(|a| a.items.clone()))
        .list("environment", env)
        .list("secrets", secrets)
        .opt("healthCheck", health)
        .list("dependsOn", deps)
        .opt("workingDirectory", c.working_dir.clone())
        .opt("user", c.user.as_ref().map(|u| u.value.clone()))
        .opt(
            "readonlyRootFilesystem",
            c.read_only_root.value.then_some(true),
        )
        .opt("stopTimeout", value(&c.stop_timeout))
        .opt("privileged", c.privileged.as_ref().map(|v| v.value))
        .list("mountPoints", mounts)
        .opt("logConfiguration", logging)
        .into()
}

/// `valueFrom` of a secret: an ARN for both stores, with the JSON key.
fn value_from(s: &Secret) -> Value {
    let key_suffix = s
        .key
        .as_ref()
        .map(|k| format!(":{}::", k.value))
        .unwrap_or_default();
    if s.from.value.starts_with("arn:") {
        return Value::Str(format!("{}{key_suffix}", s.from.value).into());
    }
    match s.store.value {
        SecretStore::Ssm => super::iam::ssm_parameter(&s.from.value).into(),
        SecretStore::SecretsManager => {
            super::iam::secret(&format!("{}{key_suffix}", s.from.value)).into()
        }
    }
}
