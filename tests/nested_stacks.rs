//! Nested stacks (`ecsc build -o DIR`, `--split`): every example split on
//! request and the 1,000-service stack split because it must are checked
//! for closed references (each child reads only its own resources, its
//! parameters and pseudo parameters), for parameters passed exactly as the
//! children declare them, for outputs that exist, and for CloudFormation's
//! quotas; the partition is checked for stability. cfn-lint and moto run
//! on the same directories in tests/verify_cloudformation.rs.

mod common;

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

const BIN: &str = env!("CARGO_BIN_EXE_ecsc");

fn build_split(name: &str, src: &Path, extra: &[&str]) -> PathBuf {
    let dir = common::fresh_out_dir(&format!("nested-{name}"));
    let out = dir.join("stack");
    let mut args = vec!["build", src.to_str().unwrap(), "-o", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let run = common::ecsc_build(BIN, &args);
    assert!(run.status.success(), "{name}: {}", common::describe(&run));
    out
}

fn read(path: &Path) -> Value {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        text.len() <= 1_000_000,
        "{} is {} bytes",
        path.display(),
        text.len()
    );
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn keys(v: &Value, field: &str) -> BTreeSet<String> {
    v[field]
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

/// Every name a template reads: `Ref`, `Fn::GetAtt` and `${…}` of `Fn::Sub`.
fn reads(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(o) => {
            if let Some(Value::String(x)) = o.get("Ref") {
                out.push(x.clone());
            }
            if let Some(Value::Array(a)) = o.get("Fn::GetAtt") {
                if let Some(Value::String(x)) = a.first() {
                    out.push(x.clone());
                }
            }
            if let Some(Value::String(s)) = o.get("Fn::Sub") {
                let mut rest = s.as_str();
                while let Some(i) = rest.find("${") {
                    rest = &rest[i + 2..];
                    let end = rest.find('}').unwrap_or(rest.len());
                    let var = &rest[..end];
                    if !var.starts_with('!') {
                        out.push(var.split('.').next().unwrap_or(var).to_string());
                    }
                }
            }
            o.values().for_each(|x| reads(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| reads(x, out)),
        _ => {}
    }
}

/// Checks a split stack's directory; returns each child's file and its
/// resources' logical ids (a tier's groups as children of their own).
fn check_dir(dir: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let parent = read(&dir.join("template.json"));
    assert!(keys(&parent, "Parameters").len() <= 200);
    let mut children = BTreeMap::new();
    let mut seen = BTreeSet::new();
    check_stacks(dir, "template.json", &parent, &mut children, &mut seen);
    children
}

/// Checks a template of nested stacks (the parent, or a tier of groups)
/// and, through them, the templates they name.
fn check_stacks(
    dir: &Path,
    name: &str,
    stacks: &Value,
    children: &mut BTreeMap<String, BTreeSet<String>>,
    seen: &mut BTreeSet<String>,
) {
    assert!(keys(stacks, "Resources").len() <= 500, "{name}");
    assert!(keys(stacks, "Outputs").len() <= 200, "{name}");
    let mut outputs_of = BTreeMap::new();
    for (id, r) in stacks["Resources"].as_object().unwrap() {
        assert_eq!(r["Type"], "AWS::CloudFormation::Stack", "{name}: {id}");
        let file = r["Properties"]["TemplateURL"].as_str().unwrap();
        let child = read(&dir.join(file));
        let resources = keys(&child, "Resources");
        let parameters = keys(&child, "Parameters");
        assert!(!resources.is_empty(), "{file} is empty");
        assert!(
            resources.len() <= 500,
            "{file}: {} resources",
            resources.len()
        );
        assert!(
            parameters.len() <= 200,
            "{file}: {} parameters",
            parameters.len()
        );
        assert!(keys(&child, "Outputs").len() <= 200, "{file}");
        // What the parent passes is exactly what the child declares.
        let passed = keys(&r["Properties"], "Parameters");
        assert_eq!(passed, parameters, "{file}: parameters passed and declared");
        let mut names = Vec::new();
        reads(&child, &mut names);
        for name in names {
            assert!(
                resources.contains(&name)
                    || parameters.contains(&name)
                    || name.starts_with("AWS::"),
                "{file} reads {name}, which it neither holds nor is passed"
            );
        }
        outputs_of.insert(id.clone(), keys(&child, "Outputs"));
        if file.starts_with("services-tier-") {
            // A tier holds nested stacks only.
            check_stacks(dir, file, &child, children, seen);
            continue;
        }
        for id in &resources {
            assert!(seen.insert(id.clone()), "{id} is in two nested stacks");
        }
        children.insert(file.to_string(), resources);
    }
    // Every `Outputs.X` read is an output of that child.
    let check_output = |v: &Value| {
        if let Some(Value::Array(a)) = v.get("Fn::GetAtt") {
            let (stack, attr) = (a[0].as_str().unwrap(), a[1].as_str().unwrap());
            let out = attr
                .strip_prefix("Outputs.")
                .expect("a nested stack's output");
            assert!(
                outputs_of[stack].contains(out),
                "{name}: {stack} has no output {out}"
            );
        }
    };
    for r in stacks["Resources"].as_object().unwrap().values() {
        if let Some(p) = r["Properties"]["Parameters"].as_object() {
            p.values().for_each(check_output);
        }
    }
    if let Some(o) = stacks["Outputs"].as_object() {
        o.values().for_each(|o| check_output(&o["Value"]));
    }
}

#[test]
fn every_example_splits_into_closed_nested_stacks() {
    for (name, example, env) in common::builds() {
        let mut extra = vec!["--split"];
        if let Some(env) = &env {
            extra.extend(["--env", env.as_str()]);
        }
        let dir = build_split(&name, &example, &extra);
        let children = check_dir(&dir);
        // The split holds every resource the single template holds.
        let mut args = vec!["build", example.to_str().unwrap()];
        if let Some(env) = &env {
            args.extend(["--env", env.as_str()]);
        }
        let single = common::ecsc_build(BIN, &args);
        assert!(
            single.status.success(),
            "{name}: {}",
            common::describe(&single)
        );
        let single: Value = serde_json::from_slice(&single.stdout).unwrap();
        let all: BTreeSet<String> = children.values().flatten().cloned().collect();
        assert_eq!(all, keys(&single, "Resources"), "{name}");
        // Outputs the sources declare are the parent's.
        let parent = read(&dir.join("template.json"));
        for (id, o) in single["Outputs"].as_object().into_iter().flatten() {
            if o.get("Export").is_some() {
                assert_eq!(parent["Outputs"][id]["Export"], o["Export"], "{name}: {id}");
            }
        }
    }
}

/// Builds the stack of `n` scaled services, split without being asked (one
/// template cannot hold it), and checks its directory: every service is
/// in one nested stack. Returns the directory, the source's directory and
/// each child's resources.
fn split_scaled(n: usize) -> (PathBuf, PathBuf, BTreeMap<String, BTreeSet<String>>) {
    let case = common::fresh_out_dir(&format!("nested-{n}-src"));
    let src = case.join("stack.ecs");
    fs::write(&src, common::scaled::stack(n)).unwrap();
    let dir = build_split(&n.to_string(), &src, &[]);
    let children = check_dir(&dir);
    let services: usize = children
        .values()
        .map(|ids| ids.iter().filter(|id| id.ends_with("Service")).count())
        .sum();
    assert_eq!(services, n);
    (dir, case, children)
}

#[test]
fn a_thousand_services_split_within_every_quota() {
    let (_, _, children) = split_scaled(1000);
    assert!(children.len() > 10, "{} nested stacks", children.len());
}

#[test]
fn ten_thousand_services_split_through_tiers() {
    // More groups than the parent's 500 resources: they are held by tiers.
    let (dir, case, children) = split_scaled(10_000);
    let parent = read(&dir.join("template.json"));
    let tiers = keys(&parent, "Resources")
        .into_iter()
        .filter(|id| id.starts_with("ServicesTier"))
        .count();
    assert!(tiers > 16, "{tiers} tiers");
    assert!(children.len() > 500, "{} nested stacks", children.len());
    // Rebuilt from a smaller stack, the groups the tiers named are removed
    // with the tiers.
    let small = case.join("small.ecs");
    fs::write(&small, common::scaled::stack(100)).unwrap();
    let (d, s) = (dir.to_str().unwrap(), small.to_str().unwrap());
    let run = common::ecsc_build(BIN, &["build", s, "-o", d]);
    assert!(run.status.success(), "{}", common::describe(&run));
    let named = check_dir(&dir).len() + 1;
    assert_eq!(fs::read_dir(&dir).unwrap().count(), named);
}

#[test]
fn adding_a_service_moves_no_other_between_nested_stacks() {
    let case = common::fresh_out_dir("nested-stability-src");
    let mut moved_total = 0;
    let mut homes_before: Option<BTreeMap<String, String>> = None;
    for n in [300, 301] {
        let src = case.join(format!("stack{n}.ecs"));
        fs::write(&src, common::scaled::stack(n)).unwrap();
        let dir = build_split(&format!("stability-{n}"), &src, &[]);
        let homes: BTreeMap<String, String> = check_dir(&dir)
            .into_iter()
            .flat_map(|(file, ids)| ids.into_iter().map(move |id| (id, file.clone())))
            .collect();
        if let Some(before) = &homes_before {
            // Resources that changed file all came from one file: the group
            // the new service joined, halved if it grew past its threshold.
            let moved: BTreeSet<&String> = before
                .iter()
                .filter(|(id, file)| homes.get(*id) != Some(file))
                .map(|(_, file)| file)
                .collect();
            assert!(moved.len() <= 1, "resources moved out of {moved:?}");
            moved_total = before
                .iter()
                .filter(|(id, file)| homes.get(*id) != Some(file))
                .count();
            let new: Vec<_> = homes
                .keys()
                .filter(|id| !before.contains_key(*id))
                .collect();
            assert!(new.iter().any(|id| id.starts_with("Svc300")), "{new:?}");
        }
        homes_before = Some(homes);
    }
    println!("resources moved by adding a service: {moved_total}");
}

#[test]
fn split_needs_a_directory_and_cloudformation() {
    let example = common::examples()[0].to_string_lossy().into_owned();
    let run = common::ecsc_build(BIN, &["build", &example, "--split"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("give a directory with -o"));
    let dir = common::fresh_out_dir("nested-tf");
    let out = dir.join("tf");
    let run = common::ecsc_build(
        BIN,
        &[
            "build",
            &example,
            "--split",
            "--target",
            "terraform",
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("drop --split"));
    assert!(!out.exists());
    // A file where the directory would go is not replaced.
    let file = dir.join("file.json");
    fs::write(&file, "keep").unwrap();
    let run = common::ecsc_build(
        BIN,
        &["build", &example, "--split", "-o", file.to_str().unwrap()],
    );
    assert_eq!(run.status.code(), Some(2), "{}", common::describe(&run));
    assert!(String::from_utf8_lossy(&run.stderr).contains("is not a directory"));
    assert_eq!(fs::read_to_string(&file).unwrap(), "keep");
}

#[test]
fn a_split_stack_is_checked_for_drift_file_by_file() {
    let example = &common::examples()[0];
    let dir = build_split("drift", example, &["--split"]);
    let d = dir.to_str().unwrap();
    let ex = example.to_str().unwrap();
    let same = common::ecsc_build(BIN, &["build", ex, "--split", "-o", d, "--check"]);
    assert_eq!(same.status.code(), Some(0), "{}", common::describe(&same));
    fs::write(dir.join("template.json"), "{}\n").unwrap();
    let drift = common::ecsc_build(BIN, &["build", ex, "--split", "-o", d, "--check"]);
    assert_eq!(drift.status.code(), Some(1), "{}", common::describe(&drift));
    assert!(String::from_utf8_lossy(&drift.stderr).contains("template.json is out of date"));
}

#[test]
fn nested_templates_no_longer_named_are_removed_and_nothing_else() {
    let case = common::fresh_out_dir("nested-stale-src");
    let (big, small) = (case.join("big.ecs"), case.join("small.ecs"));
    fs::write(&big, common::scaled::stack(100)).unwrap();
    fs::write(&small, common::scaled::stack(2)).unwrap();
    let dir = build_split("stale", &big, &[]);
    let before = fs::read_dir(&dir).unwrap().count();
    assert!(before > 4, "{before} files");
    fs::write(dir.join("notes.txt"), "kept").unwrap();
    fs::write(dir.join("services-2.json"), "not a name ecsc gives").unwrap();
    let (d, s) = (dir.to_str().unwrap(), small.to_str().unwrap());
    let check = common::ecsc_build(BIN, &["build", s, "--split", "-o", d, "--check"]);
    assert_eq!(check.status.code(), Some(1), "{}", common::describe(&check));
    assert!(String::from_utf8_lossy(&check.stderr)
        .contains("is no longer one of the stack's nested templates"));
    assert_eq!(
        fs::read_dir(&dir).unwrap().count(),
        before + 2,
        "--check removed files"
    );
    let run = common::ecsc_build(BIN, &["build", s, "--split", "-o", d]);
    assert!(run.status.success(), "{}", common::describe(&run));
    let mut left: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(
        left,
        [
            "notes.txt",
            "services-2.json",
            "services.json",
            "shared.json",
            "template.json"
        ]
    );
    let again = common::ecsc_build(BIN, &["build", s, "--split", "-o", d, "--check"]);
    assert_eq!(again.status.code(), Some(0), "{}", common::describe(&again));
}

/// E095's messages, in order, with the model kept or (as `ecsc check` and
/// `ecsc build` do) freed before the template is laid out.
fn e095(
    sources: &ecsc::source::Sources,
    cfn: ecsc::rules::CloudFormation,
    keep: ecsc::Keep,
) -> Vec<String> {
    let compiled = ecsc::compile_for(sources, None, &[], cfn, keep).expect("no usage error");
    assert_eq!(compiled.model.is_some(), keep == ecsc::Keep::Model);
    if keep == ecsc::Keep::Layout {
        // A plan given to its layout comes back only when none was made.
        assert_eq!(compiled.plan.is_none(), compiled.cloudformation.is_some());
    }
    let d = &compiled.diagnostics;
    d.iter()
        .chain(&d.notes())
        .filter(|d| d.code == "E095")
        .map(|d| format!("{:?} {} {:?}", d.severity, d.message, d.help))
        .collect()
}

#[test]
fn check_counts_the_nested_stacks_as_build_lays_them_out() {
    // `ecsc check` splits a hollow template (names and sizes only); `ecsc
    // build` the whole one. Their E095 must say the same: split, into how
    // many nested stacks, or what cannot be held.
    let mut cases: Vec<(String, String)> = [50, 300, 1000]
        .into_iter()
        .map(|n| (format!("{n} services"), common::scaled::stack(n)))
        .collect();
    // 201 declared outputs: more than the parent can hold.
    let mut outputs = common::scaled::stack(300);
    for i in 0..201 {
        outputs.push_str(&format!(
            "output svc{i}_name {{ service = svc{i}  attribute = name }}\n"
        ));
    }
    cases.push(("201 outputs".into(), outputs));
    for (name, text) in cases {
        let mut sources = ecsc::source::Sources::new();
        sources.add(format!("{name}.ecs"), text);
        let check = e095(
            &sources,
            ecsc::rules::CloudFormation::Check,
            ecsc::Keep::Plan,
        );
        let build = e095(
            &sources,
            ecsc::rules::CloudFormation::Build,
            ecsc::Keep::Model,
        );
        // `ecsc build` in JSON gives the plan to the layout, which frees it.
        let given = e095(
            &sources,
            ecsc::rules::CloudFormation::Build,
            ecsc::Keep::Layout,
        );
        assert_eq!(given, build, "{name}");
        assert!(!check.is_empty(), "{name}: no E095");
        assert_eq!(check, build, "{name}");
        println!("{name}: {check:?}");
        // The hollow split holds every resource where the whole one does,
        // with the same parameters and outputs in every template.
        let Some(plan) = ecsc::compile(&sources, &[]).expect("no usage error").plan else {
            continue;
        };
        use ecsc::emit::cloudformation::split::{self, Layout};
        let shape = |l: Layout| -> Vec<String> {
            let Layout::Nested { split: Ok(n), .. } = l else {
                return Vec::new();
            };
            let keys = |t: &ecsc::emit::cloudformation::Template| {
                format!(
                    "{:?} {:?} {:?}",
                    t.resources.keys().collect::<Vec<_>>(),
                    t.parameters.keys().collect::<Vec<_>>(),
                    t.outputs.keys().collect::<Vec<_>>()
                )
            };
            let mut out = vec![keys(&n.parent)];
            out.extend(
                n.children
                    .iter()
                    .map(|c| format!("{} {} {}", c.id, c.file, keys(&c.template))),
            );
            out
        };
        let hollow = shape(split::measure(&plan));
        let whole = shape(split::layout(&plan, split::Format::Json, false));
        assert_eq!(hollow.len(), whole.len(), "{name}");
        for (h, w) in hollow.iter().zip(&whole) {
            assert_eq!(h, w, "{name}");
        }
    }
}
