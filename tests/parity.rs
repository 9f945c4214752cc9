//! Parity between the two renderers, read from the catalogue in
//! `src/plan/catalogue.rs` (the only list of resource kinds): for every
//! example and a stack that uses every kind, each plan resource appears in
//! each target as the catalogue says (its own resource of the catalogue's
//! type and name, or folded into its parent), neither target holds a
//! resource that is not in the plan, every reference names a resource of
//! the plan and an attribute the catalogue knows, and outputs match.
//! `docs/targets.md` shows the catalogue's table.

use ecsc::emit::{cloudformation, terraform};
use ecsc::names::pascal;
use ecsc::plan::{Kind, Plan, Refs, Rendering, ResId, CATALOGUE};
use ecsc::source::Sources;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

#[test]
fn docs_table_matches() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("docs")
        .join("targets.md");
    let doc = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let table = ecsc::plan::catalogue::markdown_table();
    let expected: Vec<&str> = table.lines().collect();
    let start = doc
        .lines()
        .position(|l| l == expected[0])
        .unwrap_or_else(|| panic!("docs/targets.md has no table headed\n{}", expected[0]));
    let found: Vec<&str> = doc
        .lines()
        .skip(start)
        .take_while(|l| l.starts_with('|'))
        .collect();
    assert_eq!(
        found, expected,
        "docs/targets.md's table differs from the catalogue (src/plan/catalogue.rs); it should read:\n{table}"
    );
}

/// A stack that uses every resource kind and most options, beside the
/// examples: NAT, gateway and interface endpoints, prefix-list and group
/// peers, a group whose only egress is to a group, an internal and an
/// internet-facing load balancer, discovery (A and SRV), auto scaling (target
/// tracking, on any metric, and steps on an alarm), alarms, an
/// EC2 bridge task with EFS and managed policies, a schedule, an image
/// deployed by CI, Service Connect (a cluster default, a client and an
/// EC2 bridge server in a private DNS namespace), new and existing ECR
/// repositories (a KMS-encrypted one with mutable tags, an image pinned by
/// digest), and literal `${`/`%{` text.
const EVERYTHING: &str = r#"
stack demo {
  region = "eu-central-1"
  tags   = { Environment = "Demo", Team = "platform" }
}
param env = "demo"
vpc main { cidr = 10.0.0.0/16 }
subnet public_b  { vpc = main  cidr = 10.0.1.0/24  zone = "b"  public = true }
subnet public_c  { vpc = main  cidr = 10.0.2.0/24  zone = "c"  public = true }
subnet private_b { vpc = main  cidr = 10.0.3.0/24  zone = "b" }
subnet private_c { vpc = main  cidr = 10.0.4.0/24  zone = "c" }
nat_gateway nat_b { subnet = public_b }
security_group alb_sg { vpc = main  ingress tcp 443 from 0.0.0.0/0  ingress tcp 80 from 0.0.0.0/0 }
security_group app_sg {
  vpc = main
  ingress tcp 8080 from alb_sg
  egress tcp 443 to endpoint_sg
  egress tcp 443 to s3
  egress udp 53 to 10.0.0.0/16
  egress tcp 443 to 0.0.0.0/0      # ecr.dkr, ssm and secrets manager through the NAT
}
security_group endpoint_sg { vpc = main  ingress tcp 443 from app_sg }
security_group db_sg { vpc = main  ingress icmp from 10.0.0.0/16  ingress all from app_sg  egress tcp 5432 to app_sg }
endpoint ecr_api { vpc = main  service = "ecr.api"  subnets = [private_b, private_c]  security_groups = [endpoint_sg] }
endpoint logs    { vpc = main  service = "logs"     subnets = [private_b, private_c]  security_groups = [endpoint_sg] }
endpoint s3      { vpc = main  service = "s3" }
load_balancer web {
  subnets         = [public_b, public_c]
  security_groups = [alb_sg]
  idle_timeout = 120s
  listener http 80 { redirect = https }
  listener https 443 { certificate = "arn:aws:acm:eu-central-1:123456789012:certificate/abc" }
}
load_balancer internal_lb {
  subnets         = [private_b, private_c]
  security_groups = [alb_sg, db_sg]
  internal = true
  listener http 8080
}
cluster demo { insights = true  service_connect = local }
namespace local { vpc = main }
task hostname_app {
  cpu    = 256
  memory = 512
  container app {
    image   = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/hostname-app:0.1"
    external_image = true
    port 8080
    command = ["/usr/sbin/apachectl", "-D", "FOREGROUND"]
    env     = { QUOTE_URL = "http://random-quote.local:8080", ENV = "${env}" }
    secret DB_PASSWORD from ssm "/demo/db/password"
    secret API_KEY from secretsmanager "api" key "key"
    health { command = "curl -f http://localhost:8080/ || exit 1"  interval = 30s }
  }
  role { allow ["s3:GetObject"] on ["arn:aws:s3:::bucket/*"] }
}
repository jobs { name = "demo/jobs"  immutable_tags = false  keep_last = 5  encryption = kms  force_delete = true }
repository base { id = "platform/base" }
task report {
  cpu = 512
  memory = 1GiB
  container job { repository = jobs  tag = "2024.1" command = ["echo", "hi"] }
  container base {
    repository = base
    digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
    essential = false
  }
}
task worker {
  launch = ec2
  network_mode = bridge
  memory = 512
  volume data { efs = "fs-12345678"  access_point = "fsap-0123456789abcdef0"  iam = true }
  container main {
    image = "nginx:1.27"
    port 80 { host_port = 8081  name = "web"  app_protocol = http }
    mount data at "/data" read_only
    env = { TEMPLATE = "hello \${HOME} %{x}" }
    depends_on sidecar start
  }
  container sidecar { image = "busybox:1.36" essential = false logging = false }
  role {
    managed = ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", "arn:aws:iam::aws:policy/service-role/AWSLambdaRole"]
  }
}
service hostname {
  cluster = demo
  task    = hostname_app
  count   = 2
  network { subnets = [private_b, private_c]  security_groups = [app_sg] }
  route web:443 { path = "/*"  container = app  port = 8080  health = "/" }
  deployment { min_healthy = 100%  max = 200%  circuit_breaker = rollback  alarms = [errors] }
  discovery { namespace = local  name = "hostname" }
  autoscale {
    min = 2  max = 10  cpu = 60%  requests = 1000
    step { alarm = hot  add = 2 }
    track { namespace = "AWS/SQS"  metric_name = "ApproximateNumberOfMessagesVisible"  dimensions = { QueueName = "demo-jobs" }  target = 50 }
  }
  alarm errors { metric = http_5xx  above = 5  for = 3m  notify = "arn:aws:sns:eu-central-1:123456789012:ops" }
  alarm unhealthy { metric = unhealthy_hosts  at_least = 1  period = 30s  for = 90s }
  alarm hot { metric = memory  above = 90%  statistic = maximum }
  exec = true
  connect { calls = ["worker-api"]  logs = true }
}
service worker {
  cluster = demo
  task = worker
  count = 1
  launch = ec2
  route internal_lb:8080 { container = main  port = 80  health = "/health" }
  discovery { namespace = local  name = "worker" }
  connect { serve web { discovery = "worker-api"  idle_timeout = 1m  per_request_timeout = 20s } }
}
schedule nightly_report {
  cluster = demo
  task    = report
  cron    = "0 3 * * ? *"
  network { subnets = [private_b]  security_groups = [app_sg] }
}
"#;

