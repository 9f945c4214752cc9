//! `id = …` and `id_from_ssm = …`: declarations of resources that exist
//! already (a VPC, subnet, security group or cluster someone else owns).
//! Each kind's id shape and input type come from the schema
//! ([`Kind::existing`](crate::schema::Kind::existing)).

use super::reader::{Cx, Reader};
use super::symbols::Kind;
use crate::diagnostic::Diagnostic;
use crate::model::{Existing, Name};
use crate::schema::ExistingSpec;
use crate::source::{Span, Spanned};
use crate::syntax::ast::ValueKind;

/// `id = "vpc-0123…"`, `id = input` or `id_from_ssm = "/name"`: a resource
/// that exists already. A written id must have the shape AWS gives it.
pub(super) fn existing(cx: &mut Cx<'_>, r: &mut Reader<'_>, kind: Kind) -> Option<Existing> {
    existing_as(cx, r, kind.noun(), kind.existing()?)
}

/// [`existing`] for what is not a declaration (a listener), by its noun.
pub(super) fn existing_as(
    cx: &mut Cx<'_>,
    r: &mut Reader<'_>,
    noun: &str,
    spec: &ExistingSpec,
) -> Option<Existing> {
    let what = format!("a {noun}");
    let ssm = existing_from_ssm(cx, r, &what, spec.what);
    if let (Some(ssm_span), Some(id_span)) = (ssm.as_ref().map(|s| s.span), r.key_span("id")) {
        cx.error(
            Diagnostic::error("E009", ssm_span, format!("{what} takes `id` or `id_from_ssm`, not both"))
                .label(format!("second source of the {}", spec.what))
                .with(id_span, "`id` given here")
                .help(format!("keep one: `id = \"…\"` or `id = input` for the {}, `id_from_ssm = \"/name\"` for an SSM parameter holding it", spec.what)),
        );
    }
    if let Some(name) = ssm {
        // Read `id` too (reported above), so it is not also "unknown".
        let _ = r.value(cx, "id");
        return Some(Existing::Ssm(name));
    }
    let v = r.value(cx, "id")?;
    // A param may hold the id, so environments choose it.
    let v = cx.substitute(v);
    let v = v.as_ref();
    match &v.kind {
        ValueKind::Ref(id) if id.name == "input" => Some(Existing::Input(v.span)),
        ValueKind::Str(parts) => {
            let text = cx.string(parts);
            if !(spec.valid)(&text) {
                cx.range_error(
                    "id",
                    v.span,
                    format!("is `{text}`, which is not {what} {} ({})", spec.what, spec.shape),
                    format!(
                        "write the {} AWS shows, e.g. `id = \"{}\"`, or `id = input` to take it at deploy time",
                        spec.what, spec.example
                    ),
                );
                return None;
            }
            // An ARN names its Region: resources of another one cannot be
            // used by this stack.
            let region = crate::arn::Arn::parse(&text).map_or("", |a| a.region);
            if !region.is_empty() && !cx.region.is_empty() && region != cx.region {
                cx.range_error(
                    "id",
                    v.span,
                    format!("names {what} in {region}, but the stack deploys to {}", cx.region),
                    format!(
                        "name the {noun} of {} (a stack uses resources of its own Region), or `id = input` to take it at deploy time",
                        cx.region
                    ),
                );
                return None;
            }
            Some(Existing::Id(Spanned::new(text, v.span)))
        }
        _ => {
            cx.type_error(
                "id",
                v,
                &format!("{what} {} or `input`", spec.what),
                &format!("\"{}\"", spec.example),
            );
            None
        }
    }
}

/// `id_from_ssm = "/platform/vpc-id"`: the SSM parameter that holds the id,
/// read at deploy time. Parameter names are letters, digits and `_.-/`.
fn existing_from_ssm(
    cx: &mut Cx<'_>,
    r: &mut Reader<'_>,
    what: &str,
    id_word: &str,
) -> Option<Spanned<String>> {
    let name = r.string(cx, "id_from_ssm")?;
    let valid = !name.value.is_empty()
        && name.value.len() <= 2048
        && name
            .value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_.-/".contains(&b));
    if !valid {
        cx.range_error(
            "id_from_ssm",
            name.span,
            format!("is `{}`, which is not an SSM parameter name", name.value),
            format!("name the parameter that holds {what}'s {id_word}, e.g. `id_from_ssm = \"/platform/network/id\"` (letters, digits and `_.-/`)"),
        );
        return None;
    }
    Some(name)
}

/// Whether the block names an existing resource (even one with a bad id,
/// which has its own error).
pub(super) fn says_existing(r: &Reader<'_>) -> bool {
    r.key_span("id").is_some() || r.key_span("id_from_ssm").is_some()
}

/// E006 for an attribute a new resource needs and an existing one may omit;
/// the help's example is the schema's.
pub(super) fn needed_when_new(cx: &mut Cx<'_>, r: &Reader<'_>, kind: Kind, name: &Name, key: &str) {
    let noun = kind.noun();
    let example = r.example(key);
    cx.error(
        Diagnostic::error(
            "E006",
            name.span,
            format!("{noun} `{}` has no `{key}`", name.name),
        )
        .label(format!("`{key}` is required for a new {noun}"))
        .help(format!(
            "add `{key} = {example}`, or `id = \"…\"` / `id = input` if it exists already"
        )),
    );
}

/// Who an existing resource is, in messages: `("listener", "listener
/// `edge:443`")`.
pub(super) type Who<'a> = (&'a str, &'a str);

/// E008 for a setting ecsc would have to change on a resource it does not
/// own (`insights` on an existing cluster).
pub(super) fn not_on_existing(cx: &mut Cx<'_>, r: &Reader<'_>, who: Who<'_>, key: &str) {
    if let Some(span) = r.key_span(key) {
        owned_elsewhere(cx, span, who, &format!("`{key}`"), key);
    }
}

/// E008 at `span`: `key` (an attribute or block) would set what the
/// existing resource keeps (`kept`).
pub(super) fn owned_elsewhere(
    cx: &mut Cx<'_>,
    span: Span,
    (noun, what): Who<'_>,
    kept: &str,
    key: &str,
) {
    cx.error(
        Diagnostic::error(
            "E008",
            span,
            format!("{what} exists already and keeps its own {kept}"),
        )
        .label(format!("ecsc does not change an existing {noun}"))
        .help(format!(
            "remove `{key}`: it is set where the {noun} is managed"
        )),
    );
}
