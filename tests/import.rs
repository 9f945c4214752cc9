//! `ecsc import` on the real binary: a task definition imported, compiled
//! back by `ecsc build`, gives the same task definition (every field the
//! import carries, compared with CloudFormation's spelling of it).

use serde_json::{Map, Value};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn ecsc(args: &[&str], cwd: &Path, stdin: Option<&str>) -> (i32, String, String) {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_ecsc"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        let mut input = input;
        input.write_all(text.as_bytes()).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn dir(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("import")
        .join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn fixture() -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/import/describe-shop-web.json"),
    )
    .unwrap()
}

/// `camelCase` keys as CloudFormation spells them (`PascalCase`).
fn pascal(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| {
                    let mut c = k.chars();
                    let k = c.next().map_or(String::new(), |f| {
                        f.to_uppercase().collect::<String>() + c.as_str()
                    });
                    (k, pascal(v))
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(pascal).collect()),
        other => other.clone(),
    }
}

/// Every field of `want` is in `got` with the same value (numbers written
/// as strings compare as numbers).
fn contains(got: &Value, want: &Value, at: &str) {
    match (got, want) {
        (Value::Object(g), Value::Object(w)) => {
            for (k, wv) in w {
                let gv = g
                    .get(k)
                    .unwrap_or_else(|| panic!("{at}.{k} is missing: {got}"));
                contains(gv, wv, &format!("{at}.{k}"));
            }
        }
        (Value::Array(g), Value::Array(w)) => {
            assert_eq!(g.len(), w.len(), "{at}: {got} against {want}");
            for (i, (gv, wv)) in g.iter().zip(w).enumerate() {
                contains(gv, wv, &format!("{at}[{i}]"));
            }
        }
        (Value::String(g), Value::Number(w)) | (Value::Number(w), Value::String(g)) => {
            assert_eq!(g, &w.to_string(), "{at}");
        }
        _ => assert_eq!(got, want, "{at}"),
    }
}

#[test]
fn an_imported_task_compiles_back_to_the_same_task_definition() {
    let d = dir("round_trip");
    std::fs::write(d.join("td.json"), fixture()).unwrap();
    let (code, _, err) = ecsc(&["import", "td.json", "-o", "shop.ecs"], &d, None);
    assert_eq!(code, 0, "{err}");
    // What is not carried is said, on stderr and in the file.
    assert!(err.contains("not carried: container web: ulimits"), "{err}");
    let ecs = std::fs::read_to_string(d.join("shop.ecs")).unwrap();
    assert!(ecs.contains("#   - container web: ulimits"), "{ecs}");
    let (code, out, err) = ecsc(&["build", "shop.ecs"], &d, None);
    assert_eq!(code, 0, "{err}\n{ecs}");
    let template: Value = serde_json::from_str(&out).unwrap();
    let got = template["Resources"]
        .as_object()
        .unwrap()
        .values()
        .find(|r| r["Type"] == "AWS::ECS::TaskDefinition")
        .expect("a task definition")["Properties"]
        .clone();

    let input: Value = serde_json::from_str(&fixture()).unwrap();
    let mut want: Map<String, Value> = input["taskDefinition"].as_object().unwrap().clone();
    // What AWS reports about a registered revision, and what the import
    // says it does not carry.
    for k in [
        "taskDefinitionArn",
        "revision",
        "status",
        "compatibilities",
        "registeredAt",
        "registeredBy",
        "volumes",
    ] {
        want.remove(k);
    }
    for c in want["containerDefinitions"].as_array_mut().unwrap() {
        let c = c.as_object_mut().unwrap();
        for k in ["ulimits", "logConfiguration"] {
            c.remove(k);
        }
        // `cpu: 0` is ECS's way of not setting it; a host port equal to
        // the container port in awsvpc mode is the same mapping.
        if c.get("cpu") == Some(&Value::from(0)) {
            c.remove("cpu");
        }
        for p in c
            .get_mut("portMappings")
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            p.as_object_mut().unwrap().remove("hostPort");
        }
    }
    contains(&got, &pascal(&Value::Object(want)), "TaskDefinition");
    // The volume, by name (task-scoped: no host path).
    assert_eq!(got["Volumes"][0]["Name"], "scratch");
    // The awslogs configuration is the one ecsc derives, for every container.
    for c in got["ContainerDefinitions"].as_array().unwrap() {
        assert_eq!(c["LogConfiguration"]["LogDriver"], "awslogs");
    }
}

