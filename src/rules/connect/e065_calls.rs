//! E065: a client calls only names some service serves in its namespace.

use crate::diagnostic::{Diagnostics, Severity};
use crate::rules::{Check, Context, Rule};
use crate::suggest;

pub const RULE: Rule = Rule {
    code: "E065",
    name: "connect-calls",
    severity: Severity::Error,
    summary:
        "Every name in `calls` is the `alias` of an endpoint a service serves in the same namespace",
    why: "A task resolves only the client aliases of the Service Connect endpoints of its own \
          namespace, as they were when it started; it cannot resolve discovery names, nor \
          names served in another namespace. A name nothing serves does not resolve, and the \
          client's requests fail at run time (API-ECS ServiceConnectServiceResource; ECS \
          Developer Guide, Service Connect components). In a namespace that exists already, \
          names other stacks may serve are a note, not an error.",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
security_group sg { vpc = main  ingress tcp 8080 from sg }
namespace apps { type = http }
cluster main { service_connect = apps }
task api {
  cpu = 256  memory = 512
  container app { image = "nginx:1.27"  port 8080 { name = "http" } }
}
task web {
  cpu = 256  memory = 512
  container app { image = "nginx:1.27" }
}
service orders {
  cluster = main  task = api
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
  connect { serve http { discovery = "orders" } }
}
service web {
  cluster = main  task = web
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
  connect { calls = ["order"] }
}"#,
    flagged: "\"order\"",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
security_group sg { vpc = main  ingress tcp 8080 from sg }
namespace apps { type = http }
cluster main { service_connect = apps }
task api {
  cpu = 256  memory = 512
  container app { image = "nginx:1.27"  port 8080 { name = "http" } }
}
task web {
  cpu = 256  memory = 512
  container app { image = "nginx:1.27" }
}
service orders {
  cluster = main  task = api
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
  connect { serve http { discovery = "orders" } }
}
service web {
  cluster = main  task = web
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
  connect { calls = ["orders"] }
}"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    // Every endpoint alias, with its namespace and the service serving it.
    let served: Vec<(usize, &str, &str)> = m
        .services
        .iter()
        .filter_map(|s| s.connect.as_ref().map(|c| (s, c)))
        .flat_map(|(s, c)| {
            c.serves.iter().map(move |e| {
                (
                    c.namespace.value.0,
                    e.alias.value.as_str(),
                    s.name.name.as_str(),
                )
            })
        })
        .collect();
    for s in &m.services {
        let Some(c) = &s.connect else { continue };
        let ns = c.namespace.value.0;
        for call in &c.calls {
            if served.iter().any(|(n, a, _)| *n == ns && *a == call.value) {
                continue;
            }
            let here: Vec<&str> = served
                .iter()
                .filter(|(n, _, _)| *n == ns)
                .map(|(_, a, _)| *a)
                .collect();
            let elsewhere = served.iter().find(|(n, a, _)| *n != ns && *a == call.value);
            let ns_name = &m.namespaces[ns].name.name;
            // Other stacks may serve names in a namespace that exists
            // already: what they serve is not known here.
            if m.namespaces[ns].existing.is_some() {
                out.push(RULE.unverified(
                    call.span,
                    format!(
                        "\"{}\" is not served by this stack; namespace `{ns_name}` exists already, so another stack may serve it (not checked)",
                        call.value
                    ),
                )
                .label("served elsewhere?")
                .help("nothing to change if a service of another stack serves this name in the namespace"));
                continue;
            }
            let help = match (suggest::closest(&call.value, here.iter().copied()), elsewhere) {
                (Some(a), _) => format!("did you mean \"{a}\"?"),
                (None, Some((other, _, server))) => format!(
                    "service `{server}` serves \"{}\" in namespace `{}`: join that namespace (`namespace = {}`), or serve the name in `{ns_name}`",
                    call.value, m.namespaces[*other].name.name, m.namespaces[*other].name.name
                ),
                (None, None) if here.is_empty() => format!(
                    "no service serves anything in namespace `{ns_name}`: add `serve PORT_NAME {{ alias = \"{}\" }}` to the `connect` of the service that answers it, or remove the name",
                    call.value
                ),
                (None, None) => format!(
                    "call one of the names served in `{ns_name}` ({}), or serve \"{}\" from the service that answers it (`serve PORT_NAME {{ alias = \"{}\" }}`)",
                    suggest::one_of(&here),
                    call.value,
                    call.value
                ),
            };
            out.push(
                RULE.at(
                    call.span,
                    format!(
                        "service `{}` calls \"{}\", which no service serves in namespace `{ns_name}`",
                        s.name.name, call.value
                    ),
                )
                .label("nothing serves this name")
                .help(help),
            );
        }
    }
}
