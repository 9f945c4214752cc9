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

use crate::model::ACCOUNT;
use crate::plan::Plan;
use serde::ser::{Serialize, Serializer};
use std::collections::{BTreeMap, BTreeSet};

/// The provider constraint written in `required_providers`.
pub const AWS_PROVIDER_VERSION: &str = "~> 6.0";

/// A value in a Terraform JSON configuration.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Bool(bool),
    Int(i64),
    /// A number that is not whole (an alarm threshold of 0.5 s).
    Float(f64),
    /// Literal text: escaped for Terraform's template syntax when rendered.
    Str(crate::tree::Key),
    /// Template text written as is: references such as `${aws_vpc.main.id}`,
    /// with any literal parts already escaped (see [`escape`]).
    Expr(String),
    List(Vec<Val>),
    Map(Vec<(crate::tree::Key, Val)>),
}

crate::tree::node!(Val);
crate::tree::float!(Val);

/// An ordered map being built: a resource body, a nested block, a map.
pub type Obj = crate::tree::Obj<Val>;

/// Literal text as part of a Terraform template string: the one place
/// literal text is escaped. `${` and `%{` are written `$${` and `%%{`; a `$`
/// right before the deploying account (the [`ACCOUNT`] marker, replaced by
/// an interpolation when the configuration is written) gets an empty
/// directive after it, else the two would read as the escape `$${`.
pub fn escape(s: &str) -> String {
    literal(s, false)
}

/// An empty directive: separates a literal `$` from an interpolation that
/// follows it (no quotes, so it works inside JSON documents too).
const SEPARATOR: &str = "%{if true}%{endif}";

/// [`escape`], knowing whether an interpolation follows the text.
fn literal(s: &str, then_interpolation: bool) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        match (c, chars.peek()) {
            ('$' | '%', Some('{')) => out.push(c),
            ('$', Some(&ACCOUNT)) => out.push_str(SEPARATOR),
            ('$', None) if then_interpolation => out.push_str(SEPARATOR),
            _ => {}
        }
    }
    out
}

/// A template string being built from literal text and interpolations;
/// literal text is joined and escaped (with [`literal`]) only when an
/// interpolation or the end comes, so two pieces cannot meet as `${`.
#[derive(Debug, Default)]
pub struct Template {
    done: String,
    text: String,
}

impl Template {
    /// Appends literal text.
    pub fn lit(&mut self, s: &str) {
        self.text.push_str(s);
    }

    /// Appends `${expr}`.
    pub fn interpolate(&mut self, expr: &str) {
        self.done.push_str(&literal(&self.text, true));
        self.text.clear();
        self.done.push_str("${");
        self.done.push_str(expr);
        self.done.push('}');
    }

    pub fn finish(mut self) -> String {
        self.done.push_str(&literal(&self.text, false));
        self.done
    }
}

