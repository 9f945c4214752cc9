//! E052: a capacity provider strategy ECS accepts for the task it runs.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::{LaunchType, Os, Provider};
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "E052",
    name: "capacity-strategy",
    severity: Severity::Error,
    summary: "A capacity provider strategy gives a base to one provider at most, a weight to at least one, and runs tasks its providers can run",
    why: "CreateService, RunTask and EventBridge's ECS targets take a capacity provider \
          strategy instead of a launch type. Only one provider of a strategy may have a base \
          (the tasks placed on it first), and when several are listed at least one needs a \
          weight above 0, or the call fails (API-ECS CapacityProviderStrategyItem). FARGATE and \
          FARGATE_SPOT run Fargate tasks only (\"Task definition does not support launch_type \
          FARGATE\"), an instance group's provider EC2 tasks of its own cluster, and one strategy \
          takes Fargate providers or Auto Scaling group providers, not both; Fargate Spot runs \
          Linux tasks only. A cluster that exists already may \
          not be associated with the providers named: that is noted, not checked.",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
security_group sg { vpc = main }
cluster main { }
task api {
  cpu = 256  memory = 512
  container app { image = "public.ecr.aws/nginx/nginx:1.27" }
}
service api {
  cluster = main  task = api  count = 4
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
  capacity fargate      { base = 1 }
  capacity fargate_spot { base = 1  weight = 3 }
}"#,
    flagged: "fargate_spot",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
security_group sg { vpc = main }
cluster main { }
task api {
  cpu = 256  memory = 512
  container app { image = "public.ecr.aws/nginx/nginx:1.27" }
}
service api {
  cluster = main  task = api  count = 4
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
  capacity fargate      { base = 1 }
  capacity fargate_spot { weight = 3 }
}"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    for (runner, name, p) in m.placements() {
        if p.capacity.is_empty() {
            continue;
        }
        let what = format!("{} `{}`", runner.word(), name.name);
        let mut based = p.capacity.iter().filter(|i| i.base.value > 0);
        if let (Some(first), Some(second)) = (based.next(), based.next()) {
            out.push(
                RULE.at(
                    second.provider.span,
                    format!("the strategy of {what} gives a base to two capacity providers"),
                )
                .label("second provider with a base")
                .with(first.base.span, "a base is given here")
                .help(format!(
                    "keep the base on one provider; remove `base` from `{}`",
                    m.provider_word(second.provider.value)
                )),
            );
        }
        if p.capacity.len() > 1 && p.capacity.iter().all(|i| i.weight.value == 0) {
            let first = &p.capacity[0];
            out.push(
                RULE.at(
                    first.provider.span,
                    format!("every capacity provider of {what} has weight 0"),
                )
                .label("no provider takes a share of the tasks")
                .help(format!(
                    "give one a weight, e.g. `capacity {} {{ weight = 1 }}`",
                    m.provider_word(first.provider.value)
                )),
            );
        }
        let Some(task) = m.tasks.get(p.task.value.0) else {
            continue;
        };
        for item in &p.capacity {
            let provider = item.provider.value;
            let word = m.provider_word(provider);
            if provider.is_fargate() && task.launch.value != LaunchType::Fargate {
                out.push(
                    RULE.at(
                        item.provider.span,
                        format!(
                            "{what} runs task `{}`, defined for EC2, on {}",
                            task.name.name,
                            m.provider_name(provider)
                        ),
                    )
                    .label("a Fargate capacity provider")
                    .with(task.launch.span, "the task is defined for EC2")
                    .help(format!(
                        "make the task `launch = fargate`, or remove `capacity {word}`"
                    )),
                );
            } else if !provider.is_fargate() && task.launch.value == LaunchType::Fargate {
                out.push(
                    RULE.at(
                        item.provider.span,
                        format!(
                            "{what} runs task `{}`, defined for Fargate, on {}",
                            task.name.name,
                            m.provider_name(provider)
                        ),
                    )
                    .label("EC2 container instances")
                    .with(task.launch.span, "the task runs on Fargate")
                    .help(format!(
                        "make the task `launch = ec2`, or remove `capacity {word}`"
                    )),
                );
            } else if provider == Provider::FargateSpot && task.os.value == Os::Windows {
                out.push(
                    RULE.at(item.provider.span, format!("{what} runs Windows task `{}` on Fargate Spot, which runs Linux tasks only", task.name.name))
                        .label("Fargate Spot")
                        .with(task.os.span, "a Windows task")
                        .help("use `capacity fargate`, or a Linux task"),
                );
            }
            if let Provider::Instances(g) = provider {
                let group = &m[g];
                if group.cluster.value != p.cluster.value {
                    out.push(
                        RULE.at(item.provider.span, format!("{what} runs on cluster `{}`, but instance group `{}` joins cluster `{}`", m[p.cluster.value].name.name, group.name.name, m[group.cluster.value].name.name))
                            .label("a capacity provider of another cluster")
                            .with(group.cluster.span, "the group's cluster")
                            .help(format!("use an instance group of cluster `{}`, or run the {} on cluster `{}`", m[p.cluster.value].name.name, runner.word(), m[group.cluster.value].name.name)),
                    );
                }
            }
        }
        // ECS takes Fargate providers and Auto Scaling group providers in
        // different strategies only.
        let fargate = p.capacity.iter().find(|i| i.provider.value.is_fargate());
        let groups = p.capacity.iter().find(|i| !i.provider.value.is_fargate());
        if let (Some(f), Some(g)) = (fargate, groups) {
            out.push(
                RULE.at(
                    g.provider.span,
                    format!("the strategy of {what} mixes Fargate and instance group providers"),
                )
                .label("an Auto Scaling group provider")
                .with(f.provider.span, "a Fargate provider")
                .help("keep either the Fargate providers or the instance groups in one strategy"),
            );
        }
        let cluster = &m[p.cluster.value];
        if cluster.existing.is_some() {
            let names: Vec<String> = p
                .capacity
                .iter()
                .map(|i| m.provider_name(i.provider.value))
                .collect();
            out.push(
                RULE.unverified(
                    p.capacity[0].provider.span,
                    format!(
                        "whether cluster `{}` is associated with {} is not checked: the cluster exists already",
                        cluster.name.name,
                        names.join(" and ")
                    ),
                )
                .label("providers of an existing cluster")
                .help("nothing to change if the cluster's owners associated these capacity providers with it"),
            );
        }
    }
}
