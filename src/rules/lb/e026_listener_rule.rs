//! E026: listener rules ELB accepts — unique priorities, few and
//! well-formed conditions, and one catch-all route per listener (a route
//! without `path` or `host` is the listener's default action, which
//! `derive` sets from the first one only when the listener has none).

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::*;
use crate::rules::{Check, Context, Rule};
use crate::source::{Span, Spanned};
use std::collections::HashMap;

pub const RULE: Rule = Rule {
    code: "E026",
    name: "listener-rule",
    severity: Severity::Error,
    summary: "Listener rules have unique priorities, at most 5 condition values, well-formed conditions and redirects; one route may catch all",
    why: "Each route with a `path` or `host` becomes a listener rule. CreateRule fails with \
          PriorityInUse when two rules of a listener share a priority, and with a ValidationError \
          when a rule has more than 5 condition values (paths and hosts together) or more than 5 \
          wildcards, when a path pattern or host is longer than 128 characters, when a path does \
          not start with `/`, or when a host has no `.`. A route with neither becomes the \
          listener's default action, so a listener takes one such route, and none when it sets \
          its own default (`redirect`, `fixed_response`), or that exists already. Rules added \
          to an existing listener share its priorities with other stacks' rules, which are not \
          known offline: `ecsc check` notes that check as not made. A listener rule's redirect \
          must change the protocol, host, port or path, and HTTPS is never redirected to HTTP \
          (RedirectActionConfig).",
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
  route web:80 { path = "/api/*"  priority = 10 }
}
service admin {
  cluster = main  task = api
  network { subnets = [a, b]  security_groups = [sg]  public_ip = true }
  route web:80 { path = "/admin/*"  priority = 20 }
}"#,
    check: Check::Model(check),
};

const MAX_VALUES: usize = 5;
const MAX_WILDCARDS: usize = 5;
const MAX_LEN: usize = 128;

/// A listener rule as written: a service's route or a listener's own rule.
struct Written<'m> {
    listener: ListenerRef,
    priority: Option<&'m Spanned<u32>>,
    conditions: &'m Conditions,
    /// The route's `lb:port`, or the rule's name.
    span: Span,
    who: String,
}

fn written(m: &Model) -> Vec<Written<'_>> {
    let routes = m.services.iter().flat_map(|s| {
        s.routes.iter().map(move |r| Written {
            listener: r.listener,
            priority: r.priority.as_ref(),
            conditions: &r.conditions,
            span: r.target_span,
            who: format!("a route of service `{}`", s.name.name),
        })
    });
    let own = m.load_balancers.iter().enumerate().flat_map(|(b, lb)| {
        lb.listeners.iter().enumerate().flat_map(move |(index, l)| {
            l.rules.iter().map(move |o| Written {
                listener: ListenerRef { lb: LbId(b), index },
                priority: o.priority.as_ref(),
                conditions: &o.conditions,
                span: o.name.span,
                who: format!("rule `{}`", o.name.name),
            })
        })
    });
    routes.chain(own).collect()
}

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    let mut taken: HashMap<(ListenerRef, u32), (Span, String)> = HashMap::new();
    // Weighted routes with the same conditions share one rule, and may
    // repeat its priority.
    let weighted = |w: &Written<'_>| {
        m.services
            .iter()
            .flat_map(|s| &s.routes)
            .any(|r| r.target_span == w.span && r.weight.is_some())
    };
    for w in written(m) {
        if let Some(p) = w.priority {
            match taken.get(&(w.listener, p.value)) {
                Some((other, other_who)) if !weighted(&w) => {
                    let lb = &m.load_balancers[w.listener.lb.0];
                    out.push(
                        RULE.at(
                            p.span,
                            format!(
                                "priority {} is already used on listener `{}:{}`",
                                p.value, lb.name.name, m[w.listener].port.value
                            ),
                        )
                        .label("duplicate priority")
                        .with(*other, format!("used by {other_who}"))
                        .help("give each rule of a listener its own priority (1–50000, lower is evaluated first), or leave `priority` out and ecsc assigns one"),
                    );
                }
                Some(_) => {}
                None => {
                    taken.insert((w.listener, p.value), (p.span, w.who.clone()));
                }
            }
        }
        conditions(w.conditions, w.span, out);
    }
    catch_all(m, out);
    shared_listeners(m, out);
    for lb in &m.load_balancers {
        for l in &lb.listeners {
            for rule in &l.rules {
                if let OwnAction::Redirect(r) = &rule.action {
                    redirect(r, l, out);
                }
            }
        }
    }
}

