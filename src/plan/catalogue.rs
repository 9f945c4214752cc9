//! The catalogue: every kind of resource the plan can hold, with its
//! CloudFormation type, its Terraform type, the word of its logical id and
//! the attributes other resources may reference.
//!
//! This is the only list of resource kinds. Both renderers take their types
//! and attribute names from it, the parity test and `docs/targets.md` read
//! it, and a kind that one target folds into another resource says so here.

/// How one target writes a kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rendering {
    /// A resource of this type.
    Type(&'static str),
    /// A resource of this type, or folded into its parent resource when the
    /// reason applies.
    TypeOrFolded(&'static str, &'static str),
    /// Always folded into its parent resource, for this reason.
    Folded(&'static str),
}

impl Rendering {
    /// The type, when the kind can be a resource of its own.
    pub fn type_name(self) -> Option<&'static str> {
        match self {
            Rendering::Type(t) | Rendering::TypeOrFolded(t, _) => Some(t),
            Rendering::Folded(_) => None,
        }
    }
}

/// An attribute of a resource that another resource can reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Attr {
    /// The identifier each target's own references use: CloudFormation's
    /// `Ref`, and the Terraform attribute the argument expects.
    Id,
    Arn,
    Name,
    /// An Elastic IP's allocation id.
    AllocationId,
    DnsName,
    /// The managed prefix list of a gateway endpoint.
    PrefixListId,
    /// The `app/...` or `targetgroup/...` suffix of an ARN, as CloudWatch
    /// dimensions and request-count scaling take it.
    FullName,
    /// The ARN of a log group's streams (`...:log-group:name:*`).
    StreamsArn,
    /// A repository's URI: `<registry>/<name>`, what images are pulled
    /// from.
    Uri,
    /// A launch template's latest version number.
    LatestVersion,
    /// Application Auto Scaling's view of a scalable target.
    ResourceId,
    ScalableDimension,
    ServiceNamespace,
}

/// How CloudFormation reads an attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CfnAttr {
    Ref,
    GetAtt(&'static str),
    /// Not readable from the resource: a template parameter supplies it.
    Parameter(&'static str),
    /// Not needed in CloudFormation (the resource that reads it is folded).
    None,
}

/// Terraform's attribute, with a suffix appended in the template when the
/// provider's value lacks one CloudFormation's has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TfAttr {
    pub name: &'static str,
    pub suffix: &'static str,
}

#[derive(Debug, Clone, Copy)]
pub struct AttrInfo {
    pub attr: Attr,
    pub cloudformation: CfnAttr,
    pub terraform: TfAttr,
}

/// Everything a renderer needs to know about a kind.
#[derive(Debug, Clone, Copy)]
pub struct KindInfo {
    pub kind: Kind,
    /// The logical id is `pascal(name)` + `word` (+ index).
    pub word: &'static str,
    /// The Terraform name is `snake(name)` + `tf_suffix` (+ `_` index).
    pub tf_suffix: &'static str,
    pub cloudformation: Rendering,
    pub terraform: Rendering,
    /// The CloudFormation type takes `Tags` (the stack's tags, and a `Name`
    /// tag when the resource has one).
    pub cfn_tags: bool,
    pub attributes: &'static [AttrInfo],
    /// Markdown for docs/targets.md: the logical id and Terraform name
    /// patterns.
    pub logical_id: &'static str,
    pub terraform_name: &'static str,
}

impl KindInfo {
    pub fn attr(&self, attr: Attr) -> Option<&'static AttrInfo> {
        self.attributes.iter().find(|a| a.attr == attr)
    }
}

macro_rules! attrs {
    ($(($attr:ident, $cfn:expr, $tf:literal $(+ $suffix:literal)?)),* $(,)?) => {
        &[$(AttrInfo {
            attr: Attr::$attr,
            cloudformation: $cfn,
            terraform: TfAttr { name: $tf, suffix: attrs!(@suffix $($suffix)?) },
        }),*]
    };
    (@suffix) => { "" };
    (@suffix $s:literal) => { $s };
}

