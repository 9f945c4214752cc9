//! Every example's Terraform configuration (`main.tf.json`) is snapshotted
//! (`snapshots/terraform__<example>.snap`), is valid JSON of the expected
//! shape, and is byte-identical across compilations.

use ecsc::source::Sources;
use std::path::{Path, PathBuf};

fn examples() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    paths.retain(|p| p.extension().is_some_and(|x| x == "ecs"));
    paths.sort();
    paths
}

fn terraform(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut sources = Sources::new();
    sources.add_path(path.to_path_buf(), text);
    let compiled =
        ecsc::compile(&sources, &[]).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let plan = compiled
        .plan
        .unwrap_or_else(|| panic!("{} does not compile", path.display()));
    ecsc::emit::terraform::configuration(&plan).to_json()
}

#[test]
fn examples_match_snapshots() {
    let examples = examples();
    assert!(!examples.is_empty(), "no examples/*.ecs");
    for path in examples {
        let name = path
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let text = terraform(&path);
        insta::with_settings!({
            snapshot_path => concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"),
            prepend_module_to_snapshot => false,
        }, {
            insta::assert_snapshot!(format!("terraform__{name}"), text);
        });
    }
}

#[test]
fn output_is_json_of_the_terraform_shape() {
    for path in examples() {
        let text = terraform(&path);
        let v: serde_json::Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{}: not JSON: {e}", path.display()));
        let top: Vec<&str> = v
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default();
        for key in &top {
            assert!(
                [
                    "terraform",
                    "provider",
                    "variable",
                    "data",
                    "resource",
                    "output"
                ]
                .contains(key),
                "{}: unexpected top-level key {key}",
                path.display()
            );
        }
        assert_eq!(
            v["terraform"]["required_providers"]["aws"]["source"],
            "hashicorp/aws"
        );
        assert_eq!(
            v["terraform"]["required_providers"]["aws"]["version"],
            "~> 6.0"
        );
        assert!(
            v["terraform"].get("required_version").is_none(),
            "checkov cannot parse it"
        );
        let resources = v["resource"].as_object().expect("a resource object");
        let kinds: Vec<&String> = resources.keys().collect();
        let mut sorted = kinds.clone();
        sorted.sort();
        assert_eq!(
            kinds,
            sorted,
            "{}: resource types are sorted",
            path.display()
        );
        for (kind, named) in resources {
            let names: Vec<&String> = named.as_object().expect("names").keys().collect();
            let mut sorted = names.clone();
            sorted.sort();
            assert_eq!(names, sorted, "{}: {kind} names are sorted", path.display());
            for n in names {
                assert!(
                    n.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                        && n.chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'),
                    "{}: {kind}.{n} is not a valid Terraform name",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn output_is_identical_across_runs() {
    for path in examples() {
        assert_eq!(terraform(&path), terraform(&path), "{}", path.display());
    }
}
