//! Whatever text a user string holds, the output keeps it text: a
//! deterministic generator puts strings over a hostile alphabet (`$`, `{`,
//! `%`, `!`, quotes, backslashes, controls, NEL, U+2028, U+FFFE, emoji...)
//! into every string slot a stack offers, and checks that
//! - the YAML template parses back equal to the JSON one;
//! - every `Fn::Sub` names only variables the template has (resources,
//!   parameters, pseudo parameters) and its literal text, un-escaped,
//!   holds the user's string;
//! - every Terraform string, read as a template, interpolates only
//!   references the configuration makes, and its literal text holds the
//!   user's string.

use serde_json::Value;
use std::collections::BTreeSet;

/// The hostile alphabet: template sequences, quoting, YAML's forbidden and
/// folded characters, and some ordinary text.
const ALPHABET: &[&str] = &[
    "$",
    "{",
    "}",
    "%",
    "!",
    "\"",
    "\\",
    "'",
    ":",
    "#",
    " ",
    "-",
    "a",
    "Z",
    "0",
    "${",
    "%{",
    "${!",
    "$${",
    "%%{",
    "${AWS::Region}",
    "${aws_vpc.main.id}",
    "\t",
    "\n",
    "\u{0}",
    "\u{1}",
    "\u{1b}",
    "\u{7f}",
    "\u{80}",
    "\u{85}",
    "\u{9f}",
    "\u{a0}",
    "\u{2028}",
    "\u{2029}",
    "\u{feff}",
    "\u{fffe}",
    "\u{ffff}",
    "é",
    "😀",
    "\u{10ffff}",
    "- ",
    ": ",
    " #",
    "&",
    "*",
    "|",
    ">",
    "@",
    "`",
];

/// A small deterministic generator (xorshift64*), so a failure reproduces.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).unwrap_or(0)
    }

    /// A string of 1–12 pieces of the alphabet, starting with a mark that
    /// makes it unique (so it can be found in the output).
    fn string(&mut self, mark: usize) -> String {
        let mut s = format!("m{mark}_");
        for _ in 0..=self.below(12) {
            s.push_str(ALPHABET[self.below(ALPHABET.len())]);
        }
        s
    }
}

/// A string as an `.ecs` literal (no interpolation: `$` is written `\$`).
fn ecs_literal(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '$' => out.push_str("\\$"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// One stack with a generated string in every free-text slot; returns the
/// source and the texts that must be found in the output (U+E001 where the
/// deploying account is interpolated next to a string).
fn stack(g: &mut Gen) -> (String, Vec<String>) {
    let mut planted = Vec::new();
    let mut next = |g: &mut Gen| {
        let s = g.string(planted.len());
        planted.push(s.clone());
        ecs_literal(&s)
    };
    let (tag_key, tag_value, description) = (next(g), next(g), next(g));
    let (env_plain, env_account) = (next(g), next(g));
    let (command, entrypoint, working_dir, user) = (next(g), next(g), next(g), next(g));
    let (health, label_key, secret_key) = (next(g), next(g), next(g));
    // Text right before an interpolation, often ending in `$`.
    let mut before = g.string(planted.len());
    if g.below(2) == 0 {
        before.push('$');
    }
    let before_literal = ecs_literal(&before);
    planted.push(format!("{before}\u{E001}"));
    // Text right after one.
    let account_tail = &env_account[1..env_account.len() - 1];
    planted[4] = format!("\u{E001}|{}", planted[4]);
    let source = format!(
        r#"
stack fuzz {{
  region = "eu-west-1"
  description = {description}
  tags = {{ {tag_key} = {tag_value} }}
}}
vpc main {{ cidr = 10.0.0.0/16 }}
subnet a {{ vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }}
security_group sg {{ vpc = main  egress all to 0.0.0.0/0 }}
cluster c {{ }}
task t {{
  cpu = 256  memory = 512
  container app {{
    image = "${{aws.account}}.dkr.ecr.${{aws.region}}.amazonaws.com/app:1"
    env = {{ PLAIN = {env_plain}, {label_key} = "x", ACCOUNT = "${{aws.account}}|{account_tail}",
            BEFORE = "{before_tail}${{aws.account}}" }}
    command = [{command}]
    entrypoint = [{entrypoint}]
    working_dir = {working_dir}
    user = {user}
    health {{ command = {health} }}
    secret API from secretsmanager "api" key {secret_key}
  }}
}}
service s {{
  cluster = c  task = t
  network {{ subnets = [a]  security_groups = [sg]  public_ip = true }}
}}
"#,
        before_tail = &before_literal[1..before_literal.len() - 1],
    );
    (source, planted)
}

/// A YAML value as JSON, short-form intrinsics in their long form.
fn yaml_as_json(v: serde_yaml::Value) -> Value {
    use serde_yaml::Value as Y;
    match v {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => serde_json::to_value(n).unwrap(),
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(items.into_iter().map(yaml_as_json).collect()),
        Y::Mapping(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| {
                    (
                        k.as_str().expect("string keys").to_string(),
                        yaml_as_json(v),
                    )
                })
                .collect(),
        ),
        Y::Tagged(t) => {
            let inner = yaml_as_json(t.value);
            let tag = t.tag.to_string();
            match tag.trim_start_matches('!') {
                "Ref" => serde_json::json!({ "Ref": inner }),
                "Sub" => serde_json::json!({ "Fn::Sub": inner }),
                "GetAtt" => {
                    let s = inner.as_str().expect("GetAtt of a string");
                    let (id, attr) = s.split_once('.').expect("Id.Attr");
                    serde_json::json!({ "Fn::GetAtt": [id, attr] })
                }
                other => panic!("unexpected tag !{other}"),
            }
        }
    }
}

/// An `Fn::Sub` string read as CloudFormation reads it: literal text
/// (`${!` is a literal `${`) with each variable as U+E001, and the names.
fn read_sub(s: &str) -> (String, Vec<String>) {
    let (mut text, mut vars) = (String::new(), Vec::new());
    let mut rest = s;
    while let Some(at) = rest.find("${") {
        text.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        if let Some(lit) = after.strip_prefix('!') {
            text.push_str("${");
            rest = lit;
            continue;
        }
        let end = after.find('}').expect("a closed ${");
        vars.push(after[..end].to_string());
        text.push('\u{E001}');
        rest = &after[end + 1..];
    }
    text.push_str(rest);
    (text, vars)
}

/// Every string in a JSON tree, keys included.
fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|i| strings(i, out)),
        Value::Object(m) => m.iter().for_each(|(k, v)| {
            out.push(k.clone());
            strings(v, out);
        }),
        _ => {}
    }
}

