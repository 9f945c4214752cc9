//! Clusters, namespaces, log groups, IAM roles (with inline policies and
//! attachments), task definitions, services (with discovery and auto
//! scaling) and scheduled tasks.

use super::{escape, json_document, names, reference, Configuration, Obj, Val};
use crate::model::*;
use crate::names::pascal;

pub fn emit(m: &Model, c: &mut Configuration) {
    for (i, cl) in m.clusters.iter().enumerate() {
        let id = ClusterId(i);
        let name = names::cluster(m, id);
        c.add(
            "aws_ecs_cluster",
            name.clone(),
            Obj::new()
                .set("name", format!("{}-{}", m.stack.name, cl.name.name))
                .set(
                    "setting",
                    vec![Val::from(Obj::new().set("name", "containerInsights").set(
                        "value",
                        if cl.insights { "enabled" } else { "disabled" },
                    ))],
                ),
        );
        c.output(
            names::cluster_output(m, id),
            format!("Name of cluster {}", cl.name.name),
            reference("aws_ecs_cluster", &name, "name"),
        );
    }
    for (i, n) in m.namespaces.iter().enumerate() {
        c.add(
            "aws_service_discovery_private_dns_namespace",
            names::namespace(m, NamespaceId(i)),
            Obj::new().set("name", n.name.name.as_str()).set(
                "vpc",
                reference("aws_vpc", &names::vpc(m, n.vpc.value), "id"),
            ),
        );
    }
    for (i, lg) in m.log_groups.iter().enumerate() {
        c.add(
            "aws_cloudwatch_log_group",
            names::log_group(m, LogGroupId(i)),
            Obj::new()
                .set("name", lg.group_name.as_str())
                .set("retention_in_days", lg.retention_days),
        );
    }
    for (i, role) in m.roles.iter().enumerate() {
        iam_role(m, c, RoleId(i), role);
    }
    for (i, task) in m.tasks.iter().enumerate() {
        task_definition(m, c, TaskId(i), task);
    }
    for (i, s) in m.services.iter().enumerate() {
        service(m, c, ServiceId(i), s);
    }
    for (i, s) in m.schedules.iter().enumerate() {
        schedule(m, c, ScheduleId(i), s);
    }
}

/// A policy resource. The stack's region is the provider's, so it is
/// written out; partition and account come from data sources.
fn arn(m: &Model, c: &mut Configuration, a: &Arn) -> Val {
    match a {
        Arn::Literal(s) => Val::Str(s.clone()),
        Arn::Any => "*".into(),
        Arn::EcrRepository {
            account,
            region,
            repository,
        } => Val::Expr(format!(
            "arn:{}:ecr:{}:{}:repository/{}",
            c.partition(),
            escape(region),
            escape(account),
            escape(repository)
        )),
        // The provider's `arn` has no `:*` suffix (CloudFormation's has):
        // add it, so the grant covers the group's streams.
        Arn::LogGroup(id) => Val::Expr(format!(
            "${{aws_cloudwatch_log_group.{}.arn}}:*",
            names::log_group(m, *id)
        )),
        Arn::SsmParameter(name) => ssm_parameter_arn(m, c, name),
        Arn::SecretByName(name) => Val::Expr(format!(
            "arn:{}:secretsmanager:{}:{}:secret:{}-*",
            c.partition(),
            escape(&m.stack.region),
            c.account_id(),
            escape(name)
        )),
        Arn::TaskDefinition(id) => {
            reference("aws_ecs_task_definition", &names::task(m, *id), "arn")
        }
        Arn::Role(id) => reference("aws_iam_role", &names::role(m, *id), "arn"),
    }
}

fn ssm_parameter_arn(m: &Model, c: &mut Configuration, name: &str) -> Val {
    Val::Expr(format!(
        "arn:{}:ssm:{}:{}:parameter/{}",
        c.partition(),
        escape(&m.stack.region),
        c.account_id(),
        escape(name.trim_start_matches('/'))
    ))
}

