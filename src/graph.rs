//! The dependency graph of a plan, built with petgraph.
//!
//! Nodes are the plan's resources; an edge `a → b` means `a` needs `b` to
//! exist first: `a` references `b` or explicitly depends on it. Because it
//! is built from the plan, it holds exactly what the templates will say.
//! Security group rules that reference another group are resources of their
//! own, which is what breaks the classic SG↔SG cycle. Rule E090 reports
//! cycles.

use crate::plan::{Body, IdMap, Plan, Refs, ResId, Resource};
use petgraph::graph::{DiGraph, NodeIndex};

pub struct Graph {
    /// Node weights are indices into the plan's resources.
    pub graph: DiGraph<usize, ()>,
}

impl Graph {
    pub fn build(plan: &Plan) -> Graph {
        let mut graph = DiGraph::with_capacity(plan.resources.len(), plan.resources.len() * 4);
        let mut index: IdMap<NodeIndex> = IdMap::default();
        index.reserve(plan.resources.len());
        for (i, r) in plan.resources.iter().enumerate() {
            index.insert(&r.id, graph.add_node(i));
        }
        let mut add = |from: NodeIndex, to: &ResId| {
            // A reference to something the plan does not hold is a
            // planning bug; the parity test checks there is none.
            // Parallel edges are harmless: cycles and orders ignore them,
            // and `render` drops them.
            if let Some(&to) = index.get(to) {
                graph.add_edge(from, to, ());
            }
        };
        for (i, r) in plan.resources.iter().enumerate() {
            let from = NodeIndex::new(i);
            r.body.visit(&mut |x| add(from, &x.to));
            for d in &r.depends_on {
                add(from, d);
            }
        }
        Graph { graph }
    }

    /// Groups of resources that depend on each other in a circle, each as
    /// plan indices in plan order.
    pub fn cycles(&self) -> Vec<Vec<usize>> {
        petgraph::algo::tarjan_scc(&self.graph)
            .into_iter()
            .filter(|scc| {
                scc.len() > 1
                    || scc
                        .first()
                        .is_some_and(|n| self.graph.contains_edge(*n, *n))
            })
            .map(|scc| {
                let mut nodes: Vec<usize> = scc.iter().map(|n| self.graph[*n]).collect();
                nodes.sort_unstable();
                nodes
            })
            .collect()
    }

    /// Every edge as plan indices `(needs, needed)`.
    pub fn edges(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.graph
            .edge_indices()
            .filter_map(|e| self.graph.edge_endpoints(e))
            .map(|(a, b)| (self.graph[a], self.graph[b]))
    }
}

/// A resource's name in messages and drawings: `target group web-api-443`.
pub fn describe(id: &ResId) -> String {
    let mut s = String::new();
    for c in format!("{:?}", id.kind).chars() {
        if c.is_ascii_uppercase() && !s.is_empty() {
            s.push(' ');
        }
        s.push(c.to_ascii_lowercase());
    }
    s.push(' ');
    s.push_str(&id.name);
    if let Some(i) = id.index {
        s.push_str(&format!(" #{i}"));
    }
    s
}

/// A resource as messages name it: ``load balancer `shared` ``,
/// ``listener `shared:443` ``.
pub fn describe_named(id: &ResId) -> String {
    let words = describe(&ResId {
        kind: id.kind,
        name: "".into(),
        index: None,
    });
    match id.index {
        Some(i) => format!("{}`{}:{i}`", words, id.name),
        None => format!("{}`{}`", words, id.name),
    }
}

/// A resource as people read it, marking one that exists already.
pub fn describe_resource(r: &Resource) -> String {
    let s = describe(&r.id);
    if matches!(r.body, Body::Existing(_)) {
        s + " (existing)"
    } else {
        s
    }
}

/// The graph as Graphviz DOT or Mermaid, nodes and edges sorted by
/// resource id for stable output.
pub fn render(plan: &Plan, g: &Graph, mermaid: bool) -> String {
    let mut order: Vec<usize> = (0..plan.resources.len()).collect();
    order.sort_by(|a, b| plan.resources[*a].id.cmp(&plan.resources[*b].id));
    let mut position = vec![0; plan.resources.len()];
    for (pos, i) in order.iter().enumerate() {
        position[*i] = pos;
    }
    let mut edges: Vec<(usize, usize)> =
        g.edges().map(|(a, b)| (position[a], position[b])).collect();
    edges.sort_unstable();
    edges.dedup();
    let label = |i: usize| describe_resource(&plan.resources[i]).replace('"', "'");
    let mut out = String::new();
    if mermaid {
        out.push_str("graph LR\n");
        for (pos, i) in order.iter().enumerate() {
            out.push_str(&format!("  n{pos}[\"{}\"]\n", label(*i)));
        }
        for (a, b) in edges {
            out.push_str(&format!("  n{a} --> n{b}\n"));
        }
    } else {
        out.push_str("digraph ecsc {\n  rankdir=LR;\n  node [shape=box];\n");
        for (pos, i) in order.iter().enumerate() {
            out.push_str(&format!("  n{pos} [label=\"{}\"];\n", label(*i)));
        }
        for (a, b) in edges {
            out.push_str(&format!("  n{a} -> n{b};\n"));
        }
        out.push_str("}\n");
    }
    out
}
