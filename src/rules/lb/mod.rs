//! Load balancing rules (E02x/W02x).

use super::Rule;

mod e020_alb_zones;

pub const RULES: &[&Rule] = &[&e020_alb_zones::RULE];
