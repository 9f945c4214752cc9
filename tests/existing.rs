//! Resources that exist already, in both targets: nothing is created for
//! them, and every reference reads the id given (written out, an input or
//! an SSM parameter) or the attribute derived from it.

use serde_json::Value;

fn compile(src: &str) -> (Value, Value) {
    let mut sources = ecsc::source::Sources::new();
    sources.add("existing.ecs", src.to_string());
    let plan = ecsc::compile(&sources, &[])
        .expect("compiles")
        .plan
        .expect("no errors");
    let cfn = ecsc::emit::cloudformation::template(&plan).to_json();
    let tf = ecsc::emit::terraform::configuration(&plan).to_json();
    (
        serde_json::from_str(&cfn).expect("JSON"),
        serde_json::from_str(&tf).expect("JSON"),
    )
}

/// A service with auto scaling and a schedule on the cluster `platform`,
/// declared by `cluster`.
fn on_cluster(cluster: &str) -> String {
    format!(
        r#"
stack s {{ region = "eu-west-1" }}
vpc main {{ id = "vpc-0123456789abcdef0" }}
subnet a {{ id = "subnet-0123456789abcdef0"  vpc = main }}
security_group app {{ id = "sg-0123456789abcdef0"  vpc = main }}
{cluster}
task app {{
  cpu = 256  memory = 512
  container app {{ image = "public.ecr.aws/nginx/nginx:1.27" }}
}}
service app {{
  cluster = platform  task = app
  network {{ subnets = [a]  security_groups = [app] }}
  autoscale {{ min = 1  max = 2  cpu = 60% }}
}}
schedule nightly {{
  cluster = platform  task = app  cron = "0 3 * * ? *"
  network {{ subnets = [a]  security_groups = [app] }}
}}
"#
    )
}

/// (service's cluster, scalable target's resource id, schedule target's
/// ARN) in CloudFormation.
fn cfn_cluster_refs(t: &Value) -> (Value, Value, Value) {
    let r = &t["Resources"];
    (
        r["AppService"]["Properties"]["Cluster"].clone(),
        r["AppScalableTarget"]["Properties"]["ResourceId"].clone(),
        r["NightlySchedule"]["Properties"]["Targets"][0]["Arn"].clone(),
    )
}

/// The same in Terraform.
fn tf_cluster_refs(c: &Value) -> (Value, Value, Value) {
    let r = &c["resource"];
    (
        r["aws_ecs_service"]["app"]["cluster"].clone(),
        r["aws_appautoscaling_target"]["app"]["resource_id"].clone(),
        r["aws_cloudwatch_event_target"]["nightly"]["arn"].clone(),
    )
}

fn no_cluster_created(cfn: &Value, tf: &Value) {
    let types: Vec<&str> = cfn["Resources"]
        .as_object()
        .expect("resources")
        .values()
        .filter_map(|r| r["Type"].as_str())
        .collect();
    assert!(!types.contains(&"AWS::ECS::Cluster"), "{types:?}");
    assert!(tf["resource"].get("aws_ecs_cluster").is_none());
    assert!(cfn["Outputs"].get("PlatformClusterName").is_none());
}

#[test]
fn a_cluster_given_by_arn_is_referenced_by_arn_and_name() {
    let arn = "arn:aws:ecs:eu-west-1:123456789012:cluster/platform";
    let (cfn, tf) = compile(&on_cluster(&format!(
        "cluster platform {{ id = \"{arn}\" }}"
    )));
    no_cluster_created(&cfn, &tf);
    let (service, target, schedule) = cfn_cluster_refs(&cfn);
    assert_eq!(service, arn);
    assert_eq!(target["Fn::Sub"], "service/platform/${AppService.Name}");
    assert_eq!(schedule, arn);
    let (service, target, schedule) = tf_cluster_refs(&tf);
    assert_eq!(service, arn);
    assert_eq!(target, "service/platform/${aws_ecs_service.app.name}");
    assert_eq!(schedule, arn);
}

