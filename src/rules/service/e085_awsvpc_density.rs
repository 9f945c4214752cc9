//! E085: awsvpc tasks on EC2 fit the network interfaces of the cluster's
//! instances.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::{ClusterId, LaunchType, NetworkMode};
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "E085",
    name: "awsvpc-density",
    severity: Severity::Error,
    summary: "awsvpc tasks on EC2 need a network interface each: no more than the instances have, unless ENI trunking is on",
    why: "On EC2 each task in awsvpc mode gets an elastic network interface attached to its \
          container instance, besides the instance's own, so an instance runs at most its \
          interface limit minus one such tasks (a t3.medium: 2). ECS cannot place the rest \
          (\"RESOURCE:ENI\"). With the account setting awsvpcTrunking on, newer instance types \
          take many more; that setting is not in the stack, so an `instances` group states it \
          (`eni_trunking`): stated off, the limit is judged; not stated, the check is noted as not \
          made. The limits come from a table of the common families (t3/t3a/t4g, m/c/r).",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a" }
security_group sg { vpc = main }
cluster apps { }
instances general {
  cluster = apps  type = "t3.medium"  subnets = [a]  min = 1  max = 2
  eni_trunking = false
}
task api {
  launch = ec2
  container api { image = "public.ecr.aws/nginx/nginx:1.27"  memory = 128 }
}
service api {
  cluster = apps  task = api  count = 6
  network { subnets = [a]  security_groups = [sg] }
}"#,
    flagged: "6\n  network",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a" }
security_group sg { vpc = main }
cluster apps { }
instances general {
  cluster = apps  type = "t3.medium"  subnets = [a]  min = 1  max = 3
  eni_trunking = false
}
task api {
  launch = ec2
  container api { image = "public.ecr.aws/nginx/nginx:1.27"  memory = 128 }
}
service api {
  cluster = apps  task = api  count = 6
  network { subnets = [a]  security_groups = [sg] }
}"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    for (ci, cluster) in m.clusters.iter().enumerate() {
        let groups: Vec<_> = m.instance_groups_of(ClusterId(ci)).collect();
        if cluster.existing.is_some() || groups.is_empty() {
            continue;
        }
        // awsvpc services on EC2 on this cluster, with the most tasks each.
        let services: Vec<_> = m
            .services
            .iter()
            .filter(|s| s.placement.cluster.value.0 == ci && s.daemon.is_none())
            .filter(|s| {
                let t = &m[s.placement.task.value];
                t.launch.value == LaunchType::Ec2 && t.network_mode.value == NetworkMode::Awsvpc
            })
            .collect();
        let Some(last) = services.last() else {
            continue;
        };
        let tasks: u64 = services.iter().map(|s| s.most_tasks().value).sum();
        let mut slots = 0;
        for g in &groups {
            match crate::instance_types::network_interfaces(&g.instance_type.value) {
                Some(enis) if g.spot.as_ref().is_none_or(|s| s.types.is_empty()) => {
                    slots += g.max.value * enis.saturating_sub(1);
                }
                // An unknown type, or several: not judged.
                _ => return,
            }
        }
        if tasks <= slots {
            continue;
        }
        let span = last.most_tasks().span;
        let message = format!(
            "{tasks} awsvpc tasks on cluster `{}` need a network interface each; its instances have room for {slots}",
            cluster.name.name
        );
        let stated_off = groups
            .iter()
            .all(|g| g.eni_trunking.as_ref().is_some_and(|t| !t.value));
        let unknown = groups.iter().any(|g| g.eni_trunking.is_none());
        let group = groups[0];
        if stated_off {
            out.push(
                RULE.at(span, message)
                    .label("more tasks than interfaces")
                    .with(group.instance_type.span, format!("`{}` takes {} tasks per instance", group.instance_type.value, slots / group.max.value.max(1)))
                    .help("raise `max` or use a larger `type`, run the tasks in bridge mode, or turn on ENI trunking (`aws ecs put-account-setting-default --name awsvpcTrunking --value enabled`) and state `eni_trunking = true`"),
            );
        } else if unknown {
            out.push(
                RULE.unverified(span, format!("whether {tasks} awsvpc tasks fit the network interfaces of cluster `{}`'s instances is not checked: without ENI trunking they have room for {slots}", cluster.name.name))
                    .label("depends on ENI trunking")
                    .help("state `eni_trunking = true` or `false` on the instance group to have it checked"),
            );
        }
    }
}
