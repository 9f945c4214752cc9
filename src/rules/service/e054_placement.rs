//! E054: placement strategies and constraints only where ECS places tasks
//! on instances, within its limits.

use crate::diagnostic::{Diagnostics, Severity};
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "E054",
    name: "placement",
    severity: Severity::Error,
    summary: "Placement strategies and constraints are for tasks on EC2 instances: at most 5 strategies and 10 constraints",
    why: "ECS chooses a container instance for each task on EC2 by the placement strategies, in \
          order, among the instances the constraints allow. Fargate has no instances to choose: \
          CreateService and RunTask reject a placement strategy or constraint with the FARGATE \
          launch type or Fargate capacity providers. A service or task takes at most 5 \
          strategies and 10 constraints (API-ECS placementStrategy, placementConstraints).",
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
  cluster = main  task = api  count = 2
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
  placement { strategy = spread_zone }
}"#,
    flagged: "placement",
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
  cluster = main  task = api  count = 2
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
}"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    for (runner, name, p) in m.placements() {
        let Some(rules) = &p.rules else { continue };
        let what = format!("{} `{}`", runner.word(), name.name);
        let task = m.tasks.get(p.task.value.0);
        if p.on_fargate() {
            let mut d = RULE
                .at(rules.span, format!("{what} runs on Fargate, which takes no placement strategies or constraints"))
                .label("for tasks on EC2 instances");
            if let Some(t) = task {
                d = d.with(
                    t.launch.span,
                    format!("task `{}` runs on Fargate", t.name.name),
                );
            }
            out.push(d.help(
                "remove the `placement` block, or run the task on EC2 (`launch = ec2` on the task)",
            ));
            continue;
        }
        if rules.strategies.len() > 5 {
            out.push(
                RULE.at(
                    rules.strategies[5].span,
                    format!(
                        "{what} has {} placement strategies, more than 5",
                        rules.strategies.len()
                    ),
                )
                .label("the sixth")
                .help(
                    "keep the first five: ECS applies them in order, and later ones rarely decide",
                ),
            );
        }
        let constraints = rules.member_of.len() + usize::from(rules.distinct_instance.is_some());
        if constraints > 10 {
            out.push(
                RULE.at(
                    rules.span,
                    format!("{what} has {constraints} placement constraints, more than 10"),
                )
                .label("too many constraints")
                .help("join `member_of` expressions with `and` into fewer constraints"),
            );
        }
    }
}
