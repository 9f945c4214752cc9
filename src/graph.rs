//! The dependency graph of a model, built with petgraph.
//!
//! Nodes are model entities (declared and derived); an edge `a → b` means
//! `a` needs `b` to exist first. A cycle is an error (E090) that names every
//! entity in it. Security group rules that reference another group are not
//! edges: they are emitted as standalone rule resources, which is what
//! breaks the classic SG↔SG cycle.

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::*;
use crate::source::Span;
use petgraph::graph::{DiGraph, NodeIndex};
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Node {
    Vpc(VpcId),
    Subnet(SubnetId),
    Nat(NatId),
    Igw(IgwId),
    RouteTable(RouteTableId),
    Sg(SgId),
    Endpoint(EndpointId),
    Lb(LbId),
    Listener(ListenerRef),
    Tg(TgId),
    Rule(RuleId),
    Cluster(ClusterId),
    Namespace(NamespaceId),
    Task(TaskId),
    Container(TaskId, usize),
    Service(ServiceId),
    Schedule(ScheduleId),
    Role(RoleId),
    LogGroup(LogGroupId),
}

pub struct Graph {
    pub graph: DiGraph<Node, ()>,
    index: HashMap<Node, NodeIndex>,
}

impl Graph {
    pub fn build(m: &Model) -> Graph {
        let mut g = Graph {
            graph: DiGraph::new(),
            index: HashMap::new(),
        };
        for (i, s) in m.subnets.iter().enumerate() {
            g.edge(Node::Subnet(SubnetId(i)), Node::Vpc(s.vpc));
        }
        for (i, n) in m.nat_gateways.iter().enumerate() {
            g.edge(Node::Nat(NatId(i)), Node::Subnet(n.subnet.value));
        }
        for (i, igw) in m.internet_gateways.iter().enumerate() {
            g.edge(Node::Igw(IgwId(i)), Node::Vpc(igw.vpc));
        }
        for (i, t) in m.route_tables.iter().enumerate() {
            let n = Node::RouteTable(RouteTableId(i));
            g.edge(n, Node::Vpc(t.vpc));
            match t.default_route {
                Some(DefaultRoute::Internet(igw)) => g.edge(n, Node::Igw(igw)),
                Some(DefaultRoute::Nat(nat)) => g.edge(n, Node::Nat(nat)),
                None => {}
            }
        }
        for (i, sg) in m.security_groups.iter().enumerate() {
            g.edge(Node::Sg(SgId(i)), Node::Vpc(sg.vpc.value));
        }
        for (i, e) in m.endpoints.iter().enumerate() {
            let n = Node::Endpoint(EndpointId(i));
            g.edge(n, Node::Vpc(e.vpc.value));
            e.subnets
                .value
                .iter()
                .for_each(|s| g.edge(n, Node::Subnet(*s)));
            e.security_groups
                .value
                .iter()
                .for_each(|s| g.edge(n, Node::Sg(*s)));
            e.route_tables
                .iter()
                .for_each(|t| g.edge(n, Node::RouteTable(*t)));
        }
        for (i, lb) in m.load_balancers.iter().enumerate() {
            let n = Node::Lb(LbId(i));
            lb.subnets
                .value
                .iter()
                .for_each(|s| g.edge(n, Node::Subnet(*s)));
            lb.security_groups
                .value
                .iter()
                .for_each(|s| g.edge(n, Node::Sg(*s)));
            for (j, l) in lb.listeners.iter().enumerate() {
                let ln = Node::Listener(ListenerRef {
                    lb: LbId(i),
                    index: j,
                });
                g.edge(ln, n);
                if let DefaultAction::Forward(tg) = l.default {
                    g.edge(ln, Node::Tg(tg));
                }
            }
        }
        for (i, tg) in m.target_groups.iter().enumerate() {
            g.edge(Node::Tg(TgId(i)), Node::Vpc(tg.vpc));
        }
        for (i, r) in m.listener_rules.iter().enumerate() {
            let n = Node::Rule(RuleId(i));
            g.edge(n, Node::Listener(r.listener));
            g.edge(n, Node::Tg(r.target_group));
        }
        for (i, ns) in m.namespaces.iter().enumerate() {
            g.edge(Node::Namespace(NamespaceId(i)), Node::Vpc(ns.vpc.value));
        }
        for (i, lg) in m.log_groups.iter().enumerate() {
            g.edge(Node::LogGroup(LogGroupId(i)), Node::Task(lg.task));
        }
        for (i, t) in m.tasks.iter().enumerate() {
            let n = Node::Task(TaskId(i));
            g.node(n);
            [t.execution_role, t.task_role]
                .into_iter()
                .flatten()
                .for_each(|r| g.edge(n, Node::Role(r)));
            for (c, container) in t.containers.iter().enumerate() {
                let cn = Node::Container(TaskId(i), c);
                g.edge(n, cn);
                for d in &container.depends_on {
                    g.edge(cn, Node::Container(TaskId(i), d.container.value));
                }
            }
        }
        for (i, s) in m.services.iter().enumerate() {
            let n = Node::Service(ServiceId(i));
            g.edge(n, Node::Cluster(s.cluster.value));
            g.edge(n, Node::Task(s.task.value));
            if let Some(net) = &s.network {
                net.subnets
                    .value
                    .iter()
                    .for_each(|x| g.edge(n, Node::Subnet(*x)));
                net.security_groups
                    .value
                    .iter()
                    .for_each(|x| g.edge(n, Node::Sg(*x)));
            }
            for r in &s.routes {
                if let Some(tg) = r.target_group {
                    g.edge(n, Node::Tg(tg));
                }
                match r.rule {
                    Some(rule) => g.edge(n, Node::Rule(rule)),
                    None => g.edge(n, Node::Listener(r.listener)),
                }
            }
            if let Some(d) = &s.discovery {
                g.edge(n, Node::Namespace(d.namespace.value));
            }
        }
        for (i, s) in m.schedules.iter().enumerate() {
            let n = Node::Schedule(ScheduleId(i));
            g.edge(n, Node::Cluster(s.cluster.value));
            g.edge(n, Node::Task(s.task.value));
            if let Some(r) = s.role {
                g.edge(n, Node::Role(r));
            }
        }
        g
    }

