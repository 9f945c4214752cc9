//! E018: every task placement can reach what a task needs to start.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::*;
use crate::rules::{Check, Context, Rule};
use crate::source::Span;
use std::collections::HashMap;

pub const RULE: Rule = Rule {
    code: "E018",
    name: "task-egress",
    severity: Severity::Error,
    summary: "Tasks in each subnet can reach ECR, CloudWatch Logs and their secrets",
    why: "A Fargate task pulls its image, ships its logs and reads its secrets over the network \
          of its subnet. Without a route it fails after minutes with CannotPullContainerError \
          (\"timed out after waiting 3m0s\") or ResourceInitializationError, and the service never \
          becomes stable. A subnet works when it has (a) a default route through a NAT gateway, or \
          (b) a route to an internet gateway and the tasks get a public IP, or (c) the interface \
          endpoints ecr.api and ecr.dkr, the s3 gateway endpoint (image layers live in S3), logs \
          for awslogs, and secretsmanager/ssm for secrets — with private DNS on, and an endpoint \
          security group that admits HTTPS (443) from the tasks. Images outside ECR (Docker Hub, \
          public.ecr.aws) need (a) or (b). On EC2 the container instance does all of this over \
          its own network, so tasks there are not judged by their subnets.",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet private_a { vpc = main  cidr = 10.0.1.0/24  zone = "a" }
security_group app_sg { vpc = main }
security_group endpoint_sg { vpc = main  ingress tcp 443 from app_sg }
endpoint ecr_api { vpc = main  service = "ecr.api"  subnets = [private_a]  security_groups = [endpoint_sg] }
endpoint ecr_dkr { vpc = main  service = "ecr.dkr"  subnets = [private_a]  security_groups = [endpoint_sg] }
endpoint logs    { vpc = main  service = "logs"     subnets = [private_a]  security_groups = [endpoint_sg] }
cluster main { }
task api {
  cpu = 256  memory = 512
  container app { image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1.0" }
}
service api {
  cluster = main  task = api
  network { subnets = [private_a]  security_groups = [app_sg] }
}"#,
    flagged: "[private_a]  security_groups = [app_sg]",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet private_a { vpc = main  cidr = 10.0.1.0/24  zone = "a" }
security_group app_sg { vpc = main }
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

/// Whether an endpoint's groups admit HTTPS from the tasks' groups or subnet.
fn admits_https(m: &Model, e: &Endpoint, task_groups: &[SgId], subnet: &Subnet) -> bool {
    e.security_groups.value.iter().any(|g| {
        m[*g].ingress.iter().any(|r| {
            let port_ok = match (&r.ports, r.protocol.value) {
                (_, Protocol::All) => true,
                (Some(p), Protocol::Tcp) => p.value.0 <= 443 && 443 <= p.value.1,
                (None, Protocol::Tcp) => true,
                _ => false,
            };
            let peer_ok = match &r.peer.value {
                Peer::Group(src) => task_groups.contains(src),
                Peer::Cidr(c) => subnet.cidr.as_ref().is_some_and(|b| c.contains(&b.value)),
                Peer::PrefixList(_) => false,
            };
            port_ok && peer_ok
        })
    })
}

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    // Endpoints by (VPC, service): built once.
    let mut endpoints: HashMap<(VpcId, &str), Vec<&Endpoint>> = HashMap::new();
    for e in &m.endpoints {
        endpoints
            .entry((e.vpc.value, e.service.value.as_str()))
            .or_default()
            .push(e);
    }
    for (runner, name, p) in m.placements() {
        let Some(net) = &p.network else { continue };
        let who = format!("{} `{}`", runner.word(), name.name);
        let task = &m[p.task.value];
        // On EC2 the container instance pulls images, ships logs and reads
        // secrets over its own network, not the task's: the task's subnets
        // decide nothing here.
        if !p.on_fargate() {
            continue;
        }
        let (needed, internet_only) = m.task_needs(task);
        for subnet_id in &net.subnets.value {
            let subnet = &m[*subnet_id];
            // An existing subnet's routes live outside the stack: no facts to
            // decide on, so the rule stays silent.
            if subnet.existing.is_some() {
                out.push(
                    RULE.unverified(
                        net.subnets.span,
                        format!(
                            "whether tasks of {who} in subnet `{}` reach their image and logs is not checked: the subnet exists already",
                            subnet.name.name
                        ),
                    )
                    .label("egress not checked")
                    .with(subnet.name.span, "its routes are not in the stack")
                    .help(if subnet.public && net.public_ip.value {
                        "nothing to change if its route table sends 0.0.0.0/0 to an internet gateway"
                    } else {
                        "nothing to change if its route table reaches a NAT gateway, or the VPC has the endpoints the tasks need"
                    }),
                );
                continue;
            }
            // A NAT gateway in a private subnet reaches nothing (E019).
            if m.tasks_reach_internet(*subnet_id, net.public_ip.value) == Some(true) {
                continue;
            }
            let span = net.subnets.span;
            let stranded_nat = m.subnet_nat(*subnet_id);
            let why_no_internet = if let Some(n) = stranded_nat {
                format!(
                    "`{}` routes to NAT gateway `{}`, whose subnet `{}` has no route to an internet gateway",
                    subnet.name.name,
                    m[n].name.name,
                    m[m[n].subnet.value].name.name
                )
            } else if subnet.public && task.launch.value != LaunchType::Fargate {
                format!(
                    "`{}` is public, but tasks on EC2 get no public IP in awsvpc mode",
                    subnet.name.name
                )
            } else if subnet.public {
                format!(
                    "`{}` is public but the tasks get no public IP",
                    subnet.name.name
                )
            } else {
                format!("`{}` has no NAT gateway route", subnet.name.name)
            };
            let fargate = task.launch.value == LaunchType::Fargate;
            // A NAT of the VPC left out here (`enabled = false`).
            let disabled_nat = m
                .nat_gateways
                .iter()
                .find(|n| !n.enabled && m[n.subnet.value].vpc == subnet.vpc);
            let internet_help = if let Some(n) = stranded_nat {
                format!(
                    "put NAT gateway `{}` in a public subnet (`subnet = <a subnet with public = true>`)",
                    m[n].name.name
                )
            } else if subnet.public && fargate {
                "add `public_ip = true` to the network".to_string()
            } else if let Some(n) = disabled_nat {
                format!(
                    "enable NAT gateway `{}` here (its `enabled` is false)",
                    n.name.name
                )
            } else {
                "add `nat_gateway nat { subnet = <a public subnet> }` (private subnets of the VPC route through it)".to_string()
            };
            if internet_only {
                let image = task
                    .containers
                    .iter()
                    .find(|c| {
                        c.from_repository.is_none()
                            && ecr_repository(&c.image.value)
                                .is_none_or(|(_, r, _)| r != m.stack.region)
                    })
                    .map(|c| (c.image.value.clone(), c.image.span));
                let mut d = RULE
                    .at(span, format!("tasks of {who} in subnet `{}` cannot pull their image: {why_no_internet}", subnet.name.name))
                    .label("no route to the image registry")
                    .with(subnet.name.span, why_no_internet.clone());
                if let Some((image, ispan)) = image {
                    d = d.with(
                        ispan,
                        format!(
                            "`{image}` is not in this Region's ECR: only the internet reaches it"
                        ),
                    );
                }
                out.push(d.help(format!(
                    "{internet_help}; VPC endpoints cannot reach images outside this Region's ECR"
                )));
                continue;
            }
            let vpc = subnet.vpc;
            let mut missing: Vec<String> = Vec::new();
            let mut blocked: Vec<(Span, String)> = Vec::new();
            for service in &needed {
                let Some(found) = endpoints.get(&(vpc, service)) else {
                    let kind = if *service == "s3" {
                        "gateway"
                    } else {
                        "interface"
                    };
                    missing.push(format!("the `{service}` {kind} endpoint"));
                    continue;
                };
                let e = found[0];
                if e.kind == EndpointKind::Gateway {
                    if !subnet
                        .route_table
                        .is_some_and(|t| e.route_tables.contains(&t))
                    {
                        missing.push(format!(
                            "`{service}` gateway endpoint on this subnet's route table"
                        ));
                    }
                    continue;
                }
                // An existing VPC's unstated DNS settings are E017's to note.
                let off =
                    |f: &Option<crate::source::Spanned<bool>>| f.as_ref().is_some_and(|f| !f.value);
                if !e.private_dns.value || off(&m[vpc].dns_support) || off(&m[vpc].dns_hostnames) {
                    blocked.push((
                        e.name.span,
                        format!(
                            "`{}` needs private DNS, and the VPC DNS support and hostnames on",
                            e.name.name
                        ),
                    ));
                } else if !admits_https(m, e, &net.security_groups.value, subnet) {
                    blocked.push((
                        e.name.span,
                        format!(
                            "the security groups of `{}` do not admit HTTPS (443) from the tasks",
                            e.name.name
                        ),
                    ));
                }
            }
            if missing.is_empty() && blocked.is_empty() {
                continue;
            }
            let mut what: Vec<String> = missing.clone();
            what.extend(blocked.iter().map(|(_, why)| why.clone()));
            let mut d = RULE
                .at(
                    span,
                    format!(
                        "tasks of {who} in subnet `{}` cannot start: {why_no_internet}, and {}",
                        subnet.name.name,
                        if missing.is_empty() {
                            "an endpoint is unreachable".to_string()
                        } else {
                            format!("the VPC lacks {}", missing.join(", "))
                        }
                    ),
                )
                .label("tasks placed here")
                .with(subnet.name.span, why_no_internet.clone());
            for (s, why) in &blocked {
                d = d.with(*s, why.clone());
            }
            let example = missing
                .iter()
                .filter_map(|mi| mi.split('`').nth(1))
                .next()
                .map(|svc| {
                    if svc == "s3" {
                        format!("`endpoint s3 {{ vpc = {}  service = \"s3\" }}`", m[vpc].name.name)
                    } else {
                        format!(
                            "`endpoint {} {{ vpc = {}  service = \"{svc}\"  subnets = [{}]  security_groups = [...] }}`",
                            svc.replace('.', "_"),
                            m[vpc].name.name,
                            subnet.name.name
                        )
                    }
                })
                .unwrap_or_else(|| "let the endpoint security group admit tcp 443 from the tasks' group".into());
            out.push(d.help(format!(
                "{internet_help}; or complete the endpoints: {example}"
            )));
        }
    }
}
