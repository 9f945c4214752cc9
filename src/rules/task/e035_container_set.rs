//! E035: a task's container set ECS accepts.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::Name;
use crate::rules::{Check, Context, Rule};
use crate::source::Span;
use std::collections::HashMap;

pub const RULE: Rule = Rule {
    code: "E035",
    name: "container-set",
    severity: Severity::Error,
    summary:
        "A task has 1–10 containers, at least one essential, with valid names and unique variables",
    why: "RegisterTaskDefinition rejects a task whose containers are all non-essential, a task \
          with more than 10 containers (the ECS quota), container names and families outside \
          `[A-Za-z0-9_-]{1,255}`, and a container whose environment names a variable twice \
          (cfn-lint E3042; API ContainerDefinition.name, RegisterTaskDefinition.family; the \
          schema makes environment names unique). A variable that is both in `env` and a \
          `secret` is ambiguous: one silently wins.",
    bad: r#"stack demo { region = "eu-west-1" }
task migrate {
  cpu = 256  memory = 512
  container app {
    image     = "busybox:1.36"
    essential = false
  }
}"#,
    flagged: "false",
    good: r#"stack demo { region = "eu-west-1" }
task migrate {
  cpu = 256  memory = 512
  container app {
    image     = "busybox:1.36"
    essential = true
  }
}"#,
    check: Check::Model(check),
};

const MAX_CONTAINERS: usize = 10;

fn valid_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 255
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    for task in &cx.model.tasks {
        if !task.containers.is_empty() && task.containers.iter().all(|c| !c.essential.value) {
            let first = &task.containers[0];
            let mut d = RULE
                .at(
                    first.essential.span,
                    format!("task `{}` has no essential container", task.name.name),
                )
                .label("not essential");
            for c in &task.containers[1..] {
                d = d.with(
                    c.essential.span,
                    format!("`{}` is not essential either", c.name.name),
                );
            }
            out.push(d.help(format!(
                "mark the main container essential: remove `essential = false` from `{}`",
                first.name.name
            )));
        }
        if task.containers.len() > MAX_CONTAINERS {
            let extra = &task.containers[MAX_CONTAINERS];
            out.push(
                RULE.at(
                    extra.name.span,
                    format!(
                        "task `{}` has {} containers; a task definition takes at most {MAX_CONTAINERS}",
                        task.name.name,
                        task.containers.len()
                    ),
                )
                .label(format!("container {} of {}", MAX_CONTAINERS + 1, task.containers.len()))
                .with(task.name.span, "task declared here")
                .help("split the containers into two tasks, or merge sidecars (an ECS quota that cannot be raised)"),
            );
        }
        if !valid_name(&task.family) {
            out.push(
                RULE.at(task.name.span, format!("task family \"{}\" is not a valid name", task.family))
                    .label("this task's family")
                    .help(
                        "set `family = \"...\"` to 1–255 letters, digits, `-` and `_` (the default is `<stack>-<task>`)",
                    ),
            );
        }
        for c in &task.containers {
            if !valid_name(&c.name.name) {
                out.push(
                    RULE.at(
                        c.name.span,
                        format!(
                            "container name `{}` is longer than 255 characters",
                            truncate(&c.name.name)
                        ),
                    )
                    .label("name too long")
                    .help("use a name of 1–255 letters, digits, `-` and `_`"),
                );
            }
            check_variables(c.name.name.as_str(), &c.env, &c.secrets, out);
        }
    }
}

fn truncate(s: &str) -> String {
    if s.len() > 40 {
        format!(
            "{}…",
            &s[..s.char_indices().nth(40).map_or(s.len(), |(i, _)| i)]
        )
    } else {
        s.to_string()
    }
}

fn check_variables(
    container: &str,
    env: &[(Name, crate::source::Spanned<String>)],
    secrets: &[crate::model::Secret],
    out: &mut Diagnostics,
) {
    let mut seen: HashMap<&str, (Span, &'static str)> = HashMap::new();
    let vars = env
        .iter()
        .map(|(n, _)| (n, "env"))
        .chain(secrets.iter().map(|s| (&s.name, "secret")));
    for (name, kind) in vars {
        match seen.get(name.name.as_str()) {
            None => {
                seen.insert(&name.name, (name.span, kind));
            }
            Some((first, first_kind)) => {
                let (message, help) = if *first_kind == kind {
                    (
                        format!(
                            "container `{container}` sets the {kind} variable `{}` twice",
                            name.name
                        ),
                        format!("remove one of the two `{}`", name.name),
                    )
                } else {
                    (
                        format!(
                            "container `{container}` sets `{}` both in `env` and as a secret",
                            name.name
                        ),
                        format!(
                            "keep the secret and remove `{}` from `env` (or rename one)",
                            name.name
                        ),
                    )
                };
                out.push(
                    RULE.at(name.span, message)
                        .label("set again here")
                        .with(*first, "first set here")
                        .help(help),
                );
            }
        }
    }
}
