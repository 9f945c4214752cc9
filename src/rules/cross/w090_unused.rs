//! W090: declarations nothing uses.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::*;
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "W090",
    name: "unused-declaration",
    severity: Severity::Warning,
    summary: "Every security group, cluster, namespace and load balancer is used",
    why: "An unused declaration still costs money or clutters the account (a load balancer bills \
          by the hour), and usually means a reference was forgotten: the service that should \
          use the security group names another one. A task nothing runs is not one of them: \
          it is a one-off task CI runs (`aws ecs run-task`), and its task definition is an \
          output.",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
security_group legacy_sg { vpc = main }"#,
    flagged: "legacy_sg",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    let mut sg_used = vec![false; m.security_groups.len()];
    let mut cluster_used = vec![false; m.clusters.len()];
    let mut ns_used = vec![false; m.namespaces.len()];
    let mut lb_used = vec![false; m.load_balancers.len()];
    for (_, _, p) in m.placements() {
        cluster_used[p.cluster.value.0] = true;
        if let Some(n) = &p.network {
            n.security_groups
                .value
                .iter()
                .for_each(|g| sg_used[g.0] = true);
        }
    }
    for s in &m.services {
        if let Some(d) = &s.discovery {
            ns_used[d.namespace.value.0] = true;
        }
        if let Some(c) = &s.connect {
            ns_used[c.namespace.value.0] = true;
        }

        for r in &s.routes {
            lb_used[r.listener.lb.0] = true;
        }
    }
    for c in &m.clusters {
        if let Some(n) = &c.service_connect {
            ns_used[n.value.0] = true;
        }
    }
    for lb in &m.load_balancers {
        lb.security_groups
            .value
            .iter()
            .for_each(|g| sg_used[g.0] = true);
    }
    for e in &m.endpoints {
        e.security_groups
            .value
            .iter()
            .for_each(|g| sg_used[g.0] = true);
    }
    for g in &m.instance_groups {
        g.security_groups
            .value
            .iter()
            .for_each(|s| sg_used[s.0] = true);
        cluster_used[g.cluster.value.0] = true;
    }
    // An existing group is used when the stack adds rules to it or names
    // it as a peer: that is all a stack does with a group it does not own.
    for g in &m.security_groups {
        for r in g.ingress.iter().chain(&g.egress) {
            if let Peer::Group(peer) = r.peer.value {
                if m[peer].existing.is_some() {
                    sg_used[peer.0] = true;
                }
            }
        }
    }
    for (i, g) in m.security_groups.iter().enumerate() {
        if g.existing.is_some() && !(g.ingress.is_empty() && g.egress.is_empty()) {
            sg_used[i] = true;
        }
    }
    let mut report = |name: &Name, what: &str, help: &str| {
        out.push(
            RULE.at(name.span, format!("{what} `{}` is never used", name.name))
                .label("declared but not used")
                .help(help.to_string()),
        );
    };
    for (i, g) in m.security_groups.iter().enumerate() {
        if !sg_used[i] {
            report(
                &g.name,
                "security group",
                if g.existing.is_some() {
                    "name it in a `network`, load balancer or endpoint, add rules to it, or remove it"
                } else {
                    "name it in a `network`, load balancer or endpoint, or remove it"
                },
            );
        }
    }
    for (i, c) in m.clusters.iter().enumerate() {
        if !cluster_used[i] {
            report(
                &c.name,
                "cluster",
                "name it in a `service`, a `schedule` or a task's `run` block, or remove it",
            );
        }
    }
    for (i, n) in m.namespaces.iter().enumerate() {
        if !ns_used[i] {
            report(
                &n.name,
                "namespace",
                "register a service in it with `discovery { namespace = ... }` or `connect { namespace = ... }`, or remove it",
            );
        }
    }
    for (i, lb) in m.load_balancers.iter().enumerate() {
        if !lb_used[i] {
            report(
                &lb.name,
                "load balancer",
                "route a service to it (`route name:port { ... }`), or remove it",
            );
        }
    }
}