/// A template string as an HCL quoted string inside an expression
/// (`["a", "b"]` in `${join(...)}`, `base64encode("...")`): backslashes,
/// quotes and every control character escaped. Interpolations keep
/// working: the quoted string is a template too.
pub fn hcl_quoted(template: &str) -> String {
    let mut out = String::with_capacity(template.len() + 2);
    out.push('"');
    for c in template.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// JSON written straight from the tree, literal text (values and map
/// keys, which Terraform reads as templates too) escaped.
impl Serialize for Val {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Val::Bool(b) => s.serialize_bool(*b),
            Val::Int(n) => s.serialize_i64(*n),
            Val::Float(n) => s.serialize_f64(*n),
            Val::Str(x) => s.serialize_str(&escape(x)),
            Val::Expr(x) => s.serialize_str(x),
            Val::List(items) => s.collect_seq(items),
            Val::Map(entries) => s.collect_map(entries.iter().map(|(k, v)| (escape(k), v))),
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
#[derive(Debug, Clone, Default)]
pub struct Configuration {
    pub region: String,
    pub default_tags: Vec<(String, String)>,
    /// Data sources read (`aws_partition`, `aws_caller_identity`), all named
    /// `current`.
    pub data: BTreeSet<&'static str>,
    /// Type → name → resource.
    pub resources: BTreeMap<&'static str, BTreeMap<String, Resource>>,
    /// Name → description: string inputs set at deploy time (`-var`).
    pub variables: BTreeMap<String, String>,
    /// Name → SSM parameter name: inputs read with `aws_ssm_parameter`.
    pub ssm_parameters: BTreeMap<String, String>,
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

    /// Every resource as `(type, name)`, in output order.
    pub fn addresses(&self) -> Vec<(&'static str, &str)> {
        self.resources
            .iter()
            .flat_map(|(kind, named)| named.keys().map(move |n| (*kind, n.as_str())))
            .collect()
    }

    /// The whole configuration as one tree, taking the pieces apart.
    fn into_val(mut self) -> Val {
        if self
            .resources
            .values()
            .flat_map(|r| r.values())
            .any(|r| mentions_account(&r.body.0))
            || self.outputs.values().any(|(_, v)| mentions_account_val(v))
        {
            self.data.insert("aws_caller_identity");
        }
        let provider = Obj::new().set("region", self.region.clone()).opt(
            "default_tags",
            (!self.default_tags.is_empty()).then(|| {
                Obj::new().set(
                    "tags",
                    Val::Map(
                        self.default_tags
                            .iter()
                            .map(|(k, v)| (k.clone().into(), Val::from(v.clone())))
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
        if !self.variables.is_empty() {
            let variables = self
                .variables
                .into_iter()
                .map(|(name, description)| {
                    let v = Obj::new()
                        .set("type", "string")
                        .set("description", description)
                        .set("nullable", false);
                    (name.into(), v.into())
                })
                .collect();
            top = top.set("variable", Val::Map(variables));
        }
        if !self.data.is_empty() || !self.ssm_parameters.is_empty() {
            let mut data: Vec<(std::borrow::Cow<'static, str>, Val)> = self
                .data
                .iter()
                .map(|d| ((*d).into(), Obj::new().set("current", Obj::new()).into()))
                .collect();
            if !self.ssm_parameters.is_empty() {
                let named = self
                    .ssm_parameters
                    .iter()
                    .map(|(name, parameter)| {
                        (
                            name.clone().into(),
                            Obj::new().set("name", parameter.clone()).into(),
                        )
                    })
                    .collect();
                data.push(("aws_ssm_parameter".into(), Val::Map(named)));
                data.sort_by(|a, b| a.0.cmp(&b.0));
            }
            top = top.set("data", Val::Map(data));
        }
        let resources: Vec<_> = self
            .resources
            .into_iter()
            .map(|(kind, named)| {
                let named = named
                    .into_iter()
                    .map(|(name, r)| {
                        let mut body = r.body;
                        if !r.depends_on.is_empty() {
                            let mut deps = r.depends_on;
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
                                        r.ignore_changes.into_iter().map(Val::Expr).collect(),
                                    ),
                                ),
                            );
                        }
                        (name.into(), Val::from(body))
                    })
                    .collect();
                (kind.into(), Val::Map(named))
            })
            .collect();
        // Terraform rejects an empty `resource` block (a stack of existing
        // resources and outputs only creates none).
        if !resources.is_empty() {
            top = top.set("resource", Val::Map(resources));
        }
        if !self.outputs.is_empty() {
            top = top.set(
                "output",
                Val::Map(
                    self.outputs
                        .into_iter()
                        .map(|(name, (desc, value))| {
                            (
                                name.into(),
                                Obj::new()
                                    .set("description", desc)
                                    .set("value", value)
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
    pub fn to_json(self) -> String {
        let mut s = crate::emit::json_text(&self.into_val());
        // The deploying account, wherever a string holds it (also inside
        // JSON documents, whose text keeps the marker).
        if s.contains(ACCOUNT) {
            s = s.replace(ACCOUNT, ACCOUNT_ID);
        }
        s
    }
}

/// The caller identity's account, as an expression.
const ACCOUNT_EXPR: &str = "data.aws_caller_identity.current.account_id";
/// The caller identity's account, as a template.
const ACCOUNT_ID: &str = "${data.aws_caller_identity.current.account_id}";
/// The partition, as an expression.
const PARTITION_EXPR: &str = "data.aws_partition.current.partition";

fn mentions_account(entries: &[(crate::tree::Key, Val)]) -> bool {
    entries.iter().any(|(_, v)| mentions_account_val(v))
}

/// Whether a value holds the deploying account ([`ACCOUNT`]).
fn mentions_account_val(v: &Val) -> bool {
    match v {
        Val::Str(s) => s.contains(ACCOUNT),
        Val::Expr(s) => s.contains(ACCOUNT),
        Val::List(items) => items.iter().any(mentions_account_val),
        Val::Map(entries) => mentions_account(entries),
        Val::Bool(_) | Val::Int(_) | Val::Float(_) => false,
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
    Val::Expr(serde_json::to_string(v).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_template_sequences_in_literals_only() {
        assert_eq!(escape("echo ${HOME} %{if}"), "echo $${HOME} %%{if}");
        assert_eq!(escape("$${x}"), "$$${x}");
        let json = |v: &Val| serde_json::to_value(v).unwrap_or_default();
        assert_eq!(json(&Val::from("a${b}")), "a$${b}");
        assert_eq!(
            json(&Val::Expr("${aws_vpc.main.id}".into())),
            "${aws_vpc.main.id}"
        );
    }

    #[test]
    fn templates_join_literals_and_separate_a_dollar_from_an_interpolation() {
        let mut t = Template::default();
        t.lit("a$");
        t.lit("{b}");
        t.interpolate("var.x");
        t.lit("%");
        t.lit("{y}z$");
        t.interpolate("var.y");
        t.lit("$");
        assert_eq!(
            t.finish(),
            "a$${b}${var.x}%%{y}z$%{if true}%{endif}${var.y}$"
        );
        // The account marker becomes an interpolation when written.
        assert_eq!(
            escape(&format!("${ACCOUNT}")),
            format!("$%{{if true}}%{{endif}}{ACCOUNT}")
        );
        let keys: Val = Obj::new()
            .set("x", Val::Map(vec![("k${v}".into(), "%{w}".into())]))
            .into();
        assert_eq!(
            serde_json::to_string(&keys).unwrap_or_default(),
            r#"{"x":{"k$${v}":"%%{w}"}}"#
        );
    }

    #[test]
    fn hcl_quoted_escapes_quotes_backslashes_and_controls() {
        assert_eq!(
            hcl_quoted("a\"b\\c\n\u{7}${var.x}"),
            r#""a\"b\\c\n\u0007${var.x}""#
        );
    }

    #[test]
    fn json_documents_keep_references_and_escape_literals() {
        let doc: Val = Obj::new()
            .set("a", "x${y}")
            .set("b", Val::Expr("${aws_iam_role.r.arn}".into()))
            .into();
        assert_eq!(
            json_document(&doc),
            Val::Expr(r#"{"a":"x$${y}","b":"${aws_iam_role.r.arn}"}"#.into())
        );
    }
}
