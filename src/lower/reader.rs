//! Typed access to the members of one block, through its schema.
//!
//! A [`Reader`] is created with the block's [`schema::Block`] and asked for
//! each attribute (`r.cidr(cx, "cidr")`, `r.references(cx, "subnets",
//! Kind::Subnet)`, …). It converts and type-checks values, substitutes
//! parameters, reports missing required attributes and values outside the
//! declared width or range, and at the end ([`Reader::finish`]) reports
//! every member nobody asked for, with a suggestion drawn from the schema.
//! Asking for a member the schema does not declare is a debug assertion.

use super::symbols::{Kind, Symbols};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::schema::{self, Presence, Ty};
use crate::source::{Span, Spanned};
use crate::suggest;
use crate::syntax::ast::*;
use std::collections::HashMap;

/// Parameter values after `--set` overrides.
pub type Params = HashMap<String, Value>;

/// What every lowering function needs.
pub struct Cx<'a> {
    pub diags: &'a mut Diagnostics,
    pub params: &'a Params,
    pub symbols: &'a Symbols,
    pub region: String,
    /// The stack's name, for `${stack.name}`.
    pub stack: String,
    /// Params found to interpolate to more than [`MAX_STRING`] bytes:
    /// each is expanded (up to the limit) once, not at every use.
    pub oversized: std::collections::HashSet<String>,
}

/// The most bytes a string may have once its params are interpolated.
/// Params that interpolate each other twice over double at each step:
/// thirty of them would make a gigabyte.
pub const MAX_STRING: usize = 1 << 20;

/// The most params expanding one string may interpolate (empty params that
/// double each other make no text, but as much work).
pub const MAX_INTERPOLATIONS: usize = 1 << 16;

