//! Derivation: the resources users never write, added to the model.
//!
//! Internet gateways, route tables with their default routes, the route
//! tables gateway endpoints attach to, a target group per route, listener
//! rules with stable priorities, log groups, least-privilege IAM roles, and
//! the capacity providers each cluster is associated with.
//! Everything here depends only on names and declarations, so an unrelated
//! edit never renames or renumbers a derived resource.

use crate::model::*;
use crate::source::Spanned;
use std::collections::{BTreeMap, HashSet};

pub fn derive(model: &mut Model) {
    network(model);
    load_balancing(model);
    roles_and_logs(model);
    instance_roles(model);
    capacity_providers(model);
    // The lists derived here grew by doubling (24.6 MB of them at 10,000
    // services, heaptrack), their unused room allocated through the plan
    // and the rules. Shrinking gives the tail back in place, without a
    // copy.
    model.internet_gateways.shrink_to_fit();
    model.route_tables.shrink_to_fit();
    model.target_groups.shrink_to_fit();
    model.listener_rules.shrink_to_fit();
    model.roles.shrink_to_fit();
    model.log_groups.shrink_to_fit();
}

fn network(m: &mut Model) {
    // A NAT for private subnets that name none: the VPC's NAT in the same
    // zone, else its first.
    // A disabled NAT routes nothing: its subnets choose again below.
    for s in 0..m.subnets.len() {
        if m.subnets[s]
            .nat
            .is_some_and(|n| !m.nat_gateways[n.0].enabled)
        {
            m.subnets[s].nat = None;
        }
    }
    for s in 0..m.subnets.len() {
        // An existing subnet has its own routes.
        let sub = &m.subnets[s];
        if sub.public || sub.nat.is_some() || sub.existing.is_some() {
            continue;
        }
        let vpc = sub.vpc;
        let zone = sub.zone.as_ref().map(|z| z.value.clone());
        let in_vpc: Vec<usize> = (0..m.nat_gateways.len())
            .filter(|n| {
                m.nat_gateways[*n].enabled
                    && m.subnets
                        .get(m.nat_gateways[*n].subnet.value.0)
                        .is_some_and(|ns| ns.vpc == vpc)
            })
            .collect();
        let same_zone = in_vpc.iter().find(|n| {
            let nat_zone = m.subnets[m.nat_gateways[**n].subnet.value.0].zone.as_ref();
            zone.is_some() && nat_zone.map(|z| &z.value) == zone.as_ref()
        });
        m.subnets[s].nat = same_zone.or(in_vpc.first()).map(|n| NatId(*n));
    }
    for v in 0..m.vpcs.len() {
        let vpc = VpcId(v);
        // New public subnets of a new VPC: an existing VPC has its own
        // internet gateway (lowering refuses new public subnets in it).
        if m.vpcs[v].existing.is_some() {
            continue;
        }
        let public: Vec<SubnetId> = (0..m.subnets.len())
            .filter(|s| {
                let sub = &m.subnets[*s];
                sub.vpc == vpc && sub.public && sub.existing.is_none()
            })
            .map(SubnetId)
            .collect();
        if !public.is_empty() {
            m.internet_gateways.push(InternetGateway { vpc });
            let igw = IgwId(m.internet_gateways.len() - 1);
            let table = RouteTableId(m.route_tables.len());
            m.route_tables.push(RouteTable {
                name: format!("{}-public", m.vpcs[v].name.name),
                vpc,
                public: true,
                default_route: Some(DefaultRoute::Internet(igw)),
                subnets: public.clone(),
            });
            for s in public {
                m.subnets[s.0].route_table = Some(table);
            }
        }
    }
    for s in 0..m.subnets.len() {
        if m.subnets[s].public || m.subnets[s].existing.is_some() {
            continue;
        }
        let table = RouteTableId(m.route_tables.len());
        m.route_tables.push(RouteTable {
            name: m.subnets[s].name.name.clone(),
            vpc: m.subnets[s].vpc,
            public: false,
            default_route: m.subnets[s].nat.map(DefaultRoute::Nat),
            subnets: vec![SubnetId(s)],
        });
        m.subnets[s].route_table = Some(table);
    }
    for e in 0..m.endpoints.len() {
        if m.endpoints[e].kind != EndpointKind::Gateway {
            continue;
        }
        let vpc = m.endpoints[e].vpc.value;
        let tables = |private: bool| -> Vec<RouteTableId> {
            (0..m.route_tables.len())
                .filter(|t| {
                    m.route_tables[*t].vpc == vpc && (!private || !m.route_tables[*t].public)
                })
                .map(RouteTableId)
                .collect()
        };
        let private = tables(true);
        m.endpoints[e].route_tables = if private.is_empty() {
            tables(false)
        } else {
            private
        };
    }
}

