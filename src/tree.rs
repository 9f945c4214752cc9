//! Ordered objects built key by key, shared by the plan's documents
//! ([`crate::plan::Value`]) and both renderers' value trees: one builder,
//! one set of conversions, for every tree that has booleans, integers,
//! strings, lists and maps.

use std::borrow::Cow;

/// A map key, and a string value of every tree: a string written in the
/// code (a field name, `Allow`, an IAM action) is borrowed, no
/// allocation; one made at run time (a name from the sources) is owned.
/// At 10,000 services the plan and the rendered template held about a
/// million strings, most of them the same few dozen words.
pub type Key = Cow<'static, str>;

/// A value tree that can hold lists and string-keyed maps.
pub trait Node: Sized {
    fn list(items: Vec<Self>) -> Self;
    fn map(entries: Vec<(Key, Self)>) -> Self;
}

/// An ordered map being built: a resource body, a nested object, a map.
#[derive(Debug, Clone)]
pub struct Obj<V>(pub Vec<(Key, V)>);

impl<V> Default for Obj<V> {
    fn default() -> Self {
        Obj(Vec::new())
    }
}

impl<V: Node> Obj<V> {
    pub fn new() -> Self {
        Obj(Vec::new())
    }
    pub fn set(mut self, key: &'static str, value: impl Into<V>) -> Self {
        self.0.push((Cow::Borrowed(key), value.into()));
        self
    }
    pub fn opt<T: Into<V>>(self, key: &'static str, value: Option<T>) -> Self {
        match value {
            Some(v) => self.set(key, v),
            None => self,
        }
    }
    /// Sets a list (or repeated block) only when it is not empty.
    pub fn list(self, key: &'static str, items: Vec<V>) -> Self {
        if items.is_empty() {
            self
        } else {
            self.set(key, V::list(items))
        }
    }
}

/// Implements [`Node`] and the usual conversions for an enum with `Bool`,
/// `Int(i64)`, `Str(Key)`, `List` and `Map` variants: a `&'static str`
/// becomes a borrowed string, a `String` an owned one (text that lives
/// shorter is passed as a `String`). Integers wider than `i64` saturate
/// (no model value comes near).
macro_rules! node {
    ($t:ident) => {
        impl $crate::tree::Node for $t {
            fn list(items: Vec<Self>) -> Self {
                $t::List(items)
            }
            fn map(entries: Vec<($crate::tree::Key, Self)>) -> Self {
                $t::Map(entries)
            }
        }
        impl From<&'static str> for $t {
            fn from(s: &'static str) -> Self {
                $t::Str(std::borrow::Cow::Borrowed(s))
            }
        }
        impl From<String> for $t {
            fn from(s: String) -> Self {
                $t::Str(std::borrow::Cow::Owned(s))
            }
        }
        impl From<bool> for $t {
            fn from(b: bool) -> Self {
                $t::Bool(b)
            }
        }
        impl From<u32> for $t {
            fn from(n: u32) -> Self {
                $t::Int(i64::from(n))
            }
        }
        impl From<u64> for $t {
            fn from(n: u64) -> Self {
                $t::Int(i64::try_from(n).unwrap_or(i64::MAX))
            }
        }
        impl<T: Into<$t>> From<Vec<T>> for $t {
            fn from(v: Vec<T>) -> Self {
                $t::List(v.into_iter().map(Into::into).collect())
            }
        }
        impl From<$crate::tree::Obj<$t>> for $t {
            fn from(mut o: $crate::tree::Obj<$t>) -> Self {
                o.0.shrink_to_fit();
                $t::Map(o.0)
            }
        }
    };
}
pub(crate) use node;

/// `From<f64>` for a tree with a `Float` variant: a whole number is
/// written as one (`80`, not `80.0`).
macro_rules! float {
    ($t:ident) => {
        impl From<f64> for $t {
            fn from(n: f64) -> Self {
                match $crate::tree::integral(n) {
                    Some(i) => $t::Int(i),
                    None => $t::Float(n),
                }
            }
        }
    };
}
pub(crate) use float;

/// The integer a whole `f64` is, when it is one exactly (within 2^53).
pub fn integral(n: f64) -> Option<i64> {
    const EXACT: f64 = 9_007_199_254_740_992.0;
    // Within ±2^53 a whole f64 converts to i64 exactly.
    (n.fract() == 0.0 && n.abs() < EXACT).then_some(n as i64)
}
