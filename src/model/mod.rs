//! The semantic model of one stack, independent of any output format.
//!
//! `lower` builds it from the syntax tree (resolving names into typed ids)
//! and `derive` completes it with what users never write (gateways, route
//! tables, target groups, listener rules, roles, log groups). Rules read it;
//! emitters translate it. Every user-written value keeps its span.

mod ecr;
mod ecs;
mod iam;
mod lb;
mod network;

pub use ecr::*;
pub use ecs::*;
pub use iam::*;
pub use lb::*;
pub use network::*;

/// A resource that exists already, outside the stack.
#[derive(Debug, Clone, PartialEq)]
pub enum Existing {
    /// Its id, as written (`vpc-0123…`).
    Id(Spanned<String>),
    /// An input set at deploy time (`id = input`).
    Input(Span),
    /// An SSM parameter holding the id, read at deploy time
    /// (`id_from_ssm = "/platform/vpc-id"`).
    Ssm(Spanned<String>),
}

impl Existing {
    /// Where the id is given.
    pub fn span(&self) -> Span {
        match self {
            Existing::Id(s) | Existing::Ssm(s) => s.span,
            Existing::Input(span) => *span,
        }
    }
}

use crate::source::{Span, Spanned};

/// Stands for the deploying account inside model strings
/// (`"${aws.account}.dkr.ecr..."`): the account is known only at deploy
/// time, so the renderers write it as `${AWS::AccountId}` or Terraform's
/// caller identity wherever a string holds it.
pub const ACCOUNT: char = '\u{E000}';

/// The partition of a Region: `aws-cn` for China, `aws-us-gov` for
/// GovCloud, else `aws`.
pub fn partition_of(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else {
        "aws"
    }
}

/// A name written by the user, or derived from one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    pub name: String,
    pub span: Span,
}

macro_rules! ids {
    ($($id:ident),* $(,)?) => {$(
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $id(pub usize);
    )*};
}

ids!(
    VpcId,
    SubnetId,
    NatId,
    IgwId,
    RouteTableId,
    SgId,
    EndpointId,
    LbId,
    TgId,
    RuleId,
    ClusterId,
    InstancesId,
    NamespaceId,
    RepositoryId,
    TaskId,
    ServiceId,
    ScheduleId,
    RoleId,
    LogGroupId,
);

/// A listener: its load balancer and its index there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ListenerRef {
    pub lb: LbId,
    pub index: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Stack {
    pub name: String,
    pub region: String,
    /// Where `region` was written (the stack's span when it is missing).
    pub region_span: Span,
    pub tags: Vec<(String, String)>,
    /// Where each tag's key and value were written (same order as `tags`).
    pub tag_spans: Vec<(Span, Span)>,
    pub description: Option<String>,
    /// The environment compiled (`--env`), whose name `name` ends with.
    pub environment: Option<String>,
    /// The environment says `stopped = true`: every service runs no task
    /// and no schedule fires.
    pub stopped: bool,
    pub span: Span,
}

#[derive(Debug, Clone, Default)]
pub struct Model {
    pub stack: Stack,
    pub vpcs: Vec<Vpc>,
    pub subnets: Vec<Subnet>,
    pub nat_gateways: Vec<NatGateway>,
    pub internet_gateways: Vec<InternetGateway>,
    pub route_tables: Vec<RouteTable>,
    pub security_groups: Vec<SecurityGroup>,
    pub endpoints: Vec<Endpoint>,
    pub load_balancers: Vec<LoadBalancer>,
    pub target_groups: Vec<TargetGroup>,
    pub listener_rules: Vec<ListenerRule>,
    pub clusters: Vec<Cluster>,
    pub instance_groups: Vec<InstanceGroup>,
    pub namespaces: Vec<Namespace>,
    pub repositories: Vec<Repository>,
    pub tasks: Vec<TaskDef>,
    pub services: Vec<Service>,
    pub schedules: Vec<Schedule>,
    pub roles: Vec<Role>,
    pub log_groups: Vec<LogGroup>,
    /// `output` declarations.
    pub outputs: Vec<OutputDecl>,
    /// The params' values in effect (after `--env` and `--set`), by name.
    pub params: Vec<(String, String)>,
    /// `# ecsc-allow CODE: reason` comments found in the sources.
    pub suppressions: Vec<Suppression>,
    /// Every declared name and every reference to one, each with the
    /// declaration's name span (the language server's index).
    pub references: Vec<(Span, Span)>,
}

