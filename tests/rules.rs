//! Every rule on its own documentation: the bad example raises it at the
//! flagged text (and the report is snapshotted), the good example does not.
//! Also: the registry lists every rule file once, and docs/rules.md is
//! current.

use ecsc::rules::{self, Rule};
use ecsc::source::Sources;

fn compile(text: &str) -> (ecsc::Compilation, Sources) {
    let mut sources = Sources::new();
    sources.add("example.ecs", text);
    (
        ecsc::compile(&sources, &[]).expect("no usage error"),
        sources,
    )
}

fn check_rule(rule: &Rule) -> Vec<String> {
    let mut problems = Vec::new();
    let (bad, sources) = compile(rule.bad);
    let hits: Vec<_> = bad
        .diagnostics
        .iter()
        .filter(|d| d.code == rule.code)
        .cloned()
        .collect();
    let at = rule
        .bad
        .match_indices(rule.flagged)
        .map(|(i, _)| i)
        .collect::<Vec<_>>();
    if at.len() != 1 {
        problems.push(format!(
            "{}: `flagged` must occur exactly once in `bad` (found {})",
            rule.code,
            at.len()
        ));
    }
    if hits.is_empty() {
        let all = ecsc::report::human_all(&bad.diagnostics, &sources, ecsc::report::Style::plain());
        problems.push(format!(
            "{}: the bad example does not raise it; it reports:\n{all}",
            rule.code
        ));
    }
    for d in &hits {
        let text = sources.text(d.primary.span);
        if at.first() != Some(&(d.primary.span.start as usize))
            || !rule.flagged.starts_with(text)
            || text.is_empty()
        {
            problems.push(format!(
                "{}: flags `{text}` at byte {}, expected the start of `{}` at {:?}",
                rule.code, d.primary.span.start, rule.flagged, at
            ));
        }
        if d.help.as_deref().unwrap_or("").is_empty() {
            problems.push(format!("{}: no help line", rule.code));
        }
        if d.severity != rule.severity {
            problems.push(format!("{}: reported with the wrong severity", rule.code));
        }
    }
    let mut only = ecsc::diagnostic::Diagnostics::new();
    hits.into_iter().for_each(|d| only.push(d));
    let rendered = ecsc::report::human_all(&only, &sources, ecsc::report::Style::plain());
    insta::with_settings!({
        snapshot_path => concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"),
        prepend_module_to_snapshot => false,
    }, {
        insta::assert_snapshot!(format!("rules__{}", rule.code), rendered);
    });
    let (good, sources) = compile(rule.good);
    if good
        .diagnostics
        .iter()
        .any(|d| d.code == rule.code || d.is_error())
    {
        let all =
            ecsc::report::human_all(&good.diagnostics, &sources, ecsc::report::Style::plain());
        problems.push(format!(
            "{}: the good example is not clean:\n{all}",
            rule.code
        ));
    }
    problems
}

#[test]
fn every_rule_fires_on_its_bad_example_and_not_on_its_good_one() {
    let problems: Vec<String> = rules::all().into_iter().flat_map(check_rule).collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn registry_is_complete_and_codes_are_unique() {
    let all = rules::all();
    let mut codes: Vec<&str> = all.iter().map(|r| r.code).collect();
    let mut names: Vec<&str> = all.iter().map(|r| r.name).collect();
    for r in &all {
        assert!(
            r.code.len() == 4
                && (r.code.starts_with('E') || r.code.starts_with('W'))
                && r.code[1..].chars().all(|c| c.is_ascii_digit()),
            "bad code {}",
            r.code
        );
        assert!(
            !r.code.starts_with("E00") && !r.code.starts_with("W00"),
            "{}: the 0x range is the language's",
            r.code
        );
        assert!(
            r.name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
            "bad name {}",
            r.name
        );
    }
    // The language's codes are not rules' codes.
    for (code, _, _) in ecsc::rules::language::LANGUAGE {
        assert!(
            !codes.contains(code),
            "{code} is both a language diagnostic and a rule"
        );
    }
    codes.sort();
    names.sort();
    let n = codes.len();
    codes.dedup();
    names.dedup();
    assert_eq!(codes.len(), n, "a code is used twice");
    assert_eq!(names.len(), n, "a name is used twice");
    // Every rule file is registered: files are named after their code.
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/rules");
    let mut files = Vec::new();
    for category in std::fs::read_dir(dir).unwrap() {
        let category = category.unwrap().path();
        if !category.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&category).unwrap() {
            let name = f.unwrap().file_name().to_string_lossy().into_owned();
            if name != "mod.rs" {
                files.push(name[..4].to_uppercase());
            }
        }
    }
    files.sort();
    assert_eq!(files, codes, "rule files and registered rules differ");
}

