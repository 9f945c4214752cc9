//! E034: port mappings the network mode accepts, without clashes.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::{NetworkMode, Protocol};
use crate::rules::{Check, Context, Rule};
use crate::source::Span;
use std::collections::HashMap;

pub const RULE: Rule = Rule {
    code: "E034",
    name: "port-mappings",
    severity: Severity::Error,
    summary: "Port mappings fit the network mode, and no port or port name is used twice",
    why: "In awsvpc and host mode the host port is the container port: RegisterTaskDefinition \
          rejects a different hostPort. In bridge mode a host port must be 0 (dynamic) or not one \
          of the ports the ECS agent reserves (22, 2375, 2376, 51678–51680), or the tasks cannot \
          be placed. A (containerPort, protocol) pair may appear once per container, and in \
          awsvpc or host mode all containers share one network namespace, so two containers \
          cannot listen on the same port. Port mapping names are unique within the task \
          (cfn-lint E3053; API PortMapping.hostPort).",
    bad: r#"stack demo { region = "eu-west-1" }
task api {
  cpu = 256  memory = 512
  container app {
    image = "nginx:1.27"
    port 8080 { host_port = 80 }
  }
}"#,
    flagged: "80 }",
    good: r#"stack demo { region = "eu-west-1" }
task api {
  cpu = 256  memory = 512
  container app {
    image = "nginx:1.27"
    port 8080
  }
}"#,
    check: Check::Model(check),
};

const RESERVED: &[u32] = &[22, 2375, 2376, 51678, 51679, 51680];

fn proto(p: Protocol) -> &'static str {
    p.ip_protocol()
}

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    for task in &cx.model.tasks {
        let mode = task.network_mode.value;
        let shared = mode != NetworkMode::Bridge;
        // (host port, protocol) → (container index, span): ports taken on the
        // task's network namespace (awsvpc, host) or on the instance (bridge).
        let mut taken: HashMap<(u32, Protocol), (usize, Span)> = HashMap::new();
        let mut names: HashMap<&str, Span> = HashMap::new();
        for (ci, c) in task.containers.iter().enumerate() {
            let mut own: HashMap<(u32, Protocol), Span> = HashMap::new();
            for p in &c.ports {
                let cport = p.container_port.value;
                let key = (cport, p.protocol.value);
                if let Some(first) = own.get(&key) {
                    out.push(
                        RULE.at(
                            p.container_port.span,
                            format!(
                                "container `{}` maps port {cport}/{} twice",
                                c.name.name,
                                proto(p.protocol.value)
                            ),
                        )
                        .label("mapped again here")
                        .with(*first, "first mapped here")
                        .help("remove one of the two `port` lines"),
                    );
                    continue;
                }
                own.insert(key, p.container_port.span);

                if let Some(h) = &p.host_port {
                    match mode {
                        NetworkMode::Awsvpc | NetworkMode::Host if h.value != cport => {
                            out.push(
                                RULE.at(
                                    h.span,
                                    format!(
                                        "in {} mode the host port must equal the container port {cport}, not {}",
                                        mode.as_str(),
                                        h.value
                                    ),
                                )
                                .label("differs from the container port")
                                .with(
                                    task.network_mode.span,
                                    if task.network_mode.span == task.name.span {
                                        format!("task `{}` uses {} mode (the default)", task.name.name, mode.as_str())
                                    } else {
                                        format!("task `{}` uses {} mode", task.name.name, mode.as_str())
                                    },
                                )
                                .help(format!(
                                    "remove `host_port = {}` (it defaults to {cport}), or make the container listen on {}",
                                    h.value, h.value
                                )),
                            );
                        }
                        NetworkMode::Bridge if RESERVED.contains(&h.value) => {
                            out.push(
                                RULE.at(h.span, format!("host port {} is reserved by the ECS container agent", h.value))
                                    .label("reserved host port")
                                    .help(format!(
                                        "use another host port, or remove `host_port = {}` for a dynamic one (the agent reserves 22, 2375, 2376 and 51678–51680)",
                                        h.value
                                    )),
                            );
                        }
                        _ if h.value > 65535 => {
                            out.push(
                                RULE.at(
                                    h.span,
                                    format!("host port {} is outside 1–65535", h.value),
                                )
                                .label("not a port")
                                .help("use a port from 1 to 65535, or remove `host_port`"),
                            );
                        }
                        _ => {}
                    }
                }

                // The port this mapping occupies outside the container.
                let host = match mode {
                    NetworkMode::Bridge => {
                        p.host_port.as_ref().map(|h| h.value).filter(|h| *h != 0)
                    }
                    _ => Some(cport),
                };
                if let Some(host) = host {
                    let hkey = (host, p.protocol.value);
                    match taken.get(&hkey) {
                        Some((other, first)) if *other != ci => {
                            let other = &task.containers[*other];
                            let (what, help) = if shared {
                                (
                                    format!(
                                        "containers `{}` and `{}` both listen on port {host}/{}, but in {} mode they share one network namespace",
                                        other.name.name,
                                        c.name.name,
                                        proto(p.protocol.value),
                                        mode.as_str()
                                    ),
                                    "make one of the containers listen on another port".to_string(),
                                )
                            } else {
                                (
                                    format!(
                                        "containers `{}` and `{}` both map host port {host}/{}",
                                        other.name.name,
                                        c.name.name,
                                        proto(p.protocol.value)
                                    ),
                                    "use another host port, or remove `host_port` for a dynamic one".to_string(),
                                )
                            };
                            let span = if shared {
                                p.container_port.span
                            } else {
                                p.host_port
                                    .as_ref()
                                    .map_or(p.container_port.span, |h| h.span)
                            };
                            out.push(
                                RULE.at(span, what)
                                    .label("port already taken")
                                    .with(*first, format!("taken by `{}` here", other.name.name))
                                    .help(help),
                            );
                        }
                        Some(_) => {}
                        None => {
                            let span = if shared {
                                p.container_port.span
                            } else {
                                p.host_port
                                    .as_ref()
                                    .map_or(p.container_port.span, |h| h.span)
                            };
                            taken.insert(hkey, (ci, span));
                        }
                    }
                }

                if let Some(n) = &p.name {
                    if let Some(first) = names.get(n.value.as_str()) {
                        out.push(
                            RULE.at(
                                n.span,
                                format!(
                                    "port name \"{}\" is used twice in task `{}`",
                                    n.value, task.name.name
                                ),
                            )
                            .label("used again here")
                            .with(*first, "first used here")
                            .help("give each port mapping of the task its own name"),
                        );
                    } else {
                        names.insert(&n.value, n.span);
                    }
                }
            }
        }
    }
}
