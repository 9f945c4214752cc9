//! E067: a per-request timeout only for HTTP, HTTP/2 and gRPC endpoints.

use crate::diagnostic::{Diagnostics, Severity};
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "E067",
    name: "connect-timeout",
    severity: Severity::Error,
    summary: "`per_request_timeout` is set only on an endpoint whose port has an `app_protocol`",
    why: "The proxy can time out a request only when it knows the protocol: \
          `perRequestTimeoutSeconds` can be set only when the port mapping's `appProtocol` is \
          HTTP, HTTP2 or GRPC; a TCP endpoint takes only `idleTimeoutSeconds`, and ECS rejects \
          the service (ECS Developer Guide, Service Connect proxy: timeout; API-ECS \
          TimeoutConfiguration).",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
security_group sg { vpc = main }
namespace apps { type = http }
cluster main { }
task api {
  cpu = 256  memory = 512
  container app { image = "nginx:1.27"  port 8080 { name = "http" } }
}
service api {
  cluster = main  task = api
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
  connect { namespace = apps  serve http { per_request_timeout = 30s } }
}"#,
    flagged: "30s",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
security_group sg { vpc = main }
namespace apps { type = http }
cluster main { }
task api {
  cpu = 256  memory = 512
  container app { image = "nginx:1.27"  port 8080 { name = "http"  app_protocol = http } }
}
service api {
  cluster = main  task = api
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
  connect { namespace = apps  serve http { per_request_timeout = 30s } }
}"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    for s in &m.services {
        let Some(c) = &s.connect else { continue };
        let task = &m[s.placement.task.value];
        for e in &c.serves {
            let Some(timeout) = &e.per_request_timeout else {
                continue;
            };
            // E063 reports a port the task does not name.
            let Some((container, port)) = task.named_port(&e.port_name.name) else {
                continue;
            };
            if port.app_protocol.is_some() {
                continue;
            }
            out.push(
                RULE.at(
                    timeout.span,
                    format!(
                        "endpoint `{}` of service `{}` has a per-request timeout, but its port is plain TCP",
                        e.port_name.name, s.name.name
                    ),
                )
                .label("only for HTTP, HTTP/2 and gRPC")
                .with(
                    port.span,
                    format!("port {} of container `{}` has no `app_protocol`", port.container_port.value, container.name.name),
                )
                .help(format!(
                    "set `app_protocol = http` (or `http2`, `grpc`) on port {} of container `{}`, or use `idle_timeout` instead",
                    port.container_port.value, container.name.name
                )),
            );
        }
    }
}
