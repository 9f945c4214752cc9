//! The kinds of top-level declaration: the one list of them, in the order
//! of [`blocks::DECLARATIONS`](super::blocks::DECLARATIONS).

/// The kinds of top-level declaration that can be referenced by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Vpc,
    Subnet,
    NatGateway,
    SecurityGroup,
    Endpoint,
    LoadBalancer,
    Cluster,
    Namespace,
    Task,
    Service,
    Schedule,
}

impl Kind {
    pub const ALL: [Kind; 11] = [
        Kind::Vpc,
        Kind::Subnet,
        Kind::NatGateway,
        Kind::SecurityGroup,
        Kind::Endpoint,
        Kind::LoadBalancer,
        Kind::Cluster,
        Kind::Namespace,
        Kind::Task,
        Kind::Service,
        Kind::Schedule,
    ];

    /// The keyword that declares it, from its schema.
    pub fn keyword(self) -> &'static str {
        super::declaration(self).keyword
    }

    pub fn from_keyword(word: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.keyword() == word)
    }

    /// How AWS ids of an existing one begin, for kinds that may exist
    /// already (`id = "vpc-…"`).
    pub fn id_prefix(self) -> Option<&'static str> {
        match self {
            Kind::Vpc => Some("vpc-"),
            Kind::Subnet => Some("subnet-"),
            Kind::SecurityGroup => Some("sg-"),
            _ => None,
        }
    }

    /// For kinds that may exist already: the word ending an input's name
    /// (`<name>-subnet-id`) and CloudFormation's parameter type for the id.
    pub fn existing_input(self) -> Option<(&'static str, &'static str)> {
        match self {
            Kind::Vpc => Some(("vpc-id", "AWS::EC2::VPC::Id")),
            Kind::Subnet => Some(("subnet-id", "AWS::EC2::Subnet::Id")),
            Kind::SecurityGroup => Some(("security-group-id", "AWS::EC2::SecurityGroup::Id")),
            _ => None,
        }
    }

    /// How it is called in messages.
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Vpc => "VPC",
            Kind::Subnet => "subnet",
            Kind::NatGateway => "NAT gateway",
            Kind::SecurityGroup => "security group",
            Kind::Endpoint => "VPC endpoint",
            Kind::LoadBalancer => "load balancer",
            Kind::Cluster => "cluster",
            Kind::Namespace => "namespace",
            Kind::Task => "task",
            Kind::Service => "service",
            Kind::Schedule => "schedule",
        }
    }
}
