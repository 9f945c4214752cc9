//! Independent verification of the CloudFormation output.
//!
//! Every `examples/*.ecs` is compiled by the real binary to JSON and YAML
//! under `target/verify-out/cloudformation/`, then checked by tools that know
//! nothing about ecsc (pinned in tests/verify/requirements.txt, installed on
//! first run by `common::python_venv`):
//!
//! * cfn-lint on every JSON and YAML template: no error, no warning, except
//!   rule ids in tests/verify/cfn-lint-ignore.txt;
//! * moto: each JSON template becomes a stack (CREATE_COMPLETE), and the
//!   declared resources are compared with what the AWS APIs return
//!   (tests/verify/moto_stack.py says what is stripped and why);
//! * checkov (offline): no failed check outside tests/verify/checkov-baseline.txt.
//!
//! Each script also runs a canary or self-test that must fail, so a broken
//! tool cannot make these tests pass.

mod common;

use std::path::PathBuf;
use std::sync::OnceLock;

/// One example compiled both ways.
struct Template {
    name: String,
    json: PathBuf,
    yaml: PathBuf,
}

/// Examples that compiled, and a message for each that did not.
struct Built {
    ok: Vec<Template>,
    errors: Vec<String>,
}

/// Compiles all examples once per test binary; the tests below share it.
fn built() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(|| {
        let bin = env!("CARGO_BIN_EXE_ecsc");
        let out_dir = common::fresh_out_dir("cloudformation");
        let mut built = Built { ok: Vec::new(), errors: Vec::new() };
        let builds = common::builds();
        if builds.is_empty() {
            built.errors.push("no examples/*.ecs to verify".into());
        }
        for (name, example, env) in builds {
            let src = example.to_string_lossy().into_owned();
            let mut paths = Vec::new();
            for format in ["json", "yaml"] {
                let path = out_dir.join(format!("{name}.{format}"));
                let dest = path.to_string_lossy().into_owned();
                let mut args = vec!["build", &src, "--format", format, "-o", &dest];
                if let Some(env) = &env {
                    args.extend(["--env", env]);
                }
                let out = common::ecsc_build(bin, &args);
                let written = std::fs::metadata(&path).map(|m| m.len() > 0).unwrap_or(false);
                if !out.status.success() || !written {
                    built.errors.push(format!(
                        "ecsc build {src} --format {format} -o {dest} failed (output file written: {written})\n{}",
                        common::describe(&out)
                    ));
                }
                paths.push(path);
            }
            if paths.iter().all(|p| p.exists()) {
                let yaml = paths.pop().unwrap();
                let json = paths.pop().unwrap();
                built.ok.push(Template { name, json, yaml });
            }
        }
        built
    })
}

/// Every example built with `--split` (JSON and YAML), and the
/// 1,000-service stack, which is split because one template cannot hold
/// it: one directory each, under `target/verify-out/nested/`.
fn nested() -> &'static Vec<PathBuf> {
    static NESTED: OnceLock<Vec<PathBuf>> = OnceLock::new();
    NESTED.get_or_init(|| {
        let bin = env!("CARGO_BIN_EXE_ecsc");
        let out_dir = common::fresh_out_dir("nested");
        let scaled = out_dir.join("scaled-1000.ecs");
        std::fs::write(&scaled, common::scaled::stack(1000)).expect("write the scaled stack");
        let mut builds: Vec<(String, PathBuf, Option<String>, &str)> = common::builds()
            .into_iter()
            .flat_map(|(name, src, env)| {
                [
                    (name.clone(), src.clone(), env.clone(), "json"),
                    (format!("{name}-yaml"), src, env, "yaml"),
                ]
            })
            .collect();
        builds.push(("scaled-1000".into(), scaled, None, "json"));
        let mut dirs = Vec::new();
        for (name, src, env, format) in builds {
            let dir = out_dir.join(&name);
            let (src, dest) = (src.to_string_lossy(), dir.to_string_lossy());
            let mut args = vec!["build", &src, "--format", format, "-o", &dest];
            if name != "scaled-1000" {
                args.push("--split");
            }
            if let Some(env) = &env {
                args.extend(["--env", env]);
            }
            let out = common::ecsc_build(bin, &args);
            assert!(
                out.status.success(),
                "ecsc build {src} -o {dest}: {}",
                common::describe(&out)
            );
            dirs.push(dir);
        }
        dirs
    })
}

/// The compiled templates; panics when there is nothing to check.
fn templates() -> &'static [Template] {
    let b = built();
    assert!(
        !b.ok.is_empty(),
        "no example compiled:\n{}",
        b.errors.join("\n\n")
    );
    &b.ok
}