#[test]
fn the_register_input_needs_a_region_and_standard_input_works() {
    let d = dir("register");
    let input: Value = serde_json::from_str(&fixture()).unwrap();
    let mut td = input["taskDefinition"].clone();
    td.as_object_mut().unwrap().remove("taskDefinitionArn");
    let text = td.to_string();
    let (code, out, err) = ecsc(&["import", "-"], &d, Some(&text));
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("give it with --region"), "{err}");
    let (code, out, err) = ecsc(&["import", "-", "--region", "us-east-2"], &d, Some(&text));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("stack shop-web { region = \"us-east-2\" }"),
        "{out}"
    );
    std::fs::write(d.join("app.ecs"), &out).unwrap();
    let (code, _, err) = ecsc(&["check", "app.ecs"], &d, None);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn what_is_not_a_task_definition_is_refused_with_where() {
    let d = dir("refused");
    let (code, _, err) = ecsc(&["import", "-"], &d, Some("{\n  \"family\": \n"));
    assert_eq!(code, 2);
    assert!(err.contains("not JSON") && err.contains("line 3"), "{err}");
    let (code, _, err) = ecsc(&["import", "-"], &d, Some("[1, 2]"));
    assert_eq!(code, 2);
    assert!(err.contains("expected a task definition"), "{err}");
    let (code, _, err) = ecsc(
        &["import", "-", "--region", "eu-west-1"],
        &d,
        Some(r#"{"family": "x", "containerDefinitions": []}"#),
    );
    assert_eq!(code, 2);
    assert!(err.contains("no `containerDefinitions`"), "{err}");
    let (code, _, err) = ecsc(&["import", "nowhere.json"], &d, None);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read nowhere.json"), "{err}");
}

#[test]
fn a_service_comes_with_its_cluster_and_network_by_id() {
    let d = dir("service");
    std::fs::write(d.join("td.json"), fixture()).unwrap();
    let described = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/import/describe-services-shop-web.json"),
    )
    .unwrap();
    std::fs::write(d.join("svc.json"), &described).unwrap();
    let (code, _, err) = ecsc(
        &[
            "import",
            "td.json",
            "--service",
            "svc.json",
            "-o",
            "shop.ecs",
        ],
        &d,
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("its load balancer target groups"), "{err}");
    let (code, out, err) = ecsc(&["build", "shop.ecs"], &d, None);
    assert_eq!(code, 0, "{err}");
    let template: Value = serde_json::from_str(&out).unwrap();
    let got = template["Resources"]
        .as_object()
        .unwrap()
        .values()
        .find(|r| r["Type"] == "AWS::ECS::Service")
        .expect("a service")["Properties"]
        .clone();
    let svc = &serde_json::from_str::<Value>(&described).unwrap()["services"][0];
    let mut strategy = svc["capacityProviderStrategy"].clone();
    // A base of 0 is CloudFormation's default, not written.
    for item in strategy.as_array_mut().unwrap() {
        if item["base"] == 0 {
            item.as_object_mut().unwrap().remove("base");
        }
    }
    let want = serde_json::json!({
        "cluster": svc["clusterArn"],
        "desiredCount": svc["desiredCount"],
        "capacityProviderStrategy": strategy,
        "platformVersion": svc["platformVersion"],
        "networkConfiguration": svc["networkConfiguration"],
        "healthCheckGracePeriodSeconds": svc["healthCheckGracePeriodSeconds"],
        "deploymentConfiguration": svc["deploymentConfiguration"],
        "enableExecuteCommand": svc["enableExecuteCommand"],
    });
    contains(&got, &pascal(&want), "Service");
    // Several services in one file: which one is asked.
    let mut two: Value = serde_json::from_str(&described).unwrap();
    let first = two["services"][0].clone();
    two["services"].as_array_mut().unwrap().push(first);
    std::fs::write(d.join("two.json"), two.to_string()).unwrap();
    let (code, _, err) = ecsc(&["import", "td.json", "--service", "two.json"], &d, None);
    assert_eq!(code, 2);
    assert!(err.contains("describes 2 services"), "{err}");
}

#[test]
fn odd_fields_are_noted_never_turned_into_code() {
    let d = dir("odd");
    let td = json_text(serde_json::json!({
        "family": "odd",
        "networkMode": "bridge",
        "memory": "512",
        "x\rvpc evil { cidr = 10.0.0.0/16 }": 1,
        "containerDefinitions": [{
            "name": "app",
            "image": "nginx:1.27",
            "memory": 256,
            "environment": [
                { "name": "A${B}", "value": "cr\rhere" },
                { "name": "PLAIN", "value": "x" }
            ],
            "secrets": [{
                "name": "PASSWORD",
                "valueFrom": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf:password:AWSPREVIOUS:"
            }]
        }]
    }));
    let (code, out, err) = ecsc(&["import", "-", "--region", "eu-west-1"], &d, Some(&td));
    assert_eq!(code, 0, "{err}");
    // No requiresCompatibilities: ECS registers it for EC2.
    assert!(out.contains("launch = ec2"), "{out}");
    // The odd key stays inside its comment line.
    assert!(!out.lines().any(|l| l.starts_with("vpc evil")), "{out}");
    assert!(err.contains("version stage"), "{err}");
    std::fs::write(d.join("odd.ecs"), &out).unwrap();
    let (code, _, err) = ecsc(&["check", "odd.ecs"], &d, None);
    assert!(!err.contains("E001"), "{err}\n{out}");
    assert!(!err.contains("evil"), "{err}");
    assert_eq!(code, 0, "{err}\n{out}");
}

fn json_text(v: Value) -> String {
    v.to_string()
}
