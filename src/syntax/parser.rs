//! The pest parser and the conversion of its pairs into [`ast`] nodes.
//!
//! Literal shapes (CIDR octets, number sizes) are checked here, so later
//! stages only see well-formed values. Syntax errors are translated from
//! pest's rule names into words a user knows.

use super::ast::*;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::source::{FileId, Span};
use pest::iterators::Pair;
use pest::Parser as _;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/ecs.pest"]
struct EcsParser;

/// How deep blocks and lists may nest. The parser and every later stage
/// recurse once per level; real stacks nest four or five deep.
pub const MAX_DEPTH: usize = 64;

/// Parses one file. On a syntax error the tree is empty and an E001
/// diagnostic says what was expected; parsing then starts again at the
/// next declaration, so that every declaration's first syntax error is
/// reported in one run. Nesting deeper than [`MAX_DEPTH`] is one E001,
/// reported before parsing.
pub fn parse(file: FileId, text: &str, diags: &mut Diagnostics) -> File {
    if let Some(at) = too_deep(text) {
        let bracket = &text[at..at + 1];
        diags.push(
            Diagnostic::error(
                "E001",
                Span::new(file, at, at + 1),
                format!("blocks and lists are nested more than {MAX_DEPTH} deep here"),
            )
            .label(format!("`{bracket}` at level {}", MAX_DEPTH + 1))
            .help(format!(
                "nest at most {MAX_DEPTH} levels: declare the inner parts on their own and refer to them by name"
            )),
        );
        return File::default();
    }
    if let Some(tree) = parse_in_parts(file, text, crate::parallel::threads(), diags) {
        return tree;
    }
    parse_whole(file, text, diags)
}

/// Parses one file as one text, on this thread.
fn parse_whole(file: FileId, text: &str, diags: &mut Diagnostics) -> File {
    let pairs = match EcsParser::parse(Rule::file, text) {
        Ok(pairs) => pairs,
        Err(err) => {
            diags.push(syntax_error(file, text, 0, &err));
            // Each declaration after the one in error, parsed on its own:
            // every part of the text once, so this stays linear.
            // Resume after the declaration that holds the error (found by
            // the same brackets-aware split, from the file's start).
            let at = error_at(&err);
            let mut segment = 0;
            let mut from = loop {
                let end = declaration_end(text, segment);
                if end > at || end >= text.len() {
                    break (end < text.len()).then_some(end);
                }
                segment = end;
            };
            let mut reported = 1;
            while let Some(start) = from {
                let end = declaration_end(text, start);
                if let Err(err) = EcsParser::parse(Rule::file, &text[start..end]) {
                    diags.push(syntax_error(file, &text[start..end], start, &err));
                    reported += 1;
                    if reported == MAX_SYNTAX_ERRORS {
                        break;
                    }
                }
                from = (end < text.len()).then_some(end);
            }
            return File::default();
        }
    };
    build(file, 0, pairs, diags)
}

/// The tree of a parsed `file` rule whose text starts at `offset`.
fn build(
    file: FileId,
    offset: usize,
    pairs: pest::iterators::Pairs<'_, Rule>,
    diags: &mut Diagnostics,
) -> File {
    let mut b = Builder {
        file,
        offset,
        diags,
    };
    let mut out = File::default();
    for pair in pairs.flatten().take(1) {
        for item in pair.into_inner() {
            match item.as_rule() {
                Rule::param => {
                    if let Some(p) = b.param(item) {
                        out.params.push(p)
                    }
                }
                Rule::block => out.blocks.push(b.block(item)),
                _ => {}
            }
        }
    }
    out
}

/// A file at least this long is parsed in parts: below it a thread costs
/// more than it saves (10 services are about 5 kB).
const PARTS_FROM: usize = 64 * 1024;
/// Each part is at least this long.
const PART_MIN: usize = 32 * 1024;
/// A long file is cut into parts of about this length, however many
/// cores parse them: pest holds a token queue of about 30 bytes per byte
/// of the text it parses, and cut in halves at 10,000 services the two
/// queues were 168 MB, the largest thing a `check` ever held.
const PART_LEN: usize = 64 * 1024;