/// The CloudFormation texts: plain strings as they are, `Fn::Sub` strings
/// read, after checking their variables exist.
fn cloudformation_texts(t: &Value) -> Vec<String> {
    let mut known: BTreeSet<String> = [
        "AWS::AccountId",
        "AWS::Region",
        "AWS::Partition",
        "AWS::StackName",
        "AWS::URLSuffix",
    ]
    .map(String::from)
    .into();
    for section in ["Resources", "Parameters"] {
        if let Some(m) = t[section].as_object() {
            known.extend(m.keys().cloned());
        }
    }
    let mut texts = Vec::new();
    fn walk(v: &Value, known: &BTreeSet<String>, texts: &mut Vec<String>) {
        match v {
            Value::Object(m) if m.len() == 1 && m.contains_key("Fn::Sub") => {
                let s = m["Fn::Sub"].as_str().expect("Fn::Sub of a string");
                let (text, vars) = read_sub(s);
                for var in vars {
                    let base = var.split('.').next().unwrap_or_default();
                    assert!(
                        known.contains(base),
                        "Fn::Sub {s:?} names `{var}`, which the template lacks"
                    );
                }
                texts.push(text);
            }
            Value::String(s) => texts.push(s.clone()),
            Value::Array(items) => items.iter().for_each(|i| walk(i, known, texts)),
            Value::Object(m) => m.iter().for_each(|(k, v)| {
                texts.push(k.clone());
                walk(v, known, texts);
            }),
            _ => {}
        }
    }
    walk(t, &known, &mut texts);
    texts
}

/// A Terraform template evaluated as Terraform's scanner reads it: `$${`
/// and `%%{` are literal, `${...}` interpolations become U+E001 (their
/// expressions returned), `%{...}` directives are returned and vanish.
fn read_template(s: &str) -> (String, Vec<String>) {
    let chars: Vec<char> = s.chars().collect();
    let (mut text, mut exprs) = (String::new(), Vec::new());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if matches!(c, '$' | '%') && chars.get(i + 1) == Some(&c) && chars.get(i + 2) == Some(&'{')
        {
            text.push(c);
            text.push('{');
            i += 3;
        } else if matches!(c, '$' | '%') && chars.get(i + 1) == Some(&'{') {
            let (mut depth, mut j, mut quoted) = (1, i + 2, false);
            while j < chars.len() && depth > 0 {
                match chars[j] {
                    '\\' if quoted => j += 1,
                    '"' => quoted = !quoted,
                    '{' if !quoted => depth += 1,
                    '}' if !quoted => depth -= 1,
                    _ => {}
                }
                j += 1;
            }
            assert_eq!(depth, 0, "unterminated template sequence in {s:?}");
            let expr: String = chars[i + 2..j - 1].iter().collect();
            if c == '$' {
                text.push('\u{E001}');
            }
            exprs.push(expr);
            i = j;
        } else {
            text.push(c);
            i += 1;
        }
    }
    (text, exprs)
}

