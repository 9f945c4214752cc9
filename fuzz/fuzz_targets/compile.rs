//! Any bytes as one `.ecs` file: parse → check → both emitters (and the
//! CloudFormation template split into nested stacks), and the
//! CloudFormation YAML reads back as the same document as the JSON; and
//! `ecsc fmt`: it never refuses a file that parses (its self-check), and
//! formatting twice changes nothing. A panic, an abort (stack overflow) or
//! a failed assertion is a crash.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The CLI refuses invalid UTF-8 before compiling.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match ecsc::syntax::format::format(text) {
        Ok(formatted) => {
            let again = ecsc::syntax::format::format(&formatted).expect("formatted text formats");
            assert_eq!(again, formatted, "formatting twice changed the text");
        }
        Err(ecsc::syntax::format::Refused::Internal(why)) => panic!("fmt refused: {why}"),
        Err(
            ecsc::syntax::format::Refused::Syntax(_) | ecsc::syntax::format::Refused::Layout(_),
        ) => {}
    }
    let mut sources = ecsc::source::Sources::new();
    sources.add("fuzz.ecs", text);
    let Ok(compiled) = ecsc::compile(&sources, &[]) else {
        return;
    };
    let style = ecsc::report::Style::plain();
    let _ = ecsc::report::human_all(&compiled.diagnostics, &sources, style);
    let reports = [(&compiled.diagnostics.clone().into_sorted()[..], &sources)];
    let _ = ecsc::report::machine::json(&reports);
    let Some(plan) = compiled.plan else {
        return;
    };
    let template = ecsc::emit::cloudformation::template(&plan);
    // The nested stacks `ecsc build --split` writes: each template parses.
    if let Ok(nested) = ecsc::emit::cloudformation::split::split(template.clone(), "json") {
        for child in nested.children {
            let _: serde_json::Value =
                serde_json::from_str(&child.template.to_json()).expect("a nested template parses");
        }
        let _: serde_json::Value =
            serde_json::from_str(&nested.parent.to_json()).expect("the parent parses");
    }
    let json = template.clone().to_json();
    let yaml = template.to_yaml();
    let from_json: serde_json::Value = serde_json::from_str(&json).expect("the JSON parses");
    let from_yaml: serde_yaml::Value = serde_yaml::from_str(&yaml).expect("the YAML parses");
    assert_eq!(long_form(from_yaml), from_json, "YAML and JSON differ");
    let terraform = ecsc::emit::terraform::configuration(&plan).to_json();
    let _: serde_json::Value = serde_json::from_str(&terraform).expect("Terraform JSON parses");
});

/// `!Ref X` → `{"Ref": "X"}` and the like, so YAML compares with JSON (as
/// in tests/examples.rs).
fn long_form(v: serde_yaml::Value) -> serde_json::Value {
    use serde_yaml::Value as Y;
    match v {
        Y::Tagged(t) => {
            let inner = long_form(t.value);
            let tag = t.tag.to_string();
            match tag.trim_start_matches('!') {
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
