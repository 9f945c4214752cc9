//! The resource plan: every resource ecsc creates, target-neutral.
//!
//! Built once from the derived [`Model`]. Each [`Resource`] has a stable
//! [`ResId`] (kind + names, never an index), a typed [`Body`] whose
//! references to other resources are typed [`Ref`]s, explicit
//! dependencies beyond those references, and the span it came from. Every
//! decision about what to create is made here (default egress, SRV or A
//! records, what waits for the internet gateway, secret and policy ARNs,
//! the scaling metrics); the renderers in [`crate::emit`] only fold the
//! plan into each target's shape. The dependency graph ([`crate::graph`])
//! is built from the plan, so it checks exactly what is emitted.

pub mod catalogue;
mod containers;
mod ecr;
mod ecs;
mod existing;
mod iam;
mod ids;
mod lb;
mod network;
pub mod value;

pub use catalogue::{Attr, Kind, KindInfo, Rendering, CATALOGUE};
pub use value::{Doc, KeyCase, Part, Ref, Refs, Text, Value};

use crate::model::Model;
use crate::names::snake;
use crate::source::Span;

/// A resource name, shared (not copied) by every id that refers to it.
pub type Name = std::sync::Arc<str>;

/// A resource's identity: its kind and the names it is derived from.
/// Adding or removing another declaration never changes it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResId {
    pub kind: Kind,
    /// The user name (or derived name, such as `web-api-443`) it is named
    /// after; shared by every reference to the resource.
    pub name: Name,
    /// A rule's position in its group, a listener's port.
    pub index: Option<u32>,
}

impl ResId {
    pub fn new(kind: Kind, name: &str) -> Self {
        ResId {
            kind,
            name: name.into(),
            index: None,
        }
    }

    pub fn indexed(kind: Kind, name: &str, index: u32) -> Self {
        ResId {
            kind,
            name: name.into(),
            index: Some(index),
        }
    }

    /// Another resource named like this one (its rule, its attachment).
    pub fn sibling(&self, kind: Kind) -> ResId {
        ResId {
            kind,
            name: self.name.clone(),
            index: None,
        }
    }

    /// A reference to one of this resource's attributes.
    pub fn attr(&self, attr: Attr) -> Ref {
        Ref::new(self.clone(), attr)
    }

    /// CloudFormation's logical id: `pascal(name)`, the kind's word, the
    /// index.
    pub fn logical_id(&self) -> String {
        let word = self.kind.info().word;
        // One allocation: the name, the kind's word and up to ten digits.
        let mut id = String::with_capacity(self.name.len() + word.len() + 10);
        crate::names::pascal_into(&self.name, &mut id);
        id.push_str(word);
        if let Some(i) = self.index {
            use std::fmt::Write as _;
            let _ = write!(id, "{i}");
        }
        id
    }

    /// Terraform's resource name: `snake(name)`, the kind's suffix, `_`
    /// and the index.
    pub fn terraform_name(&self) -> String {
        let mut name = snake(&self.name) + self.kind.info().tf_suffix;
        if let Some(i) = self.index {
            name.push('_');
            name.push_str(&i.to_string());
        }
        name
    }
}

/// One resource to create.
#[derive(Debug, Clone)]
pub struct Resource {
    pub id: ResId,
    pub body: Body,
    /// Resources that must exist first although nothing here references
    /// them (e.g. the gateway attachment before a public route).
    pub depends_on: Vec<ResId>,
    /// The resource this one belongs to, which a target may fold it into
    /// (a rule into its group, a policy into its role).
    pub parent: Option<ResId>,
    /// The `Name` tag's value, for kinds that carry one.
    pub name_tag: Option<String>,
    /// The declaration it comes from.
    pub span: Span,
}

/// A value supplied at deploy time, with no default: a CloudFormation
/// parameter, a Terraform variable.
#[derive(Debug, Clone)]
pub struct Input {
    /// `pascal` for CloudFormation, `snake` for Terraform.
    pub name: String,
    pub description: String,
    /// The parameter's type in CloudFormation (`String`, or an AWS-specific
    /// type such as `AWS::EC2::VPC::Id` that the console checks).
    pub cfn_type: &'static str,
    /// Read from this SSM parameter at deploy time instead of being passed:
    /// CloudFormation's `AWS::SSM::Parameter::Value<type>` parameter with
    /// the name as its default, Terraform's `aws_ssm_parameter` data source.
    pub ssm: Option<String>,
    /// What asks for it (`id = input`, `efs = input`, `external_image`).
    pub span: Span,
}

