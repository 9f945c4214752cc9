//! W072: a Secrets Manager secret named in a way Secrets Manager reads as a
//! complete ARN.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::SecretStore;
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "W072",
    name: "secret-name-suffix",
    severity: Severity::Warning,
    summary: "A Secrets Manager secret named in `from` (not by ARN) does not end in a hyphen and six letters or digits",
    why: "ECS takes a Secrets Manager secret of the stack's Region by name; ecsc passes \
          `arn:…:secret:<name>`, a partial ARN. Secrets Manager appends a hyphen and six random \
          characters to every secret's ARN, and \"if your secret has a name that ends in a hyphen \
          followed by six characters … those characters cause Secrets Manager to assume that \
          you're specifying a complete ARN\": a secret named `app-secret` (real ARN \
          `…:secret:app-secret-AbCdEf`) is then not found and the task fails to start \
          (Secrets Manager API reference, SecretId). ecsc grants the execution role the name as \
          written in that case, matching how Secrets Manager resolves it.",
    bad: r#"stack demo { region = "eu-west-1" }
task api {
  cpu = 256  memory = 512
  container app {
    image = "nginx:1.27"
    secret API_KEY from secretsmanager "shop/api-secret"
  }
}"#,
    flagged: "\"shop/api-secret\"",
    good: r#"stack demo { region = "eu-west-1" }
task api {
  cpu = 256  memory = 512
  container app {
    image = "nginx:1.27"
    secret API_KEY from secretsmanager "arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/api-secret-AbCdEf"
  }
}"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    for task in &cx.model.tasks {
        for c in &task.containers {
            for s in &c.secrets {
                let from = &s.from.value;
                if s.store.value != SecretStore::SecretsManager
                    || from.starts_with("arn:")
                    || !crate::arn::has_secret_suffix(from)
                {
                    continue;
                }
                out.push(
                    RULE.at(
                        s.from.span,
                        format!(
                            "secret `{}` names \"{from}\", which Secrets Manager reads as a complete ARN ending in its random suffix",
                            s.name.name
                        ),
                    )
                    .label("ends like a random suffix")
                    .help(format!(
                        "write the secret's complete ARN from Secrets Manager (`arn:aws:secretsmanager:{}:<account>:secret:{from}-AbCdEf`), or rename the secret",
                        cx.model.stack.region
                    )),
                );
            }
        }
    }
}