#[test]
fn a_cluster_given_by_name_gets_its_arn_built() {
    let (cfn, tf) = compile(&on_cluster("cluster platform { id = \"platform\" }"));
    no_cluster_created(&cfn, &tf);
    let arn_sub = "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:cluster/platform";
    let (service, target, schedule) = cfn_cluster_refs(&cfn);
    assert_eq!(service["Fn::Sub"], arn_sub);
    assert_eq!(target["Fn::Sub"], "service/platform/${AppService.Name}");
    assert_eq!(schedule["Fn::Sub"], arn_sub);
    let tf_arn = "arn:${data.aws_partition.current.partition}:ecs:eu-west-1:${data.aws_caller_identity.current.account_id}:cluster/platform";
    let (service, _, schedule) = tf_cluster_refs(&tf);
    assert_eq!(service, tf_arn);
    assert_eq!(schedule, tf_arn);
    // The ARN reads both data sources, which are therefore declared.
    assert!(tf["data"]["aws_partition"]["current"].is_object());
    assert!(tf["data"]["aws_caller_identity"]["current"].is_object());
}

#[test]
fn a_cluster_given_at_deploy_time_is_an_input_of_its_name() {
    let (cfn, tf) = compile(&on_cluster("cluster platform { id = input }"));
    no_cluster_created(&cfn, &tf);
    let param = &cfn["Parameters"]["PlatformClusterName"];
    assert_eq!(param["Type"], "String");
    assert_eq!(
        param["Description"],
        "Name of the existing cluster platform"
    );
    let (service, target, schedule) = cfn_cluster_refs(&cfn);
    let arn_sub =
        "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:cluster/${PlatformClusterName}";
    assert_eq!(service["Fn::Sub"], arn_sub);
    assert_eq!(
        target["Fn::Sub"],
        "service/${PlatformClusterName}/${AppService.Name}"
    );
    assert_eq!(schedule["Fn::Sub"], arn_sub);
    assert!(tf["variable"]["platform_cluster_name"].is_object());
    let (service, target, _) = tf_cluster_refs(&tf);
    assert!(
        service
            .as_str()
            .is_some_and(|s| s.ends_with(":cluster/${var.platform_cluster_name}")),
        "{service}"
    );
    assert_eq!(
        target,
        "service/${var.platform_cluster_name}/${aws_ecs_service.app.name}"
    );
}

#[test]
fn a_cluster_from_ssm_reads_the_parameter() {
    let (cfn, tf) = compile(&on_cluster(
        "cluster platform { id_from_ssm = \"/platform/ecs/cluster\" }",
    ));
    no_cluster_created(&cfn, &tf);
    let param = &cfn["Parameters"]["PlatformClusterName"];
    assert_eq!(param["Type"], "AWS::SSM::Parameter::Value<String>");
    assert_eq!(param["Default"], "/platform/ecs/cluster");
    assert_eq!(
        tf["data"]["aws_ssm_parameter"]["platform_cluster_name"]["name"],
        "/platform/ecs/cluster"
    );
}

/// A service routed from the load balancer `shared` (declared by `lb`),
/// scaled by `autoscale`.
fn behind_scaled(lb: &str, autoscale: &str) -> String {
    format!(
        r#"
stack s {{ region = "eu-west-1" }}
vpc main {{ id = "vpc-0123456789abcdef0" }}
subnet a {{ id = "subnet-0123456789abcdef0"  vpc = main }}
security_group app {{ id = "sg-0123456789abcdef0"  vpc = main }}
{lb}
cluster c {{}}
task app {{
  cpu = 256  memory = 512
  container app {{ image = "public.ecr.aws/nginx/nginx:1.27"  port 8080 }}
}}
service app {{
  cluster = c  task = app
  network {{ subnets = [a]  security_groups = [app] }}
  route shared:8443 {{ path = "/app/*" }}
  {autoscale}
}}
"#
    )
}

/// [`behind_scaled`] on requests.
fn behind(lb: &str) -> String {
    behind_scaled(lb, "autoscale { min = 1  max = 2  requests = 500 }")
}

const LB_ARN: &str =
    "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/shared/0123456789abcdef";