    fn node(&mut self, n: Node) -> NodeIndex {
        *self
            .index
            .entry(n)
            .or_insert_with(|| self.graph.add_node(n))
    }

    fn edge(&mut self, from: Node, to: Node) {
        let a = self.node(from);
        let b = self.node(to);
        self.graph.update_edge(a, b, ());
    }

    /// Reports every cycle (E090).
    pub fn check_cycles(&self, m: &Model, diags: &mut Diagnostics) {
        for scc in petgraph::algo::tarjan_scc(&self.graph) {
            let is_cycle = scc.len() > 1
                || scc
                    .first()
                    .is_some_and(|n| self.graph.contains_edge(*n, *n));
            if !is_cycle {
                continue;
            }
            let mut nodes: Vec<Node> = scc.iter().map(|i| self.graph[*i]).collect();
            nodes.sort();
            let names: Vec<String> = nodes.iter().map(|n| describe(m, *n).0).collect();
            let (_, first_span) = describe(m, nodes[0]);
            let mut d = Diagnostic::error(
                "E090",
                first_span,
                format!("dependency cycle: {} → {}", names.join(" → "), names[0]),
            )
            .label("part of the cycle")
            .help("remove one of the dependencies so that the chain has a start");
            for n in &nodes[1..] {
                let (name, span) = describe(m, *n);
                d = d.with(span, format!("{name} is in the cycle"));
            }
            diags.push(d);
        }
    }

    /// The number of nodes and edges (for `ecsc graph` and tests).
    pub fn size(&self) -> (usize, usize) {
        (self.graph.node_count(), self.graph.edge_count())
    }

    /// Entities in an order where dependencies come first; `None` on a cycle.
    pub fn topological(&self) -> Option<Vec<Node>> {
        let order = petgraph::algo::toposort(&self.graph, None).ok()?;
        Some(order.into_iter().rev().map(|i| self.graph[i]).collect())
    }

