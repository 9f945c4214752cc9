//! No input makes the compiler panic: every prefix of every example (cut
//! mid-token, mid-string, mid-block) and every example with one byte
//! replaced compiles to a result or to diagnostics, never a crash, and
//! whatever compiles renders in both targets. A cheap
//! stand-in for fuzzing that runs on every `cargo test`.

mod common;

fn compile(text: &str) {
    let mut sources = ecsc::source::Sources::new();
    sources.add("input.ecs", text);
    if let Ok(c) = ecsc::compile(&sources, &[]) {
        // Rendering must not panic either (spans must be in range).
        let _ = ecsc::report::human_all(&c.diagnostics, &sources, ecsc::report::Style::plain());
        if let Some(plan) = c.plan {
            let _ = ecsc::emit::cloudformation::template(&plan).to_yaml();
            let _ = ecsc::emit::terraform::configuration(&plan).to_json();
        }
    }
}

#[test]
fn truncated_and_mutated_examples_never_panic() {
    let mut inputs = 0;
    for path in common::examples() {
        let text = std::fs::read_to_string(&path).unwrap();
        let cuts: Vec<usize> = (0..=text.len())
            .step_by(5)
            .filter(|i| text.is_char_boundary(*i))
            .collect();
        for &cut in &cuts {
            compile(&text[..cut]);
            inputs += 1;
        }
        for &at in cuts.iter().step_by(3) {
            for replacement in ["}", "\"", "=", "0", "x", "["] {
                let end = (at + 1..=text.len())
                    .find(|i| text.is_char_boundary(*i))
                    .unwrap_or(text.len());
                compile(&format!("{}{replacement}{}", &text[..at], &text[end..]));
                inputs += 1;
            }
        }
    }
    assert!(inputs > 1000, "only {inputs} inputs tried");
}
