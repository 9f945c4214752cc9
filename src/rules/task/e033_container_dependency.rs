//! E033: a container dependency's condition is one the other container can
//! reach.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::DependencyCondition;
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "E033",
    name: "container-dependency",
    severity: Severity::Error,
    summary: "`depends_on C healthy` names a container with a health check; `complete` and `success` name a container that is not essential",
    why: "ECS ContainerDependency: HEALTHY \"requires that the dependent container has health \
          checks configured\" — without one it never reports healthy, and the waiting container \
          never starts. COMPLETE and SUCCESS wait for the other container to exit, and \"can't be \
          set on an essential container\": an essential container that exits stops the whole \
          task (ECS API reference, ContainerDependency.condition).",
    bad: r#"stack demo { region = "eu-west-1" }
task api {
  cpu = 256  memory = 512
  container migrate {
    image   = "busybox:1.36"
    command = ["sh", "-c", "echo migrated"]
  }
  container app {
    image = "nginx:1.27"
    depends_on migrate success
  }
}"#,
    flagged: "depends_on migrate success",
    good: r#"stack demo { region = "eu-west-1" }
task api {
  cpu = 256  memory = 512
  container migrate {
    image     = "busybox:1.36"
    command   = ["sh", "-c", "echo migrated"]
    essential = false
  }
  container app {
    image = "nginx:1.27"
    depends_on migrate success
  }
}"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    for task in &cx.model.tasks {
        for (i, c) in task.containers.iter().enumerate() {
            for d in &c.depends_on {
                // A container waiting for itself is a cycle (E090).
                if d.container.value == i {
                    continue;
                }
                let Some(other) = task.containers.get(d.container.value) else {
                    continue;
                };
                let (me, them) = (&c.name.name, &other.name.name);
                match d.condition {
                    DependencyCondition::Healthy if other.health.is_none() => out.push(
                        RULE.at(
                            d.span,
                            format!(
                                "container `{me}` waits for `{them}` to be healthy, but `{them}` has no health check"
                            ),
                        )
                        .label("HEALTHY needs a health check")
                        .with(other.name.span, format!("`{them}` has no `health` block"))
                        .help(format!(
                            "add `health {{ command = \"curl -f http://localhost/ || exit 1\" }}` to container `{them}`, or write `depends_on {them} start`"
                        )),
                    ),
                    DependencyCondition::Complete | DependencyCondition::Success
                        if other.essential.value =>
                    {
                        let word = d.condition.as_str().to_lowercase();
                        let essential = if other.essential.span == other.name.span {
                            (other.name.span, format!("`{them}` is essential (the default)"))
                        } else {
                            (other.essential.span, format!("`{them}` is essential"))
                        };
                        out.push(
                            RULE.at(
                                d.span,
                                format!(
                                    "container `{me}` waits for `{them}` to exit ({word}), but `{them}` is essential: ECS rejects the condition, and an essential container that exits stops the task"
                                ),
                            )
                            .label(format!("{word} on an essential container"))
                            .with(essential.0, essential.1)
                            .help(format!(
                                "set `essential = false` in container `{them}` (another container stays essential), or write `depends_on {them} start`"
                            )),
                        );
                    }
                    _ => {}
                }
            }
        }
    }
}
