//! Networking: VPCs, subnets, gateways, route tables, security groups and
//! VPC endpoints.

use super::*;
use crate::cidr::Cidr;
use crate::source::Spanned;

#[derive(Debug, Clone)]
pub struct Vpc {
    pub name: Name,
    /// Set for a VPC that exists already: ecsc creates nothing for it.
    pub existing: Option<Existing>,
    /// Unknown for an existing VPC that does not state it.
    pub cidr: Option<Spanned<Cidr>>,
    /// `None` for an existing VPC that does not state it.
    pub dns_support: Option<Spanned<bool>>,
    /// `None` for an existing VPC that does not state it.
    pub dns_hostnames: Option<Spanned<bool>>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Subnet {
    pub name: Name,
    /// Set for a subnet that exists already (with its own routes).
    pub existing: Option<Existing>,
    pub vpc: VpcId,
    /// Unknown for an existing subnet that does not state it.
    pub cidr: Option<Spanned<Cidr>>,
    /// Full availability zone name, e.g. `eu-central-1b`; unknown for an
    /// existing subnet that does not state it.
    pub zone: Option<Spanned<String>>,
    pub public: bool,
    /// The NAT gateway private subnets route through, if any.
    pub nat: Option<NatId>,
    /// Filled in by `derive`.
    pub route_table: Option<RouteTableId>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct NatGateway {
    pub name: Name,
    pub subnet: Spanned<SubnetId>,
    /// `false` leaves it out (an environment that does without): no
    /// subnet routes through it and nothing is created.
    pub enabled: bool,
    pub span: Span,
}

/// Derived: one per VPC that has a public subnet.
#[derive(Debug, Clone)]
pub struct InternetGateway {
    pub vpc: VpcId,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DefaultRoute {
    Internet(IgwId),
    Nat(NatId),
}

/// Derived: the public table of a VPC, or one table per private subnet.
#[derive(Debug, Clone)]
pub struct RouteTable {
    /// `<vpc>-public` or the private subnet's name.
    pub name: String,
    pub vpc: VpcId,
    pub public: bool,
    pub default_route: Option<DefaultRoute>,
    pub subnets: Vec<SubnetId>,
}

#[derive(Debug, Clone)]
pub struct SecurityGroup {
    pub name: Name,
    /// Set for a group that exists already: its rules here are added to it.
    pub existing: Option<Existing>,
    pub vpc: Spanned<VpcId>,
    pub description: String,
    pub ingress: Vec<SgRule>,
    pub egress: Vec<SgRule>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Protocol {
    Tcp,
    Udp,
    Icmp,
    All,
}

impl Protocol {
    /// The IpProtocol value AWS expects.
    pub fn ip_protocol(self) -> &'static str {
        match self {
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
            Protocol::Icmp => "icmp",
            Protocol::All => "-1",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Peer {
    Cidr(Cidr),
    Group(SgId),
    /// The prefix list of a gateway endpoint.
    PrefixList(EndpointId),
}

#[derive(Debug, Clone)]
pub struct SgRule {
    pub protocol: Spanned<Protocol>,
    /// From and to port as written; `None` when no port is given.
    pub ports: Option<Spanned<(u32, u32)>>,
    pub peer: Spanned<Peer>,
    pub span: Span,
}

impl SgRule {
    /// The from/to ports AWS expects: none for `all`, -1/-1 for icmp
    /// without a type (for icmp they are type and code), every port for
    /// tcp/udp without one.
    pub fn port_range(&self) -> Option<(i64, i64)> {
        match (self.protocol.value, &self.ports) {
            (Protocol::All, _) => None,
            // `icmp 8`: type 8, any code. `icmp 3-4`: type 3, code 4.
            (Protocol::Icmp, Some(p)) if p.value.0 == p.value.1 => Some((i64::from(p.value.0), -1)),
            (_, Some(p)) => Some((i64::from(p.value.0), i64::from(p.value.1))),
            (Protocol::Icmp, None) => Some((-1, -1)),
            (_, None) => Some((0, 65535)),
        }
    }

    /// Whether it lets `protocol` through on every port of `lo..=hi`
    /// (`all` lets everything through; tcp/udp without ports every port).
    pub fn allows(&self, protocol: Protocol, lo: u32, hi: u32) -> bool {
        match (self.protocol.value, &self.ports) {
            (Protocol::All, _) => true,
            (p, _) if p != protocol => false,
            (_, None) => true,
            (_, Some(r)) => r.value.0 <= lo && hi <= r.value.1,
        }
    }

    /// Whether it lets `protocol` through on some port of `lo..=hi`.
    pub fn allows_some(&self, protocol: Protocol, lo: u32, hi: u32) -> bool {
        match (self.protocol.value, &self.ports) {
            (Protocol::All, _) => true,
            (p, _) if p != protocol => false,
            (_, None) => true,
            (_, Some(r)) => r.value.0 <= hi && lo <= r.value.1,
        }
    }

    /// The rule as written in `.ecs` (`ingress tcp 443 from alb_sg`).
    pub fn written(&self, m: &Model, egress: bool) -> String {
        let ports = match (&self.ports, self.protocol.value) {
            (_, Protocol::All) | (None, _) => String::new(),
            (Some(p), _) if p.value.0 == p.value.1 => format!(" {}", p.value.0),
            (Some(p), _) => format!(" {}-{}", p.value.0, p.value.1),
        };
        let proto = match self.protocol.value {
            Protocol::All => "all",
            p => p.ip_protocol(),
        };
        let peer = match &self.peer.value {
            Peer::Cidr(c) => c.to_string(),
            Peer::Group(g) => m[*g].name.name.clone(),
            Peer::PrefixList(e) => m[*e].name.name.clone(),
        };
        match egress {
            true => format!("egress {proto}{ports} to {peer}"),
            false => format!("ingress {proto}{ports} from {peer}"),
        }
    }

    /// A description such as `tcp 443 from app_sg`, the same in every target.
    pub fn description(&self, m: &Model, egress: bool) -> String {
        let proto = self.protocol.value.ip_protocol();
        let ports = match (&self.ports, self.protocol.value) {
            (_, Protocol::All) => "all traffic".to_string(),
            (Some(p), _) if p.value.0 == p.value.1 => format!("{proto} {}", p.value.0),
            (Some(p), _) => format!("{proto} {}-{}", p.value.0, p.value.1),
            (None, _) => format!("all {proto}"),
        };
        let peer = match &self.peer.value {
            Peer::Cidr(c) => c.canonical().to_string(),
            Peer::Group(g) => m[*g].name.name.clone(),
            Peer::PrefixList(e) => format!("{} endpoint", m[*e].name.name),
        };
        format!("{ports} {} {peer}", if egress { "to" } else { "from" })
    }
}

impl Model {
    /// Security groups as messages name them: `` `alb_sg`, `extra_sg` ``.
    pub fn group_names(&self, groups: &[SgId]) -> String {
        groups
            .iter()
            .map(|g| format!("`{}`", self[*g].name.name))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl SecurityGroup {
    /// Whether its egress is only what its rules allow: a new group with
    /// egress rules. A new group without any allows all egress (ecsc
    /// derives the rule); an existing group's own egress is not known.
    pub fn egress_limited(&self) -> bool {
        self.existing.is_none() && !self.egress.is_empty()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndpointKind {
    Interface,
    Gateway,
}

#[derive(Debug, Clone)]
pub struct Endpoint {
    pub name: Name,
    pub vpc: Spanned<VpcId>,
    /// The short service name: `ecr.api`, `s3`, `logs`.
    pub service: Spanned<String>,
    pub kind: EndpointKind,
    pub subnets: Spanned<Vec<SubnetId>>,
    pub security_groups: Spanned<Vec<SgId>>,
    pub private_dns: Spanned<bool>,
    /// Gateway endpoints: filled in by `derive` (the VPC's private tables).
    pub route_tables: Vec<RouteTableId>,
    pub span: Span,
}
