//! E013: the egress rules of a Fargate task's security groups let it reach
//! what it needs to start, through the endpoints or gateway its subnet uses.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::*;
use crate::rules::{Check, Context, Rule};
use crate::source::Span;
use std::collections::HashMap;

pub const RULE: Rule = Rule {
    code: "E013",
    name: "task-egress-rules",
    severity: Severity::Error,
    summary: "A Fargate task's security groups let it out on HTTPS to the endpoints, S3 prefix list or internet gateway its subnets reach ECR, logs and secrets through",
    why: "A Fargate task (platform 1.4 and later) pulls its image, ships its logs and reads its \
          secrets through its own network interface, so its security groups' egress rules apply \
          to all of it. A group with egress rules allows only those: the traffic to the interface \
          endpoints must be allowed on TCP 443 to the endpoints' security group (or addresses), \
          image layers through the S3 gateway endpoint to the service's prefix list, which \
          the Amazon VPC guide on gateway endpoints names as the destination of such outbound \
          rules (the CLI walkthrough adds exactly this rule), and anything through a NAT or \
          internet gateway to the internet. Otherwise the task stops with CannotPullContainerError or \
          ResourceInitializationError after a timeout. A group without egress rules allows all \
          (ecsc adds the rule); an existing group's own egress is not known, so tasks with one \
          are not judged. Traffic to the VPC's DNS resolver is never filtered. Whether a route \
          or endpoint exists at all is E018's.",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet private_a { vpc = main  cidr = 10.0.1.0/24  zone = "a" }
security_group database_sg { vpc = main  ingress tcp 5432 from app_sg }
security_group app_sg { vpc = main  egress tcp 5432 to database_sg }
security_group endpoint_sg { vpc = main  ingress tcp 443 from app_sg }
endpoint ecr_api { vpc = main  service = "ecr.api"  subnets = [private_a]  security_groups = [endpoint_sg] }
endpoint ecr_dkr { vpc = main  service = "ecr.dkr"  subnets = [private_a]  security_groups = [endpoint_sg] }
endpoint logs    { vpc = main  service = "logs"     subnets = [private_a]  security_groups = [endpoint_sg] }
endpoint s3      { vpc = main  service = "s3" }
cluster main { }
task api {
  cpu = 256  memory = 512
  container app { image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1.0" }
}
service api {
  cluster = main  task = api
  network { subnets = [private_a]  security_groups = [app_sg] }
}"#,
    flagged: "[app_sg] }",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet private_a { vpc = main  cidr = 10.0.1.0/24  zone = "a" }
security_group database_sg { vpc = main  ingress tcp 5432 from app_sg }
security_group app_sg {
  vpc = main
  egress tcp 5432 to database_sg
  egress tcp 443  to endpoint_sg
  egress tcp 443  to s3
}
security_group endpoint_sg { vpc = main  ingress tcp 443 from app_sg }
endpoint ecr_api { vpc = main  service = "ecr.api"  subnets = [private_a]  security_groups = [endpoint_sg] }
endpoint ecr_dkr { vpc = main  service = "ecr.dkr"  subnets = [private_a]  security_groups = [endpoint_sg] }
endpoint logs    { vpc = main  service = "logs"     subnets = [private_a]  security_groups = [endpoint_sg] }
endpoint s3      { vpc = main  service = "s3" }
cluster main { }
task api {
  cpu = 256  memory = 512
  container app { image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1.0" }
}
service api {
  cluster = main  task = api
  network { subnets = [private_a]  security_groups = [app_sg] }
}"#,
    check: Check::Model(check),
};

/// Where the tasks' HTTPS must go, and the rule that would let it.
struct Blocked {
    what: String,
    /// What the tasks need there (`ecr.api`, `logs`), when it is the
    /// internet.
    needs: Vec<String>,
    span: Span,
    fix: String,
}

impl Blocked {
    fn text(&self) -> String {
        match self.needs.is_empty() {
            true => self.what.clone(),
            false => format!("{} (for {})", self.what, self.needs.join(", ")),
        }
    }
}

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    let mut endpoints: HashMap<(VpcId, &str), &Endpoint> = HashMap::new();
    for e in &m.endpoints {
        endpoints
            .entry((e.vpc.value, e.service.value.as_str()))
            .or_insert(e);
    }
    for (runner, name, p) in m.placements() {
        let Some(net) = &p.network else { continue };
        let groups = &net.security_groups.value;
        // EC2 tasks start through their instance; a group without egress
        // rules (or an existing one) may let everything out.
        if !p.on_fargate() || groups.is_empty() || !groups.iter().all(|g| m[*g].egress_limited()) {
            continue;
        }
        let rules: Vec<&SgRule> = groups.iter().flat_map(|g| m[*g].egress.iter()).collect();
        let https = |peer_ok: &dyn Fn(&Peer) -> bool| {
            rules
                .iter()
                .any(|r| r.allows(Protocol::Tcp, 443, 443) && peer_ok(&r.peer.value))
        };
        let task = &m[p.task.value];
        let (needed, internet_only) = m.task_needs(task);
        let mut blocked: Vec<Blocked> = Vec::new();
        let mut push = |b: Option<Blocked>| {
            let Some(b) = b else { return };
            match blocked.iter_mut().find(|x| x.what == b.what) {
                Some(x) => {
                    for n in b.needs {
                        if !x.needs.contains(&n) {
                            x.needs.push(n);
                        }
                    }
                }
                None => blocked.push(b),
            }
        };
        for subnet_id in &net.subnets.value {
            let subnet = &m[*subnet_id];
            if subnet.existing.is_some() {
                continue;
            }
            let vpc = subnet.vpc;
            let vpc_cidr = m[vpc].cidr.as_ref().map(|c| c.value);
            // A block that may reach beyond the VPC: the internet, or AWS's
            // public ranges (not the VPC's, nor another private range).
            let outside = |peer: &Peer| match peer {
                Peer::Cidr(c) => {
                    vpc_cidr.is_none_or(|v| !v.contains(c)) && !crate::cidr::Cidr::is_private(c)
                }
                _ => false,
            };
            let nat = m.subnet_nat(*subnet_id);
            // Without a way out, E018 reports the path; here only the rules.
            let via_internet =
                m.tasks_reach_internet(*subnet_id, net.public_ip.value) == Some(true);
            let gateway = match nat {
                Some(n) => format!("NAT gateway `{}`", m[n].name.name),
                None => "the internet gateway".to_string(),
            };
            let internet = |service: &str| {
                (via_internet && !https(&outside)).then(|| Blocked {
                    what: format!("the internet through {gateway}"),
                    needs: vec![service.to_string()],
                    span: subnet.name.span,
                    fix: "egress tcp 443 to 0.0.0.0/0".into(),
                })
            };
            if internet_only {
                push(internet("the image registry"));
            }
            for service in &needed {
                let Some(e) = endpoints.get(&(vpc, *service)) else {
                    push(internet(service));
                    continue;
                };
                match e.kind {
                    EndpointKind::Gateway => {
                        let attached = subnet
                            .route_table
                            .is_some_and(|t| e.route_tables.contains(&t));
                        if !attached {
                            push(internet(service));
                        } else if !https(&|peer| {
                            matches!(peer, Peer::PrefixList(x) if m[*x].name == e.name)
                                || outside(peer)
                        }) {
                            push(Some(Blocked {
                                what: format!(
                                    "the `{}` gateway endpoint's prefix list",
                                    e.name.name
                                ),
                                needs: Vec::new(),
                                span: e.name.span,
                                fix: format!("egress tcp 443 to {}", e.name.name),
                            }));
                        }
                    }
                    // Without private DNS the service's public name is
                    // used: through the gateway.
                    EndpointKind::Interface if !e.private_dns.value => push(internet(service)),
                    EndpointKind::Interface => {
                        let reaches = |peer: &Peer| match peer {
                            Peer::Group(g) => e.security_groups.value.contains(g),
                            Peer::Cidr(c) => {
                                vpc_cidr.is_some_and(|v| c.contains(&v))
                                    || e.subnets.value.iter().all(|s| {
                                        m[*s].cidr.as_ref().is_none_or(|b| c.contains(&b.value))
                                    })
                            }
                            Peer::PrefixList(_) => false,
                        };
                        // Rules are a union: one block per endpoint subnet
                        // reaches it too.
                        let per_subnet = e.subnets.value.iter().all(|s| {
                            m[*s].cidr.as_ref().is_none_or(|b| {
                                https(&|peer: &Peer| matches!(peer, Peer::Cidr(c) if c.contains(&b.value)))
                            })
                        });
                        if !https(&reaches) && (!per_subnet || e.subnets.value.is_empty()) {
                            let to = e
                                .security_groups
                                .value
                                .first()
                                .map(|g| m[*g].name.name.clone())
                                .or(vpc_cidr.map(|c| c.to_string()))
                                .unwrap_or_else(|| "0.0.0.0/0".into());
                            push(Some(Blocked {
                                what: format!("the `{}` endpoint", e.name.name),
                                needs: Vec::new(),
                                span: e.name.span,
                                fix: format!("egress tcp 443 to {to}"),
                            }));
                        }
                    }
                }
            }
        }
        if blocked.is_empty() {
            continue;
        }
        let names = m.group_names(groups);
        let mut d = RULE
            .at(
                net.security_groups.span,
                format!(
                    "tasks of {} `{}` cannot reach {}: the egress rules of {names} allow no HTTPS (tcp 443) there",
                    runner.word(),
                    name.name,
                    blocked
                        .iter()
                        .map(Blocked::text)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
            .label("1. missing hop: no egress rule of these groups allows HTTPS (tcp 443) to 2.");
        for b in &blocked {
            d = d.with(b.span, format!("2. {}", b.text()));
        }
        for r in groups
            .iter()
            .flat_map(|g| m[*g].egress.iter().map(move |r| (g, r)))
            .take(3)
        {
            d = d.with(
                r.1.span,
                format!(
                    "`{}` allows only what its egress rules say, such as {}",
                    m[*r.0].name.name,
                    r.1.description(m, true)
                ),
            );
        }
        let mut fixes: Vec<String> = Vec::new();
        for b in &blocked {
            let f = format!("`{}`", b.fix);
            if !fixes.contains(&f) {
                fixes.push(f);
            }
        }
        out.push(d.help(format!(
            "add {} to security group `{}`",
            fixes.join(" and "),
            m[groups[0]].name.name
        )));
    }
}