/// Parses a long file in parts of about [`PART_LEN`] (at least one per
/// core), on up to `threads` threads, cut where a declaration starts at
/// the beginning of a line ([`declaration_end`]), and joins the trees in
/// order. `None` when the file is short or when a part does not parse:
/// the file is then parsed whole, so that a syntax error is reported
/// exactly as it would be.
///
/// The trees are the ones the whole file gives: every token and comment
/// ends before a line break, so none crosses a cut; each part is a
/// sequence of whole declarations; and `file` is only a sequence of
/// declarations, so what a declaration parses to depends on its own
/// text alone.
fn parse_in_parts(
    file: FileId,
    text: &str,
    threads: usize,
    diags: &mut Diagnostics,
) -> Option<File> {
    if text.len() < PARTS_FROM {
        return None;
    }
    let parts = (text.len() / PART_LEN)
        .max(threads)
        .min(text.len() / PART_MIN);
    if parts < 2 {
        return None;
    }
    let mut cuts = vec![0];
    let mut at = 0;
    for i in 1..parts {
        let target = text.len() / parts * i;
        while at < target && at < text.len() {
            at = declaration_end(text, at);
        }
        if at >= text.len() {
            break;
        }
        if cuts.last() != Some(&at) {
            cuts.push(at);
        }
    }
    cuts.push(text.len());
    if cuts.len() < 3 {
        return None;
    }
    let part = |start: usize, end: usize| -> Option<(File, Diagnostics)> {
        let pairs = EcsParser::parse(Rule::file, &text[start..end]).ok()?;
        let mut diags = Diagnostics::new();
        let tree = build(file, start, pairs, &mut diags);
        Some((tree, diags))
    };
    let spans: Vec<(usize, usize)> = cuts.windows(2).map(|w| (w[0], w[1])).collect();
    let trees = crate::parallel::map(spans, threads, |(start, end)| part(start, end));
    let mut out = File::default();
    let mut found = Diagnostics::new();
    for tree in trees {
        let (tree, d) = tree?;
        out.params.extend(tree.params);
        out.blocks.extend(tree.blocks);
        found.extend(d);
    }
    diags.extend(found);
    Some(out)
}

/// Parses one value written on the command line (`--set net=10.1.0.0/16`).
pub fn parse_value(text: &str) -> Option<Value> {
    let mut diags = Diagnostics::new();
    let file = parse(
        FileId(u32::MAX),
        &format!("param value = {text}\n"),
        &mut diags,
    );
    if diags.has_errors() {
        return None;
    }
    file.params.into_iter().next().map(|p| p.default)
}

struct Builder<'d> {
    file: FileId,
    /// Where the text parsed starts in the file.
    offset: usize,
    diags: &'d mut Diagnostics,
}

