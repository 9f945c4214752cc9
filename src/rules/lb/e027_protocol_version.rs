//! E027: HTTP/2 and gRPC targets are reached through an HTTPS listener.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::ListenerProtocol;
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "E027",
    name: "protocol-version",
    severity: Severity::Error,
    summary: "A route to a port with `app_protocol = http2` or `grpc` comes from an HTTPS listener",
    why: "A container port's `app_protocol` sets its target group's protocol version: HTTP/1.1, \
          HTTP2 or GRPC. An Application Load Balancer speaks HTTP/2 and gRPC to targets only \
          behind an HTTPS listener; CreateTargetGroup succeeds, and forwarding to it from an \
          HTTP listener fails (\"The protocol version of the target group is not supported by \
          the listener\") (Elastic Load Balancing, target group protocol version).",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
subnet b { vpc = main  cidr = 10.0.2.0/24  zone = "b"  public = true }
security_group sg { vpc = main  ingress tcp 80 from 0.0.0.0/0  ingress tcp 50051 from sg }
load_balancer web { subnets = [a, b]  security_groups = [sg]  listener http 80 }
cluster main { }
task api {
  cpu = 256  memory = 512
  container api { image = "public.ecr.aws/nginx/nginx:1.27"  port 50051 { app_protocol = grpc } }
}
service api {
  cluster = main  task = api
  network { subnets = [a, b]  security_groups = [sg]  public_ip = true }
  route web:80 { }
}"#,
    flagged: "web:80",
    good: r#"stack demo { region = "eu-west-1" }
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
  route web:443 { }
}"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    for tg in &m.target_groups {
        let Some(version) = &tg.protocol_version else {
            continue;
        };
        let listener = &m[tg.listener];
        if listener.protocol.value == ListenerProtocol::Https {
            continue;
        }
        let lb = &m.load_balancers[tg.listener.lb.0];
        out.push(
            RULE.at(
                tg.span,
                format!(
                    "this route sends {} to its targets, but listener `{}:{}` is plain HTTP",
                    if version.value == "GRPC" { "gRPC" } else { "HTTP/2" },
                    lb.name.name,
                    listener.port.value
                ),
            )
            .label("needs an HTTPS listener")
            .with(version.span, "the port's protocol")
            .with(listener.protocol.span, "HTTP listener")
            .help("route from an HTTPS listener (`listener https 443 { certificate = … }`), or remove `app_protocol` to serve HTTP/1.1"),
        );
    }
}
