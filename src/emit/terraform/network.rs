//! VPCs, subnets, gateways, route tables, security groups (with one rule
//! resource per rule) and VPC endpoints.

use super::{name_tag, names, reference, Configuration, Obj, Val};
use crate::model::*;

pub fn emit(m: &Model, c: &mut Configuration) {
    for (i, v) in m.vpcs.iter().enumerate() {
        c.add(
            "aws_vpc",
            names::vpc(m, VpcId(i)),
            Obj::new()
                .set("cidr_block", v.cidr.value.canonical().to_string())
                .set("enable_dns_support", v.dns_support.value)
                .set("enable_dns_hostnames", v.dns_hostnames.value)
                .set("tags", name_tag(m, &v.name.name)),
        );
    }
    for (i, s) in m.subnets.iter().enumerate() {
        c.add(
            "aws_subnet",
            names::subnet(m, SubnetId(i)),
            Obj::new()
                .set("vpc_id", reference("aws_vpc", &names::vpc(m, s.vpc), "id"))
                .set("cidr_block", s.cidr.value.canonical().to_string())
                .set("availability_zone", s.zone.value.as_str())
                .set("tags", name_tag(m, &s.name.name)),
        );
    }
    for (i, igw) in m.internet_gateways.iter().enumerate() {
        // With `vpc_id`, the gateway is attached when created: there is no
        // separate attachment resource.
        c.add(
            "aws_internet_gateway",
            names::igw(m, IgwId(i)),
            Obj::new()
                .set(
                    "vpc_id",
                    reference("aws_vpc", &names::vpc(m, igw.vpc), "id"),
                )
                .set("tags", name_tag(m, &m[igw.vpc].name.name)),
        );
    }
    let igw_of = |vpc: VpcId| -> Option<String> {
        m.internet_gateways
            .iter()
            .position(|g| g.vpc == vpc)
            .map(|i| format!("aws_internet_gateway.{}", names::igw(m, IgwId(i))))
    };
    for (i, n) in m.nat_gateways.iter().enumerate() {
        let nat = NatId(i);
        let vpc = m[n.subnet.value].vpc;
        let eip = c.add(
            "aws_eip",
            names::nat(m, nat),
            Obj::new()
                .set("domain", "vpc")
                .set("tags", name_tag(m, &n.name.name)),
        );
        eip.depends_on.extend(igw_of(vpc));
        c.add(
            "aws_nat_gateway",
            names::nat(m, nat),
            Obj::new()
                .set(
                    "allocation_id",
                    reference("aws_eip", &names::nat(m, nat), "id"),
                )
                .set(
                    "subnet_id",
                    reference("aws_subnet", &names::subnet(m, n.subnet.value), "id"),
                )
                .set("tags", name_tag(m, &n.name.name)),
        );
    }
    for (i, rt) in m.route_tables.iter().enumerate() {
        let table = RouteTableId(i);
        let name = names::route_table(m, table);
        let table_id = reference("aws_route_table", &name, "id");
        c.add(
            "aws_route_table",
            name.clone(),
            Obj::new()
                .set("vpc_id", reference("aws_vpc", &names::vpc(m, rt.vpc), "id"))
                .set("tags", name_tag(m, &rt.name)),
        );
        let route = Obj::new()
            .set("route_table_id", table_id.clone())
            .set("destination_cidr_block", "0.0.0.0/0");
        match &rt.default_route {
            Some(DefaultRoute::Internet(igw)) => {
                let r = c.add(
                    "aws_route",
                    names::default_route(m, table),
                    route.set(
                        "gateway_id",
                        reference("aws_internet_gateway", &names::igw(m, *igw), "id"),
                    ),
                );
                r.depends_on
                    .push(format!("aws_internet_gateway.{}", names::igw(m, *igw)));
            }
            Some(DefaultRoute::Nat(nat)) => {
                c.add(
                    "aws_route",
                    names::default_route(m, table),
                    route.set(
                        "nat_gateway_id",
                        reference("aws_nat_gateway", &names::nat(m, *nat), "id"),
                    ),
                );
            }
            None => {}
        }
        for s in &rt.subnets {
            c.add(
                "aws_route_table_association",
                names::association(m, *s),
                Obj::new()
                    .set(
                        "subnet_id",
                        reference("aws_subnet", &names::subnet(m, *s), "id"),
                    )
                    .set("route_table_id", table_id.clone()),
            );
        }
    }
    for (i, g) in m.security_groups.iter().enumerate() {
        security_group(m, c, SgId(i), g);
    }
    for (i, e) in m.endpoints.iter().enumerate() {
        let mut body = Obj::new()
            .set(
                "vpc_id",
                reference("aws_vpc", &names::vpc(m, e.vpc.value), "id"),
            )
            .set(
                "service_name",
                format!("com.amazonaws.{}.{}", m.stack.region, e.service.value),
            );
        body = match e.kind {
            EndpointKind::Gateway => body.set("vpc_endpoint_type", "Gateway").list(
                "route_table_ids",
                e.route_tables
                    .iter()
                    .map(|r| reference("aws_route_table", &names::route_table(m, *r), "id"))
                    .collect(),
            ),
            EndpointKind::Interface => body
                .set("vpc_endpoint_type", "Interface")
                .list(
                    "subnet_ids",
                    e.subnets
                        .value
                        .iter()
                        .map(|s| reference("aws_subnet", &names::subnet(m, *s), "id"))
                        .collect(),
                )
                .list(
                    "security_group_ids",
                    e.security_groups
                        .value
                        .iter()
                        .map(|s| reference("aws_security_group", &names::sg(m, *s), "id"))
                        .collect(),
                )
                .set("private_dns_enabled", e.private_dns.value),
        };
        c.add(
            "aws_vpc_endpoint",
            names::endpoint(m, EndpointId(i)),
            body.set("tags", name_tag(m, &e.name.name)),
        );
    }
}

