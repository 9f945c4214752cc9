//! The declared schema of the language: for every block kind, its
//! attributes (key, value type, integer width and AWS range, required or
//! default, a one-line doc), its nested blocks and its statement forms.
//!
//! It is static data ([`blocks`]) and the single source for: the keyword
//! table of declarations ([`Kind`]), what lowering accepts (the
//! [`Reader`](crate::lower) of a block is created with its schema and
//! reports unknown, missing, mistyped and out-of-range attributes from it),
//! the attribute tables of `docs/language.md` ([`markdown_table`]) and
//! `ecsc explain <block>` ([`explain`]).

pub mod blocks;
mod kind;
mod render;

pub use blocks::ALL;
pub use kind::{
    cluster_name_of, ec2_style_id, load_balancer_full_name, repository_name, repository_name_of,
    ExistingSpec, Kind,
};

/// How existing resources of each kind are identified ([`ExistingSpec`]).
pub mod existing {
    pub use super::kind::{
        CLUSTER, LISTENER, LOAD_BALANCER, NAMESPACE, REPOSITORY, ROLE, SECURITY_GROUP, SUBNET, VPC,
    };
}
pub use render::{doc_tables, explain, markdown_table, sync_doc};

/// One block kind: a top-level declaration, a nested block, or the body of
/// a statement (`listener … { }`, `route … { }`, `port … { }`).
#[derive(Debug)]
pub struct Block {
    /// Unique id: the keyword, or `parent.keyword` when a keyword is used
    /// by two blocks (`container.health`, `route.health`).
    pub id: &'static str,
    /// The keyword (or statement word) that opens it.
    pub keyword: &'static str,
    /// How messages name it when it is missing something (`the network`);
    /// empty to use the reader's own description.
    pub subject: &'static str,
    /// One line: what it declares.
    pub doc: &'static str,
    pub attrs: &'static [Attr],
    pub blocks: &'static [Nested],
    pub statements: &'static [Statement],
}

/// `key = value` in a block.
#[derive(Debug)]
pub struct Attr {
    pub key: &'static str,
    pub ty: Ty,
    pub presence: Presence,
    /// A sample value, for messages and docs (`10.0.0.0/16`); empty to
    /// derive one from the type.
    pub example: &'static str,
    /// One line.
    pub doc: &'static str,
}

/// Whether an attribute must be written, and what it is when not.
#[derive(Debug, Clone, Copy)]
pub enum Presence {
    /// Missing is E006; the text follows the example in the help
    /// (`add \`max = 10\`: <text>`), empty for none.
    Required(&'static str),
    /// Optional; the text says what applies when it is not written.
    Default(&'static str),
}

/// The type of an attribute's value.
#[derive(Debug, Clone, Copy)]
pub enum Ty {
    Str,
    Bool,
    Cidr,
    /// A plain number.
    Int(Int),
    /// A duration in whole seconds (`30s`, `5m`) or a number of seconds.
    Seconds(Int),
    /// A size in MiB (`512MiB`, `2GiB`) or a number of MiB.
    Mib(Int),
    /// A number of GiB, or a size in whole GiB (`30GiB`).
    Gib(Int),
    /// A percentage (`60%`).
    Percent(Int),
    /// A number of days (or a whole-day duration) from a fixed set; any
    /// number from 1 when the set is empty.
    Days(&'static [u32]),
    /// A bare keyword from the list.
    Keyword(&'static [&'static str]),
    /// A list of keywords from the list, in order (one is accepted).
    Keywords(&'static [&'static str]),
    /// A reference to a declaration.
    Ref(Kind),
    /// A list of references (one bare name is accepted).
    Refs(Kind),
    /// A list of strings (one string is accepted).
    Strings,
    /// A map of names to strings.
    StringMap,
    /// The name of a container of the service's task.
    Container,
    /// A metric value: a number (`100`, `0.5`), a percentage (`80%`) or a
    /// duration (`500ms`, in seconds).
    Threshold,
    /// The name of an alarm of the service.
    Alarm,
    /// A list of names of alarms of the service (one is accepted).
    Alarms,
}

/// An integer: the width it is stored in, and the range AWS accepts.
#[derive(Debug, Clone, Copy)]
pub struct Int {
    pub width: Width,
    pub range: Option<Range>,
}

/// How wide an integer may be, whatever its range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Width {
    /// An AWS `Integer`: 0 to 2147483647 here (negative numbers do not
    /// parse).
    I32,
    /// Only bounded by the 64-bit number syntax.
    U64,
}

impl Width {
    /// The largest value of this width.
    pub fn max(self) -> u64 {
        match self {
            Width::I32 => i32::MAX.unsigned_abs().into(),
            Width::U64 => u64::MAX,
        }
    }
}

/// An inclusive range AWS enforces.
#[derive(Debug, Clone, Copy)]
pub struct Range {
    pub min: u64,
    pub max: u64,
    /// The rule that checks it with more context (launch type, other
    /// settings); `None` when lowering rejects values outside it.
    pub rule: Option<&'static str>,
}

impl Int {
    /// The bounds lowering enforces: the range, unless a rule checks it,
    /// else the width.
    pub fn bounds(&self) -> (u64, u64) {
        match self.range {
            Some(r) if r.rule.is_none() => (r.min, r.max),
            _ => (0, self.width.max()),
        }
    }
}

