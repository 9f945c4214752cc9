//! `ecsc build`: compile sources into a template, written atomically.

use super::{files, parse_set, print_diagnostics, usage_error, CheckFormat, Format};
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct BuildArgs {
    /// `.ecs` files, or directories whose `.ecs` files form one stack.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// Write here (atomically) instead of standard output.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Override a param: `--set env=prod` (repeatable).
    #[arg(long = "set", value_name = "NAME=VALUE", value_parser = parse_set)]
    set: Vec<(String, String)>,
}

pub fn run(a: BuildArgs) -> i32 {
    let sources = match files::load(&a.paths) {
        Ok(s) => s,
        Err(e) => return usage_error(e),
    };
    let compiled = match crate::compile(&sources, &a.set) {
        Ok(c) => c,
        Err(e) => return usage_error(e),
    };
    let model = compiled.model;
    if print_diagnostics(compiled.diagnostics, &sources, CheckFormat::Human) {
        return 1;
    }
    let Some(model) = model else { return 1 };
    let template = crate::emit::cloudformation::template(&model);
    let text = match a.format {
        Format::Json => template.to_json(),
        Format::Yaml => template.to_yaml(),
    };
    match &a.output {
        Some(path) => match files::write_atomically(path, text.as_bytes()) {
            Ok(()) => 0,
            Err(e) => usage_error(format!("cannot write {}: {e}", path.display())),
        },
        None => {
            let mut out = std::io::stdout().lock();
            match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
                Ok(()) => 0,
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
                Err(e) => usage_error(format!("cannot write to standard output: {e}")),
            }
        }
    }
}

