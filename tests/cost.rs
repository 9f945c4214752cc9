//! `ecsc cost` on the real binary: figures worked out by hand from the
//! price table, the NAT-or-endpoints comparison, Regions without prices,
//! and every example.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn dir(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("cost")
        .join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn ecsc(args: &[&str], cwd: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ecsc"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Two private Fargate services (one on ARM, one half on Spot) behind a
/// public ALB in two zones, one NAT gateway.
const STACK: &str = r#"
stack shop { region = "us-east-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet public_a  { vpc = main  cidr = 10.0.0.0/24  zone = "a"  public = true }
subnet public_b  { vpc = main  cidr = 10.0.1.0/24  zone = "b"  public = true }
subnet private_a { vpc = main  cidr = 10.0.10.0/24 zone = "a"  nat = egress }
subnet private_b { vpc = main  cidr = 10.0.11.0/24 zone = "b"  nat = egress }
nat_gateway egress { subnet = public_a }
security_group alb_sg { vpc = main  ingress tcp 80 from 0.0.0.0/0 }
security_group app_sg { vpc = main  ingress tcp 8080 from alb_sg }
load_balancer web {
  subnets = [public_a, public_b]  security_groups = [alb_sg]
  listener http 80 { }
}
cluster main { }
task api {
  cpu = 512  memory = 1024  arch = arm64
  container app {
    image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1"
    port 8080
  }
}
task worker {
  cpu = 256  memory = 512
  container app { image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/worker:1" }
}
service api {
  cluster = main  task = api  count = 2
  network { subnets = [private_a, private_b]  security_groups = [app_sg] }
  route web:80 { }
}
service worker {
  cluster = main  task = worker  count = 4
  capacity fargate      { base = 0  weight = 1 }
  capacity fargate_spot { weight = 1 }
  network { subnets = [private_a, private_b]  security_groups = [app_sg] }
}
"#;

fn cents(x: f64) -> i64 {
    (x * 100.0).round() as i64
}

fn line<'a>(v: &'a Value, resource: &str) -> &'a Value {
    v["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["resource"] == resource)
        .unwrap_or_else(|| panic!("no line for {resource}: {v}"))
}

#[test]
fn figures_match_the_price_table_worked_by_hand() {
    let d = dir("by_hand");
    std::fs::write(d.join("app.ecs"), STACK).unwrap();
    let (code, out, err) = ecsc(&["cost", "app.ecs", "--format", "json"], &d);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let usd = |r: &str| cents(line(&v, r)["usd"].as_f64().unwrap());
    // 2 × (0.5 vCPU × 0.03238 + 1 GB × 0.00356) × 730 h (ARM)
    assert_eq!(
        usd("service api"),
        cents(2.0 * (0.5 * 0.03238 + 0.00356) * 730.0)
    );
    // 2 on Fargate, 2 on Spot at 70% off: 0.25 vCPU, 0.5 GB on x86
    let task = (0.25 * 0.04048 + 0.5 * 0.004445) * 730.0;
    assert_eq!(usd("service worker"), cents(2.0 * task + 2.0 * task * 0.3));
    assert_eq!(
        usd("nat_gateway egress"),
        cents(730.0 * 0.045 + 100.0 * 0.045)
    );
    assert_eq!(usd("load_balancer web"), cents(730.0 * (0.0225 + 0.008)));
    // The NAT gateway's address and one per zone of the public ALB.
    assert_eq!(usd("public IPv4 addresses"), cents(3.0 * 730.0 * 0.005));
    let sum: f64 = v["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["usd"].as_f64().unwrap())
        .sum();
    assert_eq!(cents(v["total_usd"].as_f64().unwrap()), cents(sum));
    assert_eq!(v["prices_region"], "us-east-1");
    // The private tasks: one NAT gateway against ecr.api, ecr.dkr and logs
    // in two zones (and the free s3 gateway).
    let c = &v["comparison"];
    assert_eq!(c["zones"], 2);
    assert_eq!(
        cents(c["nat"]["usd"].as_f64().unwrap()),
        cents(730.0 * (0.045 + 0.005) + 100.0 * 0.045)
    );
    assert_eq!(
        cents(c["endpoints"]["usd"].as_f64().unwrap()),
        cents(3.0 * 2.0 * 730.0 * 0.01 + 100.0 * 0.01)
    );
    // The table for people says the same.
    let (code, text, _) = ecsc(&["cost", "app.ecs"], &d);
    assert_eq!(code, 0);
    assert!(text.contains("nat_gateway egress"), "{text}");
    assert!(text.contains("(2 on Fargate Spot)"), "{text}");
    assert!(text.contains("NAT gateways or VPC endpoints"), "{text}");
}

#[test]
fn the_comparison_follows_the_traffic() {
    let d = dir("traffic");
    std::fs::write(d.join("app.ecs"), STACK).unwrap();
    // Endpoints cost more by the hour and less by the GB. Without traffic:
    // 730 h × ($0.045 + $0.005) = $36.50 against 3 × 2 zones × 730 h ×
    // $0.01 = $43.80.
    let (_, little, _) = ecsc(&["cost", "app.ecs", "--traffic", "0"], &d);
    assert!(
        little.contains("NAT gateways cost $7.30 a month less than the endpoints"),
        "{little}"
    );
    // 5,000 GB: $36.50 + $225.00 against $43.80 + $50.00.
    let (_, much, _) = ecsc(&["cost", "app.ecs", "--traffic", "5000"], &d);
    assert!(
        much.contains("the endpoints cost $167.70 a month less than NAT gateways"),
        "{much}"
    );
    let (code, _, err) = ecsc(&["cost", "app.ecs", "--traffic=-1"], &d);
    assert_eq!(code, 2);
    assert!(err.contains("from 0 to"), "{err}");
}

#[test]
fn a_region_without_prices_is_priced_only_when_asked() {
    let d = dir("region");
    std::fs::write(d.join("app.ecs"), STACK.replace("us-east-1", "sa-east-1")).unwrap();
    let (code, out, err) = ecsc(&["cost", "app.ecs"], &d);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.contains("no prices for sa-east-1") && err.contains("--prices-of us-east-1"),
        "{err}"
    );
    let (code, out, err) = ecsc(&["cost", "app.ecs", "--prices-of", "us-east-1"], &d);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("in sa-east-1 at us-east-1's prices (the table has none"),
        "{out}"
    );
    let (code, _, err) = ecsc(&["cost", "app.ecs", "--prices-of", "mars-1"], &d);
    assert_eq!(code, 2);
    assert!(err.contains("no prices for mars-1"), "{err}");
}

#[test]
fn a_region_in_the_table_is_priced_at_its_own_figures_and_names_those_it_lacks() {
    let d = dir("frankfurt");
    std::fs::write(
        d.join("app.ecs"),
        STACK.replace("us-east-1", "eu-central-1"),
    )
    .unwrap();
    let (code, out, err) = ecsc(&["cost", "app.ecs", "--format", "json"], &d);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["prices_region"], "eu-central-1");
    let text = out.clone();
    // Frankfurt's own Fargate rates: ARM 2 × 730 h × (0.5 × 0.03725 +
    // 1 × 0.00409); x86 4 tasks, 2 on Spot at 70% off, each 730 h ×
    // (0.25 × 0.04656 + 0.5 × 0.00511).
    assert_eq!(
        cents(line(&v, "service api")["usd"].as_f64().unwrap()),
        3316
    );
    assert_eq!(
        cents(line(&v, "service worker")["usd"].as_f64().unwrap()),
        2694
    );
    // Its own NAT gateway hour, us-east-1's per-GB charge.
    assert!(text.contains("730 h × $0.052 + 100 GB × $0.045"), "{text}");
    // The NAT gateway's per-GB charge is not in the table for it: us-east-1's,
    // and the estimate says so.
    let borrowed: Vec<&str> = v["prices_borrowed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_str().unwrap())
        .collect();
    assert!(borrowed.contains(&"NAT gateway GB"), "{borrowed:?}");
    assert!(!borrowed.contains(&"NAT gateway hour"), "{borrowed:?}");
    assert!(
        v["assumptions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a.as_str().unwrap().contains("at us-east-1's price: ")),
        "{out}"
    );
    // Asking for another Region's prices where the table has the stack's own
    // says it was asked, not that the table has none.
    let (code, out, _) = ecsc(&["cost", "app.ecs", "--prices-of", "us-east-1"], &d);
    assert_eq!(code, 0);
    assert!(out.contains("at us-east-1's prices (as asked)"), "{out}");
    // us-east-1 itself borrows nothing.
    let (_, out, _) = ecsc(
        &[
            "cost",
            "app.ecs",
            "--prices-of",
            "us-east-1",
            "--format",
            "json",
        ],
        &d,
    );
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["prices_borrowed"].as_array().map(Vec::len), Some(0));
}

#[test]
fn every_example_is_estimated_the_same_way_twice() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut examples: Vec<PathBuf> = std::fs::read_dir(root.join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "ecs"))
        .collect();
    examples.sort();
    assert!(examples.len() >= 5);
    for e in &examples {
        let path = e.to_str().unwrap();
        let args = ["cost", path, "--prices-of", "us-east-1", "--format", "json"];
        let (code, first, err) = ecsc(&args, root);
        assert_eq!(code, 0, "{path}: {err}");
        let (_, second, _) = ecsc(&args, root);
        assert_eq!(first, second, "{path}");
        let v: Value = serde_json::from_str(&first).unwrap();
        assert!(v["total_usd"].as_f64().is_some_and(|t| t >= 0.0), "{path}");
        // What is not priced is said, never dropped: every service is a
        // line or a note.
        let text = first.clone();
        for line in std::fs::read_to_string(e).unwrap().lines() {
            if let Some(name) = line.strip_prefix("service ") {
                let name = name.split_whitespace().next().unwrap();
                assert!(
                    text.contains(&format!("service {name}")),
                    "{path}: service {name}"
                );
            }
        }
    }
}