/// The pairs of a node, without the keyword tokens.
fn children(pair: Pair<'_, Rule>) -> impl Iterator<Item = Pair<'_, Rule>> {
    pair.into_inner().filter(|p| {
        !matches!(
            p.as_rule(),
            Rule::kw_listener
                | Rule::kw_route
                | Rule::kw_secret
                | Rule::kw_port
                | Rule::kw_depends_on
                | Rule::kw_mount
                | Rule::kw_allow
        )
    })
}

impl Builder<'_> {
    fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let s = pair.as_span();
        Span::new(self.file, self.offset + s.start(), self.offset + s.end())
    }

    fn ident(&self, pair: Pair<'_, Rule>) -> Ident {
        Ident {
            name: pair.as_str().to_string(),
            span: self.span(&pair),
        }
    }

    fn param(&mut self, pair: Pair<'_, Rule>) -> Option<Param> {
        let span = self.span(&pair);
        let mut it = pair.into_inner();
        let name = self.ident(it.next()?);
        let default = self.value(it.next()?);
        Some(Param {
            name,
            default,
            span,
        })
    }

    fn block(&mut self, pair: Pair<'_, Rule>) -> Block {
        let span = self.span(&pair);
        let mut kind = None;
        let mut name = None;
        let mut members = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::ident if kind.is_none() => kind = Some(self.ident(p)),
                Rule::ident => name = Some(self.ident(p)),
                Rule::body => members = self.body(p),
                _ => {}
            }
        }
        Block {
            kind: kind.unwrap_or(Ident {
                name: String::new(),
                span,
            }),
            name,
            members,
            span,
        }
    }

    fn body(&mut self, pair: Pair<'_, Rule>) -> Vec<Member> {
        pair.into_inner().map(|m| self.member(m)).collect()
    }

    fn member(&mut self, pair: Pair<'_, Rule>) -> Member {
        let span = self.span(&pair);
        match pair.as_rule() {
            Rule::attribute => {
                let mut it = pair.into_inner().filter(|p| p.as_rule() != Rule::assign);
                let key = it.next().map(|k| self.ident(k));
                let value = it.next().map(|v| self.value(v));
                match (key, value) {
                    (Some(key), Some(value)) => Member::Attribute(Attribute { key, value, span }),
                    _ => unreachable_member(span),
                }
            }
            Rule::block => Member::Block(self.block(pair)),
            _ => Member::Statement(Box::new(Statement {
                kind: self.statement(pair, span),
                span,
            })),
        }
    }

    fn statement(&mut self, pair: Pair<'_, Rule>, span: Span) -> StatementKind {
        let rule = pair.as_rule();
        let parts: Vec<Pair<'_, Rule>> = children(pair).collect();
        let empty = || Ident {
            name: String::new(),
            span,
        };
        match rule {
            Rule::sg_rule => {
                let mut egress = false;
                let mut protocol = empty();
                let mut ports = None;
                let mut peer = None;
                let mut word = empty();
                for p in parts {
                    match p.as_rule() {
                        Rule::sg_direction => egress = p.as_str() == "egress",
                        Rule::peer_word => word = self.ident(p),
                        Rule::ident if protocol.name.is_empty() => protocol = self.ident(p),
                        Rule::ident | Rule::cidr => peer = Some(self.value(p)),
                        _ => ports = Some(self.value(p)),
                    }
                }
                StatementKind::SgRule {
                    egress,
                    protocol,
                    ports,
                    word,
                    peer: peer.unwrap_or(Value {
                        kind: ValueKind::List(Vec::new()),
                        span,
                    }),
                }
            }
            Rule::listener | Rule::route => {
                let mut it = parts.into_iter();
                let first = it.next().map(|p| self.ident(p)).unwrap_or_else(empty);
                let port = it
                    .next()
                    .map(|p| self.value(p))
                    .unwrap_or_else(|| int_value(0, span));
                let body = it.next().map(|p| self.body(p)).unwrap_or_default();
                if rule == Rule::listener {
                    StatementKind::Listener {
                        protocol: first,
                        port,
                        body,
                    }
                } else {
                    StatementKind::Route {
                        load_balancer: first,
                        port,
                        body,
                    }
                }
            }
            Rule::secret => {
                let mut it = parts.into_iter();
                let name = it.next().map(|p| self.ident(p)).unwrap_or_else(empty);
                let store = it.next().map(|p| self.ident(p)).unwrap_or_else(empty);
                let from = it
                    .next()
                    .map(|p| self.value(p))
                    .unwrap_or_else(|| int_value(0, span));
                let key = it.next().map(|p| self.value(p));
                StatementKind::Secret {
                    name,
                    store,
                    from,
                    key,
                }
            }
            Rule::port => {
                let mut port = int_value(0, span);
                let mut protocol = None;
                let mut body = Vec::new();
                for p in parts {
                    match p.as_rule() {
                        Rule::integer => port = self.value(p),
                        Rule::ident => protocol = Some(self.ident(p)),
                        Rule::body => body = self.body(p),
                        _ => {}
                    }
                }
                StatementKind::Port {
                    port,
                    protocol,
                    body,
                }
            }
            Rule::depends_on => {
                let mut it = parts.into_iter();
                let container = it.next().map(|p| self.ident(p)).unwrap_or_else(empty);
                let condition = it.next().map(|p| self.ident(p)).unwrap_or_else(empty);
                StatementKind::DependsOn {
                    container,
                    condition,
                }
            }
            Rule::mount => {
                let mut it = parts.into_iter();
                let volume = it.next().map(|p| self.ident(p)).unwrap_or_else(empty);
                let path = it
                    .next()
                    .map(|p| self.value(p))
                    .unwrap_or_else(|| int_value(0, span));
                let read_only = it.next().is_some();
                StatementKind::Mount {
                    volume,
                    path,
                    read_only,
                }
            }
            _ => {
                // allow
                let mut it = parts.into_iter().map(|p| self.value(p));
                let actions = it.next().unwrap_or_else(|| int_value(0, span));
                let resources = it.next().unwrap_or_else(|| int_value(0, span));
                StatementKind::Allow { actions, resources }
            }
        }
    }

    fn value(&mut self, pair: Pair<'_, Rule>) -> Value {
        let span = self.span(&pair);
        let text = pair.as_str();
        let kind = match pair.as_rule() {
            Rule::list => ValueKind::List(pair.into_inner().map(|v| self.value(v)).collect()),
            Rule::map => ValueKind::Map(
                pair.into_inner()
                    .filter_map(|entry| {
                        let mut it = entry.into_inner();
                        let key = it.next()?;
                        let key = if key.as_rule() == Rule::string {
                            self.quoted_key(key)
                        } else {
                            self.ident(key)
                        };
                        Some((key, self.value(it.next()?)))
                    })
                    .collect(),
            ),
            Rule::cidr => self.cidr(text, span),
            Rule::duration => {
                let unit_at = text
                    .find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(text.len());
                let n = self.number(&text[..unit_at], span);
                let factor = match &text[unit_at..] {
                    "ms" => 1,
                    "s" => 1_000,
                    "m" => 60_000,
                    "h" => 3_600_000,
                    _ => 86_400_000,
                };
                ValueKind::Duration(n.saturating_mul(factor))
            }
            Rule::size => {
                let unit_at = text
                    .find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(text.len());
                let n = self.number(&text[..unit_at], span);
                let factor = if &text[unit_at..] == "GiB" { 1024 } else { 1 };
                ValueKind::Size(n.saturating_mul(factor))
            }
            Rule::percent => ValueKind::Percent(self.number(&text[..text.len() - 1], span)),
            Rule::port_range => {
                let (lo, hi) = text.split_once('-').unwrap_or((text, text));
                ValueKind::PortRange(self.number(lo, span), self.number(hi, span))
            }
            Rule::float => ValueKind::Float(text.parse().unwrap_or(0.0)),
            Rule::integer => ValueKind::Int(self.number(text, span)),
            Rule::boolean => ValueKind::Bool(text == "true"),
            Rule::string => ValueKind::Str(self.string(pair)),
            Rule::reference | Rule::ident => {
                let ident = match pair.into_inner().next() {
                    Some(inner) => self.ident(inner),
                    None => Ident {
                        name: text.to_string(),
                        span,
                    },
                };
                ValueKind::Ref(ident)
            }
            _ => ValueKind::Str(vec![StrPart::Text(text.to_string())]),
        };
        Value { kind, span }
    }

    fn number(&mut self, digits: &str, span: Span) -> u64 {
        digits.parse().unwrap_or_else(|_| {
            self.diags.push(
                Diagnostic::error("E008", span, format!("the number `{digits}` is too large"))
                    .label("too large")
                    .help("numbers in .ecs files must fit in 64 bits"),
            );
            0
        })
    }

    fn cidr(&mut self, text: &str, span: Span) -> ValueKind {
        let (addr, prefix) = text.split_once('/').unwrap_or((text, "32"));
        let mut value: u32 = 0;
        let mut bad = None;
        for octet in addr.split('.') {
            match octet.parse::<u32>() {
                Ok(n) if n <= 255 => value = (value << 8) | n,
                _ => bad = Some(format!("the address part `{octet}` is not 0–255")),
            }
        }
        let prefix = match prefix.parse::<u8>() {
            Ok(p) if p <= 32 => p,
            _ => {
                bad = Some(format!("the prefix length /{prefix} is not 0–32"));
                0
            }
        };
        if let Some(why) = bad {
            self.diags.push(
                Diagnostic::error(
                    "E008",
                    span,
                    format!("`{text}` is not a valid CIDR block: {why}"),
                )
                .label("invalid CIDR")
                .help("write an IPv4 CIDR block such as 10.0.0.0/16"),
            );
        }
        ValueKind::Cidr(Cidr {
            addr: value,
            prefix,
        })
    }

    /// A quoted map key: unescaped like a string value. A key cannot
    /// interpolate: CloudFormation writes object keys as they are (no
    /// `Fn::Sub` there), so `${aws.account}` could not work in one, and a
    /// key is checked and compared as the text written (duplicates,
    /// environment variable names).
    fn quoted_key(&mut self, pair: Pair<'_, Rule>) -> Ident {
        let span = self.span(&pair);
        let interpolations: Vec<Span> = pair
            .clone()
            .into_inner()
            .filter(|p| p.as_rule() == Rule::interpolation)
            .map(|p| self.span(&p))
            .collect();
        let mut name = String::new();
        let mut at = interpolations.into_iter();
        for part in self.string(pair) {
            match part {
                StrPart::Text(t) => name.push_str(&t),
                StrPart::Interpolation(id) => {
                    self.diags.push(
                        Diagnostic::error(
                            "E008",
                            at.next().unwrap_or(id.span),
                            format!("a map key cannot interpolate `${{{}}}`", id.name),
                        )
                        .label("interpolation in a key")
                        .help(format!(
                            "write the key itself, or `\\${{{}}}` for the literal text `${{{}}}`",
                            id.name, id.name
                        )),
                    );
                }
            }
        }
        Ident { name, span }
    }

    /// U+E000 stands for the deploying account inside the compiler
    /// ([`crate::model::ACCOUNT`]); typed into a string it would become
    /// `${AWS::AccountId}`, so it is refused.
    fn private_use_marker(&mut self, text: &Pair<'_, Rule>) {
        let Some(at) = text.as_str().find(crate::model::ACCOUNT) else {
            return;
        };
        let start = self.offset + text.as_span().start() + at;
        let span = Span::new(self.file, start, start + crate::model::ACCOUNT.len_utf8());
        self.diags.push(
            Diagnostic::error(
                "E008",
                span,
                "strings cannot contain the private-use character U+E000",
            )
            .label("U+E000")
            .help("delete the character; write `${aws.account}` for the deploying account"),
        );
    }

    fn string(&mut self, pair: Pair<'_, Rule>) -> Vec<StrPart> {
        let mut parts: Vec<StrPart> = Vec::new();
        let push_text = |parts: &mut Vec<StrPart>, s: &str| {
            if let Some(StrPart::Text(t)) = parts.last_mut() {
                t.push_str(s);
            } else {
                parts.push(StrPart::Text(s.to_string()));
            }
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::text => {
                    self.private_use_marker(&p);
                    push_text(&mut parts, p.as_str());
                }
                Rule::escape => {
                    let c = match &p.as_str()[1..] {
                        "n" => "\n",
                        "t" => "\t",
                        other => other,
                    };
                    push_text(&mut parts, c);
                }
                Rule::interpolation => {
                    if let Some(id) = p.into_inner().next() {
                        parts.push(StrPart::Interpolation(self.ident(id)));
                    }
                }
                _ => {}
            }
        }
        parts
    }
}

