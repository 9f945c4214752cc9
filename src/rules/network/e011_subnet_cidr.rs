//! E011: a subnet's CIDR block is /16 to /28, inside its VPC, and overlaps
//! no other subnet of the VPC.

use crate::cidr::Cidr;
use crate::diagnostic::{Diagnostics, Severity};
use crate::model::{SubnetId, VpcId};
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "E011",
    name: "subnet-cidr",
    severity: Severity::Error,
    summary:
        "A subnet's CIDR block is /16 to /28, inside its VPC's block, and overlaps no other subnet",
    why: "CreateSubnet takes IPv4 blocks from /16 to /28 that lie inside the VPC's CIDR block and \
          do not overlap a subnet already in the VPC; otherwise it fails with InvalidSubnet.Range \
          or InvalidSubnet.Conflict and the stack rolls back.",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.0.0/23  zone = "a" }
subnet b { vpc = main  cidr = 10.0.1.0/24  zone = "b" }"#,
    flagged: "10.0.1.0/24",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.0.0/24  zone = "a" }
subnet b { vpc = main  cidr = 10.0.1.0/24  zone = "b" }"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    // Existing subnets carry no block: AWS already placed them. Only new ones
    // are checked, and against the VPC's block only when that block is known.
    for (s, cidr) in m.subnets.iter().filter_map(|s| Some((s, s.cidr.as_ref()?))) {
        let c = cidr.value;
        let p = c.prefix;
        if !(16..=28).contains(&p) {
            out.push(
                RULE.at(
                    cidr.span,
                    format!(
                        "a subnet's CIDR block must be /16 to /28, `{}`'s is /{p}",
                        s.name.name
                    ),
                )
                .label(if p < 16 { "too large" } else { "too small" })
                .help(if p < 16 {
                    "use a /16 at most, e.g. `cidr = 10.0.0.0/16`"
                } else {
                    "use at least a /28 (16 addresses, 11 usable), e.g. `cidr = 10.0.1.0/24`"
                }),
            );
        }
        let vpc = &m[s.vpc];
        let Some(vcidr) = &vpc.cidr else {
            out.push(
                RULE.unverified(
                    cidr.span,
                    format!(
                        "subnet `{}` is not checked against VPC `{}`'s block, which is not stated",
                        s.name.name, vpc.name.name
                    ),
                )
                .label("containment not checked")
                .with(vpc.name.span, format!("VPC `{}` exists already", vpc.name.name))
                .help("state the VPC's block next to its id (`cidr = 10.0.0.0/16`) to have it checked"),
            );
            continue;
        };
        if !vcidr.value.canonical().contains(&c.canonical()) {
            let v = vcidr.value.canonical();
            out.push(
                RULE.at(
                    cidr.span,
                    format!(
                        "subnet `{}` ({}) is not inside VPC `{}` ({v})",
                        s.name.name,
                        c.canonical(),
                        vpc.name.name
                    ),
                )
                .label("outside the VPC's block")
                .with(vcidr.span, format!("VPC `{}` covers {v}", vpc.name.name))
                .help(format!(
                    "choose a block inside {v} (addresses {} to {})",
                    ip(v.network()),
                    ip(v.last())
                )),
            );
        }
    }
    // Overlaps: per VPC, sorted by network address; a subnet overlaps an
    // earlier one exactly when it starts before the furthest end so far.
    let block = |s: SubnetId| m[s].cidr.as_ref();
    let mut order: Vec<(SubnetId, &crate::source::Spanned<Cidr>)> = (0..m.subnets.len())
        .map(SubnetId)
        .filter_map(|s| Some((s, block(s)?)))
        .collect();
    order.sort_by_key(|(s, b)| {
        let c = b.value.canonical();
        (m[*s].vpc, c.network(), c.prefix, s.0)
    });
    let mut reach: Option<(VpcId, u32, SubnetId)> = None;
    for (s, cidr) in order {
        let sub = &m[s];
        let c = cidr.value.canonical();
        match reach {
            Some((vpc, last, other)) if vpc == sub.vpc && c.network() <= last => {
                let o = &m[other];
                let Some(ocidr) = block(other) else { continue };
                let oc = ocidr.value.canonical();
                out.push(
                    RULE.at(
                        cidr.span,
                        format!(
                            "subnet `{}` ({c}) overlaps subnet `{}` ({oc})",
                            sub.name.name, o.name.name
                        ),
                    )
                    .label("overlapping block")
                    .with(
                        ocidr.span,
                        format!(
                            "`{}` covers {} to {}",
                            o.name.name,
                            ip(oc.network()),
                            ip(oc.last())
                        ),
                    )
                    .help(
                        match m[sub.vpc]
                            .cidr
                            .as_ref()
                            .and_then(|v| next_block(oc.last(), c.prefix, v.value.canonical()))
                        {
                            Some(free) => format!(
                                "give `{}` a block that starts after {}, e.g. `cidr = {free}`",
                                sub.name.name,
                                ip(oc.last())
                            ),
                            None => format!(
                                "give `{}` a block no other subnet of the VPC uses",
                                sub.name.name
                            ),
                        },
                    ),
                );
                if c.last() > last {
                    reach = Some((vpc, c.last(), s));
                }
            }
            _ => reach = Some((sub.vpc, c.last(), s)),
        }
    }
}

fn ip(a: u32) -> String {
    format!(
        "{}.{}.{}.{}",
        a >> 24,
        (a >> 16) & 255,
        (a >> 8) & 255,
        a & 255
    )
}

/// The first block of this prefix length after `after`, if it is inside
/// the VPC's block.
fn next_block(after: u32, prefix: u8, vpc: Cidr) -> Option<Cidr> {
    let size = 1u64 << (32 - u32::from(prefix.min(32)));
    let start = (u64::from(after) + 1).div_ceil(size) * size;
    let block = Cidr {
        addr: u32::try_from(start).ok()?,
        prefix,
    };
    vpc.contains(&block).then_some(block)
}