fn estimate(name: &str, text: &str, args: &[&str]) -> Value {
    let d = dir(name);
    std::fs::write(d.join("app.ecs"), text).unwrap();
    let mut all = vec!["cost", "app.ecs", "--format", "json"];
    all.extend_from_slice(args);
    let (code, out, err) = ecsc(&all, &d);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap()
}

fn not_estimated(v: &Value) -> String {
    v["not_estimated"].to_string()
}

#[test]
fn a_stopped_environment_runs_no_task_whatever_its_scaling() {
    let text = STACK
        .replace(
            "stack shop { region = \"us-east-1\" }",
            "stack shop { region = \"us-east-1\" }\nenvironment staging { stopped = true }",
        )
        .replace(
            "route web:80 { }",
            "route web:80 { }\n  autoscale { min = 2  max = 6  cpu = 60% }",
        );
    let running = estimate("running", &text, &[]);
    assert!(cents(line(&running, "service api")["usd"].as_f64().unwrap()) > 0);
    let stopped = estimate("stopped", &text, &["--env", "staging"]);
    for service in ["service api", "service worker"] {
        let l = line(&stopped, service);
        assert_eq!(l["usd"], 0.0, "{l}");
        assert!(
            !l["detail"].as_str().unwrap().contains("scales up to"),
            "{l}"
        );
    }
    // No task, no public address of a task, no logs.
    assert!(stopped["lines"]
        .as_array()
        .unwrap()
        .iter()
        .all(|l| l["resource"] != "CloudWatch Logs"));
}

