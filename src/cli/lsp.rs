//! `ecsc lsp`: a language server over standard input and output.
//!
//! Each open document is checked with the other `.ecs` files of its stack
//! (its directory's, as `ecsc check` groups them; an open document's text
//! wins over the file on disk) on every change, and its diagnostics are
//! published. Requests are answered from the same compilation: hover (the
//! schema's docs for attributes and blocks, the declaration a name
//! resolves to), completion (the members a block takes, the names of the
//! kind an attribute wants, the keywords it accepts), go to definition,
//! find references and rename (from the references lowering resolved:
//! kinds are told apart, so `vpc main` and `cluster main` are two names),
//! and formatting (`ecsc fmt`).

use super::files;
use crate::diagnostic::{Diagnostic, Diagnostics, Severity};
use crate::schema;
use crate::source::{FileId, Sources, Span};
use crate::syntax::ast::{self, Member, StatementKind};
use lsp_server::{Connection, Message, Notification, Request, Response};
use lsp_types as lsp;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub fn run() -> i32 {
    let (connection, threads) = Connection::stdio();
    let capabilities = lsp::ServerCapabilities {
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Kind(
            lsp::TextDocumentSyncKind::FULL,
        )),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        completion_provider: Some(lsp::CompletionOptions {
            trigger_characters: Some(vec!["=".into(), " ".into()]),
            ..Default::default()
        }),
        definition_provider: Some(lsp::OneOf::Left(true)),
        references_provider: Some(lsp::OneOf::Left(true)),
        rename_provider: Some(lsp::OneOf::Left(true)),
        document_formatting_provider: Some(lsp::OneOf::Left(true)),
        ..Default::default()
    };
    let Ok(caps) = serde_json::to_value(capabilities) else {
        return 2;
    };
    if let Err(e) = connection.initialize(caps) {
        eprintln!("error: the language client did not initialize: {e}");
        return 2;
    }
    let mut server = Server {
        docs: HashMap::new(),
    };
    for msg in &connection.receiver {
        match msg {
            Message::Request(req) => {
                if connection.handle_shutdown(&req).unwrap_or(true) {
                    break;
                }
                // A bug in one answer must not take the server down.
                let id = req.id.clone();
                let resp =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| server.request(req)))
                        .unwrap_or_else(|_| {
                            Response::new_err(
                                id,
                                lsp_server::ErrorCode::InternalError as i32,
                                "ecsc lsp failed on this request (a bug); the server goes on"
                                    .into(),
                            )
                        });
                let _ = connection.sender.send(Message::Response(resp));
            }
            Message::Notification(n) => {
                let published = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    server.notification(n)
                }))
                .unwrap_or_default();
                for out in published {
                    let _ = connection.sender.send(Message::Notification(out));
                }
            }
            Message::Response(_) => {}
        }
    }
    drop(connection);
    let _ = threads.join();
    0
}

/// The open documents, by path.
struct Server {
    docs: HashMap<PathBuf, (lsp::Uri, String)>,
}

/// A document's stack, compiled as far as it goes.
struct Analysis {
    sources: Sources,
    /// The document's file among them.
    file: FileId,
    uris: HashMap<FileId, lsp::Uri>,
    diagnostics: Diagnostics,
    trees: Vec<ast::File>,
    /// `(reference, declaration)` name spans.
    references: Vec<(Span, Span)>,
}

fn path_of(uri: &lsp::Uri) -> Option<PathBuf> {
    let s = uri.as_str().strip_prefix("file://")?;
    let mut bytes = Vec::with_capacity(s.len());
    let mut it = s.bytes();
    while let Some(b) = it.next() {
        if b == b'%' {
            let hex: Vec<u8> = it.by_ref().take(2).collect();
            let v = std::str::from_utf8(&hex)
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())?;
            bytes.push(v);
        } else {
            bytes.push(b);
        }
    }
    String::from_utf8(bytes).ok().map(PathBuf::from)
}

