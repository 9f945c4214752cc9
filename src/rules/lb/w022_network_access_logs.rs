//! W022: a network load balancer's access logs need a TLS listener.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::ListenerProtocol;
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "W022",
    name: "network-access-logs",
    severity: Severity::Warning,
    summary: "A network load balancer with `access_logs` has a TLS listener",
    why: "A Network Load Balancer writes access logs only for TLS connections (Elastic Load \
          Balancing, \"Access logs for your Network Load Balancer\": \"access logs are created \
          only if the load balancer has a TLS listener and they contain information only about \
          TLS requests\"). Without a `tls` listener the bucket, its policy and its cost exist \
          and stay empty.",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
security_group sg { vpc = main  ingress tcp 5432 from 10.0.0.0/16 }
load_balancer db { type = network  internal = true  subnets = [a]  access_logs { }  listener tcp 5432 }
cluster main { }
task pg {
  cpu = 256  memory = 512
  container pg { image = "public.ecr.aws/docker/library/postgres:16"  port 5432 }
}
service pg {
  cluster = main  task = pg
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
  route db:5432 { }
}"#,
    flagged: "access_logs { }",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
security_group sg { vpc = main  ingress tcp 5432 from 10.0.0.0/16 }
load_balancer db { type = network  internal = true  subnets = [a]  listener tcp 5432 }
cluster main { }
task pg {
  cpu = 256  memory = 512
  container pg { image = "public.ecr.aws/docker/library/postgres:16"  port 5432 }
}
service pg {
  cluster = main  task = pg
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
  route db:5432 { }
}"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    for lb in &cx.model.load_balancers {
        let Some(logs) = &lb.access_logs else {
            continue;
        };
        if !lb.is_network()
            || lb
                .listeners
                .iter()
                .any(|l| l.protocol.value == ListenerProtocol::Tls)
        {
            continue;
        }
        out.push(
            RULE.at(
                logs.span,
                format!(
                    "network load balancer `{}` logs only TLS connections, and has no tls listener",
                    lb.name.name
                ),
            )
            .label("logs that stay empty")
            .help("remove `access_logs`, or end TLS at the load balancer with a `listener tls PORT { certificate = … }`"),
        );
    }
}