/// The group itself carries no rules: every rule is an
/// `aws_vpc_security_group_{ingress,egress}_rule`. Terraform removes the
/// allow-all egress AWS creates with a group, so a group that declares no
/// egress gets it back explicitly (as CloudFormation keeps it).
fn security_group(m: &Model, c: &mut Configuration, id: SgId, g: &SecurityGroup) {
    let name = names::sg(m, id);
    let group_id = reference("aws_security_group", &name, "id");
    c.add(
        "aws_security_group",
        name.clone(),
        Obj::new()
            .set("description", g.description.as_str())
            .set(
                "vpc_id",
                reference("aws_vpc", &names::vpc(m, g.vpc.value), "id"),
            )
            .set("tags", name_tag(m, &g.name.name)),
    );
    for (egress, rules) in [(false, &g.ingress), (true, &g.egress)] {
        let kind = if egress {
            "aws_vpc_security_group_egress_rule"
        } else {
            "aws_vpc_security_group_ingress_rule"
        };
        for (n, r) in rules.iter().enumerate() {
            let body = rule_base(group_id.clone(), r);
            let body = match &r.peer.value {
                Peer::Cidr(cidr) => body.set("cidr_ipv4", cidr.canonical().to_string()),
                Peer::Group(other) => body.set(
                    "referenced_security_group_id",
                    reference("aws_security_group", &names::sg(m, *other), "id"),
                ),
                Peer::PrefixList(e) => body.set(
                    "prefix_list_id",
                    reference(
                        "aws_vpc_endpoint",
                        &names::endpoint(m, *e),
                        "prefix_list_id",
                    ),
                ),
            };
            c.add(
                kind,
                names::sg_rule(m, id, egress, n),
                body.set("description", r.description(m, egress)),
            );
        }
    }
    if g.egress.is_empty() {
        c.add(
            "aws_vpc_security_group_egress_rule",
            names::sg_default_egress(m, id),
            Obj::new()
                .set("security_group_id", group_id)
                .set("ip_protocol", "-1")
                .set("cidr_ipv4", "0.0.0.0/0")
                .set("description", "All outbound traffic"),
        );
    }
}

/// Protocol and ports: none for `all` (AWS rejects ports with `-1`), -1/-1
/// for ICMP without ports, the full range for TCP/UDP without ports.
fn rule_base(group_id: Val, r: &SgRule) -> Obj {
    let o = Obj::new()
        .set("security_group_id", group_id)
        .set("ip_protocol", r.protocol.value.ip_protocol());
    match r.port_range() {
        Some((from, to)) => o
            .set("from_port", Val::Int(from))
            .set("to_port", Val::Int(to)),
        None => o,
    }
}
