//! VPCs, subnets, gateways, route tables, security groups and endpoints.

use super::expr::{get_att, r#ref, sub, Expr, Obj};
use super::{ids, tags, Template};
use crate::model::*;

pub fn emit(m: &Model, t: &mut Template) {
    for (i, v) in m.vpcs.iter().enumerate() {
        t.add(
            ids::vpc(m, VpcId(i)),
            "AWS::EC2::VPC",
            Obj::new()
                .set("CidrBlock", v.cidr.value.canonical().to_string())
                .set("EnableDnsSupport", v.dns_support.value)
                .set("EnableDnsHostnames", v.dns_hostnames.value)
                .opt("Tags", tags(m, Some(&v.name.name))),
        );
    }
    for (i, s) in m.subnets.iter().enumerate() {
        t.add(
            ids::subnet(m, SubnetId(i)),
            "AWS::EC2::Subnet",
            Obj::new()
                .set("VpcId", r#ref(ids::vpc(m, s.vpc)))
                .set("CidrBlock", s.cidr.value.canonical().to_string())
                .set(
                    "AvailabilityZone",
                    sub(format!("${{AWS::Region}}{}", s.zone_letter())),
                )
                .opt("Tags", tags(m, Some(&s.name.name))),
        );
    }
    for (i, igw) in m.internet_gateways.iter().enumerate() {
        let id = ids::igw(m, IgwId(i));
        t.add(
            id.clone(),
            "AWS::EC2::InternetGateway",
            Obj::new().opt("Tags", tags(m, Some(&m[igw.vpc].name.name))),
        );
        t.add(
            ids::attachment(m, igw.vpc),
            "AWS::EC2::VPCGatewayAttachment",
            Obj::new()
                .set("VpcId", r#ref(ids::vpc(m, igw.vpc)))
                .set("InternetGatewayId", r#ref(id)),
        );
    }
    for (i, n) in m.nat_gateways.iter().enumerate() {
        let nat = NatId(i);
        let vpc = m[n.subnet.value].vpc;
        let eip = t.add(
            ids::eip(m, nat),
            "AWS::EC2::EIP",
            Obj::new()
                .set("Domain", "vpc")
                .opt("Tags", tags(m, Some(&n.name.name))),
        );
        if m.internet_gateways.iter().any(|g| g.vpc == vpc) {
            eip.depends_on.push(ids::attachment(m, vpc));
        }
        t.add(
            ids::nat(m, nat),
            "AWS::EC2::NatGateway",
            Obj::new()
                .set("AllocationId", get_att(ids::eip(m, nat), "AllocationId"))
                .set("SubnetId", r#ref(ids::subnet(m, n.subnet.value)))
                .opt("Tags", tags(m, Some(&n.name.name))),
        );
    }
    for (i, rt) in m.route_tables.iter().enumerate() {
        let table = RouteTableId(i);
        let id = ids::route_table(m, table);
        t.add(
            id.clone(),
            "AWS::EC2::RouteTable",
            Obj::new()
                .set("VpcId", r#ref(ids::vpc(m, rt.vpc)))
                .opt("Tags", tags(m, Some(&rt.name))),
        );
        match &rt.default_route {
            Some(DefaultRoute::Internet(igw)) => {
                let route = t.add(
                    ids::default_route(m, table),
                    "AWS::EC2::Route",
                    Obj::new()
                        .set("RouteTableId", r#ref(id.clone()))
                        .set("DestinationCidrBlock", "0.0.0.0/0")
                        .set("GatewayId", r#ref(ids::igw(m, *igw))),
                );
                route.depends_on.push(ids::attachment(m, rt.vpc));
            }
            Some(DefaultRoute::Nat(nat)) => {
                t.add(
                    ids::default_route(m, table),
                    "AWS::EC2::Route",
                    Obj::new()
                        .set("RouteTableId", r#ref(id.clone()))
                        .set("DestinationCidrBlock", "0.0.0.0/0")
                        .set("NatGatewayId", r#ref(ids::nat(m, *nat))),
                );
            }
            None => {}
        }
        for s in &rt.subnets {
            t.add(
                ids::association(m, *s),
                "AWS::EC2::SubnetRouteTableAssociation",
                Obj::new()
                    .set("SubnetId", r#ref(ids::subnet(m, *s)))
                    .set("RouteTableId", r#ref(id.clone())),
            );
        }
    }
    for (i, g) in m.security_groups.iter().enumerate() {
        security_group(m, t, SgId(i), g);
    }
    for (i, e) in m.endpoints.iter().enumerate() {
        let id = EndpointId(i);
        let mut props = Obj::new()
            .set("VpcId", r#ref(ids::vpc(m, e.vpc.value)))
            .set(
                "ServiceName",
                sub(format!(
                    "com.amazonaws.${{AWS::Region}}.{}",
                    e.service.value
                )),
            );
        props = match e.kind {
            EndpointKind::Gateway => props.set("VpcEndpointType", "Gateway").list(
                "RouteTableIds",
                e.route_tables
                    .iter()
                    .map(|r| r#ref(ids::route_table(m, *r)))
                    .collect(),
            ),
            EndpointKind::Interface => props
                .set("VpcEndpointType", "Interface")
                .list(
                    "SubnetIds",
                    e.subnets
                        .value
                        .iter()
                        .map(|s| r#ref(ids::subnet(m, *s)))
                        .collect(),
                )
                .list(
                    "SecurityGroupIds",
                    e.security_groups
                        .value
                        .iter()
                        .map(|s| get_att(ids::sg(m, *s), "GroupId"))
                        .collect(),
                )
                .set("PrivateDnsEnabled", e.private_dns.value),
        };
        t.add(ids::endpoint(m, id), "AWS::EC2::VPCEndpoint", props);
    }
}

/// Rules with a CIDR or prefix-list peer stay inline; rules whose peer is
/// another group become standalone resources, so two groups that allow
/// each other never form a dependency cycle.
fn security_group(m: &Model, t: &mut Template, id: SgId, g: &SecurityGroup) {
    let sg_id = ids::sg(m, id);
    let inline = |rules: &[SgRule], egress: bool, t: &mut Template| -> Vec<Expr> {
        let mut out = Vec::new();
        for (n, r) in rules.iter().enumerate() {
            let base = rule_base(r);
            let desc = r.description(m, egress);
            match &r.peer.value {
                Peer::Cidr(c) => {
                    out.push(
                        base.set("CidrIp", c.canonical().to_string())
                            .set("Description", desc)
                            .into(),
                    );
                }
                Peer::PrefixList(e) => {
                    let param = ids::prefix_list_param(m, *e);
                    t.parameters.insert(
                        param.clone(),
                        Obj::new()
                            .set("Type", "String")
                            .set("AllowedPattern", "^pl-[0-9a-f]+$")
                            .set(
                                "Description",
                                format!(
                                    "Id of the managed prefix list com.amazonaws.<region>.{} (aws ec2 describe-managed-prefix-lists)",
                                    m[*e].service.value
                                ),
                            ),
                    );
                    let key = if egress {
                        "DestinationPrefixListId"
                    } else {
                        "SourcePrefixListId"
                    };
                    out.push(base.set(key, r#ref(param)).set("Description", desc).into());
                }
                Peer::Group(other) => {
                    let (kind, word, peer_key) = if egress {
                        (
                            "AWS::EC2::SecurityGroupEgress",
                            "Egress",
                            "DestinationSecurityGroupId",
                        )
                    } else {
                        (
                            "AWS::EC2::SecurityGroupIngress",
                            "Ingress",
                            "SourceSecurityGroupId",
                        )
                    };
                    let rule_id = format!("{sg_id}{word}{}", n + 1);
                    t.add(
                        rule_id,
                        kind,
                        rule_base(r)
                            .set("GroupId", get_att(sg_id.clone(), "GroupId"))
                            .set(peer_key, get_att(ids::sg(m, *other), "GroupId"))
                            .set("Description", desc),
                    );
                }
            }
        }
        out
    };
    let ingress = inline(&g.ingress, false, t);
    let mut egress = inline(&g.egress, true, t);
    if egress.is_empty() && !g.egress.is_empty() {
        // Every egress rule is standalone: an inline rule must still exist,
        // or CloudFormation keeps the default allow-all egress.
        egress.push(
            Obj::new()
                .set("IpProtocol", "-1")
                .set("CidrIp", "127.0.0.1/32")
                .set("Description", "Replaces the default allow-all egress; the egress rules are separate resources")
                .into(),
        );
    }
    let mut props = Obj::new()
        .set("GroupDescription", g.description.as_str())
        .set("VpcId", r#ref(ids::vpc(m, g.vpc.value)))
        .list("SecurityGroupIngress", ingress);
    props = if g.egress.is_empty() {
        props.set(
            "SecurityGroupEgress",
            vec![Expr::from(
                Obj::new()
                    .set("IpProtocol", "-1")
                    .set("CidrIp", "0.0.0.0/0")
                    .set("Description", "All outbound traffic"),
            )],
        )
    } else {
        props.list("SecurityGroupEgress", egress)
    };
    t.add(
        sg_id,
        "AWS::EC2::SecurityGroup",
        props.opt("Tags", tags(m, Some(&g.name.name))),
    );
}

fn rule_base(r: &SgRule) -> Obj {
    let o = Obj::new().set("IpProtocol", r.protocol.value.ip_protocol());
    match r.port_range() {
        Some((from, to)) => o
            .set("FromPort", Expr::Int(from))
            .set("ToPort", Expr::Int(to)),
        None => o,
    }
}
