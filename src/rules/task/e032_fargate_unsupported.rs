//! E032: settings Fargate rejects.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::LaunchType;
use crate::rules::{Context, Rule};

pub const RULE: Rule = Rule {
    code: "E032",
    name: "fargate-unsupported",
    severity: Severity::Error,
    summary: "A Fargate task uses no container setting Fargate rejects (privileged)",
    why: "Fargate does not run privileged containers: a task definition for FARGATE with \
          `privileged` true fails at registration or when the task is run. The same holds for \
          links, devices, extra hosts and other host-level settings the language does not \
          express (Fargate developer guide, task definition considerations; the CDK rejects \
          them too).",
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
    check,
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    for task in &cx.model.tasks {
        if task.launch.value != LaunchType::Fargate {
            continue;
        }
        for c in &task.containers {
            let Some(p) = &c.privileged else { continue };
            if !p.value {
                continue;
            }
            let mut d = RULE
                .at(
                    p.span,
                    format!(
                        "container `{}` is privileged, which Fargate does not allow",
                        c.name.name
                    ),
                )
                .label("not supported on Fargate");
            if task.launch.span != task.name.span {
                d = d.with(task.launch.span, "the task runs on Fargate");
            } else {
                d = d.with(
                    task.name.span,
                    format!("task `{}` runs on Fargate (the default)", task.name.name),
                );
            }
            out.push(
                d.help("remove `privileged = true`, or run the task on EC2 with `launch = ec2`"),
            );
        }
    }
}
