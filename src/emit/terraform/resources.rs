//! Each plan resource in Terraform's shape. Terraform folds the gateway
//! attachment into the internet gateway (created with `vpc_id`); every
//! security group rule, inline policy, policy attachment and schedule
//! target is a resource of its own. Stack tags come from the provider's
//! `default_tags`, so a resource carries only its `Name` tag.

use super::{escape, json_document, Configuration, Obj, Val};
use crate::plan::*;
use std::collections::HashMap;

struct Cx<'p> {
    plan: &'p Plan,
    /// Where a resource folded into its parent is found: the parent's
    /// address stands for it in `depends_on`.
    parents: HashMap<&'p ResId, &'p ResId>,
    c: Configuration,
}

/// `aws_vpc.main`, or the parent's address for a folded resource.
fn address(cx: &Cx<'_>, id: &ResId) -> Option<String> {
    let mut id = id;
    while id.kind.info().terraform.type_name().is_none() {
        id = cx.parents.get(id)?;
    }
    let kind = id.kind.info().terraform.type_name()?;
    Some(format!("{kind}.{}", id.terraform_name()))
}

pub fn render(plan: &Plan) -> Configuration {
    let parents = plan
        .resources
        .iter()
        .filter_map(|r| Some((&r.id, r.parent.as_ref()?)))
        .collect();
    let mut cx = Cx {
        plan,
        parents,
        c: Configuration {
            region: plan.region.clone(),
            default_tags: plan.tags.clone(),
            ..Configuration::default()
        },
    };
    for r in &plan.resources {
        let Some(kind) = r.id.kind.info().terraform.type_name() else {
            continue;
        };
        let (body, ignore_changes) = cx.body(&r.body);
        let body = match &r.name_tag {
            Some(tag) => body.set("tags", Obj::new().set("Name", tag.as_str())),
            None => body,
        };
        let depends_on = r
            .depends_on
            .iter()
            .filter_map(|d| address(&cx, d))
            .collect();
        let res = cx.c.add(kind, r.id.terraform_name(), body);
        res.depends_on = depends_on;
        res.ignore_changes = ignore_changes;
    }
    for o in &plan.outputs {
        let value = cx.r(&o.value);
        cx.c.output(crate::names::snake(&o.name), o.description.clone(), value);
    }
    cx.c
}

