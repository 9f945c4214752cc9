//! E026: listener rules ELB accepts — unique priorities, few and
//! well-formed conditions, and one catch-all route per listener (a route
//! without `path` or `host` is the listener's default action, which
//! `derive` sets from the first one only when the listener has none).

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::*;
use crate::rules::{Context, Rule};
use crate::source::Span;
use std::collections::HashMap;

pub const RULE: Rule = Rule {
    code: "E026",
    name: "listener-rule",
    severity: Severity::Error,
    summary: "Routes on a listener have unique priorities, at most 5 conditions, and well-formed paths and hosts; one route may catch all",
    why: "Each route with a `path` or `host` becomes a listener rule. CreateRule fails with \
          PriorityInUse when two rules of a listener share a priority, and with a ValidationError \
          when a rule has more than 5 condition values (paths and hosts together) or more than 5 \
          wildcards, when a path pattern or host is longer than 128 characters, when a path does \
          not start with `/`, or when a host has no `.`. A route with neither becomes the \
          listener's default action, so a listener takes one such route, and none when it sets \
          its own default (`redirect`, `fixed_response`), or that exists already. Rules added \
          to an existing listener share its priorities with other stacks' rules, which are not \
          known offline: `ecsc check` notes that check as not made.",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
subnet b { vpc = main  cidr = 10.0.2.0/24  zone = "b"  public = true }
security_group sg { vpc = main }
load_balancer web { subnets = [a, b]  security_groups = [sg]  listener http 80 }
cluster main { }
task api {
  cpu = 256  memory = 512
  container app { image = "nginx:1.27"  port 8080 }
}
service api {
  cluster = main  task = api
  network { subnets = [a, b]  security_groups = [sg]  public_ip = true }
  route web:80 { path = "/api/*"  priority = 10 }
}
service admin {
  cluster = main  task = api
  network { subnets = [a, b]  security_groups = [sg]  public_ip = true }
  route web:80 { priority = 10  path = "/admin/*" }
}"#,
    flagged: "10  path",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
subnet b { vpc = main  cidr = 10.0.2.0/24  zone = "b"  public = true }
security_group sg { vpc = main }
load_balancer web { subnets = [a, b]  security_groups = [sg]  listener http 80 }
cluster main { }
task api {
  cpu = 256  memory = 512
  container app { image = "nginx:1.27"  port 8080 }
}
service api {
  cluster = main  task = api
  network { subnets = [a, b]  security_groups = [sg]  public_ip = true }
  route web:80 { path = "/api/*"  priority = 10 }
}
service admin {
  cluster = main  task = api
  network { subnets = [a, b]  security_groups = [sg]  public_ip = true }
  route web:80 { path = "/admin/*"  priority = 20 }
}"#,
    check,
};

const MAX_VALUES: usize = 5;
const MAX_WILDCARDS: usize = 5;
const MAX_LEN: usize = 128;

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    let mut taken: HashMap<(ListenerRef, u32), (Span, &str)> = HashMap::new();
    for s in &m.services {
        for r in &s.routes {
            if let Some(p) = &r.priority {
                match taken.get(&(r.listener, p.value)) {
                    Some((other, other_service)) => {
                        let lb = &m.load_balancers[r.listener.lb.0];
                        out.push(
                            RULE.at(
                                p.span,
                                format!(
                                    "priority {} is already used on listener `{}:{}`",
                                    p.value, lb.name.name, m[r.listener].port.value
                                ),
                            )
                            .label("duplicate priority")
                            .with(*other, format!("used by a route of service `{other_service}`"))
                            .help("give each route of a listener its own priority (1–50000, lower is evaluated first), or leave `priority` out and ecsc assigns one"),
                        );
                    }
                    None => {
                        taken.insert((r.listener, p.value), (p.span, s.name.name.as_str()));
                    }
                }
            }
            conditions(r, out);
        }
    }
    catch_all(m, out);
    shared_listeners(m, out);
}

/// Rules added to an existing listener share it with rules of other
/// stacks, whose priorities are not known offline.
fn shared_listeners(m: &Model, out: &mut Diagnostics) {
    let mut seen: Vec<ListenerRef> = Vec::new();
    for rule in &m.listener_rules {
        let l = &m[rule.listener];
        if l.existing.is_none() || seen.contains(&rule.listener) {
            continue;
        }
        seen.push(rule.listener);
        let lb = &m.load_balancers[rule.listener.lb.0];
        out.push(
            RULE.unverified(
                l.port.span,
                format!(
                    "whether the priorities of this stack's rules on listener `{}:{}` are free is not checked: the listener exists already",
                    lb.name.name, l.port.value
                ),
            )
            .label("rules of other stacks unknown")
            .help("nothing to change if no other rule of the listener uses them; `aws elbv2 describe-rules` lists those in use, and `priority = N` on a route picks one"),
        );
    }
}

