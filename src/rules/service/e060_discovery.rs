//! E060: Cloud Map discovery the service can register in.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::NetworkMode;
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "E060",
    name: "discovery",
    severity: Severity::Error,
    summary: "A service registers in a namespace of its own VPC, under a valid DNS name no other service of the namespace uses",
    why: "A private DNS namespace answers only inside its VPC: tasks registered from subnets of \
          another VPC are unreachable by that name, and ECS rejects a service registry whose \
          namespace is not in the tasks' VPC. The name becomes a DNS label: Cloud Map takes \
          labels of 1–63 letters, digits, `-` and `_`, not starting or ending with `-`. Bridge \
          and host tasks register SRV records, which need a container name and port (API-ECS \
          ServiceRegistry, API-SD Service.Name). Each name is one Cloud Map service of the \
          namespace: a second service registering the same name fails to create it \
          (\"ServiceAlreadyExists\").",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
vpc other { cidr = 10.1.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
security_group sg { vpc = main }
cluster main { }
namespace internal { vpc = other }
task api {
  cpu = 256  memory = 512
  container app { image = "nginx:1.27"  port 8080 }
}
service api {
  cluster = main
  task    = api
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
  discovery { namespace = internal }
}"#,
    flagged: "internal }",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
security_group sg { vpc = main }
cluster main { }
namespace internal { vpc = main }
task api {
  cpu = 256  memory = 512
  container app { image = "nginx:1.27"  port 8080 }
}
service api {
  cluster = main
  task    = api
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
  discovery { namespace = internal }
}"#,
    check: Check::Model(check),
};

/// Why a DNS name is not acceptable, if it is not.
fn name_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("is empty".into());
    }
    if name.len() > 127 {
        return Some(format!("is {} characters long, more than 127", name.len()));
    }
    for label in name.split('.') {
        if label.is_empty() {
            return Some("has an empty label (two dots, or a dot at an end)".into());
        }
        if label.len() > 63 {
            return Some(format!(
                "has a label of {} characters, more than 63",
                label.len()
            ));
        }
        if let Some(c) = label
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
        {
            return Some(format!("contains `{c}`"));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Some(format!(
                "has the label `{label}`, which starts or ends with `-`"
            ));
        }
    }
    None
}

/// A DNS-safe version of a name, for the help line.
fn sanitize(name: &str) -> String {
    let mut out: String = name
        .to_ascii_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect();
    while out.contains("--") {
        out = out.replace("--", "-");
    }
    let out: Vec<String> = out
        .split('.')
        .filter(|l| !l.trim_matches('-').is_empty())
        .map(|l| l.trim_matches('-').chars().take(63).collect())
        .collect();
    let joined = out.join(".");
    if joined.is_empty() {
        "app".into()
    } else {
        joined
    }
}

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    // One Cloud Map service per name and namespace.
    let mut names: std::collections::HashMap<(usize, &str), (crate::source::Span, &str)> =
        std::collections::HashMap::new();
    for s in &m.services {
        let Some(d) = &s.discovery else { continue };
        let key = (d.namespace.value.0, d.name.value.as_str());
        match names.get(&key) {
            Some((first, owner)) => out.push(
                RULE.at(
                    d.name.span,
                    format!(
                        "service `{}` registers as \"{}\" in namespace `{}`, as service `{owner}` does",
                        s.name.name,
                        d.name.value,
                        m[d.namespace.value].name.name
                    ),
                )
                .label("second registration")
                .with(*first, format!("service `{owner}` registers here"))
                .help("give one of them another `name` (each is a Cloud Map service of the namespace)"),
            ),
            None => {
                names.insert(key, (d.name.span, &s.name.name));
            }
        }
    }
    for s in &m.services {
        let Some(d) = &s.discovery else { continue };
        let ns = &m[d.namespace.value];
        if let (Some(net), Some(ns_vpc)) = (&s.placement.network, &ns.vpc) {
            if let Some(vpc) = m.vpc_of_subnets(&net.subnets.value) {
                if vpc != ns_vpc.value {
                    out.push(
                        RULE.at(
                            d.namespace.span,
                            format!(
                                "namespace `{}` is in VPC `{}`, but service `{}` runs in VPC `{}`",
                                ns.name.name, m[ns_vpc.value].name.name, s.name.name, m[vpc].name.name
                            ),
                        )
                        .label("namespace of another VPC")
                        .with(ns_vpc.span, format!("`{}` is in `{}`", ns.name.name, m[ns_vpc.value].name.name))
                        .with(net.subnets.span, format!("the service's subnets are in `{}`", m[vpc].name.name))
                        .help(if ns.existing.is_some() {
                            // Its VPC is a stated fact, not a setting.
                            format!(
                                "register in a namespace of `{}`, or run the service in subnets of `{}`",
                                m[vpc].name.name, m[ns_vpc.value].name.name
                            )
                        } else {
                            format!(
                                "set `vpc = {}` on namespace `{}` (or register in a namespace of `{}`), or run the service in subnets of `{}`",
                                m[vpc].name.name, ns.name.name, m[vpc].name.name, m[ns_vpc.value].name.name
                            )
                        }),
                    );
                }
            }
        }
        if let Some(problem) = name_problem(&d.name.value) {
            let written = d.name.span != d.span;
            let mut diag = RULE
                .at(
                    d.name.span,
                    format!(
                        "the discovery name \"{}\" of service `{}` {problem}",
                        d.name.value, s.name.name
                    ),
                )
                .label("not a valid DNS name");
            if !written {
                diag = diag.with(s.name.span, "the name defaults to the service's");
            }
            out.push(diag.help(format!(
                "set `name = \"{}\"` in `discovery`: labels of 1–63 letters, digits and `-`",
                sanitize(&d.name.value)
            )));
        }
        let task = &m[s.placement.task.value];
        if task.network_mode.value != NetworkMode::Awsvpc && s.routes.is_empty() {
            out.push(
                RULE.at(
                    d.span,
                    format!(
                        "service `{}` registers SRV records (its task uses {} mode) but has no route to take the container and port from",
                        s.name.name,
                        task.network_mode.value.as_str()
                    ),
                )
                .label("no container port to register")
                .with(task.network_mode.span, format!("task `{}` is {}", task.name.name, task.network_mode.value.as_str()))
                .help("use `network_mode = awsvpc` on the task (A records), or add a `route` to the service"),
            );
        }
    }
}
