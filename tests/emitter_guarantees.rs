//! Properties every emitted template and Terraform configuration must have,
//! which the external validators do not check (they do not model creation
//! order): routes through an internet gateway, NAT EIPs and internet-facing
//! load balancers wait for the gateway attachment (in Terraform, the
//! gateway); a service waits for the listener or rule that forwards to each
//! of its target groups; endpoint types are explicit; logical ids are
//! alphanumeric and Terraform names valid identifiers; deployment alarms
//! and step scaling policies are wired to alarms the stack creates; the
//! execution role is granted the secret each reference resolves to.

mod common;

use serde_json::Value;

fn plans() -> Vec<(String, ecsc::plan::Plan)> {
    common::examples()
        .into_iter()
        .map(|path| {
            let mut sources = ecsc::source::Sources::new();
            sources.add(
                path.display().to_string(),
                std::fs::read_to_string(&path).unwrap(),
            );
            let plan = ecsc::compile(&sources, &[])
                .unwrap()
                .plan
                .expect("example compiles");
            (path.display().to_string(), plan)
        })
        .collect()
}

fn templates() -> Vec<(String, Value)> {
    plans()
        .into_iter()
        .map(|(name, plan)| {
            let json = ecsc::emit::cloudformation::template(&plan).to_json();
            (name, serde_json::from_str(&json).unwrap())
        })
        .collect()
}

fn configurations() -> Vec<(String, Value)> {
    plans()
        .into_iter()
        .map(|(name, plan)| {
            let json = ecsc::emit::terraform::configuration(&plan).to_json();
            (name, serde_json::from_str(&json).unwrap())
        })
        .collect()
}

/// Terraform resources of one type: (name, body).
fn tf_of_type<'a>(c: &'a Value, ty: &str) -> Vec<(&'a String, &'a Value)> {
    c["resource"][ty]
        .as_object()
        .map(|o| o.iter().collect())
        .unwrap_or_default()
}

