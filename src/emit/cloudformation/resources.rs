//! Each plan resource in CloudFormation's shape. CloudFormation folds some
//! resources into their parent: rules with a CIDR or prefix-list peer (and
//! the default egress) go inline in their group, policies and attachments
//! into their role, a schedule's target into its rule, a lifecycle policy
//! into its repository.

use super::expr::{Expr, Obj};
use super::values::Values;
use super::Template;
use crate::names::pascal;
use crate::plan::*;

struct Cx<'a, 'p> {
    values: &'a Values<'p>,
    /// Resources by the parent they may be folded into, in plan order.
    children: &'a IdMap<'p, Vec<&'p Resource>>,
    /// What this part of the render made (the resources it was given, the
    /// parameters they need).
    t: Template,
}

/// A hollow template renders its resources in runs of this many, on every
/// core ([`crate::parallel::map`]): the same template, sooner. Runs are
/// short because resources differ in cost (a task definition is many
/// times a route). A whole template renders as one run, on one thread:
/// its peak holds every resource, and each thread's allocations add an
/// arena to it (at 1,000 services, `ecsc build -o` peaked at 41.0–45.0 MB
/// on two threads, 42.8–42.9 MB on one).
const RUN: usize = 500;

/// `hollow`: see [`super::hollow_template`].
pub fn render(plan: &Plan, hollow: bool) -> Template {
    let mut children: IdMap<Vec<&Resource>> = IdMap::default();
    let mut parents: IdMap<&ResId> = IdMap::default();
    for r in &plan.resources {
        if let Some(parent) = &r.parent {
            children.entry(parent).or_default().push(r);
            parents.insert(&r.id, parent);
        }
    }
    let values = Values::new(plan);
    let (runs, threads): (Vec<&[Resource]>, _) = if hollow {
        (
            plan.resources.chunks(RUN).collect(),
            crate::parallel::threads(),
        )
    } else {
        (vec![&plan.resources], 1)
    };
    let parts = crate::parallel::map(runs, threads, |run| {
        let mut cx = Cx {
            values: &values,
            children: &children,
            t: Template::default(),
        };
        cx.resources(plan, run, &parents, hollow);
        cx.t
    });
    let mut cx = Cx {
        values: &values,
        children: &children,
        t: Template {
            description: plan.description.clone(),
            ..Template::default()
        },
    };
    for input in &plan.inputs {
        // An SSM input is typed by what the parameter holds; its default
        // is the parameter's name, which CloudFormation resolves.
        let kind = match &input.ssm {
            Some(_) => format!("AWS::SSM::Parameter::Value<{}>", input.cfn_type),
            None => input.cfn_type.to_string(),
        };
        let plain = input.cfn_type == "String" && input.ssm.is_none();
        cx.t.parameters.insert(
            pascal(&input.name),
            Obj::new()
                .set("Type", kind)
                .opt("Default", input.ssm.clone())
                .opt("MinLength", plain.then_some(1u32))
                .set("Description", input.description.clone()),
        );
    }
    // Joined in plan order: a resource id rendered twice keeps its first
    // rendering, a parameter its last, as one run would.
    for part in parts {
        cx.t.parameters.extend(part.parameters);
        if cx.t.resources.is_empty() {
            cx.t.resources = part.resources;
            continue;
        }
        for (id, r) in part.resources {
            cx.t.resources.entry(id).or_insert(r);
        }
    }
    for o in &plan.outputs {
        let value = match &o.value {
            OutputValue::Ref(r) => cx.values.r#ref(r, &mut cx.t),
            OutputValue::Joined(refs) => {
                let items = cx.values.refs(refs, &mut cx.t);
                Obj::new()
                    .set("Fn::Join", vec![Expr::from(","), Expr::List(items)])
                    .into()
            }
        };
        cx.t.output(
            pascal(&o.name),
            super::Output {
                description: o.description.clone(),
                value,
                export: o.export.clone(),
                declared: o.declared,
            },
        );
    }
    cx.t
}

/// The stack's tags, after a `Name` tag when the resource has one.
fn tags(plan: &Plan, name: Option<&str>) -> Option<Expr> {
    let tag = |k: &str, v: &str| {
        Expr::from(
            Obj::new()
                .set("Key", k.to_string())
                .set("Value", v.to_string()),
        )
    };
    let mut list: Vec<Expr> = name.map(|n| tag("Name", n)).into_iter().collect();
    for (k, v) in &plan.tags {
        if !(k == "Name" && name.is_some()) {
            list.push(tag(k, v));
        }
    }
    (!list.is_empty()).then_some(Expr::List(list))
}

/// One condition of a listener rule.
fn condition(c: &Condition) -> Expr {
    let values = |field: &'static str, config: &'static str, v: &[String]| {
        Obj::new()
            .set("Field", field)
            .set(config, Obj::new().set("Values", v.to_vec()))
    };
    match c {
        Condition::Host(v) => values("host-header", "HostHeaderConfig", v),
        Condition::Path(v) => values("path-pattern", "PathPatternConfig", v),
        Condition::Method(v) => values("http-request-method", "HttpRequestMethodConfig", v),
        Condition::SourceIp(v) => values("source-ip", "SourceIpConfig", v),
        Condition::Header(name, v) => Obj::new().set("Field", "http-header").set(
            "HttpHeaderConfig",
            Obj::new()
                .set("HttpHeaderName", name.clone())
                .set("Values", v.clone()),
        ),
        Condition::Query(pairs) => {
            let pairs = pairs
                .iter()
                .map(|(k, v)| {
                    Obj::new()
                        .set("Key", k.clone())
                        .set("Value", v.clone())
                        .into()
                })
                .collect();
            Obj::new().set("Field", "query-string").set(
                "QueryStringConfig",
                Obj::new().set("Values", Expr::List(pairs)),
            )
        }
    }
    .into()
}

