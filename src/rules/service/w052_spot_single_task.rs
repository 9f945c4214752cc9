//! W052: a service of one task does not run it on Spot capacity alone.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::Provider;
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "W052",
    name: "spot-single-task",
    severity: Severity::Warning,
    summary: "A service that runs one task keeps it off Spot capacity, or has an on-demand base",
    why: "AWS reclaims Fargate Spot capacity with a two-minute warning (a SIGTERM to the task). \
          ECS starts a replacement, on Spot again when the strategy says so, and only when Spot \
          capacity is available. With one task, every interruption is an outage until the \
          replacement is healthy; Fargate Spot capacity can also be unavailable for a while. A \
          base of one task on FARGATE keeps one task on on-demand capacity (AWS's Fargate \
          capacity providers guide). The same holds for an instance group on Spot without an \
          on-demand base.",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
security_group sg { vpc = main }
cluster main { }
task api {
  cpu = 256  memory = 512
  container app { image = "public.ecr.aws/nginx/nginx:1.27" }
}
service api {
  cluster = main  task = api  count = 1
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
  capacity fargate_spot { }
}"#,
    flagged: "fargate_spot",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
security_group sg { vpc = main }
cluster main { }
task api {
  cpu = 256  memory = 512
  container app { image = "public.ecr.aws/nginx/nginx:1.27" }
}
service api {
  cluster = main  task = api  count = 1
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
  capacity fargate      { base = 1 }
  capacity fargate_spot { }
}"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    for s in &cx.model.services {
        let p = &s.placement;
        if s.most_tasks().value != 1 {
            continue;
        }
        let on_demand_base = p
            .capacity
            .iter()
            .any(|i| i.provider.value == Provider::Fargate && i.base.value >= 1);
        // Fargate Spot, or an instance group whose instances may all be
        // Spot (no on-demand base).
        let m = cx.model;
        let spot = p.capacity.iter().find(|i| {
            let on_spot = match i.provider.value {
                Provider::FargateSpot => true,
                Provider::Instances(g) => m[g].spot.as_ref().is_some_and(|s| s.on_demand_base == 0),
                Provider::Fargate => false,
            };
            on_spot && (i.weight.value > 0 || i.base.value > 0)
        });
        let (Some(spot), false) = (spot, on_demand_base) else {
            continue;
        };
        out.push(
            RULE.at(spot.provider.span, format!("service `{}` runs its one task on Spot capacity", s.name.name))
                .label("interrupted with two minutes' warning")
                .with(s.desired.span, "one task")
                .help("keep the task on on-demand capacity (`capacity fargate { base = 1 }`, or `on_demand_base = 1` in the instance group's `spot`), or run two or more tasks"),
        );
    }
}
