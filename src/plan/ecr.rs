//! Planning ECR repositories (with their lifecycle policy), and the image
//! of a container that takes it from one.

use super::existing::{existing, Known};
use super::ids::Cx;
use super::*;
use crate::model::{self, dns_suffix, Encryption, Repository, RepositoryId, RepositoryImage};

pub fn repository(m: &Cx<'_>, id: RepositoryId) -> ResId {
    m.repository[id.0].clone()
}

pub fn plan(m: &Cx<'_>, p: &mut Plan) {
    for (i, r) in m.repositories.iter().enumerate() {
        let id = repository(m, RepositoryId(i));
        if let Some(e) = &r.existing {
            let (is, attrs) = existing_attrs(m, &id, e);
            let known = Known {
                noun: "repository",
                spec: &crate::schema::existing::REPOSITORY,
                is,
                attrs,
                label: None,
            };
            existing(p, id, r.span, e, known);
            continue;
        }
        p.add(
            id.clone(),
            r.span,
            Body::from(body::Repository {
                name: r.repository_name.value.clone(),
                scan_on_push: r.scan_on_push,
                immutable_tags: r.immutable_tags,
                encryption: match r.encryption.value {
                    Encryption::Aes256 => "AES256",
                    Encryption::Kms => "KMS",
                },
                kms_key: r.kms_key.as_ref().map(|k| k.value.clone()),
                force_delete: r.force_delete,
            }),
        );
        if let Some(policy) = lifecycle_policy(r) {
            p.add(
                id.sibling(Kind::LifecyclePolicy),
                r.span,
                Body::from(body::LifecyclePolicy {
                    repository: id.attr(Attr::Name),
                    policy,
                }),
            )
            .within(id.clone());
        }
        p.outputs.push(Output {
            name: format!("{}-repository-uri", r.name.name),
            description: format!(
                "URI of repository {} (where CI pushes its images)",
                r.name.name
            ),
            value: id.attr(Attr::Uri).into(),
            export: None,
            declared: false,
        });
    }
}

/// The lifecycle policy of a repository, when it expires anything: the
/// untagged images first, then all but the newest N. AWS evaluates rules
/// by ascending priority and requires the rule for `any` tag status to
/// have the highest number, so it comes last.
fn lifecycle_policy(r: &Repository) -> Option<Value> {
    let rule = |priority: u32, description: String, selection: Doc| -> Value {
        Doc::new()
            .set("rulePriority", priority)
            .set("description", description)
            .set("selection", selection)
            .set("action", Doc::new().set("type", "expire"))
            .into()
    };
    let mut rules = Vec::new();
    if let Some(days) = &r.expire_untagged_days {
        rules.push(rule(
            1,
            format!(
                "Expire untagged images {} days after their push",
                days.value
            ),
            Doc::new()
                .set("tagStatus", "untagged")
                .set("countType", "sinceImagePushed")
                .set("countUnit", "days")
                .set("countNumber", days.value),
        ));
    }
    if let Some(n) = &r.keep_last {
        rules.push(rule(
            2,
            format!("Keep the newest {} images", n.value),
            Doc::new()
                .set("tagStatus", "any")
                .set("countType", "imageCountMoreThan")
                .set("countNumber", n.value),
        ));
    }
    (!rules.is_empty()).then(|| Doc::new().set("rules", rules).into())
}

/// An existing repository is named (or given by ARN): its ARN and URI are
/// built from the name with the partition, Region and account (the ARN's
/// account, when given by ARN); given by ARN, its name is read from it.
fn existing_attrs(m: &Cx<'_>, id: &ResId, e: &model::Existing) -> (&'static [Attr], ExistingAttrs) {
    let suffix = dns_suffix(&m.stack.region);
    let uri = |account: Part, name: Part| {
        Text(vec![account])
            .push(".dkr.ecr.")
            .part(Part::Region)
            .push(format!(".{suffix}/"))
            .part(name)
    };
    if let model::Existing::Id(given) = e {
        if let Some(arn) = crate::arn::Arn::parse(&given.value) {
            let name = crate::schema::repository_name_of(&given.value).unwrap_or_default();
            let attrs = vec![
                (Attr::Id, Text::lit(name)),
                (Attr::Name, Text::lit(name)),
                (
                    Attr::Uri,
                    uri(Part::Lit(arn.account.to_string()), Part::Lit(name.into())),
                ),
            ];
            return (&[Attr::Arn], ExistingAttrs(attrs));
        }
    }
    let name = match e {
        model::Existing::Id(given) => Part::Lit(given.value.clone()),
        model::Existing::Input(_) | model::Existing::Ssm(_) => Part::Ref(id.attr(Attr::Name)),
    };
    let arn = Text::lit("arn:")
        .part(Part::Partition)
        .push(":ecr:")
        .part(Part::Region)
        .push(":")
        .part(Part::Account)
        .push(":repository/")
        .part(name.clone());
    (
        &[Attr::Id, Attr::Name],
        ExistingAttrs(vec![
            (Attr::Arn, arn),
            (Attr::Uri, uri(Part::Account, name)),
        ]),
    )
}

/// The image of a container that takes it from a repository: the
/// repository's URI, then the tag or digest; with `tag_input`, the tag is
/// that deploy-time input.
pub fn image(m: &Cx<'_>, from: &RepositoryImage, tag_input: Option<&str>) -> Value {
    let uri = Part::Ref(repository(m, from.repository.value).attr(Attr::Uri));
    let text = match tag_input {
        Some(input) => Text(vec![uri])
            .push(":")
            .part(Part::Input(input.to_string())),
        None => Text(vec![uri]).push(from.reference.value.suffix()),
    };
    text.into()
}
