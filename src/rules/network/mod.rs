//! Networking rules (E01x/W01x).

use super::Rule;

mod e010_vpc_cidr;
mod e011_subnet_cidr;
mod e014_awsvpc_placement;
mod e015_sg_rule_ports;
mod e016_endpoint_kind;
mod e017_endpoint_private_dns;
mod e018_task_egress;
mod e019_gateway_placement;
mod w010_subnet_capacity;
mod w013_cidr_host_bits;
mod w014_sg_all_with_ports;

pub const RULES: &[&Rule] = &[
    &e010_vpc_cidr::RULE,
    &w010_subnet_capacity::RULE,
    &e011_subnet_cidr::RULE,
    &w013_cidr_host_bits::RULE,
    &e014_awsvpc_placement::RULE,
    &w014_sg_all_with_ports::RULE,
    &e015_sg_rule_ports::RULE,
    &e016_endpoint_kind::RULE,
    &e017_endpoint_private_dns::RULE,
    &e018_task_egress::RULE,
    &e019_gateway_placement::RULE,
];
