//! Service and scheduled task rules (E05x–E06x/W05x).

use super::Rule;

mod e053_route_target;

pub const RULES: &[&Rule] = &[&e053_route_target::RULE];
