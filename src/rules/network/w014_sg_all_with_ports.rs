//! W014: ports given on a security group rule for all protocols.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::*;
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "W014",
    name: "sg-all-with-ports",
    severity: Severity::Warning,
    summary: "A security group rule for `all` protocols names no ports",
    why: "With protocol `all` (IpProtocol -1) EC2 ignores FromPort and ToPort: `ingress all 80 \
          from 0.0.0.0/0` opens every port of every protocol, not port 80. cfn-lint warns about \
          the same template (W3687).",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
security_group web_sg {
  vpc = main
  ingress all 80 from 0.0.0.0/0
}"#,
    flagged: "80 from",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
security_group web_sg {
  vpc = main
  ingress tcp 80 from 0.0.0.0/0
}"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    for g in &cx.model.security_groups {
        for r in g.ingress.iter().chain(&g.egress) {
            if r.protocol.value != Protocol::All {
                continue;
            }
            let Some(ports) = &r.ports else { continue };
            let (from, to) = ports.value;
            let written = if from == to {
                from.to_string()
            } else {
                format!("{from}-{to}")
            };
            out.push(
                RULE.at(ports.span, format!("ports are ignored with protocol `all`: this rule allows every port, not {written}"))
                    .label("ignored")
                    .with(r.protocol.span, "every protocol and port")
                    .help(format!("name the protocol to limit the ports (`tcp {written}`), or drop `{written}` to allow all traffic on purpose")),
            );
        }
    }
}
