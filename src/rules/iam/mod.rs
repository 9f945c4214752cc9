//! IAM and secrets rules (E07x/W07x).

use super::Rule;

mod e072_secret_reference;
mod e073_existing_role;
mod w071_plaintext_secret;
mod w072_secret_name_suffix;

pub const RULES: &[&Rule] = &[
    &e072_secret_reference::RULE,
    &e073_existing_role::RULE,
    &w071_plaintext_secret::RULE,
    &w072_secret_name_suffix::RULE,
];
