//! W031: `command` or `entrypoint` written as one string with spaces.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::Args;
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "W031",
    name: "command-as-string",
    severity: Severity::Warning,
    summary: "`command` and `entrypoint` are lists of arguments, not one string with spaces",
    why:
        "ECS passes `command` and `entryPoint` to the container as an argument array without a \
          shell: `\"bundle exec puma\"` becomes one argument, and the container fails to start \
          with \"executable file not found\" because no program is named `bundle exec puma`. \
          Write one list item per argument, or run a shell explicitly with `[\"sh\", \"-c\", ...]`.",
    bad: r#"stack demo { region = "eu-west-1" }
task web {
  cpu = 256  memory = 512
  container app {
    image   = "ruby:3.3"
    command = "bundle exec puma -C config/puma.rb"
  }
}"#,
    flagged: "\"bundle exec puma -C config/puma.rb\"",
    good: r#"stack demo { region = "eu-west-1" }
task web {
  cpu = 256  memory = 512
  container app {
    image   = "ruby:3.3"
    command = ["bundle", "exec", "puma", "-C", "config/puma.rb"]
  }
}"#,
    check: Check::Model(check),
};

/// Characters that only a shell interprets: such a command needs `sh -c`.
const SHELL: &[char] = &[
    '|', '&', ';', '<', '>', '$', '`', '*', '?', '(', ')', '~', '\\', '\n',
];

/// Splits on whitespace, keeping single- or double-quoted parts together.
/// `None` when a quote is left open.
fn split(s: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    for ch in s.chars() {
        match quote {
            Some(q) if ch == q => quote = None,
            Some(_) => cur.push(ch),
            None if ch == '\'' || ch == '"' => {
                quote = Some(ch);
                in_word = true;
            }
            None if ch.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            None => {
                cur.push(ch);
                in_word = true;
            }
        }
    }
    if quote.is_some() {
        return None;
    }
    if in_word {
        out.push(cur);
    }
    Some(out)
}

/// A string literal of the language.
fn literal(s: &str) -> String {
    let mut out = String::from("\"");
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '$' if chars.peek() == Some(&'{') => out.push_str("\\$"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn list(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|i| literal(i)).collect();
    format!("[{}]", items.join(", "))
}

/// Programs that interpret their `-c` argument themselves.
const SHELLS: &[&str] = &["sh", "bash", "/bin/sh", "/bin/bash", "ash", "/bin/ash"];

/// The argument list to suggest, and whether it runs through a new shell.
fn suggestion(text: &str) -> (Vec<String>, bool) {
    if let Some(words) = split(text) {
        let runs_shell =
            words.len() == 3 && SHELLS.contains(&words[0].as_str()) && words[1] == "-c";
        if runs_shell || !text.contains(SHELL) {
            return (words, false);
        }
    }
    (vec!["sh".into(), "-c".into(), text.to_string()], true)
}

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    for task in &cx.model.tasks {
        for c in &task.containers {
            for (key, args) in [("command", &c.command), ("entrypoint", &c.entrypoint)] {
                let Some(Args {
                    items,
                    written_as_string: true,
                    span,
                }) = args
                else {
                    continue;
                };
                let Some(text) = items.first() else { continue };
                if !text.trim().contains(char::is_whitespace) {
                    continue;
                }
                let (fixed, shell) = suggestion(text.trim());
                out.push(
                    RULE.at(
                        *span,
                        format!(
                            "the {key} of container `{}` is one string with spaces, which ECS passes as a single argument",
                            c.name.name
                        ),
                    )
                    .label("one argument with spaces")
                    .help(if shell {
                        format!("it uses shell syntax: run it through a shell, `{key} = {}`", list(&fixed))
                    } else {
                        format!("write one item per argument: `{key} = {}`", list(&fixed))
                    }),
                );
            }
        }
    }
}