fn iam_role(m: &Model, c: &mut Configuration, id: RoleId, role: &Role) {
    let name = names::role(m, id);
    let trust = Obj::new().set("Version", "2012-10-17").set(
        "Statement",
        vec![Val::from(
            Obj::new()
                .set("Effect", "Allow")
                .set("Principal", Obj::new().set("Service", role.principal))
                .set("Action", "sts:AssumeRole"),
        )],
    );
    c.add(
        "aws_iam_role",
        name.clone(),
        Obj::new().set("assume_role_policy", json_document(&trust.into())),
    );
    let statements: Vec<Val> = role
        .statements
        .iter()
        .map(|s| {
            let resources = s.resources.iter().map(|a| arn(m, c, a)).collect();
            let mut o = Obj::new()
                .set("Effect", "Allow")
                .set("Action", s.actions.clone())
                .set("Resource", Val::List(resources));
            if let Some(to) = &s.pass_to {
                o = o.set(
                    "Condition",
                    Obj::new().set(
                        "StringLike",
                        Obj::new().set("iam:PassedToService", to.as_str()),
                    ),
                );
            }
            o.into()
        })
        .collect();
    if !statements.is_empty() {
        let policy = Obj::new()
            .set("Version", "2012-10-17")
            .set("Statement", statements);
        c.add(
            "aws_iam_role_policy",
            name.clone(),
            Obj::new()
                .set("name", role.name.as_str())
                .set("role", reference("aws_iam_role", &name, "id"))
                .set("policy", json_document(&policy.into())),
        );
    }
    for p in &role.managed_policies {
        c.add(
            "aws_iam_role_policy_attachment",
            names::policy_attachment(m, id, p),
            Obj::new()
                .set("role", reference("aws_iam_role", &name, "name"))
                .set("policy_arn", p.as_str()),
        );
    }
}

/// `valueFrom` of a secret: an ARN for both stores, with the JSON key.
fn secret_value_from(m: &Model, c: &mut Configuration, s: &Secret) -> Val {
    let key_suffix = s
        .key
        .as_ref()
        .map(|k| format!(":{}::", k.value))
        .unwrap_or_default();
    if s.from.value.starts_with("arn:") {
        return Val::Str(format!("{}{key_suffix}", s.from.value));
    }
    match s.store.value {
        SecretStore::Ssm => ssm_parameter_arn(m, c, &s.from.value),
        SecretStore::SecretsManager => Val::Expr(format!(
            "arn:{}:secretsmanager:{}:{}:secret:{}",
            c.partition(),
            escape(&m.stack.region),
            c.account_id(),
            escape(&format!("{}{key_suffix}", s.from.value))
        )),
    }
}

