//! E057: a Fargate platform version that exists and has the task's features.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::{LaunchType, Name, Os, Placement, Runner, SecretStore, TaskDef};
use crate::rules::{Check, Context, Rule};
use crate::source::Span;

pub const RULE: Rule = Rule {
    code: "E057",
    name: "platform-version",
    severity: Severity::Error,
    summary:
        "`platform_version` is set only for Fargate, to a version that exists and supports the task",
    why: "PlatformVersion applies to Fargate only. Linux Fargate offers LATEST (1.4.0), 1.4.0 and \
          1.3.0; Windows offers LATEST (1.0.0) and 1.0.0. Secrets need 1.3.0 or later; a \
          Secrets Manager JSON key or version (`key`, or in the ARN), ephemeral storage, EFS \
          volumes, ECS Exec and 8 or 16 vCPU tasks need 1.4.0 (EFS volumes guide; ECS Exec \
          considerations). \
          With an older version CreateService fails or the feature is missing when the task \
          runs (Fargate platform versions guide; secrets guide; schema Memory text).",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
security_group sg { vpc = main }
cluster main { }
task etl {
  cpu = 1024  memory = 2GiB
  ephemeral_storage = 100
  container app { image = "busybox:1.36" }
}
service etl {
  cluster = main
  task    = etl
  platform_version = "1.3.0"
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
}"#,
    flagged: "\"1.3.0\"",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
security_group sg { vpc = main }
cluster main { }
task etl {
  cpu = 1024  memory = 2GiB
  ephemeral_storage = 100
  container app { image = "busybox:1.36" }
}
service etl {
  cluster = main
  task    = etl
  platform_version = "1.4.0"
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
}"#,
    check: Check::Model(check),
};

/// A feature of the task that needs platform version 1.4.0, and where.
fn needs_1_4(task: &TaskDef) -> Option<(Span, String)> {
    if let Some(e) = &task.ephemeral_storage {
        return Some((e.span, "ephemeral storage".into()));
    }
    if let Some(cpu) = task.cpu.as_ref().filter(|c| c.value >= 8192) {
        return Some((cpu.span, format!("{} cpu units", cpu.value)));
    }
    if let Some(e) = task.volumes.iter().find_map(|v| v.efs.as_ref()) {
        return Some((e.file_system.span, "an EFS volume".into()));
    }
    task.containers
        .iter()
        .flat_map(|c| &c.secrets)
        .find_map(|s| match (&s.key, s.store.value) {
            (Some(k), SecretStore::SecretsManager) => {
                Some((k.span, "a Secrets Manager JSON key".into()))
            }
            // `arn:…:secret:<name>:<json-key>:<version-stage>:<version-id>`
            (None, SecretStore::SecretsManager)
                if s.from.value.starts_with("arn:")
                    && s.from
                        .value
                        .splitn(8, ':')
                        .nth(7)
                        .is_some_and(|rest| rest.split(':').any(|part| !part.is_empty())) =>
            {
                Some((
                    s.from.span,
                    "a Secrets Manager JSON key or version in the ARN".into(),
                ))
            }
            _ => None,
        })
}

/// `exec`: where a service turns on ECS Exec.
fn one(
    out: &mut Diagnostics,
    (runner, name): (Runner, &Name),
    p: &Placement,
    task: &TaskDef,
    exec: Option<Span>,
) {
    let what = runner.word();
    let Some(pv) = &p.platform_version else {
        return;
    };
    if p.launch.value != LaunchType::Fargate {
        out.push(
            RULE.at(
                pv.span,
                format!(
                    "{what} `{}` runs on EC2; platform versions are for Fargate only",
                    name.name
                ),
            )
            .label("Fargate only")
            .help("remove `platform_version`"),
        );
        return;
    }
    let windows = task.os.value == Os::Windows;
    let allowed: &[&str] = if windows {
        &["LATEST", "1.0.0"]
    } else {
        &["LATEST", "1.4.0", "1.3.0"]
    };
    if !allowed.contains(&pv.value.as_str()) {
        out.push(
            RULE.at(
                pv.span,
                format!(
                    "Fargate has no {} platform version \"{}\"",
                    if windows { "Windows" } else { "Linux" },
                    pv.value
                ),
            )
            .label("unknown platform version")
            .help(if windows {
                "use \"LATEST\" or \"1.0.0\", or remove `platform_version` (LATEST is 1.0.0 on Windows)".to_string()
            } else {
                "use \"1.4.0\" (or \"LATEST\", which is 1.4.0), or remove `platform_version`".to_string()
            }),
        );
        return;
    }
    if !windows && pv.value == "1.3.0" {
        let message = |feature: &str| {
            match exec {
            Some(_) => format!(
                "{what} `{}` turns on {feature}, which needs Fargate platform version 1.4.0, but pins 1.3.0",
                name.name
            ),
            None => format!(
                "task `{}` uses {feature}, which needs Fargate platform version 1.4.0, but {what} `{}` pins 1.3.0",
                task.name.name, name.name
            ),
        }
        };
        let found = match exec {
            Some(e) => Some((e, "ECS Exec".to_string())),
            None => needs_1_4(task),
        };
        if let Some((at, feature)) = found {
            out.push(
                RULE.at(pv.span, message(&feature))
                    .label("too old")
                    .with(at, format!("{feature} needs 1.4.0"))
                    .help("set `platform_version = \"1.4.0\"`, or remove it (LATEST is 1.4.0)"),
            );
        }
    }
}

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    for (runner, name, p) in m.placements() {
        let exec = match runner {
            Runner::Service(id) => Some(&m[id].exec).filter(|e| e.value).map(|e| e.span),
            _ => None,
        };
        one(out, (runner, name), p, &m[p.task.value], exec);
    }
}
