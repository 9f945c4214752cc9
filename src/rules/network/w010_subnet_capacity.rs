//! W010: a subnet has enough addresses for the network interfaces placed
//! in it at peak.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::*;
use crate::rules::{Check, Context, Rule};
use crate::source::Span;

pub const RULE: Rule = Rule {
    code: "W010",
    name: "subnet-capacity",
    severity: Severity::Warning,
    summary: "A subnet has enough free addresses for its tasks, endpoints and load balancer nodes at peak",
    why: "AWS reserves 5 addresses of every subnet (the first four and the last), so a /28 has 11 \
          usable, a /24 251. Every awsvpc task gets its own network interface and address; during \
          a deployment a service runs up to desired × maximumPercent / 100 tasks (200% by default, \
          and the auto scaling maximum counts instead of the desired count when larger), spread \
          over its subnets. Each interface endpoint takes one address per subnet, and an \
          application load balancer needs free addresses in each of its subnets as it scales \
          (AWS asks for at least 8; ecsc counts 8 per subnet, a conservative figure). When the \
          subnet runs out, tasks fail to start with \"ENI allocation: no free IP addresses\" and \
          deployments stall.",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet public_a { vpc = main  cidr = 10.0.1.0/28  zone = "a"  public = true }
security_group app_sg { vpc = main }
cluster main { }
task api {
  cpu = 256  memory = 512
  container app { image = "nginx:1.27"  port 8080 }
}
service api {
  cluster = main  task = api  count = 8
  network { subnets = [public_a]  security_groups = [app_sg]  public_ip = true }
}"#,
    flagged: "10.0.1.0/28",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet public_a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
security_group app_sg { vpc = main }
cluster main { }
task api {
  cpu = 256  memory = 512
  container app { image = "nginx:1.27"  port 8080 }
}
service api {
  cluster = main  task = api  count = 8
  network { subnets = [public_a]  security_groups = [app_sg]  public_ip = true }
}"#,
    check: Check::Model(check),
};

/// Addresses an application load balancer may take in each of its subnets.
const LB_NODES: u64 = 8;

/// Who takes addresses in a subnet: how many, what, and where it is written.
struct Use {
    count: u64,
    what: String,
    span: Span,
}

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    let mut uses: Vec<Vec<Use>> = (0..m.subnets.len()).map(|_| Vec::new()).collect();
    for (runner, name, p) in m.placements() {
        let Some(net) = &p.network else { continue };
        if m[p.task.value].network_mode.value != NetworkMode::Awsvpc {
            continue;
        }
        // A service peaks during a deployment (at its highest bound); a
        // schedule at each run.
        let (peak, when) = match runner {
            Runner::Service(id) => {
                let s = &m[id];
                let scheduled = s.scale.iter().map(|sc| sc.max.value).max().unwrap_or(0);
                let tasks = s
                    .autoscale
                    .as_ref()
                    .map_or(s.desired.value, |a| a.max.value.max(s.desired.value))
                    .max(scheduled);
                let max_percent = s.deployment.max_percent.as_ref().map_or(200, |p| p.value);
                (
                    tasks.saturating_mul(max_percent) / 100,
                    " during a deployment",
                )
            }
            Runner::Schedule(id) => (m[id].count.value, ""),
            // CI runs one at a time.
            Runner::OneOff(_) => (1, ""),
        };
        let (subnets, each) = spread(&net.subnets.value, peak);
        for sub in subnets {
            uses[sub.0].push(Use {
                count: each,
                what: format!(
                    "{} `{}`: up to {each} task{} here{when}",
                    runner.word(),
                    name.name,
                    plural(each)
                ),
                span: net.subnets.span,
            });
        }
    }
    for e in &m.endpoints {
        if e.kind != EndpointKind::Interface {
            continue;
        }
        for s in distinct(&e.subnets.value) {
            uses[s.0].push(Use {
                count: 1,
                what: format!("endpoint `{}`: 1 interface", e.name.name),
                span: e.subnets.span,
            });
        }
    }
    for lb in &m.load_balancers {
        for s in distinct(&lb.subnets.value) {
            uses[s.0].push(Use {
                count: LB_NODES,
                what: format!("load balancer `{}`: up to {LB_NODES} nodes", lb.name.name),
                span: lb.subnets.span,
            });
        }
    }
    for (i, list) in uses.iter().enumerate() {
        let sub = &m.subnets[i];
        // An existing subnet's size is not known offline.
        let Some(cidr) = &sub.cidr else {
            if !list.is_empty() {
                out.push(
                    RULE.unverified(
                        sub.name.span,
                        format!(
                            "whether subnet `{}` has addresses for its tasks is not checked: it states no `cidr`",
                            sub.name.name
                        ),
                    )
                    .label("capacity not checked")
                    .help("state the existing subnet's block (`cidr = 10.0.1.0/24`) to have it checked"),
                );
            }
            continue;
        };
        let usable = cidr.value.size().saturating_sub(5);
        let needed: u64 = list.iter().map(|u| u.count).sum();
        if needed <= usable {
            continue;
        }
        let mut d = RULE
            .at(
                cidr.span,
                format!(
                    "subnet `{}` has {usable} usable addresses but may need {needed} at peak",
                    sub.name.name
                ),
            )
            .label(format!(
                "/{}: {} addresses, 5 reserved by AWS",
                cidr.value.prefix,
                cidr.value.size()
            ));
        for u in list {
            d = d.with(u.span, u.what.clone());
        }
        let help = (16..=28u8)
            .rev()
            .map(|p| (p, (1u64 << (32 - u32::from(p))) - 5))
            .find(|(_, usable)| *usable >= needed)
            .map(|(p, usable)| format!("use a /{p} or larger ({usable} usable addresses), or spread the tasks over more subnets"))
            .unwrap_or_else(|| "spread the tasks over more subnets".to_string());
        out.push(d.help(help));
    }
}

/// The distinct subnets of a list, sorted.
fn distinct(subnets: &[SubnetId]) -> Vec<SubnetId> {
    let mut v = subnets.to_vec();
    v.sort();
    v.dedup();
    v
}

/// `total` tasks spread evenly over the distinct subnets: how many each
/// gets at most.
fn spread(subnets: &[SubnetId], total: u64) -> (Vec<SubnetId>, u64) {
    let v = distinct(subnets);
    if v.is_empty() || total == 0 {
        return (Vec::new(), 0);
    }
    let each = total.div_ceil(v.len() as u64);
    (v, each)
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
