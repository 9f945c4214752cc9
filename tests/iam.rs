//! Least privilege in every example, both targets (issue #13, part 5):
//! trust policies carry the confused-deputy conditions AWS documents for
//! their principal, and the EventBridge role runs only its task's family,
//! in its cluster, passing only its task's roles.

use ecsc::source::Sources;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn examples() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "ecs"))
        .collect();
    paths.sort();
    paths
}

/// The CloudFormation template and the Terraform configuration.
fn both(path: &Path) -> (Value, Value) {
    let mut sources = Sources::new();
    sources.add_path(path.to_path_buf(), std::fs::read_to_string(path).unwrap());
    let plan = ecsc::compile(&sources, &[])
        .unwrap()
        .plan
        .unwrap_or_else(|| panic!("{} does not compile", path.display()));
    let cf = ecsc::emit::cloudformation::template(&plan).to_json();
    let tf = ecsc::emit::terraform::configuration(&plan).to_json();
    (
        serde_json::from_str(&cf).unwrap(),
        serde_json::from_str(&tf).unwrap(),
    )
}

/// `(name, trust policy, inline policy documents)` of every role.
fn cf_roles(t: &Value) -> Vec<(String, Value, Vec<Value>)> {
    let mut out = Vec::new();
    for (name, r) in t["Resources"].as_object().unwrap() {
        if r["Type"] != "AWS::IAM::Role" {
            continue;
        }
        let p = &r["Properties"];
        let policies = p["Policies"]
            .as_array()
            .map(|l| l.iter().map(|x| x["PolicyDocument"].clone()).collect())
            .unwrap_or_default();
        out.push((
            name.clone(),
            p["AssumeRolePolicyDocument"].clone(),
            policies,
        ));
    }
    out
}

fn tf_roles(t: &Value) -> Vec<(String, Value, Vec<Value>)> {
    let parse = |v: &Value| serde_json::from_str::<Value>(v.as_str().unwrap()).unwrap();
    let mut out = Vec::new();
    let Some(roles) = t["resource"]["aws_iam_role"].as_object() else {
        return out;
    };
    for (name, r) in roles {
        let mut policies: Vec<Value> = r["inline_policy"]
            .as_array()
            .map(|l| l.iter().map(|x| parse(&x["policy"])).collect())
            .unwrap_or_default();
        if let Some(ps) = t["resource"]["aws_iam_role_policy"].as_object() {
            for p in ps.values() {
                if p["role"]
                    .as_str()
                    .unwrap_or("")
                    .contains(&format!(".{name}."))
                {
                    policies.push(parse(&p["policy"]));
                }
            }
        }
        out.push((name.clone(), parse(&r["assume_role_policy"]), policies));
    }
    out
}

/// A value as text, whatever the target wrote (a string, `Fn::Sub`, ...).
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        _ => match v.get("Fn::Sub") {
            Some(Value::String(s)) => s.clone(),
            _ => v.to_string(),
        },
    }
}

fn check_trust(example: &str, role: &str, trust: &Value) {
    let s = &trust["Statement"][0];
    let service = s["Principal"]["Service"].as_str().unwrap();
    let c = &s["Condition"];
    match service {
        "ecs-tasks.amazonaws.com" | "events.amazonaws.com" => {
            let source = text(&c["ArnLike"]["aws:SourceArn"]);
            let (service, suffix) = if service == "events.amazonaws.com" {
                ("events", ":rule/*")
            } else {
                ("ecs", ":*")
            };
            assert!(
                source.contains(&format!(":{service}:")) && source.ends_with(suffix),
                "{example} {role}: aws:SourceArn {source}"
            );
            let account = text(&c["StringEquals"]["aws:SourceAccount"]);
            assert!(
                account.contains("AWS::AccountId") || account.contains("account_id"),
                "{example} {role}: aws:SourceAccount {account}"
            );
        }
        // EC2 documents no source keys for instance profiles.
        "ec2.amazonaws.com" => assert!(c.is_null(), "{example} {role}: {c}"),
        other => panic!("{example} {role}: a principal to review: {other}"),
    }
}

