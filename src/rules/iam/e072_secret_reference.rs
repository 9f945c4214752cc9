//! E072: a secret's `from` names a parameter or secret the way ECS takes it.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::{Secret, SecretStore};
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "E072",
    name: "secret-reference",
    severity: Severity::Error,
    summary: "A secret's `from` is a well-formed ARN or name for its store, and `key` is used only with Secrets Manager",
    why: "ECS passes `from` as the secret's valueFrom. For Secrets Manager it is the secret's ARN \
          (`arn:<partition>:secretsmanager:<region>:<account>:secret:<name>`) or, in the \
          stack's Region, its name; for SSM a parameter ARN \
          (`arn:<partition>:ssm:<region>:<account>:parameter/<name>`) or, in the stack's \
          Region, its name, which starts with `/` when it has a path. A secret of another \
          Region needs the full ARN, for Secrets Manager with the 6-character suffix it adds to \
          the name. JSON keys exist only in Secrets Manager, and `key` appends `:<key>::` to the ARN, \
          so an ARN that already names a JSON key, version stage or version id takes no `key`. \
          Otherwise the task fails to start \
          when it fetches the secret (schema Secret.ValueFrom; ECS secrets guide).",
    bad: r#"stack demo { region = "eu-west-1" }
task api {
  cpu = 256  memory = 512
  container app {
    image = "nginx:1.27"
    secret DB_PASSWORD from ssm "shop/db/password"
  }
}"#,
    flagged: "\"shop/db/password\"",
    good: r#"stack demo { region = "eu-west-1" }
task api {
  cpu = 256  memory = 512
  container app {
    image = "nginx:1.27"
    secret DB_PASSWORD from ssm "/shop/db/password"
  }
}"#,
    check: Check::Model(check),
};

/// An ARN split into (partition, service, region, account, resource).
fn arn_parts(s: &str) -> Option<(&str, &str, &str, &str, &str)> {
    let mut it = s.splitn(6, ':');
    let (Some("arn"), Some(p), Some(svc), Some(r), Some(a), Some(res)) = (
        it.next(),
        it.next(),
        it.next(),
        it.next(),
        it.next(),
        it.next(),
    ) else {
        return None;
    };
    Some((p, svc, r, a, res))
}

fn is_region(r: &str) -> bool {
    let parts: Vec<&str> = r.split('-').collect();
    parts.len() >= 3
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
        && parts
            .last()
            .is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()))
}

fn sm_name_ok(n: &str) -> bool {
    !n.is_empty()
        && n.len() <= 512
        && n.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/_+=.@-".contains(&b))
}

fn ssm_name_ok(n: &str) -> bool {
    !n.is_empty()
        && n.len() <= 2048
        && n.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/_.-".contains(&b))
}

