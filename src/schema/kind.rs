//! The kinds of top-level declaration: the one list of them, in the order
//! of [`blocks::DECLARATIONS`](super::blocks::DECLARATIONS).

use crate::arn::Arn;

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

    /// For kinds that may exist already (`id = …`): how their id looks,
    /// is checked and is taken at deploy time.
    pub fn existing(self) -> Option<&'static ExistingSpec> {
        match self {
            Kind::Vpc => Some(&VPC),
            Kind::Subnet => Some(&SUBNET),
            Kind::SecurityGroup => Some(&SECURITY_GROUP),
            Kind::Cluster => Some(&CLUSTER),
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

/// How an existing resource of one kind is identified.
#[derive(Debug)]
pub struct ExistingSpec {
    /// What `id` holds, in messages: "id", "name or ARN".
    pub what: &'static str,
    /// An example, for helps.
    pub example: &'static str,
    /// How AWS's ids begin, to recognise one quoted where a name belongs.
    pub prefix: &'static str,
    /// The word ending an input's name (`<name>-subnet-id`).
    pub input_word: &'static str,
    /// What an input holds, for its description: `Id`, `Name`.
    pub input_holds: &'static str,
    /// CloudFormation's parameter type for the input.
    pub cfn_type: &'static str,
    /// Whether a written id has AWS's shape.
    pub valid: fn(&str) -> bool,
    /// The shape, in words, for the error when it has not.
    pub shape: &'static str,
}

/// `prefix` then 8 or 17 lowercase hex digits, as EC2 ids are.
fn ec2_id(id: &str, prefix: &str) -> bool {
    let digits = id.strip_prefix(prefix).unwrap_or("");
    matches!(digits.len(), 8 | 17)
        && digits
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// An ECS cluster name: 1 to 255 letters, digits, `-` and `_`.
pub fn cluster_name(name: &str) -> bool {
    (1..=255).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// An existing cluster's name, from its name or its ARN.
pub fn cluster_name_of(id: &str) -> Option<&str> {
    match id.starts_with("arn:") {
        true => Arn::resource_of(id, "ecs", true, "cluster/").filter(|n| cluster_name(n)),
        false => cluster_name(id).then_some(id),
    }
}

static VPC: ExistingSpec = ExistingSpec {
    what: "id",
    example: "vpc-0123456789abcdef0",
    prefix: "vpc-",
    input_word: "vpc-id",
    input_holds: "Id",
    cfn_type: "AWS::EC2::VPC::Id",
    valid: |id| ec2_id(id, "vpc-"),
    shape: "`vpc-` and 8 or 17 hex digits",
};
static SUBNET: ExistingSpec = ExistingSpec {
    what: "id",
    example: "subnet-0123456789abcdef0",
    prefix: "subnet-",
    input_word: "subnet-id",
    input_holds: "Id",
    cfn_type: "AWS::EC2::Subnet::Id",
    valid: |id| ec2_id(id, "subnet-"),
    shape: "`subnet-` and 8 or 17 hex digits",
};
static SECURITY_GROUP: ExistingSpec = ExistingSpec {
    what: "id",
    example: "sg-0123456789abcdef0",
    prefix: "sg-",
    input_word: "security-group-id",
    input_holds: "Id",
    cfn_type: "AWS::EC2::SecurityGroup::Id",
    valid: |id| ec2_id(id, "sg-"),
    shape: "`sg-` and 8 or 17 hex digits",
};
static CLUSTER: ExistingSpec = ExistingSpec {
    what: "name or ARN",
    example: "platform",
    prefix: "arn:aws:ecs:",
    input_word: "cluster-name",
    input_holds: "Name",
    cfn_type: "String",
    valid: |id| cluster_name_of(id).is_some(),
    shape: "letters, digits, `-` and `_`, or `arn:aws:ecs:REGION:ACCOUNT:cluster/NAME`",
};
