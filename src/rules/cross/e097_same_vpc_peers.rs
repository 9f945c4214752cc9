//! E097: a security group rule names peer groups and prefix lists of its
//! own VPC.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::*;
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "E097",
    name: "same-vpc-peers",
    severity: Severity::Error,
    summary: "A security group rule's peer group or endpoint prefix list is in the group's own VPC",
    why: "A rule that names another security group matches traffic from that group's network \
          interfaces, which AWS resolves only inside one VPC (or across a peering connection, \
          which ecsc does not declare): AuthorizeSecurityGroupIngress fails with \"You have \
          specified two resources that belong to different networks\" (Amazon VPC User Guide, \
          security group rules: \"the referenced security group must be in the same VPC or a \
          peered VPC\"). A VPC this stack creates has no peering yet when its groups are created; \
          two VPCs that both exist may be peered, which is noted, not judged. A gateway endpoint's prefix list is the same in every VPC of a Region, \
          but the endpoint that makes traffic to it stay private is attached to one VPC's route \
          tables: a rule to another VPC's endpoint grants a path its tasks do not take.",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
vpc legacy { cidr = 10.1.0.0/16 }
security_group app { vpc = main }
security_group db { vpc = legacy  ingress tcp 5432 from app }"#,
    flagged: "app }",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
security_group app { vpc = main }
security_group db { vpc = main  ingress tcp 5432 from app }"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    for g in &m.security_groups {
        let vpc = g.vpc.value;
        let rules = g
            .ingress
            .iter()
            .map(|r| (r, "from"))
            .chain(g.egress.iter().map(|r| (r, "to")));
        for (r, dir) in rules {
            let (peer_vpc, peer_name, peer_span, noun) = match &r.peer.value {
                Peer::Group(p) => (
                    m[*p].vpc.value,
                    &m[*p].name,
                    m[*p].name.span,
                    "a security group",
                ),
                Peer::PrefixList(e) => {
                    (m[*e].vpc.value, &m[*e].name, m[*e].vpc.span, "an endpoint")
                }
                Peer::Cidr(_) => continue,
            };
            if peer_vpc == vpc {
                continue;
            }
            // Two VPCs that exist already may be peered (not declared here):
            // a group of a peered VPC in the same Region may be referenced.
            if m[vpc].existing.is_some() && m[peer_vpc].existing.is_some() {
                out.push(
                    RULE.unverified(
                        r.peer.span,
                        format!(
                            "whether VPCs `{}` and `{}` are peered is not checked: both exist already",
                            m[vpc].name.name, m[peer_vpc].name.name
                        ),
                    )
                    .label(format!("{noun} of another VPC"))
                    .help("nothing to change if the VPCs are peered in this Region"),
                );
                continue;
            }
            out.push(
                RULE.at(
                    r.peer.span,
                    format!(
                        "security group `{}` of VPC `{}` allows traffic {dir} {} `{}` of VPC `{}`",
                        g.name.name,
                        m[vpc].name.name,
                        noun.split_once(' ').map_or(noun, |(_, n)| n),
                        peer_name.name,
                        m[peer_vpc].name.name
                    ),
                )
                .label(format!("{noun} of another VPC"))
                .with(g.vpc.span, format!("`{}` is in VPC `{}`", g.name.name, m[vpc].name.name))
                .with(peer_span, format!("`{}` is in VPC `{}`", peer_name.name, m[peer_vpc].name.name))
                .help(match &m[peer_vpc].cidr {
                    Some(c) => format!(
                        "name {noun} of VPC `{}`, or the other VPC's address range (`{dir} {}`) if the VPCs are peered",
                        m[vpc].name.name,
                        c.value.canonical()
                    ),
                    None => format!(
                        "name {noun} of VPC `{}`, or the other VPC's address range if the VPCs are peered",
                        m[vpc].name.name
                    ),
                }),
            );
        }
    }
}
