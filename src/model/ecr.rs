//! ECR repositories and the images containers take from them.

use super::*;

/// `repository NAME { … }`: an ECR repository.
#[derive(Debug, Clone)]
pub struct Repository {
    pub name: Name,
    /// The repository's own name (`shop/web`): written, or
    /// `<stack>/<name>` in lowercase. For an existing repository given by
    /// name, that name.
    pub repository_name: Spanned<String>,
    /// Set when the name was written (`name = …`), not derived.
    pub named: bool,
    pub existing: Option<Existing>,
    pub scan_on_push: bool,
    pub immutable_tags: bool,
    /// Lifecycle: keep the newest N images.
    pub keep_last: Option<Spanned<u64>>,
    /// Lifecycle: expire untagged images this many days after their push.
    pub expire_untagged_days: Option<Spanned<u64>>,
    pub encryption: Spanned<Encryption>,
    /// `kms_key`, as written.
    pub kms_key: Option<Spanned<String>>,
    pub force_delete: bool,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encryption {
    Aes256,
    Kms,
}

/// An image in a repository of the stack: `repository = NAME` with `tag`
/// or `digest`.
#[derive(Debug, Clone)]
pub struct RepositoryImage {
    pub repository: Spanned<RepositoryId>,
    pub reference: Spanned<ImageReference>,
}

/// Which image of a repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageReference {
    Tag(String),
    Digest(String),
}

impl ImageReference {
    /// What follows the repository in an image reference: `:1.4.2`,
    /// `@sha256:…`.
    pub fn suffix(&self) -> String {
        match self {
            ImageReference::Tag(t) => format!(":{t}"),
            ImageReference::Digest(d) => format!("@{d}"),
        }
    }
}

/// The DNS suffix of a Region's endpoints (`amazonaws.com`, or
/// `amazonaws.com.cn` in China).
pub fn dns_suffix(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "amazonaws.com.cn"
    } else {
        "amazonaws.com"
    }
}
