//! `ecsc build --check` with the real binary, for both targets: a freshly
//! built file passes (exit 0), an edited or missing one fails (exit 1) with
//! a unified diff on stderr, and check mode never writes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_ecsc");

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join("hello.ecs")
}

/// A fresh, empty directory under `target/`, private to one test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join("cli-build-check")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    dir
}

fn ecsc(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {BIN}: {e}"))
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn s(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

/// Builds to `out`, checks (0), edits `file`, checks (1 with a diff), and
/// makes sure the check left the edited file alone.
fn round_trip(target: &[&str], out: &Path, file: &Path) {
    let example = example();
    let mut build = vec!["build", s(&example), "-o", s(out)];
    build.extend_from_slice(target);
    let o = ecsc(&build);
    assert_eq!(o.status.code(), Some(0), "build failed: {}", stderr(&o));
    assert!(file.is_file(), "{} was not written", file.display());

    let mut check = build.clone();
    check.push("--check");
    let o = ecsc(&check);
    assert_eq!(
        o.status.code(),
        Some(0),
        "fresh output must pass --check: {}",
        stderr(&o)
    );
    assert!(o.stdout.is_empty(), "--check prints nothing on stdout");

    let fresh = std::fs::read_to_string(file).expect("readable output");
    let edited = fresh.replacen("hello", "howdy", 1);
    assert_ne!(edited, fresh, "the output names the stack");
    std::fs::write(file, &edited).expect("writable output");
    let o = ecsc(&check);
    let err = stderr(&o);
    assert_eq!(
        o.status.code(),
        Some(1),
        "an edited file must fail --check: {err}"
    );
    assert!(err.contains("is out of date"), "{err}");
    assert!(err.contains("@@ "), "a unified diff hunk on stderr: {err}");
    let lines: Vec<&str> = err.lines().collect();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with('-') && !l.starts_with("---") && l.contains("howdy")),
        "the diff removes the edited line: {err}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with('+') && !l.starts_with("+++") && l.contains("hello")),
        "the diff adds the line the sources produce: {err}"
    );
    assert_eq!(
        std::fs::read_to_string(file).expect("readable"),
        edited,
        "--check must not write"
    );

    std::fs::remove_file(file).expect("removable");
    let o = ecsc(&check);
    let err = stderr(&o);
    assert_eq!(
        o.status.code(),
        Some(1),
        "a missing file must fail --check: {err}"
    );
    assert!(err.contains("does not exist"), "{err}");
    assert!(err.contains("--- /dev/null"), "{err}");
    assert!(!file.exists(), "--check must not create {}", file.display());
}

#[test]
fn check_cloudformation_json() {
    let dir = scratch("cloudformation");
    let file = dir.join("stack.json");
    round_trip(&[], &file, &file);
}

#[test]
fn check_cloudformation_yaml() {
    let dir = scratch("cloudformation-yaml");
    let file = dir.join("stack.yaml");
    round_trip(&["--format", "yaml"], &file, &file);
}

#[test]
fn check_terraform() {
    let dir = scratch("terraform");
    let out = dir.join("deploy");
    // The directory does not exist yet: build creates it.
    round_trip(&["--target", "terraform"], &out, &out.join("main.tf.json"));
}

#[test]
fn check_needs_an_output_path() {
    let example = example();
    let o = ecsc(&["build", s(&example), "--check"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("-o"), "{}", stderr(&o));
}

#[test]
fn terraform_goes_to_stdout_without_output_path() {
    let example = example();
    let o = ecsc(&["build", s(&example), "--target", "terraform"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON on stdout");
    assert!(v["resource"]["aws_ecs_service"].is_object());
}

#[test]
fn terraform_is_json_only() {
    let example = example();
    let o = ecsc(&[
        "build",
        s(&example),
        "--target",
        "terraform",
        "--format",
        "yaml",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}