fn int_value(n: u64, span: Span) -> Value {
    Value {
        kind: ValueKind::Int(n),
        span,
    }
}

fn unreachable_member(span: Span) -> Member {
    Member::Block(Block {
        kind: Ident {
            name: String::new(),
            span,
        },
        name: None,
        members: Vec::new(),
        span,
    })
}

/// What a grammar rule is called in an error message.
fn describe(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::EOI => "end of file",
        Rule::param => "`param`",
        Rule::block | Rule::declaration => "a declaration such as `vpc main { ... }`",
        Rule::body => "`{`",
        Rule::member | Rule::attribute => "an attribute (`name = value`)",
        Rule::assign => "`=`",
        Rule::statement => "a statement",
        Rule::sg_rule => "a security group rule",
        Rule::sg_direction => "`ingress` or `egress`",
        Rule::peer_word => "`from` or `to`",
        Rule::listener | Rule::kw_listener => "`listener`",
        Rule::route | Rule::kw_route => "`route`",
        Rule::secret | Rule::kw_secret => "`secret`",
        Rule::port | Rule::kw_port => "`port`",
        Rule::depends_on | Rule::kw_depends_on => "`depends_on`",
        Rule::mount | Rule::kw_mount => "`mount`",
        Rule::allow | Rule::kw_allow => "`allow`",
        Rule::read_only_flag => "`read_only`",
        Rule::value => "a value",
        Rule::list => "a list `[...]`",
        Rule::map | Rule::map_entry => "a map entry (`KEY = value`)",
        Rule::cidr => "a CIDR block",
        Rule::duration => "a duration such as `30s`",
        Rule::size => "a size such as `512MiB`",
        Rule::percent => "a percentage",
        Rule::port_range => "a port range such as `8000-8080`",
        Rule::integer | Rule::float | Rule::octet => "a number",
        Rule::boolean => "`true` or `false`",
        Rule::reference | Rule::ident => "a name",
        Rule::string | Rule::string_part | Rule::text | Rule::escape => "a string",
        Rule::interpolation | Rule::pseudo => "`${name}`",
        _ => return None,
    })
}

