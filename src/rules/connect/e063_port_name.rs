//! E063: a Service Connect endpoint serves a named port mapping of the task.

use crate::diagnostic::{Diagnostics, Severity};
use crate::rules::{Check, Context, Rule};
use crate::suggest;

pub const RULE: Rule = Rule {
    code: "E063",
    name: "connect-port-name",
    severity: Severity::Error,
    summary:
        "`serve NAME` names a port mapping of the service's task (`port N { name = \"NAME\" }`)",
    why: "A Service Connect service's `portName` must match the `name` of one of the port \
          mappings of the task definition; otherwise CreateService fails with \
          InvalidParameterException (API-ECS ServiceConnectService.portName; ECS Developer \
          Guide, Service Connect configuration: servers must add `name` fields to ports).",
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
  connect { namespace = apps  serve web { } }
}"#,
    flagged: "web",
    good: r#"stack demo { region = "eu-west-1" }
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
  connect { namespace = apps  serve http { } }
}"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    for s in &m.services {
        let Some(c) = &s.connect else { continue };
        let task = &m[s.placement.task.value];
        let names = task.port_names();
        for serve in &c.serves {
            if task.named_port(&serve.port_name.name).is_some() {
                continue;
            }
            let help = match suggest::closest(&serve.port_name.name, names.iter().copied()) {
                Some(n) => format!("did you mean `serve {n}`?"),
                None if names.is_empty() => format!(
                    "name the port in task `{}`: `port 8080 {{ name = \"{}\" }}`",
                    task.name.name, serve.port_name.name
                ),
                None => format!(
                    "serve one of the task's named ports ({}), or name a port `{}`: `port 8080 {{ name = \"{}\" }}`",
                    suggest::one_of(&names),
                    serve.port_name.name,
                    serve.port_name.name
                ),
            };
            let has = if names.is_empty() {
                format!("task `{}` names no port", task.name.name)
            } else {
                format!(
                    "task `{}` names ports {}",
                    task.name.name,
                    suggest::one_of(&names)
                )
            };
            out.push(
                RULE.at(
                    serve.port_name.span,
                    format!(
                        "service `{}` serves port `{}`, but task `{}` has no port mapping with that name",
                        s.name.name, serve.port_name.name, task.name.name
                    ),
                )
                .label("no port mapping has this name")
                .with(task.name.span, has)
                .help(help),
            );
        }
    }
}
