//! Emitters: translate a validated [`crate::model::Model`] into a target
//! format. They derive nothing and check nothing; that happened before.

pub mod cloudformation;
pub mod terraform;
