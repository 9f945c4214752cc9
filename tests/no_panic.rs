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
    let mut inputs: Vec<String> = Vec::new();
    for path in common::examples() {
        let text = std::fs::read_to_string(&path).unwrap();
        let cuts: Vec<usize> = (0..=text.len())
            .step_by(5)
            .filter(|i| text.is_char_boundary(*i))
            .collect();
        for &cut in &cuts {
            inputs.push(text[..cut].to_string());
        }
        for &at in cuts.iter().step_by(3) {
            for replacement in ["}", "\"", "=", "0", "x", "["] {
                let end = (at + 1..=text.len())
                    .find(|i| text.is_char_boundary(*i))
                    .unwrap_or(text.len());
                inputs.push(format!("{}{replacement}{}", &text[..at], &text[end..]));
            }
        }
    }
    assert!(inputs.len() > 1000, "only {} inputs tried", inputs.len());
    // Thousands of compiles in a debug build: shared out over the cores
    // (a panic on any thread fails the test).
    ecsc::parallel::queue(inputs.len(), ecsc::parallel::threads(), |i| {
        compile(&inputs[i]);
        true
    });
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

/// Compiles one in-memory file and renders its diagnostics for people.
fn checked(text: &str) -> (Vec<ecsc::diagnostic::Diagnostic>, String) {
    let mut sources = ecsc::source::Sources::new();
    sources.add("input.ecs", text);
    let c = ecsc::compile(&sources, &[]).expect("no usage error");
    let shown = ecsc::report::human_all(&c.diagnostics, &sources, ecsc::report::Style::plain());
    (c.diagnostics.into_sorted(), shown)
}

const HEAD: &str = r#"stack s { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
"#;

/// Thousands of nested blocks or lists overflowed the parser's stack (an
/// abort): nesting past the limit is one E001 at the bracket, found by a
/// scan before parsing.
#[test]
fn deep_nesting_is_a_diagnostic_not_a_stack_overflow() {
    let n = 20_000;
    let lists = format!("{HEAD}param p = {}{}\n", "[".repeat(n), "]".repeat(n));
    let blocks = format!("{HEAD}stack t {}{}\n", "{ a ".repeat(n), "}".repeat(n));
    let unclosed = format!("{HEAD}param p = {}\n", "[".repeat(n));
    for text in [lists, blocks, unclosed] {
        let (diags, shown) = checked(&text);
        let codes: Vec<&str> = diags.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["E001"], "{shown}");
        assert!(shown.contains("nested more than 64 deep"), "{shown}");
    }
    // 64 levels are still read (and then found to be of the wrong type).
    let (diags, _) = checked(&format!(
        "{HEAD}param p = {}{}\n",
        "[".repeat(64),
        "]".repeat(64)
    ));
    assert!(diags.iter().all(|d| d.code != "E001"));
}

/// A diagnostic past column 65,535 panicked inside miette (exit 101) after
/// printing the whole line: long lines are now shown as a window around
/// the label, with the column the source has.
#[test]
fn a_diagnostic_on_a_megabyte_line_renders_a_window() {
    let pad = "x".repeat(1_000_000);
    let text = format!("{HEAD}param pad = \"{pad}\" security_group bad {{ vpc = nope }}\n");
    let (diags, shown) = checked(&text);
    assert_eq!(diags.len(), 1, "{shown}");
    assert_eq!(diags[0].code, "E002");
    let column = text.lines().nth(2).unwrap().find("nope").unwrap() + 1;
    assert!(shown.contains(&format!("input.ecs:3:{column}]")), "{shown}");
    assert!(shown.contains("vpc = nope }"), "{shown}");
    assert!(shown.len() < 2_000, "{} bytes:\n{shown}", shown.len());
}