fn load_balancing(m: &mut Model) {
    // Rules per listener, to assign priorities together.
    let mut per_listener: BTreeMap<ListenerRef, Vec<RuleId>> = BTreeMap::new();
    // The rules of weighted routes, by listener and conditions: a route
    // with a weight joins the one its conditions match.
    let mut weighted: BTreeMap<(ListenerRef, String), RuleId> = BTreeMap::new();
    for s in 0..m.services.len() {
        let service_name = m.services[s].name.name.clone();
        let task = m.services[s].placement.task.value;
        let awsvpc = m
            .tasks
            .get(task.0)
            .is_none_or(|t| t.network_mode.value == NetworkMode::Awsvpc);
        for r in 0..m.services[s].routes.len() {
            let route = m.services[s].routes[r].clone();
            // A route without a known container and port gets no target
            // group (E053 reports it).
            let Some((container, port)) = route.target() else {
                continue;
            };
            let lb = &m.load_balancers[route.listener.lb.0];
            let listener = &m[route.listener];
            // The port's application protocol decides how an application
            // load balancer speaks to the targets (HTTP/1.1 unless it says).
            let protocol_version = m
                .tasks
                .get(task.0)
                .and_then(|t| t.containers.get(container))
                .and_then(|c| c.ports.iter().find(|p| p.container_port.value == port))
                .filter(|_| !listener.protocol.value.is_network())
                .and_then(|p| {
                    let version = match p.app_protocol.as_deref() {
                        Some("http2") => "HTTP2",
                        Some("grpc") => "GRPC",
                        _ => return None,
                    };
                    Some(Spanned::new(version, p.span))
                });
            let vpc = m.lb_vpc(lb).unwrap_or(VpcId(0));
            let base = format!("{}-{}-{}", service_name, lb.name.name, listener.port.value);
            let protocol = listener.protocol.value.target_protocol();
            let tg = TgId(m.target_groups.len());
            m.target_groups.push(TargetGroup {
                name: base.clone(),
                physical_name: route.target_group_name.clone(),
                service: ServiceId(s),
                listener: route.listener,
                vpc,
                port,
                target_type: if awsvpc {
                    TargetType::Ip
                } else {
                    TargetType::Instance
                },
                protocol_version,
                protocol,
                health: route.health.clone(),
                deregistration_delay: route.deregistration_delay,
                sticky: route.sticky.clone(),
                span: route.target_span,
            });
            m.services[s].routes[r].target_group = Some(tg);
            let weight = route.weight.as_ref().map(|w| w.value);
            if route.conditions.is_empty() {
                // No conditions: this route is the listener's default
                // action, unless the listener has one already (E026);
                // routes with weights share it.
                let listener =
                    &mut m.load_balancers[route.listener.lb.0].listeners[route.listener.index];
                match &mut listener.default {
                    _ if listener.default_span.is_some() => {}
                    DefaultAction::Forward(to) => {
                        if weight.is_some() && to.iter().all(|(_, w)| w.is_some()) {
                            to.push((tg, weight));
                        }
                    }
                    other => *other = DefaultAction::Forward(vec![(tg, weight)]),
                }
                continue;
            }
            // A route with a weight joins the rule of routes with the same
            // listener and conditions that have weights too (a canary).
            let key = weight.map(|_| (route.listener, route.conditions.key()));
            let shared = key.as_ref().and_then(|k| weighted.get(k).copied());
            if let Some(id) = shared {
                let rule = &mut m.listener_rules[id.0];
                if let RuleAction::Forward(to) = &mut rule.action {
                    to.push((tg, weight));
                }
                // The shared rule takes a priority written on any of its
                // routes (E029 reports two different ones).
                if let (0, Some(p)) = (rule.priority.value, &route.priority) {
                    rule.priority = p.clone();
                }
                m.services[s].routes[r].rule = Some(id);
                continue;
            }
            let rule = RuleId(m.listener_rules.len());
            m.listener_rules.push(ListenerRule {
                name: base,
                listener: route.listener,
                priority: route
                    .priority
                    .clone()
                    .unwrap_or(Spanned::new(0, route.target_span)),
                conditions: route.conditions.clone(),
                action: RuleAction::Forward(vec![(tg, weight)]),
                span: route.target_span,
            });
            m.services[s].routes[r].rule = Some(rule);
            per_listener.entry(route.listener).or_default().push(rule);
            if let Some(k) = key {
                weighted.insert(k, rule);
            }
        }
    }
    // The listeners' own rules (redirects, fixed responses).
    for b in 0..m.load_balancers.len() {
        for l in 0..m.load_balancers[b].listeners.len() {
            let listener = ListenerRef {
                lb: LbId(b),
                index: l,
            };
            let lb = &m.load_balancers[b];
            let port = lb.listeners[l].port.value;
            let own: Vec<ListenerRule> = lb.listeners[l]
                .rules
                .iter()
                .map(|o| ListenerRule {
                    name: format!("{}-{port}-{}", lb.name.name, o.name.name),
                    listener,
                    priority: o.priority.clone().unwrap_or(Spanned::new(0, o.name.span)),
                    conditions: o.conditions.clone(),
                    action: RuleAction::Own(o.action.clone()),
                    span: o.span,
                })
                .collect();
            for rule in own {
                let id = RuleId(m.listener_rules.len());
                m.listener_rules.push(rule);
                per_listener.entry(listener).or_default().push(id);
            }
        }
    }
    for rules in per_listener.values() {
        assign_priorities(m, rules);
    }
}

