//! Rendering diagnostics for people (miette's graphical reports) and for
//! tools (one line each).

pub mod machine;

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::source::{FileId, Sources};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};
use std::fmt;

/// How reports are drawn.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    pub width: usize,
}

impl Style {
    /// Plain Unicode, 100 columns: for snapshots and non-terminals.
    pub fn plain() -> Style {
        Style {
            color: false,
            width: 100,
        }
    }
}

/// A diagnostic's labels that fall in one file, as a miette diagnostic.
struct Part<'a> {
    message: String,
    code: Option<&'static str>,
    severity: Severity,
    help: Option<&'a str>,
    source: NamedSource<String>,
    labels: Vec<(bool, &'a Label)>,
    related: Vec<Part<'a>>,
}

impl fmt::Debug for Part<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
impl fmt::Display for Part<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
impl std::error::Error for Part<'_> {}

impl miette::Diagnostic for Part<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.code.map(|c| Box::new(c) as Box<dyn fmt::Display>)
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Note => miette::Severity::Advice,
        })
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help.map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().map(|(primary, l)| {
            let span = SourceSpan::from((l.span.start as usize, l.span.len()));
            let text = (!l.message.is_empty()).then(|| l.message.clone());
            if *primary {
                LabeledSpan::new_primary_with_span(text, span)
            } else {
                LabeledSpan::new_with_span(text, span)
            }
        })))
    }
    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        if self.related.is_empty() {
            None
        } else {
            Some(Box::new(
                self.related.iter().map(|p| p as &dyn miette::Diagnostic),
            ))
        }
    }
}

fn named(sources: &Sources, file: FileId) -> NamedSource<String> {
    let f = sources.get(file);
    NamedSource::new(f.name.clone(), f.text.clone())
}

/// Renders one diagnostic as a graphical report.
pub fn human(d: &Diagnostic, sources: &Sources, style: Style) -> String {
    let file = d.primary.span.file;
    let mut labels = vec![(true, &d.primary)];
    let mut elsewhere: Vec<&Label> = Vec::new();
    for l in &d.secondary {
        if l.span.file == file {
            labels.push((false, l));
        } else {
            elsewhere.push(l);
        }
    }
    let related = elsewhere
        .into_iter()
        .map(|l| Part {
            message: l.message.clone(),
            code: None,
            severity: Severity::Warning,
            help: None,
            source: named(sources, l.span.file),
            labels: vec![(false, l)],
            related: Vec::new(),
        })
        .collect();
    let part = Part {
        message: d.message.clone(),
        code: Some(d.code),
        severity: d.severity,
        help: d.help.as_deref(),
        source: named(sources, file),
        labels,
        related,
    };
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false);
    let mut out = String::new();
    if handler.render_report(&mut out, &part).is_err() {
        out = short(d, sources);
    }
    out
}

/// `file:line:col: error[E030]: message`
pub fn short(d: &Diagnostic, sources: &Sources) -> String {
    let (line, col) = sources.line_col(d.primary.span);
    format!(
        "{}:{line}:{col}: {}[{}]: {}",
        sources.get(d.primary.span.file).name,
        d.severity.as_str(),
        d.code,
        d.message
    )
}

/// Every diagnostic, sorted, rendered for people, then a summary line.
pub fn human_all(
    diags: &crate::diagnostic::Diagnostics,
    sources: &Sources,
    style: Style,
) -> String {
    let mut out = String::new();
    for d in diags.clone().into_sorted() {
        out.push_str(&human(&d, sources, style));
    }
    out
}
