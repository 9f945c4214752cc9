//! Planning VPCs, subnets, gateways, route tables, security groups (one
//! resource per rule) and VPC endpoints.

use super::existing::{existing, Known};
use super::ids::Cx;
use super::*;
use crate::model::{
    self, DefaultRoute, EndpointKind, IgwId, NatId, RouteTableId, SgId, SgRule, SubnetId, VpcId,
};
use crate::schema::existing as spec;

pub fn vpc(m: &Cx<'_>, id: VpcId) -> ResId {
    m.vpc[id.0].clone()
}
pub fn subnet(m: &Cx<'_>, id: SubnetId) -> ResId {
    m.subnet[id.0].clone()
}
pub fn sg(m: &Cx<'_>, id: SgId) -> ResId {
    m.sg[id.0].clone()
}
pub fn igw(m: &Cx<'_>, id: IgwId) -> ResId {
    vpc(m, m[id].vpc).sibling(Kind::InternetGateway)
}
pub fn route_table(m: &Cx<'_>, id: RouteTableId) -> ResId {
    m.route_table[id.0].clone()
}
fn nat(m: &Cx<'_>, id: NatId) -> ResId {
    m.nat[id.0].clone()
}
fn endpoint(m: &Cx<'_>, id: model::EndpointId) -> ResId {
    m.endpoint[id.0].clone()
}

/// References to the `Id` of each subnet.
pub fn subnets(m: &Cx<'_>, ids: &[SubnetId]) -> Vec<Ref> {
    ids.iter().map(|s| subnet(m, *s).attr(Attr::Id)).collect()
}
/// References to the `Id` of each security group.
pub fn groups(m: &Cx<'_>, ids: &[SgId]) -> Vec<Ref> {
    ids.iter().map(|s| sg(m, *s).attr(Attr::Id)).collect()
}

/// What a resource reaching the internet must wait for: the attachment
/// of its VPC's internet gateway, when the VPC has one.
pub fn internet_attachment(m: &Cx<'_>, vpc: VpcId) -> Option<ResId> {
    m.internet_gateways
        .iter()
        .any(|g| g.vpc == vpc)
        .then(|| m.vpc[vpc.0].sibling(Kind::GatewayAttachment))
}

pub fn plan(m: &Cx<'_>, p: &mut Plan) {
    for (i, v) in m.vpcs.iter().enumerate() {
        if let Some(e) = &v.existing {
            existing(p, vpc(m, VpcId(i)), v.span, e, Known::id("VPC", &spec::VPC));
            continue;
        }
        let Some(cidr) = &v.cidr else { continue };
        let tag = p.name_tag(&v.name.name);
        p.add(
            vpc(m, VpcId(i)),
            v.span,
            Body::from(body::Vpc {
                cidr: cidr.value.canonical().to_string(),
                dns_support: v.dns_support.as_ref().is_none_or(|f| f.value),
                dns_hostnames: v.dns_hostnames.as_ref().is_none_or(|f| f.value),
            }),
        )
        .tagged(tag);
    }
    for (i, s) in m.subnets.iter().enumerate() {
        if let Some(e) = &s.existing {
            existing(
                p,
                subnet(m, SubnetId(i)),
                s.span,
                e,
                Known::id("subnet", &spec::SUBNET),
            );
            continue;
        }
        let (Some(cidr), Some(zone)) = (&s.cidr, &s.zone) else {
            continue;
        };
        // `eu-central-1b` is the Region's zone `b`.
        let zone = &zone.value;
        let suffix = zone.strip_prefix(m.stack.region.as_str()).unwrap_or(zone);
        let tag = p.name_tag(&s.name.name);
        p.add(
            subnet(m, SubnetId(i)),
            s.span,
            Body::from(body::Subnet {
                vpc: vpc(m, s.vpc).attr(Attr::Id),
                cidr: cidr.value.canonical().to_string(),
                zone: Text(vec![Part::Region]).push(suffix),
            }),
        )
        .tagged(tag);
    }
    for (i, g) in m.internet_gateways.iter().enumerate() {
        let id = igw(m, IgwId(i));
        let span = m[g.vpc].span;
        let tag = p.name_tag(&m[g.vpc].name.name);
        p.add(
            id.clone(),
            span,
            Body::from(body::InternetGateway {
                vpc: vpc(m, g.vpc).attr(Attr::Id),
            }),
        )
        .tagged(tag);
        p.add(
            id.sibling(Kind::GatewayAttachment),
            span,
            Body::from(body::GatewayAttachment {
                vpc: vpc(m, g.vpc).attr(Attr::Id),
                gateway: id.attr(Attr::Id),
            }),
        )
        .within(id);
    }
    for (i, n) in m.nat_gateways.iter().enumerate() {
        if !n.enabled {
            continue;
        }
        let eip = nat(m, NatId(i)).sibling(Kind::Eip);
        let tag = p.name_tag(&n.name.name);
        let wait = internet_attachment(m, m[n.subnet.value].vpc);
        let r = p
            .add(eip.clone(), n.span, Body::from(body::Eip {}))
            .tagged(tag.clone());
        if let Some(dep) = wait {
            r.after(dep);
        }
        p.add(
            nat(m, NatId(i)),
            n.span,
            Body::from(body::NatGateway {
                allocation: eip.attr(Attr::AllocationId),
                subnet: subnet(m, n.subnet.value).attr(Attr::Id),
            }),
        )
        .tagged(tag);
    }
    for (i, rt) in m.route_tables.iter().enumerate() {
        route_table_and_routes(m, p, RouteTableId(i), rt);
    }
    for (i, g) in m.security_groups.iter().enumerate() {
        security_group(m, p, SgId(i), g);
    }
    for (i, e) in m.endpoints.iter().enumerate() {
        let placement = match e.kind {
            EndpointKind::Gateway => EndpointPlacement::Gateway {
                route_tables: e
                    .route_tables
                    .iter()
                    .map(|t| route_table(m, *t).attr(Attr::Id))
                    .collect(),
            },
            EndpointKind::Interface => EndpointPlacement::Interface {
                subnets: subnets(m, &e.subnets.value),
                security_groups: groups(m, &e.security_groups.value),
                private_dns: e.private_dns.value,
            },
        };
        let tag = p.name_tag(&e.name.name);
        p.add(
            endpoint(m, model::EndpointId(i)),
            e.span,
            Body::from(body::VpcEndpoint {
                vpc: vpc(m, e.vpc.value).attr(Attr::Id),
                service: e.service.value.clone(),
                service_name: Text::lit("com.amazonaws.")
                    .part(Part::Region)
                    .push(format!(".{}", e.service.value)),
                placement,
            }),
        )
        .tagged(tag);
    }
}

