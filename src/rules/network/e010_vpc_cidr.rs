//! E010: a VPC's CIDR block is between /16 and /28.

use crate::diagnostic::{Diagnostics, Severity};
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "E010",
    name: "vpc-cidr-size",
    severity: Severity::Error,
    summary: "A VPC's CIDR block is between /16 and /28",
    why: "CreateVpc accepts IPv4 blocks from /16 (65,536 addresses) to /28 (16 addresses); \
          anything else fails when the stack is created.",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/8 }"#,
    flagged: "10.0.0.0/8",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    // An existing VPC has no block here; AWS already accepted its own.
    for cidr in cx.model.vpcs.iter().filter_map(|v| v.cidr.as_ref()) {
        let p = cidr.value.prefix;
        if !(16..=28).contains(&p) {
            out.push(
                RULE.at(cidr.span, format!("a VPC's CIDR block must be /16 to /28, this one is /{p}"))
                    .label(if p < 16 { "too large" } else { "too small" })
                    .help(if p < 16 {
                        "use a /16 at most, e.g. `cidr = 10.0.0.0/16`; a VPC can add secondary blocks later"
                    } else {
                        "use at least a /28, e.g. `cidr = 10.0.0.0/24`"
                    }),
            );
        }
    }
}