#[test]
fn rules_doc_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md");
    let generated = rules::catalogue();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(path, &generated).unwrap();
    }
    let on_disk = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        on_disk == generated,
        "docs/rules.md is stale: run `UPDATE_DOCS=1 cargo test --test rules`"
    );
}

/// Existing subnets have no block or zone here: the rules that need them
/// stay silent instead of guessing, and still judge the new subnets.
#[test]
fn rules_judge_only_what_existing_resources_state() {
    let silent = r#"stack s { region = "eu-west-1" }
vpc shared { id = "vpc-0a1b2c3d4e5f67890" }
subnet a { id = "subnet-0a1b2c3d4e5f67891"  vpc = shared }
subnet b { id = input  vpc = shared }
security_group lb_sg { vpc = shared  ingress tcp 80 from 0.0.0.0/0 }
security_group app_sg { vpc = shared  ingress tcp 80 from lb_sg }
endpoint logs { vpc = shared  service = "logs"  subnets = [a, b]  security_groups = [app_sg] }
load_balancer web { subnets = [a, b]  security_groups = [lb_sg]  listener http 80 { fixed_response { status = 404 } } }
cluster c {}
task t { cpu = 256  memory = 512  container app { image = "nginx:1.27"  port 80 } }
service api {
  cluster = c  task = t  count = 1
  network { subnets = [a, b]  security_groups = [app_sg] }
  route web:80 { path = "/*" }
}"#;
    let (compiled, sources) = compile(silent);
    assert!(
        compiled.diagnostics.is_empty(),
        "{}",
        ecsc::report::human_all(
            &compiled.diagnostics,
            &sources,
            ecsc::report::Style::plain()
        )
    );

    // What could not be checked is said, per rule, as notes.
    let mut noted: Vec<&str> = compiled
        .diagnostics
        .notes()
        .iter()
        .map(|d| d.code)
        .collect();
    noted.dedup();
    assert_eq!(
        noted,
        ["W010", "E017", "E016", "E020", "E018"],
        "notes: {noted:?}"
    );

    // What an existing VPC states is checked like a new one's settings.
    let stated = r#"stack s { region = "eu-west-1" }
vpc shared { id = input  dns_hostnames = false }
subnet a { id = input  vpc = shared }
security_group sg { id = input  vpc = shared }
endpoint logs { vpc = shared  service = "logs"  subnets = [a]  security_groups = [sg]  private_dns = true }"#;
    let (compiled, _) = compile(stated);
    let codes: Vec<&str> = compiled.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["E017"], "stated DNS setting not judged");

    // An existing cluster's container instances are its owners': not
    // warned about, noted.
    let on_existing = r#"stack s { region = "eu-west-1" }
cluster shared { id = "platform" }
task worker {
  launch = ec2
  network_mode = bridge
  container app { image = "busybox:1.36"  memory = 128 }
}
service worker { cluster = shared  task = worker }"#;
    let (compiled, _) = compile(on_existing);
    assert!(
        compiled.diagnostics.is_empty(),
        "{:?}",
        compiled.diagnostics
    );
    let noted: Vec<&str> = compiled
        .diagnostics
        .notes()
        .iter()
        .map(|d| d.code)
        .collect();
    assert_eq!(noted, ["W080"]);

    // New subnets of an existing VPC are still checked against each other,
    // and a load balancer whose subnets all state one zone still needs two.
    let judged = r#"stack s { region = "eu-west-1" }
vpc shared { id = input }
subnet a { vpc = shared  cidr = 10.0.240.0/24  zone = "a" }
subnet b { vpc = shared  cidr = 10.0.240.128/25  zone = "a" }
security_group lb_sg { vpc = shared  ingress tcp 80 from 0.0.0.0/0 }
load_balancer web { internal = true  subnets = [a, b]  security_groups = [lb_sg]  listener http 80 { fixed_response { status = 404 } } }"#;
    let (compiled, _) = compile(judged);
    let codes: Vec<&str> = compiled.diagnostics.iter().map(|d| d.code).collect();
    assert!(codes.contains(&"E011"), "overlap not reported: {codes:?}");
    assert!(
        codes.contains(&"E020"),
        "one-zone balancer not reported: {codes:?}"
    );
}