/// Priorities for rules that name none. More specific conditions get lower
/// numbers (evaluated first); within a band, a hash of the rule's name keeps
/// the number stable when other rules are added or removed.
fn assign_priorities(m: &mut Model, rules: &[RuleId]) {
    let mut taken: HashSet<u32> = rules
        .iter()
        .map(|r| m.listener_rules[r.0].priority.value)
        .filter(|p| *p != 0)
        .collect();
    let mut pending: Vec<(u32, String, RuleId)> = rules
        .iter()
        .filter(|r| m.listener_rules[r.0].priority.value == 0)
        .map(|r| {
            let rule = &m.listener_rules[r.0];
            (preferred_priority(rule), rule.name.clone(), *r)
        })
        .collect();
    pending.sort();
    // The first free priority at or after the preferred one (wrapping from
    // 50,000, ALB's highest, to 1), found through "next free" links with
    // path halving: a band of a thousand numbers can hold ten thousand
    // rules without probing one number at a time.
    let mut next: Vec<u32> = (0..=MAX_PRIORITY + 1).collect();
    let take = |next: &mut Vec<u32>, p: u32| {
        if let Some(slot) = next.get_mut(p as usize) {
            *slot = p + 1;
        }
    };
    let find = |next: &mut Vec<u32>, mut p: u32| -> u32 {
        while let Some(&n) = next.get(p as usize).filter(|&&n| n != p) {
            let skip = next.get(n as usize).copied().unwrap_or(n);
            if let Some(slot) = next.get_mut(p as usize) {
                *slot = skip;
            }
            p = n;
        }
        p
    };
    for &p in &taken {
        take(&mut next, p);
    }
    for (p, _, r) in pending {
        let mut free = find(&mut next, p.min(MAX_PRIORITY + 1));
        if free > MAX_PRIORITY {
            free = find(&mut next, 1);
        }
        // More rules than priorities: E-rules report it; keep the number.
        let free = if free > MAX_PRIORITY { p } else { free };
        take(&mut next, free);
        taken.insert(free);
        m.listener_rules[r.0].priority.value = free;
    }
}

