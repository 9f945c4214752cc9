//! Each plan resource in CloudFormation's shape. CloudFormation folds some
//! resources into their parent: rules with a CIDR or prefix-list peer (and
//! the default egress) go inline in their group, policies and attachments
//! into their role, a schedule's target into its rule.

use super::expr::{Expr, Obj};
use super::values::Values;
use super::Template;
use crate::names::pascal;
use crate::plan::*;
use std::collections::HashMap;

struct Cx<'p> {
    values: Values<'p>,
    /// Resources by the parent they may be folded into, in plan order.
    children: HashMap<&'p ResId, Vec<&'p Resource>>,
    t: Template,
}

pub fn render(plan: &Plan) -> Template {
    let mut children: HashMap<&ResId, Vec<&Resource>> = HashMap::new();
    for r in &plan.resources {
        if let Some(parent) = &r.parent {
            children.entry(parent).or_default().push(r);
        }
    }
    let mut cx = Cx {
        values: Values::new(plan),
        children,
        t: Template {
            description: plan.description.clone(),
            ..Template::default()
        },
    };
    for input in &plan.inputs {
        cx.t.parameters.insert(
            pascal(&input.name),
            Obj::new()
                .set("Type", "String")
                .set("Default", input.default.as_str())
                .set("Description", input.description.as_str()),
        );
    }
    for r in &plan.resources {
        let info = r.id.kind.info();
        let Some(props) = cx.properties(r) else {
            continue;
        };
        let Some(kind) = info.cloudformation.type_name() else {
            continue;
        };
        let props = if info.cfn_tags {
            props.opt("Tags", tags(plan, r.name_tag.as_deref()))
        } else {
            props
        };
        let res = cx.t.add(r.id.logical_id(), kind, props);
        res.depends_on = r.depends_on.iter().map(ResId::logical_id).collect();
    }
    for o in &plan.outputs {
        let value = cx.values.r#ref(&o.value, &mut cx.t);
        cx.t.output(pascal(&o.name), o.description.clone(), value);
    }
    cx.t
}

/// The stack's tags, after a `Name` tag when the resource has one.
fn tags(plan: &Plan, name: Option<&str>) -> Option<Expr> {
    let tag = |k: &str, v: &str| Expr::from(Obj::new().set("Key", k).set("Value", v));
    let mut list: Vec<Expr> = name.map(|n| tag("Name", n)).into_iter().collect();
    for (k, v) in &plan.tags {
        if !(k == "Name" && name.is_some()) {
            list.push(tag(k, v));
        }
    }
    (!list.is_empty()).then_some(Expr::List(list))
}

fn attribute(key: &str, value: &str) -> Expr {
    Obj::new().set("Key", key).set("Value", value).into()
}

fn enabled(on: bool) -> &'static str {
    if on {
        "ENABLED"
    } else {
        "DISABLED"
    }
}

