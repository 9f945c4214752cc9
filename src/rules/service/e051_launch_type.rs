//! E051: a service launches its task the way the task was defined for.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::LaunchType;
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "E051",
    name: "launch-type",
    severity: Severity::Error,
    summary: "A service's launch type is the one its task definition is compatible with",
    why: "The task's `launch` becomes its requiresCompatibilities. CreateService with launch type \
          FARGATE fails when the task definition is not FARGATE-compatible, and the reverse \
          (\"Task definition does not support launch_type\") (cfn-lint E3054; API-ECS launchType).",
    bad: r#"stack demo { region = "eu-west-1" }
cluster main { }
task worker {
  cpu = 256  memory = 512
  launch = ec2
  network_mode = bridge
  container app { image = "busybox:1.36" }
}
service worker {
  cluster = main
  task    = worker
  launch  = fargate
}"#,
    flagged: "fargate",
    good: r#"stack demo { region = "eu-west-1" }
cluster main { }
task worker {
  cpu = 256  memory = 512
  launch = ec2
  network_mode = bridge
  container app { image = "busybox:1.36" }
}
service worker {
  cluster = main
  task    = worker
  launch  = ec2
}"#,
    check: Check::Model(check),
};

fn word(l: LaunchType) -> &'static str {
    match l {
        LaunchType::Fargate => "fargate",
        LaunchType::Ec2 => "ec2",
    }
}

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    for s in &m.services {
        let launch = &s.placement.launch;
        let task = &m[s.placement.task.value];
        if launch.value == task.launch.value {
            continue;
        }
        let task_at = if task.launch.span != task.name.span {
            (
                task.launch.span,
                format!(
                    "task `{}` is defined for {}",
                    task.name.name,
                    s_name(task.launch.value)
                ),
            )
        } else {
            (
                task.name.span,
                format!(
                    "task `{}` is defined for Fargate (the default)",
                    task.name.name
                ),
            )
        };
        out.push(
            RULE.at(
                launch.span,
                format!(
                    "service `{}` launches on {}, but its task `{}` is defined for {}",
                    s.name.name,
                    s_name(launch.value),
                    task.name.name,
                    s_name(task.launch.value)
                ),
            )
            .label("launch type differs from the task's")
            .with(task_at.0, task_at.1)
            .help(format!(
                "remove `launch = {}` from the service, which then launches on {} like its task; or set `launch = {}` on the task",
                word(launch.value),
                s_name(task.launch.value),
                word(launch.value)
            )),
        );
    }
}

fn s_name(l: LaunchType) -> &'static str {
    match l {
        LaunchType::Fargate => "Fargate",
        LaunchType::Ec2 => "EC2",
    }
}
