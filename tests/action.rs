//! `action.yml`, the GitHub Action: its scripts run here with bash against
//! the real binary, as the runner would run them.

use serde_yaml::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn action() -> Value {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("action.yml"))
        .expect("action.yml");
    serde_yaml::from_str(&text).expect("action.yml is YAML")
}

fn steps(action: &Value) -> Vec<Value> {
    action["runs"]["steps"]
        .as_sequence()
        .expect("runs.steps")
        .clone()
}

fn step(action: &Value, name: &str) -> Value {
    steps(action)
        .into_iter()
        .find(|s| s["name"].as_str() == Some(name))
        .unwrap_or_else(|| panic!("no step named {name}"))
}

/// Every `${{ inputs.X }}` names a declared input, and no script has an
/// expression pasted into it (an input holding `"; rm -rf /` would run).
#[test]
fn inputs_are_declared_and_reach_scripts_through_the_environment() {
    let action = action();
    assert_eq!(action["runs"]["using"].as_str(), Some("composite"));
    let declared = action["inputs"].as_mapping().expect("inputs");
    let text = serde_yaml::to_string(&action["runs"]).unwrap();
    let mut used = 0;
    for (at, _) in text.match_indices("inputs.") {
        let name: String = text[at + "inputs.".len()..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        assert!(
            declared.contains_key(Value::String(name.clone())),
            "inputs.{name} is not declared"
        );
        used += 1;
    }
    assert!(used >= 3, "the inputs are used");
    for s in steps(&action) {
        if let Some(script) = s["run"].as_str() {
            assert!(
                !script.contains("${{"),
                "an expression in a script: {script}"
            );
            assert_eq!(s["shell"].as_str(), Some("bash"));
        }
    }
    let upload = step(&action, "Upload to code scanning");
    assert!(upload["uses"]
        .as_str()
        .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif@")));
    assert_eq!(
        upload["with"]["sarif_file"].as_str(),
        Some("${{ steps.check.outputs.sarif }}")
    );
    assert_eq!(step(&action, "Check")["id"].as_str(), Some("check"));
}

struct Ran {
    code: i32,
    outputs: String,
    sarif: Option<serde_json::Value>,
}

/// Runs the script of step `name` in `dir` with `env`, the test binary
/// first on `PATH`.
fn run_step(name: &str, dir: &Path, env: &[(&str, &str)]) -> Ran {
    let script = step(&action(), name)["run"]
        .as_str()
        .expect("a script")
        .to_string();
    let temp = dir.join("runner-temp");
    std::fs::create_dir_all(&temp).unwrap();
    let outputs = temp.join("github-output");
    let _ = std::fs::remove_file(&outputs);
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_ecsc"));
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let status = Command::new("bash")
        .args(["-e", "-c", &script])
        .current_dir(dir)
        .env("PATH", path)
        .env("RUNNER_TEMP", &temp)
        .env("GITHUB_OUTPUT", &outputs)
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .status()
        .expect("bash runs");
    let sarif = std::fs::read_to_string(temp.join("ecsc.sarif"))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok());
    Ran {
        code: status.code().unwrap_or(-1),
        outputs: std::fs::read_to_string(&outputs).unwrap_or_default(),
        sarif,
    }
}

fn repository(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("action")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    for (file, text) in files {
        let path = dir.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

const GOOD: &str = "stack app { region = \"eu-west-1\" }\nvpc main { cidr = 10.0.0.0/16 }\n";
const BAD: &str = "stack app { region = \"eu-west-1\" }\nvpc main { cidr = 10.0.0.0/40 }\n";

#[test]
fn the_check_step_writes_sarif_and_the_last_step_fails_on_findings() {
    let repo = repository(
        "two_stacks",
        &[("infra/good/app.ecs", GOOD), ("infra/bad/app.ecs", BAD)],
    );
    // A clean stack: exit code 0, a SARIF report without results.
    let good = run_step(
        "Check",
        &repo,
        &[
            ("ECSC_PATHS", "infra/good"),
            ("ECSC_DENY_WARNINGS", "false"),
        ],
    );
    assert_eq!(good.code, 0);
    assert!(good.outputs.contains("exit-code=0"), "{}", good.outputs);
    let sarif = good.sarif.expect("a SARIF report");
    assert_eq!(sarif["version"], "2.1.0");
    // Both stacks, on two lines: the bad one's error is a result,
    // and the step itself passes so that the upload runs.
    let both = run_step(
        "Check",
        &repo,
        &[
            ("ECSC_PATHS", "infra/good\n  infra/bad\n"),
            ("ECSC_DENY_WARNINGS", "true"),
        ],
    );
    assert_eq!(both.code, 0);
    assert!(both.outputs.contains("exit-code=1"), "{}", both.outputs);
    let results = &both.sarif.expect("a SARIF report")["runs"][0]["results"];
    assert!(
        results
            .as_array()
            .is_some_and(|r| r.iter().any(|r| r["ruleId"].as_str().is_some())),
        "{results}"
    );
    assert_eq!(
        run_step("Fail on findings", &repo, &[("ECSC_EXIT_CODE", "1")]).code,
        1
    );
    assert_eq!(
        run_step("Fail on findings", &repo, &[("ECSC_EXIT_CODE", "0")]).code,
        0
    );
    // No path: the repository's root, searched for stacks (both).
    let root = run_step(
        "Check",
        &repo,
        &[("ECSC_PATHS", ""), ("ECSC_DENY_WARNINGS", "false")],
    );
    assert!(root.outputs.contains("exit-code=1"), "{}", root.outputs);
    // A path that does not exist fails the step itself (exit code 2).
    let missing = run_step(
        "Check",
        &repo,
        &[("ECSC_PATHS", "nowhere"), ("ECSC_DENY_WARNINGS", "false")],
    );
    assert_eq!(missing.code, 2);
    assert!(
        missing.outputs.contains("exit-code=2"),
        "{}",
        missing.outputs
    );
}
