//! E040: ephemeral storage only on Fargate, 21–200 GiB.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::LaunchType;
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "E040",
    name: "ephemeral-storage",
    severity: Severity::Error,
    summary: "`ephemeral_storage` is set only on Fargate tasks, to 21–200 GiB",
    why: "EphemeralStorage.SizeInGiB takes 21 to 200 GiB, and only Fargate tasks have it: on \
          EC2 the task uses the container instance's disk, and RegisterTaskDefinition rejects \
          the setting (CDK FargateTaskDefinition; schema EphemeralStorage). It also needs \
          Fargate platform version 1.4.0 (see E057).",
    bad: r#"stack demo { region = "eu-west-1" }
task etl {
  cpu = 1024  memory = 2GiB
  ephemeral_storage = 500
  container app { image = "busybox:1.36" }
}"#,
    flagged: "500",
    good: r#"stack demo { region = "eu-west-1" }
task etl {
  cpu = 1024  memory = 2GiB
  ephemeral_storage = 200
  container app { image = "busybox:1.36" }
}"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    for task in &cx.model.tasks {
        let Some(e) = &task.ephemeral_storage else {
            continue;
        };
        if task.launch.value != LaunchType::Fargate {
            out.push(
                RULE.at(e.span, format!("task `{}` sets ephemeral storage, which only Fargate tasks have", task.name.name))
                    .label("Fargate only")
                    .with(task.launch.span, "the task runs on EC2")
                    .help("remove `ephemeral_storage`: on EC2, size the container instances' volumes instead"),
            );
        } else if !(21..=200).contains(&e.value) {
            out.push(
                RULE.at(
                    e.span,
                    format!(
                        "task `{}` asks for {} GiB of ephemeral storage; Fargate offers 21–200 GiB",
                        task.name.name, e.value
                    ),
                )
                .label("out of range")
                .help(format!(
                    "set `ephemeral_storage = {}` (GiB), or remove it for the default 20 GiB{}",
                    e.value.clamp(21, 200),
                    if e.value > 200 {
                        "; mount an EFS volume for more"
                    } else {
                        ""
                    }
                )),
            );
        }
    }
}
