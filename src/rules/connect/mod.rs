//! ECS Service Connect rules (E063–E069): endpoints that name ports the
//! task has, tasks the proxy can join, names clients call that some
//! service serves, and namespaces of the right type.

use super::Rule;

mod e063_port_name;
mod e064_connect_task;
mod e065_calls;
mod e066_unique_endpoints;
mod e067_timeout;
mod e068_task_memory;
mod e069_dns_namespace;

pub const RULES: &[&Rule] = &[
    &e063_port_name::RULE,
    &e064_connect_task::RULE,
    &e065_calls::RULE,
    &e066_unique_endpoints::RULE,
    &e067_timeout::RULE,
    &e068_task_memory::RULE,
    &e069_dns_namespace::RULE,
];
