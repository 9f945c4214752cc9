//! Cross-cutting rules (E09x/W09x).

use super::Rule;

mod e090_cycle;
mod e091_outputs;
mod w090_unused;
mod w092_tags;

pub const RULES: &[&Rule] = &[
    &e090_cycle::RULE,
    &e091_outputs::RULE,
    &w090_unused::RULE,
    &w092_tags::RULE,
];
