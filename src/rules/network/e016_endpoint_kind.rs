//! E016: a VPC endpoint's type fits its service and its placement.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::*;
use crate::rules::{Check, Context, Rule};
use std::collections::HashMap;

pub const RULE: Rule = Rule {
    code: "E016",
    name: "endpoint-kind",
    severity: Severity::Error,
    summary: "A gateway endpoint is for s3 or dynamodb and has no subnets; an interface endpoint has subnets (one per zone) and security groups",
    why: "Gateway endpoints exist only for S3 and DynamoDB; they attach to route tables and take \
          no subnets or security groups. Every other service is reached through an interface \
          endpoint, which places one network interface in each of its subnets — at most one \
          subnet per availability zone — guarded by its security groups. CreateVpcEndpoint \
          rejects any other combination, and an interface endpoint without security groups gets \
          the VPC's default group, which usually does not admit the tasks. A gateway endpoint \
          works through route tables: in a VPC that exists already, ecsc only knows the tables \
          of the subnets it creates, and an endpoint on none routes nothing.",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet private_a { vpc = main  cidr = 10.0.1.0/24  zone = "a" }
security_group endpoint_sg { vpc = main }
endpoint ecr_api { vpc = main  service = "ecr.api"  type = gateway }"#,
    flagged: "\"ecr.api\"",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet private_a { vpc = main  cidr = 10.0.1.0/24  zone = "a" }
security_group endpoint_sg { vpc = main }
endpoint ecr_api { vpc = main  service = "ecr.api"  subnets = [private_a]  security_groups = [endpoint_sg] }"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    for e in &m.endpoints {
        let service = e.service.value.as_str();
        match e.kind {
            EndpointKind::Gateway => {
                if !matches!(service, "s3" | "dynamodb") {
                    out.push(
                        RULE.at(e.service.span, format!("`{service}` has no gateway endpoint; only s3 and dynamodb do"))
                            .label("not a gateway service")
                            .help("remove `type = gateway`: other services take an interface endpoint with `subnets` and `security_groups`"),
                    );
                }
                if !e.subnets.value.is_empty() {
                    out.push(
                        RULE.at(e.subnets.span, format!("gateway endpoint `{}` takes no subnets", e.name.name))
                            .label("not used by a gateway endpoint")
                            .help("remove `subnets`: a gateway endpoint attaches to the VPC's route tables, which ecsc wires for you"),
                    );
                }
                let vpc = &m[e.vpc.value];
                if e.route_tables.is_empty() && vpc.existing.is_some() {
                    out.push(
                        RULE.at(e.name.span, format!("gateway endpoint `{}` would be on no route table", e.name.name))
                            .label("routes nothing")
                            .with(vpc.name.span, format!("VPC `{}` exists already: its route tables are not in the stack", vpc.name.name))
                            .help("create the gateway endpoint where the VPC's route tables are managed, or use an interface endpoint: `type = interface` with `subnets` and `security_groups`"),
                    );
                }
                if !e.security_groups.value.is_empty() {
                    out.push(
                        RULE.at(e.security_groups.span, format!("gateway endpoint `{}` takes no security groups", e.name.name))
                            .label("not used by a gateway endpoint")
                            .help("remove `security_groups`; to limit traffic, use the endpoint as a peer in the tasks' egress rules (`egress tcp 443 to <endpoint>`)"),
                    );
                }
            }
            EndpointKind::Interface => {
                let missing = match (
                    e.subnets.value.is_empty(),
                    e.security_groups.value.is_empty(),
                ) {
                    (true, true) => Some("`subnets` and `security_groups`"),
                    (true, false) => Some("`subnets`"),
                    (false, true) => Some("`security_groups`"),
                    (false, false) => None,
                };
                if let Some(missing) = missing {
                    let span = if e.subnets.value.is_empty() {
                        e.subnets.span
                    } else {
                        e.security_groups.span
                    };
                    out.push(
                        RULE.at(span, format!("interface endpoint `{}` ({service}) needs {missing}", e.name.name))
                            .label(format!("no {missing}"))
                            .help("add `subnets = [private_a, private_b]` (the tasks' subnets, one per zone) and `security_groups = [endpoint_sg]` (a group admitting tcp 443 from the tasks)"),
                    );
                }
                let mut by_zone: HashMap<&str, Vec<SubnetId>> = HashMap::new();
                // Existing subnets' zones are unknown offline and not compared.
                if e.subnets.value.iter().any(|s| m[*s].zone.is_none()) {
                    out.push(
                        RULE.unverified(
                            e.subnets.span,
                            format!(
                                "whether interface endpoint `{}` has one subnet per zone is not checked: some of its subnets state no `zone`",
                                e.name.name
                            ),
                        )
                        .label("zones not checked")
                        .help("state `zone` on the existing subnets (`zone = \"a\"`) to have it checked"),
                    );
                }
                for s in &e.subnets.value {
                    let Some(zone) = &m[*s].zone else { continue };
                    let list = by_zone.entry(zone.value.as_str()).or_default();
                    if !list.contains(s) {
                        list.push(*s);
                    }
                }
                let mut zones: Vec<(&str, Vec<SubnetId>)> =
                    by_zone.into_iter().filter(|(_, v)| v.len() > 1).collect();
                zones.sort();
                for (zone, subnets) in zones {
                    let mut d = RULE
                        .at(
                            e.subnets.span,
                            format!(
                                "interface endpoint `{}` has {} subnets in {zone}",
                                e.name.name,
                                subnets.len()
                            ),
                        )
                        .label("two subnets in one zone");
                    for s in &subnets {
                        let Some(z) = &m[*s].zone else { continue };
                        d = d.with(z.span, format!("`{}` is in {zone}", m[*s].name.name));
                    }
                    out.push(d.help(
                        "keep one subnet per availability zone: tasks in the zone's other subnets reach the endpoint through it",
                    ));
                }
            }
        }
    }
}