impl Cx<'_> {
    pub fn error(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// A parameter's value in place of a bare name, when it names one.
    pub fn substitute<'v>(&self, value: &'v Value) -> std::borrow::Cow<'v, Value> {
        if let ValueKind::Ref(id) = &value.kind {
            if let Some(p) = self.params.get(&id.name) {
                return std::borrow::Cow::Owned(Value {
                    kind: p.kind.clone(),
                    span: value.span,
                });
            }
        }
        std::borrow::Cow::Borrowed(value)
    }

    /// Where a declaration of `kind` is named: a param's value in place of
    /// a bare name that no such declaration has (a declaration wins over a
    /// param of the same name).
    pub fn substitute_name<'v>(&self, value: &'v Value, kind: Kind) -> std::borrow::Cow<'v, Value> {
        match &value.kind {
            ValueKind::Ref(id) if self.symbols.get(kind, &id.name).is_some() => {
                std::borrow::Cow::Borrowed(value)
            }
            _ => self.substitute(value),
        }
    }

    /// A string literal with `${param}` replaced (params may interpolate
    /// other params).
    pub fn string(&mut self, parts: &[StrPart]) -> String {
        let mut out = String::new();
        self.expand(parts, &mut Vec::new(), &mut out, &mut 0);
        out
    }

    /// Appends `parts` with params interpolated to `out`; false when the
    /// result outgrows [`MAX_STRING`] (reported at the outermost
    /// interpolation, and `out` left cut short).
    fn expand(
        &mut self,
        parts: &[StrPart],
        stack: &mut Vec<String>,
        out: &mut String,
        work: &mut usize,
    ) -> bool {
        let params = self.params;
        for part in parts {
            match part {
                StrPart::Text(t) => {
                    out.push_str(t);
                    if !stack.is_empty() && out.len() > MAX_STRING {
                        return false;
                    }
                }
                StrPart::Interpolation(id) if id.name.contains('.') => self.pseudo(id, out),
                StrPart::Interpolation(id) => match params.get(&id.name) {
                    Some(_) if stack.contains(&id.name) => {
                        self.error(
                            Diagnostic::error(
                                "E008",
                                id.span,
                                format!(
                                    "param `{}` interpolates itself through {}",
                                    id.name,
                                    stack.join(" → ")
                                ),
                            )
                            .label("loops back here")
                            .help("params may use other params, but not in a circle"),
                        );
                    }
                    Some(v) => match &v.kind {
                        ValueKind::Str(inner) => {
                            *work += 1;
                            let fits = !self.oversized.contains(&id.name)
                                && *work <= MAX_INTERPOLATIONS
                                && {
                                    stack.push(id.name.clone());
                                    let fits = self.expand(inner, stack, out, work);
                                    stack.pop();
                                    fits
                                };
                            if !fits && stack.is_empty() {
                                self.oversized.insert(id.name.clone());
                                self.error(
                                    Diagnostic::error(
                                        "E008",
                                        id.span,
                                        if out.len() > MAX_STRING {
                                            format!(
                                                "`${{{}}}` makes this string longer than {} MiB",
                                                id.name,
                                                MAX_STRING >> 20
                                            )
                                        } else {
                                            format!(
                                                "`${{{}}}` interpolates params more than {MAX_INTERPOLATIONS} times",
                                                id.name
                                            )
                                        },
                                    )
                                    .label("interpolates params that grow past the limit")
                                    .help("params that interpolate other params twice double at each step: write the value itself, or interpolate each param once"),
                                );
                            }
                            if !fits {
                                return false;
                            }
                        }
                        _ => out.push_str(&scalar_text(v)),
                    },
                    None => {
                        let names: Vec<&str> = self.params.keys().map(String::as_str).collect();
                        let help = match suggest::closest(&id.name, names.iter().copied()) {
                            Some(s) => format!("did you mean `${{{s}}}`?"),
                            None => format!(
                                "declare it at the top level: `param {} = \"value\"`, or write `\\${{` for a literal `${{`",
                                id.name
                            ),
                        };
                        self.error(
                            Diagnostic::error(
                                "E002",
                                id.span,
                                format!("there is no param named `{}`", id.name),
                            )
                            .label("unknown param")
                            .help(help),
                        );
                    }
                },
            }
        }
        true
    }

    /// `${aws.account}`, `${aws.region}`, `${aws.partition}`,
    /// `${stack.name}`: the Region, partition and stack name are known
    /// here; the account only at deploy time ([`crate::model::ACCOUNT`]).
    fn pseudo(&mut self, id: &crate::syntax::ast::Ident, out: &mut String) {
        const NAMES: [&str; 4] = ["aws.account", "aws.region", "aws.partition", "stack.name"];
        if self.region.is_empty() && NAMES.contains(&id.name.as_str()) {
            // The `stack` block itself: its Region and name are being read.
            self.error(
                Diagnostic::error(
                    "E008",
                    id.span,
                    format!("`${{{}}}` cannot be used in the `stack` block", id.name),
                )
                .label("not known here")
                .help("write the value itself; `${aws.…}` and `${stack.name}` work in every other block"),
            );
            return;
        }
        match id.name.as_str() {
            "aws.account" => out.push(crate::model::ACCOUNT),
            "aws.region" => out.push_str(&self.region),
            "aws.partition" => out.push_str(crate::model::partition_of(&self.region)),
            "stack.name" => out.push_str(&self.stack),
            _ => {
                let help = match suggest::closest(&id.name, NAMES) {
                    Some(s) => format!("did you mean `${{{s}}}`?"),
                    None => format!("use one of {}", suggest::one_of(&NAMES)),
                };
                self.error(
                    Diagnostic::error(
                        "E002",
                        id.span,
                        format!("there is no `{}` to interpolate", id.name),
                    )
                    .label("unknown name")
                    .help(help),
                );
            }
        }
    }

    pub fn type_error(&mut self, key: &str, value: &Value, expected: &str, example: &str) {
        let found = value.kind.describe();
        let help = match &value.kind {
            ValueKind::Str(parts) if !example.is_empty() => {
                let text: String = parts
                    .iter()
                    .map(|p| match p {
                        StrPart::Text(t) => t.clone(),
                        StrPart::Interpolation(i) => format!("${{{}}}", i.name),
                    })
                    .collect();
                format!("write it without quotes, e.g. `{key} = {example}`; was `\"{text}\"`")
            }
            _ if !example.is_empty() => format!("write it as `{key} = {example}`"),
            _ => format!("`{key}` takes {expected}"),
        };
        self.error(
            Diagnostic::error(
                "E007",
                value.span,
                format!("`{key}` must be {expected}, found {found}"),
            )
            .label(format!("expected {expected}"))
            .help(help),
        );
    }

    /// `n` when it is within `int`'s bounds; else E008 stating the range.
    pub fn in_bounds(
        &mut self,
        key: &str,
        n: Spanned<u64>,
        int: &schema::Int,
    ) -> Option<Spanned<u64>> {
        let (lo, hi) = int.bounds();
        if (lo..=hi).contains(&n.value) {
            return Some(n);
        }
        // Beyond the width, the AWS range is still the one to state.
        let (lo, hi) = int.range.map_or((lo, hi), |r| (r.min, r.max));
        self.range_error(
            key,
            n.span,
            format!("is {}, outside {lo}–{hi}", n.value),
            format!("use a value from {lo} to {hi}"),
        );
        None
    }

    pub fn range_error(&mut self, key: &str, span: Span, what: String, help: String) {
        self.error(
            Diagnostic::error("E008", span, format!("`{key}` {what}"))
                .label("invalid value")
                .help(help),
        );
    }
}

