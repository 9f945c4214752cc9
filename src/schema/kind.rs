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
    Instances,
    Namespace,
    Repository,
    Task,
    Service,
    Schedule,
}

impl Kind {
    pub const ALL: [Kind; 13] = [
        Kind::Vpc,
        Kind::Subnet,
        Kind::NatGateway,
        Kind::SecurityGroup,
        Kind::Endpoint,
        Kind::LoadBalancer,
        Kind::Cluster,
        Kind::Instances,
        Kind::Namespace,
        Kind::Repository,
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
            Kind::LoadBalancer => Some(&LOAD_BALANCER),
            Kind::Namespace => Some(&NAMESPACE),
            Kind::Repository => Some(&REPOSITORY),
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
            Kind::Instances => "instance group",
            Kind::Namespace => "namespace",
            Kind::Repository => "repository",
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
    /// What its declaration needs besides the id, for helps that declare
    /// one (`"  vpc = <its VPC>"`).
    pub needs: &'static str,
}

/// `prefix` then 8 or 17 lowercase hex digits, as EC2 (and EFS) ids are.
pub fn ec2_style_id(id: &str, prefix: &str) -> bool {
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

pub static VPC: ExistingSpec = ExistingSpec {
    what: "id",
    example: "vpc-0123456789abcdef0",
    prefix: "vpc-",
    input_word: "vpc-id",
    input_holds: "Id",
    cfn_type: "AWS::EC2::VPC::Id",
    valid: |id| ec2_style_id(id, "vpc-"),
    shape: "`vpc-` and 8 or 17 hex digits",
    needs: "",
};
pub static SUBNET: ExistingSpec = ExistingSpec {
    what: "id",
    example: "subnet-0123456789abcdef0",
    prefix: "subnet-",
    input_word: "subnet-id",
    input_holds: "Id",
    cfn_type: "AWS::EC2::Subnet::Id",
    valid: |id| ec2_style_id(id, "subnet-"),
    shape: "`subnet-` and 8 or 17 hex digits",
    needs: "  vpc = <its VPC>",
};
pub static SECURITY_GROUP: ExistingSpec = ExistingSpec {
    what: "id",
    example: "sg-0123456789abcdef0",
    prefix: "sg-",
    input_word: "security-group-id",
    input_holds: "Id",
    cfn_type: "AWS::EC2::SecurityGroup::Id",
    valid: |id| ec2_style_id(id, "sg-"),
    shape: "`sg-` and 8 or 17 hex digits",
    needs: "  vpc = <its VPC>",
};
pub static CLUSTER: ExistingSpec = ExistingSpec {
    what: "name or ARN",
    example: "platform",
    prefix: "arn:aws:ecs:",
    input_word: "cluster-name",
    input_holds: "Name",
    cfn_type: "String",
    valid: |id| cluster_name_of(id).is_some(),
    shape: "letters, digits, `-` and `_`, or `arn:aws:ecs:REGION:ACCOUNT:cluster/NAME`",
    needs: "",
};
pub static LOAD_BALANCER: ExistingSpec = ExistingSpec {
    what: "ARN",
    example: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/shared/0123456789abcdef",
    prefix: "arn:aws:elasticloadbalancing:",
    input_word: "load-balancer-arn",
    input_holds: "ARN",
    cfn_type: "String",
    valid: |id| load_balancer_full_name(id).is_some(),
    shape: "`arn:aws:elasticloadbalancing:REGION:ACCOUNT:loadbalancer/app/NAME/ID`",
    needs: "  vpc = <its VPC>",
};

/// An existing listener (of a `listener` statement, not a declaration).
pub static LISTENER: ExistingSpec = ExistingSpec {
    what: "ARN",
    example: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shared/0123456789abcdef/0123456789abcdef",
    prefix: "arn:aws:elasticloadbalancing:",
    input_word: "listener-arn",
    input_holds: "ARN",
    cfn_type: "String",
    valid: |id| {
        Arn::resource_of(id, "elasticloadbalancing", true, "listener/app/")
            .is_some_and(|rest| rest.split('/').count() == 3 && rest.split('/').all(|p| !p.is_empty()))
    },
    shape: "`arn:aws:elasticloadbalancing:REGION:ACCOUNT:listener/app/NAME/ID/ID`",
    needs: "",
};

/// An Application Load Balancer's `app/NAME/ID` (what CloudWatch and
/// request-count scaling take) from its ARN.
pub fn load_balancer_full_name(arn: &str) -> Option<&str> {
    let rest = Arn::resource_of(arn, "elasticloadbalancing", true, "loadbalancer/")?;
    let parts: Vec<&str> = rest.split('/').collect();
    matches!(parts.as_slice(), ["app", name, id] if !name.is_empty() && !id.is_empty())
        .then_some(rest)
}

/// An existing IAM role (a task's role or execution role).
pub static ROLE: ExistingSpec = ExistingSpec {
    what: "ARN",
    example: "arn:aws:iam::123456789012:role/orders-task",
    prefix: "arn:aws:iam::",
    input_word: "role-arn",
    input_holds: "ARN",
    cfn_type: "String",
    valid: |id| Arn::resource_of(id, "iam", false, "role/").is_some(),
    shape: "`arn:aws:iam::ACCOUNT:role/NAME`",
    needs: "",
};

/// An existing Cloud Map namespace.
pub static NAMESPACE: ExistingSpec = ExistingSpec {
    what: "id",
    example: "ns-0123456789abcdef",
    prefix: "ns-",
    input_word: "namespace-id",
    input_holds: "Id",
    cfn_type: "String",
    valid: |id| {
        id.strip_prefix("ns-").is_some_and(|rest| {
            (1..=64).contains(&rest.len())
                && rest
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
    },
    shape: "`ns-` and lowercase letters and digits",
    needs: "  vpc = <its VPC>",
};

/// An ECR repository name: 2 to 256 characters, lowercase path components
/// separated by `/`, each lowercase letters and digits joined by `.`, `_`,
/// `__` or hyphens (CloudFormation's `RepositoryName` pattern).
pub fn repository_name(name: &str) -> bool {
    (2..=256).contains(&name.len())
        && name.split('/').all(|component| {
            // Alphanumeric runs joined by one separator each.
            let bytes = component.as_bytes();
            let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
            let (Some(first), Some(last)) = (bytes.first(), bytes.last()) else {
                return false;
            };
            if !alnum(*first) || !alnum(*last) {
                return false;
            }
            let mut i = 0;
            while i < bytes.len() {
                if alnum(bytes[i]) {
                    i += 1;
                    continue;
                }
                let start = i;
                while i < bytes.len() && !alnum(bytes[i]) {
                    i += 1;
                }
                let separator = &component[start..i];
                let valid =
                    matches!(separator, "." | "_" | "__") || separator.bytes().all(|b| b == b'-');
                if !valid {
                    return false;
                }
            }
            true
        })
}

/// An existing repository's name, from its name or its ARN.
pub fn repository_name_of(id: &str) -> Option<&str> {
    match id.starts_with("arn:") {
        true => Arn::resource_of(id, "ecr", true, "repository/").filter(|n| repository_name(n)),
        false => repository_name(id).then_some(id),
    }
}

/// An existing ECR repository (another stack's images).
pub static REPOSITORY: ExistingSpec = ExistingSpec {
    what: "name or ARN",
    example: "team/base",
    prefix: "arn:aws:ecr:",
    input_word: "repository-name",
    input_holds: "Name",
    cfn_type: "String",
    valid: |id| repository_name_of(id).is_some(),
    shape: "lowercase letters, digits, `/`, and `.`, `_` or `-` between them, or `arn:aws:ecr:REGION:ACCOUNT:repository/NAME`",
    needs: "",
};
