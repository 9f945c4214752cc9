//! Cross-cutting rules (E09x/W09x).

use super::Rule;

mod e090_cycle;
mod e091_outputs;
mod e092_existing_attribute;
mod e093_input_names;
mod e094_region_zones;
mod e095_template_limits;
mod e096_physical_names;
mod e097_same_vpc_peers;
mod e098_unique_identities;
mod e099_tags;
mod w090_unused;

pub const RULES: &[&Rule] = &[
    &e090_cycle::RULE,
    &e091_outputs::RULE,
    &e092_existing_attribute::RULE,
    &e093_input_names::RULE,
    &e094_region_zones::RULE,
    &e095_template_limits::RULE,
    &e096_physical_names::RULE,
    &e097_same_vpc_peers::RULE,
    &e098_unique_identities::RULE,
    &e099_tags::RULE,
    &w090_unused::RULE,
];
