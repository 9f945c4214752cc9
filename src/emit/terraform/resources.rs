//! Each plan resource in Terraform's shape. Terraform folds the gateway
//! attachment into the internet gateway (created with `vpc_id`); every
//! security group rule, inline policy, policy attachment and schedule
//! target is a resource of its own. Stack tags come from the provider's
//! `default_tags`, so a resource carries only its `Name` tag.

use super::{
    escape, hcl_quoted, json_document, Configuration, Obj, Template, Val, ACCOUNT_EXPR,
    PARTITION_EXPR,
};
use crate::plan::*;
use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};

struct Cx<'p> {
    plan: &'p Plan,
    /// Where a resource folded into its parent is found: the parent's
    /// address stands for it in `depends_on`.
    parents: HashMap<&'p ResId, &'p ResId>,
    /// Resources that exist already: a reference reads their id.
    existing: HashMap<&'p ResId, &'p body::Existing>,
    /// Data sources read by derived attributes of existing resources,
    /// found while rendering references (which do not change `c`).
    data: RefCell<BTreeSet<&'static str>>,
    c: Configuration,
}

/// `aws_vpc.main`, or the parent's address for a folded resource.
fn address(cx: &Cx<'_>, id: &ResId) -> Option<String> {
    if cx.existing.contains_key(id) {
        return None;
    }
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
        existing: plan.existing(),
        data: RefCell::default(),
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
        // Referenced by its id; nothing to create.
        if matches!(r.body, Body::Existing(_)) {
            continue;
        }
        let body = cx.body(&r.body);
        // What is changed outside ecsc after creation.
        let ignore_changes = match &r.body {
            Body::Service(s) => s.managed_outside.iter().map(|f| f.to_string()).collect(),
            // Managed scaling sets the group's size.
            Body::AutoScalingGroup(_) => vec!["desired_capacity".to_string()],
            _ => Vec::new(),
        };
        let body = match &r.name_tag {
            Some(tag) => body.set("tags", Obj::new().set("Name", tag.clone())),
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
    for input in &plan.inputs {
        let name = crate::names::snake(&input.name);
        match &input.ssm {
            Some(parameter) => {
                cx.c.ssm_parameters.insert(name, parameter.clone());
            }
            None => {
                cx.c.variables.insert(name, input.description.clone());
            }
        }
    }
    for o in &plan.outputs {
        let value = match &o.value {
            OutputValue::Ref(r) => cx.r(r),
            OutputValue::Joined(refs) => {
                let items: Vec<String> = refs.iter().map(|r| cx.address_of(r)).collect();
                Val::Expr(format!("${{join(\",\", [{}])}}", items.join(", ")))
            }
        };
        cx.c.output(crate::names::snake(&o.name), o.description.clone(), value);
    }
    cx.c.data.extend(cx.data.take());
    cx.c
}

/// An existing resource's id inside an expression: the quoted literal, the
/// variable, or the SSM parameter's value.
fn id_expression(e: &ExistingId) -> String {
    match e {
        ExistingId::Literal(id) => hcl_quoted(&escape(id)),
        ExistingId::Input(name) => format!("var.{}", crate::names::snake(name)),
        ExistingId::Ssm(name) => {
            // `insecure_value`: an id is no secret, and Terraform refuses
            // outputs made of the sensitive `value`.
            format!(
                "data.aws_ssm_parameter.{}.insecure_value",
                crate::names::snake(name)
            )
        }
    }
}

impl Cx<'_> {
    /// `aws_vpc.main.id`, for use inside an expression.
    fn address_of(&self, r: &Ref) -> String {
        if let Some(e) = self.existing.get(&r.to) {
            return match e.attr(r.attr) {
                Some(text) => hcl_quoted(&self.template(text)),
                None => id_expression(&e.id),
            };
        }
        let info = r.to.kind.info();
        let attr = info.attr(r.attr).map_or("id", |a| a.terraform.name);
        let kind = info.terraform.type_name().unwrap_or_default();
        format!("{kind}.{}.{attr}", r.to.terraform_name())
    }

    /// `${aws_vpc.main.id}`.
    fn template_ref(&self, r: &Ref) -> String {
        let mut t = Template::default();
        self.push_ref(r, &mut t);
        t.finish()
    }

    /// Appends a reference to a template: an interpolation, or the literal
    /// id (or text) of a resource that exists already.
    fn push_ref(&self, r: &Ref, t: &mut Template) {
        if let Some(e) = self.existing.get(&r.to) {
            return match (e.attr(r.attr), &e.id) {
                (Some(text), _) => self.push_text(text, t),
                (None, ExistingId::Literal(id)) => t.lit(id),
                (None, id) => t.interpolate(&id_expression(id)),
            };
        }
        let info = r.to.kind.info();
        let attr = info.attr(r.attr).map(|a| a.terraform);
        let (name, suffix) = attr.map_or(("id", ""), |a| (a.name, a.suffix));
        let kind = info.terraform.type_name().unwrap_or_default();
        t.interpolate(&format!("{kind}.{}.{name}", r.to.terraform_name()));
        t.lit(suffix);
    }

    /// The inside of a template string: literals escaped, references live,
    /// the Region written out, account and partition read from data
    /// sources (recorded in `data`).
    fn template(&self, text: &Text) -> String {
        let mut t = Template::default();
        self.push_text(text, &mut t);
        t.finish()
    }

    fn push_text(&self, text: &Text, t: &mut Template) {
        for p in &text.0 {
            match p {
                Part::Lit(l) => t.lit(l),
                Part::Ref(r) => self.push_ref(r, t),
                Part::Region => t.lit(&self.plan.region),
                Part::Account => {
                    self.data.borrow_mut().insert("aws_caller_identity");
                    t.interpolate(ACCOUNT_EXPR);
                }
                Part::Partition => {
                    self.data.borrow_mut().insert("aws_partition");
                    t.interpolate(PARTITION_EXPR);
                }
                Part::Input(name) => {
                    t.interpolate(&format!("var.{}", crate::names::snake(name)));
                }
            }
        }
    }

    fn volume(&mut self, v: &VolumeDef) -> Val {
        let enabled = |on: bool| if on { "ENABLED" } else { "DISABLED" };
        let efs = v.efs.as_ref().map(|e| {
            let authorization = e.authorization.as_ref().map(|(ap, iam)| {
                Obj::new()
                    .opt("access_point_id", ap.as_ref().map(|a| self.value(a)))
                    .set("iam", enabled(*iam))
            });
            Obj::new()
                .set("file_system_id", self.value(&e.file_system))
                .opt("root_directory", e.root.clone())
                .set("transit_encryption", enabled(e.transit_encryption))
                .opt("authorization_config", authorization)
        });
        Obj::new()
            .set("name", v.name.clone())
            .opt("efs_volume_configuration", efs)
            .into()
    }

    /// A capacity provider strategy's blocks (`base` only where above 0).
    fn strategy(&self, items: &[Strategy]) -> Vec<Val> {
        items
            .iter()
            .map(|i| {
                Obj::new()
                    .set("capacity_provider", self.value(&i.provider))
                    .opt("base", (i.base > 0).then_some(i.base))
                    .set("weight", i.weight)
                    .into()
            })
            .collect()
    }

    fn r(&self, r: &Ref) -> Val {
        Val::Expr(self.template_ref(r))
    }

    fn service_connect(&self, c: &ServiceConnect) -> Obj {
        let services = c
            .services
            .iter()
            .map(|s| {
                let alias = Obj::new()
                    .set("dns_name", s.alias.0.clone())
                    .set("port", s.alias.1);
                let timeout =
                    (s.idle_timeout.is_some() || s.per_request_timeout.is_some()).then(|| {
                        Obj::new()
                            .opt("idle_timeout_seconds", s.idle_timeout)
                            .opt("per_request_timeout_seconds", s.per_request_timeout)
                    });
                Obj::new()
                    .set("port_name", s.port_name.clone())
                    .set("discovery_name", s.discovery.clone())
                    .set("client_alias", alias)
                    .opt("timeout", timeout)
                    .into()
            })
            .collect();
        let logs = c.logs.as_ref().map(|(group, prefix)| {
            let options = Obj::new()
                .set("awslogs-group", self.r(group))
                .set("awslogs-region", self.text(&Text(vec![Part::Region])))
                .set("awslogs-stream-prefix", *prefix);
            Obj::new()
                .set("log_driver", "awslogs")
                .set("options", options)
        });
        Obj::new()
            .set("enabled", true)
            .set("namespace", self.r(&c.namespace))
            .list("service", services)
            .opt("log_configuration", logs)
    }

    fn rs(&self, refs: &[Ref]) -> Vec<Val> {
        refs.iter().map(|r| self.r(r)).collect()
    }

    /// A template string: literals escaped, references live, the Region
    /// written out, account and partition read from data sources.
    fn text(&self, text: &Text) -> Val {
        Val::Expr(self.template(text))
    }

    fn value(&self, v: &Value) -> Val {
        match v {
            Value::Bool(b) => Val::Bool(*b),
            Value::Int(n) => Val::Int(*n),
            Value::Str(s) => Val::Str(s.clone()),
            Value::Text(t) => self.text(t),
            Value::Ref(r) => self.r(r),
            Value::Input(name) => {
                // An input read from SSM is the data source's value.
                let ssm = self
                    .plan
                    .inputs
                    .iter()
                    .any(|i| &i.name == name && i.ssm.is_some());
                let id = match ssm {
                    true => ExistingId::Ssm(name.clone()),
                    false => ExistingId::Input(name.clone()),
                };
                Val::Expr(format!("${{{}}}", id_expression(&id)))
            }
            Value::List(items) => Val::List(items.iter().map(|i| self.value(i)).collect()),
            Value::Map(entries) => Val::Map(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), self.value(v)))
                    .collect(),
            ),
            Value::Dict(entries) => Val::Map(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone().into(), self.value(v)))
                    .collect(),
            ),
        }
    }

    fn action(&self, action: &Action) -> Obj {
        match action {
            Action::Fixed {
                status,
                content_type,
                body,
            } => Obj::new().set("type", "fixed-response").set(
                "fixed_response",
                Obj::new()
                    .set("content_type", content_type.clone())
                    .opt("message_body", body.clone())
                    .set("status_code", status.clone()),
            ),
            Action::Redirect {
                protocol,
                host,
                path,
                port,
                query,
                status_code,
            } => Obj::new().set("type", "redirect").set(
                "redirect",
                Obj::new()
                    .opt("host", host.clone())
                    .opt("path", path.clone())
                    .opt("port", port.clone())
                    .opt("protocol", *protocol)
                    .opt("query", query.clone())
                    .set("status_code", *status_code),
            ),
            Action::Forward(tg) => Obj::new()
                .set("type", "forward")
                .set("target_group_arn", self.r(tg)),
            Action::Weighted { groups, stickiness } => {
                let groups = groups
                    .iter()
                    .map(|(tg, weight)| {
                        Obj::new()
                            .set("arn", self.r(tg))
                            .set("weight", *weight)
                            .into()
                    })
                    .collect();
                let sticky = stickiness.map(|d| Obj::new().set("enabled", true).set("duration", d));
                Obj::new().set("type", "forward").set(
                    "forward",
                    Obj::new()
                        .set("target_group", Val::List(groups))
                        .opt("stickiness", sticky),
                )
            }
        }
    }

    /// Launch type, capacity, placement, platform version and network of a
    /// service or a schedule's task (whose constraint block is named in the
    /// singular).
    fn placement(&self, obj: Obj, p: &Placement, constraint_key: &'static str) -> Obj {
        let strategies = p
            .strategies
            .iter()
            .map(|(kind, field)| Obj::new().set("type", *kind).opt("field", *field).into())
            .collect();
        let constraints = p
            .constraints
            .iter()
            .map(|(kind, expr)| {
                Obj::new()
                    .set("type", *kind)
                    .opt("expression", expr.clone())
                    .into()
            })
            .collect();
        let obj = obj
            .list("ordered_placement_strategy", strategies)
            .list(constraint_key, constraints);
        let network = p.network.as_ref().map(|n| {
            Obj::new()
                .set("assign_public_ip", n.public_ip)
                .set("security_groups", self.rs(&n.security_groups))
                .set("subnets", self.rs(&n.subnets))
        });
        obj.opt("launch_type", p.launch)
            .list("capacity_provider_strategy", self.strategy(&p.capacity))
            .opt("platform_version", p.platform_version.clone())
            .opt("network_configuration", network)
    }

    /// The resource's arguments.
    fn body(&mut self, body: &Body) -> Obj {
        match body {
            // Skipped by `render`: nothing is created.
            Body::Existing(_) => Obj::new(),
            Body::Vpc(b) => Obj::new()
                .set("cidr_block", b.cidr.clone())
                .set("enable_dns_support", b.dns_support)
                .set("enable_dns_hostnames", b.dns_hostnames),
            Body::Subnet(b) => Obj::new()
                .set("vpc_id", self.r(&b.vpc))
                .set("cidr_block", b.cidr.clone())
                .set("availability_zone", self.text(&b.zone)),
            Body::InternetGateway(b) => Obj::new().set("vpc_id", self.r(&b.vpc)),
            Body::GatewayAttachment(_) => Obj::new(),
            Body::Eip(_) => Obj::new().set("domain", "vpc"),
            Body::NatGateway(b) => Obj::new()
                .set("allocation_id", self.r(&b.allocation))
                .set("subnet_id", self.r(&b.subnet)),
            Body::RouteTable(b) => Obj::new().set("vpc_id", self.r(&b.vpc)),
            Body::Route(b) => {
                let (key, target) = match &b.via {
                    RouteVia::Gateway(g) => ("gateway_id", g),
                    RouteVia::Nat(n) => ("nat_gateway_id", n),
                };
                Obj::new()
                    .set("route_table_id", self.r(&b.table))
                    .set("destination_cidr_block", b.destination.clone())
                    .set(key, self.r(target))
            }
            Body::RouteTableAssociation(b) => Obj::new()
                .set("subnet_id", self.r(&b.subnet))
                .set("route_table_id", self.r(&b.table)),
            Body::SecurityGroup(b) => Obj::new()
                .set("description", b.description.clone())
                .set("vpc_id", self.r(&b.vpc)),
            Body::SgRule(b) => {
                let (from, to) = b.ports.unzip();
                let o = Obj::new()
                    .set("security_group_id", self.r(&b.group))
                    .set("ip_protocol", b.protocol)
                    .opt("from_port", from.map(Val::Int))
                    .opt("to_port", to.map(Val::Int));
                let o = match &b.peer {
                    Peer::Cidr(c) => o.set("cidr_ipv4", c.clone()),
                    Peer::Group(g) => o.set("referenced_security_group_id", self.r(g)),
                    Peer::PrefixList(p) => o.set("prefix_list_id", self.r(p)),
                };
                o.set("description", b.description.clone())
            }
            Body::VpcEndpoint(b) => {
                let o = Obj::new()
                    .set("vpc_id", self.r(&b.vpc))
                    .set("service_name", self.text(&b.service_name));
                match &b.placement {
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
            Body::LoadBalancer(b) => {
                let logs = b.access_logs.as_ref().map(|l| {
                    Obj::new()
                        .set("bucket", self.value(&l.bucket))
                        .opt("prefix", l.prefix.clone())
                        .set("enabled", true)
                });
                Obj::new()
                    .opt("name", b.name.clone())
                    .set("load_balancer_type", b.lb_type)
                    .set("internal", b.internal)
                    .set("subnets", self.rs(&b.subnets))
                    .list("security_groups", self.rs(&b.security_groups))
                    .opt("drop_invalid_header_fields", b.drop_invalid_header_fields)
                    .opt("idle_timeout", b.idle_timeout)
                    .opt(
                        "enable_deletion_protection",
                        b.deletion_protection.then_some(true),
                    )
                    .opt("enable_cross_zone_load_balancing", b.cross_zone)
                    .opt("access_logs", logs)
            }
            Body::Listener(b) => {
                let action = self.action(&b.default);
                let certificate = b.certificate.as_ref().map(|c| self.value(c));
                Obj::new()
                    .set("load_balancer_arn", self.r(&b.lb))
                    .set("port", b.port)
                    .set("protocol", b.protocol)
                    .opt("certificate_arn", certificate)
                    .opt("ssl_policy", b.ssl_policy.clone())
                    .set("default_action", vec![Val::from(action)])
            }
            Body::ListenerCertificate(b) => Obj::new()
                .set("listener_arn", self.r(&b.listener))
                .set("certificate_arn", b.certificate.clone()),
            Body::TargetGroup(b) => {
                let h = &b.health;
                let health = Obj::new()
                    .opt("protocol", h.protocol)
                    .opt("path", h.path.clone())
                    .opt("port", h.port.clone())
                    .opt("interval", h.interval)
                    .opt("timeout", h.timeout)
                    .opt("healthy_threshold", h.healthy)
                    .opt("unhealthy_threshold", h.unhealthy)
                    .opt("matcher", h.matcher.clone());
                let delay = b.deregistration_delay.map(|d| d.to_string());
                let stickiness = b.stickiness.as_ref().map(|s| {
                    Obj::new()
                        .set("enabled", true)
                        .set("type", s.kind)
                        .opt("cookie_duration", s.duration)
                        .opt("cookie_name", s.cookie.clone())
                });
                Obj::new()
                    .opt("name", b.name.clone())
                    .set("vpc_id", self.r(&b.vpc))
                    .set("port", b.port)
                    .set("protocol", b.protocol)
                    .opt("protocol_version", b.protocol_version)
                    .set("target_type", b.target_type)
                    .set("health_check", health)
                    .opt("deregistration_delay", delay)
                    .opt("stickiness", stickiness)
            }
            Body::ListenerRule(b) => {
                let conditions = b.conditions.iter().map(condition).collect();
                Obj::new()
                    .set("listener_arn", self.r(&b.listener))
                    .set("priority", b.priority)
                    .set("condition", Val::List(conditions))
                    .set("action", vec![Val::from(self.action(&b.action))])
            }
            Body::LogBucket(_) => Obj::new(),
            Body::LogBucketEncryption(b) => {
                let default = Obj::new().set("sse_algorithm", "AES256");
                let rule = Obj::new().set("apply_server_side_encryption_by_default", default);
                Obj::new()
                    .set("bucket", self.r(&b.bucket))
                    .set("rule", vec![Val::from(rule)])
            }
            Body::LogBucketAccess(b) => Obj::new()
                .set("bucket", self.r(&b.bucket))
                .set("block_public_acls", true)
                .set("block_public_policy", true)
                .set("ignore_public_acls", true)
                .set("restrict_public_buckets", true),
            Body::LogBucketLifecycle(b) => {
                let rule = Obj::new()
                    .set("id", "expire-access-logs")
                    .set("status", "Enabled")
                    .set("filter", Obj::new())
                    .set("expiration", Obj::new().set("days", b.expire_days))
                    .set(
                        "abort_incomplete_multipart_upload",
                        Obj::new().set("days_after_initiation", 1u32),
                    );
                Obj::new()
                    .set("bucket", self.r(&b.bucket))
                    .set("rule", vec![Val::from(rule)])
            }
            Body::LogBucketPolicy(b) => {
                let doc = self.value(&b.document);
                Obj::new()
                    .set("bucket", self.r(&b.bucket))
                    .set("policy", json_document(&doc))
            }
            Body::Cluster(b) => {
                let settings = b.settings.iter().map(|(name, value)| {
                    Val::from(Obj::new().set("name", *name).set("value", *value))
                });
                let defaults = b
                    .service_connect
                    .as_ref()
                    .map(|n| Obj::new().set("namespace", self.r(n)));
                Obj::new()
                    .set("name", b.name.clone())
                    .set("setting", Val::List(settings.collect()))
                    .opt("service_connect_defaults", defaults)
            }
            Body::InstanceProfile(b) => Obj::new().set("role", self.r(&b.role)),
            Body::LaunchTemplate(b) => {
                // base64encode() of the script as a quoted HCL string, its
                // references live.
                let script = hcl_quoted(&self.template(&b.user_data));
                Obj::new()
                    .set("image_id", self.value(&b.image))
                    .set("instance_type", b.instance_type.clone())
                    .set(
                        "iam_instance_profile",
                        Obj::new().set("arn", self.r(&b.profile)),
                    )
                    .list("vpc_security_group_ids", self.rs(&b.security_groups))
                    .set(
                        "metadata_options",
                        Obj::new()
                            .set("http_endpoint", "enabled")
                            .set("http_tokens", "required")
                            .set("http_put_response_hop_limit", 1u32),
                    )
                    .set(
                        "user_data",
                        Val::Expr(format!("${{base64encode({script})}}")),
                    )
            }
            Body::CapacityProvider(b) => Obj::new().set("name", b.name.clone()).set(
                "auto_scaling_group_provider",
                Obj::new()
                    .set("auto_scaling_group_arn", self.r(&b.group))
                    .set(
                        "managed_termination_protection",
                        if b.protect { "ENABLED" } else { "DISABLED" },
                    )
                    .set(
                        "managed_scaling",
                        Obj::new()
                            .set("status", "ENABLED")
                            .set("target_capacity", b.target_capacity),
                    ),
            ),
            Body::AutoScalingGroup(b) => {
                let group = Obj::new()
                    .set(
                        "tag",
                        vec![
                            Val::from(
                                Obj::new()
                                    .set("key", "Name")
                                    .set("value", b.instance_name.clone())
                                    .set("propagate_at_launch", true),
                            ),
                            // ECS tags a group its capacity provider manages.
                            Val::from(
                                Obj::new()
                                    .set("key", "AmazonECSManaged")
                                    .set("value", "true")
                                    .set("propagate_at_launch", true),
                            ),
                        ],
                    )
                    .set("vpc_zone_identifier", self.rs(&b.subnets))
                    .set("min_size", b.min)
                    .set("max_size", b.max)
                    .set("desired_capacity", b.desired)
                    .opt("protect_from_scale_in", b.protect.then_some(true));
                let template = Obj::new()
                    .set("id", self.r(&b.template))
                    .set("version", self.r(&b.version));
                match &b.spot {
                    None => group.set("launch_template", template),
                    Some(spot) => {
                        let overrides: Vec<Val> = spot
                            .types
                            .iter()
                            .map(|t| Obj::new().set("instance_type", t.clone()).into())
                            .collect();
                        let distribution = Obj::new()
                            .set("on_demand_base_capacity", spot.on_demand_base)
                            .set(
                                "on_demand_percentage_above_base_capacity",
                                spot.on_demand_percent,
                            )
                            .set("spot_allocation_strategy", "price-capacity-optimized");
                        let specification = Obj::new()
                            .set("launch_template_id", self.r(&b.template))
                            .set("version", self.r(&b.version));
                        group.set("capacity_rebalance", true).set(
                            "mixed_instances_policy",
                            Obj::new().set("instances_distribution", distribution).set(
                                "launch_template",
                                Obj::new()
                                    .set("launch_template_specification", specification)
                                    .set("override", overrides),
                            ),
                        )
                    }
                }
            }
            Body::ClusterCapacityProviders(b) => Obj::new()
                .set("cluster_name", self.r(&b.cluster))
                .set(
                    "capacity_providers",
                    b.providers
                        .iter()
                        .map(|p| self.value(p))
                        .collect::<Vec<_>>(),
                )
                .list(
                    "default_capacity_provider_strategy",
                    self.strategy(&b.default_strategy),
                ),
            Body::Namespace(b) => Obj::new()
                .set("name", b.name.clone())
                .set("vpc", self.r(&b.vpc)),
            Body::HttpNamespace(b) => Obj::new().set("name", b.name.clone()),
            Body::Repository(b) => Obj::new()
                .set("name", b.name.clone())
                .set(
                    "image_tag_mutability",
                    if b.immutable_tags {
                        "IMMUTABLE"
                    } else {
                        "MUTABLE"
                    },
                )
                .set(
                    "image_scanning_configuration",
                    Obj::new().set("scan_on_push", b.scan_on_push),
                )
                .set(
                    "encryption_configuration",
                    Obj::new()
                        .set("encryption_type", b.encryption)
                        .opt("kms_key", b.kms_key.clone()),
                )
                .set("force_delete", b.force_delete),
            Body::LifecyclePolicy(b) => {
                let policy = self.value(&b.policy);
                Obj::new()
                    .set("repository", self.r(&b.repository))
                    .set("policy", json_document(&policy))
            }
            Body::LogGroup(b) => Obj::new()
                .set("name", b.name.clone())
                .set("retention_in_days", b.retention_days),
            Body::Role(b) => {
                let doc = self.value(&b.assume_role_policy);
                Obj::new().set("assume_role_policy", json_document(&doc))
            }
            Body::RolePolicy(b) => {
                let doc = self.value(&b.document);
                Obj::new()
                    .set("name", b.name.clone())
                    .set("role", self.r(&b.role))
                    .set("policy", json_document(&doc))
            }
            Body::PolicyAttachment(b) => Obj::new()
                .set("role", self.r(&b.role))
                .set("policy_arn", b.policy_arn.clone()),
            Body::TaskDefinition(b) => {
                let containers = self.value(&b.containers);
                let runtime = b.runtime.map(|(arch, os)| {
                    Obj::new()
                        .set("cpu_architecture", arch)
                        .set("operating_system_family", os)
                });
                let storage = b
                    .ephemeral_storage_gib
                    .map(|g| Obj::new().set("size_in_gib", g));
                Obj::new()
                    .set("family", b.family.clone())
                    .opt("cpu", b.cpu.clone())
                    .opt("memory", b.memory.clone())
                    .set("network_mode", b.network_mode)
                    .set("requires_compatibilities", vec![b.launch])
                    .opt(
                        "execution_role_arn",
                        b.execution_role.as_ref().map(|r| self.r(r)),
                    )
                    .opt("task_role_arn", b.task_role.as_ref().map(|r| self.r(r)))
                    .opt("runtime_platform", runtime)
                    .opt("ephemeral_storage", storage)
                    .set("container_definitions", json_document(&containers))
                    .list("volume", b.volumes.iter().map(|v| self.volume(v)).collect())
            }
            Body::Service(b) => {
                let lbs = b
                    .load_balancers
                    .iter()
                    .map(|l| {
                        Obj::new()
                            .set("container_name", l.container.clone())
                            .set("container_port", l.port)
                            .set("target_group_arn", self.r(&l.target_group))
                            .into()
                    })
                    .collect();
                let registry = b.registry.as_ref().map(|reg| {
                    let (container, port) = reg.container.clone().unzip();
                    Obj::new()
                        .set("registry_arn", self.r(&reg.service))
                        .opt("container_name", container)
                        .opt("container_port", port)
                });
                let breaker = Obj::new()
                    .set("enable", b.circuit_breaker)
                    .set("rollback", b.rollback);
                let placed = Obj::new()
                    .set("name", b.name.clone())
                    .set("cluster", self.r(&b.cluster))
                    .set("task_definition", self.r(&b.task_definition))
                    .opt("desired_count", b.desired)
                    .opt("scheduling_strategy", b.daemon.then_some("DAEMON"));
                self.placement(placed, &b.placement, "placement_constraints")
                    .list("load_balancer", lbs)
                    .opt("health_check_grace_period_seconds", b.grace_period)
                    .opt("deployment_minimum_healthy_percent", b.min_healthy)
                    .opt("deployment_maximum_percent", b.max_percent)
                    .set("deployment_circuit_breaker", breaker)
                    .opt(
                        "alarms",
                        (!b.alarms.is_empty()).then(|| {
                            Obj::new()
                                .set("alarm_names", b.alarms.clone())
                                .set("enable", true)
                                .set("rollback", true)
                        }),
                    )
                    .opt("service_registries", registry)
                    .opt(
                        "service_connect_configuration",
                        b.connect.as_ref().map(|c| self.service_connect(c)),
                    )
                    .opt("enable_execute_command", b.exec.then_some(true))
                    .set("enable_ecs_managed_tags", true)
                    .set("propagate_tags", "SERVICE")
            }
            Body::DiscoveryService(b) => {
                let record = Obj::new().set("ttl", b.ttl).set("type", b.record_type);
                let dns = Obj::new()
                    .set("namespace_id", self.r(&b.namespace))
                    .set("routing_policy", b.routing_policy)
                    .set("dns_records", vec![Val::from(record)]);
                // AWS always uses a failure threshold of 1 (the provider
                // deprecates setting it): the block alone turns it on.
                Obj::new()
                    .set("name", b.name.clone())
                    .set("dns_config", dns)
                    .set("health_check_custom_config", Obj::new())
            }
            Body::ScalableTarget(b) => Obj::new()
                .set("min_capacity", b.min)
                .set("max_capacity", b.max)
                .set("resource_id", self.text(&b.resource_id))
                .set("scalable_dimension", b.dimension)
                .set("service_namespace", b.namespace),
            Body::ScheduledAction(b) => {
                let of_target = |attr| self.r(&b.target.to.attr(attr));
                // The provider takes the bounds as strings.
                let bounds = Obj::new()
                    .set("min_capacity", b.min.to_string())
                    .set("max_capacity", b.max.to_string());
                Obj::new()
                    .set("name", b.name.clone())
                    .set("service_namespace", of_target(Attr::ServiceNamespace))
                    .set("resource_id", of_target(Attr::ResourceId))
                    .set("scalable_dimension", of_target(Attr::ScalableDimension))
                    .set("schedule", b.schedule.clone())
                    .opt("timezone", b.timezone.clone())
                    .set("scalable_target_action", bounds)
            }
            Body::ScalingPolicy(b) => {
                let of_target = |attr| self.r(&b.target.to.attr(attr));
                let policy = Obj::new()
                    .set("name", b.name.clone())
                    .set("policy_type", b.config.policy_type())
                    .set("resource_id", of_target(Attr::ResourceId))
                    .set("scalable_dimension", of_target(Attr::ScalableDimension))
                    .set("service_namespace", of_target(Attr::ServiceNamespace));
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
                                    .set("predefined_metric_type", *metric)
                                    .opt("resource_label", label);
                                ("predefined_metric_specification", spec)
                            }
                            TrackedMetric::Custom {
                                namespace,
                                name,
                                dimensions,
                                statistic,
                            } => {
                                let dimensions = dimensions
                                    .iter()
                                    .map(|d| {
                                        Obj::new()
                                            .set("name", d.name.clone())
                                            .set("value", self.text(&d.value))
                                            .into()
                                    })
                                    .collect();
                                let spec = Obj::new()
                                    .set("namespace", namespace.clone())
                                    .set("metric_name", name.clone())
                                    .list("dimensions", dimensions)
                                    .set("statistic", *statistic);
                                ("customized_metric_specification", spec)
                            }
                        };
                        let config = Obj::new()
                            .set("target_value", *target_value)
                            .set(key, metric)
                            .opt("scale_in_cooldown", *scale_in_cooldown)
                            .opt("scale_out_cooldown", *scale_out_cooldown);
                        policy.set("target_tracking_scaling_policy_configuration", config)
                    }
                    PolicyConfig::Step {
                        cooldown,
                        aggregation,
                        steps,
                    } => {
                        // The provider takes the bounds as strings.
                        let steps: Vec<Val> = steps
                            .iter()
                            .map(|st| {
                                Obj::new()
                                    .opt(
                                        "metric_interval_lower_bound",
                                        st.lower.map(|l| l.to_string()),
                                    )
                                    .opt(
                                        "metric_interval_upper_bound",
                                        st.upper.map(|u| u.to_string()),
                                    )
                                    .set("scaling_adjustment", Val::Int(st.change))
                                    .into()
                            })
                            .collect();
                        let config = Obj::new()
                            .set("adjustment_type", "ChangeInCapacity")
                            .opt("cooldown", *cooldown)
                            .set("metric_aggregation_type", *aggregation)
                            .set("step_adjustment", steps);
                        policy.set("step_scaling_policy_configuration", config)
                    }
                }
            }
            Body::Alarm(b) => {
                let dimensions: Vec<(crate::tree::Key, Val)> = b
                    .dimensions
                    .iter()
                    .map(|d| (d.name.clone().into(), self.text(&d.value)))
                    .collect();
                let actions: Vec<Val> = b.actions.iter().map(|a| self.value(a)).collect();
                Obj::new()
                    .set("alarm_name", b.name.clone())
                    .set("alarm_description", b.description.clone())
                    .set("namespace", b.namespace.clone())
                    .set("metric_name", b.metric.clone())
                    .opt(
                        "dimensions",
                        (!dimensions.is_empty()).then_some(Val::Map(dimensions)),
                    )
                    .set("statistic", b.statistic)
                    .set("period", b.period)
                    .set("evaluation_periods", b.periods)
                    .set("threshold", b.threshold)
                    .set("comparison_operator", b.comparison)
                    .opt("treat_missing_data", b.treat_missing)
                    .list("alarm_actions", actions)
            }
            Body::ScheduleRule(b) => Obj::new()
                .set("description", b.description.clone())
                .set("schedule_expression", b.expression.clone())
                .set("state", if b.enabled { "ENABLED" } else { "DISABLED" }),
            Body::ScheduleTarget(b) => {
                let ecs = Obj::new()
                    .set("task_definition_arn", self.r(&b.task_definition))
                    .set("task_count", b.count);
                Obj::new()
                    .set("rule", self.r(&b.rule))
                    .set("target_id", b.target_id.clone())
                    .set("arn", self.r(&b.cluster))
                    .opt("role_arn", b.role.as_ref().map(|r| self.r(r)))
                    .set(
                        "ecs_target",
                        self.placement(ecs, &b.placement, "placement_constraint"),
                    )
            }
        }
    }
}

/// One condition of a listener rule.
fn condition(c: &Condition) -> Val {
    let values = |block: &'static str, v: &[String]| {
        Obj::new().set(block, Obj::new().set("values", v.to_vec()))
    };
    match c {
        Condition::Host(v) => values("host_header", v),
        Condition::Path(v) => values("path_pattern", v),
        Condition::Method(v) => values("http_request_method", v),
        Condition::SourceIp(v) => values("source_ip", v),
        Condition::Header(name, v) => Obj::new().set(
            "http_header",
            Obj::new()
                .set("http_header_name", name.clone())
                .set("values", v.clone()),
        ),
        Condition::Query(pairs) => {
            let pairs = pairs
                .iter()
                .map(|(k, v)| {
                    Obj::new()
                        .set("key", k.clone())
                        .set("value", v.clone())
                        .into()
                })
                .collect();
            Obj::new().set("query_string", Val::List(pairs))
        }
    }
    .into()
}