/// `container_definitions`: the ECS API's JSON (camelCase keys), built from
/// the same container data as CloudFormation's `ContainerDefinitions`.
fn container_definitions(m: &Model, c: &mut Configuration, task: &TaskDef) -> Val {
    let mut containers = Vec::new();
    for ct in &task.containers {
        let ports: Vec<Val> = ct
            .ports
            .iter()
            .map(|p| {
                Obj::new()
                    .set("containerPort", p.container_port.value)
                    .opt("hostPort", p.host_port.as_ref().map(|h| h.value))
                    .set(
                        "protocol",
                        match p.protocol.value {
                            Protocol::Udp => "udp",
                            _ => "tcp",
                        },
                    )
                    .opt("name", p.name.as_ref().map(|n| n.value.as_str()))
                    .opt("appProtocol", p.app_protocol.as_deref())
                    .into()
            })
            .collect();
        let env: Vec<Val> = ct
            .env
            .iter()
            .map(|(k, v)| {
                Obj::new()
                    .set("name", k.name.as_str())
                    .set("value", v.value.as_str())
                    .into()
            })
            .collect();
        let secrets: Vec<Val> = ct
            .secrets
            .iter()
            .map(|s| {
                let from = secret_value_from(m, c, s);
                Obj::new()
                    .set("name", s.name.name.as_str())
                    .set("valueFrom", from)
                    .into()
            })
            .collect();
        let health = ct.health.as_ref().map(|h| {
            Obj::new()
                .set("command", h.command.value.clone())
                .opt("interval", h.interval.as_ref().map(|v| v.value))
                .opt("timeout", h.timeout.as_ref().map(|v| v.value))
                .opt("retries", h.retries.as_ref().map(|v| v.value))
                .opt("startPeriod", h.start_period.as_ref().map(|v| v.value))
        });
        let deps: Vec<Val> = ct
            .depends_on
            .iter()
            .filter_map(|d| {
                let other = task.containers.get(d.container.value)?;
                Some(
                    Obj::new()
                        .set("containerName", other.name.name.as_str())
                        .set("condition", d.condition.as_str())
                        .into(),
                )
            })
            .collect();
        let mounts: Vec<Val> = ct
            .mounts
            .iter()
            .filter_map(|mp| {
                let volume = task.volumes.get(mp.volume.value)?;
                Some(
                    Obj::new()
                        .set("sourceVolume", volume.name.name.as_str())
                        .set("containerPath", mp.path.as_str())
                        .set("readOnly", mp.read_only)
                        .into(),
                )
            })
            .collect();
        let logging = match (ct.logging, task.log_group) {
            (true, Some(lg)) => Some(
                Obj::new().set("logDriver", "awslogs").set(
                    "options",
                    Obj::new()
                        .set(
                            "awslogs-group",
                            reference("aws_cloudwatch_log_group", &names::log_group(m, lg), "name"),
                        )
                        .set("awslogs-region", m.stack.region.as_str())
                        .set("awslogs-stream-prefix", ct.name.name.as_str()),
                ),
            ),
            _ => None,
        };
        containers.push(Val::from(
            Obj::new()
                .set("name", ct.name.name.as_str())
                .set("image", ct.image.value.as_str())
                .set("essential", ct.essential.value)
                .opt("cpu", ct.cpu.as_ref().map(|v| v.value))
                .opt("memory", ct.memory.as_ref().map(|v| v.value))
                .opt(
                    "memoryReservation",
                    ct.memory_reservation.as_ref().map(|v| v.value),
                )
                .list("portMappings", ports)
                .opt(
                    "entryPoint",
                    ct.entrypoint.as_ref().map(|a| a.items.clone()),
                )
                .opt("command", ct.command.as_ref().map(|a| a.items.clone()))
                .list("environment", env)
                .list("secrets", secrets)
                .opt("healthCheck", health)
                .list("dependsOn", deps)
                .opt("workingDirectory", ct.working_dir.as_deref())
                .opt("user", ct.user.as_deref())
                .opt("readonlyRootFilesystem", ct.read_only_root.then_some(true))
                .opt("stopTimeout", ct.stop_timeout.as_ref().map(|v| v.value))
                .opt("privileged", ct.privileged.as_ref().map(|v| v.value))
                .list("mountPoints", mounts)
                .opt("logConfiguration", logging),
        ));
    }
    json_document(&Val::List(containers))
}

