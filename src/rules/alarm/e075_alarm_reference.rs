//! E075: a deployment's `alarms` and a scaling step's `alarm` name alarms
//! of the service.

use crate::diagnostic::{Diagnostics, Severity};
use crate::rules::{Check, Context, Rule};
use crate::suggest;

pub const RULE: Rule = Rule {
    code: "E075",
    name: "alarm-reference",
    severity: Severity::Error,
    summary: "A deployment's `alarms` and a scaling step's `alarm` name `alarm` blocks of the same service",
    why: "A deployment alarm is listed by its CloudWatch name (`DeploymentConfiguration.Alarms`), and \
          ECS does not check that an alarm of that name exists: a misspelt name is accepted and \
          never fires, so a failing deployment is never rolled back (Amazon ECS Developer Guide, \
          \"How CloudWatch alarms detect Amazon ECS deployment failures\"). A step scaling policy \
          does nothing until an alarm names it in `AlarmActions` (Application Auto Scaling User \
          Guide, \"Step scaling policies\"). ecsc names each alarm `<stack>-<service>-<alarm>` and \
          wires both from the service's own `alarm` blocks.",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
security_group sg { vpc = main }
cluster main { }
task worker {
  cpu = 256  memory = 512
  container app { image = "busybox:1.36" }
}
service worker {
  cluster = main
  task    = worker
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
  alarm failures { metric = memory  above = 90% }
  deployment { alarms = [errors] }
}"#,
    flagged: "errors",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
security_group sg { vpc = main }
cluster main { }
task worker {
  cpu = 256  memory = 512
  container app { image = "busybox:1.36" }
}
service worker {
  cluster = main
  task    = worker
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
  alarm failures { metric = memory  above = 90% }
  deployment { alarms = [failures] }
}"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    for s in &cx.model.services {
        let steps = s
            .autoscale
            .iter()
            .flat_map(|a| &a.steps)
            .map(|st| (&st.alarm, "scaling step"));
        let deployment = s.deployment.alarms.iter().map(|a| (a, "deployment"));
        for (name, what) in deployment.chain(steps) {
            if s.alarm(&name.value).is_some() {
                continue;
            }
            let names = s.alarms.iter().map(|a| a.name.name.as_str());
            let help = match suggest::closest(&name.value, names) {
                Some(close) => format!("did you mean `{close}`?"),
                None if s.alarms.is_empty() => format!(
                    "declare it in the service: `alarm {} {{ metric = cpu  above = 80% }}`",
                    name.value
                ),
                None => format!(
                    "name one of the service's alarms: {}",
                    suggest::one_of(
                        &s.alarms
                            .iter()
                            .map(|a| a.name.name.as_str())
                            .collect::<Vec<_>>()
                    )
                ),
            };
            out.push(
                RULE.at(
                    name.span,
                    format!(
                        "service `{}` has no alarm `{}` for its {what}",
                        s.name.name, name.value
                    ),
                )
                .label("not an alarm of the service")
                .help(help),
            );
        }
    }
}
