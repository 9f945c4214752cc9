//! ECR repository and image rules (E045–E049, W045–W049).

use super::Rule;

mod e045_repository_name;
mod e046_image_reference;
mod e047_repository_encryption;
mod w045_latest_immutable;

pub const RULES: &[&Rule] = &[
    &e045_repository_name::RULE,
    &w045_latest_immutable::RULE,
    &e046_image_reference::RULE,
    &e047_repository_encryption::RULE,
];