/// The text of a scalar value, for interpolation.
pub fn scalar_text(v: &Value) -> String {
    match &v.kind {
        ValueKind::Str(parts) => parts
            .iter()
            .map(|p| match p {
                StrPart::Text(t) => t.clone(),
                StrPart::Interpolation(i) => i.name.clone(),
            })
            .collect(),
        ValueKind::Int(n) => n.to_string(),
        ValueKind::Float(f) => f.to_string(),
        ValueKind::Bool(b) => b.to_string(),
        ValueKind::Cidr(c) => c.to_string(),
        ValueKind::Ref(i) => i.name.clone(),
        ValueKind::Percent(p) => format!("{p}%"),
        ValueKind::Duration(ms) => format!("{}s", ms / 1000),
        ValueKind::Size(m) => format!("{m}MiB"),
        ValueKind::PortRange(a, b) => format!("{a}-{b}"),
        ValueKind::List(items) => {
            let items: Vec<String> = items.iter().map(scalar_text).collect();
            format!("[{}]", items.join(", "))
        }
        ValueKind::Map(_) => String::new(),
    }
}

/// Reads the members of one block through the block's [`schema::Block`].
pub struct Reader<'b> {
    /// "subnet `public_b`", for messages.
    pub what: String,
    /// Where to point when something is missing.
    pub span: Span,
    schema: &'static schema::Block,
    members: &'b [Member],
    used: Vec<bool>,
}

#[cfg(test)]
thread_local! {
    /// (block id, member word) of every getter call, for the test that
    /// lowering reads every member the schema declares.
    pub static ASKED: std::cell::RefCell<std::collections::BTreeSet<(&'static str, &'static str)>> =
        Default::default();
}

impl<'b> Reader<'b> {
    pub fn new(
        cx: &mut Cx<'_>,
        schema: &'static schema::Block,
        what: String,
        span: Span,
        members: &'b [Member],
    ) -> Self {
        // Blocks hold a handful of members, where a scan beats hashing;
        // a map keeps a huge block linear.
        let mut seen: HashMap<&str, Span> = HashMap::new();
        for (i, m) in members.iter().enumerate() {
            let Member::Attribute(a) = m else { continue };
            let first = if members.len() <= 32 {
                members[..i].iter().find_map(|earlier| match earlier {
                    Member::Attribute(e) if e.key.name == a.key.name => Some(e.key.span),
                    _ => None,
                })
            } else {
                let first = seen.get(a.key.name.as_str()).copied();
                seen.entry(&a.key.name).or_insert(a.key.span);
                first
            };
            if let Some(first) = first {
                cx.error(
                    Diagnostic::error(
                        "E009",
                        a.key.span,
                        format!("`{}` is set twice in {what}", a.key.name),
                    )
                    .label("set again here")
                    .with(first, "first set here")
                    .help("remove one of the two"),
                );
            }
        }
        Reader {
            what,
            span,
            schema,
            members,
            used: vec![false; members.len()],
        }
    }