/// Where a syntax error is, in the text parsed.
fn error_at(err: &pest::error::Error<Rule>) -> usize {
    match err.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    }
}

/// The most syntax errors reported for one file.
const MAX_SYNTAX_ERRORS: usize = 50;

/// Where the declaration starting at `start` ends: at the next line that
/// [`starts_declaration`] outside any bracket opened after `start` (or
/// the end of the text).
fn declaration_end(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let (mut depth, mut in_string, mut comment) = (0i64, false, false);
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                in_string = false;
                comment = false;
                let next = i + 1;
                if depth <= 0 && next < bytes.len() {
                    let line = &text[next..];
                    if starts_declaration(&line[..line.find('\n').unwrap_or(line.len())]) {
                        return next;
                    }
                }
            }
            _ if comment => {}
            b'"' => in_string = !in_string,
            b'\\' if in_string => i += 1,
            b'#' if !in_string => comment = true,
            b'{' | b'[' if !in_string => depth += 1,
            b'}' | b']' if !in_string => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    text.len()
}

/// Whether a line begins a declaration: at column 0, a name and an
/// optional second name before `{`, or `param`. (Indented lines and
/// attributes are never taken for one.)
fn starts_declaration(line: &str) -> bool {
    let word = |s: &str| -> usize {
        let mut chars = s.char_indices();
        match chars.next() {
            Some((_, c)) if c.is_ascii_alphabetic() || c == '_' => {}
            _ => return 0,
        }
        chars
            .find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .map_or(s.len(), |(i, _)| i)
    };
    let first = word(line);
    if first == 0 {
        return false;
    }
    if &line[..first] == "param" {
        return true;
    }
    let rest = line[first..].trim_start();
    let second = word(rest);
    rest[second..].trim_start().starts_with('{')
}

