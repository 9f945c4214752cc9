//! The TextMate grammar of `editors/vscode` on every example, run by a
//! small engine of TextMate's rules (match, begin/end, include, captures;
//! the earliest match wins, ties to the first rule): every character
//! outside whitespace gets a scope, and each kind of token the one it
//! should.

mod common;

use regex::Regex;
use serde_json::Value;
use std::collections::BTreeMap;

enum Rule {
    Match {
        re: Regex,
        name: Option<String>,
        captures: BTreeMap<usize, String>,
    },
    Region {
        begin: Regex,
        end: Regex,
        name: Option<String>,
        inner: Vec<Rule>,
    },
}

fn grammar() -> Value {
    let path = common::manifest_dir().join("editors/vscode/syntaxes/ecs.tmLanguage.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The rules of a `patterns` list, includes resolved.
fn rules(patterns: &Value, repo: &Value) -> Vec<Rule> {
    let mut out = Vec::new();
    for p in patterns.as_array().into_iter().flatten() {
        if let Some(inc) = p["include"].as_str() {
            let key = inc.trim_start_matches('#');
            let target = &repo[key];
            assert!(!target.is_null(), "include {inc} is not in the repository");
            if target.get("patterns").is_some() && target.get("begin").is_none() {
                out.extend(rules(&target["patterns"], repo));
            } else {
                out.extend(rules(&Value::Array(vec![target.clone()]), repo));
            }
            continue;
        }
        let name = p["name"].as_str().map(str::to_string);
        if let Some(m) = p["match"].as_str() {
            let captures = p["captures"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(k, v)| (k.parse().unwrap(), v["name"].as_str().unwrap().to_string()))
                .collect();
            out.push(Rule::Match {
                re: Regex::new(m).unwrap_or_else(|e| panic!("{m}: {e}")),
                name,
                captures,
            });
        } else if let Some(b) = p["begin"].as_str() {
            out.push(Rule::Region {
                begin: Regex::new(b).unwrap(),
                end: Regex::new(p["end"].as_str().unwrap()).unwrap(),
                name,
                inner: rules(&p["patterns"], repo),
            });
        } else if p.get("patterns").is_some() {
            out.extend(rules(&p["patterns"], repo));
        }
    }
    out
}

/// Scopes every byte of `line`; `None` where no rule matched.
fn tokenize(line: &str, top: &[Rule]) -> Vec<Vec<String>> {
    let mut scopes = vec![Vec::<String>::new(); line.len()];
    let set = |scopes: &mut Vec<Vec<String>>, from: usize, to: usize, name: &str| {
        for s in &mut scopes[from..to] {
            s.push(name.to_string());
        }
    };
    let earliest = |rules: &[Rule], at: usize| -> Option<(usize, usize)> {
        let mut best: Option<(usize, usize)> = None;
        for (i, r) in rules.iter().enumerate() {
            let re = match r {
                Rule::Match { re, .. } => re,
                Rule::Region { begin, .. } => begin,
            };
            if let Some(m) = re.find_at(line, at) {
                if best.is_none_or(|(start, _)| m.start() < start) {
                    best = Some((m.start(), i));
                }
            }
        }
        best
    };
    let mut at = 0;
    while at < line.len() {
        let Some((_, i)) = earliest(top, at) else {
            break;
        };
        match &top[i] {
            Rule::Match { re, name, captures } => {
                at = apply(line, at, re, name, captures, &mut scopes);
            }
            Rule::Region {
                begin,
                end,
                name,
                inner,
            } => {
                let b = begin.find_at(line, at).unwrap();
                let mut pos = b.end();
                let stop = loop {
                    let e = end
                        .find_at(line, pos)
                        .map_or((line.len(), line.len()), |m| (m.start(), m.end()));
                    match earliest(inner, pos) {
                        Some((s, j)) if s < e.0 => {
                            if let Rule::Match { re, name, captures } = &inner[j] {
                                pos = apply(line, pos, re, name, captures, &mut scopes);
                            }
                        }
                        _ => break e.1,
                    }
                };
                if let Some(n) = name {
                    set(&mut scopes, b.start(), stop, n);
                }
                at = stop.max(at + 1);
            }
        }
    }
    scopes
}

/// A match rule at `at`: its name over the match, each capture's over the
/// group; returns where scanning goes on.
fn apply(
    line: &str,
    at: usize,
    re: &Regex,
    name: &Option<String>,
    captures: &BTreeMap<usize, String>,
    scopes: &mut [Vec<String>],
) -> usize {
    let mut set = |from: usize, to: usize, n: &str| {
        for s in &mut scopes[from..to] {
            s.push(n.to_string());
        }
    };
    let c = re.captures_at(line, at).unwrap();
    let whole = c.get(0).unwrap();
    if let Some(n) = name {
        set(whole.start(), whole.end(), n);
    }
    for (g, n) in captures {
        if let Some(m) = c.get(*g) {
            set(m.start(), m.end(), n);
        }
    }
    whole.end().max(at + 1)
}

fn top_rules() -> Vec<Rule> {
    let g = grammar();
    rules(&g["patterns"], &g["repository"])
}

#[test]
fn every_character_of_every_example_has_a_scope() {
    let top = top_rules();
    let mut lines = 0;
    for f in common::examples() {
        let text = std::fs::read_to_string(&f).unwrap();
        for (n, line) in text.lines().enumerate() {
            let scopes = tokenize(line, &top);
            for (i, c) in line.char_indices() {
                if !c.is_whitespace() {
                    assert!(
                        !scopes[i].is_empty(),
                        "{}:{}:{}: `{c}` has no scope in `{line}`",
                        f.display(),
                        n + 1,
                        i + 1
                    );
                }
            }
            lines += 1;
        }
    }
    assert!(lines > 500, "only {lines} lines");
}

/// The scopes at the first byte of `needle` in `line`.
fn scope_of(line: &str, needle: &str) -> Vec<String> {
    let at = line
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in {line}"));
    tokenize(line, &top_rules())[at].clone()
}

#[test]
fn each_kind_of_token_gets_its_scope() {
    let has = |line: &str, needle: &str, scope: &str| {
        let scopes = scope_of(line, needle);
        assert!(
            scopes.iter().any(|s| s.starts_with(scope)),
            "`{needle}` in `{line}`: {scopes:?}, not {scope}"
        );
    };
    has(
        "# a comment with \"quotes\" and vpc x {",
        "quotes",
        "comment.line",
    );
    has(
        "vpc main { cidr = 10.0.0.0/16 }  # the VPC",
        "vpc",
        "keyword.other.block",
    );
    has("vpc main { cidr = 10.0.0.0/16 }", "main", "entity.name");
    has(
        "vpc main { cidr = 10.0.0.0/16 }",
        "cidr",
        "variable.other.property",
    );
    has(
        "vpc main { cidr = 10.0.0.0/16 }",
        "10.0",
        "constant.numeric.cidr",
    );
    has(
        "  image = \"nginx:${tag}\"  # pinned",
        "nginx",
        "string.quoted.double",
    );
    has(
        "  image = \"nginx:${tag}\"  # pinned",
        "tag",
        "variable.other",
    );
    has(
        "  image = \"nginx:${tag}\"  # pinned",
        "${",
        "meta.interpolation",
    );
    has(
        "  image = \"nginx:${tag}\"  # pinned",
        "# pinned",
        "comment.line",
    );
    has(
        "  env = { A = \"say \\\"hi\\\"\" }",
        "\\\"",
        "constant.character.escape",
    );
    has(
        "  ingress tcp 443 from alb_sg",
        "ingress",
        "keyword.control",
    );
    has(
        "  route web:443 { path = \"/api/*\" }",
        "route",
        "keyword.control",
    );
    has("param replicas = 2", "param", "keyword.other.param");
    has(
        "param replicas = 2",
        "replicas",
        "variable.other.definition",
    );
    has("  memory = 512MiB", "512MiB", "constant.numeric.unit");
    has("  cpu = 60%", "60%", "constant.numeric.percent");
    has("  public = true", "true", "constant.language.boolean");
    // A `#` inside a string is not a comment.
    let inside = scope_of("  path = \"/a#b\"", "#b");
    assert!(
        inside.iter().all(|s| !s.starts_with("comment")),
        "{inside:?}"
    );
}

#[test]
fn the_extension_contributes_the_grammar_for_ecs_files() {
    let dir = common::manifest_dir().join("editors/vscode");
    let pkg: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("package.json")).unwrap()).unwrap();
    let lang = &pkg["contributes"]["languages"][0];
    assert_eq!(lang["extensions"][0], ".ecs");
    let grammar = &pkg["contributes"]["grammars"][0];
    assert_eq!(grammar["scopeName"], grammar_scope());
    let path = dir.join(grammar["path"].as_str().unwrap());
    assert!(path.is_file(), "{}", path.display());
    let config = dir.join(lang["configuration"].as_str().unwrap());
    let config: Value = serde_json::from_str(&std::fs::read_to_string(config).unwrap()).unwrap();
    assert_eq!(config["comments"]["lineComment"], "#");
    // It starts the language server.
    let main = std::fs::read_to_string(dir.join(pkg["main"].as_str().unwrap())).unwrap();
    assert!(main.contains("args: [\"lsp\"]"), "{main}");
    assert_eq!(pkg["activationEvents"][0], "onLanguage:ecs");
}

fn grammar_scope() -> String {
    grammar()["scopeName"].as_str().unwrap().to_string()
}
