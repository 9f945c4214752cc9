//! `ecsc check`: report problems in sources; writes nothing.

use super::{files, parse_set, print_diagnostics, usage_error, CheckFormat};
use crate::report::machine;
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// `.ecs` files, or directories whose `.ecs` files form one stack.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Override a param: `--set env=prod` (repeatable).
    #[arg(long = "set", value_name = "NAME=VALUE", value_parser = parse_set)]
    set: Vec<(String, String)>,
    /// How to print diagnostics: `human` (stderr), `short`, `json` or `sarif` (stdout).
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    format: CheckFormat,
    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    deny_warnings: bool,
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
    let failed = compiled.diagnostics.has_errors()
        || (a.deny_warnings && compiled.diagnostics.warning_count() > 0);
    match a.format {
        CheckFormat::Human | CheckFormat::Short => {
            print_diagnostics(compiled.diagnostics, &sources, a.format);
        }
        CheckFormat::Json | CheckFormat::Sarif => {
            let sorted = compiled.diagnostics.into_sorted();
            let text = if a.format == CheckFormat::Json {
                machine::json(&sorted, &sources)
            } else {
                machine::sarif(&sorted, &sources)
            };
            let _ = std::io::stdout().lock().write_all(text.as_bytes());
        }
    }
    i32::from(failed)
}
