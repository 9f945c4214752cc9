//! The syntax tree of one `.ecs` file.

pub use crate::cidr::Cidr;
use crate::source::Span;

/// A user-written name: a block name, an attribute key or a reference.
#[derive(Debug, Clone, PartialEq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct File {
    pub params: Vec<Param>,
    pub blocks: Vec<Block>,
}

/// `param env = "demo"`
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub name: Ident,
    pub default: Value,
    pub span: Span,
}

/// `kind name { members }`, at the top level or nested.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub kind: Ident,
    pub name: Option<Ident>,
    pub members: Vec<Member>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Member {
    Attribute(Attribute),
    Block(Block),
    /// Boxed: a statement is nearly twice the size of an attribute, and
    /// every member of a block would be as large as the largest kind
    /// (attributes are most of them).
    Statement(Box<Statement>),
}

/// `key = value`
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    pub key: Ident,
    pub value: Value,
    pub span: Span,
}

/// The sentence-like forms with a grammar of their own.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub kind: StatementKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StatementKind {
    /// `ingress tcp 80 from alb_sg`
    SgRule {
        egress: bool,
        protocol: Ident,
        ports: Option<Value>,
        /// `from` or `to`, as written.
        word: Ident,
        peer: Value,
    },
    /// `listener https 443 { ... }`
    Listener {
        protocol: Ident,
        port: Value,
        body: Vec<Member>,
    },
    /// `route web:443 { ... }`
    Route {
        load_balancer: Ident,
        port: Value,
        body: Vec<Member>,
    },
    /// `secret NAME from ssm "/path" key "json_key"`
    Secret {
        name: Ident,
        store: Ident,
        from: Value,
        key: Option<Value>,
    },
    /// `port 8080/udp { name = "dns" }`
    Port {
        port: Value,
        protocol: Option<Ident>,
        body: Vec<Member>,
    },
    /// `depends_on migrate success`
    DependsOn { container: Ident, condition: Ident },
    /// `mount data at "/var/data" read_only`
    Mount {
        volume: Ident,
        path: Value,
        read_only: bool,
    },
    /// `allow ["s3:GetObject"] on ["arn:..."]`
    Allow { actions: Value, resources: Value },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    pub kind: ValueKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ValueKind {
    Str(Vec<StrPart>),
    Int(u64),
    Float(f64),
    Bool(bool),
    /// `10.0.0.0/16`, checked for shape at parse time.
    Cidr(Cidr),
    /// `30s`, `5m`: a duration in milliseconds.
    Duration(u64),
    /// `512MiB`, `2GiB`: a size in MiB.
    Size(u64),
    /// `60%`
    Percent(u64),
    /// `8000-8080`
    PortRange(u64, u64),
    /// A bare name: a reference to a declaration, or a keyword value.
    Ref(Ident),
    List(Vec<Value>),
    Map(Vec<(Ident, Value)>),
}

impl ValueKind {
    /// How the kind of value is called in messages.
    pub fn describe(&self) -> &'static str {
        match self {
            ValueKind::Str(_) => "a string",
            ValueKind::Int(_) => "a number",
            ValueKind::Float(_) => "a decimal number",
            ValueKind::Bool(_) => "true or false",
            ValueKind::Cidr(_) => "a CIDR block",
            ValueKind::Duration(_) => "a duration",
            ValueKind::Size(_) => "a size",
            ValueKind::Percent(_) => "a percentage",
            ValueKind::PortRange(..) => "a port range",
            ValueKind::Ref(_) => "a name",
            ValueKind::List(_) => "a list",
            ValueKind::Map(_) => "a map",
        }
    }
}

/// A piece of a string literal: text, or `${param}`.
#[derive(Debug, Clone, PartialEq)]
pub enum StrPart {
    Text(String),
    Interpolation(Ident),
}
