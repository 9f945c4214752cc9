//! E096: the physical names ecsc derives are within AWS's lengths.

use crate::diagnostic::{Diagnostics, Severity};
use crate::plan::Body;
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "E096",
    name: "physical-names",
    severity: Severity::Error,
    summary: "The names ecsc derives from the stack's and declarations' names (clusters, capacity providers, log groups, alarms, scaling policies and actions, inline policies) fit AWS's lengths",
    why: "ecsc names resources after the stack (with its environment) and the declarations: \
          cluster `<stack>-<cluster>`, log group `/ecs/<stack>/<task>`, alarm \
          `<stack>-<service>-<alarm>`, and so on. AWS limits each: a cluster name and a capacity \
          provider name to 255 characters (API-ECS CreateCluster, CreateCapacityProvider), a log \
          group name to 512 (CloudWatch Logs CreateLogGroup), an alarm name to 255 (CloudWatch \
          PutMetricAlarm), a scaling policy's and a scheduled action's name to 256 (Application \
          Auto Scaling PutScalingPolicy, PutScheduledAction), an inline role policy's name to 128 \
          (IAM PutRolePolicy). A longer name fails when the resource is created. Names users \
          write themselves are checked where they are written (E021, E022, E035, E045, E059).",
    bad: r#"stack aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa { region = "eu-west-1" }
cluster main { }"#,
    flagged: "cluster main { }",
    good: r#"stack demo { region = "eu-west-1" }
cluster main { }"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    for r in &cx.plan.resources {
        let (what, name, max) = match &r.body {
            Body::Cluster(b) => ("cluster", &b.name, 255),
            Body::CapacityProvider(b) => ("capacity provider", &b.name, 255),
            Body::LogGroup(b) => ("log group", &b.name, 512),
            Body::Alarm(b) => ("alarm", &b.name, 255),
            Body::ScalingPolicy(b) => ("scaling policy", &b.name, 256),
            Body::ScheduledAction(b) => ("scheduled action", &b.name, 256),
            Body::RolePolicy(b) => ("inline role policy", &b.name, 128),
            _ => continue,
        };
        let n = name.chars().count();
        if n <= max {
            continue;
        }
        out.push(
            RULE.at(
                r.span,
                format!(
                    "the {what} name ecsc derives here, `{}…`, is {n} characters long; AWS takes at most {max}",
                    name.chars().take(40).collect::<String>()
                ),
            )
            .label(format!("{what} name too long"))
            .help(format!(
                "shorten the names it is made of (the stack's, its environment's and this declaration's) by {} characters",
                n - max
            )),
        );
    }
}
