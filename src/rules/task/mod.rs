//! Task definition rules (E03x/W03x).

use super::Rule;

mod e030_fargate_cpu_memory;

pub const RULES: &[&Rule] = &[&e030_fargate_cpu_memory::RULE];
