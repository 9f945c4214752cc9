//! E047: a repository's KMS key goes with KMS encryption, in its Region.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::Encryption;
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "E047",
    name: "repository-encryption",
    severity: Severity::Error,
    summary:
        "A repository's `kms_key` comes with `encryption = kms` and is a key of the stack's Region",
    why: "ECR takes a KMS key only for the `KMS` encryption type, and the key must exist in the \
          same Region as the repository (Amazon ECR API Reference, EncryptionConfiguration, \
          kmsKey). A key with `AES256`, or a key ARN of another Region, fails the stack with \
          InvalidParameterException or KmsException. A repository's encryption cannot be \
          changed after it is created.",
    bad: r#"stack shop { region = "eu-west-1" }
repository web {
  encryption = aes256
  kms_key    = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}"#,
    flagged: "aes256",
    good: r#"stack shop { region = "eu-west-1" }
repository web {
  encryption = kms
  kms_key    = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let stack_region = &cx.model.stack.region;
    for r in cx
        .model
        .repositories
        .iter()
        .filter(|r| r.existing.is_none())
    {
        let Some(key) = &r.kms_key else {
            continue;
        };
        if r.encryption.value == Encryption::Aes256 {
            out.push(
                RULE.at(
                    r.encryption.span,
                    format!(
                        "repository `{}` is encrypted with `aes256` but names a KMS key",
                        r.name.name
                    ),
                )
                .label("S3-managed keys take no KMS key")
                .with(key.span, "KMS key given here")
                .help("write `encryption = kms` to encrypt with this key, or remove `kms_key`"),
            );
            continue;
        }
        let region = crate::arn::Arn::parse(&key.value)
            .filter(|a| a.service == "kms")
            .map(|a| a.region);
        if let Some(region) = region.filter(|r| !r.is_empty() && r != stack_region) {
            out.push(
                RULE.at(
                    key.span,
                    format!("the KMS key of repository `{}` is in {region}, but the stack deploys to {stack_region}", r.name.name),
                )
                .label(format!("a key of {region}"))
                .help(format!("use a KMS key of {stack_region} (a repository is encrypted with a key of its own Region)")),
            );
        }
    }
}
