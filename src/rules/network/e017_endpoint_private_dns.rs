//! E017: private DNS on an interface endpoint needs DNS in its VPC, and one
//! such endpoint per service.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::*;
use crate::rules::{Check, Context, Rule};
use std::collections::HashMap;

pub const RULE: Rule = Rule {
    code: "E017",
    name: "endpoint-private-dns",
    severity: Severity::Error,
    summary: "A private-DNS interface endpoint is in a VPC with DNS support and hostnames, and is the only one for its service",
    why: "With private DNS, the service's public name (ecr.api, logs…) resolves to the endpoint \
          inside the VPC. CreateVpcEndpoint requires the VPC's enableDnsSupport and \
          enableDnsHostnames to be true for that, and refuses a second private-DNS endpoint for \
          the same service in the VPC, since both would claim the same private hosted zone. \
          An existing VPC's settings are known only where it states them; otherwise the check \
          is noted as not made.",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16  dns_hostnames = false }
subnet private_a { vpc = main  cidr = 10.0.1.0/24  zone = "a" }
security_group endpoint_sg { vpc = main }
endpoint logs { vpc = main  service = "logs"  subnets = [private_a]  security_groups = [endpoint_sg]  private_dns = true }"#,
    flagged: "true }",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet private_a { vpc = main  cidr = 10.0.1.0/24  zone = "a" }
security_group endpoint_sg { vpc = main }
endpoint logs { vpc = main  service = "logs"  subnets = [private_a]  security_groups = [endpoint_sg]  private_dns = true }"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    let mut first: HashMap<(VpcId, &str), &Endpoint> = HashMap::new();
    for e in &m.endpoints {
        if e.kind != EndpointKind::Interface || !e.private_dns.value {
            continue;
        }
        let vpc = &m[e.vpc.value];
        for (flag, key) in [
            (&vpc.dns_support, "dns_support"),
            (&vpc.dns_hostnames, "dns_hostnames"),
        ] {
            let Some(flag) = flag else {
                out.push(
                    RULE.unverified(
                        e.private_dns.span,
                        format!(
                            "whether VPC `{}` has `{key}` on, which private DNS needs, is not checked: it exists already and does not state it",
                            vpc.name.name
                        ),
                    )
                    .label("VPC DNS settings not known")
                    .help(format!("state it on the existing VPC (`{key} = true`) to have it checked")),
                );
                continue;
            };
            if flag.value {
                continue;
            }
            out.push(
                RULE.at(
                    e.private_dns.span,
                    format!("endpoint `{}` uses private DNS, but VPC `{}` has `{key} = false`", e.name.name, vpc.name.name),
                )
                .label("private DNS needs DNS support and DNS hostnames")
                .with(flag.span, format!("`{key}` turned off here"))
                .help(format!("remove `{key} = false` from VPC `{}`, or set `private_dns = false` and use the endpoint's own DNS names", vpc.name.name)),
            );
        }
        match first.get(&(e.vpc.value, e.service.value.as_str())) {
            Some(other) => out.push(
                RULE.at(
                    e.service.span,
                    format!(
                        "endpoints `{}` and `{}` both serve `{}` with private DNS in VPC `{}`",
                        other.name.name, e.name.name, e.service.value, vpc.name.name
                    ),
                )
                .label("second private-DNS endpoint for this service")
                .with(
                    other.service.span,
                    format!("`{}` already serves it", other.name.name),
                )
                .help(format!(
                    "keep one `{}` endpoint per VPC and list all the tasks' zones in its `subnets`",
                    e.service.value
                )),
            ),
            None => {
                first.insert((e.vpc.value, e.service.value.as_str()), e);
            }
        }
    }
}
