//! W033: what ECS Exec needs of the task: a writable root file system, and
//! a task role ecsc can grant the SSM messages permissions.

use crate::diagnostic::{Diagnostics, Severity};
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "W033",
    name: "exec-requirements",
    severity: Severity::Warning,
    summary: "A service with `exec = true` runs no container with a read-only root file system",
    why: "ECS Exec starts the SSM agent inside each container; the agent writes its state and \
          logs under the container's root file system, so with readonlyRootFilesystem it exits \
          soon after launch and `aws ecs execute-command` fails (aws/containers-roadmap#1359; \
          aws-containers/amazon-ecs-exec-checker#21, where the ECS team states that ECS Exec \
          needs writable container storage). ecsc grants the task role the \
          ssmmessages:CreateControlChannel/CreateDataChannel/OpenControlChannel/OpenDataChannel \
          permissions Exec needs; a task role that exists already is noted, as ecsc cannot \
          see its policies.",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
security_group sg { vpc = main }
cluster main { }
task api {
  cpu = 256  memory = 512
  container app {
    image     = "nginx:1.27"
    read_only = true
  }
}
service api {
  cluster = main  task = api
  exec    = true
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
}"#,
    flagged: "true\n  }",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
security_group sg { vpc = main }
cluster main { }
task api {
  cpu = 256  memory = 512
  container app {
    image = "nginx:1.27"
  }
}
service api {
  cluster = main  task = api
  exec    = true
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
}"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    for s in m.services.iter().filter(|s| s.exec.value) {
        let task = &m[s.placement.task.value];
        for c in task.containers.iter().filter(|c| c.read_only_root.value) {
            out.push(
                RULE.at(
                    c.read_only_root.span,
                    format!(
                        "service `{}` turns on ECS Exec, but container `{}` has a read-only root file system the SSM agent cannot write to",
                        s.name.name, c.name.name
                    ),
                )
                .label("read-only root file system")
                .with(s.exec.span, "ECS Exec")
                .help(format!(
                    "remove `read_only = true` from container `{}`, or turn `exec` off",
                    c.name.name
                )),
            );
        }
        if let Some(existing) = task.role.as_ref().and_then(|r| r.existing.as_ref()) {
            out.push(
                RULE.unverified(
                    existing.span(),
                    format!(
                        "service `{}` turns on ECS Exec with task `{}`'s existing role, whose permissions ecsc does not see",
                        s.name.name, task.name.name
                    ),
                )
                .label("existing task role")
                .with(s.exec.span, "ECS Exec")
                .help("nothing to change if the role allows ssmmessages:CreateControlChannel, CreateDataChannel, OpenControlChannel and OpenDataChannel"),
            );
        }
    }
}
