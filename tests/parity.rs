//! Parity between the two emitters: for every example (and a stack below
//! that uses every resource kind), each CloudFormation resource has its
//! Terraform counterpart(s) by the table in `docs/targets.md`, the counts
//! agree per type, names correspond, and outputs match.
//!
//! The table is encoded once, here; `docs_table_matches` checks that the
//! document shows exactly these rows.

use ecsc::emit::{cloudformation, terraform};
use ecsc::names::pascal;
use ecsc::source::Sources;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// How many Terraform resources of a type one CloudFormation resource
/// becomes.
#[derive(Clone, Copy)]
enum Per {
    /// Exactly one (the first such counterpart is the one named after it).
    One,
    /// One per entry of this list property.
    Entry(&'static str),
}

struct Row {
    cloudformation: &'static str,
    /// Markdown: the logical id patterns.
    logical_id: &'static str,
    terraform: &'static [(&'static str, Per)],
    /// Markdown: the Terraform name patterns.
    terraform_name: &'static str,
    /// The type word of the logical id: without it (its last occurrence),
    /// the logical id is `pascal(terraform name)`.
    word: &'static str,
}

const TABLE: &[Row] = &[
    Row {
        cloudformation: "AWS::EC2::VPC",
        logical_id: "`<Vpc>Vpc`",
        terraform: &[("aws_vpc", Per::One)],
        terraform_name: "`<vpc>`",
        word: "Vpc",
    },
    Row {
        cloudformation: "AWS::EC2::Subnet",
        logical_id: "`<Subnet>Subnet`",
        terraform: &[("aws_subnet", Per::One)],
        terraform_name: "`<subnet>`",
        word: "Subnet",
    },
    Row {
        cloudformation: "AWS::EC2::InternetGateway",
        logical_id: "`<Vpc>InternetGateway`",
        terraform: &[("aws_internet_gateway", Per::One)],
        terraform_name: "`<vpc>`",
        word: "InternetGateway",
    },
    Row {
        cloudformation: "AWS::EC2::VPCGatewayAttachment",
        logical_id: "`<Vpc>GatewayAttachment`",
        terraform: &[],
        terraform_name: "—",
        word: "GatewayAttachment",
    },
    Row {
        cloudformation: "AWS::EC2::EIP",
        logical_id: "`<Nat>NatEip`",
        terraform: &[("aws_eip", Per::One)],
        terraform_name: "`<nat>`",
        word: "NatEip",
    },
    Row {
        cloudformation: "AWS::EC2::NatGateway",
        logical_id: "`<Nat>NatGateway`",
        terraform: &[("aws_nat_gateway", Per::One)],
        terraform_name: "`<nat>`",
        word: "NatGateway",
    },
    Row {
        cloudformation: "AWS::EC2::RouteTable",
        logical_id: "`<Vpc>PublicRouteTable`, `<Subnet>RouteTable`",
        terraform: &[("aws_route_table", Per::One)],
        terraform_name: "`<vpc>_public`, `<subnet>`",
        word: "RouteTable",
    },
    Row {
        cloudformation: "AWS::EC2::Route",
        logical_id: "`<Vpc>PublicDefaultRoute`, `<Subnet>DefaultRoute`",
        terraform: &[("aws_route", Per::One)],
        terraform_name: "`<vpc>_public`, `<subnet>`",
        word: "DefaultRoute",
    },
    Row {
        cloudformation: "AWS::EC2::SubnetRouteTableAssociation",
        logical_id: "`<Subnet>RouteTableAssociation`",
        terraform: &[("aws_route_table_association", Per::One)],
        terraform_name: "`<subnet>`",
        word: "RouteTableAssociation",
    },
    Row {
        cloudformation: "AWS::EC2::SecurityGroup",
        logical_id: "`<Group>SecurityGroup`",
        terraform: &[
            ("aws_security_group", Per::One),
            ("aws_vpc_security_group_ingress_rule", Per::Entry("SecurityGroupIngress")),
            ("aws_vpc_security_group_egress_rule", Per::Entry("SecurityGroupEgress")),
        ],
        terraform_name: "`<group>`; rules `<group>_ingress_<n>`, `<group>_egress_<n>`, `<group>_egress_all`",
        word: "SecurityGroup",
    },
    Row {
        cloudformation: "AWS::EC2::SecurityGroupIngress",
        logical_id: "`<Group>SecurityGroupIngress<n>`",
        terraform: &[("aws_vpc_security_group_ingress_rule", Per::One)],
        terraform_name: "`<group>_ingress_<n>`",
        word: "SecurityGroup",
    },
    Row {
        cloudformation: "AWS::EC2::SecurityGroupEgress",
        logical_id: "`<Group>SecurityGroupEgress<n>`",
        terraform: &[("aws_vpc_security_group_egress_rule", Per::One)],
        terraform_name: "`<group>_egress_<n>`",
        word: "SecurityGroup",
    },
    Row {
        cloudformation: "AWS::EC2::VPCEndpoint",
        logical_id: "`<Endpoint>Endpoint`",
        terraform: &[("aws_vpc_endpoint", Per::One)],
        terraform_name: "`<endpoint>`",
        word: "Endpoint",
    },
    Row {
        cloudformation: "AWS::ElasticLoadBalancingV2::LoadBalancer",
        logical_id: "`<Lb>LoadBalancer`",
        terraform: &[("aws_lb", Per::One)],
        terraform_name: "`<lb>`",
        word: "LoadBalancer",
    },
    Row {
        cloudformation: "AWS::ElasticLoadBalancingV2::Listener",
        logical_id: "`<Lb>Listener<port>`",
        terraform: &[("aws_lb_listener", Per::One)],
        terraform_name: "`<lb>_<port>`",
        word: "Listener",
    },
    Row {
        cloudformation: "AWS::ElasticLoadBalancingV2::TargetGroup",
        logical_id: "`<Service><Lb><port>TargetGroup`",
        terraform: &[("aws_lb_target_group", Per::One)],
        terraform_name: "`<service>_<lb>_<port>`",
        word: "TargetGroup",
    },
    Row {
        cloudformation: "AWS::ElasticLoadBalancingV2::ListenerRule",
        logical_id: "`<Service><Lb><port>ListenerRule`",
        terraform: &[("aws_lb_listener_rule", Per::One)],
        terraform_name: "`<service>_<lb>_<port>`",
        word: "ListenerRule",
    },
    Row {
        cloudformation: "AWS::ECS::Cluster",
        logical_id: "`<Cluster>Cluster`",
        terraform: &[("aws_ecs_cluster", Per::One)],
        terraform_name: "`<cluster>`",
        word: "Cluster",
    },
    Row {
        cloudformation: "AWS::ServiceDiscovery::PrivateDnsNamespace",
        logical_id: "`<Namespace>Namespace`",
        terraform: &[("aws_service_discovery_private_dns_namespace", Per::One)],
        terraform_name: "`<namespace>`",
        word: "Namespace",
    },
    Row {
        cloudformation: "AWS::Logs::LogGroup",
        logical_id: "`<Task>LogGroup`",
        terraform: &[("aws_cloudwatch_log_group", Per::One)],
        terraform_name: "`<task>`",
        word: "LogGroup",
    },
    Row {
        cloudformation: "AWS::IAM::Role",
        logical_id: "`<Task>ExecutionRole`, `<Task>TaskRole`, `<Schedule>EventsRole`",
        terraform: &[
            ("aws_iam_role", Per::One),
            ("aws_iam_role_policy", Per::Entry("Policies")),
            ("aws_iam_role_policy_attachment", Per::Entry("ManagedPolicyArns")),
        ],
        terraform_name: "`<task>_execution`, `<task>_task`, `<schedule>_events`; attachments `<role>_<policy name>`",
        word: "Role",
    },
    Row {
        cloudformation: "AWS::ECS::TaskDefinition",
        logical_id: "`<Task>TaskDefinition`",
        terraform: &[("aws_ecs_task_definition", Per::One)],
        terraform_name: "`<task>`",
        word: "TaskDefinition",
    },
    Row {
        cloudformation: "AWS::ECS::Service",
        logical_id: "`<Service>Service`",
        terraform: &[("aws_ecs_service", Per::One)],
        terraform_name: "`<service>`",
        word: "Service",
    },
    Row {
        cloudformation: "AWS::ServiceDiscovery::Service",
        logical_id: "`<Service>DiscoveryService`",
        terraform: &[("aws_service_discovery_service", Per::One)],
        terraform_name: "`<service>`",
        word: "DiscoveryService",
    },
    Row {
        cloudformation: "AWS::ApplicationAutoScaling::ScalableTarget",
        logical_id: "`<Service>ScalableTarget`",
        terraform: &[("aws_appautoscaling_target", Per::One)],
        terraform_name: "`<service>`",
        word: "ScalableTarget",
    },
    Row {
        cloudformation: "AWS::ApplicationAutoScaling::ScalingPolicy",
        logical_id: "`<Service><Metric>ScalingPolicy`",
        terraform: &[("aws_appautoscaling_policy", Per::One)],
        terraform_name: "`<service>_<metric>`",
        word: "ScalingPolicy",
    },
    Row {
        cloudformation: "AWS::Events::Rule",
        logical_id: "`<Schedule>Schedule`",
        terraform: &[
            ("aws_cloudwatch_event_rule", Per::One),
            ("aws_cloudwatch_event_target", Per::Entry("Targets")),
        ],
        terraform_name: "`<schedule>`",
        word: "Schedule",
    },
];

