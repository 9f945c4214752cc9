//! The schema as text: Markdown tables for `docs/language.md` and the plain
//! listing of `ecsc explain <block>`.

use super::{Attr, Block, Int, Nested, Presence, Statement, Ty};

/// One attribute's type for people: `number 1–65535`, `duration (seconds)`.
pub fn type_text(ty: &Ty) -> String {
    match ty {
        Ty::Str => "string".into(),
        Ty::Bool => "boolean".into(),
        Ty::Cidr => "CIDR".into(),
        Ty::Int(i) => format!("number{}", range_text(i, "")),
        Ty::Seconds(i) => format!("duration (seconds){}", range_text(i, " s")),
        Ty::Mib(i) => format!("size (MiB){}", range_text(i, " MiB")),
        Ty::Gib(i) => format!(
            "number of GiB, or size in whole GiB{}",
            range_text(i, " GiB")
        ),
        Ty::Percent(i) => format!("percentage{}", range_text(i, "%")),
        Ty::Days([]) => "number of days, or a whole-day duration (`14d`), at least 1".into(),
        Ty::Days(days) => {
            let list: Vec<String> = days.iter().map(u32::to_string).collect();
            format!(
                "number of days, or a whole-day duration (`30d`): one of {}",
                list.join(", ")
            )
        }
        Ty::Keyword(words) => words
            .iter()
            .map(|w| format!("`{w}`"))
            .collect::<Vec<_>>()
            .join(" | "),
        Ty::Keywords(words) => format!(
            "list of {}",
            words
                .iter()
                .map(|w| format!("`{w}`"))
                .collect::<Vec<_>>()
                .join(" | ")
        ),
        Ty::Ref(k) => k.keyword().into(),
        Ty::Refs(k) => format!("list of {}s", k.keyword()),
        Ty::Strings => "string or list of strings".into(),
        Ty::StringMap => "map of strings".into(),
        Ty::Container => "name of a container of the task".into(),
        Ty::Threshold => "number, percentage or duration".into(),
        Ty::Alarm => "name of an alarm of the service".into(),
        Ty::Alarms => "list of alarms of the service".into(),
    }
}

/// ` 1–65535`, ` 21–200 GiB (E040)`, or nothing.
fn range_text(i: &Int, unit: &str) -> String {
    match i.range {
        None => String::new(),
        Some(r) => {
            let by = r.rule.map(|code| format!(" ({code})")).unwrap_or_default();
            format!(" {}–{}{unit}{by}", r.min, r.max)
        }
    }
}

/// `required`, or the default as display text.
fn presence_text(a: &Attr) -> String {
    match a.presence {
        Presence::Required(_) => "required".into(),
        Presence::Default(d) => d.into(),
    }
}

/// `container NAME { }`, `health { }`.
fn nested_head(n: &Nested) -> String {
    let name = if n.named { " NAME" } else { "" };
    format!("{}{name} {{ }}", n.block.keyword)
}

/// `at most one`, `any number`, `one or more (required)`.
fn nested_count(n: &Nested) -> &'static str {
    match (n.many, n.required) {
        (true, true) => "one or more (required)",
        (true, false) => "any number",
        (false, true) => "exactly one (required)",
        (false, false) => "at most one",
    }
}

/// A one-line summary of a nested block.
fn nested_doc(n: &Nested) -> String {
    format!(
        "{} (`ecsc explain {}`)",
        n.block.doc.trim_end_matches('.'),
        n.block.id
    )
}

fn statement_doc(s: &Statement) -> String {
    match s.body {
        Some(b) => format!("{} (body: `ecsc explain {}`)", s.doc, b.id),
        None => s.doc.into(),
    }
}

/// Escapes `|` for a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