/// The highest listener rule priority (Elastic Load Balancing).
const MAX_PRIORITY: u32 = 50_000;

fn preferred_priority(rule: &ListenerRule) -> u32 {
    let literal = |v: &[String]| -> usize {
        v.iter()
            .map(|s| s.chars().filter(|c| *c != '*' && *c != '?').count())
            .max()
            .unwrap_or(0)
    };
    let c = &rule.conditions;
    // Every condition beyond paths and hosts narrows the rule further.
    let others = c.methods().len() + c.headers.len() + c.query.len() + c.source_ips().len();
    let specificity = (literal(c.paths()) + literal(c.hosts()) + 8 * others).min(48) as u32;
    let band = 48 - specificity;
    band * 1000 + 1 + fnv1a(&rule.name) % 997
}

fn fnv1a(s: &str) -> u32 {
    s.bytes().fold(0x811c_9dc5u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

/// What runs on a cluster with a default strategy, naming neither its own
/// strategy nor a launch type, runs with that strategy (written out, so
/// both targets say it). Each cluster is then associated with the capacity
/// providers its strategies name (in a fixed order).
fn capacity_providers(m: &mut Model) {
    let defaults: Vec<Vec<StrategyItem>> = m.clusters.iter().map(|c| c.capacity.clone()).collect();
    // A daemon runs on every instance: no strategy applies to it.
    let placements = m
        .services
        .iter_mut()
        .filter(|s| s.daemon.is_none())
        .map(|s| &mut s.placement)
        .chain(m.schedules.iter_mut().map(|s| &mut s.placement))
        .chain(m.tasks.iter_mut().filter_map(|t| t.run.as_mut()));
    for p in placements {
        if p.capacity.is_empty() && !p.launch_written {
            if let Some(default) = defaults.get(p.cluster.value.0) {
                p.capacity = default.clone();
            }
        }
    }
    let mut used: Vec<Vec<Provider>> = m
        .clusters
        .iter()
        .map(|c| c.capacity.iter().map(|i| i.provider.value).collect())
        .collect();
    // An instance group's provider belongs to its cluster.
    for (g, group) in m.instance_groups.iter().enumerate() {
        if let Some(list) = used.get_mut(group.cluster.value.0) {
            list.push(Provider::Instances(InstancesId(g)));
        }
    }
    for (_, _, p) in m.placements() {
        if let Some(list) = used.get_mut(p.cluster.value.0) {
            list.extend(p.capacity.iter().map(|i| i.provider.value));
        }
    }
    for (c, mut list) in m.clusters.iter_mut().zip(used) {
        list.sort();
        list.dedup();
        c.providers = list;
    }
}

/// Container instances assume a role that lets the ECS agent register
/// them and run their tasks (AWS's managed AmazonEC2ContainerServiceforEC2Role).
fn instance_roles(m: &mut Model) {
    for g in 0..m.instance_groups.len() {
        m.roles.push(Role {
            name: format!("{}-instances", m.instance_groups[g].name.name),
            kind: RoleKind::Instances(InstancesId(g)),
            principal: "ec2.amazonaws.com",
            managed_policies: vec![format!(
                "arn:{}:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role",
                partition_of(&m.stack.region)
            )],
            statements: Vec::new(),
            existing: None,
        });
        m.instance_groups[g].role = Some(RoleId(m.roles.len() - 1));
    }
}

fn roles_and_logs(m: &mut Model) {
    let exec_tasks: HashSet<TaskId> = m
        .services
        .iter()
        .filter(|s| s.exec.value)
        .map(|s| s.placement.task.value)
        .collect();
    // Service Connect proxies log to their task's log group.
    let proxy_log_tasks: HashSet<TaskId> = m
        .services
        .iter()
        .filter(|s| s.connect.as_ref().is_some_and(|c| c.logs))
        .map(|s| s.placement.task.value)
        .collect();
    for t in 0..m.tasks.len() {
        let task = &m.tasks[t];
        let name = task.name.name.clone();
        let log_group = if task.uses_awslogs() || proxy_log_tasks.contains(&TaskId(t)) {
            m.log_groups.push(LogGroup {
                task: TaskId(t),
                group_name: format!("/ecs/{}/{}", m.stack.name, name),
                retention_days: task.log_retention.value,
            });
            Some(LogGroupId(m.log_groups.len() - 1))
        } else {
            None
        };
        let mut statements = Vec::new();
        // A repository of the stack is granted as itself (a reference the
        // graph sees); an image written out, by the repository its name
        // holds.
        let mut repos: Vec<Arn> = task
            .containers
            .iter()
            .filter_map(|c| match &c.from_repository {
                Some(from) => Some(Arn::Repository(from.repository.value)),
                None => ecr_repository(&c.image.value).map(|(account, region, repository)| {
                    Arn::EcrRepository {
                        account,
                        region,
                        repository,
                    }
                }),
            })
            .collect();
        repos.sort();
        repos.dedup();
        if !repos.is_empty() {
            statements.push(PolicyStatement {
                actions: vec!["ecr:GetAuthorizationToken".into()],
                resources: vec![Arn::Any],
                condition: None,
            });
            statements.push(PolicyStatement {
                actions: vec![
                    "ecr:BatchCheckLayerAvailability".into(),
                    "ecr:BatchGetImage".into(),
                    "ecr:GetDownloadUrlForLayer".into(),
                ],
                resources: repos,
                condition: None,
            });
        }
        if let Some(lg) = log_group {
            statements.push(PolicyStatement {
                actions: vec!["logs:CreateLogStream".into(), "logs:PutLogEvents".into()],
                resources: vec![Arn::LogGroup(lg)],
                condition: None,
            });
        }
        let mut ssm = Vec::new();
        let mut sm = Vec::new();
        for c in &task.containers {
            for s in &c.secrets {
                let arn = if s.from.value.starts_with("arn:") {
                    Arn::Literal(secret_arn_for_policy(&s.from.value, s.store.value))
                } else if s.store.value == SecretStore::Ssm {
                    Arn::SsmParameter(s.from.value.clone())
                } else {
                    Arn::SecretByName(crate::arn::secret_grant(&s.from.value))
                };
                match s.store.value {
                    SecretStore::Ssm => ssm.push(arn),
                    SecretStore::SecretsManager => sm.push(arn),
                }
            }
        }
        for (list, action) in [
            (&mut ssm, "ssm:GetParameters"),
            (&mut sm, "secretsmanager:GetSecretValue"),
        ] {
            list.sort();
            list.dedup();
            if !list.is_empty() {
                statements.push(PolicyStatement {
                    actions: vec![action.into()],
                    resources: std::mem::take(list),
                    condition: None,
                });
            }
        }
        // A given execution role is used even when nothing needs one.
        let given = m.tasks[t].given_execution_role.clone();
        let execution_role = if statements.is_empty() && given.is_none() {
            None
        } else {
            m.roles.push(Role {
                name: format!("{name}-execution"),
                kind: RoleKind::Execution(TaskId(t)),
                principal: "ecs-tasks.amazonaws.com",
                managed_policies: Vec::new(),
                statements,
                existing: given,
            });
            Some(RoleId(m.roles.len() - 1))
        };
        let task = &m.tasks[t];
        let needs_exec = exec_tasks.contains(&TaskId(t));
        let task_role = if task.role.is_some() || needs_exec {
            let mut statements: Vec<PolicyStatement> = task
                .role
                .iter()
                .flat_map(|r| r.statements.iter().map(|s| s.value.clone()))
                .collect();
            if needs_exec {
                statements.push(PolicyStatement {
                    actions: vec![
                        "ssmmessages:CreateControlChannel".into(),
                        "ssmmessages:CreateDataChannel".into(),
                        "ssmmessages:OpenControlChannel".into(),
                        "ssmmessages:OpenDataChannel".into(),
                    ],
                    resources: vec![Arn::Any],
                    condition: None,
                });
            }
            m.roles.push(Role {
                name: format!("{name}-task"),
                kind: RoleKind::Task(TaskId(t)),
                principal: "ecs-tasks.amazonaws.com",
                managed_policies: task
                    .role
                    .as_ref()
                    .map(|r| r.managed_policies.clone())
                    .unwrap_or_default(),
                statements,
                existing: task.role.as_ref().and_then(|r| r.existing.clone()),
            });
            Some(RoleId(m.roles.len() - 1))
        } else {
            None
        };
        let task = &mut m.tasks[t];
        task.log_group = log_group;
        task.execution_role = execution_role;
        task.task_role = task_role;
    }
    for s in 0..m.schedules.len() {
        let task = m.schedules[s].placement.task.value;
        let Some(t) = m.tasks.get(task.0) else {
            continue;
        };
        let mut pass: Vec<Arn> = [t.execution_role, t.task_role]
            .into_iter()
            .flatten()
            .map(Arn::Role)
            .collect();
        pass.sort();
        // Any revision of its task's family (a new revision must not need
        // a new grant), in its cluster only.
        let mut statements = vec![PolicyStatement {
            actions: vec!["ecs:RunTask".into()],
            resources: vec![Arn::TaskFamily(task)],
            condition: Some(StatementCondition::Cluster(
                m.schedules[s].placement.cluster.value,
            )),
        }];
        if !pass.is_empty() {
            statements.push(PolicyStatement {
                actions: vec!["iam:PassRole".into()],
                resources: pass,
                condition: Some(StatementCondition::PassedTo(
                    "ecs-tasks.amazonaws.com".into(),
                )),
            });
        }
        m.roles.push(Role {
            name: format!("{}-events", m.schedules[s].name.name),
            kind: RoleKind::Events(ScheduleId(s)),
            principal: "events.amazonaws.com",
            managed_policies: Vec::new(),
            statements,
            existing: None,
        });
        m.schedules[s].role = Some(RoleId(m.roles.len() - 1));
    }
}

/// The resource to grant for a secret ARN: without a JSON key, version
/// stage or version id, and for a partial Secrets Manager ARN (no random
/// suffix) with the six characters Secrets Manager appends (`-??????`).
fn secret_arn_for_policy(arn: &str, store: SecretStore) -> String {
    if store == SecretStore::Ssm {
        return arn.to_string();
    }
    // arn:aws:secretsmanager:region:acct:secret:name[:json-key:stage:id]
    let parts: Vec<&str> = arn.splitn(8, ':').collect();
    if parts.len() >= 7 {
        crate::arn::secret_grant(&parts[..7].join(":"))
    } else {
        arn.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn priorities_prefer_specific_rules_and_stay_in_range() {
        let rule = |name: &str, path: &str| ListenerRule {
            name: name.into(),
            listener: ListenerRef {
                lb: LbId(0),
                index: 0,
            },
            priority: Spanned::new(0, Default::default()),
            conditions: Conditions {
                paths: Some(Spanned::new(vec![path.into()], Default::default())),
                ..Default::default()
            },
            action: RuleAction::Forward(vec![(TgId(0), None)]),
            span: Default::default(),
        };
        let specific = preferred_priority(&rule("api", "/api/v1/*"));
        let general = preferred_priority(&rule("web", "/*"));
        assert!(specific < general, "{specific} < {general}");
        assert!((1..=50_000).contains(&general));
        assert_eq!(general, preferred_priority(&rule("web", "/*")));
    }

    #[test]
    fn secret_policy_arn_drops_json_key() {
        assert_eq!(
            secret_arn_for_policy(
                "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf:password::",
                SecretStore::SecretsManager
            ),
            "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf"
        );
        // A partial ARN names no suffix: the grant matches the one Secrets
        // Manager appended (an exact `secret:db` would match nothing).
        assert_eq!(
            secret_arn_for_policy(
                "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db:password::",
                SecretStore::SecretsManager
            ),
            "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-??????"
        );
        assert_eq!(
            secret_arn_for_policy(
                "arn:aws:ssm:eu-west-1:123456789012:parameter/shop/db",
                SecretStore::Ssm
            ),
            "arn:aws:ssm:eu-west-1:123456789012:parameter/shop/db"
        );
    }
}
