//! Plan values as CloudFormation expressions: a [`Ref`] as `Ref` or
//! `Fn::GetAtt` (or a template parameter where the resource does not
//! expose the attribute), a [`Text`] as a string or `Fn::Sub`, a document
//! with its keys in the requested case.

use super::expr::{Expr, Obj, SubPart};
use super::Template;
use crate::plan::catalogue::CfnAttr;
use crate::plan::{body, Body, ExistingId, KeyCase, Part, Plan, Ref, ResId, Text, Value};
use std::borrow::Cow;
use std::collections::HashMap;

/// How a reference is written: `Ref` to an id or `GetAtt` of an attribute.
enum Target<'p> {
    /// An existing resource's id, written out.
    Lit(String),
    /// An attribute derived from an existing resource's id.
    Text(&'p Text),
    Ref(String),
    GetAtt(String, &'static str),
}

/// Renders values, adding the parameters they need to the template.
pub struct Values<'p> {
    /// Each endpoint's short service name, for parameter descriptions.
    endpoint_services: HashMap<&'p ResId, &'p str>,
    /// Resources that exist already: a reference reads their id.
    existing: HashMap<&'p ResId, &'p body::Existing>,
}

impl<'p> Values<'p> {
    pub fn new(plan: &'p Plan) -> Self {
        let endpoint_services = plan
            .resources
            .iter()
            .filter_map(|r| match &r.body {
                Body::VpcEndpoint(b) => Some((&r.id, b.service.as_str())),
                _ => None,
            })
            .collect();
        Values {
            endpoint_services,
            existing: plan.existing(),
        }
    }

    /// Whether the resource exists already (and is not in the template).
    pub fn is_existing(&self, id: &ResId) -> bool {
        self.existing.contains_key(id)
    }

    fn target(&self, r: &Ref, t: &mut Template) -> Target<'p> {
        if let Some(e) = self.existing.get(&r.to) {
            return match (e.attr(r.attr), &e.id) {
                (Some(text), _) => Target::Text(text),
                (None, ExistingId::Literal(id)) => Target::Lit(id.clone()),
                (None, ExistingId::Input(name) | ExistingId::Ssm(name)) => {
                    Target::Ref(crate::names::pascal(name))
                }
            };
        }
        let id = r.to.logical_id();
        let how =
            r.to.kind
                .info()
                .attr(r.attr)
                .map_or(CfnAttr::Ref, |a| a.cloudformation);
        match how {
            CfnAttr::Ref | CfnAttr::None => Target::Ref(id),
            CfnAttr::GetAtt(attr) => Target::GetAtt(id, attr),
            CfnAttr::Parameter(word) => {
                let param = crate::names::pascal(&r.to.name) + word;
                self.prefix_list_parameter(&r.to, &param, t);
                Target::Ref(param)
            }
        }
    }

    /// The one attribute read through a parameter: a gateway endpoint's
    /// prefix list, which CloudFormation does not return.
    fn prefix_list_parameter(&self, endpoint: &ResId, param: &str, t: &mut Template) {
        let service = self
            .endpoint_services
            .get(endpoint)
            .copied()
            .unwrap_or_default();
        t.parameters.insert(
            param.to_string(),
            Obj::new()
                .set("Type", "String")
                .set("AllowedPattern", "^pl-[0-9a-f]+$")
                .set(
                    "Description",
                    format!(
                        "Id of the managed prefix list com.amazonaws.<region>.{service} (aws ec2 describe-managed-prefix-lists)"
                    ),
                ),
        );
    }

    pub fn r#ref(&self, r: &Ref, t: &mut Template) -> Expr {
        match self.target(r, t) {
            Target::Lit(id) => Expr::Str(id.into()),
            Target::Text(text) => self.text(text, t),
            Target::Ref(id) => Expr::Ref(id),
            Target::GetAtt(id, attr) => Expr::get_att(id, attr),
        }
    }

    pub fn refs(&self, refs: &[Ref], t: &mut Template) -> Vec<Expr> {
        refs.iter().map(|r| self.r#ref(r, t)).collect()
    }

    /// A plain string, a lone reference, or `Fn::Sub`.
    pub fn text(&self, text: &Text, t: &mut Template) -> Expr {
        match text.0.as_slice() {
            [Part::Ref(r)] => return self.r#ref(r, t),
            [Part::Region] => return Expr::Ref("AWS::Region".into()),
            parts if parts.iter().all(|p| matches!(p, Part::Lit(_))) => {
                let mut s = String::new();
                for p in parts {
                    if let Part::Lit(l) = p {
                        s.push_str(l);
                    }
                }
                return Expr::Str(s.into());
            }
            _ => {}
        }
        // One part for each, unless a reference expands to text: then the
        // room pushing made beyond the parts is given back.
        let mut parts = Vec::with_capacity(text.0.len());
        self.sub(&text.0, &mut parts, t);
        parts.shrink_to_fit();
        Expr::Sub(parts)
    }

    /// Appends parts to an `Fn::Sub`: literal text as it is (escaped when
    /// written, see [`super::expr::sub_string`]), the rest as variables.
    fn sub(&self, parts: &[Part], out: &mut Vec<SubPart>, t: &mut Template) {
        for p in parts {
            match p {
                Part::Lit(l) => out.push(SubPart::Lit(l.clone())),
                Part::Ref(r) => match self.target(r, t) {
                    Target::Lit(id) => out.push(SubPart::Lit(id)),
                    Target::Text(inner) => self.sub(&inner.0, out, t),
                    Target::Ref(id) => out.push(SubPart::Var(id.into())),
                    Target::GetAtt(id, attr) => {
                        out.push(SubPart::Var(format!("{id}.{attr}").into()))
                    }
                },
                Part::Region => out.push(SubPart::Var(Cow::Borrowed("AWS::Region"))),
                Part::Account => out.push(SubPart::Var(Cow::Borrowed("AWS::AccountId"))),
                Part::Partition => out.push(SubPart::Var(Cow::Borrowed("AWS::Partition"))),
                Part::Input(name) => out.push(SubPart::Var(crate::names::pascal(name).into())),
            }
        }
    }

    pub fn value(&self, v: &Value, case: KeyCase, t: &mut Template) -> Expr {
        match v {
            Value::Bool(b) => Expr::Bool(*b),
            Value::Int(n) => Expr::Int(*n),
            Value::Str(s) => Expr::Str(s.clone()),
            Value::Text(text) => self.text(text, t),
            Value::Ref(r) => self.r#ref(r, t),
            Value::Input(name) => Expr::Ref(crate::names::pascal(name)),
            Value::List(items) => {
                Expr::List(items.iter().map(|i| self.value(i, case, t)).collect())
            }
            Value::Map(entries) => Expr::Map(
                entries
                    .iter()
                    .map(|(k, v)| (case.apply(k), self.value(v, case, t)))
                    .collect(),
            ),
            Value::Dict(entries) => Expr::Map(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone().into(), self.value(v, case, t)))
                    .collect(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_parts_are_joined_before_escaping() {
        let plan = Plan::default();
        let values = Values::new(&plan);
        let text = Text(vec![
            Part::Lit("a$".into()),
            Part::Lit("{b}".into()),
            Part::Region,
            Part::Lit("${!c}$".into()),
            Part::Account,
        ]);
        let sub = values.text(&text, &mut Template::default());
        assert_eq!(
            serde_json::to_value(&sub).unwrap_or_default(),
            serde_json::json!({"Fn::Sub": "a${!b}${AWS::Region}${!!c}$${AWS::AccountId}"})
        );
    }
}
