//! E046: a container's image tag or digest has the shape registries take.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::ImageReference;
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "E046",
    name: "image-reference",
    severity: Severity::Error,
    summary: "An image `tag` is 1–128 letters, digits, `_`, `.` and `-`, not starting with `.` or `-`; a `digest` is `sha256:` and 64 hex digits",
    why: "An image reference names a tag matching `[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}` or a digest \
          `algorithm:hex` (OCI Distribution Specification, \"Pulling manifests\"; ECR stores \
          `sha256` digests, 64 lowercase hex digits: Amazon ECR API Reference, ImageIdentifier). \
          ECS registers a task definition with any string, so a malformed tag or digest fails \
          only when a task starts, with CannotPullContainerError (\"invalid reference format\"), \
          and the service never becomes stable.",
    bad: r#"stack shop { region = "eu-west-1" }
repository web { }
task api {
  cpu = 256  memory = 512
  container app { repository = web  tag = "v1.4.2+build.7" }
}"#,
    flagged: "\"v1.4.2+build.7\"",
    good: r#"stack shop { region = "eu-west-1" }
repository web { }
task api {
  cpu = 256  memory = 512
  container app { repository = web  tag = "v1.4.2-build.7" }
}"#,
    check: Check::Model(check),
};

/// Whether a tag is one a registry takes.
fn valid_tag(tag: &str) -> bool {
    let mut bytes = tag.bytes();
    let first_ok = bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_');
    first_ok && tag.len() <= 128 && bytes.all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b))
}

/// Whether a digest is `sha256:` and 64 lowercase hex digits.
fn valid_digest(digest: &str) -> bool {
    digest.strip_prefix("sha256:").is_some_and(|hex| {
        hex.len() == 64
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    for task in &cx.model.tasks {
        for c in &task.containers {
            let Some(from) = &c.from_repository else {
                continue;
            };
            let span = from.reference.span;
            match &from.reference.value {
                ImageReference::Tag(tag) if !valid_tag(tag) => out.push(
                    RULE.at(
                        span,
                        format!("`{tag}` is not an image tag (container `{}` of task `{}`)", c.name.name, task.name.name),
                    )
                    .label("not a valid tag")
                    .help("a tag is 1–128 letters, digits, `_`, `.` and `-`, and starts with a letter, digit or `_`, e.g. `tag = \"1.4.2\"`"),
                ),
                ImageReference::Digest(digest) if !valid_digest(digest) => out.push(
                    RULE.at(
                        span,
                        format!("`{digest}` is not an image digest (container `{}` of task `{}`)", c.name.name, task.name.name),
                    )
                    .label("not a sha256 digest")
                    .help("write the digest ECR shows for the image: `sha256:` and 64 lowercase hex digits (`aws ecr describe-images`), or use `tag`"),
                ),
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert!(valid_tag("1.4.2"));
        assert!(valid_tag("_x"));
        assert!(!valid_tag(".x"));
        assert!(!valid_tag(""));
        assert!(!valid_tag(&"a".repeat(129)));
        assert!(valid_digest(&format!("sha256:{}", "0a".repeat(32))));
        assert!(!valid_digest(&format!("sha256:{}", "0A".repeat(32))));
        assert!(!valid_digest("sha256:abc"));
    }
}
