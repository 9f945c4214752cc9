//! E045: a repository's name is one ECR accepts, used by one repository.

use crate::diagnostic::{Diagnostics, Severity};
use crate::rules::{Check, Context, Rule};
use crate::schema::repository_name;

pub const RULE: Rule = Rule {
    code: "E045",
    name: "repository-name",
    severity: Severity::Error,
    summary: "A repository's name is 2–256 lowercase letters, digits and `/`, with `.`, `_` or `-` between them, and names one repository",
    why: "CreateRepository (and CloudFormation's `RepositoryName`) takes 2 to 256 characters \
          matching `(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*`: lowercase \
          path components separated by `/`, each letters and digits joined by `.`, `_`, `__` \
          or hyphens (Amazon ECR API Reference, CreateRepository, repositoryName). Capitals, \
          spaces, a leading or trailing separator or an empty component fail the stack with \
          InvalidParameterException. Names are unique in an account's Region, so two \
          repositories of one stack with one name fail too. The derived name is \
          `<stack>/<name>` in lowercase.",
    bad: r#"stack shop { region = "eu-west-1" }
repository web { name = "Shop/Web" }"#,
    flagged: "\"Shop/Web\"",
    good: r#"stack shop { region = "eu-west-1" }
repository web { name = "shop/web" }"#,
    check: Check::Model(check),
};

/// A valid name close to `name`: lowercase, other characters as hyphens,
/// no empty component, no separator at either end of one.
fn suggestion(name: &str) -> String {
    let lower = name.to_lowercase();
    let components: Vec<String> = lower
        .split('/')
        .map(|c| {
            let mut out = String::new();
            for ch in c.chars() {
                let ch = if ch.is_ascii_lowercase() || ch.is_ascii_digit() {
                    ch
                } else {
                    '-'
                };
                if ch == '-' && (out.is_empty() || out.ends_with('-')) {
                    continue;
                }
                out.push(ch);
            }
            out.trim_end_matches('-').to_string()
        })
        .filter(|c| !c.is_empty())
        .collect();
    components.join("/")
}

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let mut seen: Vec<(&str, &crate::model::Repository)> = Vec::new();
    for r in cx
        .model
        .repositories
        .iter()
        .filter(|r| r.existing.is_none())
    {
        let name = &r.repository_name;
        let where_ = if r.named {
            "write".to_string()
        } else {
            format!(
                "`{}` comes from the stack and declaration names; write",
                name.value
            )
        };
        if !repository_name(&name.value) {
            let n = name.value.chars().count();
            let fixed = suggestion(&name.value);
            let message = if !(2..=256).contains(&n) {
                format!(
                    "repository name `{}` has {n} characters; ECR takes 2 to 256",
                    name.value
                )
            } else {
                format!("`{}` is not a repository name ECR accepts", name.value)
            };
            let help = if repository_name(&fixed) {
                format!("{where_} `name = \"{fixed}\"`: lowercase letters and digits, `/` between components, and `.`, `_` or `-` between letters")
            } else {
                format!("{where_} a `name` of 2–256 lowercase letters and digits, `/` between components, and `.`, `_` or `-` between letters, e.g. `name = \"shop/web\"`")
            };
            out.push(
                RULE.at(name.span, message)
                    .label("not a valid repository name")
                    .help(help),
            );
            continue;
        }
        if let Some((_, first)) = seen.iter().find(|(n, _)| *n == name.value) {
            out.push(
                RULE.at(
                    name.span,
                    format!(
                        "repositories `{}` and `{}` are both named `{}`",
                        first.name.name, r.name.name, name.value
                    ),
                )
                .label("second repository of this name")
                .with(first.repository_name.span, "first one")
                .help(
                    "give each repository its own `name`: names are unique in an account's Region",
                ),
            );
            continue;
        }
        seen.push((&name.value, r));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_are_valid_names() {
        assert_eq!(suggestion("Shop/Web"), "shop/web");
        assert_eq!(suggestion("my repo//x_"), "my-repo/x");
        assert!(repository_name("a__b.c--d/e"));
        assert!(!repository_name("a_.b"));
        assert!(!repository_name("a/"));
        assert!(!repository_name("x"));
    }
}
