//! E076: an alarm's period and evaluation range are ones CloudWatch
//! accepts.

use crate::diagnostic::{Diagnostics, Severity};
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "E076",
    name: "alarm-period",
    severity: Severity::Error,
    summary: "An alarm's `period` is 10, 20 or 30 s or a multiple of 60 s, its `for` a multiple of the period, within one day (seven for periods of an hour or more)",
    why: "PutMetricAlarm accepts a `Period` of 10, 20, 30 or any multiple of 60 seconds, and an \
          evaluation range (`Period` × `EvaluationPeriods`) of at most one day for periods under \
          an hour, seven days otherwise; anything else fails the stack when the alarm is \
          created (Amazon CloudWatch API Reference, PutMetricAlarm: Period, EvaluationPeriods). \
          ecsc writes `EvaluationPeriods` as `for` / `period`, so a `for` that is not a \
          multiple of the period would silently watch longer than written.",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
security_group sg { vpc = main }
cluster main { }
task worker {
  cpu = 256  memory = 512
  container app { image = "busybox:1.36" }
}
service worker {
  cluster = main
  task    = worker
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
  alarm busy { metric = cpu  above = 80%  period = 90s  for = 3m }
}"#,
    flagged: "90s",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
security_group sg { vpc = main }
cluster main { }
task worker {
  cpu = 256  memory = 512
  container app { image = "busybox:1.36" }
}
service worker {
  cluster = main
  task    = worker
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
  alarm busy { metric = cpu  above = 80%  period = 60s  for = 3m }
}"#,
    check: Check::Model(check),
};

/// Whether CloudWatch takes this period (seconds).
fn valid_period(p: u64) -> bool {
    matches!(p, 10 | 20 | 30) || (p > 0 && p % 60 == 0 && p <= 86_400)
}

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    for s in &cx.model.services {
        for a in &s.alarms {
            let p = a.period.value;
            if !valid_period(p) {
                let near = if p < 45 {
                    [10u64, 20, 30]
                        .into_iter()
                        .min_by_key(|v| v.abs_diff(p))
                        .unwrap_or(30)
                } else {
                    (p.div_ceil(60) * 60).min(86_400)
                };
                out.push(
                    RULE.at(
                        a.period.span,
                        format!(
                            "alarm `{}` of service `{}` has a period of {p} s, which CloudWatch does not accept",
                            a.name.name, s.name.name
                        ),
                    )
                    .label("not 10, 20, 30 or a multiple of 60 seconds")
                    .help(format!("use `period = {near}s`")),
                );
                continue;
            }
            let Some(d) = &a.duration else { continue };
            if d.value % p != 0 || d.value == 0 {
                let up = d.value.div_ceil(p).max(1) * p;
                out.push(
                    RULE.at(
                        d.span,
                        format!(
                            "alarm `{}` of service `{}` watches for {} s, which is not a whole number of {p} s periods",
                            a.name.name, s.name.name, d.value
                        ),
                    )
                    .label(format!("not a multiple of the {p} s period"))
                    .help(format!("use `for = {up}s`")),
                );
                continue;
            }
            let limit: u64 = if p < 3600 { 86_400 } else { 604_800 };
            if d.value > limit {
                out.push(
                    RULE.at(
                        d.span,
                        format!(
                            "alarm `{}` of service `{}` watches for {} s; CloudWatch evaluates at most {limit} s with a {p} s period",
                            a.name.name, s.name.name, d.value
                        ),
                    )
                    .label("evaluation range too long")
                    .help(format!(
                        "use `for = {}s` or less{}",
                        limit / p * p,
                        if p < 3600 { ", or a period of an hour or more (`period = 1h`) for up to seven days" } else { "" }
                    )),
                );
            }
        }
    }
}