/// Runs a verification script and fails the test with the names of the
/// failing templates and the script's whole output.
fn check(tool: &str, script: &str, args: Vec<String>) {
    let out = common::run_verify_script(script, &args);
    if out.status.success() {
        println!("{}", String::from_utf8_lossy(&out.stdout));
        return;
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let failing: Vec<&str> = stdout.lines().filter(|l| l.starts_with("FAIL")).collect();
    let kind = match out.status.code() {
        Some(1) => "found problems",
        _ => "could not run (tool or usage error)",
    };
    panic!(
        "{tool} {kind}; failing:\n  {}\n\n{}",
        failing.join("\n  "),
        common::describe(&out)
    );
}

fn config(file: &str) -> String {
    common::verify_dir()
        .join(file)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn every_example_compiles_to_json_and_yaml() {
    let b = built();
    assert!(b.errors.is_empty(), "{}", b.errors.join("\n\n"));
    println!(
        "compiled: {:?}",
        b.ok.iter().map(|t| &t.name).collect::<Vec<_>>()
    );
}

#[test]
fn cfn_lint_reports_no_errors_or_warnings() {
    let mut args = vec!["--ignore".to_string(), config("cfn-lint-ignore.txt")];
    for t in templates() {
        args.push(t.json.to_string_lossy().into_owned());
        args.push(t.yaml.to_string_lossy().into_owned());
    }
    check("cfn-lint", "cfn_lint_check.py", args);
}

#[test]
fn cfn_lint_passes_every_nested_template() {
    let mut args = vec!["--ignore".to_string(), config("cfn-lint-ignore.txt")];
    for dir in nested() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .expect("a split stack's directory")
            .map(|e| e.expect("a directory entry").path())
            .collect();
        files.sort();
        assert!(files.len() >= 2, "{}: {files:?}", dir.display());
        args.extend(files.iter().map(|f| f.to_string_lossy().into_owned()));
    }
    check("cfn-lint", "cfn_lint_check.py", args);
}

#[test]
fn cfn_lint_passes_the_templates_of_a_stack_split_through_tiers() {
    // 10,000 services make more groups than the parent's 500 resources:
    // the parent, the shared child, the first tier and every group it
    // holds are linted (all 750 files would take minutes; the others are
    // written by the same code).
    let bin = env!("CARGO_BIN_EXE_ecsc");
    let out_dir = common::fresh_out_dir("tiered");
    let src = out_dir.join("scaled-10000.ecs");
    std::fs::write(&src, common::scaled::stack(10_000)).expect("write the scaled stack");
    let dir = out_dir.join("stack");
    let (s, d) = (src.to_string_lossy(), dir.to_string_lossy());
    let out = common::ecsc_build(bin, &["build", &s, "-o", &d]);
    assert!(out.status.success(), "{}", common::describe(&out));
    let named = |file: &std::path::Path| -> Vec<String> {
        let text = std::fs::read_to_string(file).expect("a template written");
        let v: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        v["Resources"]
            .as_object()
            .into_iter()
            .flatten()
            .filter_map(|(_, r)| r["Properties"]["TemplateURL"].as_str().map(str::to_string))
            .collect()
    };
    let parent = dir.join("template.json");
    let top = named(&parent);
    let tier = top
        .iter()
        .find(|f| f.starts_with("services-tier-"))
        .expect("a tier");
    let mut files = vec![parent.clone(), dir.join("shared.json"), dir.join(tier)];
    files.extend(named(&dir.join(tier)).iter().map(|f| dir.join(f)));
    assert!(files.len() > 10, "{files:?}");
    let mut args = vec!["--ignore".to_string(), config("cfn-lint-ignore.txt")];
    args.extend(files.iter().map(|f| f.to_string_lossy().into_owned()));
    check("cfn-lint", "cfn_lint_check.py", args);
}

#[test]
fn moto_creates_every_split_stack_with_its_nested_stacks() {
    let args = nested()
        .iter()
        .filter(|d| !d.to_string_lossy().ends_with("-yaml"))
        .map(|d| d.to_string_lossy().into_owned())
        .collect();
    check("moto", "moto_nested.py", args);
}

#[test]
fn moto_creates_every_stack_as_declared() {
    let args = templates()
        .iter()
        .map(|t| t.json.to_string_lossy().into_owned())
        .collect();
    check("moto", "moto_stack.py", args);
}

#[test]
fn checkov_finds_nothing_outside_the_baseline() {
    let mut args = vec!["--baseline".to_string(), config("checkov-baseline.txt")];
    args.extend(
        templates()
            .iter()
            .map(|t| t.json.to_string_lossy().into_owned()),
    );
    check("checkov", "checkov_check.py", args);
}
