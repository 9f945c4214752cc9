//! E024: listeners, routes, health checks and settings suit the load
//! balancer's type (application or network).

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::*;
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "E024",
    name: "load-balancer-type",
    severity: Severity::Error,
    summary: "Listeners, routes, health checks and settings suit the load balancer's type: HTTP(S) on application, TCP/UDP/TLS on network load balancers",
    why: "An Application Load Balancer takes HTTP and HTTPS listeners, a Network Load Balancer \
          TCP, UDP, TCP_UDP and TLS ones; CreateListener rejects the others (\"Listener protocol \
          'TCP' must be one of 'HTTPS, HTTP'\"). A network load balancer's listener has no rules, \
          redirects or fixed responses: its one action forwards to a target group, so it takes \
          exactly one route, without conditions, priority or weight, and a listener without a \
          route has nothing to forward to. Its target groups carry the listener's protocol, so \
          the container port must speak it (a UDP listener to a TCP port never answers). Health \
          checks of network target groups are TCP, HTTP or HTTPS (a path and a matcher only with \
          HTTP or HTTPS); application target groups are checked over HTTP or HTTPS only. \
          `idle_timeout` and `drop_invalid_headers` are application load balancer attributes, \
          `cross_zone` a network load balancer one, and stickiness of a network target group \
          follows the client's address, without a duration or cookie (Elastic Load Balancing, \
          load balancer and target group attributes).",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
security_group sg { vpc = main  ingress tcp 5432 from 10.0.0.0/16 }
load_balancer db { type = network  internal = true  subnets = [a]  listener http 5432 }
cluster main { }
task pg {
  cpu = 256  memory = 512
  container pg { image = "public.ecr.aws/docker/library/postgres:16"  port 5432 }
}
service pg {
  cluster = main  task = pg
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
  route db:5432 { }
}"#,
    flagged: "http",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
security_group sg { vpc = main  ingress tcp 5432 from 10.0.0.0/16 }
load_balancer db { type = network  internal = true  subnets = [a]  listener tcp 5432 }
cluster main { }
task pg {
  cpu = 256  memory = 512
  container pg { image = "public.ecr.aws/docker/library/postgres:16"  port 5432 }
}
service pg {
  cluster = main  task = pg
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
  route db:5432 { }
}"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    for (i, lb) in m.load_balancers.iter().enumerate() {
        settings(lb, out);
        for index in 0..lb.listeners.len() {
            listener(m, ListenerRef { lb: LbId(i), index }, out);
        }
    }
    for s in &m.services {
        for r in &s.routes {
            route(m, s, r, out);
        }
    }
}

fn kind(lb: &LoadBalancer) -> &'static str {
    if lb.is_network() {
        "network"
    } else {
        "application"
    }
}

fn settings(lb: &LoadBalancer, out: &mut Diagnostics) {
    let name = &lb.name.name;
    let mut wrong = |key: &str, span, other: &str| {
        out.push(
            RULE.at(
                span,
                format!("`{key}` is not a setting of {} load balancers", kind(lb)),
            )
            .label(format!("only {other} load balancers have it"))
            .with(
                lb.lb_type.span,
                format!(
                    "`{name}` is {} {} load balancer",
                    article(kind(lb)),
                    kind(lb)
                ),
            )
            .help(format!("remove `{key}`")),
        );
    };
    if lb.is_network() {
        if let Some(d) = &lb.drop_invalid_headers {
            wrong("drop_invalid_headers", d.span, "application");
        }
        if let Some(i) = &lb.idle_timeout {
            wrong("idle_timeout", i.span, "application");
        }
    } else if let Some(c) = &lb.cross_zone {
        wrong("cross_zone", c.span, "network");
    }
}