/// An E001 for `err`, found parsing `text`, which starts at `offset` in
/// the file.
fn syntax_error(
    file: FileId,
    text: &str,
    offset: usize,
    err: &pest::error::Error<Rule>,
) -> Diagnostic {
    use pest::error::ErrorVariant;
    let pos = error_at(err);
    let rest = &text[pos.min(text.len())..];
    let found_len = found_token(rest);
    let found = if rest.is_empty() {
        "the end of the file".to_string()
    } else if rest.starts_with('\u{feff}') {
        // Invisible: a byte order mark anywhere but at the file's start.
        "a byte order mark (U+FEFF)".to_string()
    } else {
        let token = &rest[..found_len];
        // A word cut at MAX_FOUND characters goes on.
        let more = token.chars().count() == MAX_FOUND
            && rest[found_len..]
                .chars()
                .next()
                .is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '/'));
        format!("`{token}{}`", if more { "…" } else { "" })
    };
    let mut expected: Vec<&str> = match &err.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            positives.iter().filter_map(|r| describe(*r)).collect()
        }
        ErrorVariant::CustomError { .. } => Vec::new(),
    };
    expected.sort();
    expected.dedup();
    // Many kinds of literal at one place just means "a value".
    let literals = expected.iter().filter(|e| VALUE_WORDS.contains(e)).count();
    if literals >= 3 {
        expected.retain(|e| !VALUE_WORDS.contains(e));
        expected.insert(0, "a value");
    }
    let expected = match expected.len() {
        0 => "something else".to_string(),
        1 => expected[0].to_string(),
        n => format!("{} or {}", expected[..n - 1].join(", "), expected[n - 1]),
    };
    let span = Span::new(
        file,
        offset + pos,
        offset + pos + found_len.max(usize::from(!rest.is_empty())),
    );
    let help = if rest.is_empty() {
        "a block or list is not closed: check that every `{` and `[` has its `}` and `]`"
            .to_string()
    } else if rest.starts_with('\'') {
        "strings are written in double quotes: \"like this\"".to_string()
    } else if rest.starts_with(':') || rest.starts_with("=>") {
        "attributes are written `name = value`".to_string()
    } else {
        format!("write {expected} here; docs/language.md shows every construct")
    };
    let label = if expected.len() > 40 {
        "unexpected here".to_string()
    } else {
        format!("expected {expected}")
    };
    let mut d = Diagnostic::error("E001", span, format!("expected {expected}, found {found}"))
        .label(label)
        .help(help);
    if rest.is_empty() {
        if let Some(at) = unclosed_bracket(text) {
            let bracket = &text[at..at + 1];
            d.message = format!("the file ends inside a `{bracket}` that is never closed");
            d.primary.message = "the file ends here".into();
            d = d.with(Span::new(file, offset + at, offset + at + 1), "opened here");
        }
    }
    d
}