/// A redirect ELB accepts: it changes the URL, and never goes from HTTPS
/// down to HTTP. (The shapes of its parts are lowering's: E008.)
fn redirect(r: &Redirect, l: &Listener, out: &mut Diagnostics) {
    if r.protocol.is_none() && r.host.is_none() && r.port.is_none() && r.path.is_none() {
        out.push(
            RULE.at(r.span, "this redirect sends requests to the URL they came from")
                .label("a redirect loop")
                .help("change the protocol, host, port or path: e.g. `host = \"www.example.com\"` or `path = \"/new\"`"),
        );
    }
    if let Some(p) = r.protocol.as_ref().filter(|p| p.value == "HTTP") {
        if l.protocol.value == ListenerProtocol::Https {
            out.push(
                RULE.at(p.span, "an HTTPS listener cannot redirect to HTTP")
                    .label("a downgrade")
                    .with(l.protocol.span, "an HTTPS listener")
                    .help("remove `protocol` (the request's HTTPS is kept), or write `protocol = https`"),
            );
        }
    }
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
        if !r.conditions.is_empty() {
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
        } else if let (Some(other), None) = (first.get(&r.listener), &r.weight) {
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

fn conditions(c: &Conditions, at: Span, out: &mut Diagnostics) {
    let lists = [
        (&c.paths, "path"),
        (&c.hosts, "host"),
        (&c.methods, "method"),
        (&c.source_ips, "source address"),
    ];
    let values = c.paths().len()
        + c.hosts().len()
        + c.methods().len()
        + c.source_ips().len()
        + c.headers.len()
        + c.query.len();
    let spans = c.spans();
    let main = spans.first().copied().unwrap_or(at);
    if values > MAX_VALUES {
        let counted: Vec<String> = lists
            .iter()
            .filter_map(|(l, what)| l.as_ref().map(|l| (l.value.len(), what)))
            .map(|(n, what)| format!("{n} {what}{}", plural(n)))
            .chain(
                (!c.headers.is_empty())
                    .then(|| format!("{} header{}", c.headers.len(), plural(c.headers.len()))),
            )
            .chain(
                (!c.query.is_empty())
                    .then(|| format!("{} query value{}", c.query.len(), plural(c.query.len()))),
            )
            .collect();
        let mut d = RULE
            .at(main, format!("a listener rule takes at most {MAX_VALUES} condition values, this one has {values}"))
            .label(counted.join(", "));
        for other in spans.iter().skip(1) {
            d = d.with(*other, "counts too");
        }
        out.push(d.help("split it in two rules to the same place, or use a wildcard (`/api/*`) to cover several paths"));
    }
    let wildcard_count = |v: &str| v.chars().filter(|c| matches!(c, '*' | '?')).count();
    let wildcards: usize = c
        .paths()
        .iter()
        .chain(c.hosts())
        .map(|v| wildcard_count(v))
        .chain(c.headers.iter().map(|(_, v)| wildcard_count(&v.value)))
        .chain(
            c.query
                .iter()
                .map(|(k, v)| wildcard_count(&k.value) + wildcard_count(&v.value)),
        )
        .sum();
    if wildcards > MAX_WILDCARDS {
        out.push(
            RULE.at(main, format!("a listener rule takes at most {MAX_WILDCARDS} wildcards (`*`, `?`), this one has {wildcards}"))
                .label("too many wildcards")
                .help("use fewer wildcards, or split the rule in two"),
        );
    }
    for (list, what) in [(&c.paths, "path"), (&c.hosts, "host")] {
        let Some(list) = list else { continue };
        for v in &list.value {
            let n = v.chars().count();
            if n > MAX_LEN {
                out.push(
                    RULE.at(list.span, format!("a {what} condition is at most {MAX_LEN} characters, one of these has {n}"))
                        .label("too long")
                        .help(format!("shorten the {what}; a wildcard (`*`) can stand for the rest")),
                );
            }
        }
    }
    if let Some(paths) = &c.paths {
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
    }
    if let Some(hosts) = &c.hosts {
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
    if let Some(methods) = &c.methods {
        for v in &methods.value {
            let valid = !v.is_empty()
                && v.len() <= 40
                && v.chars()
                    .all(|c| c.is_ascii_uppercase() || c == '-' || c == '_');
            if !valid {
                out.push(
                    RULE.at(methods.span, format!("`{v}` is not a request method ELB matches: A–Z, `-` and `_`, at most 40 characters"))
                        .label("not a method")
                        .help(format!("write it in capitals, e.g. \"{}\"", v.to_ascii_uppercase())),
                );
            }
        }
    }
    if let Some(ips) = &c.source_ips {
        for v in &ips.value {
            if !is_cidr(v) {
                out.push(
                    RULE.at(ips.span, format!("`{v}` is not an address range"))
                        .label("not a CIDR block")
                        .help("write a CIDR block: \"10.0.0.0/8\", or \"203.0.113.7/32\" for one address"),
                );
            }
        }
    }
    for (name, value) in &c.headers {
        if name.value.len() > 40 {
            out.push(
                RULE.at(
                    name.span,
                    format!(
                        "a header name is at most 40 characters, `{}` has {}",
                        name.value,
                        name.value.len()
                    ),
                )
                .label("too long")
                .help("match a shorter header name"),
            );
        }
        if value.value.chars().count() > MAX_LEN {
            out.push(
                RULE.at(
                    value.span,
                    format!("a header value is at most {MAX_LEN} characters"),
                )
                .label("too long")
                .help("shorten it; a wildcard (`*`) can stand for the rest"),
            );
        }
    }
    for (key, value) in &c.query {
        for v in [key, value] {
            if v.value.chars().count() > MAX_LEN {
                out.push(
                    RULE.at(
                        v.span,
                        format!("a query key or value is at most {MAX_LEN} characters"),
                    )
                    .label("too long")
                    .help("shorten it; a wildcard (`*`) can stand for the rest"),
                );
            }
        }
    }
}

/// `10.0.0.0/8`, `2001:db8::/32`.
fn is_cidr(v: &str) -> bool {
    let Some((addr, prefix)) = v.split_once('/') else {
        return false;
    };
    let Ok(prefix) = prefix.parse::<u8>() else {
        return false;
    };
    match addr.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(_)) => prefix <= 32,
        Ok(std::net::IpAddr::V6(_)) => prefix <= 128,
        Err(_) => false,
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