/// Routes without conditions: one per listener, and none on a listener
/// with its own default action.
fn catch_all(m: &Model, out: &mut Diagnostics) {
    let mut first: HashMap<ListenerRef, Span> = HashMap::new();
    for r in m.services.iter().flat_map(|s| &s.routes) {
        if !(r.paths.value.is_empty() && r.hosts.value.is_empty()) {
            continue;
        }
        let listener = &m[r.listener];
        if listener.existing.is_some() {
            let lb = &m.load_balancers[r.listener.lb.0];
            out.push(
                RULE.at(
                    r.target_span,
                    format!(
                        "this route has no `path` or `host`, so it would replace the default action of listener `{}:{}`, which exists already",
                        lb.name.name, listener.port.value
                    ),
                )
                .label("route without conditions")
                .with(listener.port.span, "an existing listener keeps its default action")
                .help("add `path = \"/...\"` or `host = \"...\"` to the route: it becomes a rule of the listener"),
            );
        } else if let Some(span) = listener.default_span {
            out.push(
                RULE.at(
                    r.target_span,
                    "this route has no `path` or `host`, so it would replace the listener's default action",
                )
                .label("route without conditions")
                .with(span, "the listener's default action is set here")
                .help("add `path = \"/...\"` or `host = \"...\"` to the route, or remove the listener's default action"),
            );
        } else if let Some(other) = first.get(&r.listener) {
            out.push(
                RULE.at(r.target_span, "two routes without `path` or `host` on one listener")
                    .label("second catch-all route")
                    .with(*other, "first catch-all route")
                    .help("a listener forwards everything else to one place: give one of the routes a `path` or `host`"),
            );
        } else {
            first.insert(r.listener, r.target_span);
        }
    }
}

fn conditions(r: &Route, out: &mut Diagnostics) {
    let (paths, hosts) = (&r.paths, &r.hosts);
    let values = paths.value.len() + hosts.value.len();
    // The list the problem is in: paths if there are any, else hosts.
    let main = if paths.value.is_empty() {
        hosts.span
    } else {
        paths.span
    };
    if values > MAX_VALUES {
        let mut d = RULE
            .at(main, format!("a listener rule takes at most {MAX_VALUES} condition values, this route has {values}"))
            .label(format!("{} path{} and {} host{}", paths.value.len(), plural(paths.value.len()), hosts.value.len(), plural(hosts.value.len())));
        if !paths.value.is_empty() && !hosts.value.is_empty() {
            d = d.with(hosts.span, "hosts count too");
        }
        out.push(d.help("split the route in two routes to the same container, or use a wildcard (`/api/*`) to cover several paths"));
    }
    let wildcards: usize = paths
        .value
        .iter()
        .chain(&hosts.value)
        .map(|v| v.chars().filter(|c| matches!(c, '*' | '?')).count())
        .sum();
    if wildcards > MAX_WILDCARDS {
        out.push(
            RULE.at(main, format!("a listener rule takes at most {MAX_WILDCARDS} wildcards (`*`, `?`), this route has {wildcards}"))
                .label("too many wildcards")
                .help("use fewer wildcards, or split the route in two"),
        );
    }
    for (list, what) in [(paths, "path"), (hosts, "host")] {
        for v in &list.value {
            let n = v.chars().count();
            if n > MAX_LEN {
                out.push(
                    RULE.at(list.span, format!("a {what} condition is at most {MAX_LEN} characters, one of this route's has {n}"))
                        .label("too long")
                        .help(format!("shorten the {what}; a wildcard (`*`) can stand for the rest")),
                );
            }
        }
    }
    for p in &paths.value {
        if !p.starts_with('/') {
            out.push(
                RULE.at(
                    paths.span,
                    format!("the path pattern `{p}` does not start with `/`"),
                )
                .label("paths start with `/`")
                .help(format!("write \"/{p}\"")),
            );
        }
    }
    for h in &hosts.value {
        if !h.contains('.') {
            out.push(
                RULE.at(hosts.span, format!("the host `{h}` has no `.`; a host condition is a domain name"))
                    .label("not a domain name")
                    .help(format!("write the full name clients use, e.g. \"{h}.example.com\", or `*.example.com` for every subdomain")),
            );
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
