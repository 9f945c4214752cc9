//! Cross-cutting rules (E09x/W09x).

use super::Rule;

mod e090_cycle;
mod w090_unused;

pub const RULES: &[&Rule] = &[&e090_cycle::RULE, &w090_unused::RULE];