impl<'p> Cx<'p> {
    fn r(&mut self, r: &Ref) -> Expr {
        self.values.r#ref(r, &mut self.t)
    }
    fn rs(&mut self, refs: &[Ref]) -> Vec<Expr> {
        self.values.refs(refs, &mut self.t)
    }
    fn text(&mut self, text: &Text) -> Expr {
        self.values.text(text, &mut self.t)
    }
    fn doc(&mut self, v: &Value, case: KeyCase) -> Expr {
        self.values.value(v, case, &mut self.t)
    }
    fn children(&self, id: &ResId) -> Vec<&'p Resource> {
        self.children.get(id).cloned().unwrap_or_default()
    }

    /// The resource's properties; `None` when it is folded into another.
    fn properties(&mut self, res: &'p Resource) -> Option<Obj> {
        Some(match &res.body {
            Body::Vpc {
                cidr,
                dns_support,
                dns_hostnames,
            } => Obj::new()
                .set("CidrBlock", cidr.as_str())
                .set("EnableDnsSupport", *dns_support)
                .set("EnableDnsHostnames", *dns_hostnames),
            Body::Subnet { vpc, cidr, zone } => Obj::new()
                .set("VpcId", self.r(vpc))
                .set("CidrBlock", cidr.as_str())
                .set("AvailabilityZone", self.text(zone)),
            // Attached by its own resource.
            Body::InternetGateway { .. } => Obj::new(),
            Body::GatewayAttachment { vpc, gateway } => Obj::new()
                .set("VpcId", self.r(vpc))
                .set("InternetGatewayId", self.r(gateway)),
            Body::Eip {} => Obj::new().set("Domain", "vpc"),
            Body::NatGateway { allocation, subnet } => Obj::new()
                .set("AllocationId", self.r(allocation))
                .set("SubnetId", self.r(subnet)),
            Body::RouteTable { vpc } => Obj::new().set("VpcId", self.r(vpc)),
            Body::Route {
                table,
                destination,
                via,
            } => {
                let (key, target) = match via {
                    RouteVia::Gateway(g) => ("GatewayId", g),
                    RouteVia::Nat(n) => ("NatGatewayId", n),
                };
                Obj::new()
                    .set("RouteTableId", self.r(table))
                    .set("DestinationCidrBlock", destination.as_str())
                    .set(key, self.r(target))
            }
            Body::RouteTableAssociation { subnet, table } => Obj::new()
                .set("SubnetId", self.r(subnet))
                .set("RouteTableId", self.r(table)),
            Body::SecurityGroup { description, vpc } => self.security_group(res, description, vpc),
            Body::SgRule {
                group,
                peer: Peer::Group(other),
                ..
            } if res.id.kind != Kind::DefaultEgress => {
                let egress = res.id.kind == Kind::SecurityGroupEgress;
                let peer_key = if egress {
                    "DestinationSecurityGroupId"
                } else {
                    "SourceSecurityGroupId"
                };
                let base = rule_base(&res.body);
                base.set("GroupId", self.r(group))
                    .set(peer_key, self.r(other))
                    .set("Description", rule_description(&res.body))
            }
            Body::SgRule { .. } => return None,
            Body::VpcEndpoint {
                vpc,
                service_name,
                placement,
                ..
            } => {
                let props = Obj::new()
                    .set("VpcId", self.r(vpc))
                    .set("ServiceName", self.text(service_name));
                match placement {
                    EndpointPlacement::Gateway { route_tables } => {
                        let tables = self.rs(route_tables);
                        props
                            .set("VpcEndpointType", "Gateway")
                            .list("RouteTableIds", tables)
                    }
                    EndpointPlacement::Interface {
                        subnets,
                        security_groups,
                        private_dns,
                    } => {
                        let subnets = self.rs(subnets);
                        let groups = self.rs(security_groups);
                        props
                            .set("VpcEndpointType", "Interface")
                            .list("SubnetIds", subnets)
                            .list("SecurityGroupIds", groups)
                            .set("PrivateDnsEnabled", *private_dns)
                    }
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
            } => {
                let mut attributes = vec![attribute(
                    "routing.http.drop_invalid_header_fields.enabled",
                    &drop_invalid_header_fields.to_string(),
                )];
                if let Some(idle) = idle_timeout {
                    attributes.push(attribute("idle_timeout.timeout_seconds", &idle.to_string()));
                }
                let subnets = self.rs(subnets);
                let groups = self.rs(security_groups);
                Obj::new()
                    .opt("Name", name.as_deref())
                    .set("Type", *lb_type)
                    .set(
                        "Scheme",
                        if *internal {
                            "internal"
                        } else {
                            "internet-facing"
                        },
                    )
                    .set("Subnets", subnets)
                    .list("SecurityGroups", groups)
                    .set("LoadBalancerAttributes", attributes)
            }
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
                    } => Obj::new().set("Type", "fixed-response").set(
                        "FixedResponseConfig",
                        Obj::new()
                            .set("StatusCode", status.as_str())
                            .set("ContentType", content_type.as_str())
                            .opt("MessageBody", body.as_deref()),
                    ),
                    Action::Redirect {
                        protocol,
                        port,
                        status_code,
                    } => Obj::new().set("Type", "redirect").set(
                        "RedirectConfig",
                        Obj::new()
                            .set("Protocol", *protocol)
                            .set("Port", port.as_str())
                            .set("StatusCode", *status_code),
                    ),
                    Action::Forward(tg) => Obj::new()
                        .set("Type", "forward")
                        .set("TargetGroupArn", self.r(tg)),
                };
                Obj::new()
                    .set("LoadBalancerArn", self.r(lb))
                    .set("Port", *port)
                    .set("Protocol", *protocol)
                    .opt(
                        "Certificates",
                        certificate.as_ref().map(|c| {
                            vec![Expr::from(Obj::new().set("CertificateArn", c.as_str()))]
                        }),
                    )
                    .opt("SslPolicy", ssl_policy.as_deref())
                    .set("DefaultActions", vec![Expr::from(action)])
            }
            Body::TargetGroup {
                name,
                vpc,
                port,
                protocol,
                target_type,
                health,
                deregistration_delay,
            } => {
                let attributes = deregistration_delay
                    .map(|d| attribute("deregistration_delay.timeout_seconds", &d.to_string()))
                    .into_iter()
                    .collect();
                Obj::new()
                    .opt("Name", name.as_deref())
                    .set("VpcId", self.r(vpc))
                    .set("Port", *port)
                    .set("Protocol", *protocol)
                    .set("TargetType", *target_type)
                    .set("HealthCheckPath", health.path.as_str())
                    .opt("HealthCheckIntervalSeconds", health.interval)
                    .opt("HealthCheckTimeoutSeconds", health.timeout)
                    .opt("HealthyThresholdCount", health.healthy)
                    .opt("UnhealthyThresholdCount", health.unhealthy)
                    .opt(
                        "Matcher",
                        health
                            .matcher
                            .as_ref()
                            .map(|v| Obj::new().set("HttpCode", v.as_str())),
                    )
                    .list("TargetGroupAttributes", attributes)
            }
            Body::ListenerRule {
                listener,
                priority,
                hosts,
                paths,
                target_group,
            } => {
                let mut conditions = Vec::new();
                for (field, config, values) in [
                    ("host-header", "HostHeaderConfig", hosts),
                    ("path-pattern", "PathPatternConfig", paths),
                ] {
                    if !values.is_empty() {
                        conditions.push(Expr::from(
                            Obj::new()
                                .set("Field", field)
                                .set(config, Obj::new().set("Values", values.clone())),
                        ));
                    }
                }
                Obj::new()
                    .set("ListenerArn", self.r(listener))
                    .set("Priority", *priority)
                    .set("Conditions", conditions)
                    .set(
                        "Actions",
                        vec![Expr::from(
                            Obj::new()
                                .set("Type", "forward")
                                .set("TargetGroupArn", self.r(target_group)),
                        )],
                    )
            }
            Body::Cluster { name, insights } => Obj::new().set("ClusterName", name.as_str()).set(
                "ClusterSettings",
                vec![Expr::from(Obj::new().set("Name", "containerInsights").set(
                    "Value",
                    if *insights { "enabled" } else { "disabled" },
                ))],
            ),
            Body::Namespace { name, vpc } => Obj::new()
                .set("Name", name.as_str())
                .set("Vpc", self.r(vpc)),
            Body::LogGroup {
                name,
                retention_days,
            } => Obj::new()
                .set("LogGroupName", name.as_str())
                .set("RetentionInDays", *retention_days),
            Body::Role { assume_role_policy } => {
                let mut managed = Vec::new();
                let mut policies = Vec::new();
                for child in self.children(&res.id) {
                    match &child.body {
                        Body::PolicyAttachment { policy_arn, .. } => {
                            managed.push(Expr::from(policy_arn.as_str()));
                        }
                        Body::RolePolicy { name, document, .. } => {
                            let document = self.doc(document, KeyCase::AsIs);
                            policies.push(Expr::from(
                                Obj::new()
                                    .set("PolicyName", name.as_str())
                                    .set("PolicyDocument", document),
                            ));
                        }
                        _ => {}
                    }
                }
                Obj::new()
                    .set(
                        "AssumeRolePolicyDocument",
                        self.doc(assume_role_policy, KeyCase::AsIs),
                    )
                    .list("ManagedPolicyArns", managed)
                    .list("Policies", policies)
            }
            Body::RolePolicy { .. } | Body::PolicyAttachment { .. } => return None,
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
                let execution = execution_role.as_ref().map(|r| self.r(r));
                let task = task_role.as_ref().map(|r| self.r(r));
                Obj::new()
                    .set("Family", family.as_str())
                    .opt("Cpu", cpu.as_deref())
                    .opt("Memory", memory.as_deref())
                    .set("NetworkMode", *network_mode)
                    .set("RequiresCompatibilities", vec![*launch])
                    .opt("ExecutionRoleArn", execution)
                    .opt("TaskRoleArn", task)
                    .opt(
                        "RuntimePlatform",
                        runtime.map(|(arch, os)| {
                            Obj::new()
                                .set("CpuArchitecture", arch)
                                .set("OperatingSystemFamily", os)
                        }),
                    )
                    .opt(
                        "EphemeralStorage",
                        ephemeral_storage_gib.map(|g| Obj::new().set("SizeInGiB", g)),
                    )
                    .set(
                        "ContainerDefinitions",
                        self.doc(containers, KeyCase::Pascal),
                    )
                    .list("Volumes", volumes.iter().map(volume).collect())
            }
            Body::Service {
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
                ..
            } => {
                let network = network
                    .as_ref()
                    .map(|n| self.awsvpc(n, "AwsvpcConfiguration"));
                let lbs = load_balancers
                    .iter()
                    .map(|l| {
                        Obj::new()
                            .set("ContainerName", l.container.as_str())
                            .set("ContainerPort", l.port)
                            .set("TargetGroupArn", self.r(&l.target_group))
                            .into()
                    })
                    .collect();
                let registries = registry.as_ref().map(|reg| {
                    let mut o = Obj::new().set("RegistryArn", self.r(&reg.service));
                    if let Some((container, port)) = &reg.container {
                        o = o
                            .set("ContainerName", container.as_str())
                            .set("ContainerPort", *port);
                    }
                    vec![Expr::from(o)]
                });
                Obj::new()
                    .set("Cluster", self.r(cluster))
                    .set("TaskDefinition", self.r(task_definition))
                    .set("DesiredCount", *desired)
                    .set("LaunchType", *launch)
                    .opt("PlatformVersion", platform_version.as_deref())
                    .opt("NetworkConfiguration", network)
                    .list("LoadBalancers", lbs)
                    .opt("HealthCheckGracePeriodSeconds", *grace_period)
                    .set(
                        "DeploymentConfiguration",
                        Obj::new()
                            .opt("MinimumHealthyPercent", *min_healthy)
                            .opt("MaximumPercent", *max_percent)
                            .set(
                                "DeploymentCircuitBreaker",
                                Obj::new()
                                    .set("Enable", *circuit_breaker)
                                    .set("Rollback", *rollback),
                            ),
                    )
                    .opt("ServiceRegistries", registries)
                    .opt("EnableExecuteCommand", exec.then_some(true))
                    .set("EnableECSManagedTags", true)
                    .set("PropagateTags", "SERVICE")
            }
            Body::DiscoveryService {
                name,
                namespace,
                routing_policy,
                record_type,
                ttl,
            } => Obj::new()
                .set("Name", name.as_str())
                .set("NamespaceId", self.r(namespace))
                .set(
                    "DnsConfig",
                    Obj::new().set("RoutingPolicy", *routing_policy).set(
                        "DnsRecords",
                        vec![Expr::from(
                            Obj::new().set("Type", *record_type).set("TTL", *ttl),
                        )],
                    ),
                )
                .set(
                    "HealthCheckCustomConfig",
                    Obj::new().set("FailureThreshold", 1u32),
                ),
            Body::ScalableTarget {
                min,
                max,
                resource_id,
                dimension,
                namespace,
            } => Obj::new()
                .set("MinCapacity", *min)
                .set("MaxCapacity", *max)
                .set("ResourceId", self.text(resource_id))
                .set("ScalableDimension", *dimension)
                .set("ServiceNamespace", *namespace),
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
                Obj::new()
                    .set("PolicyName", name.as_str())
                    .set("PolicyType", *policy_type)
                    .set("ScalingTargetId", self.r(target))
                    .set(
                        "TargetTrackingScalingPolicyConfiguration",
                        Obj::new()
                            .set("TargetValue", *target_value)
                            .set(
                                "PredefinedMetricSpecification",
                                Obj::new()
                                    .set("PredefinedMetricType", *metric)
                                    .opt("ResourceLabel", label),
                            )
                            .opt("ScaleInCooldown", *scale_in_cooldown)
                            .opt("ScaleOutCooldown", *scale_out_cooldown),
                    )
            }
            Body::ScheduleRule {
                description,
                expression,
                enabled: on,
            } => {
                let targets: Vec<Expr> = self
                    .children(&res.id)
                    .into_iter()
                    .filter_map(|c| self.schedule_target(&c.body))
                    .collect();
                Obj::new()
                    .set("Description", description.as_str())
                    .set("ScheduleExpression", expression.as_str())
                    .set("State", enabled(*on))
                    .set("Targets", targets)
            }
            Body::ScheduleTarget { .. } => return None,
        })
    }

    /// Rules with a CIDR or prefix-list peer, and the default egress, go
    /// inline; rules whose peer is another group are resources of their
    /// own, so two groups that allow each other never form a cycle.
    fn security_group(&mut self, res: &'p Resource, description: &str, vpc: &Ref) -> Obj {
        let mut ingress = Vec::new();
        let mut egress = Vec::new();
        let mut standalone_egress = false;
        for child in self.children(&res.id) {
            let Body::SgRule { peer, .. } = &child.body else {
                continue;
            };
            let is_egress = child.id.kind != Kind::SecurityGroupIngress;
            let key = match (peer, is_egress) {
                (Peer::Group(_), _) => {
                    standalone_egress |= is_egress;
                    continue;
                }
                (Peer::Cidr(c), _) => ("CidrIp", Expr::from(c.as_str())),
                (Peer::PrefixList(p), false) => ("SourcePrefixListId", self.r(p)),
                (Peer::PrefixList(p), true) => ("DestinationPrefixListId", self.r(p)),
            };
            let rule = rule_base(&child.body)
                .set(key.0, key.1)
                .set("Description", rule_description(&child.body));
            if is_egress {
                egress.push(Expr::from(rule));
            } else {
                ingress.push(Expr::from(rule));
            }
        }
        if egress.is_empty() && standalone_egress {
            // Every egress rule is standalone: an inline rule must still
            // exist, or CloudFormation keeps the default allow-all egress.
            egress.push(
                Obj::new()
                    .set("IpProtocol", "-1")
                    .set("CidrIp", "127.0.0.1/32")
                    .set("Description", "Replaces the default allow-all egress; the egress rules are separate resources")
                    .into(),
            );
        }
        Obj::new()
            .set("GroupDescription", description)
            .set("VpcId", self.r(vpc))
            .list("SecurityGroupIngress", ingress)
            .list("SecurityGroupEgress", egress)
    }

    fn awsvpc(&mut self, n: &AwsVpc, key: &str) -> Obj {
        let groups = self.rs(&n.security_groups);
        let subnets = self.rs(&n.subnets);
        Obj::new().set(
            key,
            Obj::new()
                .set("AssignPublicIp", enabled(n.public_ip))
                .set("SecurityGroups", groups)
                .set("Subnets", subnets),
        )
    }

    fn schedule_target(&mut self, body: &Body) -> Option<Expr> {
        let Body::ScheduleTarget {
            target_id,
            cluster,
            role,
            task_definition,
            count,
            launch,
            platform_version,
            network,
            ..
        } = body
        else {
            return None;
        };
        let network = network
            .as_ref()
            .map(|n| self.awsvpc(n, "AwsVpcConfiguration"));
        let role = role.as_ref().map(|r| self.r(r));
        let ecs = Obj::new()
            .set("TaskDefinitionArn", self.r(task_definition))
            .set("TaskCount", *count)
            .set("LaunchType", *launch)
            .opt("PlatformVersion", platform_version.as_deref())
            .opt("NetworkConfiguration", network);
        Some(
            Obj::new()
                .set("Id", target_id.as_str())
                .set("Arn", self.r(cluster))
                .opt("RoleArn", role)
                .set("EcsParameters", ecs)
                .into(),
        )
    }
}

