//! W051: a health check grace period with nothing to apply it to.

use crate::diagnostic::{Diagnostics, Severity};
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "W051",
    name: "grace-period-without-lb",
    severity: Severity::Warning,
    summary: "`grace_period` is set only on a service with a route or a container health check",
    why: "The health check grace period tells ECS how long to ignore failing load balancer (and, \
          today, container) health checks after a task starts. With no route and no container \
          health check it does nothing, and older API versions rejected it outright: \"Health \
          check grace period is only valid for services configured to use load balancers\" \
          (hashicorp/terraform-provider-aws#31104, aws-cloudformation/cfn-lint#3612). For a \
          slow-starting container without a load balancer, use the health check's \
          `start_period`.",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
security_group sg { vpc = main }
cluster main { }
task worker {
  cpu = 256  memory = 512
  container app { image = "busybox:1.36" }
}
service worker {
  cluster = main
  task    = worker
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
  grace_period = 60s
}"#,
    flagged: "60s",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
security_group sg { vpc = main }
cluster main { }
task worker {
  cpu = 256  memory = 512
  container app { image = "busybox:1.36" }
}
service worker {
  cluster = main
  task    = worker
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
}"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    for s in &m.services {
        let Some(g) = &s.grace_period else { continue };
        if !s.routes.is_empty() {
            continue;
        }
        let task = &m[s.placement.task.value];
        if task.containers.iter().any(|c| c.health.is_some()) {
            continue;
        }
        out.push(
            RULE.at(
                g.span,
                format!(
                    "service `{}` has a health check grace period but no route and no container health check to apply it to",
                    s.name.name
                ),
            )
            .label("has no effect")
            .help("remove `grace_period`; for a slow-starting container, add a `health { ... start_period = 60s }` block to it instead"),
        );
    }
}
