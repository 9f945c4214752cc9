//! E022: a route's `target_group_name` is one ELB accepts.

use crate::diagnostic::{Diagnostics, Severity};
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "E022",
    name: "target-group-name",
    severity: Severity::Error,
    summary: "A route's `target_group_name` is at most 32 letters, digits and hyphens",
    why:
        "CreateTargetGroup takes a name of at most 32 characters from `[A-Za-z0-9-]` that neither \
          begins nor ends with a hyphen; any other name fails the stack, and cfn-lint does not \
          check it. Without `target_group_name`, CloudFormation generates a valid one.",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
subnet b { vpc = main  cidr = 10.0.2.0/24  zone = "b"  public = true }
security_group sg { vpc = main  ingress tcp 80 from 0.0.0.0/0  ingress tcp 8080 from sg }
load_balancer web { subnets = [a, b]  security_groups = [sg]  listener http 80 }
cluster main { }
task api {
  cpu = 256  memory = 512
  container app { image = "nginx:1.27"  port 8080 }
}
service api {
  cluster = main  task = api
  network { subnets = [a, b]  security_groups = [sg]  public_ip = true }
  route web:80 { path = "/api/*"  target_group_name = "api-production-eu-west-1-web-80-v2" }
}"#,
    flagged: "\"api-production-eu-west-1-web-80-v2\"",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
subnet b { vpc = main  cidr = 10.0.2.0/24  zone = "b"  public = true }
security_group sg { vpc = main  ingress tcp 80 from 0.0.0.0/0  ingress tcp 8080 from sg }
load_balancer web { subnets = [a, b]  security_groups = [sg]  listener http 80 }
cluster main { }
task api {
  cpu = 256  memory = 512
  container app { image = "nginx:1.27"  port 8080 }
}
service api {
  cluster = main  task = api
  network { subnets = [a, b]  security_groups = [sg]  public_ip = true }
  route web:80 { path = "/api/*"  target_group_name = "api-prod-web-80" }
}"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    for s in &cx.model.services {
        for r in &s.routes {
            let Some(name) = &r.target_group_name else {
                continue;
            };
            if let Some((message, help)) =
                super::e021_lb_name::name_problem(&name.value, "target group")
            {
                out.push(
                    RULE.at(name.span, message)
                        .label("not a valid target group name")
                        .help(help),
                );
            }
        }
    }
}