/// Protocol and ports of a rule.
fn rule_base(body: &Body) -> Obj {
    let Body::SgRule {
        protocol, ports, ..
    } = body
    else {
        return Obj::new();
    };
    let o = Obj::new().set("IpProtocol", *protocol);
    match ports {
        Some((from, to)) => o
            .set("FromPort", Expr::Int(*from))
            .set("ToPort", Expr::Int(*to)),
        None => o,
    }
}

fn rule_description(body: &Body) -> String {
    match body {
        Body::SgRule { description, .. } => description.clone(),
        _ => String::new(),
    }
}

fn volume(v: &VolumeDef) -> Expr {
    Obj::new()
        .set("Name", v.name.as_str())
        .opt(
            "EFSVolumeConfiguration",
            v.efs.as_ref().map(|e| {
                Obj::new()
                    .set("FilesystemId", e.file_system.as_str())
                    .opt("RootDirectory", e.root.as_deref())
                    .set("TransitEncryption", enabled(e.transit_encryption))
                    .opt(
                        "AuthorizationConfig",
                        e.authorization.as_ref().map(|(ap, iam)| {
                            Obj::new()
                                .opt("AccessPointId", ap.as_deref())
                                .set("IAM", enabled(*iam))
                        }),
                    )
            }),
        )
        .into()
}
