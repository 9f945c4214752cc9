//! E077: an alarm's threshold, and its steps' bounds, are in the unit of
//! its metric.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::{AlarmMetric, Threshold, Unit};
use crate::rules::{Check, Context, Rule};
use crate::source::Spanned;

pub const RULE: Rule = Rule {
    code: "E077",
    name: "alarm-threshold",
    severity: Severity::Error,
    summary: "A threshold is a percentage (0–100%) for `cpu` and `memory`, a duration for `response_time`, a number for counts; step bounds are in the alarm's unit",
    why: "CloudWatch compares a bare number with the metric: `CPUUtilization` and \
          `MemoryUtilization` are percents, `TargetResponseTime` is seconds, the load balancer's \
          counts are counts (Amazon ECS Developer Guide, \"Amazon ECS CloudWatch metrics\"; Elastic \
          Load Balancing, \"CloudWatch metrics for your Application Load Balancer\"). A threshold \
          in another unit is deployed as written and watches the wrong value: `above = 500` on \
          `response_time` waits for 500 seconds, and a utilization above 100% is rarely reached. \
          Writing the unit makes the intent checkable.",
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
  alarm busy { metric = cpu  above = 75 }
}"#,
    flagged: "75",
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
  alarm busy { metric = cpu  above = 75% }
}"#,
    check: Check::Model(check),
};

/// How a value of `unit` is written, for the help.
fn written(value: f64, unit: Unit) -> String {
    Threshold { value, unit }.to_string()
}

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    for s in &cx.model.services {
        for a in &s.alarms {
            let AlarmMetric::Service(metric) = &a.metric.value else {
                continue;
            };
            let want = metric.unit();
            let t = &a.threshold;
            if t.value.unit != want {
                let example = match want {
                    Unit::Percent => written(t.value.value.min(100.0), want),
                    Unit::Seconds => "500ms".to_string(),
                    Unit::Number => written(t.value.value, want),
                };
                out.push(
                    RULE.at(
                        t.span,
                        format!(
                            "alarm `{}` of service `{}` compares `{}` with {}; the metric is {}",
                            a.name.name,
                            s.name.name,
                            metric.word(),
                            t.value.unit.noun(),
                            want.noun()
                        ),
                    )
                    .label(format!("expected {}", want.noun()))
                    .with(a.metric.span, "the metric")
                    .help(format!(
                        "write the threshold as {}, e.g. `{example}`",
                        want.noun()
                    )),
                );
            } else if want == Unit::Percent && t.value.value > 100.0 {
                out.push(
                    RULE.at(
                        t.span,
                        format!(
                            "alarm `{}` of service `{}` has a {} threshold of {}, above 100%",
                            a.name.name,
                            s.name.name,
                            metric.word(),
                            t.value
                        ),
                    )
                    .label("a utilization is 0–100%")
                    .help("use a threshold from 0% to 100%, e.g. `above = 80%`"),
                );
            }
        }
        let Some(auto) = &s.autoscale else { continue };
        for st in &auto.steps {
            let Some(a) = s.alarm(&st.alarm.value) else {
                continue;
            };
            let want = a.threshold.value.unit;
            let bounds: [&Option<Spanned<Threshold>>; 2] = [&st.from, &st.to];
            for b in bounds.into_iter().flatten() {
                if b.value.unit == want {
                    continue;
                }
                out.push(
                    RULE.at(
                        b.span,
                        format!(
                            "this step of service `{}` is bounded by {}, but alarm `{}` has {} threshold",
                            s.name.name,
                            b.value.unit.noun(),
                            a.name.name,
                            want.noun()
                        ),
                    )
                    .label(format!("expected {}", want.noun()))
                    .with(a.threshold.span, "the alarm's threshold")
                    .help(format!(
                        "write the bound like the threshold, e.g. `{}`",
                        written(b.value.value, want)
                    )),
                );
            }
        }
    }
}
