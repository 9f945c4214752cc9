//! E062: a schedule expression EventBridge accepts.

use crate::diagnostic::{Diagnostics, Severity};
use crate::rules::{Check, Context, Rule};
use crate::source::Spanned;

pub const RULE: Rule = Rule {
    code: "E062",
    name: "schedule",
    severity: Severity::Error,
    summary: "A schedule's rate is at least one minute and its cron has six valid fields, one of day-of-month and day-of-week `?` (schedules and a service's scaling schedules)",
    why: "EventBridge schedules run at most once a minute: `rate(...)` takes a positive whole \
          number of minutes, hours or days. Its cron has six fields — minutes, hours, \
          day-of-month, month, day-of-week, year — not Unix cron's five, and one of \
          day-of-month and day-of-week must be `?`. Each field has its range: minutes 0–59, \
          hours 0–23, day-of-month 1–31 (with `L` and `W`), month 1–12 or JAN–DEC, \
          day-of-week 1–7 (1 is Sunday) or SUN–SAT (with `L` and `#`), year 1970–2199; \
          lists (`,`), ranges (`-`) and steps (`/`) combine them. PutRule fails with \
          \"Parameter ScheduleExpression is not valid\" otherwise (EventBridge User Guide, \
          \"Schedule expressions for rules\"; API-EVT PutRule; schema Events::Rule), and \
          PutScheduledAction likewise for a service's `scale` cron or an `at` time that is not \
          a real date (Application Auto Scaling API, ScheduledAction.Schedule).",
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
    check: Check::Model(check),
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
                            format!(
                                "the time of {what} is not a date and time `yyyy-mm-ddThh:mm:ss`"
                            ),
                        )
                        .label("not a timestamp")
                        .help("write the date and time like `at = \"2026-12-24T18:00:00\"`"),
                    );
                }
            }
        }
    }
}