fn uri_of(path: &Path) -> Option<lsp::Uri> {
    let mut s = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            s.push(char::from(b));
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s.parse().ok()
}

/// Byte offset → LSP position (UTF-16 columns).
fn position(text: &str, offset: usize) -> lsp::Position {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let character: usize = text[start..offset].chars().map(char::len_utf16).sum();
    lsp::Position::new(
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(character).unwrap_or(u32::MAX),
    )
}

/// LSP position → byte offset.
fn offset(text: &str, pos: lsp::Position) -> usize {
    let mut at = 0;
    for _ in 0..pos.line {
        match text[at..].find('\n') {
            Some(i) => at += i + 1,
            None => return text.len(),
        }
    }
    let mut units = 0;
    for (i, c) in text[at..].char_indices() {
        if units >= pos.character as usize || c == '\n' {
            return at + i;
        }
        units += c.len_utf16();
    }
    text.len()
}

fn range(text: &str, span: Span) -> lsp::Range {
    lsp::Range::new(
        position(text, span.start as usize),
        position(text, span.end as usize),
    )
}

fn contains(span: Span, file: FileId, at: usize) -> bool {
    span.file == file && (span.start as usize) <= at && at <= span.end as usize
}

impl Server {
    fn analyse(&self, path: &Path) -> Option<Analysis> {
        // The stack of the document: its directory's files as `ecsc check`
        // groups them (the directory alone, never its subdirectories).
        let mut stack = files::stack_of(path);
        if !stack.iter().any(|f| f.file_name() == path.file_name()) {
            stack = vec![path.to_path_buf()];
        }
        let mut sources = Sources::new();
        let mut uris = HashMap::new();
        let mut file = None;
        for f in &stack {
            let is_doc = f.file_name() == path.file_name();
            let text = match self.docs.get(if is_doc { path } else { f.as_path() }) {
                Some((_, t)) => t.clone(),
                None => match std::fs::read_to_string(f) {
                    Ok(t) => t,
                    // A sibling that cannot be read is left out.
                    Err(_) if !is_doc => continue,
                    Err(_) => return None,
                },
            };
            let id = sources.add_path(
                if is_doc {
                    path.to_path_buf()
                } else {
                    f.clone()
                },
                text,
            );
            if let Some(uri) = uri_of(if is_doc { path } else { f }) {
                uris.insert(id, uri);
            }
            if is_doc {
                file = Some(id);
            }
        }
        let file = file?;
        let mut diagnostics = Diagnostics::new();
        let trees: Vec<ast::File> = sources
            .iter()
            .map(|(id, f)| crate::syntax::parse(id, &f.text, &mut diagnostics))
            .collect();
        let mut references = Vec::new();
        if !diagnostics.iter().any(|d| d.code == "E001") {
            let pairs: Vec<(FileId, ast::File)> = sources
                .iter()
                .map(|(id, _)| id)
                .zip(trees.iter().cloned())
                .collect();
            let mut lowered = Diagnostics::new();
            if let Ok(model) = crate::lower::lower(&pairs, &sources, None, &[], &mut lowered) {
                references = model.references;
            }
            diagnostics = match crate::compile_for(
                &sources,
                None,
                &[],
                crate::rules::CloudFormation::Check,
                crate::Keep::Plan,
            ) {
                Ok(c) => c.diagnostics,
                Err(e) => {
                    let mut d = Diagnostics::new();
                    d.push(Diagnostic::error("E006", Span::new(file, 0, 0), e));
                    d
                }
            };
        }
        Some(Analysis {
            sources,
            file,
            uris,
            diagnostics,
            trees,
            references,
        })
    }

