//! CloudFormation logical ids, derived from user names only.

use crate::model::*;
use crate::names::pascal;

pub fn vpc(m: &Model, id: VpcId) -> String {
    format!("{}Vpc", pascal(&m[id].name.name))
}
pub fn subnet(m: &Model, id: SubnetId) -> String {
    format!("{}Subnet", pascal(&m[id].name.name))
}
pub fn nat(m: &Model, id: NatId) -> String {
    format!("{}NatGateway", pascal(&m[id].name.name))
}
pub fn eip(m: &Model, id: NatId) -> String {
    format!("{}NatEip", pascal(&m[id].name.name))
}
pub fn igw(m: &Model, id: IgwId) -> String {
    format!("{}InternetGateway", pascal(&m[m[id].vpc].name.name))
}
pub fn attachment(m: &Model, vpc: VpcId) -> String {
    format!("{}GatewayAttachment", pascal(&m[vpc].name.name))
}
pub fn route_table(m: &Model, id: RouteTableId) -> String {
    let t = &m[id];
    if t.public {
        format!("{}PublicRouteTable", pascal(&m[t.vpc].name.name))
    } else {
        format!("{}RouteTable", pascal(&t.name))
    }
}
pub fn default_route(m: &Model, id: RouteTableId) -> String {
    let t = &m[id];
    if t.public {
        format!("{}PublicDefaultRoute", pascal(&m[t.vpc].name.name))
    } else {
        format!("{}DefaultRoute", pascal(&t.name))
    }
}
pub fn association(m: &Model, subnet: SubnetId) -> String {
    format!("{}RouteTableAssociation", pascal(&m[subnet].name.name))
}
pub fn sg(m: &Model, id: SgId) -> String {
    format!("{}SecurityGroup", pascal(&m[id].name.name))
}
pub fn endpoint(m: &Model, id: EndpointId) -> String {
    format!("{}Endpoint", pascal(&m[id].name.name))
}
pub fn prefix_list_param(m: &Model, id: EndpointId) -> String {
    format!("{}PrefixListId", pascal(&m[id].name.name))
}
pub fn lb(m: &Model, id: LbId) -> String {
    format!("{}LoadBalancer", pascal(&m[id].name.name))
}
pub fn listener(m: &Model, l: ListenerRef) -> String {
    format!("{}Listener{}", pascal(&m[l.lb].name.name), m[l].port.value)
}
pub fn target_group(m: &Model, id: TgId) -> String {
    format!("{}TargetGroup", pascal(&m[id].name))
}
pub fn rule(m: &Model, id: RuleId) -> String {
    format!("{}ListenerRule", pascal(&m[id].name))
}
pub fn cluster(m: &Model, id: ClusterId) -> String {
    format!("{}Cluster", pascal(&m[id].name.name))
}
pub fn namespace(m: &Model, id: NamespaceId) -> String {
    format!("{}Namespace", pascal(&m[id].name.name))
}
pub fn task(m: &Model, id: TaskId) -> String {
    format!("{}TaskDefinition", pascal(&m[id].name.name))
}
pub fn image_param(m: &Model, id: TaskId, container: usize) -> String {
    format!(
        "{}{}Image",
        pascal(&m[id].name.name),
        pascal(&m[id].containers[container].name.name)
    )
}
pub fn log_group(m: &Model, id: LogGroupId) -> String {
    format!("{}LogGroup", pascal(&m[m[id].task].name.name))
}
pub fn role(m: &Model, id: RoleId) -> String {
    pascal(&m[id].name) + "Role"
}
pub fn service(m: &Model, id: ServiceId) -> String {
    format!("{}Service", pascal(&m[id].name.name))
}
pub fn discovery(m: &Model, id: ServiceId) -> String {
    format!("{}DiscoveryService", pascal(&m[id].name.name))
}
pub fn scalable_target(m: &Model, id: ServiceId) -> String {
    format!("{}ScalableTarget", pascal(&m[id].name.name))
}
pub fn scaling_policy(m: &Model, id: ServiceId, metric: &str) -> String {
    format!("{}{}ScalingPolicy", pascal(&m[id].name.name), metric)
}
pub fn schedule(m: &Model, id: ScheduleId) -> String {
    format!("{}Schedule", pascal(&m[id].name.name))
}
