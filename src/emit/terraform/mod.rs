//! Terraform output: the plan as one JSON configuration (`main.tf.json`)
//! for the hashicorp/aws provider (6.x).
//!
//! The same plan the CloudFormation renderer reads, in Terraform's shape
//! ([`resources`]; see `docs/targets.md` for the table). Resources are keyed
//! by type, then by their Terraform name ([`crate::plan::ResId::terraform_name`]), and
//! written in sorted order, so output is byte-identical across runs.
//!
//! Every string is a Terraform template: literal text is escaped (`${` →
//! `$${`, `%{` → `%%{`) when rendered, and references are written as
//! `${aws_vpc.main.id}` through [`Val::Expr`].

mod resources;

use crate::plan::Plan;
use serde_json::Value as Json;
use std::collections::{BTreeMap, BTreeSet};

/// The provider constraint written in `required_providers`.
pub const AWS_PROVIDER_VERSION: &str = "~> 6.0";

/// A value in a Terraform JSON configuration.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Bool(bool),
    Int(i64),
    /// Literal text: escaped for Terraform's template syntax when rendered.
    Str(String),
    /// Template text written as is: references such as `${aws_vpc.main.id}`,
    /// with any literal parts already escaped (see [`escape`]).
    Expr(String),
    List(Vec<Val>),
    Map(Vec<(String, Val)>),
}

crate::tree::node!(Val);

/// An ordered map being built: a resource body, a nested block, a map.
pub type Obj = crate::tree::Obj<Val>;

/// Escapes literal text for a Terraform template string.
pub fn escape(s: &str) -> String {
    s.replace("${", "$${").replace("%{", "%%{")
}

/// `${<address>.<attribute>}`, e.g. `${aws_vpc.main.id}`.
pub fn reference(kind: &str, name: &str, attribute: &str) -> Val {
    Val::Expr(format!("${{{kind}.{name}.{attribute}}}"))
}

impl Val {
    pub fn to_json(&self) -> Json {
        match self {
            Val::Bool(b) => Json::Bool(*b),
            Val::Int(n) => Json::from(*n),
            Val::Str(s) => Json::String(escape(s)),
            Val::Expr(s) => Json::String(s.clone()),
            Val::List(items) => Json::Array(items.iter().map(Val::to_json).collect()),
            Val::Map(entries) => Json::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_json()))
                    .collect(),
            ),
        }
    }
}

/// One `resource "<type>" "<name>"` block.
#[derive(Debug, Clone)]
pub struct Resource {
    pub body: Obj,
    /// Addresses (`aws_internet_gateway.main`) this one must follow.
    pub depends_on: Vec<String>,
    /// Arguments changed outside Terraform (`lifecycle.ignore_changes`).
    pub ignore_changes: Vec<String>,
}

/// A whole configuration, rendered by [`Configuration::to_json`].
#[derive(Debug, Default)]
pub struct Configuration {
    pub region: String,
    pub default_tags: Vec<(String, String)>,
    /// Data sources read (`aws_partition`, `aws_caller_identity`), all named
    /// `current`.
    pub data: BTreeSet<&'static str>,
    /// Type → name → resource.
    pub resources: BTreeMap<&'static str, BTreeMap<String, Resource>>,
    /// Name → (description, value).
    pub outputs: BTreeMap<String, (String, Val)>,
}

impl Configuration {
    pub fn add(&mut self, kind: &'static str, name: String, body: Obj) -> &mut Resource {
        self.resources
            .entry(kind)
            .or_default()
            .entry(name)
            .or_insert(Resource {
                body,
                depends_on: Vec::new(),
                ignore_changes: Vec::new(),
            })
    }

    pub fn output(&mut self, name: String, description: String, value: Val) {
        self.outputs.insert(name, (description, value));
    }

    /// `${data.aws_partition.current.partition}`, recording the data source.
    pub fn partition(&mut self) -> String {
        self.data.insert("aws_partition");
        "${data.aws_partition.current.partition}".to_string()
    }

    /// `${data.aws_caller_identity.current.account_id}`, recording the data
    /// source.
    pub fn account_id(&mut self) -> String {
        self.data.insert("aws_caller_identity");
        "${data.aws_caller_identity.current.account_id}".to_string()
    }