/// A block nested in another.
#[derive(Debug)]
pub struct Nested {
    pub block: &'static Block,
    /// Written with a name (`container app { }`).
    pub named: bool,
    /// Several may be written.
    pub many: bool,
    /// At least one is required.
    pub required: bool,
}

/// A sentence-like form with a grammar of its own.
#[derive(Debug)]
pub struct Statement {
    pub word: &'static str,
    /// Its shape, e.g. `ingress PROTOCOL [PORTS] from PEER`.
    pub syntax: &'static str,
    pub doc: &'static str,
    /// The block its `{ … }` body takes, if it has one.
    pub body: Option<&'static Block>,
}

impl Block {
    /// The attribute with this key.
    pub fn attr(&self, key: &str) -> Option<&'static Attr> {
        self.attrs.iter().find(|a| a.key == key)
    }

    /// Every word a member of this block may start with: attribute keys,
    /// nested block keywords and statement words, sorted, without repeats.
    pub fn member_words(&self) -> Vec<&'static str> {
        let mut words: Vec<&'static str> = self
            .attrs
            .iter()
            .map(|a| a.key)
            .chain(self.blocks.iter().map(|n| n.block.keyword))
            .chain(self.statements.iter().map(|s| s.word))
            .collect();
        words.sort_unstable();
        words.dedup();
        words
    }

    /// Whether a member word (attribute, block or statement) is declared.
    pub fn takes(&self, word: &str) -> bool {
        self.attrs.iter().any(|a| a.key == word)
            || self.blocks.iter().any(|n| n.block.keyword == word)
            || self.statements.iter().any(|s| s.word == word)
    }
}

/// The block with this id (`task`, `container.health`).
pub fn block(id: &str) -> Option<&'static Block> {
    ALL.iter().copied().find(|b| b.id == id)
}

/// The blocks a word may name: by id, else every block with that keyword
/// (`health` is a container's and a route's).
pub fn lookup(word: &str) -> Vec<&'static Block> {
    match block(word) {
        Some(b) => vec![b],
        None => ALL.iter().copied().filter(|b| b.keyword == word).collect(),
    }
}

/// The schema of a top-level declaration.
pub fn declaration(kind: Kind) -> &'static Block {
    blocks::DECLARATIONS[kind as usize]
}

impl Ty {
    /// How messages and docs name the type (`a number`, `a duration`).
    pub fn describe(&self) -> String {
        match self {
            Ty::Str => "a string".into(),
            Ty::Bool => "true or false".into(),
            Ty::Cidr => "a CIDR block".into(),
            Ty::Int(_) => "a number".into(),
            Ty::Seconds(_) => "a duration".into(),
            Ty::Mib(_) => "a size in MiB".into(),
            Ty::Gib(_) => "a size in GiB".into(),
            Ty::Percent(_) => "a percentage".into(),
            Ty::Days(_) => "a number of days".into(),
            Ty::Keyword(words) => format!("one of {}", crate::suggest::one_of(words)),
            Ty::Keywords(words) => format!("a list of {}", crate::suggest::one_of(words)),
            Ty::Ref(k) => format!("a {} name", k.noun()),
            Ty::Refs(k) => format!("a list of {} names", k.noun()),
            Ty::Strings => "a list of strings".into(),
            Ty::StringMap => "a map".into(),
            Ty::Container => "a container name".into(),
            Ty::Threshold => "a number, a percentage or a duration".into(),
            Ty::Alarm => "an alarm name".into(),
            Ty::Alarms => "a list of alarm names".into(),
        }
    }

    /// The integer constraints of a numeric type.
    pub fn int(&self) -> Option<&Int> {
        match self {
            Ty::Int(i) | Ty::Seconds(i) | Ty::Mib(i) | Ty::Gib(i) | Ty::Percent(i) => Some(i),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_declarations_follow_kind_order() {
        let mut ids: Vec<&str> = ALL.iter().map(|b| b.id).collect();
        ids.sort_unstable();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n, "two blocks share an id");
        for kind in Kind::ALL {
            assert_eq!(declaration(kind).keyword, kind.keyword());
        }
    }

    #[test]
    fn every_nested_block_and_statement_body_is_listed() {
        for b in ALL {
            for n in b.blocks {
                assert!(block(n.block.id).is_some(), "{} not in ALL", n.block.id);
            }
            for s in b.statements {
                if let Some(body) = s.body {
                    assert!(block(body.id).is_some(), "{} not in ALL", body.id);
                }
            }
            let mut keys: Vec<&str> = b.attrs.iter().map(|a| a.key).collect();
            keys.sort_unstable();
            let n = keys.len();
            keys.dedup();
            assert_eq!(keys.len(), n, "{}: an attribute is declared twice", b.id);
        }
    }

    #[test]
    fn ranges_are_within_their_width() {
        for b in ALL {
            for a in b.attrs {
                if let Some(Int {
                    width,
                    range: Some(r),
                }) = a.ty.int()
                {
                    assert!(r.min <= r.max && r.max <= width.max(), "{}.{}", b.id, a.key);
                }
            }
        }
    }
}
