//! Networking rules (E01x/W01x).

use super::Rule;

mod e010_vpc_cidr;

pub const RULES: &[&Rule] = &[&e010_vpc_cidr::RULE];
