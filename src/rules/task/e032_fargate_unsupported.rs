//! E032: settings Fargate rejects.

use crate::diagnostic::{Diagnostic, Diagnostics, Severity};
use crate::model::LaunchType;
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "E032",
    name: "fargate-unsupported",
    severity: Severity::Error,
    summary: "A Fargate task uses no container setting Fargate rejects (privileged, a stop timeout above 120 s)",
    why: "Fargate does not run privileged containers: a task definition for FARGATE with \
          `privileged` true fails at registration or when the task is run. The same holds for \
          links, devices, extra hosts and other host-level settings the language does not \
          express (Fargate developer guide, task definition considerations; the CDK rejects \
          them too). A container's stopTimeout is at most 120 seconds on Fargate (ECS API \
          reference, ContainerDefinition); on EC2 the agent takes longer ones.",
    bad: r#"stack demo { region = "eu-west-1" }
task agent {
  cpu = 256  memory = 512
  container app {
    image      = "nginx:1.27"
    privileged = true
  }
}"#,
    flagged: "true\n",
    good: r#"stack demo { region = "eu-west-1" }
task agent {
  cpu = 256  memory = 512
  container app {
    image = "nginx:1.27"
  }
}"#,
    check: Check::Model(check),
};

/// Fargate's longest stop timeout, in seconds.
const MAX_STOP_TIMEOUT: u64 = 120;

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    for task in &cx.model.tasks {
        if task.launch.value != LaunchType::Fargate {
            continue;
        }
        let fargate = |d: Diagnostic| {
            if task.launch.span != task.name.span {
                d.with(task.launch.span, "the task runs on Fargate")
            } else {
                d.with(
                    task.name.span,
                    format!("task `{}` runs on Fargate (the default)", task.name.name),
                )
            }
        };
        for c in &task.containers {
            if let Some(t) = c
                .stop_timeout
                .as_ref()
                .filter(|t| t.value > MAX_STOP_TIMEOUT)
            {
                let d = RULE
                    .at(
                        t.span,
                        format!(
                            "container `{}` has a stop timeout of {} s; Fargate allows at most {MAX_STOP_TIMEOUT} s",
                            c.name.name, t.value
                        ),
                    )
                    .label("over 120 s");
                out.push(fargate(d).help(format!(
                    "use `stop_timeout = {MAX_STOP_TIMEOUT}s` or less, or run the task on EC2 with `launch = ec2`"
                )));
            }
            let Some(p) = &c.privileged else { continue };
            if !p.value {
                continue;
            }
            let d = RULE
                .at(
                    p.span,
                    format!(
                        "container `{}` is privileged, which Fargate does not allow",
                        c.name.name
                    ),
                )
                .label("not supported on Fargate");
            out.push(
                fargate(d)
                    .help("remove `privileged = true`, or run the task on EC2 with `launch = ec2`"),
            );
        }
    }
}
