//! `ecsc graph`: the dependency graph, as Graphviz DOT or Mermaid.

use super::StackArgs;
use std::io::Write;

#[derive(clap::Args, Debug)]
pub struct GraphArgs {
    #[command(flatten)]
    stack: StackArgs,
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
    let plan = match a.stack.compile(false) {
        Ok(c) => c.plan,
        Err(code) => return code,
    };
    let graph = crate::graph::Graph::build(&plan);
    let text = crate::graph::render(&plan, &graph, a.format == GraphFormat::Mermaid);
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    0
}
