//! Target-neutral values: references to other resources' attributes,
//! strings that interpolate references and pseudo parameters, and JSON-like
//! documents (IAM policies, container definitions).
//!
//! Renderers decide how each is written: a [`Ref`] is `Ref`/`Fn::GetAtt` in
//! CloudFormation and `${type.name.attr}` in Terraform, a [`Text`] with
//! parts is `Fn::Sub` or a Terraform template.

use super::catalogue::Attr;
use super::ResId;

/// An attribute of another resource of the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ref {
    pub to: ResId,
    pub attr: Attr,
}

impl Ref {
    pub fn new(to: ResId, attr: Attr) -> Self {
        Ref { to, attr }
    }
}

/// A piece of a [`Text`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Literal text.
    Lit(String),
    Ref(Ref),
    /// The Region the stack is deployed to.
    Region,
    /// The account the stack is deployed to.
    Account,
    /// The partition (`aws`, `aws-cn`, `aws-us-gov`).
    Partition,
    /// A deploy-time input of the plan, by name (an image's tag CI
    /// deploys).
    Input(String),
}

/// A string made of literal text, references and pseudo parameters.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Text(pub Vec<Part>);

impl Text {
    pub fn lit(s: impl Into<String>) -> Self {
        Text(vec![Part::Lit(s.into())])
    }

    /// Appends literal text.
    pub fn push(mut self, s: impl Into<String>) -> Self {
        self.0.push(Part::Lit(s.into()));
        self
    }

    /// Appends a reference, a pseudo parameter or any other part.
    pub fn part(mut self, p: Part) -> Self {
        self.0.push(p);
        self
    }
}

/// A value inside a document.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Bool(bool),
    Int(i64),
    Str(crate::tree::Key),
    Text(Text),
    Ref(Ref),
    /// A deploy-time input of the plan, by name (see [`super::Input`]).
    Input(String),
    List(Vec<Value>),
    /// An object whose keys follow the document's key case (see
    /// [`KeyCase`]).
    Map(Vec<(crate::tree::Key, Value)>),
    /// An object whose keys are data (log driver options, IAM condition
    /// keys): written as they are in every target.
    Dict(Vec<(String, Value)>),
}

/// How a target spells a document's field names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyCase {
    /// As the plan wrote them.
    AsIs,
    /// First letter upper-cased: the ECS API's `containerPort` becomes
    /// CloudFormation's `ContainerPort`.
    Pascal,
}

impl KeyCase {
    pub fn apply(self, key: &crate::tree::Key) -> crate::tree::Key {
        match self {
            KeyCase::AsIs => key.clone(),
            // A key that already begins with a capital (or with no
            // letter) is kept, borrowed if it was; else copied once.
            KeyCase::Pascal => match key.as_bytes().first() {
                Some(c) if c.is_ascii_lowercase() => {
                    let mut pascal = String::with_capacity(key.len());
                    pascal.push(char::from(c.to_ascii_uppercase()));
                    pascal.push_str(&key[1..]);
                    pascal.into()
                }
                _ => key.clone(),
            },
        }
    }
}

crate::tree::node!(Value);

impl From<Text> for Value {
    fn from(t: Text) -> Self {
        Value::Text(t)
    }
}
impl From<Ref> for Value {
    fn from(r: Ref) -> Self {
        Value::Ref(r)
    }
}
/// An ordered object being built.
pub type Doc = crate::tree::Obj<Value>;

/// Everything that can hold references: the graph visits every field of
/// every body through this, so no reference can be missed.
pub trait Refs {
    fn visit<'a>(&'a self, f: &mut dyn FnMut(&'a Ref));
}

impl Refs for Ref {
    fn visit<'a>(&'a self, f: &mut dyn FnMut(&'a Ref)) {
        f(self);
    }
}

impl Refs for Text {
    fn visit<'a>(&'a self, f: &mut dyn FnMut(&'a Ref)) {
        for p in &self.0 {
            if let Part::Ref(r) = p {
                f(r);
            }
        }
    }
}

impl Refs for Value {
    fn visit<'a>(&'a self, f: &mut dyn FnMut(&'a Ref)) {
        match self {
            Value::Text(t) => t.visit(f),
            Value::Ref(r) => f(r),
            Value::List(items) => items.iter().for_each(|i| i.visit(f)),
            Value::Map(entries) => entries.iter().for_each(|(_, v)| v.visit(f)),
            Value::Dict(entries) => entries.iter().for_each(|(_, v)| v.visit(f)),
            Value::Bool(_) | Value::Int(_) | Value::Str(_) | Value::Input(_) => {}
        }
    }
}

impl<T: Refs> Refs for Option<T> {
    fn visit<'a>(&'a self, f: &mut dyn FnMut(&'a Ref)) {
        if let Some(v) = self {
            v.visit(f);
        }
    }
}

impl<T: Refs> Refs for Box<T> {
    fn visit<'a>(&'a self, f: &mut dyn FnMut(&'a Ref)) {
        self.as_ref().visit(f);
    }
}

impl<T: Refs> Refs for std::sync::Arc<T> {
    fn visit<'a>(&'a self, f: &mut dyn FnMut(&'a Ref)) {
        self.as_ref().visit(f);
    }
}

impl<T: Refs> Refs for Vec<T> {
    fn visit<'a>(&'a self, f: &mut dyn FnMut(&'a Ref)) {
        self.iter().for_each(|v| v.visit(f));
    }
}

/// Plain data: no references.
macro_rules! no_refs {
    ($($t:ty),* $(,)?) => {$(
        impl Refs for $t {
            fn visit<'a>(&'a self, _: &mut dyn FnMut(&'a Ref)) {}
        }
    )*};
}

no_refs!(bool, u32, u64, i64, f64, String, &'static str);

#[cfg(test)]
mod tests {
    use super::KeyCase;
    use std::borrow::Cow;

    #[test]
    fn pascal_case_capitalises_the_first_letter_and_keeps_what_has_one() {
        let pascal = |k: &'static str| KeyCase::Pascal.apply(&Cow::Borrowed(k));
        assert_eq!(pascal("portMappings"), "PortMappings");
        assert_eq!(pascal("a"), "A");
        assert_eq!(pascal(""), "");
        assert_eq!(pascal("élan"), "élan");
        assert_eq!(pascal("9lives"), "9lives");
        // A key that needs no change is the same borrowed string.
        assert!(matches!(pascal("Image"), Cow::Borrowed("Image")));
        assert!(matches!(pascal("image"), Cow::Owned(_)));
        let owned: crate::tree::Key = Cow::Owned("logConfiguration".to_string());
        assert_eq!(KeyCase::AsIs.apply(&owned), "logConfiguration");
        assert_eq!(KeyCase::Pascal.apply(&owned), "LogConfiguration");
    }
}
