//! W011: an internet-facing load balancer admits its listeners from more
//! than security groups.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::*;
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "W011",
    name: "listener-only-from-groups",
    severity: Severity::Warning,
    summary: "An internet-facing load balancer admits each listener from a CIDR block or prefix list, not only from security groups",
    why: "A rule whose source is a security group admits traffic by the private IP addresses of \
          the network interfaces in that group, not their public or Elastic IP addresses (Amazon \
          EC2 User Guide, security group rules; Amazon VPC, security group referencing). \
          Clients of an internet-facing load balancer connect to its public addresses: from the \
          internet, and from inside the VPC through a NAT or internet gateway, so they arrive \
          with public addresses that no group reference matches. A listener admitted only from \
          groups is reached by no one.",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet public_a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
subnet public_b { vpc = main  cidr = 10.0.2.0/24  zone = "b"  public = true }
security_group office_sg { vpc = main }
security_group alb_sg { vpc = main  ingress tcp 80 from office_sg }
load_balancer web { subnets = [public_a, public_b]  security_groups = [alb_sg]  listener http 80 }"#,
    flagged: "http 80",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet public_a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
subnet public_b { vpc = main  cidr = 10.0.2.0/24  zone = "b"  public = true }
security_group office_sg { vpc = main }
security_group alb_sg { vpc = main  ingress tcp 80 from office_sg }
load_balancer web { subnets = [public_a, public_b]  security_groups = [alb_sg]  internal = true  listener http 80 }"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    for lb in &m.load_balancers {
        // An existing load balancer's scheme is its owner's, not stated.
        if lb.internal || lb.existing.is_some() {
            continue;
        }
        let groups = &lb.security_groups.value;
        let rules: Vec<&SgRule> = groups.iter().flat_map(|g| m[*g].ingress.iter()).collect();
        for l in lb.listeners.iter().filter(|l| l.existing.is_none()) {
            let port = l.port.value;
            for p in l.protocol.value.ip_protocols() {
                let admitting: Vec<&&SgRule> =
                    rules.iter().filter(|r| r.allows(*p, port, port)).collect();
                // None at all is E012's; an existing group may admit more.
                if admitting.is_empty()
                    || groups.iter().any(|g| m[*g].existing.is_some())
                    || !admitting
                        .iter()
                        .all(|r| matches!(r.peer.value, Peer::Group(_)))
                {
                    continue;
                }
                let mut d = RULE
                    .at(
                        l.protocol.span.to(l.port.span),
                        format!(
                            "internet clients cannot reach listener `{}:{port}`: its security groups admit {} {port} only from security groups",
                            lb.name.name,
                            p.ip_protocol()
                        ),
                    )
                    .label("internet-facing: clients arrive with public addresses");
                for r in admitting.iter().take(3) {
                    d = d.with(r.peer.span, "matches private addresses of this group only");
                }
                out.push(d.help(format!(
                    "admit the clients' addresses (`ingress {} {port} from 0.0.0.0/0`), or make the load balancer `internal = true`",
                    p.ip_protocol()
                )));
                break;
            }
        }
    }
}
