//! E039: a health check command names its form (`CMD`, `CMD-SHELL`) once,
//! and exactly as Docker spells it.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::Os;
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "E039",
    name: "health-check-command",
    severity: Severity::Error,
    summary: "A health check command does not repeat `CMD`/`CMD-SHELL` inside its text, nor spell them differently",
    why: "ECS HealthCheck.command is a list whose first item is `CMD` (run the rest directly) or \
          `CMD-SHELL` (run the second item with the container's default shell). ecsc writes that \
          first item: a string becomes `[\"CMD-SHELL\", string]`, a list without it \
          `[\"CMD\", …]`. Writing the word again — `command = \"CMD-SHELL curl …\"`, or \
          `[\"cmd-shell\", …]` in another case, or Docker's `NONE` — makes the check run a \
          program of that name, which does not exist: the check fails every time, and ECS \
          replaces the task over and over (ECS API reference, HealthCheck; Docker HEALTHCHECK).",
    bad: r#"stack demo { region = "eu-west-1" }
task api {
  cpu = 256  memory = 512
  container app {
    image = "nginx:1.27"
    health { command = "CMD-SHELL curl -f http://localhost/ || exit 1" }
  }
}"#,
    flagged: "\"CMD-SHELL curl -f http://localhost/ || exit 1\"",
    good: r#"stack demo { region = "eu-west-1" }
task api {
  cpu = 256  memory = 512
  container app {
    image = "nginx:1.27"
    health { command = "curl -f http://localhost/ || exit 1" }
  }
}"#,
    check: Check::Model(check),
};

/// The form word a text starts with, when it names one. On Windows `cmd`
/// in another case is its shell, a program that exists.
fn form_word(text: &str, windows: bool) -> Option<&'static str> {
    let first = text.split_whitespace().next()?;
    ["CMD-SHELL", "CMD", "NONE"]
        .into_iter()
        .find(|w| first == *w || (first.eq_ignore_ascii_case(w) && !(windows && *w == "CMD")))
}

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    for task in &cx.model.tasks {
        for c in &task.containers {
            let Some(h) = &c.health else { continue };
            let cmd = &h.command.value;
            let (Some(form), Some(second)) = (cmd.first(), cmd.get(1)) else {
                continue;
            };
            let Some(word) = form_word(second, task.os.value == Os::Windows) else {
                continue;
            };
            let name = &c.name.name;
            let (message, help) = if word == "NONE" {
                (
                    format!(
                        "the health check of container `{name}` runs a program named `{second}`"
                    ),
                    "remove the `health` block to have no container health check".to_string(),
                )
            } else if form == "CMD-SHELL" {
                let rest = second.trim_start()[word.len()..].trim();
                (
                    format!(
                        "the health check of container `{name}` runs in a shell already; `{word}` in its text is run as a program"
                    ),
                    match rest.is_empty() {
                        true => "write the check itself, e.g. `command = \"curl -f http://localhost/ || exit 1\"` (a string runs in a shell)".to_string(),
                        false => format!("write `command = \"{rest}\"` (a string runs in a shell)"),
                    },
                )
            } else {
                let rest: Vec<String> = cmd[2..].iter().map(|a| format!("\"{a}\"")).collect();
                let exact = if word == "CMD-SHELL" {
                    // The shell form takes one string.
                    format!("command = \"{}\"", cmd[2..].join(" "))
                } else {
                    format!("command = [{}]", rest.join(", "))
                };
                (
                    format!(
                        "the health check of container `{name}` runs a program named `{second}`: ecsc writes `CMD` or `CMD-SHELL` itself"
                    ),
                    match cmd.len() > 2 {
                        true => format!("write `{exact}`"),
                        false => "write the check itself, e.g. `command = \"curl -f http://localhost/ || exit 1\"`".to_string(),
                    },
                )
            };
            out.push(
                RULE.at(h.command.span, message)
                    .label("fails every time")
                    .help(help),
            );
        }
    }
}
