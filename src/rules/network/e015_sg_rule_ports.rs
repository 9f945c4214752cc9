//! E015: security group rule ports are a valid range for their protocol.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::*;
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "E015",
    name: "sg-rule-ports",
    severity: Severity::Error,
    summary: "A security group rule's port range is in order and in range for its protocol",
    why:
        "For tcp and udp, AuthorizeSecurityGroupIngress/Egress need 0 ≤ FromPort ≤ ToPort ≤ 65535; \
          for icmp, FromPort is the ICMP type and ToPort the code, each 0–255 (or -1 for all, \
          which ecsc writes when no type is given). Any other value fails the security group's \
          creation and rolls the stack back. cfn-lint checks the bounds but not the order of a \
          range.",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
security_group app_sg {
  vpc = main
  ingress tcp 8080-80 from 10.0.0.0/16
}"#,
    flagged: "8080-80",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
security_group app_sg {
  vpc = main
  ingress tcp 80-8080 from 10.0.0.0/16
}"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    for g in &cx.model.security_groups {
        for r in g.ingress.iter().chain(&g.egress) {
            let Some(ports) = &r.ports else { continue };
            let (from, to) = ports.value;
            match r.protocol.value {
                Protocol::Tcp | Protocol::Udp => {
                    let proto = r.protocol.value.ip_protocol();
                    if from > 65535 || to > 65535 {
                        out.push(
                            RULE.at(
                                ports.span,
                                format!(
                                    "{proto} ports go up to 65535, this rule names {}",
                                    from.max(to)
                                ),
                            )
                            .label("not a port")
                            .help("use ports 0–65535"),
                        );
                    } else if from > to {
                        out.push(
                            RULE.at(
                                ports.span,
                                format!("the port range {from}-{to} runs backwards"),
                            )
                            .label("the first port must not exceed the second")
                            .help(format!("write the lower port first: `{to}-{from}`")),
                        );
                    }
                }
                Protocol::Icmp => {
                    if from > 255 {
                        out.push(
                            RULE.at(ports.span, format!("ICMP type {from} does not exist; types are 0–255"))
                                .label("the first number is the ICMP type")
                                .help("write the ICMP type 0–255 (8 is echo request), or no number for all of ICMP"),
                        );
                    } else if to > 255 {
                        out.push(
                            RULE.at(
                                ports.span,
                                format!("ICMP code {to} does not exist; codes are 0–255"),
                            )
                            .label("after the `-` is the ICMP code")
                            .help(format!(
                                "write `{from}` alone, or `{from}-CODE` with a code 0–255"
                            )),
                        );
                    }
                }
                Protocol::All => {} // W014
            }
        }
    }
}
