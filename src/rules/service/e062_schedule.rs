//! E062: a schedule expression EventBridge accepts.

use crate::diagnostic::{Diagnostics, Severity};
use crate::rules::{Context, Rule};
use crate::source::Spanned;

pub const RULE: Rule = Rule {
    code: "E062",
    name: "schedule",
    severity: Severity::Error,
    summary: "A schedule's rate is at least one minute and its cron has six fields (schedules and a service's scaling schedules)",
    why: "EventBridge schedules run at most once a minute: `rate(...)` takes a positive whole \
          number of minutes, hours or days. Its cron has six fields — minutes, hours, \
          day-of-month, month, day-of-week, year — not Unix cron's five, and one of \
          day-of-month and day-of-week must be `?`. PutRule fails with \"Parameter \
          ScheduleExpression is not valid\" otherwise (API-EVT PutRule; schema Events::Rule).",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
security_group sg { vpc = main }
cluster main { }
task report {
  cpu = 256  memory = 512
  container app { image = "busybox:1.36" }
}
schedule nightly {
  cluster = main
  task    = report
  cron    = "0 3 * * *"
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
}"#,
    flagged: "\"0 3 * * *\"",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
security_group sg { vpc = main }
cluster main { }
task report {
  cpu = 256  memory = 512
  container app { image = "busybox:1.36" }
}
schedule nightly {
  cluster = main
  task    = report
  cron    = "0 3 * * ? *"
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
}"#,
    check,
};

/// A six-field version of a Unix (five-field) cron, when the conversion is
/// safe (no day-of-week numbers, which EventBridge counts from 1 = Sunday).
fn from_unix(fields: &[&str]) -> Option<String> {
    let [min, hour, dom, month, dow] = fields else {
        return None;
    };
    let (dom, dow) = match (*dom, *dow) {
        (d, "*") => (d, "?"),
        ("*", w) if !w.chars().any(|c| c.is_ascii_digit()) => ("?", w),
        _ => return None,
    };
    Some(format!("{min} {hour} {dom} {month} {dow} *"))
}

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    for s in &cx.model.schedules {
        let what = format!("schedule `{}`", s.name.name);
        expression(&what, "EventBridge", "UTC", &s.expression, out);
    }
    for s in &cx.model.services {
        for sc in &s.scale {
            let what = format!("scaling schedule `{}`", sc.name.name);
            let zone = sc.timezone.as_ref().map_or("UTC", |t| t.value.as_str());
            expression(&what, "Application Auto Scaling", zone, &sc.expression, out);
            if let Some(at) = sc
                .expression
                .value
                .strip_prefix("at(")
                .and_then(|r| r.strip_suffix(')'))
            {
                if !is_timestamp(at) {
                    out.push(
                        RULE.at(
                            sc.expression.span,
                            format!("the time of {what} is not `yyyy-mm-ddThh:mm:ss`"),
                        )
                        .label("not a timestamp")
                        .help("write the date and time like `at = \"2026-12-24T18:00:00\"`"),
                    );
                }
            }
        }
    }
}

/// `yyyy-mm-ddThh:mm:ss`, as `at(...)` takes it.
fn is_timestamp(s: &str) -> bool {
    let shape = "dddd-dd-ddTdd:dd:dd";
    s.len() == shape.len()
        && s.chars().zip(shape.chars()).all(|(c, want)| match want {
            'd' => c.is_ascii_digit(),
            other => c == other,
        })
}

/// A `rate(...)` or `cron(...)` of `what`, read by `service` in `zone`.
fn expression(what: &str, service: &str, zone: &str, e: &Spanned<String>, out: &mut Diagnostics) {
    if let Some(inner) = e
        .value
        .strip_prefix("rate(")
        .and_then(|r| r.strip_suffix(')'))
    {
        if inner.split_whitespace().next() == Some("0") {
            out.push(
                RULE.at(e.span, format!("{what} has a rate of zero"))
                    .label("never runs")
                    .help("set a rate of at least one minute, e.g. `rate = 5m`"),
            );
        }
        return;
    }
    let Some(cron) = e
        .value
        .strip_prefix("cron(")
        .and_then(|r| r.strip_suffix(')'))
    else {
        return;
    };
    let fields: Vec<&str> = cron.split_whitespace().collect();
    if fields.len() != 6 {
        let help = match from_unix(&fields) {
            Some(fixed) => format!(
                "this looks like a Unix cron; in {service} form it is `cron = \"{fixed}\"` (minutes hours day-of-month month day-of-week year, {zone})"
            ),
            None => format!("write six fields: minutes hours day-of-month month day-of-week year, e.g. `cron = \"0 3 * * ? *\"` ({zone})"),
        };
        out.push(
            RULE.at(
                e.span,
                format!(
                    "the cron expression of {what} has {} field{}; {service} cron has 6",
                    fields.len(),
                    if fields.len() == 1 { "" } else { "s" }
                ),
            )
            .label("not an EventBridge cron")
            .help(help),
        );
        return;
    }
    if fields[2] != "?" && fields[4] != "?" {
        let fixed = if fields[4] == "*" {
            format!(
                "{} {} {} {} ? {}",
                fields[0], fields[1], fields[2], fields[3], fields[5]
            )
        } else {
            format!(
                "{} {} ? {} {} {}",
                fields[0], fields[1], fields[3], fields[4], fields[5]
            )
        };
        out.push(
            RULE.at(
                e.span,
                format!(
                    "the cron expression of {what} sets both day-of-month (`{}`) and day-of-week (`{}`)",
                    fields[2], fields[4]
                ),
            )
            .label("one of them must be `?`")
            .help(format!("write `?` in one of them: `cron = \"{fixed}\"`")),
        );
    }
}
