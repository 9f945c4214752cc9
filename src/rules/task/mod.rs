//! Task definition rules (E03x/W03x).

use super::Rule;

mod e030_fargate_cpu_memory;
mod e031_fargate_task_size;
mod e032_fargate_unsupported;
mod e034_port_mappings;
mod e035_container_set;
mod e036_container_memory;
mod e037_container_cpu;
mod e038_container_health_check;
mod e040_ephemeral_storage;
mod w031_command_as_string;

pub const RULES: &[&Rule] = &[
    &e030_fargate_cpu_memory::RULE,
    &e031_fargate_task_size::RULE,
    &e032_fargate_unsupported::RULE,
    &e034_port_mappings::RULE,
    &e035_container_set::RULE,
    &e036_container_memory::RULE,
    &e037_container_cpu::RULE,
    &e038_container_health_check::RULE,
    &e040_ephemeral_storage::RULE,
    &w031_command_as_string::RULE,
];
