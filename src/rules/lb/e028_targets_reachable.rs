//! E028: the load balancer reaches its targets on the target port and the
//! health-check port, through its own egress and the targets' ingress.

use crate::cidr::Cidr;
use crate::diagnostic::{Diagnostics, Severity};
use crate::model::*;
use crate::rules::{Check, Context, Rule};
use crate::source::Span;

pub const RULE: Rule = Rule {
    code: "E028",
    name: "targets-reachable",
    severity: Severity::Error,
    summary: "The security groups let the load balancer reach each route's tasks on the target port and the health-check port",
    why: "Elastic Load Balancing: \"You must ensure that your load balancer can communicate with \
          registered targets on both the listener port and the health check port\" (Security \
          groups for your Application Load Balancer). The targets' groups must admit the load \
          balancer (its security group, or a CIDR block that holds its subnets) on the port the \
          route sends to — the container port for awsvpc tasks, the host port for tasks on EC2 \
          instances, which in bridge mode without `host_port` is a dynamic one from the \
          instance's ephemeral range (32768–61000 on the ECS-optimized AMI) — and on the \
          health-check port; a load balancer group with egress rules must allow the same out. \
          Otherwise every health check times out: ECS stops each task as unhealthy and starts \
          another, and the deployment never becomes stable. A group that admits the load \
          balancer on another port (the container listens on 8080, the group opens 80) is the \
          usual cause. Network load balancers without security groups pass the clients' \
          addresses on, so only a missing rule for the port is certain; existing groups whose \
          rules are not in the stack get a note.",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet public_a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
subnet public_b { vpc = main  cidr = 10.0.2.0/24  zone = "b"  public = true }
security_group alb_sg { vpc = main  ingress tcp 80 from 0.0.0.0/0 }
security_group app_sg { vpc = main  ingress tcp 80 from alb_sg }
load_balancer web { subnets = [public_a, public_b]  security_groups = [alb_sg]  listener http 80 }
cluster main { }
task api {
  cpu = 256  memory = 512
  container app { image = "public.ecr.aws/nginx/nginx:1.27"  port 8080 }
}
service api {
  cluster = main  task = api
  network { subnets = [public_a, public_b]  security_groups = [app_sg]  public_ip = true }
  route web:80 { }
}"#,
    flagged: "web:80",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet public_a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
subnet public_b { vpc = main  cidr = 10.0.2.0/24  zone = "b"  public = true }
security_group alb_sg { vpc = main  ingress tcp 80 from 0.0.0.0/0 }
security_group app_sg { vpc = main  ingress tcp 8080 from alb_sg }
load_balancer web { subnets = [public_a, public_b]  security_groups = [alb_sg]  listener http 80 }
cluster main { }
task api {
  cpu = 256  memory = 512
  container app { image = "public.ecr.aws/nginx/nginx:1.27"  port 8080 }
}
service api {
  cluster = main  task = api
  network { subnets = [public_a, public_b]  security_groups = [app_sg]  public_ip = true }
  route web:80 { }
}"#,
    check: Check::Model(check),
};

/// The ephemeral range the ECS-optimized AMI takes dynamic host ports from.
const DYNAMIC: (u32, u32) = (32768, 61000);

/// A port (or the dynamic range) the load balancer must reach, and why.
#[derive(Clone)]
struct Need {
    protocol: Protocol,
    ports: (u32, u32),
    what: &'static str,
}

impl Need {
    fn dynamic(&self) -> bool {
        self.ports.0 != self.ports.1
    }

    /// `tcp 8080`, or the dynamic range.
    fn text(&self) -> String {
        match self.dynamic() {
            true => format!(
                "the dynamic host ports ({} {}–{})",
                self.protocol.ip_protocol(),
                self.ports.0,
                self.ports.1
            ),
            false => format!("{} {}", self.protocol.ip_protocol(), self.ports.0),
        }
    }

    /// The ports as a rule writes them.
    fn written(&self) -> String {
        match self.dynamic() {
            true => format!("{} 32768-65535", self.protocol.ip_protocol()),
            false => format!("{} {}", self.protocol.ip_protocol(), self.ports.0),
        }
    }

    fn allowed_by(&self, r: &SgRule) -> bool {
        match self.dynamic() {
            true => r.allows_some(self.protocol, self.ports.0, self.ports.1),
            false => r.allows(self.protocol, self.ports.0, self.ports.1),
        }
    }
}

