//! Properties every emitted CloudFormation template must have, which the
//! external validators do not check (they do not model creation order):
//! routes through an internet gateway, NAT EIPs and internet-facing load
//! balancers wait for the gateway attachment; a service waits for the
//! listener or rule that forwards to each of its target groups; endpoint
//! types are explicit; logical ids are alphanumeric.

mod common;

use serde_json::Value;

fn templates() -> Vec<(String, Value)> {
    common::examples()
        .into_iter()
        .map(|path| {
            let mut sources = ecsc::source::Sources::new();
            sources.add(
                path.display().to_string(),
                std::fs::read_to_string(&path).unwrap(),
            );
            let model = ecsc::compile(&sources, &[])
                .unwrap()
                .model
                .expect("example compiles");
            let json = ecsc::emit::cloudformation::template(&model).to_json();
            (
                path.display().to_string(),
                serde_json::from_str(&json).unwrap(),
            )
        })
        .collect()
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
        let forwarders: Vec<(&String, String)> =
            of_type(&t, "AWS::ElasticLoadBalancingV2::ListenerRule")
                .into_iter()
                .map(|(id, r)| {
                    (
                        id,
                        r["Properties"]["Actions"][0]["TargetGroupArn"]["Ref"]
                            .as_str()
                            .unwrap_or("")
                            .to_string(),
                    )
                })
                .chain(
                    of_type(&t, "AWS::ElasticLoadBalancingV2::Listener")
                        .into_iter()
                        .map(|(id, r)| {
                            (
                                id,
                                r["Properties"]["DefaultActions"][0]["TargetGroupArn"]["Ref"]
                                    .as_str()
                                    .unwrap_or("")
                                    .to_string(),
                            )
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
