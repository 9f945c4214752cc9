//! `ecsc fmt`: on every example, every test input and every rule's bad and
//! good example, and on messy copies of the examples, the layout is
//! idempotent and never changes what the stack compiles to.

mod common;

use ecsc::source::Sources;
use ecsc::syntax::format::{format, Refused};
use std::path::{Path, PathBuf};
use std::process::Command;

/// What a text compiles to: both targets' output, or (for a stack with
/// errors) every diagnostic's code and message, spans aside.
fn compiled(text: &str) -> String {
    let mut sources = Sources::new();
    sources.add("stack.ecs", text.to_string());
    let c = match ecsc::compile(&sources, &[]) {
        Ok(c) => c,
        Err(e) => return format!("usage: {e}"),
    };
    let mut out: Vec<String> = c
        .diagnostics
        .iter()
        .map(|d| format!("{} {}", d.code, d.message))
        .collect();
    out.sort();
    if let Some(plan) = &c.plan {
        out.push(ecsc::emit::cloudformation::template(plan).to_json());
        out.push(ecsc::emit::terraform::configuration(plan).to_json());
    }
    out.join("\n")
}

fn ecs_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            ecs_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "ecs") {
            out.push(p);
        }
    }
}

/// Every input the tests hold, with where it comes from.
fn inputs() -> Vec<(String, String)> {
    let root = common::manifest_dir();
    let mut files = Vec::new();
    ecs_files(&root.join("examples"), &mut files);
    ecs_files(&root.join("tests"), &mut files);
    files.sort();
    let mut out: Vec<(String, String)> = files
        .iter()
        .map(|f| (f.display().to_string(), std::fs::read_to_string(f).unwrap()))
        .collect();
    for r in ecsc::rules::all() {
        out.push((format!("{} bad", r.code), r.bad.to_string()));
        out.push((format!("{} good", r.code), r.good.to_string()));
    }
    out.push(("scaled 20".to_string(), common::scaled::stack(20)));
    out
}

/// The same tokens with other spacing: no indentation, doubled spaces.
fn messy(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let (mut in_string, mut comment) = (false, false);
        let mut prev = '\0';
        for c in line.trim_start().chars() {
            if c == '"' && prev != '\\' && !comment {
                in_string = !in_string;
            }
            // The rest of the line is a comment: as written.
            comment |= c == '#' && !in_string;
            out.push(c);
            if c == ' ' && !in_string && !comment {
                out.push(' ');
            }
            prev = c;
        }
        out.push('\n');
    }
    out
}

#[test]
fn formatting_is_idempotent_and_changes_no_output() {
    let mut checked = 0;
    for (name, text) in inputs() {
        let formatted = match format(&text) {
            Ok(f) => f,
            // A syntax error is the point of some test inputs.
            Err(Refused::Syntax(_)) => continue,
            Err(Refused::Layout(why) | Refused::Internal(why)) => panic!("{name}: {why}"),
        };
        assert_eq!(
            format(&formatted).unwrap(),
            formatted,
            "{name}: not idempotent"
        );
        assert_eq!(
            compiled(&formatted),
            compiled(&text),
            "{name}: output changed"
        );
        checked += 1;
    }
    assert!(checked > 300, "only {checked} inputs formatted");
}

#[test]
fn messy_copies_of_the_examples_format_back_to_the_examples() {
    for f in common::examples() {
        let text = std::fs::read_to_string(&f).unwrap();
        let mess = messy(&text);
        assert_ne!(mess, text);
        let formatted = format(&mess).unwrap_or_else(|e| panic!("{}: {e:?}", f.display()));
        assert_eq!(compiled(&formatted), compiled(&text), "{}", f.display());
        // The examples are formatted: the mess formats back to them.
        assert_eq!(formatted, text, "{}", f.display());
    }
}

fn ecsc(args: &[&str], cwd: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ecsc"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_command_checks_rewrites_and_refuses() {
    let root = common::manifest_dir();
    let (code, _, err) = ecsc(&["fmt", "--check", "examples"], &root);
    assert_eq!(code, 0, "{err}");

    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fmt");
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(d.join("infra")).unwrap();
    let messy_text = "stack  app{region=\"eu-west-1\"}   # the stack\nvpc main{cidr=10.0.0.0/16}\ntask t { container c { port 80   # web\n  image = \"x\" } }\n";
    std::fs::write(d.join("infra/app.ecs"), messy_text).unwrap();
    let (code, _, err) = ecsc(&["fmt", "--check"], &d);
    assert_eq!(code, 1);
    assert!(err.contains("infra/app.ecs: not formatted"), "{err}");
    assert_eq!(
        std::fs::read_to_string(d.join("infra/app.ecs")).unwrap(),
        messy_text
    );
    let (code, _, err) = ecsc(&["fmt", "infra"], &d);
    assert_eq!(code, 0, "{err}");
    let want = "stack app { region = \"eu-west-1\" }  # the stack\nvpc main { cidr = 10.0.0.0/16 }\ntask t {\n  container c {\n    port 80  # web\n    image = \"x\"\n  }\n}\n";
    assert_eq!(
        std::fs::read_to_string(d.join("infra/app.ecs")).unwrap(),
        want
    );
    let (code, _, _) = ecsc(&["fmt", "--check", "infra"], &d);
    assert_eq!(code, 0);

    // A syntax error: reported, and the file is left as it is.
    let broken = "stack app { region = \"eu-west-1\" }\nvpc main { cidr = }\n";
    std::fs::write(d.join("infra/app.ecs"), broken).unwrap();
    let (code, _, err) = ecsc(&["fmt", "infra"], &d);
    assert_eq!(code, 1);
    assert!(err.contains("E001"), "{err}");
    assert_eq!(
        std::fs::read_to_string(d.join("infra/app.ecs")).unwrap(),
        broken
    );

    // Standard input to standard output.
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_ecsc"))
        .args(["fmt", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(messy_text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), want);
}
