//! E099: the stack's tags are ones every resource accepts (W092 until
//! AWS's rejection of each case made it an error).

use crate::diagnostic::{Diagnostics, Severity};
use crate::rules::{Check, Context, Rule};
use std::collections::HashMap;

pub const RULE: Rule = Rule {
    code: "E099",
    name: "tags",
    severity: Severity::Error,
    summary: "Stack tags: at most 50 with the Name tag, keys 1–128 and values up to 256 characters, no `aws:` prefix, no duplicates",
    why: "ecsc puts the stack's tags, plus a `Name` tag, on every resource. AWS accepts at most 50 \
          tags per resource, keys of 1–128 and values of up to 256 characters, unique keys, and \
          reserves the `aws:` prefix for itself; a stack breaking any of these fails on the first \
          resource it tags (\"Invalid tag key\", TooManyTagsException).",
    bad: r#"stack demo {
  region = "eu-west-1"
  tags   = { Team = "storefront", "aws:cost-center" = "42" }
}
vpc main { cidr = 10.0.0.0/16 }"#,
    flagged: "\"aws:cost-center\"",
    good: r#"stack demo {
  region = "eu-west-1"
  tags   = { Team = "storefront", CostCenter = "42" }
}
vpc main { cidr = 10.0.0.0/16 }"#,
    check: Check::Model(check),
};

const LABEL: &str = "this tag";
const MAX_TAGS: usize = 50;
const MAX_KEY: usize = 128;
const MAX_VALUE: usize = 256;

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let stack = &cx.model.stack;
    let span = stack.span;
    let tags = &stack.tags;
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, (k, v)) in tags.iter().enumerate() {
        let (key_span, value_span) = stack.tag_spans.get(i).copied().unwrap_or((span, span));
        if let Some(first) = seen.insert(k.as_str(), i) {
            out.push(
                RULE.at(
                    key_span,
                    format!(
                        "the tag `{k}` is given twice (tags {} and {})",
                        first + 1,
                        i + 1
                    ),
                )
                .label(LABEL)
                .help(format!("keep one `{k}` in `tags`")),
            );
            seen.insert(k.as_str(), first);
        }
        let n = k.chars().count();
        if n == 0 || n > MAX_KEY {
            out.push(
                RULE.at(
                    key_span,
                    format!(
                        "a tag key is 1–{MAX_KEY} characters, `{}` has {n}",
                        shorten(k)
                    ),
                )
                .label(LABEL)
                .help(format!("use a key of 1 to {MAX_KEY} characters")),
            );
        }
        if k.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("aws:")) {
            out.push(
                RULE.at(
                    key_span,
                    format!("the tag key `{k}` starts with `aws:`, a prefix AWS reserves"),
                )
                .label(LABEL)
                .help(match &k[4..] {
                    "" => "use a key without the prefix".to_string(),
                    rest => format!("drop the prefix: `\"{rest}\" = ...`"),
                }),
            );
        }
        let n = v.chars().count();
        if n > MAX_VALUE {
            out.push(
                RULE.at(
                    value_span,
                    format!("the value of tag `{k}` has {n} characters, more than {MAX_VALUE}"),
                )
                .label(LABEL)
                .help(format!("shorten the value to {MAX_VALUE} characters")),
            );
        }
    }
    // What each resource gets: the user's tags (a user `Name` is replaced by
    // ecsc's) plus `Name`.
    let total = seen.keys().filter(|k| **k != "Name").count() + 1;
    if total > MAX_TAGS {
        out.push(
            RULE.at(span, format!("resources would get {total} tags (the stack's plus `Name`), more than {MAX_TAGS}"))
                .label(LABEL)
                .help(format!("keep at most {} stack tags besides `Name`", MAX_TAGS - 1)),
        );
    }
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s.to_string()
    }
}
