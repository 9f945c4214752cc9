//! E031: a Fargate task has task-level cpu and memory and runs in awsvpc mode.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::{LaunchType, NetworkMode};
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "E031",
    name: "fargate-task-size",
    severity: Severity::Error,
    summary: "A Fargate task sets task-level cpu and memory and uses the awsvpc network mode",
    why: "Fargate sizes the task, not the containers: RegisterTaskDefinition with \
          requiresCompatibilities FARGATE fails when the task-level cpu or memory is missing, \
          and Fargate supports only the awsvpc network mode (cfn-lint E3048; the CDK enforces \
          the same).",
    bad: r#"stack demo { region = "eu-west-1" }
task api {
  cpu = 256
  container app { image = "nginx:1.27" }
}"#,
    flagged: "api {",
    good: r#"stack demo { region = "eu-west-1" }
task api {
  cpu    = 256
  memory = 512
  container app { image = "nginx:1.27" }
}"#,
    check: Check::Model(check),
};

/// The smallest Fargate memory for a cpu size (Linux), for the help line.
fn smallest_memory(cpu: u64) -> Option<u64> {
    match cpu {
        256 => Some(512),
        512 => Some(1024),
        1024 => Some(2048),
        2048 => Some(4096),
        4096 => Some(8192),
        8192 => Some(16384),
        16384 => Some(32768),
        _ => None,
    }
}

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    for task in &cx.model.tasks {
        if task.launch.value != LaunchType::Fargate {
            continue;
        }
        let missing = match (&task.cpu, &task.memory) {
            (Some(_), Some(_)) => None,
            (None, None) => Some((
                "cpu and memory",
                "add `cpu = 256` and `memory = 512` to the task (the smallest Fargate size)".to_string(),
            )),
            (Some(cpu), None) => Some((
                "memory",
                match smallest_memory(cpu.value) {
                    Some(m) => format!("add `memory = {m}` (the smallest memory Fargate pairs with cpu {})", cpu.value),
                    None => "add `memory = 512` with `cpu = 256`, or another Fargate size".to_string(),
                },
            )),
            (None, Some(memory)) => Some((
                "cpu",
                format!(
                    "add `cpu = {}` (a Fargate cpu size that takes {} MiB), or another Fargate size",
                    match memory.value {
                        0..=2048 => 256,
                        2049..=4096 => 512,
                        4097..=8192 => 1024,
                        8193..=16384 => 2048,
                        16385..=30720 => 4096,
                        30721..=61440 => 8192,
                        _ => 16384,
                    },
                    memory.value
                ),
            )),
        };
        if let Some((what, help)) = missing {
            let mut d = RULE
                .at(
                    task.name.span,
                    format!("Fargate task `{}` has no task-level {what}", task.name.name),
                )
                .label(format!("{what} missing"));
            if task.launch.span != task.name.span {
                d = d.with(task.launch.span, "Fargate set here");
            }
            out.push(d.help(help));
        }
        if task.network_mode.value != NetworkMode::Awsvpc {
            let mut d = RULE
                .at(
                    task.network_mode.span,
                    format!(
                        "Fargate task `{}` uses the {} network mode, but Fargate supports only awsvpc",
                        task.name.name,
                        task.network_mode.value.as_str()
                    ),
                )
                .label("not supported on Fargate");
            if task.launch.span != task.name.span {
                d = d.with(task.launch.span, "Fargate set here");
            }
            out.push(d.help(format!(
                "remove `network_mode = {}` (Fargate tasks always use awsvpc), or run the task on EC2 with `launch = ec2`",
                task.network_mode.value.as_str()
            )));
        }
    }
}
