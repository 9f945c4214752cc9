//! W045: a container does not take `latest` from a repository whose tags
//! are immutable.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::ImageReference;
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "W045",
    name: "latest-immutable",
    severity: Severity::Warning,
    summary: "A container does not run tag `latest` of a repository with immutable tags",
    why: "With tag immutability on, ECR rejects a push of a tag the repository already has \
          (ImageTagAlreadyExistsException; Amazon ECR User Guide, \"Preventing image tags from \
          being overwritten\"). `latest` can then be pushed once: CI's second push fails, and \
          the task keeps running the first image ever pushed. Pin a version tag (or a digest), \
          let CI pass the tag it pushed (`external_image = true`), or make the repository's \
          tags mutable.",
    bad: r#"stack shop { region = "eu-west-1" }
repository web { }
task api {
  cpu = 256  memory = 512
  container app { repository = web  tag = "latest" }
}"#,
    flagged: "\"latest\"",
    good: r#"stack shop { region = "eu-west-1" }
repository web { }
task api {
  cpu = 256  memory = 512
  container app { repository = web  tag = "1.4.2" }
}"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    for task in &m.tasks {
        for c in &task.containers {
            // With `external_image`, the tag is only the input's example.
            let Some(from) = c
                .from_repository
                .as_ref()
                .filter(|_| !c.image_managed_outside)
            else {
                continue;
            };
            let repository = &m[from.repository.value];
            // An existing repository's settings are not known here.
            if repository.existing.is_some() || !repository.immutable_tags {
                continue;
            }
            if from.reference.value == ImageReference::Tag("latest".into()) {
                out.push(
                    RULE.at(
                        from.reference.span,
                        format!(
                            "container `{}` of task `{}` runs `latest` from repository `{}`, whose tags are immutable",
                            c.name.name, task.name.name, repository.name.name
                        ),
                    )
                    .label("can be pushed only once")
                    .with(repository.name.span, "tags are immutable (the default)")
                    .help("pin the version CI pushes (`tag = \"1.4.2\"`), or add `external_image = true` so each deploy passes the tag it pushed"),
                );
            }
        }
    }
}
