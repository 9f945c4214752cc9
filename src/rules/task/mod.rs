//! Task definition rules (E03x/W03x).

use super::Rule;

mod e030_fargate_cpu_memory;
mod e031_fargate_task_size;
mod e032_fargate_unsupported;
mod e033_container_dependency;
mod e034_port_mappings;
mod e035_container_set;
mod e036_container_memory;
mod e037_container_cpu;
mod e038_container_health_check;
mod e039_health_check_command;
mod e040_ephemeral_storage;
mod e043_runtime_platform;
mod e044_windows_container;
mod e048_efs_volume;
mod w031_command_as_string;
mod w032_health_check_form;
mod w033_exec_requirements;
mod w034_exec_reachability;
mod w035_efs_iam_without_role;

pub const RULES: &[&Rule] = &[
    &e030_fargate_cpu_memory::RULE,
    &e031_fargate_task_size::RULE,
    &e032_fargate_unsupported::RULE,
    &e033_container_dependency::RULE,
    &e034_port_mappings::RULE,
    &e035_container_set::RULE,
    &e036_container_memory::RULE,
    &e037_container_cpu::RULE,
    &e038_container_health_check::RULE,
    &e039_health_check_command::RULE,
    &e040_ephemeral_storage::RULE,
    &e043_runtime_platform::RULE,
    &e044_windows_container::RULE,
    &e048_efs_volume::RULE,
    &w031_command_as_string::RULE,
    &w032_health_check_form::RULE,
    &w033_exec_requirements::RULE,
    &w034_exec_reachability::RULE,
    &w035_efs_iam_without_role::RULE,
];