/// What protects the targets of a route: the tasks' own groups (awsvpc) or
/// their container instances'.
struct Targets<'a> {
    groups: Vec<SgId>,
    span: Span,
    subnets: Vec<SubnetId>,
    /// `tasks` or `container instances`.
    noun: &'static str,
    /// The port mapping traffic goes to.
    mapping: Option<&'a PortMapping>,
    container: &'a Container,
}

/// Whether a CIDR block holds every address of these subnets (or the VPC);
/// unknown blocks get the benefit of the doubt.
fn covers(m: &Model, c: &Cidr, subnets: &[SubnetId], vpc: Option<VpcId>) -> bool {
    if let Some(v) = vpc.and_then(|v| m[v].cidr.as_ref()) {
        if c.contains(&v.value) {
            return true;
        }
    }
    subnets
        .iter()
        .all(|s| m[*s].cidr.as_ref().is_none_or(|b| c.contains(&b.value)))
}

/// Whether several CIDR rules together hold every address of these
/// subnets (rules are a union: one block per subnet is enough).
fn union_covers<'r>(
    m: &Model,
    rules: impl Iterator<Item = &'r SgRule> + Clone,
    subnets: &[SubnetId],
) -> bool {
    !subnets.is_empty()
        && subnets.iter().all(|s| {
            m[*s].cidr.as_ref().is_none_or(|b| {
                rules
                    .clone()
                    .any(|r| matches!(&r.peer.value, Peer::Cidr(c) if c.contains(&b.value)))
            })
        })
}

fn targets<'a>(m: &'a Model, s: &'a Service, route: &Route) -> Option<Targets<'a>> {
    let (container, port) = route.target()?;
    let task = m.tasks.get(s.placement.task.value.0)?;
    let container = task.containers.get(container)?;
    let mapping = container
        .ports
        .iter()
        .find(|p| p.container_port.value == port);
    if task.network_mode.value == NetworkMode::Awsvpc {
        let net = s.placement.network.as_ref()?;
        return Some(Targets {
            groups: net.security_groups.value.clone(),
            span: net.security_groups.span,
            subnets: net.subnets.value.clone(),
            noun: "tasks",
            mapping,
            container,
        });
    }
    let mut groups = Vec::new();
    let mut subnets = Vec::new();
    let mut span = None;
    for g in m.instance_groups_of(s.placement.cluster.value) {
        span.get_or_insert(g.security_groups.span);
        groups.extend(&g.security_groups.value);
        subnets.extend(&g.subnets.value);
    }
    Some(Targets {
        groups,
        span: span?,
        subnets,
        noun: "container instances",
        mapping,
        container,
    })
}

