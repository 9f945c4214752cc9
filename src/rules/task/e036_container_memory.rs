//! E036: container memory limits that fit the task.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::LaunchType;
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "E036",
    name: "container-memory",
    severity: Severity::Error,
    summary:
        "Container memory limits are set where needed, ordered, at least 6 MiB, and fit the task",
    why: "On EC2 a task without task-level memory needs `memory` or `memoryReservation` on every \
          container, or RegisterTaskDefinition fails. When both are set, memory must be greater \
          than memoryReservation. The containers' memory (the hard limit, else the reservation) \
          must fit in the task's memory, and Docker needs at least 6 MiB per container \
          (API ContainerDefinition.memory/memoryReservation; the CDK checks the same).",
    bad: r#"stack demo { region = "eu-west-1" }
task api {
  cpu = 512  memory = 1GiB
  container app   { image = "nginx:1.27"  memory = 768MiB }
  container proxy { image = "envoy:1.31"  memory = 512MiB }
}"#,
    flagged: "512MiB }",
    good: r#"stack demo { region = "eu-west-1" }
task api {
  cpu = 512  memory = 1GiB
  container app   { image = "nginx:1.27"  memory = 512MiB }
  container proxy { image = "envoy:1.31"  memory = 512MiB }
}"#,
    check: Check::Model(check),
};

const MIN_MIB: u64 = 6;

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    for task in &cx.model.tasks {
        for c in &task.containers {
            if task.memory.is_none()
                && task.launch.value == LaunchType::Ec2
                && c.memory.is_none()
                && c.memory_reservation.is_none()
            {
                out.push(
                    RULE.at(
                        c.name.span,
                        format!(
                            "container `{}` sets no memory, and EC2 task `{}` has no task-level memory",
                            c.name.name, task.name.name
                        ),
                    )
                    .label("no memory limit")
                    .with(task.name.span, "no `memory` on the task")
                    .help("add `memory = 512MiB` (hard limit) or `memory_reservation = 256MiB` to the container, or `memory` to the task"),
                );
            }
            for (key, v) in [
                ("memory", &c.memory),
                ("memory_reservation", &c.memory_reservation),
            ] {
                if let Some(v) = v {
                    if v.value < MIN_MIB {
                        out.push(
                            RULE.at(
                                v.span,
                                format!(
                                    "container `{}` has {key} {} MiB, below the 6 MiB minimum",
                                    c.name.name, v.value
                                ),
                            )
                            .label("too little memory")
                            .help(format!(
                                "set `{key}` to at least 6MiB; most containers need 64MiB or more"
                            )),
                        );
                    }
                }
            }
            if let (Some(hard), Some(soft)) = (&c.memory, &c.memory_reservation) {
                if hard.value <= soft.value {
                    out.push(
                        RULE.at(
                            soft.span,
                            format!(
                                "container `{}` reserves {} MiB, not less than its {} MiB hard limit",
                                c.name.name, soft.value, hard.value
                            ),
                        )
                        .label("must be below `memory`")
                        .with(hard.span, format!("hard limit {} MiB", hard.value))
                        .help(format!(
                            "lower `memory_reservation` below {} MiB, or raise `memory` above {} MiB",
                            hard.value, soft.value
                        )),
                    );
                }
            }
        }
        let Some(limit) = &task.memory else { continue };
        let mut total = 0u64;
        let mut over = None;
        for c in &task.containers {
            if let Some(v) = c.memory.as_ref().or(c.memory_reservation.as_ref()) {
                total = total.saturating_add(v.value);
                if total > limit.value && over.is_none() {
                    over = Some(v);
                }
            }
        }
        if let Some(v) = over {
            let mut d = RULE
                .at(
                    v.span,
                    format!(
                        "the containers of task `{}` need {total} MiB, more than the task's {} MiB",
                        task.name.name, limit.value
                    ),
                )
                .label("exceeds the task's memory")
                .with(limit.span, format!("task memory {} MiB", limit.value));
            for c in &task.containers {
                if let Some(o) = c.memory.as_ref().or(c.memory_reservation.as_ref()) {
                    if o.span != v.span {
                        d = d.with(o.span, format!("`{}`: {} MiB", c.name.name, o.value));
                    }
                }
            }
            out.push(d.help(format!(
                "lower the containers' memory by {} MiB in total, or raise the task's `memory`",
                total - limit.value
            )));
        }
    }
}
