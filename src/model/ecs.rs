//! ECS: clusters, Cloud Map namespaces, task definitions and their
//! containers, services and scheduled tasks, and the placement (cluster,
//! task, launch type, platform version, network) the last two share.

use super::*;
use crate::source::Spanned;

/// A capacity provider: AWS's Fargate ones, or an instance group's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Provider {
    Fargate,
    FargateSpot,
    /// The capacity provider ecsc derives for an `instances` group.
    Instances(InstancesId),
}

impl Provider {
    /// The words for AWS's providers.
    pub const FARGATE: [(&'static str, Provider); 2] = [
        ("fargate", Provider::Fargate),
        ("fargate_spot", Provider::FargateSpot),
    ];

    /// Whether it runs Fargate tasks.
    pub fn is_fargate(self) -> bool {
        matches!(self, Provider::Fargate | Provider::FargateSpot)
    }
}

/// A task placement strategy (EC2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlacementStrategy {
    SpreadZone,
    SpreadInstance,
    BinpackCpu,
    BinpackMemory,
    Random,
}

impl PlacementStrategy {
    pub const ALL: [(&'static str, PlacementStrategy); 5] = [
        ("spread_zone", PlacementStrategy::SpreadZone),
        ("spread_instance", PlacementStrategy::SpreadInstance),
        ("binpack_cpu", PlacementStrategy::BinpackCpu),
        ("binpack_memory", PlacementStrategy::BinpackMemory),
        ("random", PlacementStrategy::Random),
    ];

    /// ECS's `type` and `field`.
    pub fn api(self) -> (&'static str, Option<&'static str>) {
        match self {
            PlacementStrategy::SpreadZone => ("spread", Some("attribute:ecs.availability-zone")),
            PlacementStrategy::SpreadInstance => ("spread", Some("instanceId")),
            PlacementStrategy::BinpackCpu => ("binpack", Some("cpu")),
            PlacementStrategy::BinpackMemory => ("binpack", Some("memory")),
            PlacementStrategy::Random => ("random", None),
        }
    }
}

/// `placement { strategy  distinct_instance  member_of }`: where on the
/// cluster's instances tasks go.
#[derive(Debug, Clone)]
pub struct PlacementRules {
    /// In the order ECS applies them.
    pub strategies: Vec<Spanned<PlacementStrategy>>,
    /// Where `distinct_instance = true` is written.
    pub distinct_instance: Option<Span>,
    /// `memberOf` expressions (cluster query language, checked).
    pub member_of: Vec<Spanned<String>>,
    pub span: Span,
}

/// One `capacity NAME { base  weight }` of a strategy.
#[derive(Debug, Clone)]
pub struct StrategyItem {
    pub provider: Spanned<Provider>,
    pub base: Spanned<u32>,
    pub weight: Spanned<u32>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Cluster {
    pub name: Name,
    /// The default capacity provider strategy (`capacity` blocks).
    pub capacity: Vec<StrategyItem>,
    /// Filled in by `derive`: the providers its strategies name, which the
    /// cluster is associated with.
    pub providers: Vec<Provider>,
    /// Set for a cluster that exists already (its name or ARN).
    pub existing: Option<Existing>,
    pub insights: bool,
    /// The default Service Connect namespace (`service_connect`).
    pub service_connect: Option<Spanned<NamespaceId>>,
    pub span: Span,
}

/// EC2 container instances of a cluster (`instances`): an Auto Scaling
/// group launched from the ECS-optimized AMI with the cluster's name in its
/// user data.
#[derive(Debug, Clone)]
pub struct InstanceGroup {
    pub name: Name,
    pub cluster: Spanned<ClusterId>,
    pub instance_type: Spanned<String>,
    pub arch: Spanned<Arch>,
    /// A pinned AMI; else AWS's public SSM parameter for the architecture.
    pub ami: Option<Spanned<String>>,
    pub subnets: Spanned<Vec<SubnetId>>,
    pub security_groups: Spanned<Vec<SgId>>,
    pub min: Spanned<u64>,
    pub max: Spanned<u64>,
    pub desired: Spanned<u64>,
    /// Managed scaling's target: the percentage of the group's capacity
    /// tasks should use.
    pub target_capacity: Spanned<u64>,
    /// Managed termination protection (with scale-in protection).
    pub protect_from_scale_in: bool,
    /// Whether the account has ENI trunking on, where stated.
    pub eni_trunking: Option<Spanned<bool>>,
    /// `spot { … }`: a mixed instances policy with Spot capacity.
    pub spot: Option<SpotInstances>,
    /// Filled in by `derive`: the instance role.
    pub role: Option<RoleId>,
    pub span: Span,
}

/// The Spot part of an instance group.
#[derive(Debug, Clone)]
pub struct SpotInstances {
    pub on_demand_base: u64,
    pub on_demand_percent: u64,
    /// More instance types for Spot capacity.
    pub types: Vec<String>,
    pub span: Span,
}

/// A Cloud Map namespace; `name` is also its DNS name.
#[derive(Debug, Clone)]
pub struct Namespace {
    pub name: Name,
    /// Set for a namespace that exists already (its id).
    pub existing: Option<Existing>,
    /// Private DNS or HTTP, and where `type` is written.
    pub http: Spanned<bool>,
    /// The VPC of a private DNS namespace; an HTTP namespace has none.
    pub vpc: Option<Spanned<VpcId>>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LaunchType {
    Fargate,
    Ec2,
}

impl LaunchType {
    pub fn as_str(self) -> &'static str {
        match self {
            LaunchType::Fargate => "FARGATE",
            LaunchType::Ec2 => "EC2",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetworkMode {
    Awsvpc,
    Bridge,
    Host,
}

impl NetworkMode {
    pub fn as_str(self) -> &'static str {
        match self {
            NetworkMode::Awsvpc => "awsvpc",
            NetworkMode::Bridge => "bridge",
            NetworkMode::Host => "host",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Os {
    Linux,
    Windows,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arch {
    X86_64,
    Arm64,
}

#[derive(Debug, Clone)]
pub struct TaskDef {
    pub name: Name,
    pub family: String,
    /// CPU units (1024 = 1 vCPU).
    pub cpu: Option<Spanned<u64>>,
    /// MiB.
    pub memory: Option<Spanned<u64>>,
    pub launch: Spanned<LaunchType>,
    pub network_mode: Spanned<NetworkMode>,
    pub os: Spanned<Os>,
    pub arch: Spanned<Arch>,
    /// Ephemeral storage in GiB (Fargate).
    pub ephemeral_storage: Option<Spanned<u64>>,
    pub role: Option<TaskRoleSpec>,
    /// An existing execution role (`execution_role { id = … }`), used
    /// instead of the derived one.
    pub given_execution_role: Option<Existing>,
    pub volumes: Vec<Volume>,
    pub containers: Vec<Container>,
    pub log_retention: Spanned<u32>,
    /// Filled in by `derive`.
    pub execution_role: Option<RoleId>,
    pub task_role: Option<RoleId>,
    pub log_group: Option<LogGroupId>,
    /// Where CI runs it as a one-off (`run { ... }`).
    pub run: Option<Placement>,
    pub span: Span,
}

impl TaskDef {
    pub fn container(&self, name: &str) -> Option<usize> {
        self.containers.iter().position(|c| c.name.name == name)
    }

    pub fn uses_secrets(&self) -> bool {
        self.containers.iter().any(|c| !c.secrets.is_empty())
    }

    pub fn uses_awslogs(&self) -> bool {
        self.containers.iter().any(|c| c.logging)
    }
}

/// The `role { ... }` block of a task.
#[derive(Debug, Clone)]
pub struct TaskRoleSpec {
    /// Set for a role that exists already (its ARN).
    pub existing: Option<Existing>,
    pub managed_policies: Vec<String>,
    pub statements: Vec<Spanned<PolicyStatement>>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Volume {
    pub name: Name,
    pub efs: Option<Efs>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Efs {
    pub file_system: Spanned<GivenId>,
    pub root: Option<Spanned<String>>,
    pub access_point: Option<Spanned<GivenId>>,
    /// At the volume's name when not written.
    pub transit_encryption: Spanned<bool>,
    pub iam: Spanned<bool>,
}

/// An id written out, or taken at deploy time (`input`).
#[derive(Debug, Clone, PartialEq)]
pub enum GivenId {
    Literal(String),
    Input,
}

#[derive(Debug, Clone)]
pub struct PortMapping {
    pub container_port: Spanned<u32>,
    pub host_port: Option<Spanned<u32>>,
    pub protocol: Spanned<Protocol>,
    pub name: Option<Spanned<String>>,
    pub app_protocol: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretStore {
    Ssm,
    SecretsManager,
}

#[derive(Debug, Clone)]
pub struct Secret {
    pub name: Name,
    pub store: Spanned<SecretStore>,
    /// A name or an ARN, as written.
    pub from: Spanned<String>,
    pub key: Option<Spanned<String>>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct ContainerHealth {
    /// The full form ECS takes: `["CMD-SHELL", "..."]` or `["CMD", ...]`.
    pub command: Spanned<Vec<String>>,
    /// Seconds.
    pub interval: Option<Spanned<u64>>,
    pub timeout: Option<Spanned<u64>>,
    pub retries: Option<Spanned<u64>>,
    pub start_period: Option<Spanned<u64>>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DependencyCondition {
    Start,
    Complete,
    Success,
    Healthy,
}

impl DependencyCondition {
    pub fn as_str(self) -> &'static str {
        match self {
            DependencyCondition::Start => "START",
            DependencyCondition::Complete => "COMPLETE",
            DependencyCondition::Success => "SUCCESS",
            DependencyCondition::Healthy => "HEALTHY",
        }
    }
}

#[derive(Debug, Clone)]
pub struct ContainerDependency {
    pub container: Spanned<usize>,
    pub condition: DependencyCondition,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct MountPoint {
    pub volume: Spanned<usize>,
    pub path: String,
    pub read_only: bool,
}

/// A string list as written: an array, or one string (a likely mistake
/// for `command` and `entrypoint`, which rules point out).
#[derive(Debug, Clone)]
pub struct Args {
    pub items: Vec<String>,
    pub written_as_string: bool,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Container {
    pub name: Name,
    /// The image as written (empty when it comes from a `repository`).
    pub image: Spanned<String>,
    /// The image from a repository of the stack, instead of `image`.
    pub from_repository: Option<RepositoryImage>,
    /// Set when the image tag is deployed outside ecsc (CI): emitted as a
    /// template parameter / ignored for drift.
    pub image_managed_outside: bool,
    pub ports: Vec<PortMapping>,
    pub command: Option<Args>,
    pub entrypoint: Option<Args>,
    pub env: Vec<(Name, Spanned<String>)>,
    pub secrets: Vec<Secret>,
    pub health: Option<ContainerHealth>,
    pub essential: Spanned<bool>,
    pub cpu: Option<Spanned<u64>>,
    pub memory: Option<Spanned<u64>>,
    pub memory_reservation: Option<Spanned<u64>>,
    pub depends_on: Vec<ContainerDependency>,
    pub working_dir: Option<String>,
    pub user: Option<Spanned<String>>,
    /// At the container's name when not written.
    pub read_only_root: Spanned<bool>,
    /// Seconds.
    pub stop_timeout: Option<Spanned<u64>>,
    pub mounts: Vec<MountPoint>,
    /// awslogs to the task's log group.
    pub logging: bool,
    pub privileged: Option<Spanned<bool>>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct NetworkConfig {
    pub subnets: Spanned<Vec<SubnetId>>,
    pub security_groups: Spanned<Vec<SgId>>,
    pub public_ip: Spanned<bool>,
    pub span: Span,
}

/// Where and how a service's or a schedule's tasks run.
#[derive(Debug, Clone)]
pub struct Placement {
    pub cluster: Spanned<ClusterId>,
    /// `capacity NAME { … }` blocks: a capacity provider strategy, used
    /// instead of the launch type when given.
    pub capacity: Vec<StrategyItem>,
    /// Whether `launch` is written (a service's), so the cluster's default
    /// strategy does not apply.
    pub launch_written: bool,
    /// `placement { … }`, EC2 only.
    pub rules: Option<PlacementRules>,
    pub task: Spanned<TaskId>,
    /// A service's `launch`, else its task's value at the service's name; a
    /// schedule's is always its task's, where the task sets it.
    pub launch: Spanned<LaunchType>,
    pub platform_version: Option<Spanned<String>>,
    pub network: Option<NetworkConfig>,
}

impl Placement {
    /// Whether its tasks run on Fargate: a Fargate capacity provider in its
    /// strategy, else its launch type.
    pub fn on_fargate(&self) -> bool {
        match self.capacity.is_empty() {
            true => self.launch.value == LaunchType::Fargate,
            false => self.capacity.iter().any(|i| i.provider.value.is_fargate()),
        }
    }
}

impl Service {
    /// The most tasks it runs at once, and where that is written: its
    /// scaling bound, else its count.
    pub fn most_tasks(&self) -> Spanned<u64> {
        let most = self.autoscale.as_ref().map_or(&self.desired, |a| &a.max);
        Spanned::new(most.value, most.span)
    }
}

/// What runs the tasks of a [`Placement`]: a service or a schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runner {
    Service(ServiceId),
    Schedule(ScheduleId),
    /// A task run as a one-off from CI (its `run` block).
    OneOff(TaskId),
}

impl Runner {
    /// `service`, `schedule` or `task`, as messages name it.
    pub fn word(self) -> &'static str {
        match self {
            Runner::Service(_) => "service",
            Runner::Schedule(_) => "schedule",
            Runner::OneOff(_) => "task",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Route {
    pub listener: ListenerRef,
    /// `web:443` as written.
    pub target_span: Span,
    pub conditions: Conditions,
    pub priority: Option<Spanned<u32>>,
    /// Its share where several routes have the same listener and
    /// conditions (a canary).
    pub weight: Option<Spanned<u32>>,
    pub sticky: Option<Sticky>,
    /// The container that receives traffic (named, or the task's only one
    /// with a port).
    pub container: Spanned<RouteContainer>,
    /// The container port: the route's `port`, else the container's first;
    /// `None` when neither gives one (E053).
    pub port: Option<Spanned<u32>>,
    pub health: HealthCheck,
    pub target_group_name: Option<Spanned<String>>,
    pub deregistration_delay: Option<u64>,
    /// Filled in by `derive`.
    pub target_group: Option<TgId>,
    pub rule: Option<RuleId>,
    pub span: Span,
}

/// A route's container, as resolved in its service's task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RouteContainer {
    /// The index of the container in the task.
    Found(usize),
    /// A name the task has no container for (E053).
    Unknown(String),
}

impl Route {
    /// The container index and port traffic goes to, when both are known.
    pub fn target(&self) -> Option<(usize, u32)> {
        match (&self.container.value, &self.port) {
            (RouteContainer::Found(c), Some(p)) => Some((*c, p.value)),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CircuitBreaker {
    Off,
    On,
    Rollback,
}

#[derive(Debug, Clone)]
pub struct Deployment {
    pub min_healthy: Option<Spanned<u64>>,
    pub max_percent: Option<Spanned<u64>>,
    pub circuit_breaker: CircuitBreaker,
    /// `alarms = [...]`: names of the service's alarms that roll a
    /// deployment back (E075 when one is not an alarm of the service).
    pub alarms: Vec<Spanned<String>>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Discovery {
    pub namespace: Spanned<NamespaceId>,
    /// The DNS name inside the namespace.
    pub name: Spanned<String>,
    pub span: Span,
}

/// `connect { … }`: ECS Service Connect.
#[derive(Debug, Clone)]
pub struct Connect {
    /// Written, else the cluster's default (at the block's span); lowering
    /// reports a block with neither.
    pub namespace: Spanned<NamespaceId>,
    /// Whether `namespace` is written (else it is the cluster's).
    pub namespace_written: bool,
    /// The endpoint names its applications call.
    pub calls: Vec<Spanned<String>>,
    /// The proxy's logs go to the task's log group.
    pub logs: bool,
    pub serves: Vec<Serve>,
    pub span: Span,
}

/// `serve PORT_NAME { … }`: one Service Connect endpoint.
#[derive(Debug, Clone)]
pub struct Serve {
    /// The port mapping's name, as written after `serve`.
    pub port_name: Name,
    /// `DiscoveryName`: written, else the port name.
    pub discovery: Spanned<String>,
    /// The client alias's DNS name: written, else the discovery name.
    pub alias: Spanned<String>,
    /// The client alias's port: written, else the port mapping's container
    /// port (`None` when the task has no such port: E063).
    pub port: Option<Spanned<u32>>,
    /// Seconds.
    pub idle_timeout: Option<Spanned<u64>>,
    pub per_request_timeout: Option<Spanned<u64>>,
    pub span: Span,
}

impl TaskDef {
    /// The port mapping with this name, with its container.
    pub fn named_port(&self, name: &str) -> Option<(&Container, &PortMapping)> {
        self.containers.iter().find_map(|c| {
            c.ports
                .iter()
                .find(|p| p.name.as_ref().is_some_and(|n| n.value == name))
                .map(|p| (c, p))
        })
    }

    /// Every port mapping name, in order.
    pub fn port_names(&self) -> Vec<&str> {
        self.containers
            .iter()
            .flat_map(|c| c.ports.iter().filter_map(|p| p.name.as_ref()))
            .map(|n| n.value.as_str())
            .collect()
    }
}

#[derive(Debug, Clone)]
pub struct AutoScale {
    pub min: Spanned<u64>,
    pub max: Spanned<u64>,
    pub cpu: Option<Spanned<u64>>,
    pub memory: Option<Spanned<u64>>,
    /// ALB requests per target; needs a route.
    pub requests: Option<Spanned<u64>>,
    pub scale_in_cooldown: Option<u64>,
    pub scale_out_cooldown: Option<u64>,
    /// `step { … }`: step scaling on the service's alarms.
    pub steps: Vec<Step>,
    /// `track { … }`: target tracking on any metric.
    pub track: Vec<Track>,
    pub span: Span,
}

/// A metric value as written: a number, a percentage or a duration (in
/// seconds).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Threshold {
    pub value: f64,
    pub unit: Unit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Number,
    Percent,
    Seconds,
}

impl Unit {
    /// How messages name values of this unit.
    pub fn noun(self) -> &'static str {
        match self {
            Unit::Number => "a number",
            Unit::Percent => "a percentage",
            Unit::Seconds => "a duration",
        }
    }
}

impl std::fmt::Display for Threshold {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.unit {
            Unit::Number => write!(f, "{}", self.value),
            Unit::Percent => write!(f, "{}%", self.value),
            Unit::Seconds if self.value.fract() != 0.0 => {
                write!(f, "{}ms", (self.value * 1000.0).round())
            }
            Unit::Seconds => write!(f, "{}s", self.value),
        }
    }
}

/// A metric of the service, or of its first route's load balancer and
/// target group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceMetric {
    Cpu,
    Memory,
    Http5xx,
    Target5xx,
    UnhealthyHosts,
    ResponseTime,
    Requests,
}

impl ServiceMetric {
    /// The keyword it is written with.
    pub fn word(self) -> &'static str {
        match self {
            ServiceMetric::Cpu => "cpu",
            ServiceMetric::Memory => "memory",
            ServiceMetric::Http5xx => "http_5xx",
            ServiceMetric::Target5xx => "target_5xx",
            ServiceMetric::UnhealthyHosts => "unhealthy_hosts",
            ServiceMetric::ResponseTime => "response_time",
            ServiceMetric::Requests => "requests",
        }
    }

    /// Whether the load balancer publishes it (the service needs a route).
    pub fn of_load_balancer(self) -> bool {
        !matches!(self, ServiceMetric::Cpu | ServiceMetric::Memory)
    }

    /// The unit its threshold is written in.
    pub fn unit(self) -> Unit {
        match self {
            ServiceMetric::Cpu | ServiceMetric::Memory => Unit::Percent,
            ServiceMetric::ResponseTime => Unit::Seconds,
            _ => Unit::Number,
        }
    }

    /// A count CloudWatch publishes only when something happened.
    pub fn is_count(self) -> bool {
        matches!(
            self,
            ServiceMetric::Http5xx | ServiceMetric::Target5xx | ServiceMetric::Requests
        )
    }
}

/// Any CloudWatch metric, named in full.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomMetric {
    pub namespace: Spanned<String>,
    pub name: Spanned<String>,
    pub dimensions: Vec<(String, Spanned<String>)>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum AlarmMetric {
    Service(ServiceMetric),
    Custom(CustomMetric),
}

/// How an alarm compares the statistic with its threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    Above,
    Below,
    AtLeast,
    AtMost,
}

impl Comparison {
    /// Whether it fires on values above the threshold.
    pub fn upward(self) -> bool {
        matches!(self, Comparison::Above | Comparison::AtLeast)
    }
    /// CloudWatch's `ComparisonOperator`.
    pub fn operator(self) -> &'static str {
        match self {
            Comparison::Above => "GreaterThanThreshold",
            Comparison::Below => "LessThanThreshold",
            Comparison::AtLeast => "GreaterThanOrEqualToThreshold",
            Comparison::AtMost => "LessThanOrEqualToThreshold",
        }
    }
}

/// `alarm NAME { … }` in a service.
#[derive(Debug, Clone)]
pub struct Alarm {
    pub name: Name,
    pub metric: Spanned<AlarmMetric>,
    /// CloudWatch's statistic name (`Average`), when written.
    pub statistic: Option<Spanned<&'static str>>,
    pub comparison: Comparison,
    pub threshold: Spanned<Threshold>,
    /// Seconds; 60 when not written (at the alarm's name).
    pub period: Spanned<u64>,
    /// `for`: seconds the threshold must be breached.
    pub duration: Option<Spanned<u64>>,
    /// CloudWatch's `TreatMissingData`, when written.
    pub treat_missing: Option<&'static str>,
    pub notify: Vec<Spanned<String>>,
    pub span: Span,
}

impl Alarm {
    /// The statistic: written, else the metric's usual one.
    pub fn statistic(&self) -> &'static str {
        if let Some(s) = &self.statistic {
            return s.value;
        }
        match &self.metric.value {
            AlarmMetric::Service(m) if m.is_count() => "Sum",
            AlarmMetric::Service(ServiceMetric::UnhealthyHosts) => "Maximum",
            _ => "Average",
        }
    }
}

/// `step { alarm = NAME  add = N | remove = N  from  to }` in `autoscale`.
#[derive(Debug, Clone)]
pub struct Step {
    pub alarm: Spanned<String>,
    /// Tasks to add (positive) or remove (negative).
    pub change: Spanned<i64>,
    pub from: Option<Spanned<Threshold>>,
    pub to: Option<Spanned<Threshold>>,
    pub cooldown: Option<Spanned<u64>>,
    pub span: Span,
}

/// `track { namespace metric_name dimensions statistic target }`.
#[derive(Debug, Clone)]
pub struct Track {
    pub metric: CustomMetric,
    pub statistic: &'static str,
    pub target: Spanned<Threshold>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Service {
    pub name: Name,
    pub placement: Placement,
    pub desired: Spanned<u64>,
    /// Where `scheduling = daemon` is written: one task on each container
    /// instance (EC2), no count.
    pub daemon: Option<Span>,
    pub routes: Vec<Route>,
    pub deployment: Deployment,
    pub discovery: Option<Discovery>,
    pub connect: Option<Connect>,
    pub grace_period: Option<Spanned<u64>>,
    /// ECS Exec; at the service's name when not written.
    pub exec: Spanned<bool>,
    pub autoscale: Option<AutoScale>,
    /// Task count bounds set at given times (`scale night { ... }`).
    pub scale: Vec<ScaleSchedule>,
    /// `alarm NAME { … }`, in the order written.
    pub alarms: Vec<Alarm>,
    pub span: Span,
}

impl Service {
    /// The alarm with this name.
    pub fn alarm(&self, name: &str) -> Option<&Alarm> {
        self.alarms.iter().find(|a| a.name.name == name)
    }
}

/// A scheduled change of a service's task count bounds.
#[derive(Debug, Clone)]
pub struct ScaleSchedule {
    pub name: Name,
    /// `cron(...)` or `at(...)`, as Application Auto Scaling takes it.
    pub expression: Spanned<String>,
    pub timezone: Option<Spanned<String>>,
    pub min: Spanned<u64>,
    pub max: Spanned<u64>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Schedule {
    pub name: Name,
    pub placement: Placement,
    /// `cron(...)` or `rate(...)`, as EventBridge takes it.
    pub expression: Spanned<String>,
    pub count: Spanned<u64>,
    /// `false`: the rule exists but runs nothing.
    pub enabled: bool,
    /// Filled in by `derive`.
    pub role: Option<RoleId>,
    pub span: Span,
}

/// `<account>.dkr.ecr.<region>.amazonaws.com/<repo>[:tag|@digest]`
pub fn ecr_repository(image: &str) -> Option<(String, String, String)> {
    let (host, rest) = image.split_once('/')?;
    let mut parts = host.split('.');
    let account = parts.next()?;
    if parts.next()? != "dkr" || parts.next()? != "ecr" {
        return None;
    }
    let region = parts.next()?;
    let this_account = account.chars().eq([ACCOUNT]);
    if !(this_account || account.chars().all(|c| c.is_ascii_digit()))
        || !host.ends_with(".amazonaws.com") && !host.ends_with(".amazonaws.com.cn")
    {
        return None;
    }
    let repo = rest.split(['@']).next()?;
    let repo = match repo.rsplit_once(':') {
        Some((r, _)) => r,
        None => repo,
    };
    Some((account.to_string(), region.to_string(), repo.to_string()))
}

impl super::Model {
    /// What a task needs to reach to start, by VPC endpoint service name
    /// (`ecr.api`, `ecr.dkr`, `s3`, `logs`, `ssm`, `secretsmanager`), and
    /// whether an image is pulled from outside the Region's ECR (only the
    /// internet serves it).
    pub fn task_needs(&self, task: &TaskDef) -> (Vec<&'static str>, bool) {
        let mut needed = Vec::new();
        let mut internet_only = false;
        for c in &task.containers {
            match ecr_repository(&c.image.value) {
                // A repository of the stack is in its Region.
                _ if c.from_repository.is_some() => needed.extend(["ecr.api", "ecr.dkr", "s3"]),
                Some((_, region, _)) if region == self.stack.region => {
                    needed.extend(["ecr.api", "ecr.dkr", "s3"]);
                }
                _ => internet_only = true,
            }
            for s in &c.secrets {
                needed.push(match s.store.value {
                    SecretStore::Ssm => "ssm",
                    SecretStore::SecretsManager => "secretsmanager",
                });
            }
        }
        if task.uses_awslogs() {
            needed.push("logs");
        }
        needed.sort();
        needed.dedup();
        (needed, internet_only)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_ecr_image_names() {
        assert_eq!(
            ecr_repository("123456789012.dkr.ecr.eu-central-1.amazonaws.com/team/app:1.2"),
            Some((
                "123456789012".into(),
                "eu-central-1".into(),
                "team/app".into()
            ))
        );
        assert_eq!(
            ecr_repository("123456789012.dkr.ecr.us-east-1.amazonaws.com/app@sha256:abc"),
            Some(("123456789012".into(), "us-east-1".into(), "app".into()))
        );
        assert_eq!(ecr_repository("nginx:1.27"), None);
        assert_eq!(ecr_repository("public.ecr.aws/nginx/nginx:1.27"), None);
    }
}
