//! E020: an ALB needs subnets in at least two zones, one subnet per zone.

use crate::diagnostic::{Diagnostics, Severity};
use crate::rules::{Check, Context, Rule};
use std::collections::HashMap;

pub const RULE: Rule = Rule {
    code: "E020",
    name: "alb-zones",
    severity: Severity::Error,
    summary: "A load balancer has subnets in at least two availability zones, at most one per zone",
    why: "CreateLoadBalancer rejects an application load balancer with \"At least two subnets in \
          two different Availability Zones must be specified\", and one with two subnets in the \
          same zone with \"cannot be attached to multiple subnets in the same Availability Zone\". \
          A network load balancer may have one subnet, but never two in one zone.",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet public_a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
security_group web_sg { vpc = main  ingress tcp 80 from 0.0.0.0/0 }
load_balancer web {
  subnets = [public_a]  security_groups = [web_sg]
  listener http 80
}"#,
    flagged: "[public_a]",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet public_a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
subnet public_b { vpc = main  cidr = 10.0.2.0/24  zone = "b"  public = true }
security_group web_sg { vpc = main  ingress tcp 80 from 0.0.0.0/0 }
load_balancer web {
  subnets = [public_a, public_b]  security_groups = [web_sg]
  listener http 80
}"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    for lb in &m.load_balancers {
        // An existing load balancer that states no subnets was placed by
        // its owners (and AWS held it to two zones then).
        if lb.existing.is_some() && lb.subnets.value.is_empty() {
            continue;
        }
        // An existing subnet's zone is not known offline: zones are compared
        // among the subnets that name one, and the two-zone minimum is only
        // judged when every subnet does.
        let mut by_zone: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut unknown = false;
        for s in &lb.subnets.value {
            match &m[*s].zone {
                Some(z) => by_zone.entry(&z.value).or_default().push(s.0),
                None => unknown = true,
            }
        }
        if unknown {
            out.push(
                RULE.unverified(
                    lb.subnets.span,
                    format!(
                        "whether load balancer `{}` spans two zones is not checked: some of its subnets state no `zone`",
                        lb.name.name
                    ),
                )
                .label("zones not checked")
                .help("state `zone` on the existing subnets (`zone = \"a\"`) to have it checked"),
            );
        }
        let mut zones: Vec<(&str, Vec<usize>)> = by_zone.into_iter().collect();
        zones.sort();
        for (zone, subnets) in &zones {
            if subnets.len() > 1 {
                let mut d = RULE
                    .at(
                        lb.subnets.span,
                        format!(
                            "load balancer `{}` has {} subnets in {zone}",
                            lb.name.name,
                            subnets.len()
                        ),
                    )
                    .label("two subnets in one zone");
                for s in subnets {
                    let Some(z) = &m.subnets[*s].zone else {
                        continue;
                    };
                    d = d.with(
                        z.span,
                        format!("`{}` is in {zone}", m.subnets[*s].name.name),
                    );
                }
                out.push(d.help("keep one subnet per availability zone"));
            }
        }
        // An existing load balancer spans two zones (AWS held it to that);
        // the subnets it states may be only some of its own.
        // A network load balancer may live in one zone.
        if zones.len() < 2 && !unknown && lb.existing.is_none() && !lb.is_network() {
            let mut d = RULE
                .at(
                    lb.subnets.span,
                    format!(
                        "load balancer `{}` must span at least two availability zones, it has {}",
                        lb.name.name,
                        zones.len()
                    ),
                )
                .label("subnets in fewer than two zones");
            for (zone, subnets) in &zones {
                if let Some(z) = &m.subnets[subnets[0]].zone {
                    d = d.with(z.span, format!("in {zone}"));
                }
            }
            out.push(d.help("add a subnet in another zone, e.g. `subnet public_b { ... zone = \"b\"  public = true }`"));
        }
    }
}