    /// Every resource as `(type, name)`, in output order.
    pub fn addresses(&self) -> Vec<(&'static str, &str)> {
        self.resources
            .iter()
            .flat_map(|(kind, named)| named.keys().map(move |n| (*kind, n.as_str())))
            .collect()
    }

    fn to_val(&self) -> Val {
        let provider = Obj::new().set("region", self.region.as_str()).opt(
            "default_tags",
            // Map keys are templates too: escape them like values.
            (!self.default_tags.is_empty()).then(|| {
                Obj::new().set(
                    "tags",
                    Val::Map(
                        self.default_tags
                            .iter()
                            .map(|(k, v)| (escape(k), Val::from(v.as_str())))
                            .collect(),
                    ),
                )
            }),
        );
        let mut top = Obj::new()
            .set(
                "terraform",
                Obj::new().set(
                    "required_providers",
                    Obj::new().set(
                        "aws",
                        Obj::new()
                            .set("source", "hashicorp/aws")
                            .set("version", AWS_PROVIDER_VERSION),
                    ),
                ),
            )
            .set("provider", Obj::new().set("aws", provider));
        if !self.data.is_empty() {
            top = top.set(
                "data",
                Val::Map(
                    self.data
                        .iter()
                        .map(|d| (d.to_string(), Obj::new().set("current", Obj::new()).into()))
                        .collect(),
                ),
            );
        }
        let resources = self
            .resources
            .iter()
            .map(|(kind, named)| {
                let named = named
                    .iter()
                    .map(|(name, r)| {
                        let mut body = r.body.clone();
                        if !r.depends_on.is_empty() {
                            let mut deps = r.depends_on.clone();
                            deps.sort();
                            deps.dedup();
                            body = body.set(
                                "depends_on",
                                Val::List(deps.into_iter().map(Val::Expr).collect()),
                            );
                        }
                        if !r.ignore_changes.is_empty() {
                            body = body.set(
                                "lifecycle",
                                Obj::new().set(
                                    "ignore_changes",
                                    Val::List(
                                        r.ignore_changes.iter().cloned().map(Val::Expr).collect(),
                                    ),
                                ),
                            );
                        }
                        (name.clone(), Val::from(body))
                    })
                    .collect();
                (kind.to_string(), Val::Map(named))
            })
            .collect();
        top = top.set("resource", Val::Map(resources));
        if !self.outputs.is_empty() {
            top = top.set(
                "output",
                Val::Map(
                    self.outputs
                        .iter()
                        .map(|(name, (desc, value))| {
                            (
                                name.clone(),
                                Obj::new()
                                    .set("description", desc.as_str())
                                    .set("value", value.clone())
                                    .into(),
                            )
                        })
                        .collect(),
                ),
            );
        }
        top.into()
    }

    /// The configuration as pretty-printed JSON, ending in a newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(&self.to_val().to_json())
            .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
        s.push('\n');
        s
    }
}

/// Renders a plan as a Terraform configuration.
pub fn configuration(plan: &Plan) -> Configuration {
    resources::render(plan)
}

/// A JSON document (IAM policy, container definitions) as the text of a
/// string argument. Literal strings inside are escaped for templates and
/// references stay live, so Terraform fills them in before the provider
/// parses the JSON.
pub(crate) fn json_document(v: &Val) -> Val {
    Val::Expr(serde_json::to_string(&v.to_json()).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_template_sequences_in_literals_only() {
        assert_eq!(escape("echo ${HOME} %{if}"), "echo $${HOME} %%{if}");
        assert_eq!(escape("$${x}"), "$$${x}");
        assert_eq!(Val::from("a${b}").to_json(), Json::String("a$${b}".into()));
        assert_eq!(
            reference("aws_vpc", "main", "id").to_json(),
            Json::String("${aws_vpc.main.id}".into())
        );
    }

    #[test]
    fn json_documents_keep_references_and_escape_literals() {
        let doc: Val = Obj::new()
            .set("a", "x${y}")
            .set("b", reference("aws_iam_role", "r", "arn"))
            .into();
        assert_eq!(
            json_document(&doc),
            Val::Expr(r#"{"a":"x$${y}","b":"${aws_iam_role.r.arn}"}"#.into())
        );
    }
}