fn task_definition(m: &Model, c: &mut Configuration, id: TaskId, task: &TaskDef) {
    let containers = container_definitions(m, c, task);
    let volumes: Vec<Val> = task
        .volumes
        .iter()
        .map(|v| {
            Obj::new()
                .set("name", v.name.name.as_str())
                .opt(
                    "efs_volume_configuration",
                    v.efs.as_ref().map(|e| {
                        let auth = (e.access_point.is_some() || e.iam).then(|| {
                            Obj::new()
                                .opt("access_point_id", e.access_point.as_deref())
                                .set("iam", if e.iam { "ENABLED" } else { "DISABLED" })
                        });
                        Obj::new()
                            .set("file_system_id", e.file_system.value.as_str())
                            .opt("root_directory", e.root.as_deref())
                            .set(
                                "transit_encryption",
                                if e.transit_encryption {
                                    "ENABLED"
                                } else {
                                    "DISABLED"
                                },
                            )
                            .opt("authorization_config", auth)
                    }),
                )
                .into()
        })
        .collect();
    let fargate = task.launch.value == LaunchType::Fargate;
    let role_arn = |r: RoleId| reference("aws_iam_role", &names::role(m, r), "arn");
    c.add(
        "aws_ecs_task_definition",
        names::task(m, id),
        Obj::new()
            .set("family", task.family.as_str())
            .opt("cpu", task.cpu.as_ref().map(|v| v.value.to_string()))
            .opt("memory", task.memory.as_ref().map(|v| v.value.to_string()))
            .set("network_mode", task.network_mode.value.as_str())
            .set("requires_compatibilities", vec![task.launch.value.as_str()])
            .opt("execution_role_arn", task.execution_role.map(role_arn))
            .opt("task_role_arn", task.task_role.map(role_arn))
            .opt(
                "runtime_platform",
                fargate.then(|| {
                    Obj::new()
                        .set(
                            "cpu_architecture",
                            match task.arch.value {
                                Arch::X86_64 => "X86_64",
                                Arch::Arm64 => "ARM64",
                            },
                        )
                        .set(
                            "operating_system_family",
                            match task.os.value {
                                Os::Linux => "LINUX",
                                Os::Windows => "WINDOWS_SERVER_2022_CORE",
                            },
                        )
                }),
            )
            .opt(
                "ephemeral_storage",
                task.ephemeral_storage
                    .as_ref()
                    .map(|e| Obj::new().set("size_in_gib", e.value)),
            )
            .set("container_definitions", containers)
            .list("volume", volumes),
    );
}

fn network_configuration(m: &Model, n: &NetworkConfig) -> Obj {
    Obj::new()
        .set("assign_public_ip", n.public_ip.value)
        .set(
            "security_groups",
            n.security_groups
                .value
                .iter()
                .map(|s| reference("aws_security_group", &names::sg(m, *s), "id"))
                .collect::<Vec<_>>(),
        )
        .set(
            "subnets",
            n.subnets
                .value
                .iter()
                .map(|s| reference("aws_subnet", &names::subnet(m, *s), "id"))
                .collect::<Vec<_>>(),
        )
}

