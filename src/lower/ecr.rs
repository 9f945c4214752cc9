//! `repository NAME { … }`: ECR repositories, new or existing.

use super::existing::{existing, not_on_existing, says_existing};
use super::network::declaration;
use super::reader::{Cx, Reader};
use super::symbols::Kind;
use crate::diagnostic::Diagnostic;
use crate::model::*;
use crate::source::Spanned;
use crate::syntax::ast::{Block, Value, ValueKind};

const ENCRYPTIONS: &[(&str, Encryption)] =
    &[("aes256", Encryption::Aes256), ("kms", Encryption::Kms)];

/// What a new repository sets and an existing one keeps.
const SETTINGS: &[&str] = &[
    "name",
    "scan_on_push",
    "immutable_tags",
    "keep_last",
    "expire_untagged",
    "encryption",
    "kms_key",
    "force_delete",
];

pub fn repository(cx: &mut Cx<'_>, block: &Block) -> Repository {
    let (name, mut r) = declaration(cx, block, Kind::Repository);
    let existing = existing(cx, &mut r, Kind::Repository);
    if says_existing(&r) {
        let what = format!("repository `{}`", name.name);
        for key in SETTINGS {
            not_on_existing(cx, &r, ("repository", &what), key);
        }
    }
    let written = r.string(cx, "name");
    let named = written.is_some();
    let repository_name = match (&existing, written) {
        (Some(Existing::Id(id)), _) => Spanned::new(
            crate::schema::repository_name_of(&id.value)
                .unwrap_or(&id.value)
                .to_string(),
            id.span,
        ),
        (_, Some(n)) => n,
        // Another stack's repositories are namespaced by their stack.
        (_, None) => Spanned::new(
            format!("{}/{}", cx.stack, name.name).to_lowercase(),
            name.span,
        ),
    };
    let scan_on_push = r.flag(cx, "scan_on_push", true).value;
    let immutable_tags = r.flag(cx, "immutable_tags", true).value;
    let keep_last = r.int(cx, "keep_last");
    let expire_untagged_days = r.value(cx, "expire_untagged").and_then(|v| days(cx, v));
    let kms_key = r.string(cx, "kms_key");
    // A key is only used with KMS encryption (E047 reports `aes256` with
    // a key).
    let default = match kms_key {
        Some(_) => Encryption::Kms,
        None => Encryption::Aes256,
    };
    let encryption = r
        .keyword(cx, "encryption", ENCRYPTIONS)
        .unwrap_or(Spanned::new(default, name.span));
    let force_delete = r.flag(cx, "force_delete", false).value;
    r.finish(cx);
    Repository {
        name,
        repository_name,
        named,
        existing,
        scan_on_push,
        immutable_tags,
        keep_last,
        expire_untagged_days,
        encryption,
        kms_key,
        force_delete,
        span: block.span,
    }
}

/// `repository = NAME` with `tag` or `digest` in a container: `None` when
/// the container names no repository, `Some(None)` when it names one
/// badly (reported).
pub(super) fn repository_image(
    cx: &mut Cx<'_>,
    r: &mut Reader<'_>,
    container: &Name,
) -> Option<Option<RepositoryImage>> {
    let written = r.key_span("repository").is_some();
    let repository = r.reference(cx, "repository", Kind::Repository);
    let tag = r.string(cx, "tag");
    let digest = r.string(cx, "digest");
    if !written {
        for (key, value) in [("tag", &tag), ("digest", &digest)] {
            if let Some(v) = value {
                cx.error(
                    Diagnostic::error(
                        "E009",
                        v.span,
                        format!("`{key}` of container `{}` names an image of a repository, but the container has no `repository`", container.name),
                    )
                    .label("no repository to take it from")
                    .help(format!("add `repository = <a repository>` next to `{key}`, or remove `{key}` and write the whole `image`")),
                );
            }
        }
        return None;
    }
    let reference = match (tag, digest) {
        (Some(t), None) => Spanned::new(ImageReference::Tag(t.value), t.span),
        (None, Some(d)) => Spanned::new(ImageReference::Digest(d.value), d.span),
        (Some(t), Some(d)) => {
            cx.error(
                Diagnostic::error(
                    "E009",
                    d.span,
                    format!(
                        "container `{}` takes its image by `tag` or by `digest`, not both",
                        container.name
                    ),
                )
                .label("second image reference")
                .with(t.span, "`tag` set here")
                .help(
                    "keep one: `digest` pins one image for good, `tag` names whatever image has it",
                ),
            );
            return Some(None);
        }
        (None, None) => {
            cx.error(
                Diagnostic::error(
                    "E006",
                    container.span,
                    format!(
                        "container `{}` names a repository but not which image of it",
                        container.name
                    ),
                )
                .label("`tag` or `digest` is required with `repository`")
                .help("add `tag = \"1.4.2\"`, or `digest = \"sha256:…\"` for one image for good"),
            );
            return Some(None);
        }
    };
    Some(repository.map(|id| RepositoryImage {
        repository: Spanned::new(RepositoryId(id.value), id.span),
        reference,
    }))
}

/// E009 for a container with both `image` and `repository`, E006 for one
/// with neither.
pub(super) fn one_image_source(
    cx: &mut Cx<'_>,
    r: &Reader<'_>,
    container: &Name,
    image: bool,
    repository: bool,
) {
    match (r.key_span("image"), r.key_span("repository")) {
        (Some(image_span), Some(repository_span)) => cx.error(
            Diagnostic::error(
                "E009",
                repository_span,
                format!("container `{}` has both `image` and `repository`", container.name),
            )
            .label("second image source")
            .with(image_span, "`image` set here")
            .help("keep one: `image = \"…\"` for an image written out, or `repository` with `tag` or `digest` for one of the stack's repositories"),
        ),
        (None, None) if !image && !repository => cx.error(
            Diagnostic::error(
                "E006",
                container.span,
                format!("container `{}` has no image", container.name),
            )
            .label("`image` or `repository` is required")
            .help("add `image = \"public.ecr.aws/nginx/nginx:1.27\"`, or `repository = <a repository>` with `tag = \"…\"`"),
        ),
        // A bad value, reported where it was read.
        _ => {}
    }
}

/// `expire_untagged`: a number of days, or a duration in whole days
/// (`14d`), at least one.
fn days(cx: &mut Cx<'_>, v: &Value) -> Option<Spanned<u64>> {
    let v = cx.substitute(v);
    let days = match &v.kind {
        ValueKind::Int(n) => *n,
        ValueKind::Duration(ms) if ms % 86_400_000 == 0 => ms / 86_400_000,
        ValueKind::Duration(_) => {
            cx.range_error(
                "expire_untagged",
                v.span,
                "must be a whole number of days".into(),
                "ECR counts the age of images in days; write e.g. `expire_untagged = 14d`".into(),
            );
            return None;
        }
        _ => {
            cx.type_error("expire_untagged", &v, "a number of days", "14d");
            return None;
        }
    };
    if !(1..=i32::MAX.unsigned_abs().into()).contains(&days) {
        cx.range_error(
            "expire_untagged",
            v.span,
            format!("is {days} days; ECR takes 1 or more"),
            "write the age at which untagged images expire, e.g. `expire_untagged = 14d`".into(),
        );
        return None;
    }
    Some(Spanned::new(days, v.span))
}
