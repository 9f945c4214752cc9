//! E068: a Service Connect task sets its task-level memory.

use crate::diagnostic::{Diagnostics, Severity};
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "E068",
    name: "connect-task-memory",
    severity: Severity::Error,
    summary: "The task of a service with `connect` sets the task's `memory`",
    why: "The Service Connect proxy runs in the task's memory outside the containers' limits: \
          task definitions must set the task memory limit to use Service Connect, and the \
          service's deployment fails without it (ECS Developer Guide, Service Connect \
          components: considerations and proxy resources).",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
namespace apps { type = http }
cluster main { }
instances workers { cluster = main  type = "t3.small"  subnets = [a]  min = 1  max = 2 }
task api {
  launch = ec2  network_mode = bridge
  container app { image = "nginx:1.27"  memory = 256  port 8080 { name = "http" } }
}
service api {
  cluster = main  task = api
  connect { namespace = apps  serve http { } }
}"#,
    flagged: "api {\n  launch",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
namespace apps { type = http }
cluster main { }
instances workers { cluster = main  type = "t3.small"  subnets = [a]  min = 1  max = 2 }
task api {
  launch = ec2  network_mode = bridge  memory = 512
  container app { image = "nginx:1.27"  memory = 256  port 8080 { name = "http" } }
}
service api {
  cluster = main  task = api
  connect { namespace = apps  serve http { } }
}"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    for s in &m.services {
        let Some(c) = &s.connect else { continue };
        let task = &m[s.placement.task.value];
        if task.memory.is_some() {
            continue;
        }
        let containers: u64 = task
            .containers
            .iter()
            .filter_map(|c| c.memory.as_ref().or(c.memory_reservation.as_ref()))
            .map(|m| m.value)
            .sum();
        // Room for the proxy: AWS recommends at least 64 MiB more.
        let suggested = (containers + 64).max(512).div_ceil(64) * 64;
        out.push(
            RULE.at(
                task.name.span,
                format!(
                    "service `{}` uses Service Connect, but its task `{}` sets no task memory",
                    s.name.name, task.name.name
                ),
            )
            .label("no task-level `memory`")
            .with(c.span, "Service Connect")
            .help(format!(
                "set `memory = {suggested}` on task `{}`: the containers' memory and at least 64 MiB for the proxy",
                task.name.name
            )),
        );
    }
}
