//! E078: a load balancer metric needs a route.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::AlarmMetric;
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "E078",
    name: "alarm-route",
    severity: Severity::Error,
    summary: "An alarm on `http_5xx`, `target_5xx`, `unhealthy_hosts`, `response_time` or `requests` is on a service with a route (behind a network load balancer: `unhealthy_hosts` only)",
    why: "These metrics are published by the Application Load Balancer per load balancer and \
          target group (`AWS/ApplicationELB`, dimensions `LoadBalancer` and `TargetGroup`; Elastic \
          Load Balancing, \"CloudWatch metrics for your Application Load Balancer\"). ecsc takes \
          them from the service's first route; a service without one has no target group, the \
          alarm would have no dimensions and watch a metric no one publishes, staying in \
          `INSUFFICIENT_DATA` forever, and a deployment it guards is never rolled back. A network \
          load balancer publishes `UnHealthyHostCount` (in `AWS/NetworkELB`) but no HTTP codes, \
          response times or request counts (\"CloudWatch metrics for your Network Load \
          Balancer\").",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
security_group sg { vpc = main }
cluster main { }
task worker {
  cpu = 256  memory = 512
  container app { image = "busybox:1.36" }
}
service worker {
  cluster = main
  task    = worker
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
  alarm slow { metric = response_time  above = 2s }
}"#,
    flagged: "response_time",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
security_group sg { vpc = main }
cluster main { }
task worker {
  cpu = 256  memory = 512
  container app { image = "busybox:1.36" }
}
service worker {
  cluster = main
  task    = worker
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
  alarm busy { metric = cpu  above = 80% }
}"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    for s in &cx.model.services {
        if let Some(route) = s.routes.first() {
            network(cx, s, route, out);
            continue;
        }
        for a in &s.alarms {
            let AlarmMetric::Service(metric) = &a.metric.value else {
                continue;
            };
            if !metric.of_load_balancer() {
                continue;
            }
            out.push(
                RULE.at(
                    a.metric.span,
                    format!(
                        "alarm `{}` watches the load balancer's `{}`, but service `{}` has no route",
                        a.name.name,
                        metric.word(),
                        s.name.name
                    ),
                )
                .label("published per target group")
                .help("add a `route LB:PORT` to the service, or watch `metric = cpu` or `memory` (or any metric with `namespace` and `metric_name`)"),
            );
        }
    }
}

/// Behind a network load balancer only `unhealthy_hosts` exists
/// (`AWS/NetworkELB`): its listeners see no HTTP.
fn network(
    cx: &Context<'_>,
    s: &crate::model::Service,
    route: &crate::model::Route,
    out: &mut Diagnostics,
) {
    use crate::model::ServiceMetric;
    let lb = &cx.model.load_balancers[route.listener.lb.0];
    if !lb.is_network() {
        return;
    }
    for a in &s.alarms {
        let AlarmMetric::Service(metric) = &a.metric.value else {
            continue;
        };
        if !metric.of_load_balancer() || *metric == ServiceMetric::UnhealthyHosts {
            continue;
        }
        out.push(
            RULE.at(
                a.metric.span,
                format!(
                    "alarm `{}` watches `{}`, but service `{}` is behind network load balancer `{}`, which publishes no HTTP metrics",
                    a.name.name,
                    metric.word(),
                    s.name.name,
                    lb.name.name
                ),
            )
            .label("an application load balancer metric")
            .with(route.target_span, "the service's route")
            .help("watch `unhealthy_hosts`, `cpu` or `memory`, or an `AWS/NetworkELB` metric with `namespace` and `metric_name`"),
        );
    }
}
