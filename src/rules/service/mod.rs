//! Service and scheduled task rules (E05x–E06x/W05x), and the EC2
//! capacity they run on (W08x).

use super::Rule;

mod e050_network_configuration;
mod e051_launch_type;
mod e052_capacity_strategy;
mod e053_route_target;
mod e054_placement;
mod e055_daemon;
mod e056_public_ip_fargate;
mod e057_platform_version;
mod e059_service_counts;
mod e060_discovery;
mod e061_autoscale;
mod e062_schedule;
mod e082_host_ports;
mod e083_awsvpc_zones;
mod e084_task_fits_instance;
mod e085_awsvpc_density;
mod e086_instance_arch;
mod w050_deployment_progress;
mod w051_grace_period_without_lb;
mod w052_spot_single_task;
mod w080_instance_capacity;

pub const RULES: &[&Rule] = &[
    &e050_network_configuration::RULE,
    &e051_launch_type::RULE,
    &e052_capacity_strategy::RULE,
    &e053_route_target::RULE,
    &e054_placement::RULE,
    &e055_daemon::RULE,
    &e056_public_ip_fargate::RULE,
    &e057_platform_version::RULE,
    &e059_service_counts::RULE,
    &e060_discovery::RULE,
    &e061_autoscale::RULE,
    &e062_schedule::RULE,
    &w050_deployment_progress::RULE,
    &w051_grace_period_without_lb::RULE,
    &w052_spot_single_task::RULE,
    &e082_host_ports::RULE,
    &e083_awsvpc_zones::RULE,
    &e084_task_fits_instance::RULE,
    &e085_awsvpc_density::RULE,
    &e086_instance_arch::RULE,
    &w080_instance_capacity::RULE,
];