const VALUE_WORDS: &[&str] = &[
    "a value",
    "a list `[...]`",
    "a map entry (`KEY = value`)",
    "a CIDR block",
    "a duration such as `30s`",
    "a size such as `512MiB`",
    "a percentage",
    "a port range such as `8000-8080`",
    "a number",
    "`true` or `false`",
    "a name",
    "a string",
];

/// Calls `f` with the offset of every `{`, `[`, `}` and `]` outside strings
/// and comments, in order, while it returns true.
fn brackets(text: &str, mut f: impl FnMut(usize, u8) -> bool) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && !matches!(bytes[i], b'\n' | b'\r') {
                    i += 1;
                }
            }
            b'"' => {
                i += 1;
                while i < bytes.len() {
                    match bytes[i] {
                        b'\\' => i += 1,
                        b'"' | b'\n' => break,
                        _ => {}
                    }
                    i += 1;
                }
            }
            c @ (b'{' | b'[' | b'}' | b']') if !f(i, c) => return,
            _ => {}
        }
        i += 1;
    }
}

/// The last `{` or `[` that is never closed (strings and comments skipped).
fn unclosed_bracket(text: &str) -> Option<usize> {
    let mut open = Vec::new();
    brackets(text, |i, c| {
        if matches!(c, b'{' | b'[') {
            open.push(i);
        } else {
            open.pop();
        }
        true
    });
    open.pop()
}

/// The first `{` or `[` nested deeper than [`MAX_DEPTH`] (strings and
/// comments skipped): a linear scan, so that no input makes the parser
/// recurse deep enough to overflow the stack.
fn too_deep(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut found = None;
    brackets(text, |i, c| {
        if matches!(c, b'{' | b'[') {
            depth += 1;
            if depth > MAX_DEPTH {
                found = Some(i);
                return false;
            }
        } else {
            depth = depth.saturating_sub(1);
        }
        true
    });
    found
}

/// The longest token quoted or underlined in a syntax error, in
/// characters: a 100 MB line is not echoed whole.
const MAX_FOUND: usize = 40;

