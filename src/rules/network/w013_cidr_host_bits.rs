//! W013: a VPC or subnet CIDR block is written with host bits set.

use crate::cidr::Cidr;
use crate::diagnostic::{Diagnostics, Severity};
use crate::rules::{Check, Context, Rule};
use crate::source::Spanned;

pub const RULE: Rule = Rule {
    code: "W013",
    name: "cidr-host-bits",
    severity: Severity::Warning,
    summary: "A VPC or subnet CIDR block is written as its network address",
    why:
        "In `10.0.1.5/24` the bits after the prefix (the `.5`) are ignored: AWS canonicalises the \
          block to 10.0.1.0/24, and ecsc emits that. The block you get is not the one written, \
          which usually hides a typo in the prefix length or the address.",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.5/24  zone = "a" }"#,
    flagged: "10.0.1.5/24",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a" }"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    let blocks = m
        .vpcs
        .iter()
        .filter_map(|v| Some(("VPC", &v.name.name, v.cidr.as_ref()?)))
        .chain(
            m.subnets
                .iter()
                .filter_map(|s| Some(("subnet", &s.name.name, s.cidr.as_ref()?))),
        );
    for (what, name, cidr) in blocks {
        report(out, what, name, cidr);
    }
}

fn report(out: &mut Diagnostics, what: &str, name: &str, cidr: &Spanned<Cidr>) {
    let c = cidr.value;
    if !c.host_bits_set() {
        return;
    }
    let canonical = c.canonical();
    out.push(
        RULE.at(
            cidr.span,
            format!(
                "{what} `{name}`'s block {c} has host bits set after the /{} prefix",
                c.prefix
            ),
        )
        .label(format!("means {canonical}"))
        .help(format!("write the network address: `cidr = {canonical}`")),
    );
}