macro_rules! catalogue {
    ($(
        $(#[$doc:meta])*
        $kind:ident {
            word: $word:literal,
            tf_suffix: $tf_suffix:literal,
            cloudformation: $cfn:expr,
            terraform: $tf:expr,
            cfn_tags: $tags:literal,
            attributes: $attributes:expr,
            logical_id: $logical:literal,
            terraform_name: $tf_name:literal $(,)?
        }
    )*) => {
        /// A kind of resource in the plan.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Kind { $($(#[$doc])* $kind),* }

        /// Every kind, in catalogue order.
        pub const CATALOGUE: &[KindInfo] = &[$(KindInfo {
            kind: Kind::$kind,
            word: $word,
            tf_suffix: $tf_suffix,
            cloudformation: $cfn,
            terraform: $tf,
            cfn_tags: $tags,
            attributes: $attributes,
            logical_id: $logical,
            terraform_name: $tf_name,
        }),*];
    };
}

use CfnAttr::{GetAtt, Parameter, Ref};
use Rendering::{Folded, Type, TypeOrFolded};

catalogue! {
    Vpc {
        word: "Vpc", tf_suffix: "",
        cloudformation: Type("AWS::EC2::VPC"), terraform: Type("aws_vpc"), cfn_tags: true,
        attributes: attrs![(Id, Ref, "id")],
        logical_id: "`<Vpc>Vpc`", terraform_name: "`<vpc>`",
    }
    Subnet {
        word: "Subnet", tf_suffix: "",
        cloudformation: Type("AWS::EC2::Subnet"), terraform: Type("aws_subnet"), cfn_tags: true,
        attributes: attrs![(Id, Ref, "id")],
        logical_id: "`<Subnet>Subnet`", terraform_name: "`<subnet>`",
    }
    InternetGateway {
        word: "InternetGateway", tf_suffix: "",
        cloudformation: Type("AWS::EC2::InternetGateway"), terraform: Type("aws_internet_gateway"), cfn_tags: true,
        attributes: attrs![(Id, Ref, "id")],
        logical_id: "`<Vpc>InternetGateway`", terraform_name: "`<vpc>`",
    }
    /// Attaches an internet gateway to its VPC.
    GatewayAttachment {
        word: "GatewayAttachment", tf_suffix: "",
        cloudformation: Type("AWS::EC2::VPCGatewayAttachment"),
        terraform: Folded("`aws_internet_gateway` is created attached (`vpc_id`)"), cfn_tags: false,
        attributes: attrs![],
        logical_id: "`<Vpc>GatewayAttachment`", terraform_name: "—",
    }
    /// The Elastic IP of a NAT gateway.
    Eip {
        word: "NatEip", tf_suffix: "",
        cloudformation: Type("AWS::EC2::EIP"), terraform: Type("aws_eip"), cfn_tags: true,
        attributes: attrs![(AllocationId, GetAtt("AllocationId"), "id")],
        logical_id: "`<Nat>NatEip`", terraform_name: "`<nat>`",
    }
    NatGateway {
        word: "NatGateway", tf_suffix: "",
        cloudformation: Type("AWS::EC2::NatGateway"), terraform: Type("aws_nat_gateway"), cfn_tags: true,
        attributes: attrs![(Id, Ref, "id")],
        logical_id: "`<Nat>NatGateway`", terraform_name: "`<nat>`",
    }
    RouteTable {
        word: "RouteTable", tf_suffix: "",
        cloudformation: Type("AWS::EC2::RouteTable"), terraform: Type("aws_route_table"), cfn_tags: true,
        attributes: attrs![(Id, Ref, "id")],
        logical_id: "`<Vpc>PublicRouteTable`, `<Subnet>RouteTable`",
        terraform_name: "`<vpc>_public`, `<subnet>`",
    }
    /// A route table's default route.
    Route {
        word: "DefaultRoute", tf_suffix: "",
        cloudformation: Type("AWS::EC2::Route"), terraform: Type("aws_route"), cfn_tags: false,
        attributes: attrs![],
        logical_id: "`<Vpc>PublicDefaultRoute`, `<Subnet>DefaultRoute`",
        terraform_name: "`<vpc>_public`, `<subnet>`",
    }
    RouteTableAssociation {
        word: "RouteTableAssociation", tf_suffix: "",
        cloudformation: Type("AWS::EC2::SubnetRouteTableAssociation"),
        terraform: Type("aws_route_table_association"), cfn_tags: false,
        attributes: attrs![],
        logical_id: "`<Subnet>RouteTableAssociation`", terraform_name: "`<subnet>`",
    }
    SecurityGroup {
        word: "SecurityGroup", tf_suffix: "",
        cloudformation: Type("AWS::EC2::SecurityGroup"), terraform: Type("aws_security_group"), cfn_tags: true,
        attributes: attrs![(Id, GetAtt("GroupId"), "id")],
        logical_id: "`<Group>SecurityGroup`", terraform_name: "`<group>`",
    }
    /// One ingress rule of a group (indexed from 1 in the group's order).
    SecurityGroupIngress {
        word: "SecurityGroupIngress", tf_suffix: "_ingress",
        cloudformation: TypeOrFolded("AWS::EC2::SecurityGroupIngress",
            "inline in the group's `SecurityGroupIngress` unless the peer is a group"),
        terraform: Type("aws_vpc_security_group_ingress_rule"), cfn_tags: false,
        attributes: attrs![],
        logical_id: "`<Group>SecurityGroupIngress<n>`", terraform_name: "`<group>_ingress_<n>`",
    }
    /// One egress rule of a group (indexed from 1 in the group's order).
    SecurityGroupEgress {
        word: "SecurityGroupEgress", tf_suffix: "_egress",
        cloudformation: TypeOrFolded("AWS::EC2::SecurityGroupEgress",
            "inline in the group's `SecurityGroupEgress` unless the peer is a group"),
        terraform: Type("aws_vpc_security_group_egress_rule"), cfn_tags: false,
        attributes: attrs![],
        logical_id: "`<Group>SecurityGroupEgress<n>`", terraform_name: "`<group>_egress_<n>`",
    }
    /// The allow-all egress of a group that declares no egress.
    DefaultEgress {
        word: "DefaultEgress", tf_suffix: "_egress_all",
        cloudformation: Folded("inline in the group's `SecurityGroupEgress`"),
        terraform: Type("aws_vpc_security_group_egress_rule"), cfn_tags: false,
        attributes: attrs![],
        logical_id: "—", terraform_name: "`<group>_egress_all`",
    }
    VpcEndpoint {
        word: "Endpoint", tf_suffix: "",
        cloudformation: Type("AWS::EC2::VPCEndpoint"), terraform: Type("aws_vpc_endpoint"), cfn_tags: false,
        attributes: attrs![(PrefixListId, Parameter("PrefixListId"), "prefix_list_id")],
        logical_id: "`<Endpoint>Endpoint`", terraform_name: "`<endpoint>`",
    }
    LoadBalancer {
        word: "LoadBalancer", tf_suffix: "",
        cloudformation: Type("AWS::ElasticLoadBalancingV2::LoadBalancer"), terraform: Type("aws_lb"),
        cfn_tags: true,
        attributes: attrs![
            (Id, Ref, "arn"),
            (DnsName, GetAtt("DNSName"), "dns_name"),
            (FullName, GetAtt("LoadBalancerFullName"), "arn_suffix"),
        ],
        logical_id: "`<Lb>LoadBalancer`", terraform_name: "`<lb>`",
    }
    /// A listener, indexed by its port.
    Listener {
        word: "Listener", tf_suffix: "",
        cloudformation: Type("AWS::ElasticLoadBalancingV2::Listener"), terraform: Type("aws_lb_listener"),
        cfn_tags: false,
        attributes: attrs![(Id, Ref, "arn")],
        logical_id: "`<Lb>Listener<port>`", terraform_name: "`<lb>_<port>`",
    }
    TargetGroup {
        word: "TargetGroup", tf_suffix: "",
        cloudformation: Type("AWS::ElasticLoadBalancingV2::TargetGroup"),
        terraform: Type("aws_lb_target_group"), cfn_tags: true,
        attributes: attrs![
            (Id, Ref, "arn"),
            (FullName, GetAtt("TargetGroupFullName"), "arn_suffix"),
        ],
        logical_id: "`<Service><Lb><port>TargetGroup`", terraform_name: "`<service>_<lb>_<port>`",
    }
    ListenerRule {
        word: "ListenerRule", tf_suffix: "",
        cloudformation: Type("AWS::ElasticLoadBalancingV2::ListenerRule"),
        terraform: Type("aws_lb_listener_rule"), cfn_tags: false,
        attributes: attrs![],
        logical_id: "`<Service><Lb><port>ListenerRule`, `<Lb><port><Rule>ListenerRule`",
        terraform_name: "`<service>_<lb>_<port>`, `<lb>_<port>_<rule>`",
    }
    /// A listener's extra (SNI) certificate, named after the first 8
    /// letters and digits of the certificate's id.
    ListenerCertificate {
        word: "Certificate", tf_suffix: "",
        cloudformation: Type("AWS::ElasticLoadBalancingV2::ListenerCertificate"),
        terraform: Type("aws_lb_listener_certificate"), cfn_tags: false,
        attributes: attrs![],
        logical_id: "`<Lb>Listener<port><certificate id>Certificate`",
        terraform_name: "`<lb>_listener_<port>_<certificate id>`",
    }
    /// The bucket a load balancer's access logs go to.
    LogBucket {
        word: "LogBucket", tf_suffix: "_logs",
        cloudformation: Type("AWS::S3::Bucket"), terraform: Type("aws_s3_bucket"),
        cfn_tags: true,
        attributes: attrs![(Id, Ref, "id"), (Arn, GetAtt("Arn"), "arn")],
        logical_id: "`<Lb>LogBucket`", terraform_name: "`<lb>_logs`",
    }
    /// The log bucket's default encryption: SSE-S3, the one ELB writes to.
    LogBucketEncryption {
        word: "LogBucketEncryption", tf_suffix: "_logs",
        cloudformation: Folded("the bucket's `BucketEncryption`"),
        terraform: Type("aws_s3_bucket_server_side_encryption_configuration"), cfn_tags: false,
        attributes: attrs![],
        logical_id: "—", terraform_name: "`<lb>_logs`",
    }
    /// The log bucket's public access block (all four settings on).
    LogBucketAccess {
        word: "LogBucketAccess", tf_suffix: "_logs",
        cloudformation: Folded("the bucket's `PublicAccessBlockConfiguration`"),
        terraform: Type("aws_s3_bucket_public_access_block"), cfn_tags: false,
        attributes: attrs![],
        logical_id: "—", terraform_name: "`<lb>_logs`",
    }
    /// The log bucket's lifecycle: logs expire after some days.
    LogBucketLifecycle {
        word: "LogBucketLifecycle", tf_suffix: "_logs",
        cloudformation: Folded("the bucket's `LifecycleConfiguration`"),
        terraform: Type("aws_s3_bucket_lifecycle_configuration"), cfn_tags: false,
        attributes: attrs![],
        logical_id: "—", terraform_name: "`<lb>_logs`",
    }
    /// The log bucket's policy: log delivery of the Region may write.
    LogBucketPolicy {
        word: "LogBucketPolicy", tf_suffix: "_logs",
        cloudformation: Type("AWS::S3::BucketPolicy"), terraform: Type("aws_s3_bucket_policy"),
        cfn_tags: false,
        attributes: attrs![],
        logical_id: "`<Lb>LogBucketPolicy`", terraform_name: "`<lb>_logs`",
    }
    Cluster {
        word: "Cluster", tf_suffix: "",
        cloudformation: Type("AWS::ECS::Cluster"), terraform: Type("aws_ecs_cluster"), cfn_tags: true,
        attributes: attrs![
            (Id, Ref, "arn"),
            (Name, Ref, "name"),
            (Arn, GetAtt("Arn"), "arn"),
        ],
        logical_id: "`<Cluster>Cluster`", terraform_name: "`<cluster>`",
    }
    /// The capacity providers a cluster is associated with, and its default
    /// strategy.
    ClusterCapacityProviders {
        word: "CapacityProviders", tf_suffix: "",
        // Not folded into the cluster: an instance group's user data names
        // the cluster, so the cluster cannot wait for its providers.
        cloudformation: Type("AWS::ECS::ClusterCapacityProviderAssociations"),
        terraform: Type("aws_ecs_cluster_capacity_providers"), cfn_tags: false,
        attributes: attrs![],
        logical_id: "`<Cluster>CapacityProviders`", terraform_name: "`<cluster>`",
    }
    /// The instance profile container instances carry their role in.
    InstanceProfile {
        word: "InstanceProfile", tf_suffix: "",
        cloudformation: Type("AWS::IAM::InstanceProfile"),
        terraform: Type("aws_iam_instance_profile"), cfn_tags: false,
        attributes: attrs![(Arn, GetAtt("Arn"), "arn")],
        logical_id: "`<Instances>InstanceProfile`", terraform_name: "`<instances>`",
    }
    /// How container instances are launched: AMI, type, role, groups and the
    /// user data that names the cluster.
    LaunchTemplate {
        word: "LaunchTemplate", tf_suffix: "",
        cloudformation: Type("AWS::EC2::LaunchTemplate"),
        terraform: Type("aws_launch_template"), cfn_tags: false,
        attributes: attrs![
            (Id, Ref, "id"),
            (LatestVersion, GetAtt("LatestVersionNumber"), "latest_version"),
        ],
        logical_id: "`<Instances>LaunchTemplate`", terraform_name: "`<instances>`",
    }
    /// The Auto Scaling group of an instance group.
    AutoScalingGroup {
        word: "AutoScalingGroup", tf_suffix: "",
        cloudformation: Type("AWS::AutoScaling::AutoScalingGroup"),
        terraform: Type("aws_autoscaling_group"), cfn_tags: false,
        attributes: attrs![(Name, Ref, "name"), (Arn, Ref, "arn")],
        logical_id: "`<Instances>AutoScalingGroup`", terraform_name: "`<instances>`",
    }
    /// The capacity provider of an instance group (managed scaling).
    CapacityProvider {
        word: "CapacityProvider", tf_suffix: "",
        cloudformation: Type("AWS::ECS::CapacityProvider"),
        terraform: Type("aws_ecs_capacity_provider"), cfn_tags: true,
        attributes: attrs![(Name, Ref, "name")],
        logical_id: "`<Instances>CapacityProvider`", terraform_name: "`<instances>`",
    }
    /// A Cloud Map private DNS namespace.
    Namespace {
        word: "Namespace", tf_suffix: "",
        cloudformation: Type("AWS::ServiceDiscovery::PrivateDnsNamespace"),
        terraform: Type("aws_service_discovery_private_dns_namespace"), cfn_tags: true,
        attributes: attrs![(Id, Ref, "id"), (Arn, GetAtt("Arn"), "arn")],
        logical_id: "`<Namespace>Namespace`", terraform_name: "`<namespace>`",
    }
    /// A Cloud Map HTTP namespace (Service Connect).
    HttpNamespace {
        word: "HttpNamespace", tf_suffix: "",
        cloudformation: Type("AWS::ServiceDiscovery::HttpNamespace"),
        terraform: Type("aws_service_discovery_http_namespace"), cfn_tags: true,
        attributes: attrs![(Id, Ref, "id"), (Arn, GetAtt("Arn"), "arn")],
        logical_id: "`<Namespace>HttpNamespace`", terraform_name: "`<namespace>`",
    }
    /// An ECR repository.
    Repository {
        word: "Repository", tf_suffix: "",
        cloudformation: Type("AWS::ECR::Repository"), terraform: Type("aws_ecr_repository"), cfn_tags: true,
        attributes: attrs![
            (Id, Ref, "name"),
            (Name, Ref, "name"),
            (Arn, GetAtt("Arn"), "arn"),
            (Uri, GetAtt("RepositoryUri"), "repository_url"),
        ],
        logical_id: "`<Repository>Repository`", terraform_name: "`<repository>`",
    }
    /// A repository's lifecycle policy (which images expire).
    LifecyclePolicy {
        word: "LifecyclePolicy", tf_suffix: "",
        cloudformation: Folded("in the repository's `LifecyclePolicy`"),
        terraform: Type("aws_ecr_lifecycle_policy"), cfn_tags: false,
        attributes: attrs![],
        logical_id: "—", terraform_name: "`<repository>`",
    }
    LogGroup {
        word: "LogGroup", tf_suffix: "",
        cloudformation: Type("AWS::Logs::LogGroup"), terraform: Type("aws_cloudwatch_log_group"),
        cfn_tags: true,
        attributes: attrs![
            (Name, Ref, "name"),
            (StreamsArn, GetAtt("Arn"), "arn" + ":*"),
        ],
        logical_id: "`<Task>LogGroup`", terraform_name: "`<task>`",
    }
    Role {
        word: "Role", tf_suffix: "",
        cloudformation: Type("AWS::IAM::Role"), terraform: Type("aws_iam_role"), cfn_tags: true,
        attributes: attrs![
            (Arn, GetAtt("Arn"), "arn"),
            (Id, Ref, "id"),
            (Name, Ref, "name"),
        ],
        logical_id: "`<Task>ExecutionRole`, `<Task>TaskRole`, `<Schedule>EventsRole`",
        terraform_name: "`<task>_execution`, `<task>_task`, `<schedule>_events`",
    }
    /// A role's inline policy.
    RolePolicy {
        word: "RolePolicy", tf_suffix: "",
        cloudformation: Folded("inline in the role's `Policies`"),
        terraform: Type("aws_iam_role_policy"), cfn_tags: false,
        attributes: attrs![],
        logical_id: "—", terraform_name: "`<role>`",
    }
    /// A managed policy attached to a role.
    PolicyAttachment {
        word: "PolicyAttachment", tf_suffix: "",
        cloudformation: Folded("in the role's `ManagedPolicyArns`"),
        terraform: Type("aws_iam_role_policy_attachment"), cfn_tags: false,
        attributes: attrs![],
        logical_id: "—", terraform_name: "`<role>_<policy name>`",
    }
    TaskDefinition {
        word: "TaskDefinition", tf_suffix: "",
        cloudformation: Type("AWS::ECS::TaskDefinition"), terraform: Type("aws_ecs_task_definition"),
        cfn_tags: true,
        attributes: attrs![(Id, Ref, "arn")],
        logical_id: "`<Task>TaskDefinition`", terraform_name: "`<task>`",
    }
    Service {
        word: "Service", tf_suffix: "",
        cloudformation: Type("AWS::ECS::Service"), terraform: Type("aws_ecs_service"), cfn_tags: true,
        attributes: attrs![(Name, GetAtt("Name"), "name")],
        logical_id: "`<Service>Service`", terraform_name: "`<service>`",
    }
    /// A service's Cloud Map service.
    DiscoveryService {
        word: "DiscoveryService", tf_suffix: "",
        cloudformation: Type("AWS::ServiceDiscovery::Service"),
        terraform: Type("aws_service_discovery_service"), cfn_tags: true,
        attributes: attrs![(Arn, GetAtt("Arn"), "arn")],
        logical_id: "`<Service>DiscoveryService`", terraform_name: "`<service>`",
    }
    ScalableTarget {
        word: "ScalableTarget", tf_suffix: "",
        cloudformation: Type("AWS::ApplicationAutoScaling::ScalableTarget"),
        terraform: Type("aws_appautoscaling_target"), cfn_tags: false,
        attributes: attrs![
            (Id, Ref, "id"),
            (ResourceId, CfnAttr::None, "resource_id"),
            (ScalableDimension, CfnAttr::None, "scalable_dimension"),
            (ServiceNamespace, CfnAttr::None, "service_namespace"),
        ],
        logical_id: "`<Service>ScalableTarget`", terraform_name: "`<service>`",
    }
    /// Sets a scalable target's bounds at a time.
    ScheduledAction {
        word: "ScheduledAction", tf_suffix: "",
        cloudformation: Folded("in the scalable target's `ScheduledActions`"),
        terraform: Type("aws_appautoscaling_scheduled_action"), cfn_tags: false,
        attributes: attrs![],
        logical_id: "—", terraform_name: "`<service>_<schedule>`",
    }
    ScalingPolicy {
        word: "ScalingPolicy", tf_suffix: "",
        cloudformation: Type("AWS::ApplicationAutoScaling::ScalingPolicy"),
        terraform: Type("aws_appautoscaling_policy"), cfn_tags: false,
        attributes: attrs![(Arn, Ref, "arn")],
        logical_id: "`<Service><Metric>ScalingPolicy`, `<Service><Alarm>StepScalingPolicy`, `<Service>TrackScalingPolicy<n>`",
        terraform_name: "`<service>_<metric>`, `<service>_<alarm>_step`, `<service>_track_<n>`",
    }
    /// A CloudWatch alarm of a service.
    Alarm {
        word: "Alarm", tf_suffix: "",
        cloudformation: Type("AWS::CloudWatch::Alarm"),
        terraform: Type("aws_cloudwatch_metric_alarm"), cfn_tags: false,
        attributes: attrs![],
        logical_id: "`<Service><Alarm>Alarm`", terraform_name: "`<service>_<alarm>`",
    }
    /// The EventBridge rule of a schedule.
    ScheduleRule {
        word: "Schedule", tf_suffix: "",
        cloudformation: Type("AWS::Events::Rule"), terraform: Type("aws_cloudwatch_event_rule"),
        cfn_tags: false,
        attributes: attrs![(Name, Ref, "name")],
        logical_id: "`<Schedule>Schedule`", terraform_name: "`<schedule>`",
    }
    /// The task a schedule's rule runs.
    ScheduleTarget {
        word: "ScheduleTarget", tf_suffix: "",
        cloudformation: Folded("in the rule's `Targets`"),
        terraform: Type("aws_cloudwatch_event_target"), cfn_tags: false,
        attributes: attrs![],
        logical_id: "—", terraform_name: "`<schedule>`",
    }
}

impl Kind {
    pub fn info(self) -> &'static KindInfo {
        // The catalogue lists kinds in declaration order (a test checks).
        &CATALOGUE[self as usize]
    }

    /// The stack's shared infrastructure: the network, load balancers and
    /// their listeners, clusters and their capacity, namespaces and
    /// repositories. When a CloudFormation stack is split into nested
    /// stacks ([`crate::emit::cloudformation::split`]) these stay together
    /// in one, whatever references them; every other kind goes with the
    /// service or schedule that uses it.
    pub fn is_infrastructure(self) -> bool {
        use Kind::*;
        match self {
            Vpc
            | Subnet
            | InternetGateway
            | GatewayAttachment
            | Eip
            | NatGateway
            | RouteTable
            | Route
            | RouteTableAssociation
            | VpcEndpoint
            | LoadBalancer
            | Listener
            | ListenerCertificate
            | LogBucket
            | LogBucketEncryption
            | LogBucketAccess
            | LogBucketLifecycle
            | LogBucketPolicy
            | Cluster
            | ClusterCapacityProviders
            | InstanceProfile
            | LaunchTemplate
            | AutoScalingGroup
            | CapacityProvider
            | Namespace
            | HttpNamespace
            | Repository
            | LifecyclePolicy => true,
            SecurityGroup | SecurityGroupIngress | SecurityGroupEgress | DefaultEgress
            | TargetGroup | ListenerRule | LogGroup | Role | RolePolicy | PolicyAttachment
            | TaskDefinition | Service | DiscoveryService | ScalableTarget | ScheduledAction
            | ScalingPolicy | Alarm | ScheduleRule | ScheduleTarget => false,
        }
    }

    /// A kind that runs tasks: the resources it alone uses go with it into
    /// one nested stack when a CloudFormation stack is split.
    pub fn is_workload(self) -> bool {
        matches!(self, Kind::Service | Kind::ScheduleRule)
    }
}

