//! W034: tasks of a service with ECS Exec reach the SSM messages endpoint.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::EndpointKind;
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "W034",
    name: "exec-reachability",
    severity: Severity::Warning,
    summary: "A Fargate service with `exec = true` has, in each subnet, a NAT route, a public IP, or an `ssmmessages` interface endpoint",
    why: "ECS Exec sessions run over SSM Session Manager: the SSM agent in each container \
          connects out to ssmmessages.<region>.amazonaws.com on 443. A task in a subnet with \
          no NAT gateway route, no public IP and no `ssmmessages` interface endpoint (private \
          DNS on) starts and serves traffic, but `aws ecs execute-command` fails with \
          TargetNotConnectedException (ECS developer guide, ECS Exec: \"using interface VPC \
          endpoints\" lists com.amazonaws.<region>.ssmmessages). E018 checks what the task \
          needs to start; this is what Exec needs on top.",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet private_a { vpc = main  cidr = 10.0.1.0/24  zone = "a" }
security_group sg { vpc = main }
security_group endpoint_sg { vpc = main  ingress tcp 443 from sg }
endpoint ecr_api { vpc = main  service = "ecr.api"  subnets = [private_a]  security_groups = [endpoint_sg] }
endpoint ecr_dkr { vpc = main  service = "ecr.dkr"  subnets = [private_a]  security_groups = [endpoint_sg] }
endpoint logs    { vpc = main  service = "logs"     subnets = [private_a]  security_groups = [endpoint_sg] }
endpoint s3      { vpc = main  service = "s3" }
cluster main { }
task api {
  cpu = 256  memory = 512
  container app { image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1.0" }
}
service api {
  cluster = main  task = api
  exec    = true
  network { subnets = [private_a]  security_groups = [sg] }
}"#,
    flagged: "[private_a]  security_groups = [sg]",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet private_a { vpc = main  cidr = 10.0.1.0/24  zone = "a" }
security_group sg { vpc = main }
security_group endpoint_sg { vpc = main  ingress tcp 443 from sg }
endpoint ecr_api { vpc = main  service = "ecr.api"  subnets = [private_a]  security_groups = [endpoint_sg] }
endpoint ecr_dkr { vpc = main  service = "ecr.dkr"  subnets = [private_a]  security_groups = [endpoint_sg] }
endpoint logs    { vpc = main  service = "logs"     subnets = [private_a]  security_groups = [endpoint_sg] }
endpoint ssmmessages { vpc = main  service = "ssmmessages"  subnets = [private_a]  security_groups = [endpoint_sg] }
endpoint s3      { vpc = main  service = "s3" }
cluster main { }
task api {
  cpu = 256  memory = 512
  container app { image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1.0" }
}
service api {
  cluster = main  task = api
  exec    = true
  network { subnets = [private_a]  security_groups = [sg] }
}"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    for s in m.services.iter().filter(|s| s.exec.value) {
        let p = &s.placement;
        // On EC2 outside awsvpc the agent uses the instance's network, which
        // the stack may not show; E018 judges Fargate subnets the same way.
        let Some(net) = p.network.as_ref().filter(|_| p.on_fargate()) else {
            continue;
        };
        for subnet_id in &net.subnets.value {
            let subnet = &m[*subnet_id];
            // An existing subnet's routes are unknown (E018 notes it).
            if m.tasks_reach_internet(*subnet_id, net.public_ip.value) != Some(false) {
                continue;
            }
            let endpoint = m.endpoints.iter().any(|e| {
                e.vpc.value == subnet.vpc
                    && e.service.value == "ssmmessages"
                    && e.kind == EndpointKind::Interface
                    && e.private_dns.value
            });
            if endpoint {
                continue;
            }
            let vpc = &m[subnet.vpc].name.name;
            out.push(
                RULE.at(
                    net.subnets.span,
                    format!(
                        "`aws ecs execute-command` cannot reach tasks of service `{}` in subnet `{}`: no NAT route, no public IP, and no `ssmmessages` endpoint",
                        s.name.name, subnet.name.name
                    ),
                )
                .label("tasks placed here")
                .with(s.exec.span, "ECS Exec")
                .help(format!(
                    "add `endpoint ssmmessages {{ vpc = {vpc}  service = \"ssmmessages\"  subnets = [{}]  security_groups = [...] }}` whose group admits tcp 443 from the tasks",
                    subnet.name.name
                )),
            );
        }
    }
}
