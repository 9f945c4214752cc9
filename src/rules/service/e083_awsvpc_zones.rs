//! E083: awsvpc tasks on EC2 are given subnets in zones where the cluster's
//! instances run.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::NetworkMode;
use crate::rules::{Check, Context, Rule};
use std::collections::BTreeSet;

pub const RULE: Rule = Rule {
    code: "E083",
    name: "awsvpc-zones",
    severity: Severity::Error,
    summary: "An awsvpc service or schedule on EC2 has subnets in a zone where its cluster's instances run",
    why: "A task in awsvpc mode on EC2 gets its network interface in one of its subnets, in the \
          availability zone of the container instance it is placed on. When none of its subnets \
          is in a zone where the cluster's instances run, ECS can place none of its tasks (\"no \
          container instance met all of its requirements\"). The zones come from the subnets of \
          the cluster's `instances` groups; where a subnet states no zone (an existing one), or \
          the instances come from elsewhere, nothing is judged.",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a" }
subnet b { vpc = main  cidr = 10.0.2.0/24  zone = "b" }
security_group sg { vpc = main }
cluster apps { }
instances general { cluster = apps  type = "t3.medium"  subnets = [a]  min = 1  max = 2 }
task api {
  launch = ec2
  container api { image = "public.ecr.aws/nginx/nginx:1.27"  memory = 256 }
}
service api {
  cluster = apps  task = api  count = 2
  network { subnets = [b]  security_groups = [sg] }
}"#,
    flagged: "[b]",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a" }
subnet b { vpc = main  cidr = 10.0.2.0/24  zone = "b" }
security_group sg { vpc = main }
cluster apps { }
instances general { cluster = apps  type = "t3.medium"  subnets = [a, b]  min = 1  max = 2 }
task api {
  launch = ec2
  container api { image = "public.ecr.aws/nginx/nginx:1.27"  memory = 256 }
}
service api {
  cluster = apps  task = api  count = 2
  network { subnets = [b]  security_groups = [sg] }
}"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    for (runner, name, p) in m.placements() {
        let Some(task) = m.tasks.get(p.task.value.0) else {
            continue;
        };
        let Some(net) = &p.network else { continue };
        if p.on_fargate() || task.network_mode.value != NetworkMode::Awsvpc {
            continue;
        }
        let groups: Vec<_> = m.instance_groups_of(p.cluster.value).collect();
        if groups.is_empty() {
            continue;
        }
        // Zones where instances run; unknown when a subnet states none.
        let mut instance_zones = BTreeSet::new();
        for g in &groups {
            for s in &g.subnets.value {
                match &m[*s].zone {
                    Some(z) => instance_zones.insert(z.value.as_str()),
                    None => return,
                };
            }
        }
        let mut task_zones = BTreeSet::new();
        for s in &net.subnets.value {
            match &m[*s].zone {
                Some(z) => task_zones.insert(z.value.as_str()),
                None => return,
            };
        }
        if task_zones.is_disjoint(&instance_zones) && !task_zones.is_empty() {
            let zones: Vec<&str> = instance_zones.iter().copied().collect();
            let mut d = RULE
                .at(
                    net.subnets.span,
                    format!(
                        "the subnets of {} `{}` are in no zone where cluster `{}`'s instances run",
                        runner.word(),
                        name.name,
                        m[p.cluster.value].name.name
                    ),
                )
                .label(format!("not in {}", zones.join(", ")));
            for g in &groups {
                d = d.with(
                    g.subnets.span,
                    format!("instance group `{}` runs here", g.name.name),
                );
            }
            out.push(d.help("give the tasks subnets in the instances' zones, or launch instances in the tasks' zones"));
        }
    }
}
