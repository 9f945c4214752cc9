//! E050: a `network` block exactly when the task runs in awsvpc mode.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::{Name, NetworkMode, Placement, Runner, TaskDef};
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "E050",
    name: "network-configuration",
    severity: Severity::Error,
    summary: "A service or schedule has a `network` block if and only if its task uses awsvpc",
    why: "An awsvpc task gets its own network interface, so CreateService and RunTask need the \
          networkConfiguration (subnets, security groups) and fail with \
          InvalidParameterException without it; for bridge and host tasks the same setting is \
          rejected (cfn-lint E3052; API-ECS networkConfiguration). Fargate tasks are always \
          awsvpc. The configuration needs at least one subnet.",
    bad: r#"stack demo { region = "eu-west-1" }
cluster main { }
task api {
  cpu = 256  memory = 512
  container app { image = "nginx:1.27" }
}
service api {
  cluster = main
  task    = api
}"#,
    flagged: "api {\n  cluster",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
security_group sg { vpc = main }
cluster main { }
task api {
  cpu = 256  memory = 512
  container app { image = "nginx:1.27" }
}
service api {
  cluster = main
  task    = api
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
}"#,
    check: Check::Model(check),
};

/// "task `api` uses awsvpc", noting when that is the default.
fn mode_note(task: &TaskDef) -> String {
    let default = if task.network_mode.span == task.name.span {
        " (the default)"
    } else {
        ""
    };
    format!(
        "task `{}` uses {}{default}",
        task.name.name,
        task.network_mode.value.as_str()
    )
}

fn one(out: &mut Diagnostics, runner: Runner, name: &Name, p: &Placement, task: &TaskDef) {
    let what = runner.word();
    let awsvpc = task.network_mode.value == NetworkMode::Awsvpc;
    match (awsvpc, &p.network) {
        (true, None) => out.push(
            RULE.at(
                name.span,
                match runner {
                    Runner::OneOff(_) => format!(
                        "the `run` block of task `{}` has no `network`, but the task uses the awsvpc network mode",
                        name.name
                    ),
                    _ => format!(
                        "{what} `{}` has no `network`, but its task `{}` uses the awsvpc network mode",
                        name.name, task.name.name
                    ),
                },
            )
            .label("`network` missing")
            .with(task.network_mode.span, mode_note(task))
            .help("add `network { subnets = [private_a, private_b]  security_groups = [app_sg] }`"),
        ),
        (false, Some(n)) => out.push(
            RULE.at(
                n.span,
                format!(
                    "{what} `{}` has a `network`, but its task `{}` uses the {} network mode",
                    name.name,
                    task.name.name,
                    task.network_mode.value.as_str()
                ),
            )
            .label("only for awsvpc tasks")
            .with(task.network_mode.span, mode_note(task))
            .help("remove the `network` block (the tasks use the instance's network), or set `network_mode = awsvpc` on the task"),
        ),
        // An empty list (an environment's choice, often) places nothing.
        (true, Some(n)) if n.subnets.value.is_empty() => out.push(
            RULE.at(n.subnets.span, format!("the `network` of {what} `{}` lists no subnets", name.name))
                .label("no subnets")
                .help("list the subnets the tasks run in, e.g. `subnets = [private_a, private_b]`"),
        ),
        _ => {}
    }
}

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    for (runner, name, p) in m.placements() {
        one(out, runner, name, p, &m[p.task.value]);
    }
}
