//! `ecsc graph`: the dependency graph, as Graphviz DOT or Mermaid.

use super::{files, parse_set, print_diagnostics, usage_error, CheckFormat};
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct GraphArgs {
    /// `.ecs` files, or directories whose `.ecs` files form one stack.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Compile this `environment` of the stack (its param values; its name
    /// in every physical name).
    #[arg(long, value_name = "NAME")]
    env: Option<String>,
    /// Override a param: `--set replicas=4` (repeatable; after `--env`).
    #[arg(long = "set", value_name = "NAME=VALUE", value_parser = parse_set)]
    set: Vec<(String, String)>,
    /// `dot` (Graphviz) or `mermaid`.
    #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
    format: GraphFormat,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum GraphFormat {
    Dot,
    Mermaid,
}

pub fn run(a: GraphArgs) -> i32 {
    let sources = match files::load(&a.paths) {
        Ok(s) => s,
        Err(e) => return usage_error(e),
    };
    let compiled = match crate::compile_env(&sources, a.env.as_deref(), &a.set) {
        Ok(c) => c,
        Err(e) => return usage_error(e),
    };
    let plan = compiled.plan;
    if print_diagnostics(compiled.diagnostics, &sources, CheckFormat::Human) {
        return 1;
    }
    let Some(plan) = plan else { return 1 };
    let graph = crate::graph::Graph::build(&plan);
    let text = crate::graph::render(&plan, &graph, a.format == GraphFormat::Mermaid);
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    0
}