/// The RunTask and PassRole statements of an EventBridge role.
fn check_events_policy(example: &str, role: &str, policies: &[Value]) {
    let statements: Vec<&Value> = policies
        .iter()
        .flat_map(|p| p["Statement"].as_array().unwrap())
        .collect();
    for s in &statements {
        let actions = s["Action"].as_array().unwrap();
        let resources: Vec<String> = s["Resource"].as_array().unwrap().iter().map(text).collect();
        assert!(!resources.iter().any(|r| r == "*"), "{example} {role}: {s}");
        match actions[0].as_str().unwrap() {
            "ecs:RunTask" => {
                assert_eq!(resources.len(), 1, "{example} {role}: {s}");
                assert!(
                    resources[0].contains(":task-definition/") && resources[0].ends_with(":*"),
                    "{example} {role}: RunTask on {}",
                    resources[0]
                );
                let cluster = text(&s["Condition"]["ArnEquals"]["ecs:cluster"]);
                assert!(
                    cluster.contains("Cluster")
                        || cluster.contains("aws_ecs_cluster")
                        || cluster.contains(":cluster/"),
                    "{example} {role}: ecs:cluster {cluster}"
                );
            }
            "iam:PassRole" => {
                assert_eq!(
                    s["Condition"]["StringLike"]["iam:PassedToService"],
                    "ecs-tasks.amazonaws.com"
                );
                for r in &resources {
                    assert!(r.contains("Role") || r.contains("aws_iam_role"), "{r}");
                }
            }
            other => panic!("{example} {role}: unexpected {other}"),
        }
    }
}

#[test]
fn every_trust_policy_is_conditioned_where_aws_supports_it() {
    let mut events = 0;
    let mut tasks = 0;
    for path in examples() {
        let example = path.file_stem().unwrap().to_string_lossy().into_owned();
        let (cf, tf) = both(&path);
        for (role, trust, policies) in cf_roles(&cf).into_iter().chain(tf_roles(&tf)) {
            check_trust(&example, &role, &trust);
            let service = &trust["Statement"][0]["Principal"]["Service"];
            if service == "events.amazonaws.com" {
                check_events_policy(&example, &role, &policies);
                events += 1;
            }
            if service == "ecs-tasks.amazonaws.com" {
                tasks += 1;
            }
        }
    }
    assert!(events >= 2, "no EventBridge role checked in both targets");
    assert!(tasks >= 2, "no task role checked in both targets");
}

#[test]
fn the_events_role_runs_its_family_in_its_cluster_only() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/scheduled.ecs");
    let (cf, tf) = both(&path);
    let role = &cf["Resources"]["EveryHalfHourEventsRole"]["Properties"]["Policies"][0]
        ["PolicyDocument"]["Statement"];
    let family = cf["Resources"]["ReportTaskDefinition"]["Properties"]["Family"]
        .as_str()
        .unwrap();
    assert_eq!(
        role[0]["Resource"][0]["Fn::Sub"],
        format!(
            "arn:${{AWS::Partition}}:ecs:${{AWS::Region}}:${{AWS::AccountId}}:task-definition/{family}:*"
        )
    );
    assert_eq!(
        role[0]["Condition"]["ArnEquals"]["ecs:cluster"]["Fn::GetAtt"],
        serde_json::json!(["BatchCluster", "Arn"])
    );
    assert_eq!(
        role[1]["Resource"],
        serde_json::json!([{"Fn::GetAtt": ["ReportExecutionRole", "Arn"]}])
    );
    let tf_policy = tf_roles(&tf)
        .into_iter()
        .find(|(n, _, _)| n == "every_half_hour_events")
        .unwrap()
        .2;
    let s = &tf_policy[0]["Statement"];
    assert!(s[0]["Resource"][0]
        .as_str()
        .unwrap()
        .ends_with(&format!(":task-definition/{family}:*")));
    assert_eq!(
        s[0]["Condition"]["ArnEquals"]["ecs:cluster"],
        "${aws_ecs_cluster.batch.arn}"
    );
}
