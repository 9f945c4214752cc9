//! W032: a health check written as a list (run without a shell) that needs
//! a shell, or a shell form given more than one string.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::Os;
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "W032",
    name: "health-check-form",
    severity: Severity::Warning,
    summary: "A health check list uses no shell syntax (`||`, `&&`, `|`, `;`, `>`, `$(`) and no program name with spaces; a `CMD-SHELL` list has one string",
    why: "A list runs as `CMD`: Docker executes its first item with the rest as arguments, with \
          no shell. `[\"curl -f http://localhost/ || exit 1\"]` looks for a program named with \
          the whole line, and `[\"curl\", \"-f\", \"http://localhost/\", \"||\", \"exit\", \"1\"]` \
          passes `||` to curl: the check fails every time and ECS keeps replacing the task. \
          `CMD-SHELL` runs its one string with `/bin/sh -c`; further items become the shell's \
          `$0`, `$1`, … and are not run (ECS API reference, HealthCheck.command: \
          `[ \"CMD-SHELL\", \"curl -f http://localhost/ || exit 1\" ]`; Docker HEALTHCHECK).",
    bad: r#"stack demo { region = "eu-west-1" }
task api {
  cpu = 256  memory = 512
  container app {
    image = "nginx:1.27"
    health { command = ["curl -f http://localhost/ || exit 1"] }
  }
}"#,
    flagged: "[\"curl -f http://localhost/ || exit 1\"]",
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

/// Shell syntax in one argument of a command run without a shell.
fn shell_syntax(arg: &str) -> Option<&'static str> {
    const TOKENS: [&str; 8] = ["||", "&&", "|", ";", ">", ">>", "<", "2>&1"];
    if let Some(t) = TOKENS.into_iter().find(|t| arg == *t) {
        return Some(t);
    }
    ["||", "&&", "$(", "`"]
        .into_iter()
        .find(|t| arg.contains(*t))
}

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    for task in &cx.model.tasks {
        let windows = task.os.value == Os::Windows;
        for c in &task.containers {
            let Some(h) = &c.health else { continue };
            let cmd = &h.command.value;
            let name = &c.name.name;
            let (Some(form), Some(program)) = (cmd.first(), cmd.get(1)) else {
                continue;
            };
            // A form word written again is E039's.
            let first_word = program.split_whitespace().next().unwrap_or("");
            if ["CMD", "CMD-SHELL", "NONE"]
                .iter()
                .any(|w| first_word.eq_ignore_ascii_case(w))
            {
                continue;
            }
            let args = &cmd[1..];
            let joined = args.join(" ");
            // A shell named explicitly (`["sh", "-c", "…"]`) interprets
            // its script itself.
            if form == "CMD" && runs_a_shell(args) {
                continue;
            }
            let problem = match form.as_str() {
                "CMD" => {
                    // `C:\Program Files\…` is a program path on Windows.
                    let spaced = !windows && program.trim().contains(char::is_whitespace);
                    match args.iter().find_map(|a| shell_syntax(a)) {
                        _ if spaced => Some(format!(
                            "the health check of container `{name}` runs without a shell, so it looks for a program named `{program}`, spaces included"
                        )),
                        Some(t) => Some(format!(
                            "the health check of container `{name}` runs without a shell, so `{t}` is passed to the program as text"
                        )),
                        None => None,
                    }
                }
                "CMD-SHELL" if args.len() > 1 => Some(format!(
                    "the health check of container `{name}` gives the shell {} strings; it runs only the first, `{program}`",
                    args.len()
                )),
                _ => None,
            };
            let Some(message) = problem else { continue };
            out.push(
                RULE.at(h.command.span, message)
                    .label("not run as a shell would")
                    .help(format!(
                        "write it as one string, which runs in a shell: `command = \"{}\"`",
                        joined.replace('"', "\\\"")
                    )),
            );
        }
    }
}

/// `sh -c …`, `/bin/bash -c …`, `cmd /c …`, `powershell -Command …`.
fn runs_a_shell(args: &[String]) -> bool {
    let (Some(program), Some(flag)) = (args.first(), args.get(1)) else {
        return false;
    };
    let base = program
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(program)
        .trim_end_matches(".exe")
        .to_ascii_lowercase();
    let flag = flag.to_ascii_lowercase();
    match base.as_str() {
        "sh" | "bash" | "ash" | "dash" | "zsh" | "ksh" => {
            flag.starts_with('-') && flag.contains('c')
        }
        "cmd" => flag == "/c" || flag == "/k",
        "powershell" | "pwsh" => flag.starts_with("-c"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::runs_a_shell;

    #[test]
    fn an_explicit_shell_is_a_shell() {
        let v = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(runs_a_shell(&v(&[
            "sh",
            "-c",
            "curl -f localhost || exit 1"
        ])));
        assert!(runs_a_shell(&v(&["/bin/bash", "-ec", "a && b"])));
        assert!(runs_a_shell(&v(&["cmd", "/c", "a || b"])));
        assert!(runs_a_shell(&v(&["powershell", "-Command", "a; b"])));
        assert!(!runs_a_shell(&v(&["curl", "-f", "a || b"])));
    }
}
