//! W035: an EFS volume with IAM authorization in a task without a task role.

use crate::diagnostic::{Diagnostics, Severity};
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "W035",
    name: "efs-iam-without-role",
    severity: Severity::Warning,
    summary: "A task with an `iam = true` EFS volume has a task role",
    why: "With IAM authorization ECS mounts the file system as \"the Amazon ECS task role defined \
          in a task definition\" (ECS API reference, EFSAuthorizationConfig.iam); AWS Batch's \
          reference states the same requirement outright (\"EFS IAM authorization requires … \
          that a JobRoleArn is specified\"). A task without a role has no identity to mount \
          with: the task stops with ResourceInitializationError while it sets up the volume. \
          ecsc creates a task role only for a `role` block or a service with `exec = true`.",
    bad: r#"stack demo { region = "eu-west-1" }
task api {
  cpu = 256  memory = 512
  volume data {
    efs = "fs-0123456789abcdef0"
    iam = true
  }
  container app {
    image = "nginx:1.27"
    mount data at "/data"
  }
}"#,
    flagged: "true",
    good: r#"stack demo { region = "eu-west-1" }
task api {
  cpu = 256  memory = 512
  role {
    allow ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"] on "arn:aws:elasticfilesystem:eu-west-1:123456789012:file-system/fs-0123456789abcdef0"
  }
  volume data {
    efs = "fs-0123456789abcdef0"
    iam = true
  }
  container app {
    image = "nginx:1.27"
    mount data at "/data"
  }
}"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    for task in &cx.model.tasks {
        // `derive` gives the task a role for a `role` block or ECS Exec.
        if task.task_role.is_some() {
            continue;
        }
        for v in &task.volumes {
            let Some(iam) = v.efs.as_ref().map(|e| &e.iam).filter(|i| i.value) else {
                continue;
            };
            out.push(
                RULE.at(
                    iam.span,
                    format!(
                        "volume `{}` mounts with the task role, but task `{}` has none",
                        v.name.name, task.name.name
                    ),
                )
                .label("IAM authorization")
                .help(format!(
                    "add `role {{ allow [\"elasticfilesystem:ClientMount\", \"elasticfilesystem:ClientWrite\"] on \"<file system ARN>\" }}` to task `{}`, or remove `iam = true`",
                    task.name.name
                )),
            );
        }
    }
}