impl Rendering {
    /// The table cell for docs/targets.md.
    fn markdown(self) -> String {
        match self {
            Rendering::Type(t) => format!("`{t}`"),
            Rendering::TypeOrFolded(t, why) => format!("`{t}`, or {why}"),
            Rendering::Folded(why) => format!("none: {why}"),
        }
    }
}

/// The resource table of docs/targets.md, generated from the catalogue
/// (`tests/parity.rs` checks the document shows exactly this).
pub fn markdown_table() -> String {
    let mut out = String::from(
        "| Plan resource | CloudFormation | Logical id | Terraform | Terraform name |\n\
         |---|---|---|---|---|\n",
    );
    for info in CATALOGUE {
        out.push_str(&format!(
            "| {:?} | {} | {} | {} | {} |\n",
            info.kind,
            info.cloudformation.markdown(),
            info.logical_id,
            info.terraform.markdown(),
            info.terraform_name
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_is_in_kind_order_and_complete() {
        for (i, info) in CATALOGUE.iter().enumerate() {
            assert_eq!(info.kind as usize, i, "{:?} is out of order", info.kind);
            assert!(
                info.cloudformation.type_name().is_some() || info.terraform.type_name().is_some(),
                "{:?} renders in no target",
                info.kind
            );
        }
    }

    #[test]
    fn words_are_unique() {
        let mut words: Vec<&str> = CATALOGUE.iter().map(|i| i.word).collect();
        words.sort();
        let n = words.len();
        words.dedup();
        assert_eq!(words.len(), n);
    }
}