#[test]
fn a_listener_added_to_an_existing_load_balancer_names_its_arn() {
    let (cfn, tf) = compile(&behind(&format!(
        "load_balancer shared {{ id = \"{LB_ARN}\"  vpc = main  listener http 8443 {{ }} }}"
    )));
    let r = &cfn["Resources"];
    assert!(
        r.get("SharedLoadBalancer").is_none(),
        "created an existing load balancer"
    );
    assert_eq!(
        r["SharedListener8443"]["Properties"]["LoadBalancerArn"],
        LB_ARN
    );
    // The target group is made in the stated VPC.
    assert_eq!(
        r["AppShared8443TargetGroup"]["Properties"]["VpcId"],
        "vpc-0123456789abcdef0"
    );
    // Request-count scaling reads the full name from the written ARN.
    let label = &r["AppRequestsScalingPolicy"]["Properties"]
        ["TargetTrackingScalingPolicyConfiguration"]["PredefinedMetricSpecification"]
        ["ResourceLabel"];
    assert_eq!(
        label["Fn::Sub"],
        "app/shared/0123456789abcdef/${AppShared8443TargetGroup.TargetGroupFullName}"
    );
    assert!(cfn["Outputs"].get("SharedDnsName").is_none());
    let tf_r = &tf["resource"];
    assert!(tf_r.get("aws_lb").is_none());
    assert_eq!(
        tf_r["aws_lb_listener"]["shared_8443"]["load_balancer_arn"],
        LB_ARN
    );
}

#[test]
fn rules_on_an_existing_listener_read_its_arn() {
    let (cfn, tf) = compile(&behind_scaled(
        "load_balancer shared { id = input  vpc = main  listener https 8443 { id = input } }",
        "autoscale { min = 1  max = 2  cpu = 60% }",
    ));
    let r = &cfn["Resources"];
    assert!(
        r.get("SharedListener8443").is_none(),
        "created an existing listener"
    );
    assert_eq!(
        r["AppShared8443ListenerRule"]["Properties"]["ListenerArn"],
        serde_json::json!({"Ref": "Shared8443ListenerArn"})
    );
    assert_eq!(
        cfn["Parameters"]["Shared8443ListenerArn"]["Description"],
        "ARN of the existing listener shared:8443"
    );
    // Nothing reads the load balancer itself: no input is asked for it.
    assert!(cfn["Parameters"].get("SharedLoadBalancerArn").is_none());
    assert!(tf["variable"].get("shared_load_balancer_arn").is_none());
    assert!(tf["variable"]["shared_8443_listener_arn"].is_object());
    assert!(tf["resource"].get("aws_lb_listener").is_none());
    assert_eq!(
        tf["resource"]["aws_lb_listener_rule"]["app_shared_8443"]["listener_arn"],
        "${var.shared_8443_listener_arn}"
    );
}

#[test]
fn what_an_existing_load_balancer_cannot_give_is_an_error() {
    let mut sources = ecsc::source::Sources::new();
    sources.add(
        "existing.ecs",
        behind("load_balancer shared { id = input  vpc = main  listener http 8443 { } }"),
    );
    let compiled = ecsc::compile(&sources, &[]).expect("compiles");
    let codes: Vec<&str> = compiled.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(
        codes,
        ["E092"],
        "request-count scaling on an input's load balancer"
    );
    assert!(compiled.plan.is_none());
}

#[test]
fn existing_roles_are_passed_and_named_by_arn() {
    let role = "arn:aws:iam::123456789012:role/app/api";
    let (cfn, tf) = compile(&format!(
        r#"
stack s {{ region = "eu-west-1" }}
vpc main {{ id = "vpc-0123456789abcdef0" }}
subnet a {{ id = "subnet-0123456789abcdef0"  vpc = main }}
security_group app {{ id = "sg-0123456789abcdef0"  vpc = main }}
cluster c {{}}
task api {{
  cpu = 256  memory = 512
  execution_role {{ id = input }}
  role {{ id = "{role}" }}
  container app {{ image = "public.ecr.aws/nginx/nginx:1.27" }}
}}
schedule nightly {{
  cluster = c  task = api  cron = "0 3 * * ? *"
  network {{ subnets = [a]  security_groups = [app] }}
}}
"#
    ));
    let r = &cfn["Resources"];
    let types: Vec<&str> = r
        .as_object()
        .expect("resources")
        .values()
        .filter_map(|v| v["Type"].as_str())
        .collect();
    // Only the schedule's own role is created.
    assert_eq!(types.iter().filter(|t| **t == "AWS::IAM::Role").count(), 1);
    let td = &r["ApiTaskDefinition"]["Properties"];
    assert_eq!(
        td["ExecutionRoleArn"],
        serde_json::json!({"Ref": "ApiExecutionRoleArn"})
    );
    assert_eq!(td["TaskRoleArn"], role);
    let pass =
        &r["NightlyEventsRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"][1];
    assert_eq!(pass["Action"], serde_json::json!(["iam:PassRole"]));
    assert_eq!(
        pass["Resource"],
        serde_json::json!([{"Ref": "ApiExecutionRoleArn"}, role])
    );
    let td = &tf["resource"]["aws_ecs_task_definition"]["api"];
    assert_eq!(td["execution_role_arn"], "${var.api_execution_role_arn}");
    assert_eq!(td["task_role_arn"], role);
    assert_eq!(
        tf["resource"]["aws_iam_role"].as_object().map(|o| o.len()),
        Some(1)
    );
}