fn service(m: &Model, c: &mut Configuration, id: ServiceId, s: &Service) {
    let name = names::service(m, id);
    let task = &m[s.task.value];
    let container_name = |i: usize| {
        task.containers
            .get(i)
            .map(|ct| ct.name.name.as_str())
            .unwrap_or_default()
    };
    let load_balancers: Vec<Val> = s
        .routes
        .iter()
        .filter_map(|r| {
            let tg = r.target_group?;
            Some(
                Obj::new()
                    .set("container_name", container_name(r.container.value))
                    .set("container_port", r.port.value)
                    .set(
                        "target_group_arn",
                        reference("aws_lb_target_group", &names::target_group(m, tg), "arn"),
                    )
                    .into(),
            )
        })
        .collect();
    let d = &s.deployment;
    let registries = s.discovery.as_ref().map(|_| {
        let mut reg = Obj::new().set(
            "registry_arn",
            reference(
                "aws_service_discovery_service",
                &names::discovery(m, id),
                "arn",
            ),
        );
        if task.network_mode.value != NetworkMode::Awsvpc {
            if let Some(r) = s.routes.first() {
                reg = reg
                    .set("container_name", container_name(r.container.value))
                    .set("container_port", r.port.value);
            }
        }
        reg
    });
    let mut depends_on = Vec::new();
    for r in &s.routes {
        match r.rule {
            Some(rule) => depends_on.push(format!("aws_lb_listener_rule.{}", names::rule(m, rule))),
            None => depends_on.push(format!(
                "aws_lb_listener.{}",
                names::listener(m, r.listener)
            )),
        }
    }
    // CI deploys the image: it registers task definition revisions and
    // points the service at them. Application Auto Scaling owns the count.
    let mut ignore_changes = Vec::new();
    if task.containers.iter().any(|ct| ct.image_managed_outside) {
        ignore_changes.push("task_definition".to_string());
    }
    if s.autoscale.is_some() {
        ignore_changes.push("desired_count".to_string());
    }
    let res = c.add(
        "aws_ecs_service",
        name.clone(),
        Obj::new()
            .set("name", s.name.name.as_str())
            .set(
                "cluster",
                reference(
                    "aws_ecs_cluster",
                    &names::cluster(m, s.cluster.value),
                    "arn",
                ),
            )
            .set(
                "task_definition",
                reference(
                    "aws_ecs_task_definition",
                    &names::task(m, s.task.value),
                    "arn",
                ),
            )
            .set("desired_count", s.desired.value)
            .set("launch_type", s.launch.value.as_str())
            .opt(
                "platform_version",
                s.platform_version.as_ref().map(|p| p.value.as_str()),
            )
            .opt(
                "network_configuration",
                s.network.as_ref().map(|n| network_configuration(m, n)),
            )
            .list("load_balancer", load_balancers)
            .opt(
                "health_check_grace_period_seconds",
                s.grace_period.as_ref().map(|g| g.value),
            )
            .opt(
                "deployment_minimum_healthy_percent",
                d.min_healthy.as_ref().map(|v| v.value),
            )
            .opt(
                "deployment_maximum_percent",
                d.max_percent.as_ref().map(|v| v.value),
            )
            .set(
                "deployment_circuit_breaker",
                Obj::new()
                    .set("enable", d.circuit_breaker != CircuitBreaker::Off)
                    .set("rollback", d.circuit_breaker == CircuitBreaker::Rollback),
            )
            .opt("service_registries", registries)
            .opt("enable_execute_command", s.exec.then_some(true))
            .set("enable_ecs_managed_tags", true)
            .set("propagate_tags", "SERVICE"),
    );
    res.depends_on = depends_on;
    res.ignore_changes = ignore_changes;
    c.output(
        names::service_output(m, id),
        format!("Name of service {}", s.name.name),
        reference("aws_ecs_service", &name, "name"),
    );
    if let Some(disc) = &s.discovery {
        let srv = task.network_mode.value != NetworkMode::Awsvpc;
        c.add(
            "aws_service_discovery_service",
            names::discovery(m, id),
            Obj::new()
                .set("name", disc.name.value.as_str())
                .set(
                    "dns_config",
                    Obj::new()
                        .set(
                            "namespace_id",
                            reference(
                                "aws_service_discovery_private_dns_namespace",
                                &names::namespace(m, disc.namespace.value),
                                "id",
                            ),
                        )
                        .set("routing_policy", "MULTIVALUE")
                        .set(
                            "dns_records",
                            vec![Val::from(
                                Obj::new()
                                    .set("ttl", 10u32)
                                    .set("type", if srv { "SRV" } else { "A" }),
                            )],
                        ),
                )
                // AWS always uses a failure threshold of 1 (the provider
                // deprecates setting it): the block alone turns it on.
                .set("health_check_custom_config", Obj::new()),
        );
    }
    if let Some(a) = &s.autoscale {
        let target = names::scalable_target(m, id);
        c.add(
            "aws_appautoscaling_target",
            target.clone(),
            Obj::new()
                .set("min_capacity", a.min.value)
                .set("max_capacity", a.max.value)
                .set(
                    "resource_id",
                    Val::Expr(format!(
                        "service/${{aws_ecs_cluster.{}.name}}/${{aws_ecs_service.{name}.name}}",
                        names::cluster(m, s.cluster.value)
                    )),
                )
                .set("scalable_dimension", "ecs:service:DesiredCount")
                .set("service_namespace", "ecs"),
        );
        let metrics: [(&str, Option<u64>, &str); 3] = [
            (
                "Cpu",
                a.cpu.as_ref().map(|v| v.value),
                "ECSServiceAverageCPUUtilization",
            ),
            (
                "Memory",
                a.memory.as_ref().map(|v| v.value),
                "ECSServiceAverageMemoryUtilization",
            ),
            (
                "Requests",
                a.requests.as_ref().map(|v| v.value),
                "ALBRequestCountPerTarget",
            ),
        ];
        for (metric_name, value, metric) in metrics {
            let Some(value) = value else { continue };
            let label = (metric == "ALBRequestCountPerTarget")
                .then(|| s.routes.iter().find_map(|r| r.target_group))
                .flatten()
                .map(|tg| {
                    Val::Expr(format!(
                        "${{aws_lb.{}.arn_suffix}}/${{aws_lb_target_group.{}.arn_suffix}}",
                        names::lb(m, m[tg].listener.lb),
                        names::target_group(m, tg)
                    ))
                });
            let from_target = |attr: &str| reference("aws_appautoscaling_target", &target, attr);
            c.add(
                "aws_appautoscaling_policy",
                names::scaling_policy(m, id, metric_name),
                Obj::new()
                    .set(
                        "name",
                        format!(
                            "{}-{}-{}",
                            m.stack.name,
                            s.name.name,
                            metric_name.to_lowercase()
                        ),
                    )
                    .set("policy_type", "TargetTrackingScaling")
                    .set("resource_id", from_target("resource_id"))
                    .set("scalable_dimension", from_target("scalable_dimension"))
                    .set("service_namespace", from_target("service_namespace"))
                    .set(
                        "target_tracking_scaling_policy_configuration",
                        Obj::new()
                            .set("target_value", value)
                            .set(
                                "predefined_metric_specification",
                                Obj::new()
                                    .set("predefined_metric_type", metric)
                                    .opt("resource_label", label),
                            )
                            .opt("scale_in_cooldown", a.scale_in_cooldown)
                            .opt("scale_out_cooldown", a.scale_out_cooldown),
                    ),
            );
        }
    }
}

