//! E059: service and schedule numbers and names ECS accepts.

use crate::diagnostic::{Diagnostics, Severity};
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "E059",
    name: "service-counts",
    severity: Severity::Error,
    summary: "Deployment percentages, task counts and service names are in the ranges ECS accepts",
    why: "For a rolling deployment min_healthy is 0–100% and max 100–200% (ecsc keeps max at or \
          below the 200% default ceiling); ECS runs at most 5000 tasks per service (a service \
          quota); a service name is 1–255 letters, digits, `-` and `_`; an EventBridge ECS \
          target starts 1–10 tasks per run (RunTask count). CreateService or the scheduled \
          RunTask fails otherwise (API-ECS CreateService, DeploymentConfiguration, RunTask; \
          ECS service quotas).",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
security_group sg { vpc = main }
cluster main { }
task api {
  cpu = 256  memory = 512
  container app { image = "nginx:1.27" }
}
service api {
  cluster = main
  task    = api
  count   = 2
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
  deployment { min_healthy = 150%  max = 200% }
}"#,
    flagged: "150%",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
security_group sg { vpc = main }
cluster main { }
task api {
  cpu = 256  memory = 512
  container app { image = "nginx:1.27" }
}
service api {
  cluster = main
  task    = api
  count   = 2
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
  deployment { min_healthy = 100%  max = 200% }
}"#,
    check: Check::Model(check),
};

const MAX_TASKS: u64 = 5000;

fn valid_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 255
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    for s in &m.services {
        if let Some(v) = &s.deployment.min_healthy {
            if v.value > 100 {
                out.push(
                    RULE.at(v.span, format!("service `{}` has min_healthy {}%, above 100%", s.name.name, v.value))
                        .label("out of range")
                        .help("set `min_healthy` between 0% and 100%: the share of tasks kept running during a deployment"),
                );
            }
        }
        if let Some(v) = &s.deployment.max_percent {
            if !(100..=200).contains(&v.value) {
                out.push(
                    RULE.at(v.span, format!("service `{}` has max {}%, outside 100–200%", s.name.name, v.value))
                        .label("out of range")
                        .help(format!(
                            "set `max = {}%`: the most tasks a rolling deployment may run, as a share of `count`",
                            v.value.clamp(100, 200)
                        )),
                );
            }
        }
        if s.desired.value > MAX_TASKS {
            out.push(
                RULE.at(s.desired.span, format!("service `{}` asks for {} tasks; ECS runs at most 5000 per service", s.name.name, s.desired.value))
                    .label("above the ECS quota")
                    .help("set `count` to 5000 or fewer (the ECS quota \"tasks per service\"), or split the work across services"),
            );
        }
        if !valid_name(&s.name.name) {
            out.push(
                RULE.at(
                    s.name.span,
                    format!(
                        "service name `{}` is longer than 255 characters",
                        s.name.name.chars().take(40).collect::<String>()
                    ),
                )
                .label("name too long")
                .help("use 1–255 letters, digits, `-` and `_`"),
            );
        }
    }
    for s in &m.schedules {
        if !(1..=10).contains(&s.count.value) {
            out.push(
                RULE.at(
                    s.count.span,
                    format!(
                        "schedule `{}` starts {} tasks per run; EventBridge starts 1–10",
                        s.name.name, s.count.value
                    ),
                )
                .label("out of range")
                .help(format!(
                    "set `count = {}` (1–10 tasks per run), or add another schedule",
                    s.count.value.clamp(1, 10)
                )),
            );
        }
    }
}