#[test]
fn an_existing_namespace_is_joined_by_its_arn_built_from_the_id() {
    let (cfn, tf) = compile(
        r#"stack ex { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
security_group sg { vpc = main  ingress tcp 8080 from sg }
namespace mesh { id = input  type = http }
namespace shared { id = "ns-abc123"  vpc = main }
cluster demo { service_connect = mesh }
task api {
  cpu = 256  memory = 512
  container app { image = "nginx:1.27"  port 8080 { name = "http" } }
}
service api {
  cluster = demo  task = api
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
  connect { serve http { } }
}
service b {
  cluster = demo  task = api
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
  connect { namespace = shared }
}"#,
    );
    let r = &cfn["Resources"];
    let types: Vec<&str> = r
        .as_object()
        .expect("resources")
        .values()
        .filter_map(|v| v["Type"].as_str())
        .collect();
    assert!(!types
        .iter()
        .any(|t| t.starts_with("AWS::ServiceDiscovery::")));
    let mesh = "arn:${AWS::Partition}:servicediscovery:${AWS::Region}:${AWS::AccountId}:namespace/${MeshNamespaceId}";
    assert_eq!(
        r["DemoCluster"]["Properties"]["ServiceConnectDefaults"]["Namespace"]["Fn::Sub"],
        mesh
    );
    let api = &r["ApiService"]["Properties"]["ServiceConnectConfiguration"];
    assert_eq!(api["Namespace"]["Fn::Sub"], mesh);
    assert_eq!(api["Services"][0]["PortName"], "http");
    assert_eq!(
        r["BService"]["Properties"]["ServiceConnectConfiguration"]["Namespace"]["Fn::Sub"],
        "arn:${AWS::Partition}:servicediscovery:${AWS::Region}:${AWS::AccountId}:namespace/ns-abc123"
    );
    assert!(cfn["Parameters"]["MeshNamespaceId"].is_object());
    let res = &tf["resource"];
    assert!(res.get("aws_service_discovery_http_namespace").is_none());
    assert_eq!(
        res["aws_ecs_service"]["api"]["service_connect_configuration"]["namespace"],
        "arn:${data.aws_partition.current.partition}:servicediscovery:eu-west-1:${data.aws_caller_identity.current.account_id}:namespace/${var.mesh_namespace_id}"
    );
    assert_eq!(
        res["aws_ecs_cluster"]["demo"]["service_connect_defaults"]["namespace"],
        res["aws_ecs_service"]["api"]["service_connect_configuration"]["namespace"]
    );
}

/// An execution role that exists already cannot be granted the task's
/// secrets: the note says exactly which ARNs it must allow.
#[test]
fn an_existing_execution_role_is_told_the_secret_arns_to_allow() {
    let src = r#"stack shop { region = "eu-west-1" }
task api {
  cpu = 256  memory = 512
  execution_role { id = "arn:aws:iam::123456789012:role/platform-execution" }
  container app {
    image = "public.ecr.aws/nginx/nginx:1.27"
    secret A from secretsmanager "shop/rails" key "secret_key_base"
    secret B from ssm "/shop/db_url"
  }
}"#;
    let mut sources = ecsc::source::Sources::new();
    sources.add("existing.ecs", src.to_string());
    let compiled = ecsc::compile(&sources, &[]).expect("compiles");
    let notes = compiled.diagnostics.notes();
    let help = notes
        .iter()
        .find(|d| d.code == "E073")
        .and_then(|d| d.help.clone())
        .expect("a note about the execution role");
    for grant in [
        "ssm:GetParameters on arn:<partition>:ssm:eu-west-1:<account>:parameter/shop/db_url",
        "secretsmanager:GetSecretValue on arn:<partition>:secretsmanager:eu-west-1:<account>:secret:shop/rails-??????",
    ] {
        assert!(help.contains(grant), "{help}");
    }
}
