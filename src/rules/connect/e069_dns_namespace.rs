//! E069: DNS discovery registers in a private DNS namespace.

use crate::diagnostic::{Diagnostics, Severity};
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "E069",
    name: "discovery-dns-namespace",
    severity: Severity::Error,
    summary: "`discovery` (DNS records) names a private DNS namespace, not an HTTP one",
    why: "`discovery` creates a Cloud Map service with a DNS configuration (A or SRV \
          records). An HTTP namespace has no DNS zone: Cloud Map rejects a service with \
          `DnsConfig` in it, so the stack fails. HTTP namespaces serve Service Connect \
          (`connect`) and API discovery only (API-SD CreateService: DnsConfig; ECS Developer \
          Guide, Service Connect configuration).",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
security_group sg { vpc = main }
namespace apps { type = http }
cluster main { }
task api {
  cpu = 256  memory = 512
  container app { image = "nginx:1.27"  port 8080 }
}
service api {
  cluster = main  task = api
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
  discovery { namespace = apps }
}"#,
    flagged: "apps }",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
security_group sg { vpc = main }
namespace apps { vpc = main }
cluster main { }
task api {
  cpu = 256  memory = 512
  container app { image = "nginx:1.27"  port 8080 }
}
service api {
  cluster = main  task = api
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
  discovery { namespace = apps }
}"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    for s in &m.services {
        let Some(d) = &s.discovery else { continue };
        let ns = &m[d.namespace.value];
        if !ns.http.value {
            continue;
        }
        out.push(
            RULE.at(
                d.namespace.span,
                format!(
                    "service `{}` registers DNS records in namespace `{}`, an HTTP namespace",
                    s.name.name, ns.name.name
                ),
            )
            .label("HTTP namespaces hold no DNS records")
            .with(ns.http.span, "HTTP namespace")
            .help(format!(
                "register in a private DNS namespace (`namespace local {{ vpc = … }}`), or reach service `{}` through Service Connect (`connect {{ namespace = {}  serve PORT_NAME {{ }} }}`) instead of `discovery`",
                s.name.name, ns.name.name
            )),
        );
    }
}