/// The inline egress entry CloudFormation needs when every egress rule is
/// a separate resource (Terraform never keeps the default egress, so it
/// has no counterpart).
const EGRESS_PLACEHOLDER: &str = "Replaces the default allow-all egress";

fn render_terraform(row: &Row) -> String {
    if row.terraform.is_empty() {
        return "none: `aws_internet_gateway` is created attached (`vpc_id`)".to_string();
    }
    row.terraform
        .iter()
        .map(|(kind, per)| match per {
            Per::One => format!("`{kind}`"),
            Per::Entry(prop) => format!("one `{kind}` per `{prop}` entry"),
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

fn render_table() -> Vec<String> {
    let mut lines = vec![
        "| CloudFormation type | Logical id | Terraform | Terraform name |".to_string(),
        "|---|---|---|---|".to_string(),
    ];
    for row in TABLE {
        lines.push(format!(
            "| `{}` | {} | {} | {} |",
            row.cloudformation,
            row.logical_id,
            render_terraform(row),
            row.terraform_name
        ));
    }
    lines
}

#[test]
fn docs_table_matches() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("docs")
        .join("targets.md");
    let doc = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let expected = render_table();
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
        found,
        expected,
        "docs/targets.md's table differs from tests/parity.rs's TABLE; it should read:\n{}",
        expected.join("\n")
    );
}

// ---------------------------------------------------------------------------

/// A stack that uses every resource kind and most options, beside the
/// examples: NAT, gateway and interface endpoints, prefix-list and group
/// peers, a group whose only egress is to a group, an internal and an
/// internet-facing load balancer, discovery (A and SRV), auto scaling, an
/// EC2 bridge task with EFS and managed policies, a schedule, an image
/// deployed by CI, and literal `${`/`%{` text.
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
cluster demo { insights = true }
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
task report {
  cpu = 512
  memory = 1GiB
  container job { image = "busybox:1.36" command = ["echo", "hi"] }
}
task worker {
  launch = ec2
  network_mode = bridge
  memory = 512
  volume data { efs = "fs-12345678"  access_point = "fsap-1234"  iam = true }
  container main {
    image = "nginx:1.27"
    port 80 { host_port = 8081 }
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
  deployment { min_healthy = 100%  max = 200%  circuit_breaker = rollback }
  discovery { namespace = local  name = "hostname" }
  autoscale { min = 2  max = 10  cpu = 60%  requests = 1000 }
  exec = true
}
service worker {
  cluster = demo
  task = worker
  count = 1
  launch = ec2
  route internal_lb:8080 { container = main  port = 80  health = "/health" }
  discovery { namespace = local  name = "worker" }
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
    cloudformation: Value,
    terraform: Value,
}

fn compile(name: &str, sources: &Sources) -> Outputs {
    let compiled = ecsc::compile(sources, &[]).unwrap_or_else(|e| panic!("{name}: {e}"));
    let model = compiled
        .model
        .unwrap_or_else(|| panic!("{name} does not compile: {:?}", compiled.diagnostics));
    let cloudformation = serde_json::from_str(&cloudformation::template(&model).to_json())
        .unwrap_or_else(|e| panic!("{name}: CloudFormation output is not JSON: {e}"));
    let terraform = serde_json::from_str(&terraform::configuration(&model).to_json())
        .unwrap_or_else(|e| panic!("{name}: Terraform output is not JSON: {e}"));
    Outputs {
        model,
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

fn row(kind: &str) -> &'static Row {
    TABLE
        .iter()
        .find(|r| r.cloudformation == kind)
        .unwrap_or_else(|| {
            panic!("{kind} is not in the parity table: add it to TABLE and docs/targets.md")
        })
}

fn entries(properties: &Value, prop: &str) -> usize {
    match properties.get(prop).and_then(Value::as_array) {
        Some(items) => items
            .iter()
            .filter(|e| {
                !e.get("Description")
                    .and_then(Value::as_str)
                    .is_some_and(|d| d.starts_with(EGRESS_PLACEHOLDER))
            })
            .count(),
        None => 0,
    }
}

fn objects<'a>(v: &'a Value, key: &str) -> impl Iterator<Item = (&'a String, &'a Value)> {
    v.get(key).and_then(Value::as_object).into_iter().flatten()
}

/// The logical id without the type word's last occurrence.
fn strip_word(id: &str, word: &str) -> String {
    match id.rfind(word) {
        Some(i) => format!("{}{}", &id[..i], &id[i + word.len()..]),
        None => id.to_string(),
    }
}

#[test]
fn every_cloudformation_resource_has_its_terraform_counterparts() {
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    for (name, out) in inputs() {
        let mut expected: BTreeMap<String, usize> = BTreeMap::new();
        let mut actual: BTreeMap<String, usize> = BTreeMap::new();
        let tf_names = |kind: &str| -> BTreeSet<String> {
            out.terraform["resource"]
                .get(kind)
                .and_then(Value::as_object)
                .map(|o| o.keys().cloned().collect())
                .unwrap_or_default()
        };
        for (kind, named) in objects(&out.terraform, "resource") {
            let n = named.as_object().map_or(0, |o| o.len());
            actual.insert(kind.clone(), n);
            assert!(
                TABLE
                    .iter()
                    .any(|r| r.terraform.iter().any(|(k, _)| k == kind)),
                "{name}: Terraform type {kind} is in no row of the parity table"
            );
        }
        for (id, resource) in objects(&out.cloudformation, "Resources") {
            let kind = resource["Type"].as_str().unwrap_or_default();
            let row = row(kind);
            seen.insert(row.cloudformation);
            let props = resource.get("Properties").cloned().unwrap_or(Value::Null);
            for (tf_kind, per) in row.terraform {
                let n = match per {
                    Per::One => 1,
                    Per::Entry(prop) => entries(&props, prop),
                };
                *expected.entry(tf_kind.to_string()).or_default() += n;
            }
            if let Some((primary, _)) = row.terraform.first() {
                let want = strip_word(id, row.word);
                let names = tf_names(primary);
                assert!(
                    names.iter().any(|n| pascal(n) == want),
                    "{name}: CloudFormation {id} ({kind}) has no {primary} named like it (pascal case {want}); {primary}: {names:?}"
                );
            }
        }
        expected.retain(|_, n| *n > 0);
        assert_eq!(actual, expected, "{name}: Terraform resource counts per type differ from the CloudFormation ones mapped by the table");
    }
    let missing: Vec<&str> = TABLE
        .iter()
        .map(|r| r.cloudformation)
        .filter(|k| !seen.contains(k))
        .collect();
    assert!(
        missing.is_empty(),
        "no input exercises these rows: {missing:?}"
    );
}

#[test]
fn outputs_correspond() {
    for (name, out) in inputs() {
        let cfn: BTreeSet<String> = objects(&out.cloudformation, "Outputs")
            .map(|(k, _)| k.clone())
            .collect();
        let tf: BTreeSet<String> = objects(&out.terraform, "output")
            .map(|(k, _)| pascal(k))
            .collect();
        assert_eq!(
            tf, cfn,
            "{name}: Terraform outputs (in pascal case) differ from CloudFormation's"
        );
        for (k, o) in objects(&out.terraform, "output") {
            let value = o["value"].as_str().unwrap_or_default();
            assert!(
                value.starts_with("${aws_") && value.ends_with('}'),
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
fn images_deployed_by_ci_are_a_parameter_and_ignored_drift() {
    let mut checked = 0;
    for (name, out) in inputs() {
        let params: BTreeSet<String> = objects(&out.cloudformation, "Parameters")
            .map(|(k, _)| k.clone())
            .collect();
        for (si, s) in out.model.services.iter().enumerate() {
            let task = &out.model.tasks[s.task.value.0];
            let external: Vec<String> = task
                .containers
                .iter()
                .filter(|c| c.image_managed_outside)
                .map(|c| format!("{}{}Image", pascal(&task.name.name), pascal(&c.name.name)))
                .collect();
            let tf_name = terraform::names::service(&out.model, ecsc::model::ServiceId(si));
            let ignored: Vec<&str> = out.terraform["resource"]["aws_ecs_service"][&tf_name]
                ["lifecycle"]["ignore_changes"]
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            assert_eq!(
                ignored.contains(&"task_definition"),
                !external.is_empty(),
                "{name}: service {} ignores task_definition changes exactly when an image is deployed by CI",
                s.name.name
            );
            for p in &external {
                assert!(
                    params.contains(p),
                    "{name}: CloudFormation parameter {p} missing"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 0, "no input has an `external_image` container");
}