fn route_table_and_routes(m: &Cx<'_>, p: &mut Plan, id: RouteTableId, rt: &model::RouteTable) {
    let table = route_table(m, id);
    let span = m[rt.vpc].span;
    let tag = p.name_tag(&rt.name);
    p.add(
        table.clone(),
        span,
        Body::from(body::RouteTable {
            vpc: vpc(m, rt.vpc).attr(Attr::Id),
        }),
    )
    .tagged(tag);
    let route = table.sibling(Kind::Route);
    match &rt.default_route {
        Some(DefaultRoute::Internet(g)) => {
            let wait = internet_attachment(m, rt.vpc);
            let r = p.add(
                route,
                span,
                Body::from(body::Route {
                    table: table.attr(Attr::Id),
                    destination: "0.0.0.0/0".into(),
                    via: RouteVia::Gateway(igw(m, *g).attr(Attr::Id)),
                }),
            );
            if let Some(dep) = wait {
                r.after(dep);
            }
        }
        Some(DefaultRoute::Nat(n)) => {
            p.add(
                route,
                span,
                Body::from(body::Route {
                    table: table.attr(Attr::Id),
                    destination: "0.0.0.0/0".into(),
                    via: RouteVia::Nat(nat(m, *n).attr(Attr::Id)),
                }),
            );
        }
        None => {}
    }
    for s in &rt.subnets {
        p.add(
            subnet(m, *s).sibling(Kind::RouteTableAssociation),
            m[*s].span,
            Body::from(body::RouteTableAssociation {
                subnet: subnet(m, *s).attr(Attr::Id),
                table: table.attr(Attr::Id),
            }),
        );
    }
}

/// The group, then one resource per rule; a group that declares no egress
/// keeps AWS's allow-all egress, explicitly.
fn security_group(m: &Cx<'_>, p: &mut Plan, id: SgId, g: &model::SecurityGroup) {
    let group = sg(m, id);
    match &g.existing {
        Some(e) => existing(
            p,
            group.clone(),
            g.span,
            e,
            Known::id("security group", &spec::SECURITY_GROUP),
        ),
        None => {
            let tag = p.name_tag(&g.name.name);
            p.add(
                group.clone(),
                g.span,
                Body::from(body::SecurityGroup {
                    description: g.description.clone(),
                    vpc: vpc(m, g.vpc.value).attr(Attr::Id),
                }),
            )
            .tagged(tag);
        }
    }
    for (kind, egress, rules) in [
        (Kind::SecurityGroupIngress, false, &g.ingress),
        (Kind::SecurityGroupEgress, true, &g.egress),
    ] {
        for (n, r) in rules.iter().enumerate() {
            let index = u32::try_from(n + 1).unwrap_or(u32::MAX);
            p.add(
                ResId {
                    index: Some(index),
                    ..group.sibling(kind)
                },
                r.span,
                rule(m, &group, r, egress),
            )
            .within(group.clone());
        }
    }
    // An existing group keeps the egress it has.
    if g.egress.is_empty() && g.existing.is_none() {
        p.add(
            group.sibling(Kind::DefaultEgress),
            g.span,
            Body::from(body::SgRule {
                group: group.attr(Attr::Id),
                protocol: "-1",
                ports: None,
                peer: Peer::Cidr("0.0.0.0/0".into()),
                description: "All outbound traffic".into(),
            }),
        )
        .within(group);
    }
}

fn rule(m: &Cx<'_>, group: &ResId, r: &SgRule, egress: bool) -> Body {
    let peer = match &r.peer.value {
        model::Peer::Cidr(c) => Peer::Cidr(c.canonical().to_string()),
        model::Peer::Group(other) => Peer::Group(sg(m, *other).attr(Attr::Id)),
        model::Peer::PrefixList(e) => Peer::PrefixList(endpoint(m, *e).attr(Attr::PrefixListId)),
    };
    Body::from(body::SgRule {
        group: group.attr(Attr::Id),
        protocol: r.protocol.value.ip_protocol(),
        ports: r.port_range(),
        peer,
        description: r.description(m, egress),
    })
}
