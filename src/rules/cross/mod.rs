//! Cross-cutting rules (E09x/W09x).

use super::Rule;

mod e090_cycle;
mod e091_outputs;
mod e092_existing_attribute;
mod e093_input_names;
mod e094_region_zones;
mod e095_template_limits;
mod e096_physical_names;
mod w090_unused;
mod w092_tags;

pub const RULES: &[&Rule] = &[
    &e090_cycle::RULE,
    &e091_outputs::RULE,
    &e092_existing_attribute::RULE,
    &e093_input_names::RULE,
    &e094_region_zones::RULE,
    &e095_template_limits::RULE,
    &e096_physical_names::RULE,
    &w090_unused::RULE,
    &w092_tags::RULE,
];
