//! E056: a public IP only for Fargate tasks.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::LaunchType;
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "E056",
    name: "public-ip-fargate",
    severity: Severity::Error,
    summary: "`public_ip = true` is set only for Fargate services and schedules",
    why: "AssignPublicIp ENABLED works only for Fargate; on EC2 CreateService fails with \"Assign \
          public IP is not supported for this launch type\" (aws/containers-roadmap#450, \
          aws/aws-cdk#13348). EC2 tasks in awsvpc mode reach the internet through a NAT gateway.",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet public_a  { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
subnet private_a { vpc = main  cidr = 10.0.2.0/24  zone = "a" }
nat_gateway egress { subnet = public_a }
security_group sg { vpc = main }
cluster main { }
task api {
  cpu = 256  memory = 512
  launch = ec2
  container app { image = "nginx:1.27" }
}
service api {
  cluster = main
  task    = api
  network { subnets = [private_a]  security_groups = [sg]  public_ip = true }
}"#,
    flagged: "true }\n}",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet public_a  { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
subnet private_a { vpc = main  cidr = 10.0.2.0/24  zone = "a" }
nat_gateway egress { subnet = public_a }
security_group sg { vpc = main }
cluster main { }
task api {
  cpu = 256  memory = 512
  launch = ec2
  container app { image = "nginx:1.27" }
}
service api {
  cluster = main
  task    = api
  network { subnets = [private_a]  security_groups = [sg] }
}"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    for (runner, name, p) in m.placements() {
        let Some(n) = &p.network else { continue };
        if !n.public_ip.value || p.launch.value == LaunchType::Fargate {
            continue;
        }
        // A service that inherits its task's launch type points at the task.
        let launch_at = if p.launch.span != name.span {
            p.launch.span
        } else {
            m[p.task.value].launch.span
        };
        out.push(
            RULE.at(
                n.public_ip.span,
                format!(
                    "{} `{}` runs on EC2, where tasks cannot get a public IP",
                    runner.word(),
                    name.name
                ),
            )
            .label("Fargate only")
            .with(launch_at, "EC2 launch type")
            .help("remove `public_ip = true` and give the subnets a route to a NAT gateway (`nat_gateway`), or run on Fargate"),
        );
    }
}