/// What is wrong with `from`, and the fix.
fn problem(s: &Secret, stack_region: &str) -> Option<(String, String)> {
    let from = s.from.value.as_str();
    let store = s.store.value;
    let store_word = match store {
        SecretStore::Ssm => "ssm",
        SecretStore::SecretsManager => "secretsmanager",
    };
    if from.starts_with("arn:") {
        let example = match store {
            SecretStore::Ssm => "arn:aws:ssm:eu-west-1:123456789012:parameter/app/db_password",
            SecretStore::SecretsManager => {
                "arn:aws:secretsmanager:eu-west-1:123456789012:secret:app/db-AbCdEf"
            }
        };
        let Some((partition, service, region, account, resource)) = arn_parts(from) else {
            return Some((
                format!("\"{from}\" is not a complete ARN"),
                format!("write the full ARN, e.g. \"{example}\""),
            ));
        };
        match (store, service) {
            (SecretStore::Ssm, "secretsmanager") => {
                return Some((
                    format!(
                        "secret `{}` reads from SSM but names a Secrets Manager ARN",
                        s.name.name
                    ),
                    format!(
                        "write `secret {} from secretsmanager \"{from}\"`",
                        s.name.name
                    ),
                ))
            }
            (SecretStore::SecretsManager, "ssm") => {
                return Some((
                    format!(
                        "secret `{}` reads from Secrets Manager but names an SSM parameter ARN",
                        s.name.name
                    ),
                    format!("write `secret {} from ssm \"{from}\"`", s.name.name),
                ))
            }
            (_, svc) if svc != store_word => {
                return Some((
                    format!("\"{from}\" is a `{svc}` ARN, not a {store_word} one"),
                    format!("name a {store_word} resource, e.g. \"{example}\""),
                ))
            }
            _ => {}
        }
        if !partition.starts_with("aws") {
            return Some((
                format!("the ARN's partition `{partition}` is not an AWS partition"),
                format!("use `aws` (or `aws-cn`, `aws-us-gov`), e.g. \"{example}\""),
            ));
        }
        if !is_region(region) {
            return Some((
                format!("the ARN's Region `{region}` is not a Region"),
                format!("write the Region the secret is in, e.g. \"{example}\""),
            ));
        }
        // `${aws.account}` is the deploying account: nothing to check.
        let this_account = account.chars().eq([crate::model::ACCOUNT]);
        if !this_account && (account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit())) {
            return Some((
                format!("the ARN's account `{account}` is not a 12-digit account id"),
                format!("write the account that owns the secret, e.g. \"{example}\""),
            ));
        }
        match store {
            SecretStore::Ssm => {
                let Some(name) = resource
                    .strip_prefix("parameter/")
                    .or_else(|| resource.strip_prefix("parameter"))
                else {
                    return Some((
                        format!("the ARN names `{resource}`, not an SSM parameter"),
                        format!("write `parameter/<name>` after the account, e.g. \"{example}\""),
                    ));
                };
                if !ssm_name_ok(name.trim_start_matches('/')) {
                    return Some((
                        format!("the parameter name `{name}` is empty or has characters SSM does not allow"),
                        "use letters, digits, `_`, `.`, `-` and `/`".into(),
                    ));
                }
            }
            SecretStore::SecretsManager => {
                let Some(rest) = resource.strip_prefix("secret:") else {
                    return Some((
                        format!("the ARN names `{resource}`, not a secret"),
                        format!("write `secret:<name>` after the account, e.g. \"{example}\""),
                    ));
                };
                // <name>[:json-key:version-stage:version-id]
                let name = rest.split(':').next().unwrap_or("");
                if !sm_name_ok(name) {
                    return Some((
                        format!("the secret name `{name}` is empty or has characters Secrets Manager does not allow"),
                        "use letters, digits and /_+=.@-".into(),
                    ));
                }
                if rest.split(':').count() > 4 {
                    return Some((
                        "the ARN has more than a json-key, version-stage and version-id after the name".into(),
                        "write `arn:...:secret:<name>`, and the JSON key with `key \"...\"`".into(),
                    ));
                }
                // `key` appends `:<key>::` to the ARN: a second JSON key.
                if let (Some(k), Some((_, after))) = (&s.key, rest.split_once(':')) {
                    let arn_without = from
                        .strip_suffix(after)
                        .unwrap_or(from)
                        .trim_end_matches(':');
                    return Some((
                        format!(
                            "secret `{}` names a JSON key, version stage or version id in its ARN and also `key \"{}\"`",
                            s.name.name, k.value
                        ),
                        format!(
                            "write the secret's ARN alone, `\"{arn_without}\"`, and keep `key \"{}\"`",
                            k.value
                        ),
                    ));
                }
                if region != stack_region && !crate::arn::has_secret_suffix(name) {
                    return Some((
                        format!(
                            "the secret is in {region}, not the stack's Region {stack_region}, and the ARN lacks the 6-character suffix of a full ARN"
                        ),
                        format!(
                            "copy the full ARN from Secrets Manager, ending in `{name}-AbCdEf` (a partial ARN resolves only in the stack's Region)"
                        ),
                    ));
                }
            }
        }
        return None;
    }
    match store {
        SecretStore::SecretsManager if !sm_name_ok(from) => Some((
            format!("\"{from}\" is not a Secrets Manager secret name"),
            "use 1–512 letters, digits and /_+=.@-, or the secret's ARN".into(),
        )),
        SecretStore::Ssm if !ssm_name_ok(from) => Some((
            format!("\"{from}\" is not an SSM parameter name"),
            "use letters, digits, `_`, `.`, `-` and `/`, or the parameter's ARN".into(),
        )),
        SecretStore::Ssm if from.contains('/') && !from.starts_with('/') => Some((
            format!("the SSM parameter name \"{from}\" has a path but does not start with `/`"),
            format!("write `secret {} from ssm \"/{from}\"`: a hierarchical parameter name starts with `/`", s.name.name),
        )),
        _ => None,
    }
}

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    for task in &m.tasks {
        for c in &task.containers {
            for s in &c.secrets {
                if let (Some(k), SecretStore::Ssm) = (&s.key, s.store.value) {
                    out.push(
                        RULE.at(k.span, format!("secret `{}` takes a JSON key from an SSM parameter", s.name.name))
                            .label("JSON keys are Secrets Manager only")
                            .with(s.store.span, "SSM Parameter Store")
                            .help("remove `key` and store the value in its own parameter, or read it `from secretsmanager`"),
                    );
                }
                if let Some((message, help)) = problem(s, &m.stack.region) {
                    out.push(
                        RULE.at(s.from.span, message)
                            .label("invalid secret reference")
                            .help(help),
                    );
                }
            }
        }
    }
}
