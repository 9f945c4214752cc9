//! Every example compiles without errors or warnings, and its
//! CloudFormation output (JSON and YAML) is snapshotted. The YAML must read
//! back as the same document as the JSON.

mod common;

use ecsc::source::Sources;

fn compile(path: &std::path::Path) -> ecsc::plan::Plan {
    let mut sources = Sources::new();
    let text = std::fs::read_to_string(path).expect("example is readable");
    sources.add(path.file_name().unwrap().to_string_lossy(), text);
    let compiled = ecsc::compile(&sources, &[]).expect("no usage error");
    let rendered = ecsc::report::human_all(
        &compiled.diagnostics,
        &sources,
        ecsc::report::Style::plain(),
    );
    assert!(
        compiled.diagnostics.is_empty(),
        "{} has diagnostics:\n{rendered}",
        path.display()
    );
    compiled.plan.expect("a plan when there are no errors")
}

/// `!Ref X` → `{"Ref": "X"}` and the like, so YAML compares with JSON.
fn long_form(v: serde_yaml::Value) -> serde_json::Value {
    use serde_yaml::Value as Y;
    match v {
        Y::Tagged(t) => {
            let inner = long_form(t.value);
            let tag = t.tag.to_string();
            let tag = tag.trim_start_matches('!');
            match tag {
                "GetAtt" => {
                    let s = inner.as_str().unwrap_or_default().to_string();
                    let (a, b) = s.split_once('.').unwrap_or((&s, ""));
                    serde_json::json!({ "Fn::GetAtt": [a, b] })
                }
                "Ref" => serde_json::json!({ "Ref": inner }),
                other => serde_json::json!({ format!("Fn::{other}"): inner }),
            }
        }
        Y::Mapping(m) => serde_json::Value::Object(
            m.into_iter()
                .map(|(k, v)| (k.as_str().unwrap_or_default().to_string(), long_form(v)))
                .collect(),
        ),
        Y::Sequence(s) => serde_json::Value::Array(s.into_iter().map(long_form).collect()),
        other => serde_json::to_value(other).unwrap_or_default(),
    }
}

#[test]
fn examples_compile_and_match_snapshots() {
    let examples = common::examples();
    assert!(
        examples.len() >= 5,
        "expected the five examples, found {examples:?}"
    );
    for path in examples {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let plan = compile(&path);
        let template = ecsc::emit::cloudformation::template(&plan);
        let json = template.clone().to_json();
        let yaml = template.to_yaml();
        let from_json: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
        let from_yaml: serde_yaml::Value = serde_yaml::from_str(&yaml).expect("valid YAML");
        assert_eq!(
            long_form(from_yaml),
            from_json,
            "{name}: YAML and JSON differ"
        );
        insta::with_settings!({
            snapshot_path => concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"),
            prepend_module_to_snapshot => false,
        }, {
            insta::assert_snapshot!(format!("cloudformation__{name}.json"), json);
            insta::assert_snapshot!(format!("cloudformation__{name}.yaml"), yaml);
        });
    }
}

#[test]
fn every_example_opens_with_a_comment_saying_what_it_shows() {
    for path in common::examples() {
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with("# "),
            "{} must open with a comment",
            path.display()
        );
    }
}

#[test]
fn output_is_identical_across_runs() {
    for path in common::examples() {
        let a = ecsc::emit::cloudformation::template(&compile(&path)).to_json();
        let b = ecsc::emit::cloudformation::template(&compile(&path)).to_json();
        assert_eq!(a, b, "{}", path.display());
    }
}
