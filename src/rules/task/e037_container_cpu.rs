//! E037: container cpu fits the task; EC2 task cpu in range.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::LaunchType;
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "E037",
    name: "container-cpu",
    severity: Severity::Error,
    summary: "Container cpu units add up to at most the task's cpu; EC2 task cpu is 128–196608",
    why: "RegisterTaskDefinition rejects a task whose containers reserve more cpu units than \
          the task has, and an EC2 task-level cpu outside 128–196608 units (0.125–192 vCPU) \
          (schema Cpu; the CDK checks the container sum).",
    bad: r#"stack demo { region = "eu-west-1" }
task api {
  cpu = 512  memory = 1GiB
  container app   { image = "nginx:1.27"  cpu = 384 }
  container proxy { image = "envoy:1.31"  cpu = 256 }
}"#,
    flagged: "256 }",
    good: r#"stack demo { region = "eu-west-1" }
task api {
  cpu = 512  memory = 1GiB
  container app   { image = "nginx:1.27"  cpu = 256 }
  container proxy { image = "envoy:1.31"  cpu = 256 }
}"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    for task in &cx.model.tasks {
        let Some(cpu) = &task.cpu else { continue };
        if task.launch.value == LaunchType::Ec2 && !(128..=196_608).contains(&cpu.value) {
            out.push(
                RULE.at(
                    cpu.span,
                    format!(
                        "EC2 task `{}` has {} cpu units, outside 128–196608",
                        task.name.name, cpu.value
                    ),
                )
                .label("out of range")
                .help(
                    "set `cpu` between 128 (0.125 vCPU) and 196608 (192 vCPU); 1024 units = 1 vCPU",
                ),
            );
        }
        let mut total = 0u64;
        let mut over = None;
        for c in &task.containers {
            if let Some(v) = &c.cpu {
                total = total.saturating_add(v.value);
                if total > cpu.value && over.is_none() {
                    over = Some(v);
                }
            }
        }
        let Some(v) = over else { continue };
        let mut d = RULE
            .at(
                v.span,
                format!(
                    "the containers of task `{}` reserve {total} cpu units, more than the task's {}",
                    task.name.name, cpu.value
                ),
            )
            .label("exceeds the task's cpu")
            .with(cpu.span, format!("task cpu {}", cpu.value));
        for c in &task.containers {
            if let Some(o) = &c.cpu {
                if o.span != v.span {
                    d = d.with(o.span, format!("`{}`: {}", c.name.name, o.value));
                }
            }
        }
        out.push(d.help(format!(
            "lower the containers' cpu by {} units in total, or raise the task's `cpu`",
            total - cpu.value
        )));
    }
}
