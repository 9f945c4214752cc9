//! W071: a secret-looking environment variable with a literal value.

use crate::diagnostic::{Diagnostics, Severity};
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "W071",
    name: "plaintext-secret",
    severity: Severity::Warning,
    summary:
        "Variables named like secrets (PASSWORD, TOKEN, API_KEY, …) come from `secret`, not `env`",
    why: "`env` values are written into the task definition in plain text: anyone who can \
          describe task definitions, read the template or the repository sees them, and they \
          stay in every task definition revision. A `secret` is fetched from SSM Parameter \
          Store or Secrets Manager when the task starts. Names containing PASSWORD, SECRET, \
          TOKEN, API_KEY, PRIVATE_KEY or ACCESS_KEY are flagged, except references such as \
          `*_FILE`, `*_PATH`, `*_ARN` or ARN values. Silence a false positive with \
          `# ecsc-allow W071: reason`.",
    bad: r#"stack demo { region = "eu-west-1" }
task api {
  cpu = 256  memory = 512
  container app {
    image = "nginx:1.27"
    env   = { DB_PASSWORD = "hunter2" }
  }
}"#,
    flagged: "\"hunter2\"",
    good: r#"stack demo { region = "eu-west-1" }
task api {
  cpu = 256  memory = 512
  container app {
    image = "nginx:1.27"
    secret DB_PASSWORD from ssm "/demo/db_password"
  }
}"#,
    check: Check::Model(check),
};

const WORDS: &[&str] = &[
    "PASSWORD",
    "SECRET",
    "TOKEN",
    "API_KEY",
    "PRIVATE_KEY",
    "ACCESS_KEY",
];
/// Names that hold where a secret is, not the secret.
const REFERENCE_SUFFIXES: &[&str] = &[
    "_FILE",
    "_PATH",
    "_ARN",
    "_NAME",
    "_ID",
    "_URL",
    "_ENDPOINT",
];

fn looks_secret(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    WORDS.iter().any(|w| upper.contains(w))
        && !REFERENCE_SUFFIXES.iter().any(|s| upper.ends_with(s))
}

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    for task in &m.tasks {
        for c in &task.containers {
            for (name, value) in &c.env {
                if value.value.trim().is_empty()
                    || value.value.starts_with("arn:")
                    || !looks_secret(&name.name)
                {
                    continue;
                }
                let path = format!("/{}/{}", m.stack.name, name.name.to_ascii_lowercase());
                out.push(
                    RULE.at(
                        value.span,
                        format!("`{}` looks like a secret but is set in plain text in `env`", name.name),
                    )
                    .label("plain text in the task definition")
                    .with(name.span, "secret-like name")
                    .help(format!(
                        "store the value in SSM (SecureString) and write `secret {} from ssm \"{path}\"` instead of the `env` entry",
                        name.name
                    )),
                );
            }
        }
    }
}
