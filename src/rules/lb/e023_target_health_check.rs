//! E023: a route's target group health check is within the limits ELB
//! accepts.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::HealthCheck;
use crate::rules::{Check, Context, Rule};
use crate::source::Spanned;

pub const RULE: Rule = Rule {
    code: "E023",
    name: "target-health-check",
    severity: Severity::Error,
    summary: "A target group health check has an interval of 5–300 s, a shorter timeout of 2–120 s, thresholds of 2–10, a valid path and matcher",
    why: "CreateTargetGroup accepts a health check interval of 5–300 seconds and a timeout of \
          2–120 seconds that is strictly less than the interval (\"Health check interval must be \
          greater than the timeout\"); for HTTP target groups of type ip or instance the defaults \
          are a 30 s interval and a 5 s timeout. Healthy and unhealthy thresholds are 2–10, the \
          path 1–1024 characters starting with `/`, and the matcher HTTP codes 200–499 (`200`, \
          `200,204` or `200-299`), or gRPC codes 0–99 for a gRPC port. cfn-lint does not compare the timeout with the interval.",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
subnet b { vpc = main  cidr = 10.0.2.0/24  zone = "b"  public = true }
security_group sg { vpc = main  ingress tcp 80 from 0.0.0.0/0  ingress tcp 8080 from sg }
load_balancer web { subnets = [a, b]  security_groups = [sg]  listener http 80 }
cluster main { }
task api {
  cpu = 256  memory = 512
  container app { image = "nginx:1.27"  port 8080 }
}
service api {
  cluster = main  task = api
  network { subnets = [a, b]  security_groups = [sg]  public_ip = true }
  route web:80 {
    path = "/api/*"
    health { path = "/health"  interval = 10s  timeout = 10s }
  }
}"#,
    flagged: "10s }",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
subnet b { vpc = main  cidr = 10.0.2.0/24  zone = "b"  public = true }
security_group sg { vpc = main  ingress tcp 80 from 0.0.0.0/0  ingress tcp 8080 from sg }
load_balancer web { subnets = [a, b]  security_groups = [sg]  listener http 80 }
cluster main { }
task api {
  cpu = 256  memory = 512
  container app { image = "nginx:1.27"  port 8080 }
}
service api {
  cluster = main  task = api
  network { subnets = [a, b]  security_groups = [sg]  public_ip = true }
  route web:80 {
    path = "/api/*"
    health { path = "/health"  interval = 10s  timeout = 5s }
  }
}"#,
    check: Check::Model(check),
};

/// ELB's defaults for HTTP target groups of type ip or instance.
const DEFAULT_INTERVAL: u64 = 30;
const DEFAULT_TIMEOUT: u64 = 5;

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    for s in &m.services {
        for r in &s.routes {
            // gRPC targets answer with gRPC status codes.
            let grpc = r
                .target_group
                .and_then(|t| m.target_groups.get(t.0))
                .and_then(|t| t.protocol_version.as_ref())
                .is_some_and(|v| v.value == "GRPC");
            health(&r.health, grpc, out);
        }
    }
}