/// An unparsable line of megabytes was echoed whole (the found token and
/// the line around it).
#[test]
fn an_unparsable_long_line_is_not_echoed_whole() {
    for text in [
        format!("{}\n", "x".repeat(300_000)),
        format!("{HEAD}vpc {} = 1\n", "y".repeat(300_000)),
        format!("{HEAD}param p = \"{}\n", "z".repeat(300_000)),
    ] {
        let (diags, shown) = checked(&text);
        assert_eq!(diags[0].code, "E001", "{shown}");
        assert!(shown.len() < 2_000, "{} bytes:\n{shown}", shown.len());
    }
}

/// One diagnostic with thousands of related labels rendered in quadratic
/// time (10,000: 72 s) and printed every line between them: the first few
/// are drawn, the rest counted.
#[test]
fn many_related_labels_render_the_first_few_and_a_count() {
    let n = 20_000;
    let mut text = String::from(HEAD);
    let mut spans = Vec::new();
    let mut sources = ecsc::source::Sources::new();
    for i in 0..n {
        let at = text.len() + "security_group ".len();
        text.push_str(&format!("security_group g{i} {{ vpc = main }}\n"));
        spans.push((at, at + format!("g{i}").len()));
    }
    let file = sources.add("input.ecs", text.clone());
    let span = |(start, end): (usize, usize)| ecsc::source::Span::new(file, start, end);
    let main = text.find("main {").unwrap();
    let mut d =
        ecsc::diagnostic::Diagnostic::warning("W999", span((main, main + 4)), "many places")
            .label("here")
            .help("fewer");
    for (i, s) in spans.into_iter().enumerate() {
        d = d.with(span(s), format!("group {i}"));
    }
    let started = std::time::Instant::now();
    let shown = ecsc::report::human(&d, &sources, ecsc::report::Style::plain());
    assert!(
        started.elapsed().as_secs() < 5,
        "took {:?}",
        started.elapsed()
    );
    let extra = n - ecsc::report::MAX_RELATED;
    assert!(
        shown.contains(&format!("and {extra} more related places")),
        "{shown}"
    );
    assert!(
        shown.contains("group 4") && !shown.contains("group 5"),
        "{shown}"
    );
    assert!(shown.len() < 3_000, "{} bytes:\n{shown}", shown.len());
    // The machine formats list every one.
    let diags = [d];
    let json = ecsc::report::machine::json(&[(&diags[..], &sources)]);
    assert!(json.contains(&format!("group {}", n - 1)));
}

/// A byte order mark, `\r\n` and lone `\r` line endings read like `\n`:
/// the same template, and diagnostics on the same lines and columns.
#[test]
fn byte_order_marks_and_every_line_ending_read_alike() {
    let text = format!("{HEAD}# a comment\nsubnet a {{ vpc = nope }}\n");
    let short = |text: &str| {
        let mut sources = ecsc::source::Sources::new();
        sources.add("input.ecs", text);
        let c = ecsc::compile(&sources, &[]).unwrap();
        let found = c.diagnostics.into_sorted();
        found
            .iter()
            .map(|d| ecsc::report::short(d, &sources))
            .collect::<Vec<_>>()
    };
    let expected = short(&text);
    assert!(
        expected.contains(&"input.ecs:4:18: error[E002]: there is no VPC named `nope`".to_string()),
        "{expected:?}"
    );
    for variant in [
        format!("\u{feff}{text}"),
        text.replace('\n', "\r\n"),
        text.replace('\n', "\r"),
        format!("\u{feff}{}", text.replace('\n', "\r")),
    ] {
        assert_eq!(short(&variant), expected, "{variant:?}");
    }
    for path in common::examples() {
        let text = std::fs::read_to_string(&path).unwrap();
        let build = |text: &str| {
            let mut sources = ecsc::source::Sources::new();
            sources.add("input.ecs", text);
            let plan = ecsc::compile(&sources, &[]).unwrap().plan.unwrap();
            ecsc::emit::cloudformation::template(&plan).to_json()
        };
        let lf = build(&text);
        assert_eq!(
            build(&format!("\u{feff}{}", text.replace('\n', "\r"))),
            lf,
            "{path:?}"
        );
        assert_eq!(build(&text.replace('\n', "\r\n")), lf, "{path:?}");
    }
}
