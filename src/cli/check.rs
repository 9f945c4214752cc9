//! `ecsc check`: report problems in sources; writes nothing.

use super::{files, parse_set, print_diagnostics, usage_error, CheckFormat};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// `.ecs` files, or directories whose `.ecs` files form one stack.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Override a param: `--set env=prod` (repeatable).
    #[arg(long = "set", value_name = "NAME=VALUE", value_parser = parse_set)]
    set: Vec<(String, String)>,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    format: CheckFormat,
}

pub fn run(a: CheckArgs) -> i32 {
    let sources = match files::load(&a.paths) {
        Ok(s) => s,
        Err(e) => return usage_error(e),
    };
    let compiled = match crate::compile(&sources, &a.set) {
        Ok(c) => c,
        Err(e) => return usage_error(e),
    };
    i32::from(print_diagnostics(compiled.diagnostics, &sources, a.format))
}
