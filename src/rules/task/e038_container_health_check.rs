//! E038: container health check parameters in the ranges ECS accepts.

use crate::diagnostic::{Diagnostics, Severity};
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "E038",
    name: "container-health-check",
    severity: Severity::Error,
    summary: "A container health check has a command and interval 5–300 s, timeout 2–60 s, retries 1–10, start_period 0–300 s",
    why: "RegisterTaskDefinition rejects a HealthCheck with interval outside 5–300 seconds, \
          timeout outside 2–60, retries outside 1–10 or startPeriod outside 0–300, and a \
          command with nothing after CMD or CMD-SHELL (API-ECS HealthCheck; the CDK allows a \
          120 s timeout, the API does not).",
    bad: r#"stack demo { region = "eu-west-1" }
task api {
  cpu = 256  memory = 512
  container app {
    image = "nginx:1.27"
    health {
      command  = "curl -f http://localhost/ || exit 1"
      interval = 2s
    }
  }
}"#,
    flagged: "2s",
    good: r#"stack demo { region = "eu-west-1" }
task api {
  cpu = 256  memory = 512
  container app {
    image = "nginx:1.27"
    health {
      command  = "curl -f http://localhost/ || exit 1"
      interval = 10s
    }
  }
}"#,
    check: Check::Model(check),
};

/// (key, lowest, highest, unit)
const RANGES: [(&str, u64, u64, &str); 4] = [
    ("interval", 5, 300, "s"),
    ("timeout", 2, 60, "s"),
    ("retries", 1, 10, ""),
    ("start_period", 0, 300, "s"),
];

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    for task in &cx.model.tasks {
        for c in &task.containers {
            let Some(h) = &c.health else { continue };
            let values = [&h.interval, &h.timeout, &h.retries, &h.start_period];
            for ((key, lo, hi, unit), v) in RANGES.iter().zip(values) {
                let Some(v) = v else { continue };
                if (*lo..=*hi).contains(&v.value) {
                    continue;
                }
                let suggestion = v.value.clamp(*lo, *hi);
                out.push(
                    RULE.at(
                        v.span,
                        format!(
                            "the health check of container `{}` has {key} {}{unit}, outside {lo}–{hi}{unit}",
                            c.name.name, v.value
                        ),
                    )
                    .label("out of range")
                    .help(format!("set `{key} = {suggestion}{unit}` (ECS accepts {lo}–{hi}{unit})")),
                );
            }
            let empty = h.command.value.iter().skip(1).all(|s| s.trim().is_empty());
            if empty && !h.command.value.is_empty() {
                out.push(
                    RULE.at(h.command.span, format!("the health check of container `{}` runs no command", c.name.name))
                        .label("empty command")
                        .help("write the check, e.g. `command = \"curl -f http://localhost:8080/ || exit 1\"`"),
                );
            }
        }
    }
}
