//! E066: discovery names and endpoints are unique within a namespace.

use crate::diagnostic::{Diagnostics, Severity};
use crate::rules::{Check, Context, Rule};
use crate::source::Span;
use std::collections::HashMap;

pub const RULE: Rule = Rule {
    code: "E066",
    name: "connect-unique",
    severity: Severity::Error,
    summary: "No two Service Connect endpoints of one namespace share a discovery name (nor with a `discovery` name) or an alias and port",
    why: "ECS creates a Cloud Map service per discovery name: all discovery names must be \
          unique within a namespace (a `discovery` block's DNS name is a Cloud Map service of \
          the namespace too), and so must all endpoints (client alias name and port). The \
          second service to claim one fails to deploy (ECS Developer Guide, Service Connect \
          components: considerations; API-ECS ServiceConnectClientAlias).",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
security_group sg { vpc = main }
namespace apps { type = http }
cluster main { service_connect = apps }
task api {
  cpu = 256  memory = 512
  container app { image = "nginx:1.27"  port 8080 { name = "http" } }
}
service orders {
  cluster = main  task = api
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
  connect { serve http { discovery = "orders" } }
}
service payments {
  cluster = main  task = api
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
  connect { serve http { discovery = "orders"  alias = "payments" } }
}"#,
    flagged: "\"orders\"  alias",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
security_group sg { vpc = main }
namespace apps { type = http }
cluster main { service_connect = apps }
task api {
  cpu = 256  memory = 512
  container app { image = "nginx:1.27"  port 8080 { name = "http" } }
}
service orders {
  cluster = main  task = api
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
  connect { serve http { discovery = "orders" } }
}
service payments {
  cluster = main  task = api
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
  connect { serve http { discovery = "payments" } }
}"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    let mut discovery: HashMap<(usize, &str), (Span, &str)> = HashMap::new();
    let mut endpoints: HashMap<(usize, &str, u32), (Span, &str)> = HashMap::new();
    // `discovery` blocks create Cloud Map services of the same namespace.
    for s in &m.services {
        if let Some(d) = &s.discovery {
            discovery
                .entry((d.namespace.value.0, d.name.value.as_str()))
                .or_insert((d.name.span, &s.name.name));
        }
    }
    for s in &m.services {
        let Some(c) = &s.connect else { continue };
        let ns = c.namespace.value.0;
        let ns_name = &m.namespaces[ns].name.name;
        for e in &c.serves {
            let key = (ns, e.discovery.value.as_str());
            if let Some((first, owner)) = discovery.get(&key) {
                out.push(
                    RULE.at(
                        e.discovery.span,
                        format!(
                            "discovery name \"{}\" is used twice in namespace `{ns_name}`",
                            e.discovery.value
                        ),
                    )
                    .label("second use")
                    .with(*first, format!("first used by service `{owner}`"))
                    .help("give this endpoint a `discovery` name of its own (each becomes a Cloud Map service of the namespace)"),
                );
                continue;
            }
            discovery.insert(key, (e.discovery.span, &s.name.name));
            let Some(port) = &e.port else { continue };
            let key = (ns, e.alias.value.as_str(), port.value);
            if let Some((first, owner)) = endpoints.get(&key) {
                out.push(
                    RULE.at(
                        e.alias.span,
                        format!(
                            "endpoint {}:{} is served twice in namespace `{ns_name}`",
                            e.alias.value, port.value
                        ),
                    )
                    .label("second use")
                    .with(*first, format!("first served by service `{owner}`"))
                    .help("give this endpoint an `alias` (or `port`) of its own"),
                );
                continue;
            }
            endpoints.insert(key, (e.alias.span, &s.name.name));
        }
    }
}