/// A value the deployed stack reports (CloudFormation output, Terraform
/// output).
#[derive(Debug, Clone)]
pub struct Output {
    /// `pascal(name)` in CloudFormation, `snake(name)` in Terraform.
    pub name: String,
    pub description: String,
    pub value: OutputValue,
    /// CloudFormation export name (`Fn::ImportValue` in other stacks).
    pub export: Option<String>,
    /// Declared by an `output` block (not one ecsc adds for each cluster,
    /// service or repository): a split CloudFormation stack reports it
    /// from the parent template, the others from the nested stack that
    /// holds their resource.
    pub declared: bool,
}

#[derive(Debug, Clone)]
pub enum OutputValue {
    Ref(Ref),
    /// References joined with commas (subnet ids for `aws ecs run-task`).
    Joined(Vec<Ref>),
}

impl From<Ref> for OutputValue {
    fn from(r: Ref) -> Self {
        OutputValue::Ref(r)
    }
}

/// The whole plan of one stack.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub stack_name: String,
    /// Where the stack is declared: what is said of the template as a
    /// whole points there.
    pub stack_span: crate::source::Span,
    pub region: String,
    pub description: String,
    /// Added to every taggable resource.
    pub tags: Vec<(String, String)>,
    pub resources: Vec<Resource>,
    pub inputs: Vec<Input>,
    pub outputs: Vec<Output>,
}

impl Plan {
    /// The resources that exist already: both renderers write their id
    /// (or the attribute derived from it) where a reference would go.
    pub fn existing(&self) -> std::collections::HashMap<&ResId, &body::Existing> {
        self.resources
            .iter()
            .filter_map(|r| match &r.body {
                Body::Existing(e) => Some((&r.id, &**e)),
                _ => None,
            })
            .collect()
    }

    /// Builds the plan of a derived model. Never fails: a model that
    /// lowering accepted has every reference resolved; what rules would
    /// reject is still planned (and never emitted).
    pub fn build(m: &Model) -> Plan {
        let mut p = Plan {
            stack_name: m.stack.name.clone(),
            stack_span: m.stack.span,
            region: m.stack.region.clone(),
            description: m.stack.description.clone().unwrap_or_else(|| {
                format!("{} (generated by ecsc from .ecs sources)", m.stack.name)
            }),
            tags: m.stack.tags.clone(),
            ..Plan::default()
        };
        // Resources are large: reserve once rather than move them as the
        // list grows (an estimate; rules add one resource each).
        let rules: usize = m
            .security_groups
            .iter()
            .map(|g| g.ingress.len() + g.egress.len())
            .sum();
        p.resources.reserve(
            rules
                + 2 * (m.vpcs.len()
                    + m.subnets.len()
                    + m.nat_gateways.len()
                    + m.route_tables.len())
                + m.security_groups.len()
                + m.endpoints.len()
                + 3 * m.load_balancers.len()
                + m.target_groups.len()
                + m.listener_rules.len()
                + m.clusters.len()
                + m.namespaces.len()
                + 2 * m.repositories.len()
                + m.log_groups.len()
                + 3 * m.roles.len()
                + m.tasks.len()
                + 6 * m.services.len()
                + 2 * m.schedules.len(),
        );
        let cx = ids::Cx::new(m);
        network::plan(&cx, &mut p);
        lb::plan(&cx, &mut p);
        ecr::plan(&cx, &mut p);
        ecs::plan(&cx, &mut p);
        declared_outputs(&cx, &mut p);
        existing::drop_unread_inputs(&mut p);
        // The estimate is generous (a role or a rule may fold away): what
        // it kept beyond the resources is given back.
        p.resources.shrink_to_fit();
        p
    }