struct Outputs {
    model: ecsc::model::Model,
    plan: Plan,
    cloudformation: Value,
    terraform: Value,
}

fn compile(name: &str, sources: &Sources) -> Outputs {
    let compiled = ecsc::compile(sources, &[]).unwrap_or_else(|e| panic!("{name}: {e}"));
    let (Some(model), Some(plan)) = (compiled.model, compiled.plan) else {
        panic!("{name} does not compile: {:?}", compiled.diagnostics)
    };
    let cloudformation = serde_json::from_str(&cloudformation::template(&plan).to_json())
        .unwrap_or_else(|e| panic!("{name}: CloudFormation output is not JSON: {e}"));
    let terraform = serde_json::from_str(&terraform::configuration(&plan).to_json())
        .unwrap_or_else(|e| panic!("{name}: Terraform output is not JSON: {e}"));
    Outputs {
        model,
        plan,
        cloudformation,
        terraform,
    }
}

fn inputs() -> Vec<(String, Outputs)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    paths.retain(|p| p.extension().is_some_and(|x| x == "ecs"));
    paths.sort();
    let mut out = Vec::new();
    for p in paths {
        let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        let mut sources = Sources::new();
        sources.add_path(p.clone(), text);
        let name = p.display().to_string();
        let compiled = compile(&name, &sources);
        out.push((name, compiled));
    }
    let mut sources = Sources::new();
    sources.add("everything.ecs", EVERYTHING);
    out.push((
        "everything (tests/parity.rs)".to_string(),
        compile("everything", &sources),
    ));
    out
}

