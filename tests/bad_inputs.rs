//! Annotated bad inputs: each `tests/bad/*.ecs` opens with
//! `# expect: CODE...`; compiling it must report exactly those error codes, every
//! diagnostic must carry a span and a help line, and the rendered report is
//! snapshotted.

use ecsc::source::Sources;
use std::collections::BTreeSet;

#[test]
fn bad_inputs_report_the_expected_diagnostics() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/bad");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "ecs"))
        .collect();
    paths.sort();
    assert!(
        paths.len() >= 20,
        "at least 20 bad inputs, found {}",
        paths.len()
    );
    let mut failures = Vec::new();
    for path in paths {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let expected: BTreeSet<String> = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# expect:"))
            .unwrap_or_else(|| panic!("{name}: first line must be `# expect: CODE...`"))
            .split_whitespace()
            .map(String::from)
            .collect();
        let mut sources = Sources::new();
        sources.add(format!("{name}.ecs"), text);
        let compiled = ecsc::compile(&sources, &[]).expect("no usage error");
        // Warnings (an unused declaration in a minimal file) are snapshotted
        // but not part of the expectation.
        let found: BTreeSet<String> = compiled
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.code.to_string())
            .collect();
        if found != expected {
            failures.push(format!("{name}: expected {expected:?}, found {found:?}"));
        }
        for d in compiled.diagnostics.iter() {
            if d.help.as_deref().unwrap_or("").is_empty() {
                failures.push(format!("{name}: {} has no help", d.code));
            }
        }
        let rendered = ecsc::report::human_all(
            &compiled.diagnostics,
            &sources,
            ecsc::report::Style::plain(),
        );
        insta::with_settings!({
            snapshot_path => concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"),
            prepend_module_to_snapshot => false,
        }, {
            insta::assert_snapshot!(format!("diagnostics__{name}"), rendered);
        });
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