/// The Terraform texts: every string read as a template, after checking
/// that each interpolation is a reference the configuration makes (or one
/// of the functions ecsc writes) and each directive the empty one; JSON
/// documents are read again inside.
fn terraform_texts(c: &Value) -> Vec<String> {
    let mut addresses: BTreeSet<String> = BTreeSet::new();
    for (section, prefix) in [("resource", ""), ("data", "data.")] {
        if let Some(types) = c[section].as_object() {
            for (ty, named) in types {
                for name in named.as_object().into_iter().flat_map(|m| m.keys()) {
                    addresses.insert(format!("{prefix}{ty}.{name}"));
                }
            }
        }
    }
    if let Some(vars) = c["variable"].as_object() {
        addresses.extend(vars.keys().map(|v| format!("var.{v}")));
    }
    let mut all = Vec::new();
    strings(c, &mut all);
    let mut texts = Vec::new();
    for s in all {
        let (text, exprs) = read_template(&s);
        for e in exprs {
            let e = e.trim();
            if e == "if true" || e == "endif" {
                continue;
            }
            let known = e.starts_with("join(")
                || e.starts_with("base64encode(")
                || addresses.iter().any(|a| {
                    e.strip_prefix(a.as_str())
                        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
                });
            assert!(
                known,
                "template {s:?} interpolates `{e}`, not a reference of the configuration"
            );
        }
        // A JSON document (a policy, container definitions): its strings,
        // read once already as parts of the template.
        if let Ok(doc @ (Value::Object(_) | Value::Array(_))) = serde_json::from_str::<Value>(&text)
        {
            strings(&doc, &mut texts);
        }
        texts.push(text);
    }
    texts
}

/// JSON output writes what YAML forbids or folds as `\u` escapes (tools
/// such as cfn-lint read JSON templates with a YAML parser).
fn assert_no_raw_yaml_forbidden(json: &str, round: usize) {
    let bad = json.chars().find(|c| {
        matches!(c, '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
            || matches!(
                c,
                '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
            )
    });
    assert_eq!(bad, None, "round {round}: raw character in the JSON output");
}

#[test]
fn user_strings_stay_text_in_every_output() {
    let mut g = Gen(0x9E37_79B9_7F4A_7C15);
    let mut compiled = 0;
    for round in 0..60 {
        let (source, planted) = stack(&mut g);
        let mut sources = ecsc::source::Sources::new();
        sources.add(format!("fuzz{round}.ecs"), source.clone());
        let result = ecsc::compile(&sources, &[]).expect("no usage error");
        let Some(plan) = result.plan else {
            let errors: Vec<_> = result
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .map(|d| format!("{}: {}", d.code, d.message))
                .collect();
            panic!("round {round} does not compile: {errors:?}\n{source}");
        };
        compiled += 1;

        let template = ecsc::emit::cloudformation::template(&plan);
        let json_text = template.clone().to_json();
        assert_no_raw_yaml_forbidden(&json_text, round);
        let json: Value = serde_json::from_str(&json_text).unwrap();
        let yaml = template.to_yaml();
        let back: serde_yaml::Value = serde_yaml::from_str(&yaml)
            .unwrap_or_else(|e| panic!("round {round}: the YAML does not parse: {e}\n{yaml}"));
        assert_eq!(
            yaml_as_json(back),
            json,
            "round {round}: YAML and JSON differ"
        );
        let texts = cloudformation_texts(&json);
        for s in &planted {
            assert!(
                texts.iter().any(|t| t.contains(s.as_str())),
                "round {round}: CloudFormation lost {s:?}"
            );
        }

        let config_text = ecsc::emit::terraform::configuration(&plan).to_json();
        assert_no_raw_yaml_forbidden(&config_text, round);
        let config: Value = serde_json::from_str(&config_text).unwrap();
        let texts = terraform_texts(&config);
        // The stack's description is CloudFormation's alone.
        for s in planted.iter().filter(|s| !s.starts_with("m2_")) {
            assert!(
                texts.iter().any(|t| t.contains(s.as_str())),
                "round {round}: Terraform lost {s:?}"
            );
        }
    }
    assert_eq!(compiled, 60);
}
