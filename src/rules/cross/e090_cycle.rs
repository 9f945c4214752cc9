//! E090: the stack's dependencies form no cycle.
//!
//! Two graphs are checked: the plan's resources (exactly what the templates
//! say, see [`crate::graph`]) and, per task, its containers' `depends_on`.

use crate::diagnostic::{Diagnostic, Diagnostics, Severity};
use crate::rules::{Check, Context, Rule};
use crate::source::Span;
use petgraph::graph::DiGraph;

pub const RULE: Rule = Rule {
    code: "E090",
    name: "dependency-cycle",
    severity: Severity::Error,
    summary: "Nothing depends on itself, directly or through others",
    why: "CloudFormation refuses a template with \"Circular dependency between resources\", and \
          ECS refuses containers whose `dependsOn` chain loops. Security groups that allow each \
          other are not a cycle: ecsc emits such rules as separate resources.",
    bad: r#"stack demo { region = "eu-west-1" }
task web {
  cpu = 256  memory = 512
  container proxy { image = "envoy:1.31"  depends_on app healthy }
  container app   { image = "nginx:1.27"  depends_on proxy start }
}"#,
    flagged: "proxy { image",
    good: r#"stack demo { region = "eu-west-1" }
task web {
  cpu = 256  memory = 512
  container proxy { image = "envoy:1.31"  depends_on app start }
  container app   { image = "nginx:1.27" }
}"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    for cycle in cx.graph.cycles() {
        let members: Vec<(String, Span)> = cycle
            .iter()
            .filter_map(|i| cx.plan.resources.get(*i))
            .map(|r| (format!("`{}`", crate::graph::describe(&r.id)), r.span))
            .collect();
        report(&members, out);
    }
    for task in &cx.model.tasks {
        if task.containers.iter().all(|c| c.depends_on.is_empty()) {
            continue;
        }
        let mut g = DiGraph::<usize, ()>::new();
        let nodes: Vec<_> = (0..task.containers.len()).map(|i| g.add_node(i)).collect();
        for (i, c) in task.containers.iter().enumerate() {
            for d in &c.depends_on {
                if let Some(&to) = nodes.get(d.container.value) {
                    g.update_edge(nodes[i], to, ());
                }
            }
        }
        for scc in petgraph::algo::tarjan_scc(&g) {
            let looped = scc.len() > 1 || scc.first().is_some_and(|n| g.contains_edge(*n, *n));
            if !looped {
                continue;
            }
            let mut members: Vec<usize> = scc.iter().map(|n| g[*n]).collect();
            members.sort_unstable();
            let members: Vec<(String, Span)> = members
                .iter()
                .filter_map(|i| task.containers.get(*i))
                .map(|c| (format!("container `{}`", c.name.name), c.name.span))
                .collect();
            report(&members, out);
        }
    }
}

/// One diagnostic naming every member of a cycle, at the first.
fn report(members: &[(String, Span)], out: &mut Diagnostics) {
    let Some((first, span)) = members.first() else {
        return;
    };
    let names: Vec<&str> = members.iter().map(|(n, _)| n.as_str()).collect();
    let mut d = Diagnostic::error(
        RULE.code,
        *span,
        format!("dependency cycle: {} → {first}", names.join(" → ")),
    )
    .label("part of the cycle")
    .help("remove one of the dependencies so that the chain has a start");
    for (name, span) in &members[1..] {
        d = d.with(*span, format!("{name} is in the cycle"));
    }
    out.push(d);
}
