//! E019: NAT gateways and internet-facing load balancers sit in public
//! subnets, and a subnet's NAT gateway is in its own VPC.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::*;
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "E019",
    name: "gateway-placement",
    severity: Severity::Error,
    summary: "NAT gateways and internet-facing load balancers are in public subnets; a subnet routes to a NAT gateway of its own VPC",
    why: "A public NAT gateway forwards to the internet through the route table of the subnet it \
          is in: in a subnet without a route to an internet gateway it is created and works for \
          nothing, and every private subnet routed to it loses the internet (Amazon VPC User \
          Guide, NAT gateways: \"create a public NAT gateway in a public subnet\"). An \
          internet-facing load balancer's nodes get public addresses in its subnets: in a VPC \
          without an internet gateway CreateLoadBalancer fails (\"VPC … has no internet \
          gateway\"), and in private subnets clients never reach it (Elastic Load Balancing, \
          \"Subnets for your Application Load Balancer\": public subnets for internet-facing \
          load balancers). A route to a NAT gateway of another VPC is rejected by CreateRoute \
          (\"… belong to different networks\").",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet public_a  { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
subnet private_a { vpc = main  cidr = 10.0.2.0/24  zone = "a"  nat = egress }
subnet private_b { vpc = main  cidr = 10.0.3.0/24  zone = "b" }
nat_gateway egress { subnet = private_b }"#,
    flagged: "private_b }",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet public_a  { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
subnet private_a { vpc = main  cidr = 10.0.2.0/24  zone = "a"  nat = egress }
subnet private_b { vpc = main  cidr = 10.0.3.0/24  zone = "b" }
nat_gateway egress { subnet = public_a }"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    for n in &m.nat_gateways {
        let s = n.subnet.value;
        match m.subnet_is_public(s) {
            Some(false) => out.push(
                RULE.at(
                    n.subnet.span,
                    format!(
                        "NAT gateway `{}` is in subnet `{}`, which has no route to an internet gateway",
                        n.name.name, m[s].name.name
                    ),
                )
                .label("a private subnet")
                .with(m[s].name.span, "not `public = true`")
                .help("put the NAT gateway in a public subnet (`subnet = <a subnet with public = true>`)"),
            ),
            None => out.push(
                RULE.unverified(
                    n.subnet.span,
                    format!(
                        "whether NAT gateway `{}` reaches the internet is not checked: subnet `{}` exists already",
                        n.name.name, m[s].name.name
                    ),
                )
                .label("routes not in the stack")
                .help("nothing to change if the subnet's route table sends 0.0.0.0/0 to an internet gateway"),
            ),
            Some(true) => {}
        }
    }
    for sub in &m.subnets {
        let Some(nat) = sub.nat else { continue };
        let nat_vpc = m[m[nat].subnet.value].vpc;
        if nat_vpc != sub.vpc {
            out.push(
                RULE.at(
                    sub.name.span,
                    format!(
                        "subnet `{}` of VPC `{}` routes to NAT gateway `{}` of VPC `{}`",
                        sub.name.name, m[sub.vpc].name.name, m[nat].name.name, m[nat_vpc].name.name
                    ),
                )
                .label("route to another VPC")
                .with(m[nat].name.span, "NAT gateway declared here")
                .help(format!(
                    "give VPC `{}` a NAT gateway of its own, in one of its public subnets",
                    m[sub.vpc].name.name
                )),
            );
        }
    }
    for lb in &m.load_balancers {
        if lb.internal || lb.existing.is_some() {
            continue;
        }
        let private: Vec<SubnetId> = lb
            .subnets
            .value
            .iter()
            .copied()
            .filter(|s| m.subnet_is_public(*s) == Some(false))
            .collect();
        if private.is_empty() {
            continue;
        }
        let mut d = RULE
            .at(
                lb.subnets.span,
                format!(
                    "internet-facing load balancer `{}` is in private subnet{} {}",
                    lb.name.name,
                    if private.len() == 1 { "" } else { "s" },
                    private
                        .iter()
                        .map(|s| format!("`{}`", m[*s].name.name))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
            .label("no route from the internet");
        for s in &private {
            d = d.with(m[*s].name.span, "not `public = true`");
        }
        out.push(d.help(
            "put it in public subnets (`public = true`), or make it `internal = true` if only the VPC calls it",
        ));
    }
}
