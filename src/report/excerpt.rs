//! What a graphical report shows of a source file: its lines as written,
//! except that a long line is cut to a window around the labels on it.
//! A report then stays readable, and its size bounded, whatever the input
//! (a 100 MB line is never echoed whole), and the renderer never sees a
//! column it cannot handle (miette panics past column 65,535).

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

/// Lines up to this many bytes are shown whole.
const LONG_LINE: usize = 200;
/// Characters shown either side of the labelled text on a long line.
const WINDOW: usize = 80;
/// The most characters of labelled text shown on one long line.
const LABELLED: usize = 80;

/// A source file's text with its long lines cut, and the name it is shown
/// under: a [`SourceCode`] for miette.
pub struct Excerpt {
    name: String,
    text: String,
    /// For each cut line: where its shown characters start in `text`, and
    /// the column (0-based, in characters) of the first one in the source.
    cuts: Vec<(usize, usize)>,
}

impl Excerpt {
    /// The excerpt of `source` and the byte offsets `points` (label starts
    /// and ends) mapped into it: each to where its character is shown, or
    /// to the nearest end of the window that cuts it off. One pass over
    /// the source.
    pub fn new(name: &str, source: &str, points: &[usize]) -> (Excerpt, Vec<usize>) {
        let points: Vec<usize> = points.iter().map(|&p| floor(source, p)).collect();
        let mut order: Vec<usize> = (0..points.len()).collect();
        order.sort_by_key(|&i| points[i]);
        let mut mapped = vec![0; points.len()];
        let mut next = 0;
        let mut text = String::with_capacity(source.len().min(1 << 20));
        let mut cuts = Vec::new();
        let mut start = 0;
        loop {
            let end = source[start..]
                .find('\n')
                .map_or(source.len(), |i| start + i);
            let first = next;
            while next < order.len() && points[order[next]] <= end {
                next += 1;
            }
            let here = &order[first..next];
            let at = text.len();
            if end - start <= LONG_LINE {
                text.push_str(&source[start..end]);
                for &i in here {
                    mapped[i] = at + points[i] - start;
                }
            } else {
                // A `\r` of `\r\n` stays at the line's end, after the cut.
                let content_end = if source[..end].ends_with('\r') {
                    end - 1
                } else {
                    end
                };
                let (lo, hi) = match here {
                    [] => (start, start),
                    [one] => (points[*one].min(content_end), points[*one].min(content_end)),
                    [a, .., b] => (points[*a].min(content_end), points[*b].min(content_end)),
                };
                let hi = hi.min(forward(source, lo, LABELLED, content_end));
                let from = back(source, lo, WINDOW, start);
                let to = forward(source, hi, WINDOW, content_end);
                if from > start {
                    text.push('…');
                }
                let shown = text.len();
                cuts.push((shown, source[start..from].chars().count()));
                text.push_str(&source[from..to]);
                if to < content_end {
                    text.push('…');
                }
                text.push_str(&source[content_end..end]);
                for &i in here {
                    mapped[i] = shown + points[i].clamp(from, to) - from;
                }
            }
            if end == source.len() {
                break;
            }
            text.push('\n');
            start = end + 1;
        }
        for &i in &order[next..] {
            mapped[i] = text.len();
        }
        let excerpt = Excerpt {
            name: name.to_string(),
            text,
            cuts,
        };
        (excerpt, mapped)
    }

    /// The 0-based column, in characters of the source, of `at` (an offset
    /// in the excerpt).
    fn column(&self, at: usize) -> usize {
        let at = floor(&self.text, at);
        let line_start = self.text[..at].rfind('\n').map_or(0, |i| i + 1);
        let cut = self.cuts.partition_point(|&(shown, _)| shown <= at);
        match cut.checked_sub(1).map(|i| self.cuts[i]) {
            Some((shown, column)) if shown >= line_start => {
                column + self.text[shown..at].chars().count()
            }
            _ => self.text[line_start..at].chars().count(),
        }
    }
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self
            .text
            .read_span(span, context_lines_before, context_lines_after)?;
        // Without context lines, miette reads a span for its position in
        // the header: the column the source has.
        let column = if context_lines_before == 0 {
            self.column(span.offset())
        } else {
            inner.column()
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line(),
            column,
            inner.line_count(),
        )))
    }
}

/// `at` moved back to a character boundary of `text`, and into it.
fn floor(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The offset `n` characters after `from`, at most `limit`.
fn forward(text: &str, from: usize, n: usize, limit: usize) -> usize {
    if from >= limit {
        return limit;
    }
    text[from..limit]
        .char_indices()
        .nth(n)
        .map_or(limit, |(i, _)| from + i)
}

/// The offset `n` characters before `from`, at least `limit`.
fn back(text: &str, from: usize, n: usize, limit: usize) -> usize {
    if from <= limit || n == 0 {
        return from.max(limit);
    }
    text[limit..from]
        .char_indices()
        .rev()
        .nth(n - 1)
        .map_or(limit, |(i, _)| limit + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lines_are_kept_and_long_ones_cut_around_the_labels() {
        let long = format!("{}TARGET{}", "a".repeat(10_000), "b".repeat(10_000));
        let source = format!("first line\n{long}\r\nlast\n");
        let at = source.find("TARGET").unwrap();
        let (e, mapped) = Excerpt::new("f", &source, &[at, at + 6, 3]);
        let lines: Vec<&str> = e.text.lines().collect();
        assert_eq!(lines[0], "first line");
        assert_eq!(lines[2], "last");
        assert!(
            lines[1].starts_with('…') && lines[1].ends_with('…'),
            "{}",
            lines[1]
        );
        assert!(e.text.contains("…\r\n"), "the `\\r` stays at the end");
        assert!(lines[1].chars().count() < 2 * WINDOW + 20);
        assert_eq!(&e.text[mapped[0]..mapped[1]], "TARGET");
        assert_eq!(mapped[2], 3);
        // The header's column is the source's.
        assert_eq!(e.column(mapped[0]), 10_000);
        assert_eq!(e.column(mapped[2]), 3);
    }

    #[test]
    fn points_off_character_boundaries_or_past_the_end_do_not_panic() {
        let source = "é".repeat(500);
        let (e, mapped) = Excerpt::new("f", &source, &[1, 999, 5000]);
        assert!(mapped.iter().all(|&m| m <= e.text.len()));
    }
}
