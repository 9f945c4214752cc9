//! `ecsc fmt`: one canonical layout for `.ecs` text.
//!
//! The layout is made from the syntax tree and the source: every token
//! keeps its text (strings, numbers and names are never rewritten), and
//! only the space between tokens changes:
//!
//! - two spaces of indentation per level; one space around `=`, after
//!   `,` and inside `{ }` of a one-line block or map; none inside `[ ]`;
//! - members the source puts on one line stay on one line (two spaces
//!   apart), those on lines of their own keep them; a block, list or map
//!   written on one line stays on one line; at most one blank line between
//!   members, none after `{` or before `}`;
//! - `=` aligned in a run of consecutive one-line attributes, and comments
//!   at the end of consecutive lines aligned with each other;
//! - comments stay where they are: above a member, at the end of its line,
//!   or before a closing `}`.
//!
//! [`format`] checks its own result before returning it: the text parses
//! to the same tree (spans aside) and holds the same comments in the same
//! order; otherwise it refuses, and the file is left alone.

use super::ast::*;
use crate::diagnostic::Diagnostics;
use crate::source::FileId;

/// Why a text was not formatted.
#[derive(Debug)]
pub enum Refused {
    /// The text does not parse: its syntax errors.
    Syntax(Diagnostics),
    /// A comment where the layout cannot keep it (inside a member, between
    /// its words): where, and what to do.
    Layout(String),
    /// The formatter would have changed what the text says (a bug).
    Internal(String),
}

/// The text in the canonical layout (ending in one newline).
pub fn format(text: &str) -> Result<String, Refused> {
    let text = crate::source::normalize(text.to_string());
    let tree = parse(&text)?;
    let mut f = Formatter {
        text: &text,
        comments: comments(&text),
        next: 0,
        stray: None,
    };
    let mut nodes: Vec<Node<'_>> = tree
        .params
        .iter()
        .map(Node::Param)
        .chain(tree.blocks.iter().map(Node::Block))
        .collect();
    nodes.sort_by_key(|n| n.span().0);
    let lines = f.seq(&nodes, 0, 0, text.len(), Kind::Members);
    if let Some(at) = f.stray {
        let line = text[..at].matches('\n').count() + 1;
        return Err(Refused::Layout(format!(
            "the comment at line {line} sits inside a member, between its words; move it to a line of its own or to the end of the line"
        )));
    }
    let mut out = render_lines(&lines, 0);
    if !out.is_empty() {
        out.push('\n');
    }
    // The result says what the source said, or nothing is written.
    let again = parse(&out)
        .map_err(|_| Refused::Internal("the formatted text does not parse".to_string()))?;
    if shape_file(&again) != shape_file(&tree) {
        return Err(Refused::Internal(
            "the formatted text parses to a different tree".to_string(),
        ));
    }
    let said = |t: &str| -> Vec<String> {
        comments(t)
            .into_iter()
            .map(|(s, e)| t[s..e].trim_end().to_string())
            .collect()
    };
    if said(&out) != said(&text) {
        return Err(Refused::Internal(
            "the formatted text does not keep every comment".to_string(),
        ));
    }
    Ok(out)
}

fn parse(text: &str) -> Result<File, Refused> {
    let mut diags = Diagnostics::new();
    let tree = super::parse(FileId(0), text, &mut diags);
    if diags.iter().any(|d| d.code == "E001") {
        return Err(Refused::Syntax(diags));
    }
    Ok(tree)
}