/// Length of the token at the start of `rest` (at most [`MAX_FOUND`]
/// characters), for underlining.
fn found_token(rest: &str) -> usize {
    let word: usize = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '/'))
        .take(MAX_FOUND)
        .map(char::len_utf8)
        .sum();
    if word > 0 {
        word
    } else {
        rest.chars().next().map_or(0, char::len_utf8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Declarations whose brackets, strings and comments could mislead a
    /// cut, and one literal the tree builder reports (a bad octet).
    fn tricky(i: usize) -> String {
        format!(
            "# {{ a comment with brackets ]\nparam p{i} = \"}}\\\" # not a comment\"\n\
             task t{i} {{\ncontainer app {{\n  image = \"x:{{${{p{i}}}\"\n  command = [\"a\", # ]\n \"b\"]\n}}\n}}\n\
             vpc v{i} {{ cidr = 10.0.{}.0/16 }}\n\n",
            if i % 97 == 5 { 300 } else { i % 250 }
        )
    }

    fn whole_and_parts(text: &str, threads: usize) -> ((File, String), Option<(File, String)>) {
        let mut whole = Diagnostics::new();
        let a = parse_whole(FileId(3), text, &mut whole);
        let mut parts = Diagnostics::new();
        let b = parse_in_parts(FileId(3), text, threads, &mut parts);
        (
            (a, format!("{:?}", whole.iter().collect::<Vec<_>>())),
            b.map(|b| (b, format!("{:?}", parts.iter().collect::<Vec<_>>()))),
        )
    }

    #[test]
    fn a_long_file_parsed_in_parts_gives_the_tree_and_diagnostics_of_the_whole() {
        let text: String = (0..2_000).map(tricky).collect();
        assert!(text.len() > 4 * PART_MIN);
        for threads in [1, 2, 3, 8] {
            let (whole, parts) = whole_and_parts(&text, threads);
            let parts = parts.expect("a long file that parses is parsed in parts");
            assert_eq!(whole.0.blocks.len(), 4_000);
            assert!(whole.1.contains("300"), "{}", whole.1);
            assert_eq!(whole.0, parts.0, "{threads} threads");
            assert_eq!(whole.1, parts.1, "{threads} threads");
        }
    }

    #[test]
    fn a_file_is_parsed_whole_when_short_or_when_a_part_fails() {
        let short: String = (0..10).map(tricky).collect();
        assert!(whole_and_parts(&short, 8).1.is_none());
        let long: String = (0..2_000).map(tricky).collect();
        let broken = format!("{long}vpc broken {{ cidr = }}\n");
        assert!(whole_and_parts(&broken, 2).1.is_none());
        // `parse` then reports the error where the whole file has it.
        let found = errors(&broken);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, broken.len() - 2, "at the `}}` of the last line");
    }

    fn errors(text: &str) -> Vec<(usize, String)> {
        let mut diags = Diagnostics::new();
        parse(FileId(0), text, &mut diags);
        diags
            .iter()
            .map(|d| (d.primary.span.start as usize, d.message.clone()))
            .collect()
    }

    #[test]
    fn every_declaration_s_first_syntax_error_is_reported() {
        let text = "stack x { region = \"eu-west-1\" }\nvpc main { cidr = }\nsubnet a { vpc = main\n  public = \n}\ncluster c { }\nservice s { count = [1, }\n";
        let found = errors(text);
        assert_eq!(found.len(), 3, "{found:?}");
        let lines: Vec<usize> = found
            .iter()
            .map(|(at, _)| text[..*at].matches('\n').count() + 1)
            .collect();
        assert_eq!(lines, [2, 5, 7]);
    }

    #[test]
    fn an_unindented_block_inside_another_is_not_a_restart() {
        // `container` at column 0 sits inside `task`: the brackets say so.
        let text = "vpc main { cidr = }\ntask t {\ncontainer app {\n  image = \"x\"\n}\n}\nvpc b { cidr = = }\n";
        let found = errors(text);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[1].1.contains("found `=`"), "{found:?}");
    }

    #[test]
    fn an_unindented_block_inside_the_one_in_error_is_not_a_restart() {
        let text = "task t {\n  cpu = = 256\ncontainer app {\n  image = \"x\"\n}\n}\n";
        assert_eq!(errors(text).len(), 1, "{:?}", errors(text));
    }

    #[test]
    fn a_file_of_errors_reports_a_bounded_number() {
        let text = "vpc a { cidr = }\n".repeat(500);
        assert_eq!(errors(&text).len(), MAX_SYNTAX_ERRORS);
    }

    #[test]
    fn a_statement_keyword_starts_a_statement_only_as_a_whole_word() {
        // Each member: an attribute, a statement, or a block whose kind
        // begins with a keyword (or is one, with no statement after it).
        let text = "service s {\n  port = 80\n  port 8080\n  portal p { }\n  route {\n  }\n  \
                    route web:443 { path = \"/\" }\n  ingress_rules { }\n  egress all to 0.0.0.0/0\n  \
                    allowed { }\n  mount_points { }\n}\n";
        let mut diags = Diagnostics::new();
        let file = parse_whole(FileId(0), text, &mut diags);
        assert!(diags.is_empty(), "{:?}", diags.iter().collect::<Vec<_>>());
        let kinds: Vec<String> = file.blocks[0]
            .members
            .iter()
            .map(|m| match m {
                Member::Attribute(a) => format!("attribute {}", a.key.name),
                Member::Block(b) => format!("block {}", b.kind.name),
                Member::Statement(_) => "statement".to_string(),
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "attribute port",
                "statement",
                "block portal",
                "block route",
                "statement",
                "block ingress_rules",
                "statement",
                "block allowed",
                "block mount_points",
            ]
        );
    }

    #[test]
    fn a_declaration_line_is_a_name_an_optional_name_and_a_brace() {
        assert!(starts_declaration("vpc main {"));
        assert!(starts_declaration("health {"));
        assert!(starts_declaration("param x = 1"));
        assert!(!starts_declaration("  vpc main {"));
        assert!(!starts_declaration("cidr = 10.0.0.0/16"));
        assert!(!starts_declaration("# vpc main {"));
    }
}
