//! W050: a rolling deployment that can neither start nor stop a task.

use crate::diagnostic::{Diagnostics, Severity};
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "W050",
    name: "deployment-progress",
    severity: Severity::Warning,
    summary: "A rolling deployment can start a new task or stop an old one",
    why: "During a rolling deployment ECS keeps at least ceil(count × min_healthy / 100) tasks \
          running and at most floor(count × max / 100). When the most is not above the least, \
          ECS can neither start a new task (the maximum is reached) nor stop an old one (the \
          minimum would be broken), and the deployment hangs until it times out (derived from \
          the API-ECS DeploymentConfiguration formulas; defaults min_healthy 100%, max 200%).",
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
  count   = 1
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
  deployment { min_healthy = 50%  max = 100% }
}"#,
    flagged: "100% }",
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
  count   = 1
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
  deployment { min_healthy = 0%  max = 100% }
}"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    for s in &cx.model.services {
        let n = s.desired.value;
        if n == 0 {
            continue;
        }
        let d = &s.deployment;
        let min = d.min_healthy.as_ref().map_or(100, |v| v.value);
        let max = d.max_percent.as_ref().map_or(200, |v| v.value);
        if min > 100 || !(100..=200).contains(&max) {
            continue; // E059
        }
        let most = n.saturating_mul(max) / 100;
        let least = n.saturating_mul(min).div_ceil(100);
        if most > least {
            continue;
        }
        // The smallest max that lets one more task start, and the largest
        // min_healthy that lets one old task stop.
        let max_needed = (least + 1).saturating_mul(100).div_ceil(n);
        let min_allowed = most.checked_sub(1).map(|k| k.saturating_mul(100) / n);
        let mut fixes = Vec::new();
        if max_needed <= 200 {
            fixes.push(format!(
                "raise `max` to {max_needed}% (up to {} tasks)",
                least + 1
            ));
        }
        if let Some(m) = min_allowed {
            fixes.push(format!(
                "lower `min_healthy` to {m}% (down to {} tasks)",
                most - 1
            ));
        }
        let help = if fixes.is_empty() {
            "raise `max` or lower `min_healthy`".to_string()
        } else {
            fixes.join(", or ")
        };
        let (at, other) = match (&d.max_percent, &d.min_healthy) {
            (Some(mx), mn) => (
                mx.span,
                mn.as_ref()
                    .map(|v| (v.span, format!("at least {least} must stay healthy"))),
            ),
            (None, Some(mn)) => (mn.span, None),
            (None, None) => (s.desired.span, None),
        };
        let mut diag = RULE
            .at(
                at,
                format!(
                    "with {n} task{}, min_healthy {min}% and max {max}%, a deployment of service `{}` can neither start a new task nor stop an old one",
                    if n == 1 { "" } else { "s" },
                    s.name.name
                ),
            )
            .label(format!("at most {most} task{} running", if most == 1 { "" } else { "s" }));
        if let Some((span, msg)) = other {
            diag = diag.with(span, msg);
        }
        if s.desired.span != s.name.span {
            diag = diag.with(s.desired.span, format!("count {n}"));
        }
        out.push(diag.help(help));
    }
}
