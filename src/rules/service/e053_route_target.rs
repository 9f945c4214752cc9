//! E053: a route sends traffic to a container port the task exposes.

use crate::diagnostic::{Diagnostic, Diagnostics, Severity};
use crate::model::{RouteContainer, TaskDef};
use crate::rules::{Check, Context, Rule};
use crate::source::Span;
use crate::suggest;

pub const RULE: Rule = Rule {
    code: "E053",
    name: "route-target",
    severity: Severity::Error,
    summary: "A route names a container of the service's task and a port that container exposes",
    why: "The service's load balancer entry (containerName, containerPort) must match a port \
          mapping of the task definition, or CreateService fails with InvalidParameterException; \
          cfn-lint does not check this.",
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
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
  route web:80 { path = "/api/*"  container = app  port = 3000 }
}"#,
    flagged: "3000",
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
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
  route web:80 { path = "/api/*"  container = app  port = 8080 }
}"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    for s in &m.services {
        let task = &m[s.placement.task.value];
        for r in &s.routes {
            let c = match &r.container.value {
                RouteContainer::Found(i) => &task.containers[*i],
                RouteContainer::Unknown(name) => {
                    out.push(unknown_container(task, name, r.container.span));
                    continue;
                }
            };
            let Some(port) = &r.port else {
                out.push(
                    RULE.at(
                        r.target_span,
                        format!("container `{}` exposes no port for the route", c.name.name),
                    )
                    .label("route needs a container port")
                    .with(c.name.span, "container declared here")
                    .help("add `port 8080` to the container, or `port = 8080` to the route"),
                );
                continue;
            };
            if c.ports.iter().any(|p| p.container_port.value == port.value) {
                continue;
            }
            let ports: Vec<String> = c
                .ports
                .iter()
                .map(|p| p.container_port.value.to_string())
                .collect();
            let exposes = if ports.is_empty() {
                format!("container `{}` exposes no port", c.name.name)
            } else {
                format!("container `{}` exposes {}", c.name.name, ports.join(", "))
            };
            out.push(
                RULE.at(
                    port.span,
                    format!("the route sends traffic to port {} of container `{}`, which does not expose it", port.value, c.name.name),
                )
                .label("the route points at this port")
                .with(c.name.span, exposes)
                .help(match ports.first() {
                    Some(p) => format!("set `port = {p}` on the route, or add `port {}` to the container", port.value),
                    None => format!("add `port {}` to container `{}`", port.value, c.name.name),
                }),
            );
        }
    }
}

/// `container = X` names no container of the service's task.
fn unknown_container(task: &TaskDef, name: &str, span: Span) -> Diagnostic {
    let names: Vec<&str> = task
        .containers
        .iter()
        .map(|c| c.name.name.as_str())
        .collect();
    let help = match suggest::closest(name, names.iter().copied()) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!(
            "name one of the task's containers: {}",
            suggest::one_of(&names)
        ),
    };
    RULE.at(
        span,
        format!("task `{}` has no container named `{name}`", task.name.name),
    )
    .label("the route points at this container")
    .with(
        task.name.span,
        format!(
            "task `{}` defines containers {}",
            task.name.name,
            suggest::one_of(&names)
        ),
    )
    .help(help)
}