    /// Notes that lowering asks for `word`, which the schema must declare.
    fn ask(&self, word: &'static str) {
        debug_assert!(
            self.schema.takes(word),
            "lowering asks `{}` for `{word}`, which its schema does not declare",
            self.schema.id
        );
        #[cfg(test)]
        ASKED.with(|a| a.borrow_mut().insert((self.schema.id, word)));
    }

    /// The schema of an attribute; asking for one the schema does not
    /// declare (or with a getter of another type) is a bug.
    fn attr(&self, key: &'static str, fits: impl Fn(&Ty) -> bool) -> Option<&'static schema::Attr> {
        self.ask(key);
        let attr = self.schema.attr(key);
        debug_assert!(
            attr.is_some_and(|a| fits(&a.ty)),
            "`{}.{key}` is read with a getter for another type",
            self.schema.id
        );
        attr
    }

    /// The raw value of an attribute; a required one that is missing is
    /// reported.
    pub fn value(&mut self, cx: &mut Cx<'_>, key: &'static str) -> Option<&'b Value> {
        let attr = self.attr(key, |_| true);
        let mut found = None;
        for (i, m) in self.members.iter().enumerate() {
            if let Member::Attribute(a) = m {
                if a.key.name == key {
                    self.used[i] = true;
                    found.get_or_insert(&a.value);
                }
            }
        }
        if let (None, Some(attr)) = (found, attr) {
            if let Presence::Required(why) = attr.presence {
                self.missing(cx, attr, why);
            }
        }
        found
    }