/// `output NAME { <kind> = <name>  attribute = ... }`.
#[derive(Debug, Clone)]
pub struct OutputDecl {
    pub name: Name,
    pub of: OutputOf,
    pub attribute: Spanned<&'static str>,
    pub description: Option<String>,
    pub export: Option<Spanned<String>>,
    pub span: Span,
}

/// The declaration an output reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputOf {
    Vpc(VpcId),
    Subnet(SubnetId),
    SecurityGroup(SgId),
    LoadBalancer(LbId),
    Cluster(ClusterId),
    Task(TaskId),
    Service(ServiceId),
}

impl OutputOf {
    /// The attributes an output may read of this kind of declaration.
    pub fn attributes(self) -> &'static [&'static str] {
        match self {
            OutputOf::Vpc(_) | OutputOf::Subnet(_) | OutputOf::SecurityGroup(_) => &["id"],
            OutputOf::LoadBalancer(_) => &["arn", "dns_name", "full_name"],
            OutputOf::Cluster(_) => &["name", "arn"],
            OutputOf::Task(_) => &["arn"],
            OutputOf::Service(_) => &["name"],
        }
    }
}

/// A one-line suppression of a warning, with its reason.
#[derive(Debug, Clone)]
pub struct Suppression {
    pub code: String,
    pub reason: String,
    /// The comment itself.
    pub span: Span,
    /// The line it covers: its own line, or the next when it stands alone.
    pub line: usize,
    pub file: crate::source::FileId,
}

macro_rules! index {
    ($($id:ident => $field:ident : $ty:ty),* $(,)?) => {$(
        impl std::ops::Index<$id> for Model {
            type Output = $ty;
            fn index(&self, id: $id) -> &$ty {
                &self.$field[id.0]
            }
        }
    )*};
}

index!(
    VpcId => vpcs: Vpc,
    SubnetId => subnets: Subnet,
    NatId => nat_gateways: NatGateway,
    IgwId => internet_gateways: InternetGateway,
    RouteTableId => route_tables: RouteTable,
    SgId => security_groups: SecurityGroup,
    EndpointId => endpoints: Endpoint,
    LbId => load_balancers: LoadBalancer,
    TgId => target_groups: TargetGroup,
    RuleId => listener_rules: ListenerRule,
    ClusterId => clusters: Cluster,
    InstancesId => instance_groups: InstanceGroup,
    NamespaceId => namespaces: Namespace,
    RepositoryId => repositories: Repository,
    TaskId => tasks: TaskDef,
    ServiceId => services: Service,
    ScheduleId => schedules: Schedule,
    RoleId => roles: Role,
    LogGroupId => log_groups: LogGroup,
);

impl std::ops::Index<ListenerRef> for Model {
    type Output = Listener;
    fn index(&self, l: ListenerRef) -> &Listener {
        &self.load_balancers[l.lb.0].listeners[l.index]
    }
}

impl Model {
    /// Every service's placement, then every schedule's, then every one-off
    /// task's, with what runs it and its name.
    pub fn placements(&self) -> impl Iterator<Item = (Runner, &Name, &Placement)> {
        let services = self
            .services
            .iter()
            .enumerate()
            .map(|(i, s)| (Runner::Service(ServiceId(i)), &s.name, &s.placement));
        let schedules = self
            .schedules
            .iter()
            .enumerate()
            .map(|(i, s)| (Runner::Schedule(ScheduleId(i)), &s.name, &s.placement));
        let one_offs = self
            .tasks
            .iter()
            .enumerate()
            .filter_map(|(i, t)| Some((Runner::OneOff(TaskId(i)), &t.name, t.run.as_ref()?)));
        services.chain(schedules).chain(one_offs)
    }

