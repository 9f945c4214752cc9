//! E012: a load balancer's security groups admit each of its listeners.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::*;
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "E012",
    name: "listener-ingress",
    severity: Severity::Error,
    summary: "A load balancer's security groups admit each new listener's port and protocol; a new application load balancer states its groups",
    why: "A load balancer's security groups decide what reaches its listeners: \"the security \
          groups associated with the load balancer [must] allow traffic on the new port\" whenever \
          a listener is added (Elastic Load Balancing, Security groups for your Application Load \
          Balancer; the same holds for a Network Load Balancer created with security groups). \
          HTTP, HTTPS, TCP and TLS listeners need a TCP rule for their port, UDP listeners a UDP \
          one, TCP_UDP listeners both. Without one the stack deploys, but every connection to \
          the listener times out. The clients may be anywhere (a CIDR block, a prefix list, a \
          security group); only a port nothing admits is certain. Network load balancers without \
          security groups let all client traffic in; the rules of an existing group are not in \
          the stack, so a listener they may admit gets a note. An application load balancer \
          created without security groups gets its VPC's default group, which admits only its \
          own members (Amazon VPC User Guide, default security groups): no client reaches it. In \
          a VPC that exists already the default group may have been changed, so that is a note.",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet public_a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
subnet public_b { vpc = main  cidr = 10.0.2.0/24  zone = "b"  public = true }
security_group alb_sg { vpc = main  ingress tcp 80 from 0.0.0.0/0 }
load_balancer web {
  subnets = [public_a, public_b]  security_groups = [alb_sg]
  listener http 80 { redirect = https }
  listener https 443 { certificate = "arn:aws:acm:eu-west-1:123456789012:certificate/0f3a1c2e-1111-2222-3333-444455556666" }
}"#,
    flagged: "https 443",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet public_a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
subnet public_b { vpc = main  cidr = 10.0.2.0/24  zone = "b"  public = true }
security_group alb_sg { vpc = main  ingress tcp 80 from 0.0.0.0/0  ingress tcp 443 from 0.0.0.0/0 }
load_balancer web {
  subnets = [public_a, public_b]  security_groups = [alb_sg]
  listener http 80 { redirect = https }
  listener https 443 { certificate = "arn:aws:acm:eu-west-1:123456789012:certificate/0f3a1c2e-1111-2222-3333-444455556666" }
}"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    for lb in &m.load_balancers {
        let groups = &lb.security_groups.value;
        if groups.is_empty() {
            default_group(m, lb, out);
            continue;
        }
        let rules: Vec<(&SecurityGroup, &SgRule)> = groups
            .iter()
            .map(|g| &m[*g])
            .flat_map(|g| g.ingress.iter().map(move |r| (g, r)))
            .collect();
        let existing = groups.iter().find(|g| m[**g].existing.is_some());
        for l in lb.listeners.iter().filter(|l| l.existing.is_none()) {
            let port = l.port.value;
            let missing: Vec<Protocol> = l
                .protocol
                .value
                .ip_protocols()
                .iter()
                .copied()
                .filter(|p| !rules.iter().any(|(_, r)| r.allows(*p, port, port)))
                .collect();
            if missing.is_empty() {
                continue;
            }
            let span = l.protocol.span.to(l.port.span);
            let what = missing
                .iter()
                .map(|p| format!("{} {port}", p.ip_protocol()))
                .collect::<Vec<_>>()
                .join(" and ");
            let name = format!("`{}:{port}`", lb.name.name);
            if let Some(g) = existing {
                out.push(
                    RULE.unverified(
                        span,
                        format!(
                            "whether clients reach listener {name} on {what} is not checked: security group `{}` exists already",
                            m[*g].name.name
                        ),
                    )
                    .label("not checked")
                    .with(m[*g].name.span, "its own rules are not in the stack")
                    .help(format!(
                        "nothing to change if the group admits {what} from the clients"
                    )),
                );
                continue;
            }
            let clients = if lb.internal {
                m.lb_vpc(lb)
                    .and_then(|v| m[v].cidr.as_ref())
                    .map_or("0.0.0.0/0".to_string(), |c| c.value.to_string())
            } else {
                "0.0.0.0/0".to_string()
            };
            let names = m.group_names(groups);
            let mut d = RULE
                .at(
                    span,
                    format!(
                        "clients cannot reach listener {name}: no security group of load balancer `{}` admits {what}",
                        lb.name.name
                    ),
                )
                .label(format!(
                    "1. clients ({}) connect on {what}",
                    if lb.internal { "in the VPC" } else { "on the internet" }
                ))
                .with(
                    lb.security_groups.span,
                    format!("2. missing hop: no rule of {names} admits {what}"),
                );
            for (g, r) in rules.iter().take(3) {
                d = d.with(
                    r.span,
                    format!("`{}` admits {}", g.name.name, r.description(m, false)),
                );
            }
            let fix = missing
                .iter()
                .map(|p| format!("`ingress {} {port} from {clients}`", p.ip_protocol()))
                .collect::<Vec<_>>()
                .join(" and ");
            out.push(d.help(format!(
                "add {fix} to security group `{}`",
                m[groups[0]].name.name
            )));
        }
    }
}

/// A new application load balancer without security groups gets its VPC's
/// default group, which admits only its own members: no client reaches a
/// listener. (A network load balancer without groups admits everything.)
fn default_group(m: &Model, lb: &LoadBalancer, out: &mut Diagnostics) {
    let new_listeners = lb.listeners.iter().any(|l| l.existing.is_none());
    if lb.existing.is_some() || lb.is_network() || !new_listeners {
        return;
    }
    let Some(vpc) = m.lb_vpc(lb) else { return };
    // One rule per listener, so that following the help admits them all.
    let example = lb
        .listeners
        .iter()
        .filter(|l| l.existing.is_none())
        .map(|l| format!("ingress tcp {} from 0.0.0.0/0", l.port.value))
        .collect::<Vec<_>>()
        .join("  ");
    let help = format!(
        "add `security_groups = [{0}_sg]` and declare `security_group {0}_sg {{ vpc = {1}  {example} }}`",
        lb.name.name, m[vpc].name.name
    );
    if m[vpc].existing.is_some() {
        out.push(
            RULE.unverified(
                lb.name.span,
                format!(
                    "whether clients reach load balancer `{}` is not checked: it gets the default security group of VPC `{}`, which exists already",
                    lb.name.name, m[vpc].name.name
                ),
            )
            .label("no security_groups")
            .help(format!("nothing to change if that group admits the listeners' ports; else {help}")),
        );
        return;
    }
    out.push(
        RULE.at(
            lb.name.span,
            format!(
                "load balancer `{}` has no security groups: AWS gives it VPC `{}`'s default group, which admits only its own members, so no client reaches its listeners",
                lb.name.name, m[vpc].name.name
            ),
        )
        .label("no security_groups")
        .help(help),
    );
}
