//! Machine-readable reports: ecsc's JSON (documented in docs/check-json.md)
//! and SARIF 2.1.0 for code scanning.

use crate::diagnostic::{Diagnostic, Label};
use crate::source::Sources;
use serde_json::{json, Value};

fn location(l: &Label, sources: &Sources) -> Value {
    let (line, column) = sources.line_col(l.span);
    let (end_line, end_column) = sources.end_line_col(l.span);
    json!({
        "file": sources.get(l.span.file).name,
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
    })
}

/// The diagnostics of one stack, with the sources they point into.
pub type Report<'a> = (&'a [Diagnostic], &'a Sources);

/// `{"version": 1, "diagnostics": [...], "summary": {...}}`, for one or
/// several stacks.
pub fn json(reports: &[Report<'_>]) -> String {
    let items: Vec<Value> = reports
        .iter()
        .flat_map(|(diags, sources)| diags.iter().map(move |d| (d, *sources)))
        .map(|(d, sources)| {
            let mut v = location(&d.primary, sources);
            v["code"] = json!(d.code);
            v["severity"] = json!(d.severity.as_str());
            v["message"] = json!(d.message);
            v["label"] = json!(d.primary.message);
            v["help"] = json!(d.help);
            v["related"] = Value::Array(
                d.secondary
                    .iter()
                    .map(|l| {
                        let mut r = location(l, sources);
                        r["message"] = json!(l.message);
                        r
                    })
                    .collect(),
            );
            v
        })
        .collect();
    let count = |s: crate::diagnostic::Severity| {
        reports
            .iter()
            .flat_map(|(diags, _)| diags.iter())
            .filter(|d| d.severity == s)
            .count()
    };
    use crate::diagnostic::Severity;
    let out = json!({
        "version": 1,
        "diagnostics": items,
        "summary": {
            "errors": count(Severity::Error),
            "warnings": count(Severity::Warning),
            "notes": count(Severity::Note),
        },
    });
    serde_json::to_string_pretty(&out).unwrap_or_default() + "\n"
}

fn region(l: &Label, sources: &Sources) -> Value {
    let (line, column) = sources.line_col(l.span);
    let (end_line, end_column) = sources.end_line_col(l.span);
    json!({
        "artifactLocation": { "uri": sources.get(l.span.file).name.replace('\\', "/") },
        "region": {
            "startLine": line,
            "startColumn": column,
            "endLine": end_line,
            "endColumn": end_column,
        }
    })
}

/// SARIF 2.1.0 with every rule's metadata and help, for one or several
/// stacks.
pub fn sarif(reports: &[Report<'_>]) -> String {
    let mut rules: Vec<Value> = crate::rules::language::LANGUAGE
        .iter()
        .map(|(code, name, summary)| {
            json!({
                "id": code,
                "name": name,
                "shortDescription": { "text": summary },
                "defaultConfiguration": { "level": if code.starts_with('E') { "error" } else { "warning" } },
            })
        })
        .collect();
    rules.extend(crate::rules::all().into_iter().map(|r| {
        json!({
            "id": r.code,
            "name": r.name,
            "shortDescription": { "text": r.summary },
            "fullDescription": { "text": r.why },
            "help": { "text": r.why, "markdown": r.markdown() },
            "defaultConfiguration": { "level": r.severity.as_str() },
        })
    }));
    let results: Vec<Value> = reports
        .iter()
        .flat_map(|(diags, sources)| diags.iter().map(move |d| (d, *sources)))
        .map(|(d, sources)| {
            let text = match &d.help {
                Some(h) => format!("{} Help: {h}", d.message),
                None => d.message.clone(),
            };
            json!({
                "ruleId": d.code,
                "level": d.severity.as_str(),
                "message": { "text": text },
                "locations": [ { "physicalLocation": region(&d.primary, sources) } ],
                "relatedLocations": d.secondary.iter().enumerate().map(|(i, l)| json!({
                    "id": i + 1,
                    "physicalLocation": region(l, sources),
                    "message": { "text": l.message },
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let out = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "ecsc",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "results": results,
        }],
    });
    serde_json::to_string_pretty(&out).unwrap_or_default() + "\n"
}
