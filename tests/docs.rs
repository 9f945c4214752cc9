//! Every ```ecs block of docs/language.md is a complete file that compiles
//! without errors (warnings are allowed). Partial snippets are tagged
//! ```ecs-fragment and are not compiled.

use ecsc::source::Sources;

const DOC: &str = include_str!("../docs/language.md");

/// The ```ecs blocks of a Markdown text: (line of the opening fence, text).
/// Every fence is tracked, so a block of another language (```ecs-fragment,
/// ```sh, …) is skipped whole.
fn ecs_blocks(markdown: &str) -> Vec<(usize, String)> {
    let mut blocks = Vec::new();
    // (line of the opening fence, whether it is an ```ecs block, its text)
    let mut open: Option<(usize, bool, String)> = None;
    for (i, line) in markdown.lines().enumerate() {
        let is_fence = line.trim_start().starts_with("```");
        match open.take() {
            None if is_fence => {
                let tag = line.trim_start().trim_start_matches('`').trim();
                open = Some((i + 1, tag == "ecs", String::new()));
            }
            None => {}
            Some((start, true, text)) if is_fence => blocks.push((start, text)),
            Some((_, false, _)) if is_fence => {}
            Some((start, is_ecs, mut text)) => {
                text.push_str(line);
                text.push('\n');
                open = Some((start, is_ecs, text));
            }
        }
    }
    assert!(
        open.is_none(),
        "docs/language.md ends inside a fenced block"
    );
    blocks
}

#[test]
fn ecs_blocks_in_the_language_reference_compile() {
    let blocks = ecs_blocks(DOC);
    assert!(
        blocks.len() >= 15,
        "expected at least 15 ```ecs blocks in docs/language.md, found {}",
        blocks.len()
    );
    let mut failures = Vec::new();
    for (line, text) in &blocks {
        let mut sources = Sources::new();
        sources.add("doc.ecs", text.as_str());
        let compiled = ecsc::compile(&sources, &[]).unwrap();
        let has_errors = compiled.diagnostics.iter().any(|d| d.is_error());
        if has_errors || compiled.model.is_none() {
            let rendered = ecsc::report::human_all(
                &compiled.diagnostics,
                &sources,
                ecsc::report::Style::plain(),
            );
            failures.push(format!(
                "docs/language.md:{line}: the ```ecs block opened on this line does not compile \
                 (tag partial snippets ```ecs-fragment):\n{rendered}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} ```ecs blocks fail:\n\n{}",
        failures.len(),
        blocks.len(),
        failures.join("\n")
    );
}

/// The attribute tables of docs/language.md are generated from the schema
/// (between `<!-- schema:ID -->` markers); `ECSC_BLESS_DOCS=1` rewrites
/// them.
#[test]
fn schema_tables_in_the_language_reference_are_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/language.md");
    let doc = std::fs::read_to_string(path).unwrap();
    let fresh = ecsc::schema::sync_doc(&doc).unwrap_or_else(|e| panic!("docs/language.md: {e}"));
    let bless = std::env::var_os("ECSC_BLESS_DOCS").is_some_and(|v| v == "1");
    if fresh != doc {
        if bless {
            std::fs::write(path, &fresh).unwrap();
        } else {
            panic!(
                "the schema tables in docs/language.md are stale; regenerate them with\n\n    \
                 ECSC_BLESS_DOCS=1 cargo test --test docs\n"
            );
        }
    }
    let tables = ecsc::schema::doc_tables(&fresh);
    let missing: Vec<&str> = ecsc::schema::ALL
        .iter()
        .map(|b| b.id)
        .filter(|id| !tables.contains(id))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/language.md has no `<!-- schema:ID -->` table for {missing:?}"
    );
}