fn tf_depends_on(r: &Value) -> Vec<&str> {
    r["depends_on"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

fn resources(t: &Value) -> Vec<(&String, &Value)> {
    t["Resources"].as_object().unwrap().iter().collect()
}

fn depends_on(r: &Value) -> Vec<&str> {
    r["DependsOn"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

fn of_type<'a>(t: &'a Value, ty: &str) -> Vec<(&'a String, &'a Value)> {
    resources(t)
        .into_iter()
        .filter(|(_, r)| r["Type"] == ty)
        .collect()
}

#[test]
fn internet_facing_resources_wait_for_the_gateway_attachment() {
    let mut checked = 0;
    for (name, t) in templates() {
        let attachments: Vec<&String> = of_type(&t, "AWS::EC2::VPCGatewayAttachment")
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        for (id, r) in of_type(&t, "AWS::EC2::Route") {
            if r["Properties"]["GatewayId"].is_object() {
                let deps = depends_on(r);
                assert!(
                    attachments.iter().any(|a| deps.contains(&a.as_str())),
                    "{name}: route {id} does not wait for the gateway attachment"
                );
                checked += 1;
            }
        }
        for (id, r) in of_type(&t, "AWS::EC2::EIP")
            .into_iter()
            .chain(of_type(&t, "AWS::ElasticLoadBalancingV2::LoadBalancer"))
        {
            if r["Properties"]["Scheme"] == "internal" || attachments.is_empty() {
                continue;
            }
            let deps = depends_on(r);
            assert!(
                attachments.iter().any(|a| deps.contains(&a.as_str())),
                "{name}: {id} does not wait for the gateway attachment"
            );
            checked += 1;
        }
    }
    assert!(
        checked >= 8,
        "the examples exercise this ({checked} checked)"
    );
}

#[test]
fn services_wait_for_what_forwards_to_their_target_groups() {
    let mut checked = 0;
    for (name, t) in templates() {
        // Each target group an action forwards to: directly, or by weight.
        let targets = |action: &serde_json::Value| -> Vec<String> {
            let direct = action["TargetGroupArn"]["Ref"].as_str().map(String::from);
            let weighted = action["ForwardConfig"]["TargetGroups"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|g| g["TargetGroupArn"]["Ref"].as_str().map(String::from));
            direct.into_iter().chain(weighted).collect()
        };
        let forwarders: Vec<(&String, String)> =
            of_type(&t, "AWS::ElasticLoadBalancingV2::ListenerRule")
                .into_iter()
                .flat_map(|(id, r)| {
                    targets(&r["Properties"]["Actions"][0])
                        .into_iter()
                        .map(move |tg| (id, tg))
                })
                .chain(
                    of_type(&t, "AWS::ElasticLoadBalancingV2::Listener")
                        .into_iter()
                        .flat_map(|(id, r)| {
                            targets(&r["Properties"]["DefaultActions"][0])
                                .into_iter()
                                .map(move |tg| (id, tg))
                        }),
                )
                .collect();
        for (id, r) in of_type(&t, "AWS::ECS::Service") {
            let deps = depends_on(r);
            for lb in r["Properties"]["LoadBalancers"]
                .as_array()
                .into_iter()
                .flatten()
            {
                let tg = lb["TargetGroupArn"]["Ref"].as_str().unwrap();
                let ok = forwarders
                    .iter()
                    .any(|(f, target)| target == tg && deps.contains(&f.as_str()));
                assert!(ok, "{name}: service {id} does not wait for the listener or rule forwarding to {tg}");
                checked += 1;
            }
        }
    }
    assert!(
        checked >= 3,
        "the examples exercise this ({checked} checked)"
    );
}

#[test]
fn endpoint_types_are_explicit_and_ids_alphanumeric() {
    for (name, t) in templates() {
        for (id, r) in resources(&t) {
            assert!(
                id.chars().all(|c| c.is_ascii_alphanumeric()),
                "{name}: logical id {id}"
            );
            if r["Type"] == "AWS::EC2::VPCEndpoint" {
                let ty = r["Properties"]["VpcEndpointType"].as_str();
                assert!(
                    matches!(ty, Some("Interface" | "Gateway")),
                    "{name}: {id} has no explicit VpcEndpointType"
                );
            }
        }
    }
}

#[test]
fn terraform_internet_facing_resources_wait_for_the_gateway() {
    let mut checked = 0;
    for (name, c) in configurations() {
        let gateways: Vec<String> = tf_of_type(&c, "aws_internet_gateway")
            .into_iter()
            .map(|(n, _)| format!("aws_internet_gateway.{n}"))
            .collect();
        for (n, r) in tf_of_type(&c, "aws_route") {
            if let Some(gw) = r["gateway_id"].as_str() {
                let deps = tf_depends_on(r);
                assert!(
                    gateways
                        .iter()
                        .any(|g| deps.contains(&g.as_str()) && gw.contains(g.as_str())),
                    "{name}: aws_route.{n} does not wait for its internet gateway"
                );
                checked += 1;
            }
        }
        for (ty, n, r) in tf_of_type(&c, "aws_eip")
            .into_iter()
            .map(|(n, r)| ("aws_eip", n, r))
            .chain(
                tf_of_type(&c, "aws_lb")
                    .into_iter()
                    .map(|(n, r)| ("aws_lb", n, r)),
            )
        {
            if r["internal"] == true || gateways.is_empty() {
                continue;
            }
            let deps = tf_depends_on(r);
            assert!(
                gateways.iter().any(|g| deps.contains(&g.as_str())),
                "{name}: {ty}.{n} does not wait for the internet gateway"
            );
            checked += 1;
        }
    }
    assert!(
        checked >= 8,
        "the examples exercise this ({checked} checked)"
    );
}

#[test]
fn terraform_services_wait_for_what_forwards_to_their_target_groups() {
    let mut checked = 0;
    for (name, c) in configurations() {
        let mut forwarders: Vec<(String, String)> = Vec::new();
        // Each target group an action forwards to: directly, or by weight.
        let targets = |action: &serde_json::Value| -> Vec<String> {
            let direct = action["target_group_arn"].as_str().map(String::from);
            let weighted = action["forward"]["target_group"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|g| g["arn"].as_str().map(String::from));
            direct.into_iter().chain(weighted).collect()
        };
        for (n, r) in tf_of_type(&c, "aws_lb_listener_rule") {
            for tg in targets(&r["action"][0]) {
                forwarders.push((format!("aws_lb_listener_rule.{n}"), tg));
            }
        }
        for (n, r) in tf_of_type(&c, "aws_lb_listener") {
            for tg in targets(&r["default_action"][0]) {
                forwarders.push((format!("aws_lb_listener.{n}"), tg));
            }
        }
        for (n, r) in tf_of_type(&c, "aws_ecs_service") {
            let deps = tf_depends_on(r);
            for lb in r["load_balancer"].as_array().into_iter().flatten() {
                let tg = lb["target_group_arn"].as_str().unwrap_or_default();
                let ok = forwarders
                    .iter()
                    .any(|(f, target)| target == tg && deps.contains(&f.as_str()));
                assert!(ok, "{name}: aws_ecs_service.{n} does not wait for the listener or rule forwarding to {tg}");
                checked += 1;
            }
        }
    }
    assert!(
        checked >= 3,
        "the examples exercise this ({checked} checked)"
    );
}

#[test]
fn terraform_endpoint_types_are_explicit_and_names_valid() {
    for (name, c) in configurations() {
        for (ty, named) in c["resource"].as_object().into_iter().flatten() {
            for (n, r) in named.as_object().into_iter().flatten() {
                assert!(
                    n.starts_with(|ch: char| ch.is_ascii_alphabetic() || ch == '_')
                        && n.chars()
                            .all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == '-'),
                    "{name}: {ty}.{n} is not a valid Terraform name"
                );
                if ty == "aws_vpc_endpoint" {
                    let t = r["vpc_endpoint_type"].as_str();
                    assert!(
                        matches!(t, Some("Interface" | "Gateway")),
                        "{name}: aws_vpc_endpoint.{n} has no explicit vpc_endpoint_type"
                    );
                }
            }
        }
    }
}

/// Instance targets (bridge and host mode) are health-checked on the port
/// each task got, which in bridge mode is dynamic (cfn-lint E3049 rejects a
/// group for host port 0 without it).
#[test]
fn instance_target_groups_check_the_traffic_port() {
    let src = r#"stack s { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
subnet b { vpc = main  cidr = 10.0.2.0/24  zone = "b"  public = true }
security_group sg { vpc = main  ingress tcp 80 from 0.0.0.0/0 }
load_balancer web { subnets = [a, b]  security_groups = [sg]  listener http 80 }
cluster main { }
task web {
  launch = ec2
  network_mode = bridge
  container app { image = "public.ecr.aws/nginx/nginx:1.27"  memory = 256  port 80 { host_port = 0 } }
}
service web { cluster = main  task = web  count = 2  route web:80 { } }"#;
    let mut sources = ecsc::source::Sources::new();
    sources.add("bridge.ecs", src.to_string());
    let plan = ecsc::compile(&sources, &[])
        .unwrap()
        .plan
        .expect("compiles");
    let cfn: Value =
        serde_json::from_str(&ecsc::emit::cloudformation::template(&plan).to_json()).unwrap();
    let tg = &cfn["Resources"]["WebWeb80TargetGroup"]["Properties"];
    assert_eq!(tg["TargetType"], "instance");
    assert_eq!(tg["HealthCheckPort"], "traffic-port");
    let tf: Value =
        serde_json::from_str(&ecsc::emit::terraform::configuration(&plan).to_json()).unwrap();
    let tg = &tf["resource"]["aws_lb_target_group"]["web_web_80"];
    assert_eq!(tg["health_check"]["port"], "traffic-port");
}

/// A gRPC port gets a GRPC target group in both targets, health-checked on
/// ALB's own method unless the route names a path, with gRPC codes.
#[test]
fn grpc_ports_get_grpc_target_groups() {
    let src = r#"stack s { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
subnet b { vpc = main  cidr = 10.0.2.0/24  zone = "b"  public = true }
security_group sg { vpc = main  ingress tcp 443 from 0.0.0.0/0  ingress tcp 50051 from sg }
load_balancer web {
  subnets = [a, b]  security_groups = [sg]
  listener https 443 { certificate = "arn:aws:acm:eu-west-1:123456789012:certificate/0f3a1c2e-1111-2222-3333-444455556666" }
}
cluster main { }
task api {
  cpu = 256  memory = 512
  container api { image = "public.ecr.aws/nginx/nginx:1.27"  port 50051 { app_protocol = grpc } }
}
service api {
  cluster = main  task = api
  network { subnets = [a, b]  security_groups = [sg]  public_ip = true }
  route web:443 { health { matcher = "0-99" } }
}"#;
    let mut sources = ecsc::source::Sources::new();
    sources.add("grpc.ecs", src.to_string());
    let plan = ecsc::compile(&sources, &[])
        .unwrap()
        .plan
        .expect("compiles");
    let cfn: Value =
        serde_json::from_str(&ecsc::emit::cloudformation::template(&plan).to_json()).unwrap();
    let tg = &cfn["Resources"]["ApiWeb443TargetGroup"]["Properties"];
    assert_eq!(tg["ProtocolVersion"], "GRPC");
    assert_eq!(tg["HealthCheckPath"], "/AWS.ALB/healthcheck");
    assert_eq!(tg["Matcher"]["GrpcCode"], "0-99");
    let tf: Value =
        serde_json::from_str(&ecsc::emit::terraform::configuration(&plan).to_json()).unwrap();
    let tg = &tf["resource"]["aws_lb_target_group"]["api_web_443"];
    assert_eq!(tg["protocol_version"], "GRPC");
    assert_eq!(tg["health_check"]["path"], "/AWS.ALB/healthcheck");
}

/// Deployment alarms name alarms of the same stack in both targets, and
/// every step scaling policy is in the actions of an alarm (else it never
/// runs).
#[test]
fn deployment_alarms_and_step_policies_are_wired_to_alarms() {
    let mut deployment_alarms = 0;
    let mut steps = 0;
    for (name, t) in templates() {
        let alarm_names: Vec<&str> = of_type(&t, "AWS::CloudWatch::Alarm")
            .iter()
            .filter_map(|(_, a)| a["Properties"]["AlarmName"].as_str())
            .collect();
        for (id, s) in of_type(&t, "AWS::ECS::Service") {
            let listed = &s["Properties"]["DeploymentConfiguration"]["Alarms"];
            for a in listed["AlarmNames"].as_array().into_iter().flatten() {
                deployment_alarms += 1;
                let a = a.as_str().unwrap_or_default();
                assert!(
                    alarm_names.contains(&a),
                    "{name}: {id} lists alarm {a}, which the template does not create"
                );
                assert_eq!(listed["Rollback"], Value::Bool(true), "{name}: {id}");
            }
        }
        for (id, p) in of_type(&t, "AWS::ApplicationAutoScaling::ScalingPolicy") {
            if p["Properties"]["PolicyType"] != "StepScaling" {
                continue;
            }
            steps += 1;
            let wired = of_type(&t, "AWS::CloudWatch::Alarm").iter().any(|(_, a)| {
                a["Properties"]["AlarmActions"]
                    .as_array()
                    .is_some_and(|acts| acts.iter().any(|x| x["Ref"] == id.as_str()))
            });
            assert!(
                wired,
                "{name}: step policy {id} is in no alarm's AlarmActions"
            );
        }
    }
    assert!(
        deployment_alarms > 0 && steps > 0,
        "no example has deployment alarms and step scaling"
    );
    for (name, c) in configurations() {
        let alarm_names: Vec<&str> = tf_of_type(&c, "aws_cloudwatch_metric_alarm")
            .iter()
            .filter_map(|(_, a)| a["alarm_name"].as_str())
            .collect();
        for (id, s) in tf_of_type(&c, "aws_ecs_service") {
            for a in s["alarms"]["alarm_names"].as_array().into_iter().flatten() {
                let a = a.as_str().unwrap_or_default();
                assert!(
                    alarm_names.contains(&a),
                    "{name}: {id} lists alarm {a}, which the configuration does not create"
                );
            }
        }
        for (id, p) in tf_of_type(&c, "aws_appautoscaling_policy") {
            if p["policy_type"] != "StepScaling" {
                continue;
            }
            let arn = format!("${{aws_appautoscaling_policy.{id}.arn}}");
            let wired = tf_of_type(&c, "aws_cloudwatch_metric_alarm")
                .iter()
                .any(|(_, a)| {
                    a["alarm_actions"]
                        .as_array()
                        .is_some_and(|acts| acts.iter().any(|x| x == arn.as_str()))
                });
            assert!(
                wired,
                "{name}: step policy {id} is in no alarm's alarm_actions"
            );
        }
    }
}

/// The execution role is granted exactly the secret each reference resolves
/// to: a Secrets Manager name or partial ARN with the six random characters
/// Secrets Manager appends, a complete ARN as written without its JSON key,
/// an SSM parameter name (with or without a leading `/`) as `parameter/…`.
#[test]
fn execution_role_grants_the_secrets_references_resolve_to() {
    let src = r#"stack shop { region = "eu-west-1" }
task api {
  cpu = 256  memory = 512
  container app {
    image = "public.ecr.aws/nginx/nginx:1.27"
    secret A from secretsmanager "shop/rails" key "secret_key_base"
    secret B from secretsmanager "arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/db:password::"
    secret C from secretsmanager "arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/api-AbCdEf:token:AWSCURRENT:"
    secret D from ssm "/shop/db_url"
    secret E from ssm "db_user"
  }
}"#;
    let (t, _) = both("grants.ecs", src);
    let roles = of_type(&t, "AWS::IAM::Role");
    let (_, role) = roles
        .iter()
        .find(|(id, _)| id.contains("Execution"))
        .expect("an execution role");
    let statements = role["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
        .as_array()
        .expect("statements");
    let granted = |action: &str| -> Vec<String> {
        statements
            .iter()
            .filter(|s| s["Action"][0] == action)
            .flat_map(|s| s["Resource"].as_array().cloned().unwrap_or_default())
            .map(|r| match r {
                Value::String(s) => s,
                other => other["Fn::Sub"].as_str().unwrap_or_default().to_string(),
            })
            .collect()
    };
    let sm = granted("secretsmanager:GetSecretValue");
    let own = "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:";
    assert_eq!(
        sm,
        vec![
            "arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/api-AbCdEf".to_string(),
            "arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/db-??????".to_string(),
            format!("{own}shop/rails-??????"),
        ],
        "{sm:?}"
    );
    let ssm = granted("ssm:GetParameters");
    let own = "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/";
    assert_eq!(
        ssm,
        vec![format!("{own}shop/db_url"), format!("{own}db_user")],
        "{ssm:?}"
    );
}

/// A health check written as a string runs in a shell (`CMD-SHELL`), a list
/// runs directly (`CMD`), and a list that names its form keeps it; both
/// targets write the same command.
#[test]
fn health_check_commands_carry_the_form_they_are_written_in() {
    let src = r#"stack shop { region = "eu-west-1" }
task api {
  cpu = 256  memory = 512
  container shell {
    image = "public.ecr.aws/nginx/nginx:1.27"
    health { command = "curl -f http://localhost/ || exit 1" }
  }
  container exec {
    image = "public.ecr.aws/nginx/nginx:1.27"
    health { command = ["/bin/check", "--quick"] }
  }
  container named {
    image = "public.ecr.aws/nginx/nginx:1.27"
    health { command = ["CMD-SHELL", "test -f /tmp/ready"] }
  }
}"#;
    let (t, c) = both("health.ecs", src);
    let (_, td) = of_type(&t, "AWS::ECS::TaskDefinition")[0];
    let cfn: Vec<Value> = td["Properties"]["ContainerDefinitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["HealthCheck"]["Command"].clone())
        .collect();
    let want = serde_json::json!([
        ["CMD-SHELL", "curl -f http://localhost/ || exit 1"],
        ["CMD", "/bin/check", "--quick"],
        ["CMD-SHELL", "test -f /tmp/ready"]
    ]);
    assert_eq!(Value::Array(cfn), want);
    let (_, td) = tf_of_type(&c, "aws_ecs_task_definition")[0];
    let defs: Value = serde_json::from_str(td["container_definitions"].as_str().unwrap()).unwrap();
    let tf: Vec<Value> = defs
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["healthCheck"]["command"].clone())
        .collect();
    assert_eq!(Value::Array(tf), want);
}

/// Both targets of one inline stack, which must compile without errors.
fn both(name: &str, src: &str) -> (Value, Value) {
    let mut sources = ecsc::source::Sources::new();
    sources.add(name, src.to_string());
    let compiled = ecsc::compile(&sources, &[]).unwrap();
    let errors: Vec<_> = compiled
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let plan = compiled.plan.expect("compiles");
    let cfn = serde_json::from_str(&ecsc::emit::cloudformation::template(&plan).to_json()).unwrap();
    let tf = serde_json::from_str(&ecsc::emit::terraform::configuration(&plan).to_json()).unwrap();
    (cfn, tf)
}

const CANARY: &str = r#"stack s { region = "eu-south-2" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
subnet b { vpc = main  cidr = 10.0.2.0/24  zone = "b"  public = true }
security_group sg { vpc = main  ingress tcp 80 from 0.0.0.0/0  ingress tcp 443 from 0.0.0.0/0  ingress tcp 8080 from 10.0.0.0/16 }
load_balancer web { subnets = [a, b]  security_groups = [sg]  access_logs { prefix = "/web/" }  listener http 80 }
load_balancer mqtt {
  type = network  subnets = [a]  access_logs { }
  listener tls 443 { certificate = "arn:aws:acm:eu-south-2:123456789012:certificate/0f3a1c2e-1111-2222-3333-444455556666" }
}
cluster main { }
task api {
  cpu = 256  memory = 512
  container app { image = "public.ecr.aws/nginx/nginx:1.27"  port 8080 }
}
service api {
  cluster = main  task = api
  network { subnets = [a, b]  security_groups = [sg]  public_ip = true }
  route web:80 { path = "/api/*"  weight = 90  sticky { duration = 2h } }
  route mqtt:443 { }
}
service api_canary {
  cluster = main  task = api
  network { subnets = [a, b]  security_groups = [sg]  public_ip = true }
  route web:80 { path = "/api/*"  weight = 10  priority = 7 }
}"#;

/// A canary's rule forwards by weight, keeps clients on the group they
/// were sent to when the routes are sticky, and takes the priority written
/// on either route.
#[test]
fn weighted_routes_share_one_sticky_rule_with_the_written_priority() {
    let (cfn, tf) = both("canary.ecs", CANARY);
    let rule = &cfn["Resources"]["ApiWeb80ListenerRule"]["Properties"];
    assert_eq!(rule["Priority"], 7);
    let forward = &rule["Actions"][0]["ForwardConfig"];
    assert_eq!(forward["TargetGroups"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        forward["TargetGroupStickinessConfig"]["DurationSeconds"],
        7200
    );
    assert!(cfn["Resources"]["ApiCanaryWeb80ListenerRule"].is_null());
    let rule = &tf["resource"]["aws_lb_listener_rule"]["api_web_80"];
    assert_eq!(rule["priority"], 7);
    assert_eq!(rule["action"][0]["forward"]["stickiness"]["duration"], 7200);
}

/// An application load balancer's logs are written by the Region's log
/// delivery, a network one's by CloudWatch Logs' (with the ACL it needs);
/// the prefix in the policy is the one the load balancer writes to.
#[test]
fn access_log_buckets_let_the_right_writer_in() {
    let (cfn, tf) = both("logs.ecs", CANARY);
    let statements =
        |id: &str| cfn["Resources"][id]["Properties"]["PolicyDocument"]["Statement"].clone();
    let web = statements("WebLogBucketPolicy");
    // eu-south-2 opened after August 2022: the service principal.
    assert_eq!(
        web[0]["Principal"]["Service"],
        "logdelivery.elasticloadbalancing.amazonaws.com"
    );
    assert_eq!(
        web[0]["Resource"]["Fn::Sub"],
        "${WebLogBucket.Arn}/web/AWSLogs/${AWS::AccountId}/*"
    );
    let attrs = &cfn["Resources"]["WebLoadBalancer"]["Properties"]["LoadBalancerAttributes"];
    assert!(attrs
        .as_array()
        .into_iter()
        .flatten()
        .any(|a| a["Key"] == "access_logs.s3.prefix" && a["Value"] == "web"));
    let mqtt = statements("MqttLogBucketPolicy");
    assert_eq!(
        mqtt[0]["Principal"]["Service"],
        "delivery.logs.amazonaws.com"
    );
    assert_eq!(
        mqtt[0]["Condition"]["StringEquals"]["s3:x-amz-acl"],
        "bucket-owner-full-control"
    );
    assert_eq!(mqtt[1]["Action"], "s3:GetBucketAcl");
    assert!(
        tf["resource"]["aws_s3_bucket_policy"]["mqtt_logs"]["policy"]
            .as_str()
            .is_some_and(|p| p.contains("delivery.logs.amazonaws.com"))
    );
    assert_eq!(
        tf["resource"]["aws_s3_bucket_server_side_encryption_configuration"]["web_logs"]["rule"][0]
            ["apply_server_side_encryption_by_default"]["sse_algorithm"],
        "AES256"
    );
}