fn schedule(m: &Model, c: &mut Configuration, id: ScheduleId, s: &Schedule) {
    let name = names::schedule(m, id);
    let task = &m[s.task.value];
    c.add(
        "aws_cloudwatch_event_rule",
        name.clone(),
        Obj::new()
            .set(
                "description",
                format!("Runs task {} ({})", task.name.name, s.expression.value),
            )
            .set("schedule_expression", s.expression.value.as_str())
            .set("state", "ENABLED"),
    );
    let ecs_target = Obj::new()
        .set(
            "task_definition_arn",
            reference(
                "aws_ecs_task_definition",
                &names::task(m, s.task.value),
                "arn",
            ),
        )
        .set("task_count", s.count.value)
        .set("launch_type", task.launch.value.as_str())
        .opt(
            "platform_version",
            s.platform_version.as_ref().map(|p| p.value.as_str()),
        )
        .opt(
            "network_configuration",
            s.network.as_ref().map(|n| network_configuration(m, n)),
        );
    c.add(
        "aws_cloudwatch_event_target",
        name.clone(),
        Obj::new()
            .set(
                "rule",
                reference("aws_cloudwatch_event_rule", &name, "name"),
            )
            .set("target_id", pascal(&s.name.name))
            .set(
                "arn",
                reference(
                    "aws_ecs_cluster",
                    &names::cluster(m, s.cluster.value),
                    "arn",
                ),
            )
            .opt(
                "role_arn",
                s.role
                    .map(|r| reference("aws_iam_role", &names::role(m, r), "arn")),
            )
            .set("ecs_target", ecs_target),
    );
}
