//! The table of declared names, and reference resolution with kind checks.

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::source::Span;
use crate::suggest;
use crate::syntax::ast::Ident;
use std::collections::HashMap;

pub use crate::schema::Kind;

#[derive(Debug, Clone, Copy)]
pub struct Symbol {
    pub index: usize,
    pub span: Span,
}

#[derive(Debug, Default)]
pub struct Symbols {
    /// Name → the kinds declaring it and each one's symbol, in the order
    /// declared (the first is named in wrong-kind messages). Keyed by the
    /// name alone, so that a lookup borrows it.
    by_name: crate::hash::Map<String, Vec<(Kind, Symbol)>>,
    names: HashMap<Kind, Vec<String>>,
    /// Each name resolved, and the declaration it resolved to (for the
    /// language server: definitions, references, renames).
    resolved: std::cell::RefCell<Vec<(Span, Span)>>,
}

impl Symbols {
    /// Declares a name; reports a duplicate. Returns its index in its kind.
    pub fn declare(&mut self, kind: Kind, name: &Ident, diags: &mut Diagnostics) -> Option<usize> {
        if let Some(prev) = self.get(kind, &name.name) {
            diags.push(
                Diagnostic::error(
                    "E004",
                    name.span,
                    format!("{} `{}` is declared twice", kind.noun(), name.name),
                )
                .label("declared again here")
                .with(prev.span, "first declared here")
                .help(format!(
                    "rename one of them: names are unique among {}s",
                    kind.noun()
                )),
            );
            return None;
        }
        let list = self.names.entry(kind).or_default();
        let index = list.len();
        list.push(name.name.clone());
        let symbol = Symbol {
            index,
            span: name.span,
        };
        self.by_name
            .entry(name.name.clone())
            .or_default()
            .push((kind, symbol));
        Some(index)
    }

    /// Every declaration's name, and every reference with the name it
    /// resolved to (a declaration refers to itself).
    pub fn references(&self) -> Vec<(Span, Span)> {
        let mut out: Vec<(Span, Span)> = self
            .by_name
            .values()
            .flatten()
            .map(|(_, s)| (s.span, s.span))
            .chain(self.resolved.borrow().iter().copied())
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// [`Symbols::get`] for a name written at `at` that refers to the
    /// declaration (recorded like a resolved reference).
    pub fn refer(&self, kind: Kind, name: &Ident) -> Option<Symbol> {
        let sym = self.get(kind, &name.name)?;
        self.resolved.borrow_mut().push((name.span, sym.span));
        Some(sym)
    }

    pub fn get(&self, kind: Kind, name: &str) -> Option<Symbol> {
        self.by_name
            .get(name)?
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|&(_, s)| s)
    }

    /// Resolves `name` to one of `expected` kinds, reporting E002 (unknown,
    /// with a suggestion) or E003 (declared, but as another kind).
    pub fn resolve(
        &self,
        name: &Ident,
        expected: &[Kind],
        diags: &mut Diagnostics,
    ) -> Option<(Kind, usize)> {
        for kind in expected {
            if let Some(sym) = self.get(*kind, &name.name) {
                self.resolved.borrow_mut().push((name.span, sym.span));
                return Some((*kind, sym.index));
            }
        }
        let wanted = expected
            .iter()
            .map(|k| k.noun())
            .collect::<Vec<_>>()
            .join(" or ");
        if let Some(&[(other, Symbol { span, .. }), ..]) =
            self.by_name.get(&name.name).map(Vec::as_slice)
        {
            diags.push(
                Diagnostic::error(
                    "E003",
                    name.span,
                    format!(
                        "`{}` is a {}, but a {wanted} is expected here",
                        name.name,
                        other.noun()
                    ),
                )
                .label(format!("expected a {wanted}"))
                .with(
                    span,
                    format!("`{}` is declared as a {} here", name.name, other.noun()),
                )
                .help(self.help_for(expected, "", &wanted)),
            );
            return None;
        }
        let candidates = expected
            .iter()
            .flat_map(|k| self.names.get(k).into_iter().flatten())
            .map(String::as_str);
        let help = match suggest::closest(&name.name, candidates) {
            Some(s) => format!("did you mean `{s}`?"),
            None => self.help_for(expected, &name.name, &wanted),
        };
        diags.push(
            Diagnostic::error(
                "E002",
                name.span,
                format!("there is no {wanted} named `{}`", name.name),
            )
            .label(format!("unknown {wanted}"))
            .help(help),
        );
        None
    }

    fn help_for(&self, expected: &[Kind], name: &str, wanted: &str) -> String {
        let declared: Vec<&str> = expected
            .iter()
            .flat_map(|k| self.names.get(k).into_iter().flatten())
            .map(String::as_str)
            .take(6)
            .collect();
        let keyword = expected.first().map_or("", |k| k.keyword());
        if declared.is_empty() && name.is_empty() {
            format!("declare a {wanted} (`{keyword} <name> {{ ... }}`) and name it here")
        } else if declared.is_empty() {
            format!("declare it: `{keyword} {name} {{ ... }}`")
        } else {
            format!("name a declared {wanted}: {}", suggest::one_of(&declared))
        }
    }
}
