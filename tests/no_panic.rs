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

/// `--set` values are parsed without a file: whatever is reported inside
/// one (an unknown name in a list) points at the param's default.
#[test]
fn set_values_report_at_the_param() {
    let src = r#"stack s { region = "eu-west-1" }
param task_subnets = [a]
param cmd = ["x"]
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
security_group sg { vpc = main }
cluster c {}
task t { cpu = 256  memory = 512  container app { image = "nginx:1"  command = cmd } }
service s { cluster = c  task = t  network { subnets = task_subnets  security_groups = [sg]  public_ip = true } }
"#;
    let mut sources = ecsc::source::Sources::new();
    sources.add("input.ecs", src);
    for set in [
        ("task_subnets", "[a, zz]"),
        ("cmd", "[1]"),
        ("cmd", "[\"${nope}\"]"),
    ] {
        let overrides = [(set.0.to_string(), set.1.to_string())];
        let c = ecsc::compile(&sources, &overrides).expect("a known param");
        assert!(c.diagnostics.has_errors(), "{set:?} is wrong");
        let shown = ecsc::report::human_all(&c.diagnostics, &sources, ecsc::report::Style::plain());
        assert!(shown.contains("input.ecs:"), "{set:?}: {shown}");
    }
}