    /// Adds a resource and returns it, for setting dependencies or a
    /// parent (builders only).
    pub(crate) fn add(&mut self, id: ResId, span: Span, body: Body) -> &mut Resource {
        self.resources.push(Resource {
            id,
            body,
            depends_on: Vec::new(),
            parent: None,
            name_tag: None,
            span,
        });
        let last = self.resources.len() - 1;
        &mut self.resources[last]
    }

    /// `<stack>-<name>`, the value of a `Name` tag.
    pub(crate) fn name_tag(&self, name: &str) -> Option<String> {
        Some(format!("{}-{name}", self.stack_name))
    }
}

impl Resource {
    pub(crate) fn tagged(&mut self, tag: Option<String>) -> &mut Self {
        self.name_tag = tag;
        self
    }
    pub(crate) fn after(&mut self, dep: ResId) -> &mut Self {
        self.depends_on.push(dep);
        self
    }
    pub(crate) fn within(&mut self, parent: ResId) -> &mut Self {
        self.parent = Some(parent);
        self
    }
}

/// Declares one struct per body (in [`body`]), the [`Body`] enum over
/// them, and the reference visitor that walks every field of every body
/// (so the graph cannot miss a reference).
macro_rules! bodies {
    ($(
        $(#[$doc:meta])*
        $variant:ident { $( $(#[$fdoc:meta])* $field:ident : $ty:ty ),* $(,)? }
    )*) => {
        /// The typed bodies of the resources, one struct per kind of body.
        pub mod body {
            use super::*;
            $(
                $(#[$doc])*
                #[derive(Debug, Clone, PartialEq)]
                pub struct $variant { $( $(#[$fdoc])* pub $field: $ty ),* }

                impl Refs for $variant {
                    #[allow(unused_variables)]
                    fn visit<'a>(&'a self, f: &mut dyn FnMut(&'a Ref)) {
                        $( Refs::visit(&self.$field, f); )*
                    }
                }
            )*
        }

        /// What a resource is, with typed references.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Body {
            $( $(#[$doc])* $variant(Box<body::$variant>) ),*
        }

        $(
            impl From<body::$variant> for Body {
                fn from(b: body::$variant) -> Self {
                    Body::$variant(Box::new(b))
                }
            }
        )*

        impl Refs for Body {
            fn visit<'a>(&'a self, f: &mut dyn FnMut(&'a Ref)) {
                match self {
                    $( Body::$variant(b) => b.visit(f), )*
                }
            }
        }
    };
}

bodies! {
    /// A resource that exists already (a VPC, subnet, security group or
    /// cluster): nothing is created, references read its id, or an
    /// attribute derived from the id (a cluster's ARN from its name).
    Existing {
        id: ExistingId,
        /// The attributes the id is (a VPC's `Id`; a load balancer's `Id`
        /// and `Arn`).
        is: Vec<Attr>,
        attrs: ExistingAttrs,
    }
    Vpc { cidr: String, dns_support: bool, dns_hostnames: bool }
    Subnet { vpc: Ref, cidr: String, zone: Text }
    InternetGateway { vpc: Ref }
    GatewayAttachment { vpc: Ref, gateway: Ref }
    Eip {}
    NatGateway { allocation: Ref, subnet: Ref }
    RouteTable { vpc: Ref }
    Route { table: Ref, destination: String, via: RouteVia }
    RouteTableAssociation { subnet: Ref, table: Ref }
    SecurityGroup { description: String, vpc: Ref }
    /// An ingress or egress rule (the kind says which).
    SgRule {
        group: Ref,
        /// AWS's IpProtocol: `tcp`, `udp`, `icmp`, `-1`.
        protocol: &'static str,
        /// From and to port (type and code for ICMP); none for `-1`.
        ports: Option<(i64, i64)>,
        peer: Peer,
        description: String,
    }
    VpcEndpoint {
        vpc: Ref,
        /// The short service name (`s3`, `ecr.api`).
        service: String,
        /// `com.amazonaws.<region>.<service>`.
        service_name: Text,
        placement: EndpointPlacement,
    }
    LoadBalancer {
        name: Option<String>,
        /// `application` or `network`.
        lb_type: &'static str,
        /// Application load balancers only.
        drop_invalid_header_fields: Option<bool>,
        internal: bool,
        subnets: Vec<Ref>,
        security_groups: Vec<Ref>,
        idle_timeout: Option<u64>,
        deletion_protection: bool,
        cross_zone: Option<bool>,
        access_logs: Option<AccessLogs>,
    }
    Listener {
        lb: Ref,
        port: u32,
        protocol: &'static str,
        certificate: Option<Value>,
        ssl_policy: Option<String>,
        default: Action,
    }
    TargetGroup {
        name: Option<String>,
        vpc: Ref,
        port: u32,
        /// `HTTP`, `TCP`, `UDP` or `TCP_UDP`.
        protocol: &'static str,
        /// `HTTP2` or `GRPC`; HTTP/1.1 when none.
        protocol_version: Option<&'static str>,
        target_type: &'static str,
        health: TargetHealth,
        deregistration_delay: Option<u64>,
        stickiness: Option<Stickiness>,
    }
    ListenerRule {
        listener: Ref,
        priority: u32,
        conditions: Vec<Condition>,
        action: Action,
    }
    /// An extra certificate of an HTTPS or TLS listener (SNI).
    ListenerCertificate {
        listener: Ref,
        certificate: String,
    }
    /// A private bucket for access logs.
    LogBucket {}
    LogBucketEncryption { bucket: Ref }
    LogBucketAccess { bucket: Ref }
    LogBucketLifecycle { bucket: Ref, expire_days: u32 }
    LogBucketPolicy { bucket: Ref, document: Value }
    Cluster {
        name: String,
        /// Cluster settings by name (`containerInsights`: `enabled`).
        settings: Vec<(&'static str, &'static str)>,
        /// The default Service Connect namespace (its ARN).
        service_connect: Option<Ref>,
    }
    InstanceProfile { role: Ref }
    LaunchTemplate {
        /// The AMI: an id, or the input read from AWS's SSM parameter.
        image: Value,
        instance_type: String,
        profile: Ref,
        security_groups: Vec<Ref>,
        /// A shell script (base64-encoded by the renderers).
        user_data: Text,
    }
    /// An Auto Scaling group's capacity provider, with managed scaling.
    CapacityProvider {
        name: String,
        group: Ref,
        target_capacity: u64,
        /// Managed termination protection.
        protect: bool,
    }
    AutoScalingGroup {
        /// The `Name` tag its instances get.
        instance_name: String,
        subnets: Vec<Ref>,
        min: u64,
        max: u64,
        desired: u64,
        template: Ref,
        version: Ref,
        /// Spot capacity: a mixed instances policy instead of the template
        /// alone.
        spot: Option<SpotDef>,
        /// New instances start protected from scale-in (managed
        /// termination protection needs it).
        protect: bool,
    }
    /// The capacity providers of a cluster (`FARGATE`, `FARGATE_SPOT`) and
    /// its default strategy.
    ClusterCapacityProviders {
        cluster: Ref,
        providers: Vec<Value>,
        default_strategy: Vec<Strategy>,
    }
    Namespace { name: String, vpc: Ref }
    HttpNamespace { name: String }
    /// An ECR repository.
    Repository {
        name: String,
        scan_on_push: bool,
        immutable_tags: bool,
        /// `AES256` or `KMS`.
        encryption: &'static str,
        kms_key: Option<String>,
        force_delete: bool,
    }
    /// A repository's lifecycle policy: the policy document (JSON text in
    /// both targets).
    LifecyclePolicy { repository: Ref, policy: Value }
    LogGroup { name: String, retention_days: u32 }
    /// The trust policy is shared by every role with the same principal
    /// and conditions: 20,000 roles of 10,000 services held 20,000 equal
    /// documents.
    Role { assume_role_policy: std::sync::Arc<Value> }
    /// A role's inline policy.
    RolePolicy { role: Ref, name: String, document: Value }
    PolicyAttachment { role: Ref, policy_arn: String }
    TaskDefinition {
        family: String,
        cpu: Option<String>,
        memory: Option<String>,
        network_mode: &'static str,
        launch: &'static str,
        execution_role: Option<Ref>,
        task_role: Option<Ref>,
        /// CPU architecture and OS family (Fargate).
        runtime: Option<(&'static str, &'static str)>,
        ephemeral_storage_gib: Option<u64>,
        /// In the ECS API's shape and key case (`containerPort`).
        containers: Value,
        volumes: Vec<VolumeDef>,
    }
    Service {
        name: String,
        cluster: Ref,
        task_definition: Ref,
        /// None for a daemon service (one task per instance).
        desired: Option<u64>,
        daemon: bool,
        placement: Placement,
        load_balancers: Vec<LbTarget>,
        grace_period: Option<u64>,
        min_healthy: Option<u64>,
        max_percent: Option<u64>,
        circuit_breaker: bool,
        rollback: bool,
        registry: Option<Registry>,
        /// Boxed: most services have none.
        connect: Option<Box<ServiceConnect>>,
        /// Physical names of the alarms that roll a deployment back.
        alarms: Vec<String>,
        exec: bool,
        /// What is changed outside ecsc after creation: Terraform ignores
        /// drift on these (`task_definition`, `desired_count`).
        managed_outside: Vec<&'static str>,
    }
    DiscoveryService {
        name: String,
        namespace: Ref,
        routing_policy: &'static str,
        record_type: &'static str,
        ttl: u32,
    }
    ScalableTarget {
        min: u64,
        max: u64,
        resource_id: Text,
        dimension: &'static str,
        namespace: &'static str,
    }
    ScheduledAction {
        name: String,
        target: Ref,
        /// `cron(...)` or `at(...)`.
        schedule: String,
        timezone: Option<String>,
        min: u64,
        max: u64,
    }
    ScalingPolicy {
        name: String,
        target: Ref,
        config: PolicyConfig,
    }
    /// A CloudWatch metric alarm.
    Alarm {
        name: String,
        description: String,
        namespace: String,
        metric: String,
        dimensions: Vec<Dimension>,
        /// `Average`, `Sum`, `Minimum`, `Maximum`, `SampleCount`.
        statistic: &'static str,
        period: u64,
        periods: u64,
        threshold: f64,
        comparison: &'static str,
        treat_missing: Option<&'static str>,
        /// SNS topic ARNs and the step scaling policies it triggers.
        actions: Vec<Value>,
    }
    ScheduleRule { description: String, expression: String, enabled: bool }
    ScheduleTarget {
        rule: Ref,
        target_id: String,
        cluster: Ref,
        role: Option<Ref>,
        task_definition: Ref,
        count: u64,
        placement: Placement,
    }
}

/// One dimension of a CloudWatch metric.
#[derive(Debug, Clone, PartialEq)]
pub struct Dimension {
    pub name: String,
    pub value: Text,
}

/// What a scaling policy does.
#[derive(Debug, Clone, PartialEq)]
pub enum PolicyConfig {
    /// `TargetTrackingScaling`: keep a metric at a value.
    Tracking {
        target_value: f64,
        metric: TrackedMetric,
        scale_in_cooldown: Option<u64>,
        scale_out_cooldown: Option<u64>,
    },
    /// `StepScaling`: change the count by steps when its alarm fires.
    Step {
        cooldown: Option<u64>,
        /// `Average`, `Minimum` or `Maximum`.
        aggregation: &'static str,
        steps: Vec<StepAdjustment>,
    },
}

impl PolicyConfig {
    /// Application Auto Scaling's `PolicyType`.
    pub fn policy_type(&self) -> &'static str {
        match self {
            PolicyConfig::Tracking { .. } => "TargetTrackingScaling",
            PolicyConfig::Step { .. } => "StepScaling",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum TrackedMetric {
    /// A predefined metric (`ECSServiceAverageCPUUtilization`), with the
    /// load balancer and target group label for request counts.
    Predefined {
        metric: &'static str,
        label: Option<Text>,
    },
    Custom {
        namespace: String,
        name: String,
        dimensions: Vec<Dimension>,
        statistic: &'static str,
    },
}

/// One step: metric bounds relative to the alarm's threshold (none:
/// unbounded) and the change in tasks.
#[derive(Debug, Clone, PartialEq)]
pub struct StepAdjustment {
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    pub change: i64,
}

impl Refs for Dimension {
    fn visit<'a>(&'a self, f: &mut dyn FnMut(&'a Ref)) {
        self.value.visit(f);
    }
}

impl Refs for PolicyConfig {
    fn visit<'a>(&'a self, f: &mut dyn FnMut(&'a Ref)) {
        match self {
            PolicyConfig::Tracking {
                metric: TrackedMetric::Predefined { label, .. },
                ..
            } => label.visit(f),
            PolicyConfig::Tracking {
                metric: TrackedMetric::Custom { dimensions, .. },
                ..
            } => dimensions.visit(f),
            PolicyConfig::Step { .. } => {}
        }
    }
}

/// How an existing resource's id reaches the template.
#[derive(Debug, Clone, PartialEq)]
pub enum ExistingId {
    Literal(String),
    /// A deploy-time input, by name.
    Input(String),
    /// A deploy-time input read from SSM, by the input's name.
    Ssm(String),
}

/// Attributes of an existing resource that are not its id, each a text
/// that may read the id (as a [`Ref`] to the resource itself, with an
/// attribute not in the list). Not visited as references: they point
/// nowhere but at the resource itself.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ExistingAttrs(pub Vec<(Attr, Text)>);

impl body::Existing {
    /// How a reference to `attr` reads: a text for a derived attribute,
    /// else the id.
    pub fn attr(&self, attr: Attr) -> Option<&Text> {
        self.attrs
            .0
            .iter()
            .find(|(a, _)| *a == attr)
            .map(|(_, t)| t)
    }

    /// Whether a reference to `attr` can be written: the id is it, or it
    /// is derived from the id. (E092 reports references to any other.)
    pub fn knows(&self, attr: Attr) -> bool {
        self.is.contains(&attr) || self.attr(attr).is_some()
    }
}

/// Where a default route sends traffic.
#[derive(Debug, Clone, PartialEq)]
pub enum RouteVia {
    Gateway(Ref),
    Nat(Ref),
}

/// The other side of a security group rule.
#[derive(Debug, Clone, PartialEq)]
pub enum Peer {
    Cidr(String),
    Group(Ref),
    /// The prefix list of a gateway endpoint.
    PrefixList(Ref),
}

#[derive(Debug, Clone, PartialEq)]
pub enum EndpointPlacement {
    Gateway {
        route_tables: Vec<Ref>,
    },
    Interface {
        subnets: Vec<Ref>,
        security_groups: Vec<Ref>,
        private_dns: bool,
    },
}

/// What a listener (by default) or a listener rule does.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Fixed {
        status: String,
        content_type: String,
        body: Option<String>,
    },
    /// Each part not given keeps the request's.
    Redirect {
        protocol: Option<&'static str>,
        host: Option<String>,
        path: Option<String>,
        port: Option<String>,
        query: Option<String>,
        /// `HTTP_301` or `HTTP_302`.
        status_code: &'static str,
    },
    Forward(Ref),
    /// To several target groups, each with its weight; with the seconds a
    /// client sticks to the group it was sent to, when the routes are
    /// sticky.
    Weighted {
        groups: Vec<(Ref, u32)>,
        stickiness: Option<u64>,
    },
}

/// One condition of a listener rule.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    Host(Vec<String>),
    Path(Vec<String>),
    Method(Vec<String>),
    SourceIp(Vec<String>),
    /// A header and the values it may have.
    Header(String, Vec<String>),
    /// Key and value pairs, any of which matches.
    Query(Vec<(String, String)>),
}

/// Where a load balancer writes its access logs.
#[derive(Debug, Clone, PartialEq)]
pub struct AccessLogs {
    /// The bucket's name: written, or the derived bucket's id.
    pub bucket: Value,
    pub prefix: Option<String>,
}

/// A target group's stickiness.
#[derive(Debug, Clone, PartialEq)]
pub struct Stickiness {
    /// `lb_cookie`, `app_cookie` or `source_ip`.
    pub kind: &'static str,
    pub duration: Option<u64>,
    pub cookie: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TargetHealth {
    /// `HTTP`, `HTTPS` or `TCP`; the target group's own when none.
    pub protocol: Option<&'static str>,
    /// None for TCP checks.
    pub path: Option<String>,
    /// The matcher is gRPC status codes, not HTTP ones.
    pub grpc: bool,
    /// `traffic-port` for instance targets, whose port is the host port
    /// each task got (dynamic in bridge mode): checked where traffic goes;
    /// or a port given.
    pub port: Option<String>,
    pub interval: Option<u64>,
    pub timeout: Option<u64>,
    pub healthy: Option<u64>,
    pub unhealthy: Option<u64>,
    pub matcher: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct VolumeDef {
    pub name: String,
    pub efs: Option<EfsDef>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EfsDef {
    /// The file system's id, or the input that holds it.
    pub file_system: Value,
    pub root: Option<String>,
    pub transit_encryption: bool,
    /// Access point (id or input) and IAM authorization, when either is set.
    pub authorization: Option<(Option<Value>, bool)>,
}

/// Where and how tasks run: the same for a service's tasks and a
/// schedule's.
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    /// `FARGATE` or `EC2`; none where a capacity provider strategy decides.
    pub launch: Option<&'static str>,
    /// The capacity provider strategy, when given.
    pub capacity: Vec<Strategy>,
    /// Placement strategies in order: ECS's `type` and `field`.
    pub strategies: Vec<(&'static str, Option<&'static str>)>,
    /// Placement constraints: `distinctInstance`, or `memberOf` with its
    /// expression.
    pub constraints: Vec<(&'static str, Option<String>)>,
    pub platform_version: Option<String>,
    pub network: Option<AwsVpc>,
}

/// An Auto Scaling group's mixed instances policy.
#[derive(Debug, Clone, PartialEq)]
pub struct SpotDef {
    pub on_demand_base: u64,
    pub on_demand_percent: u64,
    /// Every instance type, the group's own first.
    pub types: Vec<String>,
}

/// One capacity provider of a strategy.
#[derive(Debug, Clone, PartialEq)]
pub struct Strategy {
    /// `FARGATE`, `FARGATE_SPOT`, or a reference to a capacity provider of
    /// the plan (its name).
    pub provider: Value,
    /// Written only when above 0.
    pub base: u64,
    pub weight: u64,
}

/// A task's `awsvpc` network configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct AwsVpc {
    pub subnets: Vec<Ref>,
    pub security_groups: Vec<Ref>,
    pub public_ip: bool,
}

/// A container port registered with a target group.
#[derive(Debug, Clone, PartialEq)]
pub struct LbTarget {
    pub container: String,
    pub port: u32,
    pub target_group: Ref,
}

/// A service's Cloud Map registration; container and port outside
/// `awsvpc`, where the record is SRV.
#[derive(Debug, Clone, PartialEq)]
pub struct Registry {
    pub service: Ref,
    pub container: Option<(String, u32)>,
}

/// A service's Service Connect configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceConnect {
    /// The namespace's ARN.
    pub namespace: Ref,
    pub services: Vec<ConnectService>,
    /// The proxy's logs: the task's log group (its name) and stream prefix.
    pub logs: Option<(Ref, &'static str)>,
}

/// One endpoint a service serves through Service Connect.
#[derive(Debug, Clone, PartialEq)]
pub struct ConnectService {
    pub port_name: String,
    pub discovery: String,
    /// The client alias: its DNS name and port.
    pub alias: (String, u32),
    /// Seconds.
    pub idle_timeout: Option<u64>,
    pub per_request_timeout: Option<u64>,
}

impl Refs for ServiceConnect {
    fn visit<'a>(&'a self, f: &mut dyn FnMut(&'a Ref)) {
        f(&self.namespace);
        if let Some((group, _)) = &self.logs {
            f(group);
        }
    }
}

impl Refs for Strategy {
    fn visit<'a>(&'a self, f: &mut dyn FnMut(&'a Ref)) {
        self.provider.visit(f);
    }
}

impl Refs for RouteVia {
    fn visit<'a>(&'a self, f: &mut dyn FnMut(&'a Ref)) {
        match self {
            RouteVia::Gateway(r) | RouteVia::Nat(r) => f(r),
        }
    }
}

impl Refs for Peer {
    fn visit<'a>(&'a self, f: &mut dyn FnMut(&'a Ref)) {
        match self {
            Peer::Cidr(_) => {}
            Peer::Group(r) | Peer::PrefixList(r) => f(r),
        }
    }
}

impl Refs for EndpointPlacement {
    fn visit<'a>(&'a self, f: &mut dyn FnMut(&'a Ref)) {
        match self {
            EndpointPlacement::Gateway { route_tables } => route_tables.visit(f),
            EndpointPlacement::Interface {
                subnets,
                security_groups,
                ..
            } => {
                subnets.visit(f);
                security_groups.visit(f);
            }
        }
    }
}

impl Refs for AwsVpc {
    fn visit<'a>(&'a self, f: &mut dyn FnMut(&'a Ref)) {
        self.subnets.visit(f);
        self.security_groups.visit(f);
    }
}

impl Refs for Placement {
    fn visit<'a>(&'a self, f: &mut dyn FnMut(&'a Ref)) {
        self.network.visit(f);
    }
}

impl Refs for AccessLogs {
    fn visit<'a>(&'a self, f: &mut dyn FnMut(&'a Ref)) {
        self.bucket.visit(f);
    }
}

impl Refs for Action {
    fn visit<'a>(&'a self, f: &mut dyn FnMut(&'a Ref)) {
        match self {
            Action::Forward(r) => f(r),
            Action::Weighted { groups, .. } => groups.iter().for_each(|(r, _)| f(r)),
            Action::Fixed { .. } | Action::Redirect { .. } => {}
        }
    }
}

impl Refs for LbTarget {
    fn visit<'a>(&'a self, f: &mut dyn FnMut(&'a Ref)) {
        f(&self.target_group);
    }
}

impl Refs for Registry {
    fn visit<'a>(&'a self, f: &mut dyn FnMut(&'a Ref)) {
        f(&self.service);
    }
}

/// No references inside.
macro_rules! plain {
    ($($t:ty),*) => {$(
        impl Refs for $t {
            fn visit<'a>(&'a self, _: &mut dyn FnMut(&'a Ref)) {}
        }
    )*};
}

plain!(
    SpotDef,
    Condition,
    Stickiness,
    ExistingId,
    ExistingAttrs,
    Attr,
    TargetHealth,
    VolumeDef,
    (&'static str, &'static str),
    (i64, i64)
);

/// The `output` declarations: an attribute of one declaration each.
fn declared_outputs(m: &ids::Cx<'_>, p: &mut Plan) {
    use crate::model::OutputOf;
    for o in &m.outputs {
        let (id, attr) = match (o.of, o.attribute.value) {
            (OutputOf::Vpc(i), _) => (m.vpc[i.0].clone(), Attr::Id),
            (OutputOf::Subnet(i), _) => (m.subnet[i.0].clone(), Attr::Id),
            (OutputOf::SecurityGroup(i), _) => (m.sg[i.0].clone(), Attr::Id),
            (OutputOf::LoadBalancer(i), "dns_name") => (m.lb[i.0].clone(), Attr::DnsName),
            (OutputOf::LoadBalancer(i), "full_name") => (m.lb[i.0].clone(), Attr::FullName),
            (OutputOf::LoadBalancer(i), _) => (m.lb[i.0].clone(), Attr::Id),
            (OutputOf::Cluster(i), "arn") => (m.cluster[i.0].clone(), Attr::Arn),
            (OutputOf::Cluster(i), _) => (m.cluster[i.0].clone(), Attr::Name),
            (OutputOf::Task(i), _) => (m.task[i.0].clone(), Attr::Id),
            (OutputOf::Service(i), _) => (m.service[i.0].clone(), Attr::Name),
        };
        p.outputs.push(Output {
            name: o.name.name.clone(),
            description: o.description.clone().unwrap_or_else(|| {
                format!("{} of {}", o.attribute.value, crate::graph::describe(&id))
            }),
            value: id.attr(attr).into(),
            export: o.export.as_ref().map(|e| e.value.clone()),
            declared: true,
        });
    }
}

/// A map keyed by resource ids.
pub type IdMap<'p, V> = crate::hash::Map<&'p ResId, V>;
