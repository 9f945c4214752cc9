//! `ecsc show`: the effective stack after `--env` and `--set`: its name,
//! the params in effect, each service's size, and every resource ecsc will
//! create.

use super::StackArgs;
use std::fmt::Write as _;
use std::io::Write;

#[derive(clap::Args, Debug)]
pub struct ShowArgs {
    #[command(flatten)]
    stack: StackArgs,
}

pub fn run(a: ShowArgs) -> i32 {
    let (m, plan, environments) = match a.stack.compile(false) {
        Ok(c) => (c.model, c.plan, c.environments),
        Err(code) => return code,
    };
    let text = render(&m, &plan, &environments);
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    0
}

fn render(m: &crate::model::Model, plan: &crate::plan::Plan, envs: &[String]) -> String {
    let mut out = String::new();
    let env = m.stack.environment.as_ref().map_or_else(String::new, |e| {
        let stopped = if m.stack.stopped { ", stopped" } else { "" };
        format!(", environment {e}{stopped}")
    });
    let _ = writeln!(
        out,
        "stack {} (Region {}{env})",
        m.stack.name, m.stack.region
    );
    if !envs.is_empty() {
        let _ = writeln!(out, "environments: {}", envs.join(", "));
    }
    if !m.params.is_empty() {
        let _ = writeln!(out, "\nparams:");
        for (name, value) in &m.params {
            let _ = writeln!(out, "  {name} = {value}");
        }
    }
    if !m.services.is_empty() {
        let _ = writeln!(out, "\nservices:");
        for s in &m.services {
            let t = &m[s.placement.task.value];
            let size = match (&t.cpu, &t.memory) {
                (Some(c), Some(mem)) => format!(", {} CPU units / {} MiB", c.value, mem.value),
                _ => String::new(),
            };
            let scaling = s.autoscale.as_ref().map_or_else(String::new, |a| {
                format!(", scales {}–{}", a.min.value, a.max.value)
            });
            let _ = writeln!(
                out,
                "  {}: {} × task {}{size}{scaling}",
                s.name.name, s.desired.value, t.name.name
            );
        }
    }
    let _ = writeln!(out, "\nresources ({}):", plan.resources.len());
    let mut ids: Vec<String> = plan
        .resources
        .iter()
        .map(crate::graph::describe_resource)
        .collect();
    ids.sort();
    for id in ids {
        let _ = writeln!(out, "  {id}");
    }
    out
}