    fn publish(&self, path: &Path) -> Vec<Notification> {
        let Some(a) = self.analyse(path) else {
            return Vec::new();
        };
        let mut by_file: HashMap<FileId, Vec<lsp::Diagnostic>> = HashMap::new();
        for id in a.uris.keys() {
            by_file.insert(*id, Vec::new());
        }
        let notes = a.diagnostics.notes();
        for d in a.diagnostics.iter().chain(notes.iter()) {
            let f = d.primary.span.file;
            let text = &a.sources.get(f).text;
            let related: Vec<lsp::DiagnosticRelatedInformation> = d
                .secondary
                .iter()
                .filter_map(|l| {
                    let uri = a.uris.get(&l.span.file)?.clone();
                    let text = &a.sources.get(l.span.file).text;
                    Some(lsp::DiagnosticRelatedInformation {
                        location: lsp::Location::new(uri, range(text, l.span)),
                        message: l.message.to_string(),
                    })
                })
                .collect();
            let mut message = d.message.clone();
            if let Some(help) = &d.help {
                message.push_str("\nhelp: ");
                message.push_str(help);
            }
            by_file.entry(f).or_default().push(lsp::Diagnostic {
                range: range(text, d.primary.span),
                severity: Some(match d.severity {
                    Severity::Error => lsp::DiagnosticSeverity::ERROR,
                    Severity::Warning => lsp::DiagnosticSeverity::WARNING,
                    Severity::Note => lsp::DiagnosticSeverity::INFORMATION,
                }),
                code: Some(lsp::NumberOrString::String(d.code.to_string())),
                source: Some("ecsc".into()),
                message,
                related_information: (!related.is_empty()).then_some(related),
                ..Default::default()
            });
        }
        let mut out = Vec::new();
        for (id, diagnostics) in by_file {
            let Some(uri) = a.uris.get(&id) else {
                continue;
            };
            let params = lsp::PublishDiagnosticsParams {
                uri: uri.clone(),
                diagnostics,
                version: None,
            };
            out.push(Notification::new(
                "textDocument/publishDiagnostics".into(),
                params,
            ));
        }
        out
    }