    /// The schema's example value of an attribute, for help texts.
    pub fn example(&self, key: &str) -> &'static str {
        self.schema.attr(key).map_or("", |a| a.example)
    }

    /// Span of an attribute's key, when present.
    pub fn key_span(&self, key: &str) -> Option<Span> {
        self.members.iter().find_map(|m| match m {
            Member::Attribute(a) if a.key.name == key => Some(a.key.span),
            _ => None,
        })
    }

    fn missing(&self, cx: &mut Cx<'_>, attr: &schema::Attr, why: &str) {
        let key = attr.key;
        let subject = if self.schema.subject.is_empty() {
            self.what.as_str()
        } else {
            self.schema.subject
        };
        let example = match (attr.example, attr.ty) {
            ("", Ty::Ref(kind)) => format!("<{} name>", kind.keyword()),
            (e, _) => e.to_string(),
        };
        let why = if why.is_empty() {
            String::new()
        } else {
            format!(": {why}")
        };
        cx.error(
            Diagnostic::error("E006", self.span, format!("{subject} has no `{key}`"))
                .label(format!("`{key}` is required here"))
                .help(format!("add `{key} = {example}`{why}")),
        );
    }

    pub fn string(&mut self, cx: &mut Cx<'_>, key: &'static str) -> Option<Spanned<String>> {
        self.attr(key, |t| matches!(t, Ty::Str));
        let v = self.value(cx, key)?;
        let v = cx.substitute(v);
        match &v.kind {
            ValueKind::Str(parts) => Some(Spanned::new(cx.string(parts), v.span)),
            _ => {
                cx.type_error(key, &v, "a string", "");
                None
            }
        }
    }

    /// A number within the width and range the schema declares.
    pub fn int(&mut self, cx: &mut Cx<'_>, key: &'static str) -> Option<Spanned<u64>> {
        let attr = self.attr(key, |t| matches!(t, Ty::Int(_)));
        let v = self.value(cx, key)?;
        let v = cx.substitute(v);
        let n = match &v.kind {
            ValueKind::Int(n) => Spanned::new(*n, v.span),
            ValueKind::Str(parts) => {
                let text = cx.string(parts);
                match text.parse() {
                    Ok(n) if parts.iter().any(|p| matches!(p, StrPart::Interpolation(_))) => {
                        Spanned::new(n, v.span)
                    }
                    _ => {
                        cx.type_error(key, &v, "a number", &text);
                        return None;
                    }
                }
            }
            _ => {
                cx.type_error(key, &v, "a number", "");
                return None;
            }
        };
        bounded(cx, key, n, attr)
    }

    /// A number that fits in 32 bits after the schema's range check.
    pub fn int_u32(&mut self, cx: &mut Cx<'_>, key: &'static str) -> Option<Spanned<u32>> {
        self.int(cx, key).and_then(narrow)
    }

    pub fn bool(&mut self, cx: &mut Cx<'_>, key: &'static str) -> Option<Spanned<bool>> {
        self.attr(key, |t| matches!(t, Ty::Bool));
        let v = self.value(cx, key)?;
        let v = cx.substitute(v);
        match &v.kind {
            ValueKind::Bool(b) => Some(Spanned::new(*b, v.span)),
            _ => {
                cx.type_error(key, &v, "true or false", "true");
                None
            }
        }
    }

    pub fn flag(&mut self, cx: &mut Cx<'_>, key: &'static str, default: bool) -> Spanned<bool> {
        self.bool(cx, key)
            .unwrap_or(Spanned::new(default, self.span))
    }

    pub fn cidr(&mut self, cx: &mut Cx<'_>, key: &'static str) -> Option<Spanned<Cidr>> {
        let example = self
            .attr(key, |t| matches!(t, Ty::Cidr))
            .map_or("", |a| a.example);
        let v = self.value(cx, key)?;
        let v = cx.substitute(v);
        match &v.kind {
            ValueKind::Cidr(c) => Some(Spanned::new(*c, v.span)),
            _ => {
                cx.type_error(key, &v, "a CIDR block", example);
                None
            }
        }
    }

    /// A duration in whole seconds (`30s`, `5m`, or a plain number of seconds).
    pub fn seconds(&mut self, cx: &mut Cx<'_>, key: &'static str) -> Option<Spanned<u64>> {
        let attr = self.attr(key, |t| matches!(t, Ty::Seconds(_)));
        let v = self.value(cx, key)?;
        let v = cx.substitute(v);
        let n = match &v.kind {
            ValueKind::Duration(ms) if ms % 1000 == 0 => Spanned::new(ms / 1000, v.span),
            ValueKind::Duration(_) => {
                cx.range_error(
                    key,
                    v.span,
                    "must be a whole number of seconds".into(),
                    "AWS takes this setting in seconds; write e.g. `30s`".into(),
                );
                return None;
            }
            ValueKind::Int(n) => Spanned::new(*n, v.span),
            _ => {
                cx.type_error(key, &v, "a duration", "30s");
                return None;
            }
        };
        bounded(cx, key, n, attr)
    }

    /// A size in MiB (`512MiB`, `2GiB`, or a plain number of MiB).
    pub fn mib(&mut self, cx: &mut Cx<'_>, key: &'static str) -> Option<Spanned<u64>> {
        let attr = self.attr(key, |t| matches!(t, Ty::Mib(_)));
        let v = self.value(cx, key)?;
        let v = cx.substitute(v);
        match &v.kind {
            ValueKind::Size(m) | ValueKind::Int(m) => {
                bounded(cx, key, Spanned::new(*m, v.span), attr)
            }
            _ => {
                cx.type_error(key, &v, "a size in MiB", "512MiB");
                None
            }
        }
    }

    /// A number of GiB, or a size in whole GiB (`30GiB`).
    pub fn gib(&mut self, cx: &mut Cx<'_>, key: &'static str) -> Option<Spanned<u64>> {
        let attr = self.attr(key, |t| matches!(t, Ty::Gib(_)));
        let v = self.value(cx, key)?;
        let v = cx.substitute(v);
        let n = match &v.kind {
            ValueKind::Int(n) => Spanned::new(*n, v.span),
            ValueKind::Size(mib) if mib % 1024 == 0 => Spanned::new(mib / 1024, v.span),
            _ => {
                cx.type_error(key, &v, "a size in GiB", "30GiB");
                return None;
            }
        };
        bounded(cx, key, n, attr)
    }

    pub fn percent(&mut self, cx: &mut Cx<'_>, key: &'static str) -> Option<Spanned<u64>> {
        let attr = self.attr(key, |t| matches!(t, Ty::Percent(_)));
        let v = self.value(cx, key)?;
        let v = cx.substitute(v);
        match &v.kind {
            ValueKind::Percent(p) => bounded(cx, key, Spanned::new(*p, v.span), attr),
            _ => {
                cx.type_error(key, &v, "a percentage", "50%");
                None
            }
        }
    }

    /// A bare keyword from `choices` (the schema's keywords, in its order).
    pub fn keyword<T: Copy>(
        &mut self,
        cx: &mut Cx<'_>,
        key: &'static str,
        choices: &[(&str, T)],
    ) -> Option<Spanned<T>> {
        let attr = self.attr(key, |t| matches!(t, Ty::Keyword(_)));
        debug_assert!(
            attr.is_some_and(|a| matches!(a.ty, Ty::Keyword(words)
                if words.iter().eq(choices.iter().map(|(n, _)| n)))),
            "the keywords of `{}.{key}` differ from its schema",
            self.schema.id
        );
        let v = self.value(cx, key)?;
        let v = cx.substitute(v);
        keyword_value(cx, key, &v, choices)
    }

    /// A list of bare keywords from `choices`, in the order written (one
    /// keyword alone is a list of one).
    pub fn keywords<T: Copy>(
        &mut self,
        cx: &mut Cx<'_>,
        key: &'static str,
        choices: &[(&str, T)],
    ) -> Option<Spanned<Vec<Spanned<T>>>> {
        let attr = self.attr(key, |t| matches!(t, Ty::Keywords(_)));
        debug_assert!(
            attr.is_some_and(|a| matches!(a.ty, Ty::Keywords(words)
                if words.iter().eq(choices.iter().map(|(n, _)| n)))),
            "the keywords of `{}.{key}` differ from its schema",
            self.schema.id
        );
        let v = self.value(cx, key)?;
        let v = cx.substitute(v);
        let items: Vec<Value> = match &v.kind {
            ValueKind::List(items) => items.clone(),
            _ => vec![v.as_ref().clone()],
        };
        let words = items
            .iter()
            .filter_map(|i| keyword_value(cx, key, &cx.substitute(i), choices))
            .collect();
        Some(Spanned::new(words, v.span))
    }

    /// A reference to one declaration of `kind`.
    pub fn reference(
        &mut self,
        cx: &mut Cx<'_>,
        key: &'static str,
        kind: Kind,
    ) -> Option<Spanned<usize>> {
        self.attr(key, |t| matches!(t, Ty::Ref(k) if *k == kind));
        let v = self.value(cx, key)?;
        // A param may name the declaration (`subnet = nat_subnet`).
        let v = cx.substitute_name(v, kind);
        reference_value(cx, key, &v, kind)
    }

    /// A list of references to declarations of `kind`.
    pub fn references(
        &mut self,
        cx: &mut Cx<'_>,
        key: &'static str,
        kind: Kind,
    ) -> Option<Spanned<Vec<usize>>> {
        self.attr(key, |t| matches!(t, Ty::Refs(k) if *k == kind));
        let v = self.value(cx, key)?;
        // A param may hold the list, so environments choose it
        // (`subnets = task_subnets`), or name one of its items.
        let v = cx.substitute_name(v, kind);
        let v = v.as_ref();
        match &v.kind {
            ValueKind::List(items) => {
                let ids = items
                    .iter()
                    .filter_map(|i| {
                        let i = cx.substitute_name(i, kind);
                        reference_value(cx, key, &i, kind).map(|s| s.value)
                    })
                    .collect();
                Some(Spanned::new(ids, v.span))
            }
            ValueKind::Ref(_) => {
                let one = reference_value(cx, key, v, kind)?;
                Some(Spanned::new(vec![one.value], v.span))
            }
            _ => {
                cx.type_error(key, v, &format!("a list of {} names", kind.noun()), "");
                None
            }
        }
    }

    /// A list of strings; one string is accepted and flagged.
    pub fn strings(
        &mut self,
        cx: &mut Cx<'_>,
        key: &'static str,
    ) -> Option<(Vec<String>, bool, Span)> {
        self.attr(key, |t| matches!(t, Ty::Strings));
        let v = self.value(cx, key)?;
        let v = cx.substitute(v);
        match &v.kind {
            ValueKind::List(items) => {
                let mut out = Vec::new();
                for item in items {
                    match &item.kind {
                        ValueKind::Str(parts) => out.push(cx.string(parts)),
                        _ => cx.type_error(key, item, "a list of strings", ""),
                    }
                }
                Some((out, false, v.span))
            }
            ValueKind::Str(parts) => Some((vec![cx.string(parts)], true, v.span)),
            _ => {
                cx.type_error(key, &v, "a list of strings", "[\"a\", \"b\"]");
                None
            }
        }
    }

    /// A map of names to strings (numbers and booleans are written as text).
    pub fn string_map(
        &mut self,
        cx: &mut Cx<'_>,
        key: &'static str,
    ) -> Vec<(Ident, Spanned<String>)> {
        self.attr(key, |t| matches!(t, Ty::StringMap));
        let Some(v) = self.value(cx, key) else {
            return Vec::new();
        };
        match &v.kind {
            ValueKind::Map(entries) => entries
                .iter()
                .filter_map(|(k, val)| {
                    let val = cx.substitute(val);
                    let text = match &val.kind {
                        ValueKind::Str(parts) => cx.string(parts),
                        ValueKind::Int(_) | ValueKind::Bool(_) | ValueKind::Float(_) => {
                            scalar_text(&val)
                        }
                        _ => {
                            cx.type_error(&k.name, &val, "a string", "");
                            return None;
                        }
                    };
                    Some((k.clone(), Spanned::new(text, val.span)))
                })
                .collect(),
            _ => {
                cx.type_error(key, v, "a map", "{ KEY = \"value\" }");
                Vec::new()
            }
        }
    }

    /// The nested blocks of one kind (`container`, `health`, …).
    pub fn blocks(&mut self, kind: &'static str) -> Vec<&'b Block> {
        self.ask(kind);
        let mut out = Vec::new();
        for (i, m) in self.members.iter().enumerate() {
            if let Member::Block(b) = m {
                if b.kind.name == kind {
                    self.used[i] = true;
                    out.push(b);
                }
            }
        }
        out
    }

    /// At most one nested block of a kind; a second is reported.
    pub fn block(&mut self, cx: &mut Cx<'_>, kind: &'static str) -> Option<&'b Block> {
        let blocks = self.blocks(kind);
        if let Some(extra) = blocks.get(1) {
            cx.error(
                Diagnostic::error(
                    "E009",
                    extra.kind.span,
                    format!("{} has more than one `{kind}` block", self.what),
                )
                .label("second block")
                .with(blocks[0].kind.span, "first block")
                .help(format!("merge the two `{kind}` blocks into one")),
            );
        }
        blocks.first().copied()
    }

    /// The statements this block holds, chosen by `pick`.
    pub fn statements<T>(
        &mut self,
        name: &'static str,
        mut pick: impl FnMut(&'b Statement) -> Option<T>,
    ) -> Vec<T> {
        self.ask(name);
        let mut out = Vec::new();
        for (i, m) in self.members.iter().enumerate() {
            if let Member::Statement(s) = m {
                if let Some(t) = pick(s) {
                    self.used[i] = true;
                    out.push(t);
                }
            }
        }
        out
    }

    /// Reports every member that no getter asked for, with a suggestion
    /// drawn from the members the schema declares.
    pub fn finish(self, cx: &mut Cx<'_>) {
        if self.used.iter().all(|u| *u) {
            return;
        }
        let known = self.schema.member_words();
        for (i, m) in self.members.iter().enumerate() {
            if self.used[i] {
                continue;
            }
            let (word, span, noun) = match m {
                Member::Attribute(a) => (a.key.name.as_str(), a.key.span, "attribute"),
                Member::Block(b) => (b.kind.name.as_str(), b.kind.span, "block"),
                Member::Statement(s) => (statement_word(&s.kind), s.span, "statement"),
            };
            let help = match suggest::closest(word, known.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None if known.is_empty() => format!("{} takes no members here", self.what),
                None => format!("{} takes {}", self.what, suggest::one_of(&known)),
            };
            cx.error(
                Diagnostic::error(
                    "E005",
                    span,
                    format!("{} does not take {noun} `{word}`", self.what),
                )
                .label(format!("unknown {noun}"))
                .help(help),
            );
        }
    }
}

