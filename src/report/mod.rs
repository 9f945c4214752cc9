//! Rendering diagnostics for people (miette's graphical reports) and for
//! tools (one line each).
//!
//! A report stays readable and linear in time at any size: long lines are
//! shown as a window around their labels ([`excerpt`]), a diagnostic's
//! related places as the first [`MAX_RELATED`] and a count, and long
//! messages cut short. The machine formats ([`machine`]) list everything.

mod excerpt;
pub mod machine;

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::source::{FileId, Sources};
use excerpt::Excerpt;
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceSpan};
use std::fmt;

/// Related places drawn in one report; the rest are counted.
pub const MAX_RELATED: usize = 5;

/// The most characters of a message or label drawn (names written in the
/// sources can be any length).
const MAX_TEXT: usize = 1000;

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
    source: Excerpt,
    /// (primary, span in the excerpt, text)
    labels: Vec<(bool, SourceSpan, String)>,
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
        Some(Box::new(self.labels.iter().map(|(primary, span, text)| {
            let text = (!text.is_empty()).then(|| text.clone());
            if *primary {
                LabeledSpan::new_primary_with_span(text, *span)
            } else {
                LabeledSpan::new_with_span(text, *span)
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

/// `labels` (all in `file`) as miette labels over an excerpt of the file.
fn excerpt(
    sources: &Sources,
    file: FileId,
    labels: &[(bool, &Label)],
) -> (Excerpt, Vec<(bool, SourceSpan, String)>) {
    let f = sources.get(file);
    let points: Vec<usize> = labels
        .iter()
        .flat_map(|(_, l)| [l.span.start as usize, l.span.end as usize])
        .collect();
    let (source, mapped) = Excerpt::new(&f.name, &f.text, &points);
    let spans = labels
        .iter()
        .zip(mapped.chunks(2))
        .map(|((primary, l), at)| {
            let (start, end) = (at[0], at[1].max(at[0]));
            (
                *primary,
                SourceSpan::from((start, end - start)),
                clip(&l.message),
            )
        })
        .collect();
    (source, spans)
}

/// `text` cut to [`MAX_TEXT`] characters.
fn clip(text: &str) -> String {
    match text.char_indices().nth(MAX_TEXT) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// Renders one diagnostic as a graphical report: its primary label and the
/// first [`MAX_RELATED`] related ones, then how many more there are.
pub fn human(d: &Diagnostic, sources: &Sources, style: Style) -> String {
    let file = d.primary.span.file;
    let shown = &d.secondary[..d.secondary.len().min(MAX_RELATED)];
    let hidden = d.secondary.len() - shown.len();
    let mut labels = vec![(true, &d.primary)];
    let mut elsewhere: Vec<&Label> = Vec::new();
    for l in shown {
        if l.span.file == file {
            labels.push((false, l));
        } else {
            elsewhere.push(l);
        }
    }
    let related = elsewhere
        .into_iter()
        .map(|l| {
            let (source, labels) = excerpt(sources, l.span.file, &[(false, l)]);
            Part {
                message: clip(&l.message),
                code: None,
                severity: Severity::Warning,
                help: None,
                source,
                labels,
                related: Vec::new(),
            }
        })
        .collect();
    let (source, labels) = excerpt(sources, file, &labels);
    let part = Part {
        message: clip(&d.message),
        code: Some(d.code),
        severity: d.severity,
        help: d.help.as_deref(),
        source,
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
        out = short(d, sources) + "\n";
    }
    if hidden > 0 {
        let plural = if hidden == 1 { "" } else { "s" };
        out.push_str(&format!(
            "  … and {hidden} more related place{plural} (`ecsc check --format json` lists them all)\n"
        ));
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
