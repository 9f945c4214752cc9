//! Resources that exist already: nothing is created; references read the
//! id the user gave (written out, a deploy-time input, or an SSM
//! parameter read at deploy time), or an attribute derived from it.

use super::*;
use crate::model;
use crate::schema::ExistingSpec;

/// What an existing resource is and what is known of it.
pub(super) struct Known {
    pub noun: &'static str,
    pub spec: &'static ExistingSpec,
    /// The attributes the id is.
    pub is: &'static [Attr],
    /// Attributes derived from the id.
    pub attrs: ExistingAttrs,
    /// How the input's description names it, when not `<noun> <name>`
    /// (`execution role of task billing`).
    pub label: Option<String>,
}

impl Known {
    /// An existing resource whose id is its `Id`.
    pub fn id(noun: &'static str, spec: &'static ExistingSpec) -> Known {
        Known {
            noun,
            spec,
            is: &[Attr::Id],
            attrs: ExistingAttrs::default(),
            label: None,
        }
    }
}

/// Plans an existing resource, adding the input that carries its id when
/// it is given at deploy time (named after the resource: `<name>-<port>-`
/// for a listener, then the schema's word, e.g. `subnet-id`).
pub(super) fn existing(
    p: &mut Plan,
    id: ResId,
    span: crate::source::Span,
    e: &model::Existing,
    known: Known,
) {
    let spec = known.spec;
    let value = match e {
        model::Existing::Id(literal) => ExistingId::Literal(literal.value.clone()),
        model::Existing::Input(_) | model::Existing::Ssm(_) => {
            let (base, shown) = match id.index {
                Some(i) => (format!("{}-{i}", id.name), format!("{}:{i}", id.name)),
                None => (id.name.to_string(), id.name.to_string()),
            };
            let name = format!("{base}-{}", spec.input_word);
            let label = match &known.label {
                Some(label) => label.clone(),
                None => format!("{} {shown}", known.noun),
            };
            let mut description = format!("{} of the existing {label}", spec.input_holds);
            let ssm = match e {
                model::Existing::Ssm(parameter) => {
                    description.push_str(&format!(", from SSM parameter {}", parameter.value));
                    Some(parameter.value.clone())
                }
                _ => None,
            };
            let value = match ssm {
                Some(_) => ExistingId::Ssm(name.clone()),
                None => ExistingId::Input(name.clone()),
            };
            p.inputs.push(Input {
                name,
                description,
                cfn_type: spec.cfn_type,
                ssm,
                span: e.span(),
            });
            value
        }
    };
    p.add(
        id,
        span,
        Body::from(body::Existing {
            id: value,
            is: known.is.to_vec(),
            attrs: known.attrs,
        }),
    );
}

/// Drops the inputs of existing resources nothing reads (a load balancer
/// whose listeners all exist already): a deploy would be asked for a value
/// the template never uses.
pub(super) fn drop_unread_inputs(p: &mut Plan) {
    let given_at_deploy = |r: &Resource| {
        matches!(
            &r.body,
            Body::Existing(e) if matches!(e.id, ExistingId::Input(_) | ExistingId::Ssm(_))
        )
    };
    if !p.resources.iter().any(given_at_deploy) {
        return;
    }
    let mut read: std::collections::HashSet<&ResId> = std::collections::HashSet::new();
    for r in &p.resources {
        r.body.visit(&mut |x| {
            read.insert(&x.to);
        });
    }
    for o in &p.outputs {
        match &o.value {
            OutputValue::Ref(r) => {
                read.insert(&r.to);
            }
            OutputValue::Joined(refs) => read.extend(refs.iter().map(|r| &r.to)),
        }
    }
    let unread: std::collections::HashSet<String> = p
        .resources
        .iter()
        .filter(|r| !read.contains(&r.id))
        .filter_map(|r| match &r.body {
            Body::Existing(e) => match &e.id {
                ExistingId::Input(name) | ExistingId::Ssm(name) => Some(name.clone()),
                _ => None,
            },
            _ => None,
        })
        .collect();
    if !unread.is_empty() {
        p.inputs.retain(|i| !unread.contains(&i.name));
    }
}