fn listener(m: &Model, at: ListenerRef, out: &mut Diagnostics) {
    let lb = &m.load_balancers[at.lb.0];
    let l = &m[at];
    let proto = l.protocol.value;
    let port = l.port.value;
    if proto.is_network() != lb.is_network() {
        let (fit, example) = if lb.is_network() {
            ("tcp, udp, tcp_udp or tls", "tcp")
        } else {
            ("http or https", "https")
        };
        out.push(
            RULE.at(
                l.protocol.span,
                format!(
                    "{} {} load balancer `{}` cannot have {} {} listener",
                    article(kind(lb)),
                    kind(lb),
                    lb.name.name,
                    article(proto.word()),
                    proto.word()
                ),
            )
            .label(format!("its listeners are {fit}"))
            .with(lb.lb_type.span, "the load balancer's type")
            .help(if lb.is_network() {
                format!("make it `listener {example} {port}` (TLS ends at the listener with `tls`), or put HTTP on an application load balancer")
            } else {
                format!("make it `listener {example} {port}`, or declare a `type = network` load balancer for TCP, UDP or TLS")
            }),
        );
        return;
    }
    if !lb.is_network() || l.existing.is_some() {
        return;
    }
    if let Some(span) = l.default_span {
        out.push(
            RULE.at(span, "a network load balancer's listener only forwards")
                .label("no redirects or fixed responses on TCP, UDP or TLS")
                .help("remove it: the listener forwards to the service whose route names it"),
        );
    }
    for rule in &l.rules {
        out.push(
            RULE.at(
                rule.name.span,
                "a network load balancer's listener has no rules",
            )
            .label("listener rules are HTTP")
            .help("remove the rule, or move it to an application load balancer"),
        );
    }
    let routed = m
        .services
        .iter()
        .flat_map(|s| &s.routes)
        .any(|r| r.listener == at);
    if !routed && l.default_span.is_none() {
        out.push(
            RULE.at(
                l.port.span,
                format!("listener `{}:{port}` forwards nowhere: no service routes from it", lb.name.name),
            )
            .label("no route")
            .help(format!("add `route {}:{port}` to the service that receives this traffic, or remove the listener", lb.name.name)),
        );
    }
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'u']) {
        "an"
    } else {
        "a"
    }
}

fn route(m: &Model, s: &Service, r: &Route, out: &mut Diagnostics) {
    let lb = &m.load_balancers[r.listener.lb.0];
    let l = &m[r.listener];
    let h = &r.health;
    if let (false, Some(p)) = (lb.is_network(), &h.protocol) {
        if p.value == HealthProtocol::Tcp {
            out.push(
                RULE.at(
                    p.span,
                    "an application load balancer checks targets over HTTP or HTTPS",
                )
                .label("TCP checks are for network load balancers")
                .help("use `protocol = http` (the default), or `https`"),
            );
        }
    }
    if !lb.is_network() {
        return;
    }
    let http_check = h
        .protocol
        .as_ref()
        .is_some_and(|p| p.value != HealthProtocol::Tcp);
    if !http_check {
        let mut wrong = |key: &str, span| {
            out.push(
                RULE.at(span, format!("a TCP health check has no `{key}`"))
                    .label("HTTP only")
                    .help(format!(
                        "add `protocol = http` to the health check, or remove `{key}`"
                    )),
            );
        };
        if h.path_written {
            wrong("path", h.path.span);
        }
        if let Some(matcher) = &h.matcher {
            wrong("matcher", matcher.span);
        }
    }
    let c = &r.conditions;
    let mut spans = c.spans();
    spans.extend(r.priority.as_ref().map(|p| p.span));
    spans.extend(r.weight.as_ref().map(|w| w.span));
    if let Some(first) = spans.first() {
        let mut d = RULE
            .at(
                *first,
                format!(
                    "routes from network load balancer `{}` have no conditions, priority or weight",
                    lb.name.name
                ),
            )
            .label("HTTP routing");
        for other in spans.iter().skip(1) {
            d = d.with(*other, "also");
        }
        out.push(d.help("remove them: a network listener forwards all its traffic to one service"));
    }
    if let Some(sticky) = &r.sticky {
        let extra = sticky
            .duration
            .as_ref()
            .map(|d| d.span)
            .or(sticky.cookie.as_ref().map(|c| c.span));
        if let Some(span) = extra {
            out.push(
                RULE.at(
                    span,
                    "stickiness on a network load balancer follows the client's address",
                )
                .label("no cookie or duration")
                .with(sticky.span, "sticky")
                .help("write `sticky { }` alone"),
            );
        }
    }
    // The container port speaks the listener's protocol.
    let Some((container, port)) = r.target() else {
        return;
    };
    let Some(task) = m.tasks.get(s.placement.task.value.0) else {
        return;
    };
    let Some(c) = task.containers.get(container) else {
        return;
    };
    let mappings: Vec<&PortMapping> = c
        .ports
        .iter()
        .filter(|p| p.container_port.value == port)
        .collect();
    if mappings.is_empty() {
        return;
    }
    let has = |proto: Protocol| mappings.iter().any(|p| p.protocol.value == proto);
    for need in l.protocol.value.ip_protocols() {
        if !has(*need) {
            let word = if *need == Protocol::Udp { "udp" } else { "tcp" };
            out.push(
                RULE.at(
                    r.target_span,
                    format!(
                        "listener `{}:{}` sends {} to port {port} of container `{}`, which has no {word} port {port}",
                        lb.name.name,
                        l.port.value,
                        l.protocol.value.as_str(),
                        c.name.name
                    ),
                )
                .label(format!("{} traffic", l.protocol.value.as_str()))
                .with(mappings[0].span, "the container's port")
                .help(format!("add `port {port}/{word}` to the container")),
            );
        }
    }
}
