//! E029: routes that share a listener rule by weight (a canary) agree.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::*;
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "E029",
    name: "weighted-routes",
    severity: Severity::Error,
    summary: "Routes with the same listener and conditions either all have a `weight` (one rule forwards to each by weight) or none does; at most 5 share a rule",
    why: "Routes of several services with the same listener and conditions and a `weight` each \
          become one listener rule whose forward action splits requests by weight (a canary). \
          A route with the same conditions but no weight becomes a rule of its own that matches \
          exactly the same requests: one of the two is never reached, and the split is not what \
          was written. A forward action takes at most 5 target groups (Elastic Load Balancing \
          quotas: target groups per action), and the shared rule has one priority, so the routes \
          may not name different ones.",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
subnet b { vpc = main  cidr = 10.0.2.0/24  zone = "b"  public = true }
security_group sg { vpc = main  ingress tcp 80 from 0.0.0.0/0  ingress tcp 8080 from sg }
load_balancer web { subnets = [a, b]  security_groups = [sg]  listener http 80 }
cluster main { }
task api {
  cpu = 256  memory = 512
  container app { image = "public.ecr.aws/nginx/nginx:1.27"  port 8080 }
}
service api {
  cluster = main  task = api
  network { subnets = [a, b]  security_groups = [sg]  public_ip = true }
  route web:80 { path = "/api/*" }
}
service api_canary {
  cluster = main  task = api
  network { subnets = [a, b]  security_groups = [sg]  public_ip = true }
  route web:80 { path = "/api/*"  weight = 10 }
}"#,
    flagged: "web:80 { path = \"/api/*\" }",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
subnet b { vpc = main  cidr = 10.0.2.0/24  zone = "b"  public = true }
security_group sg { vpc = main  ingress tcp 80 from 0.0.0.0/0  ingress tcp 8080 from sg }
load_balancer web { subnets = [a, b]  security_groups = [sg]  listener http 80 }
cluster main { }
task api {
  cpu = 256  memory = 512
  container app { image = "public.ecr.aws/nginx/nginx:1.27"  port 8080 }
}
service api {
  cluster = main  task = api
  network { subnets = [a, b]  security_groups = [sg]  public_ip = true }
  route web:80 { path = "/api/*"  weight = 90 }
}
service api_canary {
  cluster = main  task = api
  network { subnets = [a, b]  security_groups = [sg]  public_ip = true }
  route web:80 { path = "/api/*"  weight = 10 }
}"#,
    check: Check::Model(check),
};

/// Target groups one forward action takes.
const MAX_GROUPS: usize = 5;

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    let routes: Vec<(&Service, &Route)> = m
        .services
        .iter()
        .flat_map(|s| s.routes.iter().map(move |r| (s, r)))
        .collect();
    // Routes by listener and conditions; each route is compared with the
    // first of its group.
    let mut groups: std::collections::HashMap<(ListenerRef, String), (&Service, &Route)> =
        std::collections::HashMap::new();
    for &(t, o) in &routes {
        let Some(&(s, r)) = groups.get(&(o.listener, o.conditions.key())) else {
            groups.insert((o.listener, o.conditions.key()), (t, o));
            continue;
        };
        let unweighted = match (&r.weight, &o.weight) {
            (Some(w), None) => Some((w, s, (t, o))),
            (None, Some(w)) => Some((w, t, (s, r))),
            (Some(_), Some(_)) => {
                if let (Some(a), Some(b)) = (&r.priority, &o.priority) {
                    if a.value != b.value {
                        out.push(
                            RULE.at(b.span, format!("routes that share a rule by weight share its priority: {} and {}", a.value, b.value))
                                .label("another priority")
                                .with(a.span, "the rule's priority")
                                .help(format!("write `priority = {}` on both, or on one", a.value)),
                        );
                    }
                }
                None
            }
            (None, None) => None,
        };
        if let Some((weight, weighted, (other, route))) = unweighted {
            out.push(
                RULE.at(
                    route.target_span,
                    format!(
                        "this route of service `{}` has no `weight`, but service `{}` routes the same requests with one",
                        other.name.name, weighted.name.name
                    ),
                )
                .label("no weight")
                .with(weight.span, "weighted route")
                .help("add `weight = N` to this route too: the two share one rule and requests split by weight"),
            );
        }
    }
    for rule in &m.listener_rules {
        let RuleAction::Forward(to) = &rule.action else {
            continue;
        };
        if to.len() > MAX_GROUPS {
            let mut d = RULE
                .at(
                    rule.span,
                    format!(
                        "{} routes share this rule by weight; a rule forwards to at most {MAX_GROUPS} target groups",
                        to.len()
                    ),
                )
                .label("first of the routes");
            for (tg, _) in to.iter().skip(1) {
                d = d.with(m.target_groups[tg.0].span, "shares the rule");
            }
            out.push(d.help("give some of the routes other conditions (a header, a path), or fewer services a weight"));
        }
    }
}
