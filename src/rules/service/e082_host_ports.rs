//! E082: tasks that take a fixed host port fit on the cluster's instances,
//! one per instance and port.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::{ClusterId, Model, NetworkMode, Protocol, Service};
use crate::rules::{Check, Context, Rule};
use crate::source::Span;
use std::collections::BTreeMap;

pub const RULE: Rule = Rule {
    code: "E082",
    name: "host-ports",
    severity: Severity::Error,
    summary: "Services whose tasks take a fixed host port run no more tasks than the cluster's instances can hold, one per instance and port",
    why: "In bridge mode with a fixed `host_port`, and in host mode, a task binds the port on its \
          container instance, so an instance runs at most one task per port. ECS cannot place \
          the rest (\"unable to place a task because no container instance met all of its \
          requirements… already using a port\"), and they stay PENDING. Dynamic host ports \
          (bridge mode without `host_port`) have no such limit. The instances are counted from \
          the cluster's `instances` groups (their `max`); a cluster that exists already, or whose \
          instances come from elsewhere, is not judged.",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a" }
cluster apps { }
instances general { cluster = apps  type = "t3.medium"  subnets = [a]  min = 1  max = 2 }
task web {
  launch = ec2
  network_mode = host
  container web { image = "public.ecr.aws/nginx/nginx:1.27"  memory = 256  port 80 }
}
service web { cluster = apps  task = web  count = 3 }"#,
    flagged: "3 }",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a" }
cluster apps { }
instances general { cluster = apps  type = "t3.medium"  subnets = [a]  min = 1  max = 3 }
task web {
  launch = ec2
  network_mode = host
  container web { image = "public.ecr.aws/nginx/nginx:1.27"  memory = 256  port 80 }
}
service web { cluster = apps  task = web  count = 3 }"#,
    check: Check::Model(check),
};

/// The fixed host ports a service's tasks take, with where each is set.
fn fixed_ports(m: &Model, s: &Service) -> Vec<(u32, Protocol, Span)> {
    let task = &m[s.placement.task.value];
    let mut out = Vec::new();
    for c in &task.containers {
        for p in &c.ports {
            let port = match task.network_mode.value {
                NetworkMode::Host => Some((p.container_port.value, p.container_port.span)),
                NetworkMode::Bridge => p
                    .host_port
                    .as_ref()
                    .filter(|h| h.value != 0)
                    .map(|h| (h.value, h.span)),
                NetworkMode::Awsvpc => None,
            };
            if let Some((port, span)) = port {
                out.push((port, p.protocol.value, span));
            }
        }
    }
    out
}

/// A service taking a host port: how many tasks at most, and where the
/// port is set.
type Taker<'m> = (&'m Service, u64, Span);

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    // (cluster, port, protocol) → the services taking it and their tasks.
    let mut taken: BTreeMap<(usize, u32, String), Vec<Taker<'_>>> = BTreeMap::new();
    for s in &m.services {
        // A daemon runs one task per instance: it always fits.
        if s.daemon.is_some() {
            continue;
        }
        let most = s.most_tasks().value;
        for (port, protocol, span) in fixed_ports(m, s) {
            let key = (s.placement.cluster.value.0, port, format!("{protocol:?}"));
            taken.entry(key).or_default().push((s, most, span));
        }
    }
    for ((cluster, port, _), users) in taken {
        let c = &m.clusters[cluster];
        let groups: Vec<_> = m.instance_groups_of(ClusterId(cluster)).collect();
        if c.existing.is_some() || groups.is_empty() {
            continue;
        }
        let instances: u64 = groups.iter().map(|g| g.max.value).sum();
        let tasks: u64 = users.iter().map(|(_, n, _)| n).sum();
        if tasks <= instances {
            continue;
        }
        let (last, n, span) = users[users.len() - 1];
        let mut d = RULE
            .at(
                last.most_tasks().span,
                format!(
                    "{tasks} tasks take host port {port} on cluster `{}`, which has at most {instances} instances",
                    c.name.name
                ),
            )
            .label(format!("{n} of them"))
            .with(span, format!("host port {port}"));
        for g in &groups {
            d = d.with(
                g.max.span,
                format!("instance group `{}`: at most {}", g.name.name, g.max.value),
            );
        }
        out.push(d.help(format!(
            "raise the instance groups' `max` to {tasks}, run fewer tasks, or let the port be dynamic (bridge mode without `host_port`)"
        )));
    }
}
