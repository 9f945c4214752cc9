//! IAM and secrets rules (E07x/W07x).

use super::Rule;

mod e072_secret_reference;
mod w071_plaintext_secret;

pub const RULES: &[&Rule] = &[&e072_secret_reference::RULE, &w071_plaintext_secret::RULE];