fn health(h: &HealthCheck, grpc: bool, out: &mut Diagnostics) {
    let mut in_range =
        |v: &Option<Spanned<u64>>, what: &str, lo: u64, hi: u64, unit: &str| -> bool {
            let Some(v) = v else { return true };
            if (lo..=hi).contains(&v.value) {
                return true;
            }
            out.push(
                RULE.at(
                    v.span,
                    format!(
                        "a health check {what} must be {lo}–{hi}{unit}, this one is {}{unit}",
                        v.value
                    ),
                )
                .label(if v.value < lo { "too low" } else { "too high" })
                .help(format!("set it between {lo} and {hi}{unit}")),
            );
            false
        };
    let interval_ok = in_range(&h.interval, "interval", 5, 300, " s");
    let timeout_ok = in_range(&h.timeout, "timeout", 2, 120, " s");
    in_range(&h.healthy, "healthy threshold", 2, 10, "");
    in_range(&h.unhealthy, "unhealthy threshold", 2, 10, "");
    if interval_ok && timeout_ok {
        let interval = h.interval.as_ref().map_or(DEFAULT_INTERVAL, |v| v.value);
        let timeout = h.timeout.as_ref().map_or(DEFAULT_TIMEOUT, |v| v.value);
        if timeout >= interval {
            let d = match (&h.interval, &h.timeout) {
                (Some(i), Some(t)) => RULE
                    .at(t.span, format!("the health check timeout ({timeout} s) must be shorter than its interval ({interval} s)"))
                    .label("not shorter than the interval")
                    .with(i.span, format!("interval {interval} s")),
                (Some(i), None) => RULE
                    .at(
                        i.span,
                        format!("a health check interval of {interval} s is not longer than the default timeout of {DEFAULT_TIMEOUT} s"),
                    )
                    .label(format!("the timeout defaults to {DEFAULT_TIMEOUT} s")),
                (None, Some(t)) => RULE
                    .at(
                        t.span,
                        format!("the health check timeout ({timeout} s) must be shorter than the default interval of {DEFAULT_INTERVAL} s"),
                    )
                    .label(format!("the interval defaults to {DEFAULT_INTERVAL} s")),
                (None, None) => return,
            };
            let fix = if interval > 2 {
                format!(
                    "set `timeout` to {} s or less, or make `interval` longer than {timeout} s",
                    interval - 1
                )
            } else {
                format!("make `interval` longer than {timeout} s")
            };
            out.push(d.help(fix));
        }
    }
    let path = &h.path;
    let n = path.value.chars().count();
    if !path.value.starts_with('/') || n > 1024 {
        let (message, help) = if n > 1024 {
            (
                format!("a health check path is at most 1024 characters, this one has {n}"),
                "use a shorter path".to_string(),
            )
        } else {
            (
                format!(
                    "a health check path starts with `/`, and `{}` does not",
                    path.value
                ),
                format!(
                    "write the path from the root: \"/{}\"",
                    path.value.trim_start_matches('/')
                ),
            )
        };
        out.push(
            RULE.at(path.span, message)
                .label("not a valid health check path")
                .help(help),
        );
    }
    if let Some(m) = &h.matcher {
        let (codes, lo, hi, example) = match grpc {
            true => (
                "gRPC",
                0,
                99,
                "\"0\"), a list (\"0,12\") or a range (\"0-99\")",
            ),
            false => (
                "HTTP",
                200,
                499,
                "\"200\"), a list (\"200,204\") or a range (\"200-299\")",
            ),
        };
        if let Some(bad) = matcher_problem(&m.value, codes, lo, hi) {
            out.push(
                RULE.at(
                    m.span,
                    format!("the health check matcher `{}` is not valid: {bad}", m.value),
                )
                .label(format!("not valid {codes} codes"))
                .help(format!(
                    "give {codes} codes from {lo} to {hi}: one ({example}"
                )),
            );
        }
    }
}

/// Why a matcher is invalid, if it is.
fn matcher_problem(matcher: &str, codes: &str, lo: u32, hi: u32) -> Option<String> {
    let code = |s: &str| -> Result<u32, String> {
        let s = s.trim();
        match s.parse::<u32>() {
            Ok(c) if (lo..=hi).contains(&c) => Ok(c),
            Ok(c) => Err(format!("{c} is outside {lo}–{hi}")),
            Err(_) if s.is_empty() => Err("a code is missing".to_string()),
            Err(_) => Err(format!("`{s}` is not a {codes} status code")),
        }
    };
    if let Some((lo, hi)) = matcher.split_once('-') {
        let (lo, hi) = match (code(lo), code(hi)) {
            (Ok(lo), Ok(hi)) => (lo, hi),
            (Err(e), _) | (_, Err(e)) => return Some(e),
        };
        return (lo > hi).then(|| format!("the range {lo}-{hi} runs backwards"));
    }
    matcher.split(',').find_map(|c| code(c).err())
}