fn attribute(key: &str, value: &str) -> Expr {
    Obj::new()
        .set("Key", key.to_string())
        .set("Value", value.to_string())
        .into()
}

fn enabled(on: bool) -> &'static str {
    if on {
        "ENABLED"
    } else {
        "DISABLED"
    }
}

impl<'p> Cx<'_, 'p> {
    /// Renders `run`, a run of the plan's resources, into this part.
    fn resources(
        &mut self,
        plan: &Plan,
        run: &'p [Resource],
        parents: &IdMap<&ResId>,
        hollow: bool,
    ) {
        for r in run {
            let info = r.id.kind.info();
            let Some(props) = self.properties(r) else {
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
            // What a folded child waits for, its parent waits for.
            let children = self.children(&r.id);
            let mut depends_on: Vec<String> = r
                .depends_on
                .iter()
                .chain(children.iter().flat_map(|c| &c.depends_on))
                .filter(|d| !self.values.is_existing(d))
                .filter_map(|d| cfn_dependency(parents, r, d))
                .collect();
            depends_on.dedup();
            let res = self.t.add(r.id.logical_id(), kind, props, Some(r.id.kind));
            res.depends_on = depends_on;
            if hollow {
                super::split::hollow(res);
            }
        }
    }

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
    fn service_connect(&mut self, c: &ServiceConnect) -> Obj {
        let services = c
            .services
            .iter()
            .map(|s| {
                let alias = Obj::new()
                    .set("DnsName", s.alias.0.clone())
                    .set("Port", s.alias.1);
                let timeout =
                    (s.idle_timeout.is_some() || s.per_request_timeout.is_some()).then(|| {
                        Obj::new()
                            .opt("IdleTimeoutSeconds", s.idle_timeout)
                            .opt("PerRequestTimeoutSeconds", s.per_request_timeout)
                    });
                Obj::new()
                    .set("PortName", s.port_name.clone())
                    .set("DiscoveryName", s.discovery.clone())
                    .set("ClientAliases", vec![Expr::from(alias)])
                    .opt("Timeout", timeout)
                    .into()
            })
            .collect();
        let logs = c.logs.as_ref().map(|(group, prefix)| {
            let options = Obj::new()
                .set("awslogs-group", self.r(group))
                .set("awslogs-region", self.text(&Text(vec![Part::Region])))
                .set("awslogs-stream-prefix", *prefix);
            Obj::new()
                .set("LogDriver", "awslogs")
                .set("Options", options)
        });
        Obj::new()
            .set("Enabled", true)
            .set("Namespace", self.r(&c.namespace))
            .list("Services", services)
            .opt("LogConfiguration", logs)
    }
    fn volume(&mut self, v: &VolumeDef) -> Expr {
        let efs = v.efs.as_ref().map(|e| {
            let authorization = e.authorization.as_ref().map(|(ap, iam)| {
                Obj::new()
                    .opt(
                        "AccessPointId",
                        ap.as_ref().map(|a| self.doc(a, KeyCase::Pascal)),
                    )
                    .set("IAM", enabled(*iam))
            });
            Obj::new()
                .set("FilesystemId", self.doc(&e.file_system, KeyCase::Pascal))
                .opt("RootDirectory", e.root.clone())
                .set("TransitEncryption", enabled(e.transit_encryption))
                .opt("AuthorizationConfig", authorization)
        });
        Obj::new()
            .set("Name", v.name.clone())
            .opt("EFSVolumeConfiguration", efs)
            .into()
    }
    /// A capacity provider strategy's items (`Base` only where above 0).
    fn strategy(&mut self, items: &[Strategy]) -> Vec<Expr> {
        items
            .iter()
            .map(|i| {
                Obj::new()
                    .set("CapacityProvider", self.doc(&i.provider, KeyCase::Pascal))
                    .opt("Base", (i.base > 0).then_some(i.base))
                    .set("Weight", i.weight)
                    .into()
            })
            .collect()
    }
    /// A metric's dimensions: `Name` and `Value` each.
    fn dimensions(&mut self, dimensions: &[Dimension]) -> Vec<Expr> {
        dimensions
            .iter()
            .map(|d| {
                Obj::new()
                    .set("Name", d.name.clone())
                    .set("Value", self.text(&d.value))
                    .into()
            })
            .collect()
    }
    fn children(&self, id: &ResId) -> Vec<&'p Resource> {
        self.children.get(id).cloned().unwrap_or_default()
    }

    /// The resource's properties; `None` when it is folded into another.
    fn properties(&mut self, res: &'p Resource) -> Option<Obj> {
        Some(match &res.body {
            // Referenced by its id; nothing to create.
            Body::Existing(_) => return None,
            Body::Vpc(b) => Obj::new()
                .set("CidrBlock", b.cidr.clone())
                .set("EnableDnsSupport", b.dns_support)
                .set("EnableDnsHostnames", b.dns_hostnames),
            Body::Subnet(b) => Obj::new()
                .set("VpcId", self.r(&b.vpc))
                .set("CidrBlock", b.cidr.clone())
                .set("AvailabilityZone", self.text(&b.zone)),
            // Attached by its own resource.
            Body::InternetGateway(_) => Obj::new(),
            Body::GatewayAttachment(b) => Obj::new()
                .set("VpcId", self.r(&b.vpc))
                .set("InternetGatewayId", self.r(&b.gateway)),
            Body::Eip(_) => Obj::new().set("Domain", "vpc"),
            Body::NatGateway(b) => Obj::new()
                .set("AllocationId", self.r(&b.allocation))
                .set("SubnetId", self.r(&b.subnet)),
            Body::RouteTable(b) => Obj::new().set("VpcId", self.r(&b.vpc)),
            Body::Route(b) => {
                let (key, target) = match &b.via {
                    RouteVia::Gateway(g) => ("GatewayId", g),
                    RouteVia::Nat(n) => ("NatGatewayId", n),
                };
                Obj::new()
                    .set("RouteTableId", self.r(&b.table))
                    .set("DestinationCidrBlock", b.destination.clone())
                    .set(key, self.r(target))
            }
            Body::RouteTableAssociation(b) => Obj::new()
                .set("SubnetId", self.r(&b.subnet))
                .set("RouteTableId", self.r(&b.table)),
            Body::SecurityGroup(b) => self.security_group(res, b),
            Body::SgRule(b) => {
                // Inline in its group unless the peer is a group (no cycles
                // between groups that allow each other) or the group exists
                // already (it cannot take inline rules).
                let group_peer =
                    matches!(b.peer, Peer::Group(_)) && res.id.kind != Kind::DefaultEgress;
                if !group_peer && !self.values.is_existing(&b.group.to) {
                    return None;
                }
                let (key, value) = self.peer(&b.peer, res.id.kind != Kind::SecurityGroupIngress);
                rule_base(b)
                    .set("GroupId", self.r(&b.group))
                    .set(key, value)
                    .set("Description", b.description.clone())
            }
            Body::VpcEndpoint(b) => {
                let props = Obj::new()
                    .set("VpcId", self.r(&b.vpc))
                    .set("ServiceName", self.text(&b.service_name));
                match &b.placement {
                    EndpointPlacement::Gateway { route_tables } => props
                        .set("VpcEndpointType", "Gateway")
                        .list("RouteTableIds", self.rs(route_tables)),
                    EndpointPlacement::Interface {
                        subnets,
                        security_groups,
                        private_dns,
                    } => props
                        .set("VpcEndpointType", "Interface")
                        .list("SubnetIds", self.rs(subnets))
                        .list("SecurityGroupIds", self.rs(security_groups))
                        .set("PrivateDnsEnabled", *private_dns),
                }
            }
            Body::LoadBalancer(b) => {
                let mut attributes = Vec::new();
                if let Some(drop) = b.drop_invalid_header_fields {
                    attributes.push(attribute(
                        "routing.http.drop_invalid_header_fields.enabled",
                        &drop.to_string(),
                    ));
                }
                if let Some(idle) = b.idle_timeout {
                    attributes.push(attribute("idle_timeout.timeout_seconds", &idle.to_string()));
                }
                if b.deletion_protection {
                    attributes.push(attribute("deletion_protection.enabled", "true"));
                }
                if let Some(cross) = b.cross_zone {
                    attributes.push(attribute(
                        "load_balancing.cross_zone.enabled",
                        &cross.to_string(),
                    ));
                }
                if let Some(logs) = &b.access_logs {
                    attributes.push(attribute("access_logs.s3.enabled", "true"));
                    let bucket = self.doc(&logs.bucket, KeyCase::AsIs);
                    attributes.push(
                        Obj::new()
                            .set("Key", "access_logs.s3.bucket")
                            .set("Value", bucket)
                            .into(),
                    );
                    if let Some(prefix) = &logs.prefix {
                        attributes.push(attribute("access_logs.s3.prefix", prefix));
                    }
                }
                let scheme = if b.internal {
                    "internal"
                } else {
                    "internet-facing"
                };
                Obj::new()
                    .opt("Name", b.name.clone())
                    .set("Type", b.lb_type)
                    .set("Scheme", scheme)
                    .set("Subnets", self.rs(&b.subnets))
                    .list("SecurityGroups", self.rs(&b.security_groups))
                    .list("LoadBalancerAttributes", attributes)
            }
            Body::Listener(b) => {
                let action = self.action(&b.default);
                let certificates = b.certificate.as_ref().map(|c| {
                    vec![Expr::from(
                        Obj::new().set("CertificateArn", self.doc(c, KeyCase::Pascal)),
                    )]
                });
                Obj::new()
                    .set("LoadBalancerArn", self.r(&b.lb))
                    .set("Port", b.port)
                    .set("Protocol", b.protocol)
                    .opt("Certificates", certificates)
                    .opt("SslPolicy", b.ssl_policy.clone())
                    .set("DefaultActions", vec![Expr::from(action)])
            }
            Body::ListenerCertificate(b) => Obj::new().set("ListenerArn", self.r(&b.listener)).set(
                "Certificates",
                vec![Expr::from(
                    Obj::new().set("CertificateArn", b.certificate.clone()),
                )],
            ),
            Body::TargetGroup(b) => {
                let h = &b.health;
                let mut attributes: Vec<Expr> = b
                    .deregistration_delay
                    .map(|d| attribute("deregistration_delay.timeout_seconds", &d.to_string()))
                    .into_iter()
                    .collect();
                if let Some(s) = &b.stickiness {
                    attributes.push(attribute("stickiness.enabled", "true"));
                    attributes.push(attribute("stickiness.type", s.kind));
                    let duration_key = if s.kind == "app_cookie" {
                        "stickiness.app_cookie.duration_seconds"
                    } else {
                        "stickiness.lb_cookie.duration_seconds"
                    };
                    if let Some(d) = s.duration {
                        attributes.push(attribute(duration_key, &d.to_string()));
                    }
                    if let Some(cookie) = &s.cookie {
                        attributes.push(attribute("stickiness.app_cookie.cookie_name", cookie));
                    }
                }
                let matcher = h.matcher.as_ref();
                Obj::new()
                    .opt("Name", b.name.clone())
                    .set("VpcId", self.r(&b.vpc))
                    .set("Port", b.port)
                    .set("Protocol", b.protocol)
                    .opt("ProtocolVersion", b.protocol_version)
                    .set("TargetType", b.target_type)
                    .opt("HealthCheckProtocol", h.protocol)
                    .opt("HealthCheckPath", h.path.clone())
                    .opt("HealthCheckPort", h.port.clone())
                    .opt("HealthCheckIntervalSeconds", h.interval)
                    .opt("HealthCheckTimeoutSeconds", h.timeout)
                    .opt("HealthyThresholdCount", h.healthy)
                    .opt("UnhealthyThresholdCount", h.unhealthy)
                    .opt(
                        "Matcher",
                        matcher.map(|v| {
                            let key = if h.grpc { "GrpcCode" } else { "HttpCode" };
                            Obj::new().set(key, v.clone())
                        }),
                    )
                    .list("TargetGroupAttributes", attributes)
            }
            Body::ListenerRule(b) => {
                let conditions = b.conditions.iter().map(condition).collect();
                let action = self.action(&b.action);
                Obj::new()
                    .set("ListenerArn", self.r(&b.listener))
                    .set("Priority", b.priority)
                    .set("Conditions", Expr::List(conditions))
                    .set("Actions", vec![Expr::from(action)])
            }
            Body::LogBucket(_) => {
                let mut access = None;
                let mut lifecycle = None;
                let mut encryption = None;
                for child in self.children(&res.id) {
                    match &child.body {
                        Body::LogBucketEncryption(_) => {
                            encryption = Some(Obj::new().set(
                                "ServerSideEncryptionConfiguration",
                                vec![Expr::from(Obj::new().set(
                                    "ServerSideEncryptionByDefault",
                                    Obj::new().set("SSEAlgorithm", "AES256"),
                                ))],
                            ));
                        }
                        Body::LogBucketAccess(_) => {
                            access = Some(
                                Obj::new()
                                    .set("BlockPublicAcls", true)
                                    .set("BlockPublicPolicy", true)
                                    .set("IgnorePublicAcls", true)
                                    .set("RestrictPublicBuckets", true),
                            );
                        }
                        Body::LogBucketLifecycle(l) => {
                            let rule = Obj::new()
                                .set("Id", "expire-access-logs")
                                .set("Status", "Enabled")
                                .set("ExpirationInDays", l.expire_days)
                                .set(
                                    "AbortIncompleteMultipartUpload",
                                    Obj::new().set("DaysAfterInitiation", 1u32),
                                );
                            lifecycle = Some(Obj::new().set("Rules", vec![Expr::from(rule)]));
                        }
                        _ => {}
                    }
                }
                Obj::new()
                    .opt("BucketEncryption", encryption)
                    .opt("PublicAccessBlockConfiguration", access)
                    .opt("LifecycleConfiguration", lifecycle)
            }
            Body::LogBucketEncryption(_)
            | Body::LogBucketAccess(_)
            | Body::LogBucketLifecycle(_) => return None,
            Body::LogBucketPolicy(b) => Obj::new()
                .set("Bucket", self.r(&b.bucket))
                .set("PolicyDocument", self.doc(&b.document, KeyCase::AsIs)),
            Body::Cluster(b) => {
                let settings = b.settings.iter().map(|(name, value)| {
                    Expr::from(Obj::new().set("Name", *name).set("Value", *value))
                });
                let defaults = b
                    .service_connect
                    .as_ref()
                    .map(|n| Obj::new().set("Namespace", self.r(n)));
                Obj::new()
                    .set("ClusterName", b.name.clone())
                    .set("ClusterSettings", Expr::List(settings.collect()))
                    .opt("ServiceConnectDefaults", defaults)
            }
            Body::ClusterCapacityProviders(b) => {
                let providers = b
                    .providers
                    .iter()
                    .map(|p| self.doc(p, KeyCase::Pascal))
                    .collect();
                let default = self.strategy(&b.default_strategy);
                Obj::new()
                    .set("Cluster", self.r(&b.cluster))
                    .set("CapacityProviders", Expr::List(providers))
                    .set("DefaultCapacityProviderStrategy", Expr::List(default))
            }
            Body::InstanceProfile(b) => Obj::new().set("Roles", vec![self.r(&b.role)]),
            Body::LaunchTemplate(b) => {
                let data = Obj::new()
                    .set("ImageId", self.doc(&b.image, KeyCase::Pascal))
                    .set("InstanceType", b.instance_type.clone())
                    .set(
                        "IamInstanceProfile",
                        Obj::new().set("Arn", self.r(&b.profile)),
                    )
                    .list("SecurityGroupIds", self.rs(&b.security_groups))
                    .set(
                        "MetadataOptions",
                        Obj::new()
                            .set("HttpEndpoint", "enabled")
                            .set("HttpTokens", "required")
                            .set("HttpPutResponseHopLimit", 1u32),
                    )
                    .set(
                        "UserData",
                        Obj::new().set("Fn::Base64", self.text(&b.user_data)),
                    );
                Obj::new().set("LaunchTemplateData", data)
            }
            Body::CapacityProvider(b) => Obj::new().set("Name", b.name.clone()).set(
                "AutoScalingGroupProvider",
                Obj::new()
                    .set("AutoScalingGroupArn", self.r(&b.group))
                    .set(
                        "ManagedScaling",
                        Obj::new()
                            .set("Status", "ENABLED")
                            .set("TargetCapacity", b.target_capacity),
                    )
                    .set("ManagedTerminationProtection", enabled(b.protect)),
            ),
            Body::AutoScalingGroup(b) => {
                let group = Obj::new()
                    .set(
                        "Tags",
                        vec![
                            Expr::from(
                                Obj::new()
                                    .set("Key", "Name")
                                    .set("Value", b.instance_name.clone())
                                    .set("PropagateAtLaunch", true),
                            ),
                            // ECS tags a group its capacity provider manages.
                            Expr::from(
                                Obj::new()
                                    .set("Key", "AmazonECSManaged")
                                    .set("Value", "true")
                                    .set("PropagateAtLaunch", true),
                            ),
                        ],
                    )
                    .set("VPCZoneIdentifier", self.rs(&b.subnets))
                    .set("MinSize", b.min.to_string())
                    .set("MaxSize", b.max.to_string())
                    .set("DesiredCapacity", b.desired.to_string())
                    .opt(
                        "NewInstancesProtectedFromScaleIn",
                        b.protect.then_some(true),
                    );
                let template = Obj::new()
                    .set("LaunchTemplateId", self.r(&b.template))
                    .set("Version", self.r(&b.version));
                match &b.spot {
                    None => group.set("LaunchTemplate", template),
                    Some(spot) => {
                        let overrides: Vec<Expr> = spot
                            .types
                            .iter()
                            .map(|t| Obj::new().set("InstanceType", t.clone()).into())
                            .collect();
                        let distribution = Obj::new()
                            .set("OnDemandBaseCapacity", spot.on_demand_base)
                            .set(
                                "OnDemandPercentageAboveBaseCapacity",
                                spot.on_demand_percent,
                            )
                            .set("SpotAllocationStrategy", "price-capacity-optimized");
                        group.set("CapacityRebalance", true).set(
                            "MixedInstancesPolicy",
                            Obj::new().set("InstancesDistribution", distribution).set(
                                "LaunchTemplate",
                                Obj::new()
                                    .set("LaunchTemplateSpecification", template)
                                    .set("Overrides", overrides),
                            ),
                        )
                    }
                }
            }
            Body::Namespace(b) => Obj::new()
                .set("Name", b.name.clone())
                .set("Vpc", self.r(&b.vpc)),
            Body::HttpNamespace(b) => Obj::new().set("Name", b.name.clone()),
            Body::Repository(b) => {
                let mut lifecycle = None;
                for child in self.children(&res.id) {
                    if let Body::LifecyclePolicy(l) = &child.body {
                        // The policy is JSON text; it holds no reference.
                        let text = serde_json::to_string(&self.doc(&l.policy, KeyCase::AsIs))
                            .unwrap_or_default();
                        lifecycle = Some(Obj::new().set("LifecyclePolicyText", text));
                    }
                }
                Obj::new()
                    .set("RepositoryName", b.name.clone())
                    .set(
                        "ImageTagMutability",
                        if b.immutable_tags {
                            "IMMUTABLE"
                        } else {
                            "MUTABLE"
                        },
                    )
                    .set(
                        "ImageScanningConfiguration",
                        Obj::new().set("ScanOnPush", b.scan_on_push),
                    )
                    .set(
                        "EncryptionConfiguration",
                        Obj::new()
                            .set("EncryptionType", b.encryption)
                            .opt("KmsKey", b.kms_key.clone()),
                    )
                    .opt("LifecyclePolicy", lifecycle)
                    .set("EmptyOnDelete", b.force_delete)
            }
            Body::LifecyclePolicy(_) => return None,
            Body::LogGroup(b) => Obj::new()
                .set("LogGroupName", b.name.clone())
                .set("RetentionInDays", b.retention_days),
            Body::Role(b) => {
                let mut managed = Vec::new();
                let mut policies = Vec::new();
                for child in self.children(&res.id) {
                    match &child.body {
                        Body::PolicyAttachment(a) => managed.push(a.policy_arn.clone().into()),
                        Body::RolePolicy(p) => {
                            let document = self.doc(&p.document, KeyCase::AsIs);
                            let policy = Obj::new()
                                .set("PolicyName", p.name.clone())
                                .set("PolicyDocument", document);
                            policies.push(policy.into());
                        }
                        _ => {}
                    }
                }
                Obj::new()
                    .set(
                        "AssumeRolePolicyDocument",
                        self.doc(&b.assume_role_policy, KeyCase::AsIs),
                    )
                    .list("ManagedPolicyArns", managed)
                    .list("Policies", policies)
            }
            Body::RolePolicy(_) | Body::PolicyAttachment(_) => return None,
            Body::TaskDefinition(b) => {
                let runtime = b.runtime.map(|(arch, os)| {
                    Obj::new()
                        .set("CpuArchitecture", arch)
                        .set("OperatingSystemFamily", os)
                });
                let storage = b
                    .ephemeral_storage_gib
                    .map(|g| Obj::new().set("SizeInGiB", g));
                Obj::new()
                    .set("Family", b.family.clone())
                    .opt("Cpu", b.cpu.clone())
                    .opt("Memory", b.memory.clone())
                    .set("NetworkMode", b.network_mode)
                    .set("RequiresCompatibilities", vec![b.launch])
                    .opt(
                        "ExecutionRoleArn",
                        b.execution_role.as_ref().map(|r| self.r(r)),
                    )
                    .opt("TaskRoleArn", b.task_role.as_ref().map(|r| self.r(r)))
                    .opt("RuntimePlatform", runtime)
                    .opt("EphemeralStorage", storage)
                    .set(
                        "ContainerDefinitions",
                        self.doc(&b.containers, KeyCase::Pascal),
                    )
                    .list(
                        "Volumes",
                        b.volumes.iter().map(|v| self.volume(v)).collect(),
                    )
            }
            Body::Service(b) => {
                let lbs = b
                    .load_balancers
                    .iter()
                    .map(|l| {
                        Obj::new()
                            .set("ContainerName", l.container.clone())
                            .set("ContainerPort", l.port)
                            .set("TargetGroupArn", self.r(&l.target_group))
                            .into()
                    })
                    .collect();
                let registries = b.registry.as_ref().map(|reg| {
                    let (container, port) = reg.container.clone().unzip();
                    let registry = Obj::new()
                        .set("RegistryArn", self.r(&reg.service))
                        .opt("ContainerName", container)
                        .opt("ContainerPort", port);
                    vec![Expr::from(registry)]
                });
                let breaker = Obj::new()
                    .set("Enable", b.circuit_breaker)
                    .set("Rollback", b.rollback);
                let alarms = (!b.alarms.is_empty()).then(|| {
                    Obj::new()
                        .set("AlarmNames", b.alarms.clone())
                        .set("Enable", true)
                        .set("Rollback", true)
                });
                let deployment = Obj::new()
                    .opt("MinimumHealthyPercent", b.min_healthy)
                    .opt("MaximumPercent", b.max_percent)
                    .set("DeploymentCircuitBreaker", breaker)
                    .opt("Alarms", alarms);
                let placed = Obj::new()
                    .set("Cluster", self.r(&b.cluster))
                    .set("TaskDefinition", self.r(&b.task_definition))
                    .opt("DesiredCount", b.desired)
                    .opt("SchedulingStrategy", b.daemon.then_some("DAEMON"));
                self.placement(placed, &b.placement, "AwsvpcConfiguration")
                    .list("LoadBalancers", lbs)
                    .opt("HealthCheckGracePeriodSeconds", b.grace_period)
                    .set("DeploymentConfiguration", deployment)
                    .opt("ServiceRegistries", registries)
                    .opt(
                        "ServiceConnectConfiguration",
                        b.connect.as_ref().map(|c| self.service_connect(c)),
                    )
                    .opt("EnableExecuteCommand", b.exec.then_some(true))
                    .set("EnableECSManagedTags", true)
                    .set("PropagateTags", "SERVICE")
            }
            Body::DiscoveryService(b) => {
                let record = Obj::new().set("Type", b.record_type).set("TTL", b.ttl);
                let dns = Obj::new()
                    .set("RoutingPolicy", b.routing_policy)
                    .set("DnsRecords", vec![Expr::from(record)]);
                Obj::new()
                    .set("Name", b.name.clone())
                    .set("NamespaceId", self.r(&b.namespace))
                    .set("DnsConfig", dns)
                    .set(
                        "HealthCheckCustomConfig",
                        Obj::new().set("FailureThreshold", 1u32),
                    )
            }
            Body::ScalableTarget(b) => {
                let actions = self
                    .children(&res.id)
                    .into_iter()
                    .filter_map(|c| match &c.body {
                        Body::ScheduledAction(a) => Some(scheduled_action(a)),
                        _ => None,
                    })
                    .collect();
                Obj::new()
                    .set("MinCapacity", b.min)
                    .set("MaxCapacity", b.max)
                    .set("ResourceId", self.text(&b.resource_id))
                    .set("ScalableDimension", b.dimension)
                    .set("ServiceNamespace", b.namespace)
                    .list("ScheduledActions", actions)
            }
            Body::ScheduledAction(_) => return None,
            Body::ScalingPolicy(b) => {
                let policy = Obj::new()
                    .set("PolicyName", b.name.clone())
                    .set("PolicyType", b.config.policy_type())
                    .set("ScalingTargetId", self.r(&b.target));
                match &b.config {
                    PolicyConfig::Tracking {
                        target_value,
                        metric,
                        scale_in_cooldown,
                        scale_out_cooldown,
                    } => {
                        let (key, metric) = match metric {
                            TrackedMetric::Predefined { metric, label } => {
                                let label = label.as_ref().map(|l| self.text(l));
                                let spec = Obj::new()
                                    .set("PredefinedMetricType", *metric)
                                    .opt("ResourceLabel", label);
                                ("PredefinedMetricSpecification", spec)
                            }
                            TrackedMetric::Custom {
                                namespace,
                                name,
                                dimensions,
                                statistic,
                            } => {
                                let spec = Obj::new()
                                    .set("Namespace", namespace.clone())
                                    .set("MetricName", name.clone())
                                    .list("Dimensions", self.dimensions(dimensions))
                                    .set("Statistic", *statistic);
                                ("CustomizedMetricSpecification", spec)
                            }
                        };
                        let config = Obj::new()
                            .set("TargetValue", *target_value)
                            .set(key, metric)
                            .opt("ScaleInCooldown", *scale_in_cooldown)
                            .opt("ScaleOutCooldown", *scale_out_cooldown);
                        policy.set("TargetTrackingScalingPolicyConfiguration", config)
                    }
                    PolicyConfig::Step {
                        cooldown,
                        aggregation,
                        steps,
                    } => {
                        let steps: Vec<Expr> = steps
                            .iter()
                            .map(|st| {
                                Obj::new()
                                    .opt("MetricIntervalLowerBound", st.lower)
                                    .opt("MetricIntervalUpperBound", st.upper)
                                    .set("ScalingAdjustment", Expr::Int(st.change))
                                    .into()
                            })
                            .collect();
                        let config = Obj::new()
                            .set("AdjustmentType", "ChangeInCapacity")
                            .opt("Cooldown", *cooldown)
                            .set("MetricAggregationType", *aggregation)
                            .set("StepAdjustments", steps);
                        policy.set("StepScalingPolicyConfiguration", config)
                    }
                }
            }
            Body::Alarm(b) => {
                let actions: Vec<Expr> = b
                    .actions
                    .iter()
                    .map(|a| self.doc(a, KeyCase::Pascal))
                    .collect();
                Obj::new()
                    .set("AlarmName", b.name.clone())
                    .set("AlarmDescription", b.description.clone())
                    .set("Namespace", b.namespace.clone())
                    .set("MetricName", b.metric.clone())
                    .list("Dimensions", self.dimensions(&b.dimensions))
                    .set("Statistic", b.statistic)
                    .set("Period", b.period)
                    .set("EvaluationPeriods", b.periods)
                    .set("Threshold", b.threshold)
                    .set("ComparisonOperator", b.comparison)
                    .opt("TreatMissingData", b.treat_missing)
                    .list("AlarmActions", actions)
            }
            Body::ScheduleRule(b) => {
                let targets: Vec<Expr> = self
                    .children(&res.id)
                    .into_iter()
                    .filter_map(|c| match &c.body {
                        Body::ScheduleTarget(t) => Some(self.schedule_target(t)),
                        _ => None,
                    })
                    .collect();
                Obj::new()
                    .set("Description", b.description.clone())
                    .set("ScheduleExpression", b.expression.clone())
                    .set("State", enabled(b.enabled))
                    .set("Targets", targets)
            }
            Body::ScheduleTarget(_) => return None,
        })
    }

    /// A rule's peer: its property and value, by direction.
    fn peer(&mut self, peer: &Peer, egress: bool) -> (&'static str, Expr) {
        match (peer, egress) {
            (Peer::Cidr(c), _) => ("CidrIp", Expr::from(c.clone())),
            (Peer::PrefixList(p), false) => ("SourcePrefixListId", self.r(p)),
            (Peer::PrefixList(p), true) => ("DestinationPrefixListId", self.r(p)),
            (Peer::Group(g), false) => ("SourceSecurityGroupId", self.r(g)),
            (Peer::Group(g), true) => ("DestinationSecurityGroupId", self.r(g)),
        }
    }

    /// Rules with a CIDR or prefix-list peer, and the default egress, go
    /// inline; rules whose peer is another group are resources of their
    /// own, so two groups that allow each other never form a cycle.
    fn security_group(&mut self, res: &'p Resource, b: &body::SecurityGroup) -> Obj {
        let mut ingress = Vec::new();
        let mut egress = Vec::new();
        let mut standalone_egress = false;
        for child in self.children(&res.id) {
            let Body::SgRule(rule) = &child.body else {
                continue;
            };
            let is_egress = child.id.kind != Kind::SecurityGroupIngress;
            if let Peer::Group(_) = rule.peer {
                standalone_egress |= is_egress;
                continue;
            }
            let (key, peer) = self.peer(&rule.peer, is_egress);
            let inline = rule_base(rule)
                .set(key, peer)
                .set("Description", rule.description.clone());
            if is_egress {
                egress.push(inline.into());
            } else {
                ingress.push(inline.into());
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
            .set("GroupDescription", b.description.clone())
            .set("VpcId", self.r(&b.vpc))
            .list("SecurityGroupIngress", ingress)
            .list("SecurityGroupEgress", egress)
    }

    fn action(&mut self, action: &Action) -> Obj {
        match action {
            Action::Fixed {
                status,
                content_type,
                body,
            } => Obj::new().set("Type", "fixed-response").set(
                "FixedResponseConfig",
                Obj::new()
                    .set("StatusCode", status.clone())
                    .set("ContentType", content_type.clone())
                    .opt("MessageBody", body.clone()),
            ),
            Action::Redirect {
                protocol,
                host,
                path,
                port,
                query,
                status_code,
            } => Obj::new().set("Type", "redirect").set(
                "RedirectConfig",
                Obj::new()
                    .opt("Protocol", *protocol)
                    .opt("Host", host.clone())
                    .opt("Path", path.clone())
                    .opt("Port", port.clone())
                    .opt("Query", query.clone())
                    .set("StatusCode", *status_code),
            ),
            Action::Forward(tg) => Obj::new()
                .set("Type", "forward")
                .set("TargetGroupArn", self.r(tg)),
            Action::Weighted { groups, stickiness } => {
                let groups = groups
                    .iter()
                    .map(|(tg, weight)| {
                        Obj::new()
                            .set("TargetGroupArn", self.r(tg))
                            .set("Weight", *weight)
                            .into()
                    })
                    .collect();
                let sticky =
                    stickiness.map(|d| Obj::new().set("Enabled", true).set("DurationSeconds", d));
                Obj::new().set("Type", "forward").set(
                    "ForwardConfig",
                    Obj::new()
                        .set("TargetGroups", Expr::List(groups))
                        .opt("TargetGroupStickinessConfig", sticky),
                )
            }
        }
    }

    /// Launch type, platform version and network of a service or a
    /// schedule's task (whose `awsvpc` key is spelled differently).
    fn placement(&mut self, obj: Obj, p: &Placement, awsvpc_key: &'static str) -> Obj {
        let network = p.network.as_ref().map(|n| {
            let vpc = Obj::new()
                .set("AssignPublicIp", enabled(n.public_ip))
                .set("SecurityGroups", self.rs(&n.security_groups))
                .set("Subnets", self.rs(&n.subnets));
            Obj::new().set(awsvpc_key, vpc)
        });
        let strategies = p
            .strategies
            .iter()
            .map(|(kind, field)| Obj::new().set("Type", *kind).opt("Field", *field).into())
            .collect();
        let constraints = p
            .constraints
            .iter()
            .map(|(kind, expr)| {
                Obj::new()
                    .set("Type", *kind)
                    .opt("Expression", expr.clone())
                    .into()
            })
            .collect();
        obj.opt("LaunchType", p.launch)
            .list("CapacityProviderStrategy", self.strategy(&p.capacity))
            .list("PlacementStrategies", strategies)
            .list("PlacementConstraints", constraints)
            .opt("PlatformVersion", p.platform_version.clone())
            .opt("NetworkConfiguration", network)
    }

    fn schedule_target(&mut self, b: &body::ScheduleTarget) -> Expr {
        let ecs = Obj::new()
            .set("TaskDefinitionArn", self.r(&b.task_definition))
            .set("TaskCount", b.count);
        let ecs = self.placement(ecs, &b.placement, "AwsVpcConfiguration");
        Obj::new()
            .set("Id", b.target_id.clone())
            .set("Arn", self.r(&b.cluster))
            .opt("RoleArn", b.role.as_ref().map(|r| self.r(r)))
            .set("EcsParameters", ecs)
            .into()
    }
}

fn scheduled_action(a: &body::ScheduledAction) -> Expr {
    let bounds = Obj::new()
        .set("MinCapacity", a.min)
        .set("MaxCapacity", a.max);
    Obj::new()
        .set("ScheduledActionName", a.name.clone())
        .set("Schedule", a.schedule.clone())
        .opt("Timezone", a.timezone.clone())
        .set("ScalableTargetAction", bounds)
        .into()
}

/// Protocol and ports of a rule.
fn rule_base(rule: &body::SgRule) -> Obj {
    let o = Obj::new().set("IpProtocol", rule.protocol);
    match rule.ports {
        Some((from, to)) => o
            .set("FromPort", Expr::Int(from))
            .set("ToPort", Expr::Int(to)),
        None => o,
    }
}

/// The logical id `r` waits for to follow `d`: the resource CloudFormation
/// folds `d` into, unless `r` references that resource already (a
/// reference orders it, and cfn-lint W3005 calls a `DependsOn` beside one
/// obsolete).
fn cfn_dependency(parents: &IdMap<&ResId>, r: &Resource, d: &ResId) -> Option<String> {
    let mut target = d;
    while target.kind.info().cloudformation.type_name().is_none() {
        target = parents.get(target)?;
    }
    // Folded into `r` itself: ordered within the resource.
    if target == &r.id {
        return None;
    }
    if target == d {
        return Some(d.logical_id());
    }
    let mut referenced = false;
    r.body.visit(&mut |x| referenced |= &x.to == target);
    (!referenced).then(|| target.logical_id())
}
