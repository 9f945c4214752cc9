//! Syntax: the `.ecs` text turned into a typed tree.
//!
//! [`parse`] is the only entry point; pest types never leave
//! [`parser`]. The tree keeps a span on every node and says nothing about
//! meaning: which attributes a block may hold is decided in `lower`.

pub mod ast;
pub mod format;
mod parser;

pub use parser::{parse, parse_value};
