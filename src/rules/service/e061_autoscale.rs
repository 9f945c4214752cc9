//! E061: auto scaling bounds and targets Application Auto Scaling accepts.

use crate::diagnostic::{Diagnostics, Severity};
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "E061",
    name: "autoscale",
    severity: Severity::Error,
    summary: "Auto scaling has min ≤ max, max ≥ 1, cpu/memory targets of 1–100%, and `requests` only with a route; a scaling schedule has min ≤ max",
    why: "RegisterScalableTarget rejects a MinCapacity above MaxCapacity, and a target of 0 \
          tasks scales the service away. Target tracking on cpu or memory takes a utilisation \
          percentage; ALBRequestCountPerTarget needs a target group, i.e. a route from a load \
          balancer. A scaling schedule sets MinCapacity and MaxCapacity too, and \
          PutScheduledAction rejects a minimum above the maximum (API-AAS \
          RegisterScalableTarget, PredefinedMetricSpecification, PutScheduledAction).",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
security_group sg { vpc = main }
cluster main { }
task api {
  cpu = 256  memory = 512
  container app { image = "nginx:1.27" }
}
service api {
  cluster = main
  task    = api
  count   = 2
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
  autoscale { min = 4  max = 2  cpu = 60% }
}"#,
    flagged: "4  max",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
security_group sg { vpc = main }
cluster main { }
task api {
  cpu = 256  memory = 512
  container app { image = "nginx:1.27" }
}
service api {
  cluster = main
  task    = api
  count   = 2
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
  autoscale { min = 2  max = 4  cpu = 60% }
}"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    for s in &cx.model.services {
        for sc in &s.scale {
            if sc.min.value > sc.max.value {
                out.push(
                    RULE.at(
                        sc.min.span,
                        format!(
                            "scaling schedule `{}` of service `{}` has min {} above max {}",
                            sc.name.name, s.name.name, sc.min.value, sc.max.value
                        ),
                    )
                    .label("above max")
                    .with(sc.max.span, format!("max {}", sc.max.value))
                    .help(format!(
                        "swap them: `min = {}  max = {}`",
                        sc.max.value, sc.min.value
                    )),
                );
            }
        }
        let Some(a) = &s.autoscale else { continue };
        let n = s.desired.value;
        if a.max.value == 0 {
            out.push(
                RULE.at(a.max.span, format!("auto scaling of service `{}` has max 0, so it would scale the service to no tasks", s.name.name))
                    .label("at least 1")
                    .help(format!("set `max` to at least {}, the service's `count`", n.max(1))),
            );
        } else if a.min.value > a.max.value {
            let desired = if n < a.max.value || n > a.min.value {
                format!("; keep `count` ({n}) between them")
            } else {
                String::new()
            };
            out.push(
                RULE.at(
                    a.min.span,
                    format!(
                        "auto scaling of service `{}` has min {} above max {}",
                        s.name.name, a.min.value, a.max.value
                    ),
                )
                .label("above max")
                .with(a.max.span, format!("max {}", a.max.value))
                .help(format!(
                    "swap them: `min = {}  max = {}`{desired}",
                    a.max.value, a.min.value
                )),
            );
        }
        for (key, v) in [("cpu", &a.cpu), ("memory", &a.memory)] {
            if let Some(v) = v {
                if !(1..=100).contains(&v.value) {
                    out.push(
                        RULE.at(
                            v.span,
                            format!(
                                "the {key} target of service `{}` is {}%, outside 1–100%",
                                s.name.name, v.value
                            ),
                        )
                        .label("not a utilisation")
                        .help(format!(
                            "set `{key} = {}%`: the average utilisation to keep the service at",
                            v.value.clamp(1, 100)
                        )),
                    );
                }
            }
        }
        if let Some(r) = &a.requests {
            if s.routes.is_empty() {
                out.push(
                    RULE.at(r.span, format!("service `{}` scales on load balancer requests but has no route", s.name.name))
                        .label("needs a target group")
                        .help("add a `route` from a load balancer, or scale on `cpu = 60%` or `memory = 70%` instead"),
                );
            } else if r.value == 0 {
                out.push(
                    RULE.at(r.span, format!("the requests target of service `{}` is 0", s.name.name))
                        .label("must be positive")
                        .help("set `requests` to the requests per target per minute to keep, e.g. `requests = 1000`"),
                );
            }
        }
    }
}