/// The ports the load balancer must reach for a route.
fn needs(m: &Model, s: &Service, route: &Route, t: &Targets<'_>) -> Vec<Need> {
    let Some(tg) = route.target_group.map(|tg| &m[tg]) else {
        return Vec::new();
    };
    let bridge = m
        .tasks
        .get(s.placement.task.value.0)
        .is_some_and(|task| task.network_mode.value == NetworkMode::Bridge);
    let traffic = match t.mapping.and_then(|p| p.host_port.as_ref()) {
        Some(h) if bridge && h.value != 0 => (h.value, h.value),
        _ if bridge => DYNAMIC,
        _ => (tg.port, tg.port),
    };
    let mut needs: Vec<Need> = m[tg.listener]
        .protocol
        .value
        .ip_protocols()
        .iter()
        .map(|p| Need {
            protocol: *p,
            ports: traffic,
            what: "traffic",
        })
        .collect();
    // Health checks are TCP (or HTTP(S) over TCP) on their port, else on
    // the traffic port.
    let health = tg
        .health
        .port
        .as_ref()
        .map_or(traffic, |p| (p.value, p.value));
    if !needs
        .iter()
        .any(|n| n.protocol == Protocol::Tcp && n.ports == health)
    {
        needs.push(Need {
            protocol: Protocol::Tcp,
            ports: health,
            what: "health checks",
        });
    }
    needs
}

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    for s in &m.services {
        for route in &s.routes {
            let Some(t) = targets(m, s, route) else {
                continue;
            };
            if t.groups.is_empty() {
                continue;
            }
            let lb = &m.load_balancers[route.listener.lb.0];
            let vpc = m.lb_vpc(lb);
            let lb_groups = &lb.security_groups.value;
            // Where the load balancer's traffic comes from, as the targets'
            // rules see it; `None`: not known (no groups: a network load
            // balancer passes its clients' addresses on, an existing one's
            // groups are not stated).
            let from_lb = |r: &SgRule| -> Option<bool> {
                if lb_groups.is_empty() {
                    return None;
                }
                Some(match &r.peer.value {
                    Peer::Group(g) => lb_groups.contains(g),
                    // With client IP preservation the clients' addresses
                    // arrive: any block may be theirs.
                    Peer::Cidr(_) if lb.is_network() => true,
                    Peer::Cidr(c) => covers(m, c, &lb.subnets.value, vpc),
                    Peer::PrefixList(_) => false,
                })
            };
            let to_targets = |r: &SgRule| match &r.peer.value {
                Peer::Group(g) => t.groups.contains(g),
                Peer::Cidr(c) => covers(m, c, &t.subnets, vpc),
                Peer::PrefixList(_) => false,
            };
            let egress_limited =
                !lb_groups.is_empty() && lb_groups.iter().all(|g| m[*g].egress_limited());
            let ingress: Vec<(&SecurityGroup, &SgRule)> = t
                .groups
                .iter()
                .map(|g| &m[*g])
                .flat_map(|g| g.ingress.iter().map(move |r| (g, r)))
                .collect();
            let existing_target_group = t.groups.iter().find(|g| m[**g].existing.is_some());
            let mut missing_ingress = Vec::new();
            let mut missing_egress = Vec::new();
            for need in needs(m, s, route, &t) {
                let lb_egress = lb_groups
                    .iter()
                    .flat_map(|g| &m[*g].egress)
                    .filter(|r| need.allowed_by(r));
                if egress_limited
                    && !lb_egress.clone().any(&to_targets)
                    && !union_covers(m, lb_egress, &t.subnets)
                {
                    missing_egress.push(need.clone());
                }
                let allowing = ingress
                    .iter()
                    .map(|(_, r)| *r)
                    .filter(|r| need.allowed_by(r));
                let admitted = allowing.clone().any(|r| from_lb(r).unwrap_or(true))
                    || (!lb_groups.is_empty()
                        && !lb.is_network()
                        && union_covers(m, allowing, &lb.subnets.value));
                if admitted {
                    continue;
                }
                if let Some(g) = existing_target_group {
                    out.push(
                        RULE.unverified(
                            route.target_span,
                            format!(
                                "whether load balancer `{}` reaches the {} of service `{}` on {} is not checked: security group `{}` exists already",
                                lb.name.name, t.noun, s.name.name, need.text(), m[*g].name.name
                            ),
                        )
                        .label("not checked")
                        .with(m[*g].name.span, "its own rules are not in the stack")
                        .help(format!(
                            "nothing to change if one of the groups admits {} from the load balancer",
                            need.text()
                        )),
                    );
                    continue;
                }
                missing_ingress.push(need);
            }
            if missing_ingress.is_empty() && missing_egress.is_empty() {
                continue;
            }
            report(
                m,
                s,
                route,
                &t,
                &ingress,
                &from_lb,
                missing_ingress,
                missing_egress,
                out,
            );
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn report(
    m: &Model,
    s: &Service,
    route: &Route,
    t: &Targets<'_>,
    ingress: &[(&SecurityGroup, &SgRule)],
    from_lb: &dyn Fn(&SgRule) -> Option<bool>,
    missing_ingress: Vec<Need>,
    missing_egress: Vec<Need>,
    out: &mut Diagnostics,
) {
    let lb = &m.load_balancers[route.listener.lb.0];
    let listener = &m[route.listener];
    let lb_groups = &lb.security_groups.value;
    let names = |groups: &[SgId]| m.group_names(groups);
    let first_new = |groups: &[SgId]| {
        groups
            .iter()
            .find(|g| m[**g].existing.is_none())
            .map(|g| m[*g].name.name.clone())
    };
    // What the targets' rules should name as the source.
    let source = match lb_groups.first() {
        Some(g) => m[*g].name.name.clone(),
        None => m
            .lb_vpc(lb)
            .and_then(|v| m[v].cidr.as_ref())
            .map_or("0.0.0.0/0".to_string(), |c| c.value.to_string()),
    };
    let who = format!("the {} of service `{}`", t.noun, s.name.name);
    // Rules that admit the load balancer, but on other ports: the route
    // sends where the group does not open.
    let elsewhere: Vec<&(&SecurityGroup, &SgRule)> = ingress
        .iter()
        .filter(|(_, r)| from_lb(r) == Some(true))
        .collect();
    let message = if let Some(need) = missing_egress.first() {
        format!(
            "load balancer `{}` cannot reach {who}: the egress rules of its security groups allow no {} to them",
            lb.name.name,
            need.text()
        )
    } else {
        let need = &missing_ingress[0];
        match elsewhere.first() {
            Some((g, r)) if !need.dynamic() => format!(
                "load balancer `{}` cannot reach {who} on {}: security group `{}` admits it with `{}`, on another port",
                lb.name.name,
                need.text(),
                g.name.name,
                r.written(m, false)
            ),
            _ => format!(
                "load balancer `{}` cannot reach {who}: no security group of theirs admits {} from it",
                lb.name.name,
                need.text()
            ),
        }
    };
    let mut all: Vec<&Need> = Vec::new();
    for n in missing_egress.iter().chain(&missing_ingress) {
        if !all
            .iter()
            .any(|a| a.what == n.what && a.ports == n.ports && a.protocol == n.protocol)
        {
            all.push(n);
        }
    }
    let ports = all
        .iter()
        .map(|n| format!("{} on {}", n.what, n.text()))
        .collect::<Vec<_>>()
        .join(", ");
    let mut d = RULE
        .at(route.target_span, message)
        .label(format!("the route needs {ports}"))
        .with(
            listener.port.span,
            format!(
                "1. clients arrive at listener {} {}",
                listener.protocol.value.word(),
                listener.port.value
            ),
        );
    let mut help = Vec::new();
    if lb_groups.is_empty() {
        d = d.with(
            lb.name.span,
            format!(
                "2. `{}` has no security groups stated: the targets see {}",
                lb.name.name,
                if lb.is_network() {
                    "its clients' or its own addresses"
                } else {
                    "its addresses"
                }
            ),
        );
    } else if missing_egress.is_empty() {
        d = d.with(
            lb.security_groups.span,
            format!("2. the load balancer sends from {}", names(lb_groups)),
        );
    } else {
        let n = &missing_egress[0];
        d = d.with(
            lb.security_groups.span,
            format!(
                "2. missing hop: the egress of {} allows no {} to the {}",
                names(lb_groups),
                n.text(),
                t.noun
            ),
        );
        if let Some(g) = first_new(lb_groups) {
            let to = first_new(&t.groups).unwrap_or_else(|| m[t.groups[0]].name.name.clone());
            let rules: Vec<String> = missing_egress
                .iter()
                .map(|n| format!("`egress {} to {to}`", n.written()))
                .collect();
            help.push(format!(
                "add {} to security group `{g}`",
                rules.join(" and ")
            ));
        }
    }
    if missing_ingress.is_empty() {
        d = d.with(t.span, format!("3. the {} admit the load balancer", t.noun));
    } else {
        let n = &missing_ingress[0];
        d = d.with(
            t.span,
            format!(
                "3. missing hop: no rule of {} admits {} from `{source}`",
                names(&t.groups),
                n.text()
            ),
        );
        let group = elsewhere
            .first()
            .filter(|(g, _)| g.existing.is_none())
            .map(|(g, _)| g.name.name.clone())
            .or_else(|| first_new(&t.groups));
        if let Some(g) = group {
            let rules: Vec<String> = missing_ingress
                .iter()
                .map(|n| format!("`ingress {} from {source}`", n.written()))
                .collect();
            help.push(format!(
                "add {} to security group `{g}`",
                rules.join(" and ")
            ));
        }
        for (g, r) in elsewhere.iter().take(2) {
            d = d.with(
                r.span,
                format!(
                    "`{}` opens {} to the load balancer, not {}",
                    g.name.name,
                    r.description(m, false)
                        .split(" from ")
                        .next()
                        .unwrap_or_default(),
                    n.text()
                ),
            );
        }
    }
    if let Some(p) = t.mapping {
        let dynamic = all.iter().any(|n| n.dynamic());
        d = d.with(
            p.span,
            format!(
                "4. container `{}` listens on {}{}",
                t.container.name.name,
                p.container_port.value,
                if dynamic {
                    ", behind a dynamic host port"
                } else {
                    ""
                }
            ),
        );
    }
    if help.is_empty() {
        help.push(format!(
            "let the security groups admit {} from the load balancer",
            all[0].text()
        ));
    }
    out.push(d.help(help.join("; ")));
}
