//! Capacity provider strategies, placement strategies and constraints, and
//! daemon services, as both targets write them.

use serde_json::{json, Value};

fn compile(src: &str) -> (Value, Value) {
    let mut sources = ecsc::source::Sources::new();
    sources.add("placement.ecs", src.to_string());
    let compiled = ecsc::compile(&sources, &[]).expect("compiles");
    assert!(
        !compiled.diagnostics.has_errors(),
        "{:?}",
        compiled.diagnostics
    );
    let plan = compiled.plan.expect("a plan");
    let cfn = ecsc::emit::cloudformation::template(&plan).to_json();
    let tf = ecsc::emit::terraform::configuration(&plan).to_json();
    (
        serde_json::from_str(&cfn).expect("JSON"),
        serde_json::from_str(&tf).expect("JSON"),
    )
}

const EC2: &str = r#"stack s { region = "eu-west-1" }
cluster apps { }
task worker {
  launch = ec2
  network_mode = bridge
  container worker { image = "public.ecr.aws/docker/library/busybox:1.36"  memory = 256 }
}
service worker {
  cluster = apps  task = worker  count = 6
  placement {
    strategy          = [spread_zone, binpack_memory]
    distinct_instance = true
    member_of         = "attribute:ecs.instance-type =~ m6i.*"
  }
}
service agent { cluster = apps  task = worker  scheduling = daemon }
schedule nightly {
  cluster = apps  task = worker  cron = "0 3 * * ? *"
  placement { strategy = random }
}
"#;

#[test]
fn placement_is_written_in_order_in_both_targets() {
    let (cfn, tf) = compile(EC2);
    let svc = &cfn["Resources"]["WorkerService"]["Properties"];
    assert_eq!(
        svc["PlacementStrategies"],
        json!([
            {"Type": "spread", "Field": "attribute:ecs.availability-zone"},
            {"Type": "binpack", "Field": "memory"}
        ])
    );
    assert_eq!(
        svc["PlacementConstraints"],
        json!([
            {"Type": "distinctInstance"},
            {"Type": "memberOf", "Expression": "attribute:ecs.instance-type =~ m6i.*"}
        ])
    );
    let target = &cfn["Resources"]["NightlySchedule"]["Properties"]["Targets"][0]["EcsParameters"];
    assert_eq!(target["PlacementStrategies"], json!([{"Type": "random"}]));
    let svc = &tf["resource"]["aws_ecs_service"]["worker"];
    assert_eq!(
        svc["ordered_placement_strategy"],
        json!([
            {"type": "spread", "field": "attribute:ecs.availability-zone"},
            {"type": "binpack", "field": "memory"}
        ])
    );
    assert_eq!(svc["placement_constraints"][1]["type"], "memberOf");
    let ecs_target = &tf["resource"]["aws_cloudwatch_event_target"]["nightly"]["ecs_target"];
    assert_eq!(
        ecs_target["ordered_placement_strategy"],
        json!([{"type": "random"}])
    );
}

#[test]
fn a_daemon_service_has_no_count() {
    let (cfn, tf) = compile(EC2);
    let agent = &cfn["Resources"]["AgentService"]["Properties"];
    assert_eq!(agent["SchedulingStrategy"], "DAEMON");
    assert!(agent.get("DesiredCount").is_none());
    let agent = &tf["resource"]["aws_ecs_service"]["agent"];
    assert_eq!(agent["scheduling_strategy"], "DAEMON");
    assert!(agent.get("desired_count").is_none());
}