/// Where the comments are: `#` outside a string, to the end of the line.
fn comments(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut in_string = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => in_string = !in_string,
            b'\\' if in_string => i += 1,
            // Strings are one line long.
            b'\n' => in_string = false,
            b'#' if !in_string => {
                let end = text[i..].find('\n').map_or(text.len(), |e| i + e);
                out.push((i, end));
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// What a sequence holds, which says how its items are separated.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    /// Declarations or block members: two spaces apart on one line.
    Members,
    /// List items: `, ` apart, each line ending in `,`.
    Items,
    /// Map entries: `, ` apart.
    Entries,
}

#[derive(Clone, Copy)]
enum Node<'a> {
    Param(&'a Param),
    Block(&'a Block),
    Member(&'a Member),
    Item(&'a Value),
    Entry(&'a Ident, &'a Value),
}

impl Node<'_> {
    fn span(&self) -> (usize, usize) {
        let s = match self {
            Node::Param(p) => p.span,
            Node::Block(b) => b.span,
            Node::Member(Member::Attribute(a)) => a.span,
            Node::Member(Member::Block(b)) => b.span,
            Node::Member(Member::Statement(s)) => s.span,
            Node::Item(v) => v.span,
            Node::Entry(k, v) => return (at(k.span.start), at(v.span.end)),
        };
        (at(s.start), at(s.end))
    }
}

/// One output line of a sequence.
struct Line {
    /// The code; a member of several lines holds them (the later ones
    /// already indented).
    code: String,
    /// A comment at its end, or the whole line when `code` is empty.
    comment: Option<String>,
    /// For `key = value` alone on its line: the key's length, to align `=`.
    key: Option<usize>,
    blank_before: bool,
    /// `code` holds several lines.
    multiline: bool,
}

impl Line {
    fn single(&self) -> bool {
        !self.code.is_empty() && !self.multiline
    }

    fn comment(text: String, blank_before: bool) -> Line {
        Line {
            code: String::new(),
            comment: Some(text),
            key: None,
            blank_before,
            multiline: false,
        }
    }
}

struct Formatter<'t> {
    text: &'t str,
    comments: Vec<(usize, usize)>,
    /// The first comment not written yet.
    next: usize,
    /// A comment inside a member, which the layout would lose.
    stray: Option<usize>,
}

/// A span's offset as an index (widening: offsets are `u32`).
fn at(offset: u32) -> usize {
    offset as usize
}

fn indent(depth: usize) -> String {
    "  ".repeat(depth)
}

/// A blank line in `gap` (whitespace only).
fn blank(gap: &str) -> bool {
    gap.matches('\n').count() >= 2
}

impl<'t> Formatter<'t> {
    fn src(&self, s: crate::source::Span) -> &'t str {
        let text: &'t str = self.text;
        &text[at(s.start)..at(s.end)]
    }

    /// Where a node's text really ends: the parser's span of a statement
    /// whose last part is optional (`port 80` without a body) runs on over
    /// the spaces and comments after it.
    fn trim(&self, start: usize, mut end: usize) -> usize {
        loop {
            end = start + self.text[start..end].trim_end().len();
            let i = self.comments.partition_point(|c| c.0 < end);
            match i.checked_sub(1).map(|i| self.comments[i]) {
                Some((cs, ce)) if cs >= start && end <= ce => end = cs,
                _ => return end,
            }
        }
    }

    /// The comment starting before `pos`, if it is the next one.
    fn comment_before(&self, pos: usize) -> Option<(usize, usize)> {
        self.comments.get(self.next).copied().filter(|c| c.0 < pos)
    }

    /// The lines of `nodes` at `depth`, between `open` (after the opening
    /// bracket, or the file's start) and `close` (the closing bracket, or
    /// the file's end).
    fn seq(
        &mut self,
        nodes: &[Node<'_>],
        depth: usize,
        open: usize,
        close: usize,
        kind: Kind,
    ) -> Vec<Line> {
        let mut lines: Vec<Line> = Vec::new();
        let mut prev = open;
        for (i, node) in nodes.iter().enumerate() {
            let (start, end) = node.span();
            let end = self.trim(start, end);
            while let Some((cs, ce)) = self.comment_before(start) {
                self.next += 1;
                let blank_before = !lines.is_empty() && blank(&self.text[prev..cs]);
                lines.push(Line::comment(
                    self.text[cs..ce].trim_end().to_string(),
                    blank_before,
                ));
                prev = ce;
            }
            let code = self.node(*node, depth);
            // What the node's own rendering did not take is inside it.
            self.skip_stray(end);
            let multiline = code.contains('\n');
            let gap = &self.text[prev..start];
            let joins = lines
                .last()
                .is_some_and(|l| l.single() && l.comment.is_none() && !gap.contains('\n'))
                && !multiline;
            if let (true, Some(last)) = (joins, lines.last_mut()) {
                last.code
                    .push_str(if kind == Kind::Members { "  " } else { ", " });
                last.code.push_str(&code);
                last.key = None;
            } else {
                let key = match node {
                    Node::Param(p) if !multiline => {
                        Some("param ".len() + self.src(p.name.span).len())
                    }
                    Node::Member(Member::Attribute(a)) if !multiline => {
                        Some(self.src(a.key.span).len())
                    }
                    Node::Entry(k, _) if !multiline => Some(self.src(k.span).len()),
                    _ => None,
                };
                lines.push(Line {
                    code,
                    comment: None,
                    key,
                    blank_before: !lines.is_empty() && blank(gap),
                    multiline,
                });
            }
            prev = end;
            // A comment at the end of the line is the last node's on it:
            // it is looked for only before the next node.
            let limit = nodes.get(i + 1).map_or(close, |n| n.span().0.min(close));
            if let Some((cs, ce)) = self.comment_before(limit) {
                if !self.text[end..cs].contains('\n') {
                    self.next += 1;
                    if let Some(last) = lines.last_mut() {
                        last.comment = Some(self.text[cs..ce].trim_end().to_string());
                    }
                    prev = ce;
                }
            }
        }
        while let Some((cs, ce)) = self.comment_before(close) {
            self.next += 1;
            let blank_before = !lines.is_empty() && blank(&self.text[prev..cs]);
            lines.push(Line::comment(
                self.text[cs..ce].trim_end().to_string(),
                blank_before,
            ));
            prev = ce;
        }
        if kind == Kind::Items {
            for l in &mut lines {
                if !l.code.is_empty() {
                    l.code.push(',');
                }
            }
        }
        align(&mut lines);
        lines
    }

    fn node(&mut self, node: Node<'_>, depth: usize) -> String {
        match node {
            Node::Param(p) => format!(
                "param {} = {}",
                self.src(p.name.span),
                self.value(&p.default, depth)
            ),
            Node::Block(b) | Node::Member(Member::Block(b)) => self.block(b, depth),
            Node::Member(Member::Attribute(a)) => {
                format!("{} = {}", self.src(a.key.span), self.value(&a.value, depth))
            }
            Node::Member(Member::Statement(s)) => self.statement(s, depth),
            Node::Item(v) => self.value(v, depth),
            Node::Entry(k, v) => format!("{} = {}", self.src(k.span), self.value(v, depth)),
        }
    }

    fn block(&mut self, b: &Block, depth: usize) -> String {
        let header_end = at(b.name.as_ref().map_or(b.kind.span.end, |n| n.span.end));
        let mut out = self.src(b.kind.span).to_string();
        if let Some(n) = &b.name {
            out.push(' ');
            out.push_str(self.src(n.span));
        }
        out.push(' ');
        out.push_str(&self.body(&b.members, depth, header_end, at(b.span.end)));
        out
    }

    /// `{ … }` found after `from`, ending at `end` (the `}` is at `end - 1`).
    fn body(&mut self, members: &[Member], depth: usize, from: usize, end: usize) -> String {
        let open = self.text[from..end]
            .find('{')
            .map_or(from, |i| from + i + 1);
        let close = end.saturating_sub(1).max(open);
        self.skip_stray(open);
        let inside = &self.text[open..close];
        let has_comment = self.comment_before(close).is_some();
        if members.is_empty() && !has_comment {
            return "{ }".to_string();
        }
        let nodes: Vec<Node<'_>> = members.iter().map(Node::Member).collect();
        if !inside.contains('\n') && !has_comment {
            let parts: Vec<String> = nodes.iter().map(|n| self.node(*n, depth + 1)).collect();
            return format!("{{ {} }}", parts.join("  "));
        }
        let head = self.opening_comment(open, close, &nodes);
        let lines = self.seq(&nodes, depth + 1, open, close, Kind::Members);
        format!(
            "{{{head}\n{}\n{}}}",
            render_lines(&lines, depth + 1),
            indent(depth)
        )
    }

    /// Comments before `pos` not written yet sit between the words of a
    /// member: noted, so that the text is refused.
    fn skip_stray(&mut self, pos: usize) {
        while let Some((cs, _)) = self.comment_before(pos) {
            self.next += 1;
            self.stray.get_or_insert(cs);
        }
    }

    /// A comment on the line of an opening bracket stays there (a
    /// suppression there covers that line): `{  # comment`.
    fn opening_comment(&mut self, open: usize, close: usize, nodes: &[Node<'_>]) -> String {
        self.skip_stray(open);
        // Only one before the first member: a later one on the same line
        // ends that member's line (`task t { port 80  # web`).
        let first = nodes.first().map_or(close, |n| n.span().0.min(close));
        match self.comment_before(first) {
            Some((cs, ce)) if !self.text[open..cs].contains('\n') => {
                self.next += 1;
                format!("  {}", self.text[cs..ce].trim_end())
            }
            _ => String::new(),
        }
    }

    fn statement(&mut self, s: &Statement, depth: usize) -> String {
        let end = self.trim(at(s.span.start), at(s.span.end));
        match &s.kind {
            StatementKind::SgRule {
                egress,
                protocol,
                ports,
                word,
                peer,
            } => {
                let mut words = vec![
                    if *egress { "egress" } else { "ingress" }.to_string(),
                    self.src(protocol.span).to_string(),
                ];
                if let Some(p) = ports {
                    words.push(self.src(p.span).to_string());
                }
                words.push(self.src(word.span).to_string());
                words.push(self.src(peer.span).to_string());
                words.join(" ")
            }
            StatementKind::Listener {
                protocol,
                port,
                body,
            } => {
                let head = format!(
                    "listener {} {}",
                    self.src(protocol.span),
                    self.src(port.span)
                );
                self.with_body(head, body, depth, at(port.span.end), end)
            }
            StatementKind::Route {
                load_balancer,
                port,
                body,
            } => {
                let head = format!(
                    "route {}:{}",
                    self.src(load_balancer.span),
                    self.src(port.span)
                );
                self.with_body(head, body, depth, at(port.span.end), end)
            }
            StatementKind::Secret {
                name,
                store,
                from,
                key,
            } => {
                let mut out = format!(
                    "secret {} from {} {}",
                    self.src(name.span),
                    self.src(store.span),
                    self.src(from.span)
                );
                if let Some(k) = key {
                    out.push_str(" key ");
                    out.push_str(self.src(k.span));
                }
                out
            }
            StatementKind::Port {
                port,
                protocol,
                body,
            } => {
                let mut head = format!("port {}", self.src(port.span));
                let mut after = at(port.span.end);
                if let Some(p) = protocol {
                    head.push('/');
                    head.push_str(self.src(p.span));
                    after = at(p.span.end);
                }
                self.with_body(head, body, depth, after, end)
            }
            StatementKind::DependsOn {
                container,
                condition,
            } => format!(
                "depends_on {} {}",
                self.src(container.span),
                self.src(condition.span)
            ),
            StatementKind::Mount {
                volume,
                path,
                read_only,
            } => format!(
                "mount {} at {}{}",
                self.src(volume.span),
                self.src(path.span),
                if *read_only { " read_only" } else { "" }
            ),
            StatementKind::Allow { actions, resources } => format!(
                "allow {} on {}",
                self.value(actions, depth),
                self.value(resources, depth)
            ),
        }
    }

    /// A statement's head and its optional `{ … }`.
    fn with_body(
        &mut self,
        head: String,
        body: &[Member],
        depth: usize,
        after: usize,
        end: usize,
    ) -> String {
        if !self.text[after..end].contains('{') {
            return head;
        }
        format!("{head} {}", self.body(body, depth, after, end))
    }

    fn value(&mut self, v: &Value, depth: usize) -> String {
        let (start, end) = (at(v.span.start), at(v.span.end));
        let text: &'t str = self.text;
        let written = &text[start..end];
        let multiline = written.contains('\n');
        match &v.kind {
            ValueKind::List(items) => {
                if items.is_empty() && self.comment_before(end).is_none() {
                    return "[]".to_string();
                }
                let nodes: Vec<Node<'_>> = items.iter().map(Node::Item).collect();
                if !multiline {
                    let parts: Vec<String> = nodes.iter().map(|n| self.node(*n, depth)).collect();
                    return format!("[{}]", parts.join(", "));
                }
                let head = self.opening_comment(start + 1, end - 1, &nodes);
                let lines = self.seq(&nodes, depth + 1, start + 1, end - 1, Kind::Items);
                format!(
                    "[{head}\n{}\n{}]",
                    render_lines(&lines, depth + 1),
                    indent(depth)
                )
            }
            ValueKind::Map(entries) => {
                if entries.is_empty() && self.comment_before(end).is_none() {
                    return "{ }".to_string();
                }
                let nodes: Vec<Node<'_>> = entries.iter().map(|(k, v)| Node::Entry(k, v)).collect();
                if !multiline {
                    let parts: Vec<String> = nodes.iter().map(|n| self.node(*n, depth)).collect();
                    return format!("{{ {} }}", parts.join(", "));
                }
                let head = self.opening_comment(start + 1, end - 1, &nodes);
                let lines = self.seq(&nodes, depth + 1, start + 1, end - 1, Kind::Entries);
                format!(
                    "{{{head}\n{}\n{}}}",
                    render_lines(&lines, depth + 1),
                    indent(depth)
                )
            }
            _ => written.to_string(),
        }
    }
}

/// Aligns `=` in runs of consecutive one-line attributes, and comments at
/// the ends of consecutive one-line members.
fn align(lines: &mut [Line]) {
    let runs = |lines: &[Line], member: &dyn Fn(&Line) -> bool| -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < lines.len() {
            if !member(&lines[i]) {
                i += 1;
                continue;
            }
            let mut j = i + 1;
            while j < lines.len() && member(&lines[j]) && !lines[j].blank_before {
                j += 1;
            }
            out.push((i, j));
            i = j;
        }
        out
    };
    for (i, j) in runs(lines, &|l: &Line| l.key.is_some()) {
        let width = lines[i..j].iter().filter_map(|l| l.key).max().unwrap_or(0);
        for l in &mut lines[i..j] {
            if let Some(k) = l.key {
                l.code.insert_str(k, &" ".repeat(width - k));
            }
        }
    }
    for (i, j) in runs(lines, &|l: &Line| l.single() && l.comment.is_some()) {
        let width = lines[i..j]
            .iter()
            .map(|l| l.code.chars().count())
            .max()
            .unwrap_or(0);
        for l in &mut lines[i..j] {
            let pad = width - l.code.chars().count();
            l.code.push_str(&" ".repeat(pad));
        }
    }
}

fn render_lines(lines: &[Line], depth: usize) -> String {
    let mut out = String::new();
    for (n, l) in lines.iter().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        if l.blank_before {
            out.push('\n');
        }
        out.push_str(&indent(depth));
        out.push_str(&l.code);
        if let Some(c) = &l.comment {
            if !l.code.is_empty() {
                out.push_str("  ");
            }
            out.push_str(c);
        }
    }
    out
}

// What a tree says, spans aside: two trees say the same when these agree.

fn shape_file(f: &File) -> String {
    let mut out = String::new();
    for p in &f.params {
        out.push_str(&format!(
            "param {} = {};",
            p.name.name,
            shape_value(&p.default)
        ));
    }
    for b in &f.blocks {
        shape_block(b, &mut out);
    }
    out
}

fn shape_block(b: &Block, out: &mut String) {
    out.push_str(&b.kind.name);
    if let Some(n) = &b.name {
        out.push(' ');
        out.push_str(&n.name);
    }
    shape_members(&b.members, out);
}

fn shape_members(members: &[Member], out: &mut String) {
    out.push('{');
    for m in members {
        match m {
            Member::Attribute(a) => {
                out.push_str(&format!("{}={};", a.key.name, shape_value(&a.value)));
            }
            Member::Block(b) => shape_block(b, out),
            Member::Statement(s) => shape_statement(&s.kind, out),
        }
    }
    out.push('}');
}

fn shape_statement(s: &StatementKind, out: &mut String) {
    let v = |x: &Value| shape_value(x);
    match s {
        StatementKind::SgRule {
            egress,
            protocol,
            ports,
            word,
            peer,
        } => out.push_str(&format!(
            "rule {egress} {} {:?} {} {};",
            protocol.name,
            ports.as_ref().map(v),
            word.name,
            v(peer)
        )),
        StatementKind::Listener {
            protocol,
            port,
            body,
        } => {
            out.push_str(&format!("listener {} {}", protocol.name, v(port)));
            shape_members(body, out);
        }
        StatementKind::Route {
            load_balancer,
            port,
            body,
        } => {
            out.push_str(&format!("route {}:{}", load_balancer.name, v(port)));
            shape_members(body, out);
        }
        StatementKind::Secret {
            name,
            store,
            from,
            key,
        } => out.push_str(&format!(
            "secret {} {} {} {:?};",
            name.name,
            store.name,
            v(from),
            key.as_ref().map(v)
        )),
        StatementKind::Port {
            port,
            protocol,
            body,
        } => {
            out.push_str(&format!(
                "port {} {:?}",
                v(port),
                protocol.as_ref().map(|p| &p.name)
            ));
            shape_members(body, out);
        }
        StatementKind::DependsOn {
            container,
            condition,
        } => out.push_str(&format!("depends {} {};", container.name, condition.name)),
        StatementKind::Mount {
            volume,
            path,
            read_only,
        } => out.push_str(&format!("mount {} {} {read_only};", volume.name, v(path))),
        StatementKind::Allow { actions, resources } => {
            out.push_str(&format!("allow {} {};", v(actions), v(resources)));
        }
    }
}

fn shape_value(v: &Value) -> String {
    match &v.kind {
        ValueKind::Str(parts) => {
            let mut out = String::from("s\"");
            for p in parts {
                match p {
                    StrPart::Text(t) => out.push_str(&format!("{t:?}")),
                    StrPart::Interpolation(i) => out.push_str(&format!("${{{}}}", i.name)),
                }
            }
            out
        }
        ValueKind::Ref(i) => format!("r:{}", i.name),
        ValueKind::List(items) => {
            let inner: Vec<String> = items.iter().map(shape_value).collect();
            format!("[{}]", inner.join(","))
        }
        ValueKind::Map(entries) => {
            let inner: Vec<String> = entries
                .iter()
                .map(|(k, v)| format!("{:?}={}", k.name, shape_value(v)))
                .collect();
            format!("{{{}}}", inner.join(","))
        }
        other => format!("{other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spacing_indentation_and_alignment() {
        let messy = "stack  demo{region=\"eu-west-1\"}\n\n\n\nvpc main {\ncidr=10.0.0.0/16   # the VPC\n      dns_support = true # resolved\n}\n";
        let out = format(messy).unwrap();
        assert_eq!(
            out,
            "stack demo { region = \"eu-west-1\" }\n\nvpc main {\n  cidr        = 10.0.0.0/16  # the VPC\n  dns_support = true         # resolved\n}\n"
        );
        assert_eq!(format(&out).unwrap(), out);
    }

    #[test]
    fn lists_maps_and_comments_keep_their_lines() {
        let text = "task t {\n  container app {\n    # the image\n    image = \"nginx:1\"\n    env = {\n      A = \"1\"   # first\n      LONGER = \"2\"\n    }\n    command = [\n      \"a\", \"b\",\n      # more\n      \"c\"\n    ]\n  }\n  # before the end\n}\n";
        let out = format(text).unwrap();
        assert_eq!(
            out,
            "task t {\n  container app {\n    # the image\n    image = \"nginx:1\"\n    env = {\n      A      = \"1\"  # first\n      LONGER = \"2\"\n    }\n    command = [\n      \"a\", \"b\",\n      # more\n      \"c\",\n    ]\n  }\n  # before the end\n}\n"
        );
        assert_eq!(format(&out).unwrap(), out);
    }

    #[test]
    fn statements_are_spaced_as_documented() {
        let text = "security_group s { vpc = v\n ingress   tcp 443   from 0.0.0.0/0\n}\nservice x { route web : 443 { path = \"/*\" }\n}\ntask t { container c { port 53 / udp  secret A   from ssm \"/a\" key \"k\" } }\n";
        let out = format(text).unwrap();
        assert!(
            out.contains("\n  ingress tcp 443 from 0.0.0.0/0\n"),
            "{out}"
        );
        assert!(out.contains("route web:443 { path = \"/*\" }"), "{out}");
        assert!(
            out.contains("container c { port 53/udp  secret A from ssm \"/a\" key \"k\" }"),
            "{out}"
        );
        assert_eq!(format(&out).unwrap(), out);
    }

    #[test]
    fn a_comment_ends_the_last_member_of_its_line() {
        let text = "task web {\n  cpu = 256  memory = 512  # size\n  command = [\n    \"a\", \"b\", # c\n    \"d\"\n  ]\n}\n";
        let out = format(text).unwrap();
        assert!(out.contains("  cpu = 256  memory = 512  # size\n"), "{out}");
        assert!(out.contains("    \"a\", \"b\",  # c\n"), "{out}");
        assert_eq!(format(&out).unwrap(), out);
    }

    #[test]
    fn a_comment_after_an_opening_bracket_stays_on_its_line() {
        let text = "security_group s { # ecsc-allow W090: kept for later\n  vpc = v\n}\n";
        let out = format(text).unwrap();
        assert_eq!(
            out,
            "security_group s {  # ecsc-allow W090: kept for later\n  vpc = v\n}\n"
        );
        assert_eq!(format(&out).unwrap(), out);
    }

    #[test]
    fn a_comment_between_the_words_of_a_member_is_refused() {
        for text in [
            "vpc main {\n  cidr = # c\n 10.0.0.0/16\n}\n",
            "security_group s {\n  ingress tcp # c\n 443 from x\n}\n",
            "vpc # c\nmain { }\n",
        ] {
            assert!(matches!(format(text), Err(Refused::Layout(_))), "{text}");
        }
    }

    #[test]
    fn a_syntax_error_is_refused() {
        assert!(matches!(format("vpc main {"), Err(Refused::Syntax(_))));
    }
}
