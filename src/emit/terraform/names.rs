//! Terraform resource and output names, derived from user names only.
//!
//! They mirror the CloudFormation logical ids of
//! [`crate::emit::cloudformation::ids`]: the same user name, in snake case,
//! without the type word (the Terraform type carries it). So
//! `pascal(name)` plus the type word is the logical id, and adding a
//! declaration renames nothing else.

use crate::model::*;
use crate::names::snake;

pub fn vpc(m: &Model, id: VpcId) -> String {
    snake(&m[id].name.name)
}
pub fn subnet(m: &Model, id: SubnetId) -> String {
    snake(&m[id].name.name)
}
/// The NAT gateway and its Elastic IP (different types, one name).
pub fn nat(m: &Model, id: NatId) -> String {
    snake(&m[id].name.name)
}
/// Named after its VPC; created attached to it.
pub fn igw(m: &Model, id: IgwId) -> String {
    vpc(m, m[id].vpc)
}
pub fn route_table(m: &Model, id: RouteTableId) -> String {
    snake(&m[id].name)
}
/// A route table's default route: named after the table.
pub fn default_route(m: &Model, id: RouteTableId) -> String {
    route_table(m, id)
}
pub fn association(m: &Model, subnet: SubnetId) -> String {
    self::subnet(m, subnet)
}
pub fn sg(m: &Model, id: SgId) -> String {
    snake(&m[id].name.name)
}
/// The `n`th (0-based) ingress or egress rule of a group.
pub fn sg_rule(m: &Model, id: SgId, egress: bool, n: usize) -> String {
    format!(
        "{}_{}_{}",
        sg(m, id),
        if egress { "egress" } else { "ingress" },
        n + 1
    )
}
/// The allow-all egress rule of a group that declares no egress.
pub fn sg_default_egress(m: &Model, id: SgId) -> String {
    format!("{}_egress_all", sg(m, id))
}
pub fn endpoint(m: &Model, id: EndpointId) -> String {
    snake(&m[id].name.name)
}
pub fn lb(m: &Model, id: LbId) -> String {
    snake(&m[id].name.name)
}
pub fn listener(m: &Model, l: ListenerRef) -> String {
    format!("{}_{}", lb(m, l.lb), m[l].port.value)
}
pub fn target_group(m: &Model, id: TgId) -> String {
    snake(&m[id].name)
}
pub fn rule(m: &Model, id: RuleId) -> String {
    snake(&m[id].name)
}
pub fn cluster(m: &Model, id: ClusterId) -> String {
    snake(&m[id].name.name)
}
pub fn namespace(m: &Model, id: NamespaceId) -> String {
    snake(&m[id].name.name)
}
pub fn task(m: &Model, id: TaskId) -> String {
    snake(&m[id].name.name)
}
pub fn log_group(m: &Model, id: LogGroupId) -> String {
    task(m, m[id].task)
}
/// The role, and its inline policy.
pub fn role(m: &Model, id: RoleId) -> String {
    snake(&m[id].name)
}
/// A managed policy attached to a role: the role's name and the policy's
/// name (the ARN after `policy/`), so the list's order does not matter.
pub fn policy_attachment(m: &Model, id: RoleId, policy_arn: &str) -> String {
    let policy = policy_arn
        .split_once(":policy/")
        .map_or(policy_arn, |(_, p)| p);
    let policy: String = policy
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{}_{}", role(m, id), snake(&policy))
}
pub fn service(m: &Model, id: ServiceId) -> String {
    snake(&m[id].name.name)
}
/// A service's Cloud Map service, scalable target: named after the service.
pub fn discovery(m: &Model, id: ServiceId) -> String {
    service(m, id)
}
pub fn scalable_target(m: &Model, id: ServiceId) -> String {
    service(m, id)
}
/// `metric` as in the CloudFormation id: `Cpu`, `Memory`, `Requests`.
pub fn scaling_policy(m: &Model, id: ServiceId, metric: &str) -> String {
    format!("{}_{}", service(m, id), metric.to_ascii_lowercase())
}
/// The EventBridge rule and its target.
pub fn schedule(m: &Model, id: ScheduleId) -> String {
    snake(&m[id].name.name)
}

/// Outputs, named like the CloudFormation outputs in snake case.
pub fn lb_dns_output(m: &Model, id: LbId) -> String {
    format!("{}_dns_name", lb(m, id))
}
pub fn cluster_output(m: &Model, id: ClusterId) -> String {
    format!("{}_cluster_name", cluster(m, id))
}
pub fn service_output(m: &Model, id: ServiceId) -> String {
    format!("{}_service_name", service(m, id))
}
