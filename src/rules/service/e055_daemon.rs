//! E055: a daemon service is one task per container instance, and nothing
//! that counts tasks or places them.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::LaunchType;
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "E055",
    name: "daemon",
    severity: Severity::Error,
    summary: "A daemon service runs on EC2, without a count, auto scaling, a capacity provider strategy or placement strategies",
    why: "With the DAEMON scheduling strategy ECS runs exactly one task on each active container \
          instance that meets the placement constraints. Fargate has no instances (\"The daemon \
          scheduling strategy is not supported with the FARGATE launch type\"); a desired count, \
          Application Auto Scaling, a capacity provider strategy and placement strategies have \
          nothing to decide and CreateService rejects them (API-ECS schedulingStrategy).",
    bad: r#"stack demo { region = "eu-west-1" }
cluster main { }
task agent {
  launch = ec2
  network_mode = host
  container agent { image = "public.ecr.aws/docker/library/busybox:1.36"  memory = 64 }
}
# ecsc-allow W080: the platform's instances run it
service agent {
  cluster    = main
  task       = agent
  scheduling = daemon
  count      = 3
}"#,
    flagged: "3\n}",
    good: r#"stack demo { region = "eu-west-1" }
cluster main { }
task agent {
  launch = ec2
  network_mode = host
  container agent { image = "public.ecr.aws/docker/library/busybox:1.36"  memory = 64 }
}
# ecsc-allow W080: the platform's instances run it
service agent {
  cluster    = main
  task       = agent
  scheduling = daemon
}"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    for s in &m.services {
        let Some(daemon) = s.daemon else { continue };
        let task = &m[s.placement.task.value];
        let mut problem = |span, what: &str, help: &str| {
            out.push(
                RULE.at(span, format!("daemon service `{}` {what}", s.name.name))
                    .label("not for a daemon")
                    .with(daemon, "one task per container instance")
                    .help(help.to_string()),
            );
        };
        if task.launch.value == LaunchType::Fargate {
            problem(
                task.launch.span,
                "runs on Fargate, which has no instances",
                "run its task on EC2 (`launch = ec2`), or remove `scheduling = daemon`",
            );
        }
        if let Some(first) = s.placement.capacity.first() {
            problem(
                first.provider.span,
                "has a capacity provider strategy",
                "remove the `capacity` blocks",
            );
        }
        if s.desired.span != s.name.span {
            problem(
                s.desired.span,
                "has a `count`",
                "remove `count`: the number of instances decides",
            );
        }
        if let Some(a) = &s.autoscale {
            problem(a.min.span, "is auto scaled", "remove the `autoscale` block");
        }
        if let Some(strategy) = s
            .placement
            .rules
            .as_ref()
            .and_then(|r| r.strategies.first())
        {
            problem(
                strategy.span,
                "has placement strategies",
                "remove `strategy`; constraints (`member_of`) still choose the instances",
            );
        }
    }
}
