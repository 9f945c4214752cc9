//! Typed access to the members of one block.
//!
//! A [`Reader`] is asked for each attribute a block kind understands
//! (`r.cidr(cx, "cidr")`, `r.refs(cx, "subnets", Kind::Subnet)`, …). It
//! converts and type-checks values, substitutes parameters, and at the end
//! ([`Reader::finish`]) reports every member nobody asked for, with a
//! suggestion drawn from the names that were asked for.

use super::suggest;
use super::symbols::{Kind, Symbols};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::source::{Span, Spanned};
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
}

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

    /// A string literal with `${param}` replaced (params may interpolate
    /// other params).
    pub fn string(&mut self, parts: &[StrPart]) -> String {
        let mut out = String::new();
        self.expand(parts, &mut Vec::new(), &mut out);
        out
    }

    fn expand(&mut self, parts: &[StrPart], stack: &mut Vec<String>, out: &mut String) {
        for part in parts {
            match part {
                StrPart::Text(t) => out.push_str(t),
                StrPart::Interpolation(id) => match self.params.get(&id.name) {
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
                            let inner = inner.clone();
                            stack.push(id.name.clone());
                            self.expand(&inner, stack, out);
                            stack.pop();
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
        ValueKind::List(_) | ValueKind::Map(_) => String::new(),
    }
}

pub struct Reader<'b> {
    /// "subnet `public_b`", for messages.
    pub what: String,
    /// Where to point when something is missing.
    pub span: Span,
    members: &'b [Member],
    used: Vec<bool>,
    known: Vec<&'static str>,
}

impl<'b> Reader<'b> {
    pub fn new(cx: &mut Cx<'_>, what: String, span: Span, members: &'b [Member]) -> Self {
        let mut seen: HashMap<&str, Span> = HashMap::new();
        for m in members {
            if let Member::Attribute(a) = m {
                if let Some(first) = seen.get(a.key.name.as_str()) {
                    cx.error(
                        Diagnostic::error(
                            "E009",
                            a.key.span,
                            format!("`{}` is set twice in {what}", a.key.name),
                        )
                        .label("set again here")
                        .with(*first, "first set here")
                        .help("remove one of the two"),
                    );
                } else {
                    seen.insert(&a.key.name, a.key.span);
                }
            }
        }
        Reader {
            what,
            span,
            members,
            used: vec![false; members.len()],
            known: Vec::new(),
        }
    }

    /// The raw value of an attribute.
    pub fn value(&mut self, key: &'static str) -> Option<&'b Value> {
        self.known.push(key);
        let mut found = None;
        for (i, m) in self.members.iter().enumerate() {
            if let Member::Attribute(a) = m {
                if a.key.name == key {
                    self.used[i] = true;
                    found.get_or_insert(&a.value);
                }
            }
        }
        found
    }

    /// Span of an attribute's key, when present.
    pub fn key_span(&self, key: &str) -> Option<Span> {
        self.members.iter().find_map(|m| match m {
            Member::Attribute(a) if a.key.name == key => Some(a.key.span),
            _ => None,
        })
    }

    fn missing(&self, cx: &mut Cx<'_>, key: &str, example: &str) {
        cx.error(
            Diagnostic::error("E006", self.span, format!("{} has no `{key}`", self.what))
                .label(format!("`{key}` is required here"))
                .help(format!("add `{example}`")),
        );
    }

    pub fn string(&mut self, cx: &mut Cx<'_>, key: &'static str) -> Option<Spanned<String>> {
        let v = self.value(key)?;
        let v = cx.substitute(v);
        match &v.kind {
            ValueKind::Str(parts) => Some(Spanned::new(cx.string(parts), v.span)),
            _ => {
                cx.type_error(key, &v, "a string", "");
                None
            }
        }
    }

    pub fn req_string(
        &mut self,
        cx: &mut Cx<'_>,
        key: &'static str,
        example: &str,
    ) -> Option<Spanned<String>> {
        let present = self.members_have(key);
        let v = self.string(cx, key);
        if !present {
            self.missing(cx, key, example);
        }
        v
    }

    fn members_have(&self, key: &str) -> bool {
        self.members
            .iter()
            .any(|m| matches!(m, Member::Attribute(a) if a.key.name == key))
    }

    pub fn int(&mut self, cx: &mut Cx<'_>, key: &'static str) -> Option<Spanned<u64>> {
        let v = self.value(key)?;
        let v = cx.substitute(v);
        match &v.kind {
            ValueKind::Int(n) => Some(Spanned::new(*n, v.span)),
            ValueKind::Str(parts) => {
                let text = cx.string(parts);
                match text.parse() {
                    Ok(n) if parts.iter().any(|p| matches!(p, StrPart::Interpolation(_))) => {
                        Some(Spanned::new(n, v.span))
                    }
                    _ => {
                        cx.type_error(key, &v, "a number", &text);
                        None
                    }
                }
            }
            _ => {
                cx.type_error(key, &v, "a number", "");
                None
            }
        }
    }

    /// A number within `lo..=hi`.
    pub fn int_in(
        &mut self,
        cx: &mut Cx<'_>,
        key: &'static str,
        lo: u64,
        hi: u64,
    ) -> Option<Spanned<u64>> {
        let n = self.int(cx, key)?;
        if n.value < lo || n.value > hi {
            cx.range_error(
                key,
                n.span,
                format!("is {}, outside {lo}–{hi}", n.value),
                format!("use a value from {lo} to {hi}"),
            );
            return None;
        }
        Some(n)
    }

    pub fn bool(&mut self, cx: &mut Cx<'_>, key: &'static str) -> Option<Spanned<bool>> {
        let v = self.value(key)?;
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

    pub fn cidr(
        &mut self,
        cx: &mut Cx<'_>,
        key: &'static str,
        example: &str,
    ) -> Option<Spanned<Cidr>> {
        let present = self.members_have(key);
        let Some(v) = self.value(key) else {
            if !present {
                self.missing(cx, key, &format!("{key} = {example}"));
            }
            return None;
        };
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
        let v = self.value(key)?;
        let v = cx.substitute(v);
        match &v.kind {
            ValueKind::Duration(ms) if ms % 1000 == 0 => Some(Spanned::new(ms / 1000, v.span)),
            ValueKind::Duration(_) => {
                cx.range_error(
                    key,
                    v.span,
                    "must be a whole number of seconds".into(),
                    "AWS takes this setting in seconds; write e.g. `30s`".into(),
                );
                None
            }
            ValueKind::Int(n) => Some(Spanned::new(*n, v.span)),
            _ => {
                cx.type_error(key, &v, "a duration", "30s");
                None
            }
        }
    }

    /// A size in MiB (`512MiB`, `2GiB`, or a plain number of MiB).
    pub fn mib(&mut self, cx: &mut Cx<'_>, key: &'static str) -> Option<Spanned<u64>> {
        let v = self.value(key)?;
        let v = cx.substitute(v);
        match &v.kind {
            ValueKind::Size(m) | ValueKind::Int(m) => Some(Spanned::new(*m, v.span)),
            _ => {
                cx.type_error(key, &v, "a size in MiB", "512MiB");
                None
            }
        }
    }

    pub fn percent(&mut self, cx: &mut Cx<'_>, key: &'static str) -> Option<Spanned<u64>> {
        let v = self.value(key)?;
        let v = cx.substitute(v);
        match &v.kind {
            ValueKind::Percent(p) => Some(Spanned::new(*p, v.span)),
            _ => {
                cx.type_error(key, &v, "a percentage", "50%");
                None
            }
        }
    }

    /// A bare keyword from `choices`.
    pub fn keyword<T: Copy>(
        &mut self,
        cx: &mut Cx<'_>,
        key: &'static str,
        choices: &[(&str, T)],
    ) -> Option<Spanned<T>> {
        let v = self.value(key)?;
        let v = cx.substitute(v);
        keyword_value(cx, key, &v, choices)
    }

    /// A reference to one declaration of `kind`.
    pub fn reference(
        &mut self,
        cx: &mut Cx<'_>,
        key: &'static str,
        kind: Kind,
    ) -> Option<Spanned<usize>> {
        let present = self.members_have(key);
        let Some(v) = self.value(key) else {
            if !present {
                self.missing(cx, key, &format!("{key} = <{} name>", kind.keyword()));
            }
            return None;
        };
        reference_value(cx, key, v, kind)
    }

    /// An optional reference to one declaration of `kind`.
    pub fn optional_reference(
        &mut self,
        cx: &mut Cx<'_>,
        key: &'static str,
        kind: Kind,
    ) -> Option<Spanned<usize>> {
        let v = self.value(key)?;
        reference_value(cx, key, v, kind)
    }

    /// A list of references to declarations of `kind`.
    pub fn references(
        &mut self,
        cx: &mut Cx<'_>,
        key: &'static str,
        kind: Kind,
    ) -> Option<Spanned<Vec<usize>>> {
        let v = self.value(key)?;
        match &v.kind {
            ValueKind::List(items) => {
                let ids = items
                    .iter()
                    .filter_map(|i| reference_value(cx, key, i, kind).map(|s| s.value))
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
        let v = self.value(key)?;
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
        let Some(v) = self.value(key) else {
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
        self.known.push(kind);
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
        self.known.push(name);
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

    /// Reports every member that no getter asked for.
    pub fn finish(self, cx: &mut Cx<'_>) {
        for (i, m) in self.members.iter().enumerate() {
            if self.used[i] {
                continue;
            }
            let (word, span, noun) = match m {
                Member::Attribute(a) => (a.key.name.as_str(), a.key.span, "attribute"),
                Member::Block(b) => (b.kind.name.as_str(), b.kind.span, "block"),
                Member::Statement(s) => (statement_word(&s.kind), s.span, "statement"),
            };
            let mut known: Vec<&str> = self.known.clone();
            known.sort();
            known.dedup();
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
                .help(format!("write `{key} = {text}` without quotes")),
            );
            None
        }
        _ => {
            cx.type_error(key, v, &format!("a {} name", kind.noun()), "");
            None
        }
    }
}