fn objects<'a>(v: &'a Value, key: &str) -> impl Iterator<Item = (&'a String, &'a Value)> {
    v.get(key).and_then(Value::as_object).into_iter().flatten()
}

/// Where a plan resource is in one target's output.
struct Target<'a> {
    name: &'static str,
    /// id → type.
    found: BTreeMap<String, String>,
    rendering: fn(Kind) -> Rendering,
    id: fn(&ResId) -> String,
    _p: std::marker::PhantomData<&'a ()>,
}

impl Target<'_> {
    fn cloudformation(out: &Value) -> Self {
        Target {
            name: "CloudFormation",
            found: objects(out, "Resources")
                .map(|(id, r)| {
                    (
                        id.clone(),
                        r["Type"].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect(),
            rendering: |k| k.info().cloudformation,
            id: ResId::logical_id,
            _p: std::marker::PhantomData,
        }
    }

    fn terraform(out: &Value) -> Self {
        let mut found = BTreeMap::new();
        for (kind, named) in objects(out, "resource") {
            for (name, _) in named.as_object().into_iter().flatten() {
                found.insert(format!("{kind}.{name}"), kind.clone());
            }
        }
        Target {
            name: "Terraform",
            found,
            rendering: |k| k.info().terraform,
            id: |r| {
                let kind = r.kind.info().terraform.type_name().unwrap_or("-");
                format!("{kind}.{}", r.terraform_name())
            },
            _p: std::marker::PhantomData,
        }
    }

    /// Checks every plan resource against the catalogue; returns the ids
    /// it accounts for.
    fn check(
        &self,
        input: &str,
        plan: &Plan,
        seen: &mut BTreeSet<(Kind, bool)>,
    ) -> BTreeSet<String> {
        let mut accounted = BTreeSet::new();
        for r in &plan.resources {
            let id = (self.id)(&r.id);
            // A resource that exists already is referenced, never created.
            if matches!(r.body, ecsc::plan::Body::Existing(_)) {
                assert!(
                    !self.found.contains_key(&id),
                    "{input}: {} creates {id}, which exists already",
                    self.name
                );
                continue;
            }
            let rendering = (self.rendering)(r.id.kind);
            let present = self.found.get(&id);
            match (rendering, present) {
                (Rendering::Type(t) | Rendering::TypeOrFolded(t, _), Some(found)) => {
                    assert_eq!(found, t, "{input}: {} {id} has the wrong type", self.name);
                    seen.insert((r.id.kind, false));
                    accounted.insert(id);
                }
                (Rendering::Type(t), None) => {
                    panic!(
                        "{input}: {} has no {t} {id} for plan resource {:?}",
                        self.name, r.id
                    )
                }
                (Rendering::TypeOrFolded(..) | Rendering::Folded(_), None) => {
                    let parent = r.parent.as_ref().unwrap_or_else(|| {
                        panic!(
                            "{input}: {:?} is folded in {} but has no parent",
                            r.id, self.name
                        )
                    });
                    let parent_id = (self.id)(parent);
                    assert!(
                        self.found.contains_key(&parent_id),
                        "{input}: {:?} is folded into {parent_id}, which {} does not have",
                        r.id,
                        self.name
                    );
                    seen.insert((r.id.kind, true));
                }
                (Rendering::Folded(_), Some(_)) => {
                    panic!("{input}: {:?} should be folded in {}", r.id, self.name)
                }
            }
        }
        accounted
    }
}

#[test]
fn every_plan_resource_is_rendered_as_the_catalogue_says() {
    let mut seen = BTreeSet::new();
    for (input, out) in inputs() {
        for target in [
            Target::cloudformation(&out.cloudformation),
            Target::terraform(&out.terraform),
        ] {
            let accounted = target.check(&input, &out.plan, &mut seen);
            let extra: Vec<&String> = target
                .found
                .keys()
                .filter(|id| !accounted.contains(*id))
                .collect();
            assert!(
                extra.is_empty(),
                "{input}: {} has resources that are not in the plan: {extra:?}",
                target.name
            );
        }
    }
    let seen_kinds: HashSet<Kind> = seen.iter().map(|(k, _)| *k).collect();
    let missing: Vec<Kind> = CATALOGUE
        .iter()
        .map(|i| i.kind)
        .filter(|k| !seen_kinds.contains(k))
        .collect();
    assert!(
        missing.is_empty(),
        "no input plans these kinds: {missing:?}"
    );
}

#[test]
fn every_reference_names_a_planned_resource_and_a_known_attribute() {
    let mut checked = 0;
    for (input, out) in inputs() {
        let ids: HashSet<&ResId> = out.plan.resources.iter().map(|r| &r.id).collect();
        for r in &out.plan.resources {
            r.body.visit(&mut |x| {
                assert!(
                    ids.contains(&x.to),
                    "{input}: {:?} references {:?}, which is not planned",
                    r.id,
                    x.to
                );
                assert!(
                    x.to.kind.info().attr(x.attr).is_some(),
                    "{input}: {:?} references {:?} of {:?}; the catalogue lists no such attribute",
                    r.id,
                    x.attr,
                    x.to.kind
                );
                checked += 1;
            });
            for d in &r.depends_on {
                assert!(
                    ids.contains(d),
                    "{input}: {:?} depends on unplanned {d:?}",
                    r.id
                );
            }
        }
        let unique: HashSet<&ResId> = out.plan.resources.iter().map(|r| &r.id).collect();
        assert_eq!(
            unique.len(),
            out.plan.resources.len(),
            "{input}: two resources share an id"
        );
    }
    assert!(checked > 100, "only {checked} references checked");
}

#[test]
fn outputs_correspond() {
    for (name, out) in inputs() {
        let planned: BTreeSet<String> = out.plan.outputs.iter().map(|o| pascal(&o.name)).collect();
        let cfn: BTreeSet<String> = objects(&out.cloudformation, "Outputs")
            .map(|(k, _)| k.clone())
            .collect();
        let tf: BTreeSet<String> = objects(&out.terraform, "output")
            .map(|(k, _)| pascal(k))
            .collect();
        assert_eq!(
            cfn, planned,
            "{name}: CloudFormation outputs differ from the plan's"
        );
        assert_eq!(
            tf, planned,
            "{name}: Terraform outputs (in pascal case) differ from the plan's"
        );
        for (k, o) in objects(&out.terraform, "output") {
            let value = o["value"].as_str().unwrap_or_default();
            assert!(
                (value.starts_with("${aws_") || value.starts_with("${join(\",\", [aws_"))
                    && value.ends_with('}'),
                "{name}: output {k} = {value}"
            );
        }
    }
}

#[test]
fn provider_region_and_tags_are_the_stack_ones() {
    for (name, out) in inputs() {
        let provider = &out.terraform["provider"]["aws"];
        assert_eq!(
            provider["region"],
            out.model.stack.region.as_str(),
            "{name}"
        );
        let tags: Vec<(String, String)> = objects(provider, "default_tags")
            .filter(|(k, _)| *k == "tags")
            .flat_map(|(_, t)| t.as_object().into_iter().flatten())
            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
            .collect();
        assert_eq!(tags, out.model.stack.tags, "{name}: default_tags");
        let required = &out.terraform["terraform"]["required_providers"]["aws"];
        assert_eq!(required["source"], "hashicorp/aws", "{name}");
        assert!(
            out.terraform["terraform"].get("required_version").is_none(),
            "{name}"
        );
    }
}

#[test]
fn images_deployed_by_ci_are_inputs_without_defaults_in_both_targets() {
    let mut checked = 0;
    for (name, out) in inputs() {
        let parameters = &out.cloudformation["Parameters"];
        let variables = &out.terraform["variable"];
        for s in &out.model.services {
            let task = &out.model.tasks[s.placement.task.value.0];
            let tf_name = ResId::new(Kind::Service, &s.name.name).terraform_name();
            let ignored = &out.terraform["resource"]["aws_ecs_service"][&tf_name]["lifecycle"]
                ["ignore_changes"];
            assert!(
                !ignored
                    .as_array()
                    .is_some_and(|a| a.iter().any(|v| v == "task_definition")),
                "{name}: service {} must not ignore task definition changes",
                s.name.name
            );
            for c in task.containers.iter().filter(|c| c.image_managed_outside) {
                // From a repository, the input carries the tag alone.
                let word = match c.from_repository {
                    Some(_) => "image-tag",
                    None => "image",
                };
                let base = format!("{}-{}-{word}", task.name.name, c.name.name);
                let p = &parameters[pascal(&base)];
                assert_eq!(p["Type"], "String", "{name}: parameter for {base}: {p}");
                assert!(p.get("Default").is_none(), "{name}: {base} has a default");
                let v = &variables[ecsc::names::snake(&base)];
                assert_eq!(v["type"], "string", "{name}: variable for {base}: {v}");
                assert!(v.get("default").is_none(), "{name}: {base} has a default");
                checked += 1;
            }
        }
    }
    assert!(checked > 0, "no input has an `external_image` container");
}