/// The Markdown table of a block's members: attributes, nested blocks and
/// statements, one row each.
pub fn markdown_table(b: &Block) -> String {
    let mut out = String::from("| member | type | default | |\n|---|---|---|---|\n");
    let mut row = |cells: [String; 4]| {
        let cells: Vec<String> = cells.iter().map(|c| cell(c)).collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    };
    for a in b.attrs {
        row([
            format!("`{}`", a.key),
            type_text(&a.ty),
            presence_text(a),
            a.doc.into(),
        ]);
    }
    for n in b.blocks {
        row([
            format!("`{}`", nested_head(n)),
            format!("block, {}", nested_count(n)),
            if n.required { "required" } else { "none" }.into(),
            nested_doc(n),
        ]);
    }
    for s in b.statements {
        row([
            format!("`{}`", s.syntax),
            "statement, any number".into(),
            "none".into(),
            statement_doc(s),
        ]);
    }
    out
}

/// Left-aligned columns, two spaces apart.
fn columns(rows: &[[String; 4]]) -> String {
    let width = |i: usize| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0);
    let widths = [width(0), width(1), width(2)];
    let mut out = String::new();
    for r in rows {
        let mut line = String::from("  ");
        for (i, w) in widths.iter().enumerate() {
            line.push_str(&format!("{:<w$}  ", r[i], w = *w));
        }
        line.push_str(&r[3]);
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The plain-text listing of `ecsc explain <block>`.
pub fn explain(b: &Block) -> String {
    let mut out = format!("{} — {}\n", b.id, b.doc);
    if !b.attrs.is_empty() {
        let rows: Vec<[String; 4]> = b
            .attrs
            .iter()
            .map(|a| {
                [
                    a.key.to_string(),
                    type_text(&a.ty),
                    presence_text(a),
                    a.doc.to_string(),
                ]
            })
            .collect();
        out.push_str("\nattributes (name, type, default, meaning):\n");
        out.push_str(&columns(&rows));
    }
    if !b.blocks.is_empty() {
        let rows: Vec<[String; 4]> = b
            .blocks
            .iter()
            .map(|n| {
                [
                    nested_head(n),
                    nested_count(n).to_string(),
                    String::new(),
                    nested_doc(n),
                ]
            })
            .collect();
        out.push_str("\nblocks:\n");
        out.push_str(&columns(&rows));
    }
    if !b.statements.is_empty() {
        let rows: Vec<[String; 4]> = b
            .statements
            .iter()
            .map(|s| {
                [
                    s.syntax.to_string(),
                    String::new(),
                    String::new(),
                    statement_doc(s),
                ]
            })
            .collect();
        out.push_str("\nstatements:\n");
        out.push_str(&columns(&rows));
    }
    out
}

/// `doc` with the table between every `<!-- schema:ID -->` and
/// `<!-- /schema:ID -->` marker pair regenerated from the schema. Fails on
/// an unknown id or an unclosed marker.
pub fn sync_doc(doc: &str) -> Result<String, String> {
    let mut out = String::with_capacity(doc.len());
    let mut rest = doc;
    while let Some(at) = rest.find("<!-- schema:") {
        let after = &rest[at + "<!-- schema:".len()..];
        let Some(end) = after.find(" -->") else {
            return Err("a `<!-- schema:` marker is not closed with ` -->`".into());
        };
        let id = &after[..end];
        let block = super::block(id).ok_or_else(|| format!("no block `{id}` in the schema"))?;
        let close = format!("<!-- /schema:{id} -->");
        let body = &after[end + " -->".len()..];
        let Some(stop) = body.find(&close) else {
            return Err(format!("`<!-- schema:{id} -->` has no `{close}`"));
        };
        out.push_str(&rest[..at]);
        out.push_str(&format!(
            "<!-- schema:{id} -->\n{}{close}",
            markdown_table(block)
        ));
        rest = &body[stop + close.len()..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The ids of the blocks whose tables `doc` holds.
pub fn doc_tables(doc: &str) -> Vec<&str> {
    doc.split("<!-- schema:")
        .skip(1)
        .filter_map(|s| s.split(" -->").next())
        .collect()
}
