//! E079: the steps on one alarm cover the breach without overlaps or
//! gaps.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::{Alarm, Step, Threshold, Unit};
use crate::rules::{Check, Context, Rule};
use crate::source::Span;

pub const RULE: Rule = Rule {
    code: "E079",
    name: "step-adjustments",
    severity: Severity::Error,
    summary: "The `step` blocks on one alarm lie past its threshold, neither overlap nor leave a gap, the outermost is unbounded, and they share one cooldown",
    why: "The steps on one alarm become one step scaling policy, with bounds relative to the \
          alarm's threshold. PutScalingPolicy rejects step adjustments whose ranges overlap or \
          leave a gap, and requires a step with no upper bound when any has a positive one (no \
          lower bound when any has a negative one) (Application Auto Scaling API Reference, \
          StepAdjustment; User Guide, \"Step scaling policies\"). A step on the wrong side of \
          the threshold never applies: the alarm only fires past it. The policy has one \
          `Cooldown`, so different cooldowns on its steps cannot all hold.",
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
  alarm backlog {
    namespace = "AWS/SQS"  metric_name = "ApproximateNumberOfMessagesVisible"
    dimensions = { QueueName = "jobs" }
    above = 100
  }
  autoscale {
    min = 1  max = 10
    step { alarm = backlog  add = 1  to = 500 }
    step { alarm = backlog  add = 3  from = 600 }
  }
}"#,
    flagged: "600",
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
  alarm backlog {
    namespace = "AWS/SQS"  metric_name = "ApproximateNumberOfMessagesVisible"
    dimensions = { QueueName = "jobs" }
    above = 100
  }
  autoscale {
    min = 1  max = 10
    step { alarm = backlog  add = 1  to = 500 }
    step { alarm = backlog  add = 3  from = 500 }
  }
}"#,
    check: Check::Model(check),
};

/// A step's range in metric values (`None`: unbounded), where its bounds
/// are written (else the step).
struct Range<'a> {
    step: &'a Step,
    lo: Option<f64>,
    hi: Option<f64>,
    lo_span: Span,
    hi_span: Span,
}

fn range<'a>(a: &Alarm, step: &'a Step) -> Range<'a> {
    let t = a.threshold.value.value;
    let upward = a.comparison.upward();
    Range {
        step,
        lo: step
            .from
            .as_ref()
            .map(|f| f.value.value)
            .or(upward.then_some(t)),
        hi: step
            .to
            .as_ref()
            .map(|f| f.value.value)
            .or((!upward).then_some(t)),
        lo_span: step.from.as_ref().map_or(step.span, |f| f.span),
        hi_span: step.to.as_ref().map_or(step.span, |f| f.span),
    }
}

