//! W080: an EC2 service needs container instances the stack does not declare.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::LaunchType;
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "W080",
    name: "instance-capacity",
    severity: Severity::Warning,
    summary: "A service or schedule on EC2 needs container instances registered to its cluster",
    why: "Tasks on the EC2 launch type run on container instances: EC2 instances whose ECS agent \
          joins the cluster (`ECS_CLUSTER=<cluster name>` in /etc/ecs/ecs.config) with an \
          instance role that has AmazonEC2ContainerServiceforEC2Role. An `instances` block \
          declares such instances; without one they must come from elsewhere, or the tasks stay \
          PENDING and the deployment never finishes. Instances started without ECS_CLUSTER join the \
          cluster named `default`, not this one. For a cluster that exists already, its \
          instances are unknown offline: `ecsc check` notes the check as not made.",
    bad: r#"stack demo { region = "eu-west-1" }
cluster apps { }
task worker {
  launch = ec2
  network_mode = bridge
  container app { image = "busybox:1.36"  memory = 128 }
}
service worker { cluster = apps  task = worker }"#,
    flagged: "worker { cluster",
    good: r#"stack demo { region = "eu-west-1" }
cluster apps { }
task worker {
  launch = ec2
  network_mode = bridge
  container app { image = "busybox:1.36"  memory = 128 }
}
# ecsc-allow W080: instances come from the shared ASG of the platform team
service worker { cluster = apps  task = worker }"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    for (runner, at, p) in m.placements() {
        if p.launch.value != LaunchType::Ec2 {
            continue;
        }
        let what = runner.word();
        let cluster = p.cluster.value;
        // Instances the stack declares join the cluster.
        if m.instance_groups_of(cluster).next().is_some() {
            continue;
        }
        // An existing cluster's instances are its owners' and unknown here.
        if m[cluster].existing.is_some() {
            out.push(
                RULE.unverified(
                    at.span,
                    format!(
                        "whether cluster `{}` has container instances for this {what} is not checked: the cluster exists already",
                        m[cluster].name.name
                    ),
                )
                .label("EC2 launch type")
                .help("nothing to change if the cluster's owners register instances with room for its tasks"),
            );
            continue;
        }
        let name = format!("{}-{}", m.stack.name, m[cluster].name.name);
        out.push(
            RULE.at(at.span, format!("this {what} runs on EC2, and the stack declares no container instances for cluster `{name}`"))
                .label("EC2 launch type")
                .with(m[cluster].name.span, format!("instances must join `{name}`"))
                .help(format!(
                    "declare them (`instances general {{ cluster = {}  type = \"m6i.large\"  subnets = [...]  min = 1  max = 4 }}`), or register instances with `ECS_CLUSTER={name}` elsewhere (then silence this with `# ecsc-allow W080: <where they come from>`), or use `launch = fargate`",
                    m[cluster].name.name
                )),
        );
    }
}
