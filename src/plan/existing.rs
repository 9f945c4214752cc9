//! Resources that exist already: nothing is created; references read the
//! id the user gave (written out, a deploy-time input, or an SSM
//! parameter read at deploy time), or an attribute derived from it.

use super::*;
use crate::model;
use crate::schema::Kind as SchemaKind;

/// Plans an existing resource of `kind`, adding the input that carries its
/// id when it is given at deploy time.
pub(super) fn existing(
    p: &mut Plan,
    id: ResId,
    span: crate::source::Span,
    e: &model::Existing,
    kind: SchemaKind,
    attrs: ExistingAttrs,
) {
    let (word, holds, cfn_type) = kind.existing().map_or(("id", "Id", "String"), |s| {
        (s.input_word, s.input_holds, s.cfn_type)
    });
    let noun = kind.noun();
    let value = match e {
        model::Existing::Id(literal) => ExistingId::Literal(literal.value.clone()),
        model::Existing::Input(_) | model::Existing::Ssm(_) => {
            let name = format!("{}-{word}", id.name);
            let mut description = format!("{holds} of the existing {noun} {}", id.name);
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
                cfn_type,
                ssm,
            });
            value
        }
    };
    p.add(
        id,
        span,
        Body::Existing(body::Existing { id: value, attrs }),
    );
}