#[test]
fn a_strategy_replaces_the_launch_type() {
    let (cfn, tf) = compile(
        r#"stack s { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
security_group sg { vpc = main }
cluster apps { capacity fargate_spot { } }
task web { cpu = 256  memory = 512  container app { image = "public.ecr.aws/nginx/nginx:1.27" } }
service web {
  cluster = apps  task = web  count = 3
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
  capacity fargate      { base = 1 }
  capacity fargate_spot { weight = 2 }
}
service batch {
  cluster = apps  task = web  count = 2
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
}
service pinned {
  cluster = apps  task = web  count = 2  launch = fargate
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
}
"#,
    );
    let r = &cfn["Resources"];
    let web = &r["WebService"]["Properties"];
    assert!(web.get("LaunchType").is_none());
    assert_eq!(
        web["CapacityProviderStrategy"],
        json!([
            {"CapacityProvider": "FARGATE", "Base": 1, "Weight": 1},
            {"CapacityProvider": "FARGATE_SPOT", "Weight": 2}
        ])
    );
    // The cluster's default, written out; `launch` keeps a launch type.
    assert_eq!(
        r["BatchService"]["Properties"]["CapacityProviderStrategy"],
        json!([{"CapacityProvider": "FARGATE_SPOT", "Weight": 1}])
    );
    assert_eq!(r["PinnedService"]["Properties"]["LaunchType"], "FARGATE");
    assert!(r["PinnedService"]["Properties"]
        .get("CapacityProviderStrategy")
        .is_none());
    let assoc = &r["AppsCapacityProviders"]["Properties"];
    assert_eq!(
        assoc["CapacityProviders"],
        json!(["FARGATE", "FARGATE_SPOT"])
    );
    assert_eq!(
        assoc["DefaultCapacityProviderStrategy"],
        json!([{"CapacityProvider": "FARGATE_SPOT", "Weight": 1}])
    );
    assert_eq!(
        r["WebService"]["DependsOn"],
        json!(["AppsCapacityProviders"])
    );
    let assoc = &tf["resource"]["aws_ecs_cluster_capacity_providers"]["apps"];
    assert_eq!(
        assoc["capacity_providers"],
        json!(["FARGATE", "FARGATE_SPOT"])
    );
    let web = &tf["resource"]["aws_ecs_service"]["web"];
    assert!(web.get("launch_type").is_none());
    assert!(web["depends_on"]
        .as_array()
        .is_some_and(|d| d.contains(&json!("aws_ecs_cluster_capacity_providers.apps"))));
}

/// One task on an instance group that may be all Spot is W052, as on
/// Fargate Spot; an on-demand base keeps it quiet.
#[test]
fn one_task_on_spot_instances_is_warned() {
    let stack = |base: u32| {
        format!(
            r#"stack s {{ region = "eu-west-1" }}
vpc main {{ cidr = 10.0.0.0/16 }}
subnet a {{ vpc = main  cidr = 10.0.1.0/24  zone = "a" }}
cluster apps {{ }}
instances pool {{
  cluster = apps  type = "t3.medium"  subnets = [a]  min = 1  max = 2
  spot {{ on_demand_base = {base} }}
}}
task web {{
  launch = ec2  network_mode = bridge
  container web {{ image = "public.ecr.aws/nginx/nginx:1.27"  memory = 256 }}
}}
service web {{ cluster = apps  task = web  count = 1  capacity pool {{ }} }}
"#
        )
    };
    let codes = |src: String| {
        let mut sources = ecsc::source::Sources::new();
        sources.add("spot.ecs", src);
        let c = ecsc::compile(&sources, &[]).expect("compiles");
        c.diagnostics.iter().map(|d| d.code).collect::<Vec<_>>()
    };
    assert_eq!(codes(stack(0)), ["W052"]);
    assert!(codes(stack(1)).is_empty());
}

/// Without a stated ENI trunking setting, awsvpc density is noted, not
/// judged; stated off, it is an error.
#[test]
fn awsvpc_density_depends_on_stated_trunking() {
    let stack = |trunking: &str| {
        format!(
            r#"stack s {{ region = "eu-west-1" }}
vpc main {{ cidr = 10.0.0.0/16 }}
subnet a {{ vpc = main  cidr = 10.0.1.0/24  zone = "a" }}
security_group sg {{ vpc = main }}
cluster apps {{ }}
instances general {{ cluster = apps  type = "t3.medium"  subnets = [a]  min = 1  max = 2 {trunking} }}
task api {{ launch = ec2  container api {{ image = "public.ecr.aws/nginx/nginx:1.27"  memory = 128 }} }}
service api {{ cluster = apps  task = api  count = 6  network {{ subnets = [a]  security_groups = [sg] }} }}
"#
        )
    };
    let run = |src: String| {
        let mut sources = ecsc::source::Sources::new();
        sources.add("density.ecs", src);
        let c = ecsc::compile(&sources, &[]).expect("compiles");
        let codes: Vec<&str> = c.diagnostics.iter().map(|d| d.code).collect();
        let notes: Vec<&str> = c.diagnostics.notes().iter().map(|d| d.code).collect();
        (codes, notes)
    };
    assert_eq!(run(stack("")), (vec![], vec!["E085"]));
    assert_eq!(run(stack("eni_trunking = false")).0, ["E085"]);
    assert_eq!(run(stack("eni_trunking = true")), (vec![], vec![]));
}

/// The instance role's managed policy is in the stack's partition.
#[test]
fn instance_policy_follows_the_partition() {
    let (cfn, _) = compile(
        r#"stack s { region = "cn-north-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a" }
cluster apps { }
instances general { cluster = apps  type = "t3.medium"  subnets = [a]  min = 1  max = 1 }
"#,
    );
    let role = &cfn["Resources"]["GeneralInstancesRole"]["Properties"];
    assert_eq!(
        role["ManagedPolicyArns"],
        json!(["arn:aws-cn:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"])
    );
}