impl Cx<'_> {
    /// `${aws_vpc.main.id}`.
    fn template_ref(&self, r: &Ref) -> String {
        let info = r.to.kind.info();
        let attr = info.attr(r.attr).map(|a| a.terraform);
        let (name, suffix) = attr.map_or(("id", ""), |a| (a.name, a.suffix));
        let kind = info.terraform.type_name().unwrap_or_default();
        format!("${{{kind}.{}.{name}}}{suffix}", r.to.terraform_name())
    }

    fn r(&self, r: &Ref) -> Val {
        Val::Expr(self.template_ref(r))
    }

    fn rs(&self, refs: &[Ref]) -> Vec<Val> {
        refs.iter().map(|r| self.r(r)).collect()
    }

    /// A template string: literals escaped, references live, the Region
    /// written out, account and partition read from data sources.
    fn text(&mut self, text: &Text) -> Val {
        let mut s = String::new();
        for p in &text.0 {
            match p {
                Part::Lit(l) => s.push_str(&escape(l)),
                Part::Ref(r) => s.push_str(&self.template_ref(r)),
                Part::Region => s.push_str(&escape(&self.plan.region)),
                Part::Account => s.push_str(&self.c.account_id()),
                Part::Partition => s.push_str(&self.c.partition()),
            }
        }
        Val::Expr(s)
    }

    fn value(&mut self, v: &Value) -> Val {
        match v {
            Value::Bool(b) => Val::Bool(*b),
            Value::Int(n) => Val::Int(*n),
            Value::Str(s) => Val::Str(s.clone()),
            Value::Text(t) => self.text(t),
            Value::Ref(r) => self.r(r),
            // No deploy-time inputs here: the default is the value.
            Value::Input(name) => Val::Str(
                self.plan
                    .inputs
                    .iter()
                    .find(|i| &i.name == name)
                    .map(|i| i.default.clone())
                    .unwrap_or_default(),
            ),
            Value::List(items) => Val::List(items.iter().map(|i| self.value(i)).collect()),
            Value::Map(entries) | Value::Dict(entries) => Val::Map(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), self.value(v)))
                    .collect(),
            ),
        }
    }

    fn awsvpc(&self, n: &AwsVpc) -> Obj {
        Obj::new()
            .set("assign_public_ip", n.public_ip)
            .set("security_groups", self.rs(&n.security_groups))
            .set("subnets", self.rs(&n.subnets))
    }

    /// The resource's arguments, and those to ignore drift on.
    fn body(&mut self, body: &Body) -> (Obj, Vec<String>) {
        let obj = match body {
            Body::Vpc {
                cidr,
                dns_support,
                dns_hostnames,
            } => Obj::new()
                .set("cidr_block", cidr.as_str())
                .set("enable_dns_support", *dns_support)
                .set("enable_dns_hostnames", *dns_hostnames),
            Body::Subnet { vpc, cidr, zone } => Obj::new()
                .set("vpc_id", self.r(vpc))
                .set("cidr_block", cidr.as_str())
                .set("availability_zone", self.text(zone)),
            Body::InternetGateway { vpc } => Obj::new().set("vpc_id", self.r(vpc)),
            Body::GatewayAttachment { .. } => Obj::new(),
            Body::Eip {} => Obj::new().set("domain", "vpc"),
            Body::NatGateway { allocation, subnet } => Obj::new()
                .set("allocation_id", self.r(allocation))
                .set("subnet_id", self.r(subnet)),
            Body::RouteTable { vpc } => Obj::new().set("vpc_id", self.r(vpc)),
            Body::Route {
                table,
                destination,
                via,
            } => {
                let (key, target) = match via {
                    RouteVia::Gateway(g) => ("gateway_id", g),
                    RouteVia::Nat(n) => ("nat_gateway_id", n),
                };
                Obj::new()
                    .set("route_table_id", self.r(table))
                    .set("destination_cidr_block", destination.as_str())
                    .set(key, self.r(target))
            }
            Body::RouteTableAssociation { subnet, table } => Obj::new()
                .set("subnet_id", self.r(subnet))
                .set("route_table_id", self.r(table)),
            Body::SecurityGroup { description, vpc } => Obj::new()
                .set("description", description.as_str())
                .set("vpc_id", self.r(vpc)),
            Body::SgRule {
                group,
                protocol,
                ports,
                peer,
                description,
            } => {
                let mut o = Obj::new()
                    .set("security_group_id", self.r(group))
                    .set("ip_protocol", *protocol);
                if let Some((from, to)) = ports {
                    o = o
                        .set("from_port", Val::Int(*from))
                        .set("to_port", Val::Int(*to));
                }
                let o = match peer {
                    Peer::Cidr(c) => o.set("cidr_ipv4", c.as_str()),
                    Peer::Group(g) => o.set("referenced_security_group_id", self.r(g)),
                    Peer::PrefixList(p) => o.set("prefix_list_id", self.r(p)),
                };
                o.set("description", description.as_str())
            }
            Body::VpcEndpoint {
                vpc,
                service_name,
                placement,
                ..
            } => {
                let o = Obj::new()
                    .set("vpc_id", self.r(vpc))
                    .set("service_name", self.text(service_name));
                match placement {
                    EndpointPlacement::Gateway { route_tables } => o
                        .set("vpc_endpoint_type", "Gateway")
                        .list("route_table_ids", self.rs(route_tables)),
                    EndpointPlacement::Interface {
                        subnets,
                        security_groups,
                        private_dns,
                    } => o
                        .set("vpc_endpoint_type", "Interface")
                        .list("subnet_ids", self.rs(subnets))
                        .list("security_group_ids", self.rs(security_groups))
                        .set("private_dns_enabled", *private_dns),
                }
            }
            Body::LoadBalancer {
                name,
                lb_type,
                drop_invalid_header_fields,
                internal,
                subnets,
                security_groups,
                idle_timeout,
            } => Obj::new()
                .opt("name", name.as_deref())
                .set("load_balancer_type", *lb_type)
                .set("internal", *internal)
                .set("subnets", self.rs(subnets))
                .list("security_groups", self.rs(security_groups))
                .set("drop_invalid_header_fields", *drop_invalid_header_fields)
                .opt("idle_timeout", *idle_timeout),
            Body::Listener {
                lb,
                port,
                protocol,
                certificate,
                ssl_policy,
                default,
            } => {
                let action = match default {
                    Action::Fixed {
                        status,
                        content_type,
                        body,
                    } => Obj::new().set("type", "fixed-response").set(
                        "fixed_response",
                        Obj::new()
                            .set("content_type", content_type.as_str())
                            .opt("message_body", body.as_deref())
                            .set("status_code", status.as_str()),
                    ),
                    Action::Redirect {
                        protocol,
                        port,
                        status_code,
                    } => Obj::new().set("type", "redirect").set(
                        "redirect",
                        Obj::new()
                            .set("port", port.as_str())
                            .set("protocol", *protocol)
                            .set("status_code", *status_code),
                    ),
                    Action::Forward(tg) => Obj::new()
                        .set("type", "forward")
                        .set("target_group_arn", self.r(tg)),
                };
                Obj::new()
                    .set("load_balancer_arn", self.r(lb))
                    .set("port", *port)
                    .set("protocol", *protocol)
                    .opt("certificate_arn", certificate.as_deref())
                    .opt("ssl_policy", ssl_policy.as_deref())
                    .set("default_action", vec![Val::from(action)])
            }
            Body::TargetGroup {
                name,
                vpc,
                port,
                protocol,
                target_type,
                health,
                deregistration_delay,
            } => Obj::new()
                .opt("name", name.as_deref())
                .set("vpc_id", self.r(vpc))
                .set("port", *port)
                .set("protocol", *protocol)
                .set("target_type", *target_type)
                .set(
                    "health_check",
                    Obj::new()
                        .set("path", health.path.as_str())
                        .opt("interval", health.interval)
                        .opt("timeout", health.timeout)
                        .opt("healthy_threshold", health.healthy)
                        .opt("unhealthy_threshold", health.unhealthy)
                        .opt("matcher", health.matcher.as_deref()),
                )
                .opt(
                    "deregistration_delay",
                    deregistration_delay.map(|d| d.to_string()),
                ),
            Body::ListenerRule {
                listener,
                priority,
                hosts,
                paths,
                target_group,
            } => {
                let mut conditions = Vec::new();
                for (field, values) in [("host_header", hosts), ("path_pattern", paths)] {
                    if !values.is_empty() {
                        conditions.push(Val::from(
                            Obj::new().set(field, Obj::new().set("values", values.clone())),
                        ));
                    }
                }
                Obj::new()
                    .set("listener_arn", self.r(listener))
                    .set("priority", *priority)
                    .set("condition", conditions)
                    .set(
                        "action",
                        vec![Val::from(
                            Obj::new()
                                .set("type", "forward")
                                .set("target_group_arn", self.r(target_group)),
                        )],
                    )
            }
            Body::Cluster { name, insights } => Obj::new().set("name", name.as_str()).set(
                "setting",
                vec![Val::from(Obj::new().set("name", "containerInsights").set(
                    "value",
                    if *insights { "enabled" } else { "disabled" },
                ))],
            ),
            Body::Namespace { name, vpc } => Obj::new()
                .set("name", name.as_str())
                .set("vpc", self.r(vpc)),
            Body::LogGroup {
                name,
                retention_days,
            } => Obj::new()
                .set("name", name.as_str())
                .set("retention_in_days", *retention_days),
            Body::Role { assume_role_policy } => {
                let doc = self.value(assume_role_policy);
                Obj::new().set("assume_role_policy", json_document(&doc))
            }
            Body::RolePolicy {
                role,
                name,
                document,
            } => {
                let doc = self.value(document);
                Obj::new()
                    .set("name", name.as_str())
                    .set("role", self.r(role))
                    .set("policy", json_document(&doc))
            }
            Body::PolicyAttachment { role, policy_arn } => Obj::new()
                .set("role", self.r(role))
                .set("policy_arn", policy_arn.as_str()),
            Body::TaskDefinition {
                family,
                cpu,
                memory,
                network_mode,
                launch,
                execution_role,
                task_role,
                runtime,
                ephemeral_storage_gib,
                containers,
                volumes,
            } => {
                let containers = self.value(containers);
                Obj::new()
                    .set("family", family.as_str())
                    .opt("cpu", cpu.as_deref())
                    .opt("memory", memory.as_deref())
                    .set("network_mode", *network_mode)
                    .set("requires_compatibilities", vec![*launch])
                    .opt(
                        "execution_role_arn",
                        execution_role.as_ref().map(|r| self.r(r)),
                    )
                    .opt("task_role_arn", task_role.as_ref().map(|r| self.r(r)))
                    .opt(
                        "runtime_platform",
                        runtime.map(|(arch, os)| {
                            Obj::new()
                                .set("cpu_architecture", arch)
                                .set("operating_system_family", os)
                        }),
                    )
                    .opt(
                        "ephemeral_storage",
                        ephemeral_storage_gib.map(|g| Obj::new().set("size_in_gib", g)),
                    )
                    .set("container_definitions", json_document(&containers))
                    .list("volume", volumes.iter().map(volume).collect())
            }
            Body::Service {
                name,
                cluster,
                task_definition,
                desired,
                launch,
                platform_version,
                network,
                load_balancers,
                grace_period,
                min_healthy,
                max_percent,
                circuit_breaker,
                rollback,
                registry,
                exec,
                managed_outside,
            } => {
                let lbs = load_balancers
                    .iter()
                    .map(|l| {
                        Obj::new()
                            .set("container_name", l.container.as_str())
                            .set("container_port", l.port)
                            .set("target_group_arn", self.r(&l.target_group))
                            .into()
                    })
                    .collect();
                let registry = registry.as_ref().map(|reg| {
                    let o = Obj::new().set("registry_arn", self.r(&reg.service));
                    match &reg.container {
                        Some((container, port)) => o
                            .set("container_name", container.as_str())
                            .set("container_port", *port),
                        None => o,
                    }
                });
                let body = Obj::new()
                    .set("name", name.as_str())
                    .set("cluster", self.r(cluster))
                    .set("task_definition", self.r(task_definition))
                    .set("desired_count", *desired)
                    .set("launch_type", *launch)
                    .opt("platform_version", platform_version.as_deref())
                    .opt(
                        "network_configuration",
                        network.as_ref().map(|n| self.awsvpc(n)),
                    )
                    .list("load_balancer", lbs)
                    .opt("health_check_grace_period_seconds", *grace_period)
                    .opt("deployment_minimum_healthy_percent", *min_healthy)
                    .opt("deployment_maximum_percent", *max_percent)
                    .set(
                        "deployment_circuit_breaker",
                        Obj::new()
                            .set("enable", *circuit_breaker)
                            .set("rollback", *rollback),
                    )
                    .opt("service_registries", registry)
                    .opt("enable_execute_command", exec.then_some(true))
                    .set("enable_ecs_managed_tags", true)
                    .set("propagate_tags", "SERVICE");
                let ignore = managed_outside.iter().map(|s| s.to_string()).collect();
                return (body, ignore);
            }
            Body::DiscoveryService {
                name,
                namespace,
                routing_policy,
                record_type,
                ttl,
            } => Obj::new()
                .set("name", name.as_str())
                .set(
                    "dns_config",
                    Obj::new()
                        .set("namespace_id", self.r(namespace))
                        .set("routing_policy", *routing_policy)
                        .set(
                            "dns_records",
                            vec![Val::from(
                                Obj::new().set("ttl", *ttl).set("type", *record_type),
                            )],
                        ),
                )
                // AWS always uses a failure threshold of 1 (the provider
                // deprecates setting it): the block alone turns it on.
                .set("health_check_custom_config", Obj::new()),
            Body::ScalableTarget {
                min,
                max,
                resource_id,
                dimension,
                namespace,
            } => Obj::new()
                .set("min_capacity", *min)
                .set("max_capacity", *max)
                .set("resource_id", self.text(resource_id))
                .set("scalable_dimension", *dimension)
                .set("service_namespace", *namespace),
            Body::ScalingPolicy {
                name,
                policy_type,
                target,
                target_value,
                metric,
                label,
                scale_in_cooldown,
                scale_out_cooldown,
            } => {
                let label = label.as_ref().map(|l| self.text(l));
                let of_target = |attr| Val::Expr(self.template_ref(&target.to.attr(attr)));
                Obj::new()
                    .set("name", name.as_str())
                    .set("policy_type", *policy_type)
                    .set("resource_id", of_target(Attr::ResourceId))
                    .set("scalable_dimension", of_target(Attr::ScalableDimension))
                    .set("service_namespace", of_target(Attr::ServiceNamespace))
                    .set(
                        "target_tracking_scaling_policy_configuration",
                        Obj::new()
                            .set("target_value", *target_value)
                            .set(
                                "predefined_metric_specification",
                                Obj::new()
                                    .set("predefined_metric_type", *metric)
                                    .opt("resource_label", label),
                            )
                            .opt("scale_in_cooldown", *scale_in_cooldown)
                            .opt("scale_out_cooldown", *scale_out_cooldown),
                    )
            }
            Body::ScheduleRule {
                description,
                expression,
                enabled,
            } => Obj::new()
                .set("description", description.as_str())
                .set("schedule_expression", expression.as_str())
                .set("state", if *enabled { "ENABLED" } else { "DISABLED" }),
            Body::ScheduleTarget {
                rule,
                target_id,
                cluster,
                role,
                task_definition,
                count,
                launch,
                platform_version,
                network,
            } => Obj::new()
                .set("rule", self.r(rule))
                .set("target_id", target_id.as_str())
                .set("arn", self.r(cluster))
                .opt("role_arn", role.as_ref().map(|r| self.r(r)))
                .set(
                    "ecs_target",
                    Obj::new()
                        .set("task_definition_arn", self.r(task_definition))
                        .set("task_count", *count)
                        .set("launch_type", *launch)
                        .opt("platform_version", platform_version.as_deref())
                        .opt(
                            "network_configuration",
                            network.as_ref().map(|n| self.awsvpc(n)),
                        ),
                ),
        };
        (obj, Vec::new())
    }
}

fn volume(v: &VolumeDef) -> Val {
    let enabled = |on: bool| if on { "ENABLED" } else { "DISABLED" };
    Obj::new()
        .set("name", v.name.as_str())
        .opt(
            "efs_volume_configuration",
            v.efs.as_ref().map(|e| {
                Obj::new()
                    .set("file_system_id", e.file_system.as_str())
                    .opt("root_directory", e.root.as_deref())
                    .set("transit_encryption", enabled(e.transit_encryption))
                    .opt(
                        "authorization_config",
                        e.authorization.as_ref().map(|(ap, iam)| {
                            Obj::new()
                                .opt("access_point_id", ap.as_deref())
                                .set("iam", enabled(*iam))
                        }),
                    )
            }),
        )
        .into()
}
