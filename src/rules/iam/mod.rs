//! IAM and secrets rules (E07x/W07x).

use super::Rule;

pub const RULES: &[&Rule] = &[];