    /// The instance groups whose instances join `cluster`.
    pub fn instance_groups_of(&self, cluster: ClusterId) -> impl Iterator<Item = &InstanceGroup> {
        self.instance_groups
            .iter()
            .filter(move |g| g.cluster.value == cluster)
    }

    /// The instance groups a placement's tasks may land on: those its
    /// capacity provider strategy names, else every group of its cluster.
    pub fn instance_groups_for(&self, p: &Placement) -> Vec<&InstanceGroup> {
        let named: Vec<InstancesId> = p
            .capacity
            .iter()
            .filter_map(|i| match i.provider.value {
                Provider::Instances(g) => Some(g),
                _ => None,
            })
            .collect();
        match named.is_empty() {
            true => self.instance_groups_of(p.cluster.value).collect(),
            false => named.into_iter().map(|g| &self[g]).collect(),
        }
    }

    /// How messages name a capacity provider: `FARGATE_SPOT`, ``instance
    /// group `general` ``.
    pub fn provider_name(&self, p: Provider) -> String {
        match p {
            Provider::Fargate => "FARGATE".into(),
            Provider::FargateSpot => "FARGATE_SPOT".into(),
            Provider::Instances(g) => format!("instance group `{}`", self[g].name.name),
        }
    }

    /// How `.ecs` names a capacity provider (`capacity <word> { }`).
    pub fn provider_word(&self, p: Provider) -> String {
        match p {
            Provider::Fargate => "fargate".into(),
            Provider::FargateSpot => "fargate_spot".into(),
            Provider::Instances(g) => self[g].name.name.clone(),
        }
    }

    /// Whether a subnet routes `0.0.0.0/0` to an internet gateway: a new
    /// subnet when it is `public`; `None` for an existing one, whose
    /// routes are not in the stack.
    pub fn subnet_is_public(&self, s: SubnetId) -> Option<bool> {
        let subnet = &self[s];
        subnet.existing.is_none().then_some(subnet.public)
    }

    /// Whether a NAT gateway reaches the internet: its subnet is public
    /// (`None`: the subnet exists already and its routes are unknown).
    pub fn nat_reaches_internet(&self, n: NatId) -> Option<bool> {
        self.subnet_is_public(self[n].subnet.value)
    }

    /// The NAT gateway a new subnet's default route goes to, if any.
    pub fn subnet_nat(&self, s: SubnetId) -> Option<NatId> {
        let table = self[s].route_table.map(|t| &self[t])?;
        match table.default_route {
            Some(DefaultRoute::Nat(n)) => Some(n),
            _ => None,
        }
    }

    /// Whether tasks in a new subnet reach the internet: through a NAT
    /// gateway that does (not one in a private subnet, E019), or through
    /// the internet gateway of a public subnet with a public IP. `None` for
    /// an existing subnet, whose routes are not in the stack.
    pub fn tasks_reach_internet(&self, s: SubnetId, public_ip: bool) -> Option<bool> {
        let subnet = &self[s];
        if subnet.existing.is_some() {
            return None;
        }
        let via_nat = self
            .subnet_nat(s)
            .is_some_and(|n| self.nat_reaches_internet(n) != Some(false));
        Some(via_nat || (subnet.public && public_ip))
    }

    /// The VPC a subnet list lives in (the first subnet's).
    pub fn vpc_of_subnets(&self, subnets: &[SubnetId]) -> Option<VpcId> {
        subnets.first().map(|s| self[*s].vpc)
    }

    /// A load balancer's VPC: the one stated for an existing load
    /// balancer, else its subnets'.
    pub fn lb_vpc(&self, lb: &LoadBalancer) -> Option<VpcId> {
        lb.vpc
            .as_ref()
            .map(|v| v.value)
            .or_else(|| self.vpc_of_subnets(&lb.subnets.value))
    }
}