    fn notification(&mut self, n: Notification) -> Vec<Notification> {
        match n.method.as_str() {
            "textDocument/didOpen" => {
                let Ok(p) = serde_json::from_value::<lsp::DidOpenTextDocumentParams>(n.params)
                else {
                    return Vec::new();
                };
                let Some(path) = path_of(&p.text_document.uri) else {
                    return Vec::new();
                };
                self.docs
                    .insert(path.clone(), (p.text_document.uri, p.text_document.text));
                self.publish(&path)
            }
            "textDocument/didChange" => {
                let Ok(p) = serde_json::from_value::<lsp::DidChangeTextDocumentParams>(n.params)
                else {
                    return Vec::new();
                };
                let Some(path) = path_of(&p.text_document.uri) else {
                    return Vec::new();
                };
                if let Some(change) = p.content_changes.into_iter().last() {
                    self.docs
                        .insert(path.clone(), (p.text_document.uri, change.text));
                }
                self.publish(&path)
            }
            "textDocument/didClose" => {
                if let Ok(p) = serde_json::from_value::<lsp::DidCloseTextDocumentParams>(n.params) {
                    if let Some(path) = path_of(&p.text_document.uri) {
                        self.docs.remove(&path);
                    }
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    fn request(&mut self, req: Request) -> Response {
        let id = req.id.clone();
        let result = match req.method.as_str() {
            "textDocument/hover" => self.with_position(req, |a, at| a.hover(at)),
            "textDocument/completion" => self.with_position(req, |a, at| a.completion(at)),
            "textDocument/definition" => self.with_position(req, |a, at| a.definition(at)),
            "textDocument/references" => self.with_position(req, |a, at| a.references_at(at)),
            "textDocument/rename" => self.rename(req),
            "textDocument/formatting" => self.formatting(req),
            other => {
                return Response::new_err(
                    id,
                    lsp_server::ErrorCode::MethodNotFound as i32,
                    format!("ecsc lsp does not answer {other}"),
                )
            }
        };
        match result {
            Ok(v) => Response::new_ok(id, v),
            Err(e) => Response::new_err(id, lsp_server::ErrorCode::InvalidParams as i32, e),
        }
    }

    fn with_position(
        &self,
        req: Request,
        answer: impl Fn(&Analysis, usize) -> serde_json::Value,
    ) -> Result<serde_json::Value, String> {
        // Hover, completion, definition and references all carry these.
        let p: lsp::TextDocumentPositionParams =
            serde_json::from_value(req.params).map_err(|e| e.to_string())?;
        let path = path_of(&p.text_document.uri).ok_or("not a file URI")?;
        let a = self.analyse(&path).ok_or("the document cannot be read")?;
        let at = offset(&a.sources.get(a.file).text, p.position);
        Ok(answer(&a, at))
    }

    // lsp-types keys `WorkspaceEdit` by `Uri`, whose lazily filled parse
    // cache is not part of its hash or equality.
    #[allow(clippy::mutable_key_type)]
    fn rename(&self, req: Request) -> Result<serde_json::Value, String> {
        let p: lsp::RenameParams = serde_json::from_value(req.params).map_err(|e| e.to_string())?;
        let new = p.new_name;
        let valid = new.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && new
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !valid {
            return Err(format!(
                "`{new}` is not a name: start with a letter or `_`, then letters, digits, `_` or `-`"
            ));
        }
        let uri = p.text_document_position.text_document.uri;
        let path = path_of(&uri).ok_or("not a file URI")?;
        let a = self.analyse(&path).ok_or("the document cannot be read")?;
        let at = offset(
            &a.sources.get(a.file).text,
            p.text_document_position.position,
        );
        let spans = a.same_name(at);
        if spans.is_empty() {
            return Err("no declared name here to rename".into());
        }
        let mut changes: HashMap<lsp::Uri, Vec<lsp::TextEdit>> = HashMap::new();
        for s in spans {
            if let Some(uri) = a.uris.get(&s.file) {
                let text = &a.sources.get(s.file).text;
                changes
                    .entry(uri.clone())
                    .or_default()
                    .push(lsp::TextEdit::new(range(text, s), new.clone()));
            }
        }
        serde_json::to_value(lsp::WorkspaceEdit::new(changes)).map_err(|e| e.to_string())
    }

    fn formatting(&self, req: Request) -> Result<serde_json::Value, String> {
        let p: lsp::DocumentFormattingParams =
            serde_json::from_value(req.params).map_err(|e| e.to_string())?;
        let path = path_of(&p.text_document.uri).ok_or("not a file URI")?;
        let text = match self.docs.get(&path) {
            Some((_, t)) => t.clone(),
            None => std::fs::read_to_string(&path).map_err(|e| e.to_string())?,
        };
        let edits = match crate::syntax::format::format(&text) {
            Ok(formatted) if formatted != text => vec![lsp::TextEdit::new(
                lsp::Range::new(lsp::Position::new(0, 0), position(&text, text.len())),
                formatted,
            )],
            // Unchanged, or a syntax error (reported as a diagnostic).
            _ => Vec::new(),
        };
        serde_json::to_value(edits).map_err(|e| e.to_string())
    }
}

impl Analysis {
    fn text(&self) -> &str {
        &self.sources.get(self.file).text
    }

    /// The declaration the name at `at` is or refers to.
    fn declaration_at(&self, at: usize) -> Option<Span> {
        self.references
            .iter()
            .find(|(r, _)| contains(*r, self.file, at))
            .map(|(_, d)| *d)
    }

    /// The declaration at `at` and every reference to it.
    fn same_name(&self, at: usize) -> Vec<Span> {
        let Some(decl) = self.declaration_at(at) else {
            return Vec::new();
        };
        self.references
            .iter()
            .filter(|(_, d)| *d == decl)
            .map(|(r, _)| *r)
            .collect()
    }

    fn location(&self, span: Span) -> Option<lsp::Location> {
        let uri = self.uris.get(&span.file)?.clone();
        Some(lsp::Location::new(
            uri,
            range(&self.sources.get(span.file).text, span),
        ))
    }

    fn definition(&self, at: usize) -> serde_json::Value {
        let loc = self.declaration_at(at).and_then(|d| self.location(d));
        serde_json::to_value(loc).unwrap_or_default()
    }

    fn references_at(&self, at: usize) -> serde_json::Value {
        let locs: Vec<lsp::Location> = self
            .same_name(at)
            .into_iter()
            .filter_map(|s| self.location(s))
            .collect();
        serde_json::to_value(locs).unwrap_or_default()
    }

    /// The schema blocks enclosing `at`, outermost first, and the member
    /// (if any) whose key `at` is on.
    fn context(&self, at: usize) -> (Vec<&'static schema::Block>, Option<&ast::Attribute>) {
        let Some(tree) = self.trees.get(self.file.0 as usize) else {
            return (Vec::new(), None);
        };
        let mut path = Vec::new();
        let mut attr = None;
        let inside = |s: Span| (s.start as usize) <= at && at <= s.end as usize;
        let Some(top) = tree.blocks.iter().find(|b| inside(b.span)) else {
            return (path, attr);
        };
        let Some(mut schema_block) = crate::schema::Kind::from_keyword(&top.kind.name)
            .map(schema::declaration)
            .or_else(|| schema::block(&top.kind.name))
        else {
            return (path, attr);
        };
        path.push(schema_block);
        let mut members: &[Member] = &top.members;
        loop {
            let mut next: Option<(&'static schema::Block, &[Member])> = None;
            for m in members {
                match m {
                    Member::Attribute(a) if inside(a.span) => attr = Some(a),
                    Member::Block(b) if inside(b.span) => {
                        if let Some(n) = schema_block
                            .blocks
                            .iter()
                            .find(|n| n.block.keyword == b.kind.name)
                        {
                            next = Some((n.block, &b.members));
                        }
                    }
                    Member::Statement(s) if inside(s.span) => {
                        let (word, body) = match &s.kind {
                            StatementKind::Listener { body, .. } => ("listener", body),
                            StatementKind::Route { body, .. } => ("route", body),
                            StatementKind::Port { body, .. } => ("port", body),
                            _ => continue,
                        };
                        if let Some(b) = schema_block
                            .statements
                            .iter()
                            .find(|st| st.word == word)
                            .and_then(|st| st.body)
                        {
                            next = Some((b, body));
                        }
                    }
                    _ => {}
                }
            }
            match next {
                Some((b, m)) => {
                    schema_block = b;
                    path.push(b);
                    members = m;
                    attr = None;
                    for m in members {
                        if let Member::Attribute(a) = m {
                            if inside(a.span) {
                                attr = Some(a);
                            }
                        }
                    }
                }
                None => return (path, attr),
            }
        }
    }

    fn hover(&self, at: usize) -> serde_json::Value {
        let markdown = |text: String| {
            serde_json::to_value(lsp::Hover {
                contents: lsp::HoverContents::Markup(lsp::MarkupContent {
                    kind: lsp::MarkupKind::Markdown,
                    value: text,
                }),
                range: None,
            })
            .unwrap_or_default()
        };
        // A name: the declaration it resolves to.
        if let Some(decl) = self.declaration_at(at) {
            let text = &self.sources.get(decl.file).text;
            let line_start = text[..decl.start as usize].rfind('\n').map_or(0, |i| i + 1);
            let line_end = text[decl.start as usize..]
                .find('\n')
                .map_or(text.len(), |i| decl.start as usize + i);
            let (line, _) = self.sources.line_col(decl);
            return markdown(format!(
                "```ecs\n{}\n```\ndeclared in {} at line {line}",
                &text[line_start..line_end].trim(),
                self.sources.get(decl.file).name
            ));
        }
        let (path, attr) = self.context(at);
        let Some(block) = path.last() else {
            return serde_json::Value::Null;
        };
        if let Some(a) = attr.filter(|a| contains(a.key.span, self.file, at)) {
            if let Some(s) = block.attr(&a.key.name) {
                let presence = match s.presence {
                    schema::Presence::Required(_) => "required".to_string(),
                    schema::Presence::Default(d) => format!("default: {d}"),
                };
                return markdown(format!(
                    "**{}** ({}, {presence}): {}",
                    s.key,
                    s.ty.describe(),
                    s.doc
                ));
            }
        }
        // On a block's keyword: the block's own docs.
        let word_at = word_at(self.text(), at);
        if word_at == block.keyword {
            return markdown(format!("**{}**: {}", block.keyword, block.doc));
        }
        serde_json::Value::Null
    }

    fn completion(&self, at: usize) -> serde_json::Value {
        let (path, attr) = self.context(at);
        let mut items: Vec<lsp::CompletionItem> = Vec::new();
        if let Some(block) = path.last() {
            match attr
                .filter(|a| at > a.key.span.end as usize)
                .and_then(|a| block.attr(&a.key.name))
            {
                // After `key =`: what the attribute takes.
                Some(s) => items.extend(self.values_for(s.ty)),
                None => {
                    for a in block.attrs {
                        items.push(lsp::CompletionItem {
                            label: a.key.to_string(),
                            kind: Some(lsp::CompletionItemKind::PROPERTY),
                            detail: Some(a.ty.describe()),
                            documentation: Some(lsp::Documentation::String(a.doc.to_string())),
                            ..Default::default()
                        });
                    }
                    for n in block.blocks {
                        items.push(lsp::CompletionItem {
                            label: n.block.keyword.to_string(),
                            kind: Some(lsp::CompletionItemKind::MODULE),
                            documentation: Some(lsp::Documentation::String(
                                n.block.doc.to_string(),
                            )),
                            ..Default::default()
                        });
                    }
                    for st in block.statements {
                        items.push(lsp::CompletionItem {
                            label: st.word.to_string(),
                            kind: Some(lsp::CompletionItemKind::KEYWORD),
                            detail: Some(st.syntax.to_string()),
                            documentation: Some(lsp::Documentation::String(st.doc.to_string())),
                            ..Default::default()
                        });
                    }
                }
            }
        } else {
            for k in crate::schema::Kind::ALL {
                items.push(lsp::CompletionItem {
                    label: k.keyword().to_string(),
                    kind: Some(lsp::CompletionItemKind::CLASS),
                    ..Default::default()
                });
            }
        }
        serde_json::to_value(items).unwrap_or_default()
    }

    /// The values an attribute of type `ty` takes: its keywords, or the
    /// declared names of the kind it refers to.
    fn values_for(&self, ty: schema::Ty) -> Vec<lsp::CompletionItem> {
        let names = |kind: crate::schema::Kind| -> Vec<lsp::CompletionItem> {
            self.trees
                .iter()
                .flat_map(|t| &t.blocks)
                .filter(|b| b.kind.name == kind.keyword())
                .filter_map(|b| b.name.as_ref())
                .map(|n| lsp::CompletionItem {
                    label: n.name.clone(),
                    kind: Some(lsp::CompletionItemKind::REFERENCE),
                    detail: Some(kind.keyword().to_string()),
                    ..Default::default()
                })
                .collect()
        };
        let words = |list: &[&str]| -> Vec<lsp::CompletionItem> {
            list.iter()
                .map(|w| lsp::CompletionItem {
                    label: (*w).to_string(),
                    kind: Some(lsp::CompletionItemKind::ENUM_MEMBER),
                    ..Default::default()
                })
                .collect()
        };
        match ty {
            schema::Ty::Ref(k) | schema::Ty::Refs(k) => names(k),
            schema::Ty::Keyword(list) | schema::Ty::Keywords(list) => words(list),
            schema::Ty::Bool => words(&["true", "false"]),
            _ => Vec::new(),
        }
    }
}

/// The word (name characters) around `at`.
fn word_at(text: &str, at: usize) -> &str {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    let at = at.min(text.len());
    let start = text[..at]
        .char_indices()
        .rev()
        .find(|&(_, c)| !is_word(c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = text[at..]
        .find(|c: char| !is_word(c))
        .map_or(text.len(), |i| at + i);
    &text[start..end]
}