#[test]
fn the_most_tasks_are_priced_with_their_spot_share() {
    let text = STACK.replace(
        "capacity fargate_spot { weight = 1 }",
        "capacity fargate_spot { weight = 1 }\n  autoscale { min = 4  max = 8  cpu = 60% }",
    );
    let v = estimate("spot_max", &text, &[]);
    let detail = line(&v, "service worker")["detail"]
        .as_str()
        .unwrap()
        .to_string();
    // 8 tasks: 4 on Fargate, 4 on Spot at 70% off.
    let task: f64 = (0.25 * 0.04048 + 0.5 * 0.004445) * 730.0;
    let most = 4.0 * task + 4.0 * task * 0.3;
    let shown = format!("scales up to 8: ${:.2}", (most * 100.0).round() / 100.0);
    assert!(detail.contains(&shown), "{detail} lacks {shown}");
}

#[test]
fn traffic_is_the_stacks_split_between_its_nat_gateways() {
    let text = STACK
        .replace(
            "nat_gateway egress { subnet = public_a }",
            "nat_gateway egress { subnet = public_a }\nnat_gateway egress_b { subnet = public_b }",
        )
        .replace(
            "zone = \"b\"  nat = egress }",
            "zone = \"b\"  nat = egress_b }",
        );
    let v = estimate("two_nats", &text, &["--traffic", "300"]);
    for nat in ["nat_gateway egress", "nat_gateway egress_b"] {
        assert_eq!(
            cents(line(&v, nat)["usd"].as_f64().unwrap()),
            cents(730.0 * 0.045 + 150.0 * 0.045),
            "{nat}"
        );
    }
    // The comparison takes the same 300 GB, through two NAT gateways.
    assert_eq!(
        cents(v["comparison"]["nat"]["usd"].as_f64().unwrap()),
        cents(2.0 * 730.0 * (0.045 + 0.005) + 300.0 * 0.045)
    );
}

#[test]
fn what_cannot_be_priced_is_listed_and_no_saving_is_claimed_for_internet_images() {
    let text = STACK
        .replace("cpu = 256  memory = 512\n", "cpu = 1024  memory = 2048  os = windows\n")
        .replace(
            "image = \"123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1\"",
            "image = \"public.ecr.aws/nginx/nginx:1.27\"",
        )
        .replace("cluster main { }", "cluster main { insights = true }")
        // Fargate Spot runs Linux tasks only (E052).
        .replace(
            "  capacity fargate      { base = 0  weight = 1 }\n  capacity fargate_spot { weight = 1 }\n",
            "",
        );
    let v = estimate("unpriced", &text, &[]);
    let notes = not_estimated(&v);
    assert!(
        notes.contains("service worker: runs Windows tasks"),
        "{notes}"
    );
    assert!(notes.contains("Container Insights"), "{notes}");
    assert!(notes.contains("CloudWatch Logs storage"), "{notes}");
    assert_eq!(v["comparison"]["internet_only"][0], "service api");
    let d = dir("unpriced_text");
    std::fs::write(d.join("app.ecs"), &text).unwrap();
    let (_, out, _) = ecsc(&["cost", "app.ecs"], &d);
    assert!(
        out.contains("service api pulls its image from outside"),
        "{out}"
    );
    assert!(!out.contains("a month less than"), "{out}");
}