/// A metric value in the alarm's unit (`10%`), or `unbounded`.
fn show(v: Option<f64>, unit: Unit) -> String {
    v.map_or("unbounded".into(), |value| {
        Threshold { value, unit }.to_string()
    })
}

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    for s in &cx.model.services {
        let Some(auto) = &s.autoscale else { continue };
        let mut seen: Vec<&str> = Vec::new();
        for first in &auto.steps {
            let name = first.alarm.value.as_str();
            if seen.contains(&name) {
                continue;
            }
            seen.push(name);
            // E075 reports steps on an alarm the service does not have.
            let Some(a) = s.alarm(name) else { continue };
            // The steps on one alarm are one policy, with one cooldown.
            let cooldowns: Vec<&crate::source::Spanned<u64>> = auto
                .steps
                .iter()
                .filter(|st| st.alarm.value == name)
                .filter_map(|st| st.cooldown.as_ref())
                .collect();
            if let Some(other) = cooldowns.iter().find(|c| c.value != cooldowns[0].value) {
                out.push(
                    RULE.at(
                        other.span,
                        format!(
                            "the steps on alarm `{name}` are one scaling policy with one cooldown, but they name {} s and {} s",
                            cooldowns[0].value, other.value
                        ),
                    )
                    .label("another cooldown")
                    .with(cooldowns[0].span, "the policy's cooldown")
                    .help(format!(
                        "write the same `cooldown` on every step of alarm `{name}`, or on one of them"
                    )),
                );
            }
            let t = a.threshold.value.value;
            let unit = a.threshold.value.unit;
            let show = |v: Option<f64>| show(v, unit);
            let upward = a.comparison.upward();
            let mut ranges: Vec<Range<'_>> = auto
                .steps
                .iter()
                .filter(|st| st.alarm.value == name)
                .map(|st| range(a, st))
                .collect();
            let mut bad = false;
            for r in &ranges {
                let wrong_side = match upward {
                    true => r.lo.is_some_and(|lo| lo < t),
                    false => r.hi.is_some_and(|hi| hi > t),
                };
                if wrong_side {
                    let (span, key, side) = if upward {
                        (r.lo_span, "from", "below")
                    } else {
                        (r.hi_span, "to", "above")
                    };
                    out.push(
                        RULE.at(span, format!(
                            "this step of service `{}` starts {side} the threshold of alarm `{name}` ({}), where the alarm does not fire",
                            s.name.name, a.threshold.value
                        ))
                        .label("never applies here")
                        .with(a.threshold.span, "the threshold")
                        .help(format!("set `{key} = {}` or leave `{key}` out: the step then starts at the threshold", a.threshold.value)),
                    );
                    bad = true;
                } else if let (Some(lo), Some(hi)) = (r.lo, r.hi) {
                    if lo >= hi {
                        out.push(
                            RULE.at(r.hi_span, format!(
                                "this step of service `{}` on alarm `{name}` runs from {} to {}, which holds no value",
                                s.name.name, show(Some(lo)), show(Some(hi))
                            ))
                            .label("`to` must be above `from`")
                            .help("swap `from` and `to`, or remove one of them"),
                        );
                        bad = true;
                    }
                }
            }
            if bad {
                continue;
            }
            ranges.sort_by(|x, y| {
                let key = |r: &Range<'_>| r.lo.unwrap_or(f64::NEG_INFINITY);
                key(x).total_cmp(&key(y))
            });
            for pair in ranges.windows(2) {
                let (prev, next) = (&pair[0], &pair[1]);
                match (prev.hi, next.lo) {
                    (Some(hi), Some(lo)) if lo > hi => out.push(
                        RULE.at(next.lo_span, format!(
                            "the steps of service `{}` on alarm `{name}` leave values from {} to {} to no step",
                            s.name.name, show(Some(hi)), show(Some(lo))
                        ))
                        .label("a gap before this step")
                        .with(prev.hi_span, format!("the step below ends at {}", show(Some(hi))))
                        .help(format!("start this step where the one below ends: `from = {}`", show(Some(hi)))),
                    ),
                    (Some(hi), Some(lo)) if lo == hi => {}
                    _ => out.push(
                        RULE.at(next.lo_span, format!(
                            "two steps of service `{}` on alarm `{name}` overlap (one ends at {}, the next starts at {})",
                            s.name.name, show(prev.hi), show(next.lo)
                        ))
                        .label("overlaps the step below")
                        .with(prev.step.span, "the step below")
                        .help(match prev.hi {
                            Some(hi) => format!("start this step where the one below ends: `from = {}`", show(Some(hi))),
                            None => format!("end the step below where this one starts: `to = {}`", show(next.lo)),
                        }),
                    ),
                }
            }
            // The outermost step reaches to infinity.
            let (outer, open) = match upward {
                true => (ranges.last(), ranges.last().is_some_and(|r| r.hi.is_none())),
                false => (
                    ranges.first(),
                    ranges.first().is_some_and(|r| r.lo.is_none()),
                ),
            };
            if let (Some(r), false) = (outer, open) {
                let (span, key) = if upward {
                    (r.hi_span, "to")
                } else {
                    (r.lo_span, "from")
                };
                out.push(
                    RULE.at(span, format!(
                        "the steps of service `{}` on alarm `{name}` stop at {}: no step applies beyond it",
                        s.name.name, show(if upward { r.hi } else { r.lo })
                    ))
                    .label("the outermost step is bounded")
                    .help(format!("remove `{key}` from this step, or add a step from there on")),
                );
            }
        }
    }
}