/// `n` when it is within what the schema allows for `attr` (its range, or
/// its width when a rule checks the range); else E008 with the valid range.
fn bounded(
    cx: &mut Cx<'_>,
    key: &str,
    n: Spanned<u64>,
    attr: Option<&schema::Attr>,
) -> Option<Spanned<u64>> {
    match attr.and_then(|a| a.ty.int()) {
        Some(int) => cx.in_bounds(key, n, int),
        None => Some(n),
    }
}

/// A number already checked to fit in 32 bits.
pub fn narrow(n: Spanned<u64>) -> Option<Spanned<u32>> {
    u32::try_from(n.value).ok().map(|v| Spanned::new(v, n.span))
}

pub fn statement_word(s: &StatementKind) -> &'static str {
    match s {
        StatementKind::SgRule { egress: true, .. } => "egress",
        StatementKind::SgRule { .. } => "ingress",
        StatementKind::Listener { .. } => "listener",
        StatementKind::Route { .. } => "route",
        StatementKind::Secret { .. } => "secret",
        StatementKind::Port { .. } => "port",
        StatementKind::DependsOn { .. } => "depends_on",
        StatementKind::Mount { .. } => "mount",
        StatementKind::Allow { .. } => "allow",
    }
}

pub fn keyword_value<T: Copy>(
    cx: &mut Cx<'_>,
    key: &str,
    v: &Value,
    choices: &[(&str, T)],
) -> Option<Spanned<T>> {
    let names: Vec<&str> = choices.iter().map(|(n, _)| *n).collect();
    let word = match &v.kind {
        ValueKind::Ref(id) => id.name.clone(),
        ValueKind::Str(parts) => cx.string(parts),
        _ => {
            cx.type_error(
                key,
                v,
                &format!("one of {}", suggest::one_of(&names)),
                names[0],
            );
            return None;
        }
    };
    if let Some((_, t)) = choices.iter().find(|(n, _)| n.eq_ignore_ascii_case(&word)) {
        return Some(Spanned::new(*t, v.span));
    }
    let help = match suggest::closest(&word, names.iter().copied()) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!("use {}", suggest::one_of(&names)),
    };
    cx.error(
        Diagnostic::error("E008", v.span, format!("`{word}` is not a valid `{key}`"))
            .label(format!("expected {}", suggest::one_of(&names)))
            .help(help),
    );
    None
}

pub fn reference_value(
    cx: &mut Cx<'_>,
    key: &str,
    v: &Value,
    kind: Kind,
) -> Option<Spanned<usize>> {
    match &v.kind {
        ValueKind::Ref(id) => cx
            .symbols
            .resolve(id, &[kind], cx.diags)
            .map(|(_, i)| Spanned::new(i, v.span)),
        ValueKind::Str(parts) => {
            let text = cx.string(parts);
            cx.error(
                Diagnostic::error(
                    "E007",
                    v.span,
                    format!("`{key}` must name a {}, found a string", kind.noun()),
                )
                .label("references are bare names, not strings")
                .help(match kind.existing() {
                    // An AWS id: the resource exists already and is declared
                    // once with it.
                    Some(spec) if text.starts_with(spec.prefix) => {
                        let vpc = spec.needs;
                        format!(
                            "declare the existing {} once, `{} shared {{ id = \"{text}\"{vpc} }}`, and name `shared` where the id is",
                            kind.noun(),
                            kind.keyword()
                        )
                    }
                    _ => format!("write `{key} = {text}` without quotes"),
                }),
            );
            None
        }
        _ => {
            cx.type_error(key, v, &format!("a {} name", kind.noun()), "");
            None
        }
    }
}
