//! Networking rules (E01x/W01x).

use super::Rule;

mod e010_vpc_cidr;
mod e018_task_egress;

pub const RULES: &[&Rule] = &[&e010_vpc_cidr::RULE, &e018_task_egress::RULE];