    pub fn edges(&self) -> impl Iterator<Item = (Node, Node)> + '_ {
        self.graph
            .edge_indices()
            .filter_map(|e| self.graph.edge_endpoints(e))
            .map(|(a, b)| (self.graph[a], self.graph[b]))
    }
}

/// A node's name for messages, and where it was written.
pub fn describe(m: &Model, n: Node) -> (String, Span) {
    match n {
        Node::Vpc(i) => (format!("vpc `{}`", m[i].name.name), m[i].name.span),
        Node::Subnet(i) => (format!("subnet `{}`", m[i].name.name), m[i].name.span),
        Node::Nat(i) => (format!("nat_gateway `{}`", m[i].name.name), m[i].name.span),
        Node::Igw(i) => {
            let v = &m[m[i].vpc];
            (
                format!("internet gateway of `{}`", v.name.name),
                v.name.span,
            )
        }
        Node::RouteTable(i) => {
            let v = &m[m[i].vpc];
            (format!("route table `{}`", m[i].name), v.name.span)
        }
        Node::Sg(i) => (
            format!("security_group `{}`", m[i].name.name),
            m[i].name.span,
        ),
        Node::Endpoint(i) => (format!("endpoint `{}`", m[i].name.name), m[i].name.span),
        Node::Lb(i) => (
            format!("load_balancer `{}`", m[i].name.name),
            m[i].name.span,
        ),
        Node::Listener(l) => (
            format!("listener `{}:{}`", m[l.lb].name.name, m[l].port.value),
            m[l].span,
        ),
        Node::Tg(i) => (format!("target group `{}`", m[i].name), m[i].span),
        Node::Rule(i) => (format!("listener rule `{}`", m[i].name), m[i].span),
        Node::Cluster(i) => (format!("cluster `{}`", m[i].name.name), m[i].name.span),
        Node::Namespace(i) => (format!("namespace `{}`", m[i].name.name), m[i].name.span),
        Node::Task(i) => (format!("task `{}`", m[i].name.name), m[i].name.span),
        Node::Container(t, c) => {
            let c = &m[t].containers[c];
            (format!("container `{}`", c.name.name), c.name.span)
        }
        Node::Service(i) => (format!("service `{}`", m[i].name.name), m[i].name.span),
        Node::Schedule(i) => (format!("schedule `{}`", m[i].name.name), m[i].name.span),
        Node::Role(i) => (format!("role `{}`", m[i].name), m.stack.span),
        Node::LogGroup(i) => (
            format!("log group `{}`", m[i].group_name),
            m[m[i].task].name.span,
        ),
    }
}

/// The graph as Graphviz DOT or Mermaid, edges sorted for stable output.
pub fn render(m: &Model, g: &Graph, mermaid: bool) -> String {
    let mut nodes: Vec<Node> = g.graph.node_weights().copied().collect();
    nodes.sort();
    let index: HashMap<Node, usize> = nodes.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let mut edges: Vec<(usize, usize)> = g.edges().map(|(a, b)| (index[&a], index[&b])).collect();
    edges.sort();
    let label = |n: &Node| describe(m, *n).0.replace('`', "").replace('"', "'");
    let mut out = String::new();
    if mermaid {
        out.push_str("graph LR\n");
        for (i, n) in nodes.iter().enumerate() {
            out.push_str(&format!("  n{i}[\"{}\"]\n", label(n)));
        }
        for (a, b) in edges {
            out.push_str(&format!("  n{a} --> n{b}\n"));
        }
    } else {
        out.push_str("digraph ecsc {\n  rankdir=LR;\n  node [shape=box];\n");
        for (i, n) in nodes.iter().enumerate() {
            out.push_str(&format!("  n{i} [label=\"{}\"];\n", label(n)));
        }
        for (a, b) in edges {
            out.push_str(&format!("  n{a} -> n{b};\n"));
        }
        out.push_str("}\n");
    }
    out
}
