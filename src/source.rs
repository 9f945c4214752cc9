//! Source files and byte spans into them.
//!
//! Every node of the syntax tree and every user-written value in the model
//! carries a [`Span`], so that any later stage can point back at the text.

use std::path::PathBuf;

/// Index of a file in a [`Sources`] set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FileId(pub u32);

/// A byte range in one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Self {
        Span {
            file,
            start: start as u32,
            end: end as u32,
        }
    }

    /// The smallest span covering both (same file assumed).
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    pub fn len(&self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }
}

/// A value together with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

/// One source file: its display name and text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub name: String,
    pub path: Option<PathBuf>,
    pub text: String,
    /// Byte offset of each line's start, for [`Sources::line_col`].
    line_starts: Vec<usize>,
}

/// The text as the parser reads it: a UTF-8 byte order mark dropped (it
/// is not part of the text; columns on the first line stay right), and
/// every lone carriage return (old Mac line ending) made a line feed, which
/// keeps every byte offset. `\r\n` stays as written.
pub fn normalize(mut text: String) -> String {
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    if text.contains('\r') {
        let mut bytes = text.into_bytes();
        for i in 0..bytes.len() {
            if bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
                bytes[i] = b'\n';
            }
        }
        // One ASCII byte replaced by another: still UTF-8.
        text = String::from_utf8(bytes).unwrap_or_default();
    }
    text
}

/// The set of files compiled together as one stack.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    pub fn new() -> Self {
        Sources::default()
    }

    /// Adds a file; its text is [`normalize`]d.
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<String>) -> FileId {
        let text = normalize(text.into());
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        self.files.push(SourceFile {
            name: name.into(),
            path: None,
            text,
            line_starts,
        });
        FileId(self.files.len() as u32 - 1)
    }

    pub fn add_path(&mut self, path: PathBuf, text: String) -> FileId {
        let id = self.add(path.display().to_string(), text);
        self.files[id.0 as usize].path = Some(path);
        id
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }

    pub fn text(&self, span: Span) -> &str {
        let text = &self.get(span.file).text;
        text.get(span.start as usize..span.end as usize)
            .unwrap_or("")
    }

    /// 1-based line and column of a span's end.
    pub fn end_line_col(&self, span: Span) -> (usize, usize) {
        self.line_col(Span {
            start: span.end,
            ..span
        })
    }

    /// 1-based line and column (in characters) of a span's start.
    pub fn line_col(&self, span: Span) -> (usize, usize) {
        let file = self.get(span.file);
        let at = (span.start as usize).min(file.text.len());
        // The number of line starts at or before `at`: the 1-based line.
        let line = file.line_starts.partition_point(|&s| s <= at);
        let start = file
            .line_starts
            .get(line.wrapping_sub(1))
            .copied()
            .unwrap_or(0);
        let col = file.text.get(start..at).map_or(0, |t| t.chars().count()) + 1;
        (line, col)
    }
}
