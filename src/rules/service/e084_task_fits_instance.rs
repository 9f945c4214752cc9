//! E084: a task on EC2 fits on an instance of the cluster's instance groups.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::{LaunchType, TaskDef};
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "E084",
    name: "task-fits-instance",
    severity: Severity::Error,
    summary: "A task on EC2 needs no more CPU and memory than one instance of its cluster has",
    why: "ECS places a task on one container instance with enough CPU units (1024 per vCPU) and \
          memory left. A task that needs more than a whole instance of every type the cluster \
          runs is never placed (\"no container instance met all of its requirements… \
          insufficient memory\"), and the service never starts. A task's need is its task-level \
          `cpu` and `memory`, else the sum of its containers' (`memory`, or \
          `memory_reservation`). Instance sizes come from a table of the common families \
          (t2/t3/t3a/t4g, m/c/r): for other types, and for clusters whose instances come from \
          elsewhere, nothing is judged. The agent and the OS take some memory too, so a task \
          that barely fits may still not be placed; that is not judged either.",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a" }
cluster apps { }
instances general { cluster = apps  type = "t3.medium"  subnets = [a]  min = 1  max = 2 }
task big {
  launch = ec2
  network_mode = bridge
  memory = 6GiB
  container app { image = "public.ecr.aws/nginx/nginx:1.27" }
}
service big { cluster = apps  task = big  count = 1 }"#,
    flagged: "6GiB",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a" }
cluster apps { }
instances general { cluster = apps  type = "t3.large"  subnets = [a]  min = 1  max = 2 }
task big {
  launch = ec2
  network_mode = bridge
  memory = 6GiB
  container app { image = "public.ecr.aws/nginx/nginx:1.27" }
}
service big { cluster = apps  task = big  count = 1 }"#,
    check: Check::Model(check),
};

/// An amount a task needs (CPU units or MiB), and where it is set.
type Need = Option<(u64, crate::source::Span)>;

/// A task's CPU units and MiB.
fn need(task: &TaskDef) -> (Need, Need) {
    let cpu = task.cpu.as_ref().map(|c| (c.value, c.span)).or_else(|| {
        let total: u64 = task
            .containers
            .iter()
            .filter_map(|c| c.cpu.as_ref())
            .map(|c| c.value)
            .sum();
        (total > 0).then_some((total, task.name.span))
    });
    let memory = task.memory.as_ref().map(|m| (m.value, m.span)).or_else(|| {
        let total: u64 = task
            .containers
            .iter()
            .filter_map(|c| c.memory.as_ref().or(c.memory_reservation.as_ref()))
            .map(|m| m.value)
            .sum();
        (total > 0).then_some((total, task.name.span))
    });
    (cpu, memory)
}

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    for (runner, name, p) in m.placements() {
        let Some(task) = m.tasks.get(p.task.value.0) else {
            continue;
        };
        if task.launch.value != LaunchType::Ec2 {
            continue;
        }
        // The groups it may run on: those its strategy names, else all of
        // its cluster's.
        let groups = m.instance_groups_for(p);
        if groups.is_empty() {
            continue;
        }
        let mut sizes = Vec::new();
        for g in &groups {
            let types =
                std::iter::once(&g.instance_type.value).chain(g.spot.iter().flat_map(|s| &s.types));
            for t in types {
                match crate::instance_types::capacity(t) {
                    Some((vcpus, mib)) => sizes.push((t.as_str(), vcpus * 1024, mib, g)),
                    // One unknown type may be big enough: nothing to judge.
                    None => return,
                }
            }
        }
        let (cpu, memory) = need(task);
        let fits = |units: u64, mib: u64| {
            cpu.is_none_or(|(c, _)| c <= units) && memory.is_none_or(|(m, _)| m <= mib)
        };
        if sizes.iter().any(|(_, units, mib, _)| fits(*units, *mib)) {
            continue;
        }
        let (biggest, units, mib, group) = sizes
            .iter()
            .max_by_key(|(_, units, mib, _)| (*mib, *units))
            .copied()
            .unwrap_or(("", 0, 0, &groups[0]));
        let (what, span) = match memory {
            Some((m, span)) if m > mib => (format!("{m} MiB of memory"), span),
            _ => match cpu {
                Some((c, span)) => (format!("{c} CPU units"), span),
                None => continue,
            },
        };
        out.push(
            RULE.at(
                span,
                format!(
                    "task `{}` of {} `{}` needs {what}, more than any instance of its cluster has",
                    task.name.name,
                    runner.word(),
                    name.name
                ),
            )
            .label("does not fit")
            .with(
                group.instance_type.span,
                format!(
                    "the largest, {biggest}, has {} vCPUs and {mib} MiB",
                    units / 1024
                ),
            )
            .help("give the task less, or the instance group a larger `type`"),
        );
    }
}
