//! Load balancing rules (E02x/W02x).

use super::Rule;

mod e020_alb_zones;
mod e021_lb_name;
mod e022_target_group_name;
mod e023_target_health_check;
mod e024_load_balancer_type;
mod e025_https_certificate;
mod e026_listener_rule;
mod e027_protocol_version;
mod e029_weighted_routes;
mod w020_alb_quotas;
mod w021_unreachable_rule;
mod w022_network_access_logs;

pub const RULES: &[&Rule] = &[
    &e020_alb_zones::RULE,
    &w020_alb_quotas::RULE,
    &e021_lb_name::RULE,
    &e022_target_group_name::RULE,
    &e023_target_health_check::RULE,
    &e024_load_balancer_type::RULE,
    &e025_https_certificate::RULE,
    &e026_listener_rule::RULE,
    &e027_protocol_version::RULE,
    &e029_weighted_routes::RULE,
    &w021_unreachable_rule::RULE,
    &w022_network_access_logs::RULE,
];
