//! E064: Service Connect runs in Linux tasks of `awsvpc` or `bridge` mode.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::{NetworkMode, Os};
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "E064",
    name: "connect-task",
    severity: Severity::Error,
    summary: "A service with `connect` runs Linux tasks in `awsvpc` or `bridge` network mode",
    why: "ECS adds the Service Connect proxy as a sidecar container and routes the task's \
          traffic through it, which it does for Linux tasks in `awsvpc` and `bridge` mode only: \
          Service Connect does not support the `host` network mode or Windows containers, and \
          CreateService fails (ECS Developer Guide, Service Connect components: \
          considerations).",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
namespace apps { type = http }
cluster main { }
instances workers { cluster = main  type = "t3.small"  subnets = [a]  min = 1  max = 2 }
task api {
  launch = ec2  network_mode = host  memory = 512
  container app { image = "nginx:1.27"  port 8080 { name = "http" } }
}
service api {
  cluster = main  task = api
  connect { namespace = apps  serve http { } }
}"#,
    flagged: "host",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
namespace apps { type = http }
cluster main { }
instances workers { cluster = main  type = "t3.small"  subnets = [a]  min = 1  max = 2 }
task api {
  launch = ec2  network_mode = bridge  memory = 512
  container app { image = "nginx:1.27"  port 8080 { name = "http" } }
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
        if task.network_mode.value == NetworkMode::Host {
            out.push(
                RULE.at(
                    task.network_mode.span,
                    format!(
                        "service `{}` uses Service Connect, but its task `{}` uses host network mode",
                        s.name.name, task.name.name
                    ),
                )
                .label("Service Connect does not support host mode")
                .with(c.span, "Service Connect")
                .help("set `network_mode = awsvpc` (or `bridge`) on the task, or remove `connect`"),
            );
        }
        if task.os.value == Os::Windows {
            out.push(
                RULE.at(
                    task.os.span,
                    format!(
                        "service `{}` uses Service Connect, but its task `{}` runs Windows containers",
                        s.name.name, task.name.name
                    ),
                )
                .label("Service Connect does not support Windows")
                .with(c.span, "Service Connect")
                .help("run the task on Linux (remove `os = windows`), or remove `connect`"),
            );
        }
    }
}