/// `yyyy-mm-ddThh:mm:ss`, as `at(...)` takes it, with each part in range.
fn is_timestamp(s: &str) -> bool {
    let shape = "dddd-dd-ddTdd:dd:dd";
    let shaped = s.len() == shape.len()
        && s.chars().zip(shape.chars()).all(|(c, want)| match want {
            'd' => c.is_ascii_digit(),
            other => c == other,
        });
    let part = |from: usize, to: usize| s.get(from..to).and_then(|p| p.parse::<u32>().ok());
    shaped
        && [
            (5, 7, 1, 12),
            (8, 10, 1, 31),
            (11, 13, 0, 23),
            (14, 16, 0, 59),
            (17, 19, 0, 59),
        ]
        .iter()
        .all(|&(from, to, min, max)| part(from, to).is_some_and(|n| (min..=max).contains(&n)))
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
    for (i, field) in fields.iter().enumerate() {
        let f = &FIELDS[i];
        if let Err(problem) = cron_field(f, field) {
            out.push(
                RULE.at(
                    e.span,
                    format!(
                        "the {} field `{field}` of {what}'s cron expression {problem}",
                        f.name
                    ),
                )
                .label(format!("{} field invalid", f.name))
                .help(format!(
                    "write the {} as {} (lists with `,`, ranges with `-`, steps with `/`{})",
                    f.name, f.allowed, f.extra
                )),
            );
            return;
        }
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

/// One field of a six-field cron, as EventBridge and Application Auto
/// Scaling read it.
struct Field {
    name: &'static str,
    min: u32,
    max: u32,
    /// Names that stand for numbers (`JAN` = 1, `SUN` = 1).
    names: &'static [&'static str],
    /// `?` (day-of-month and day-of-week)
    question: bool,
    /// `L`, `W` (day-of-month) or `L`, `#` (day-of-week).
    special: Special,
    allowed: &'static str,
    extra: &'static str,
}

#[derive(PartialEq)]
enum Special {
    None,
    DayOfMonth,
    DayOfWeek,
}

const MONTHS: &[&str] = &[
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];
const DAYS: &[&str] = &["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

const FIELDS: [Field; 6] = [
    Field {
        name: "minutes",
        min: 0,
        max: 59,
        names: &[],
        question: false,
        special: Special::None,
        allowed: "0–59 or `*`",
        extra: "",
    },
    Field {
        name: "hours",
        min: 0,
        max: 23,
        names: &[],
        question: false,
        special: Special::None,
        allowed: "0–23 or `*`",
        extra: "",
    },
    Field {
        name: "day-of-month",
        min: 1,
        max: 31,
        names: &[],
        question: true,
        special: Special::DayOfMonth,
        allowed: "1–31, `*` or `?`",
        extra: "; `L` is the last day, `15W` the weekday nearest the 15th",
    },
    Field {
        name: "month",
        min: 1,
        max: 12,
        names: MONTHS,
        question: false,
        special: Special::None,
        allowed: "1–12, JAN–DEC or `*`",
        extra: "",
    },
    Field {
        name: "day-of-week",
        min: 1,
        max: 7,
        names: DAYS,
        question: true,
        special: Special::DayOfWeek,
        allowed: "1–7 (1 is Sunday), SUN–SAT, `*` or `?`",
        extra: "; `6L` is the month's last Friday, `2#1` its first Monday",
    },
    Field {
        name: "year",
        min: 1970,
        max: 2199,
        names: &[],
        question: false,
        special: Special::None,
        allowed: "1970–2199 or `*`",
        extra: "",
    },
];

/// Why `text` is not a valid `f` field, if it is not.
fn cron_field(f: &Field, text: &str) -> Result<(), String> {
    if text == "?" {
        return if f.question {
            Ok(())
        } else {
            Err("cannot be `?` (only day-of-month and day-of-week can)".into())
        };
    }
    for item in text.split(',') {
        cron_item(f, item)?;
    }
    Ok(())
}

fn cron_item(f: &Field, item: &str) -> Result<(), String> {
    if item.is_empty() {
        return Err("has an empty list item".into());
    }
    match f.special {
        Special::DayOfMonth => {
            if item == "L" || item == "LW" {
                return Ok(());
            }
            // `L-3`: three days before the last (Quartz's offset, which
            // EventBridge Scheduler documents too).
            if let Some(offset) = item.strip_prefix("L-") {
                return match offset.parse::<u32>() {
                    Ok(1..=30) => Ok(()),
                    _ => Err(format!(
                        "has `L-{offset}`; the offset from the last day is 1–30"
                    )),
                };
            }
            if let Some(day) = item.strip_suffix('W') {
                return cron_value(f, day).map(|_| ());
            }
        }
        Special::DayOfWeek => {
            if item == "L" {
                return Ok(());
            }
            if let Some(day) = item.strip_suffix('L') {
                return cron_value(f, day).map(|_| ());
            }
            if let Some((day, nth)) = item.split_once('#') {
                cron_value(f, day)?;
                return match nth.parse::<u32>() {
                    Ok(1..=5) => Ok(()),
                    _ => Err(format!("has `#{nth}`; the week of the month is 1–5")),
                };
            }
        }
        Special::None => {}
    }
    let (base, step) = match item.split_once('/') {
        Some((b, s)) => (b, Some(s)),
        None => (item, None),
    };
    if let Some(step) = step {
        match step.parse::<u32>() {
            Ok(n) if n >= 1 => {}
            _ => {
                return Err(format!(
                    "has the step `/{step}`; a step is a positive whole number"
                ))
            }
        }
    }
    if base == "*" {
        return Ok(());
    }
    match base.split_once('-') {
        Some((from, to)) => {
            cron_value(f, from)?;
            cron_value(f, to)?;
        }
        None => {
            cron_value(f, base)?;
        }
    }
    Ok(())
}

/// A number or name of field `f`, in its range.
fn cron_value(f: &Field, text: &str) -> Result<u32, String> {
    if let Some(i) = f.names.iter().position(|n| n.eq_ignore_ascii_case(text)) {
        return u32::try_from(i + 1).map_err(|_| String::new());
    }
    match text.parse::<u32>() {
        Ok(n) if (f.min..=f.max).contains(&n) => Ok(n),
        Ok(n) => Err(format!("has {n}, outside {}–{}", f.min, f.max)),
        Err(_) if text.is_empty() => Err("has a range or step with a side missing".into()),
        Err(_) => Err(format!("has `{text}`, which is not a {} value", f.name)),
    }
}
