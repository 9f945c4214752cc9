//! W020: a load balancer stays within its default quotas.

use crate::diagnostic::{Diagnostics, Severity};
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "W020",
    name: "alb-quotas",
    severity: Severity::Warning,
    summary: "A load balancer has at most 50 listeners, 100 listener rules and 100 target groups",
    why: "The default Elastic Load Balancing quotas allow 50 listeners, 100 rules (not counting \
          the default rules) and 100 target groups per application load balancer; creating one \
          more fails with TooManyListeners, TooManyRules or TooManyTargetGroups. The quotas can \
          be raised through Service Quotas before deploying.",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
subnet b { vpc = main  cidr = 10.0.2.0/24  zone = "b"  public = true }
security_group sg { vpc = main  ingress tcp 8001-8051 from 0.0.0.0/0 }
load_balancer edge {
  subnets = [a, b]  security_groups = [sg]
  listener http 8001  listener http 8002  listener http 8003  listener http 8004  listener http 8005
  listener http 8006  listener http 8007  listener http 8008  listener http 8009  listener http 8010
  listener http 8011  listener http 8012  listener http 8013  listener http 8014  listener http 8015
  listener http 8016  listener http 8017  listener http 8018  listener http 8019  listener http 8020
  listener http 8021  listener http 8022  listener http 8023  listener http 8024  listener http 8025
  listener http 8026  listener http 8027  listener http 8028  listener http 8029  listener http 8030
  listener http 8031  listener http 8032  listener http 8033  listener http 8034  listener http 8035
  listener http 8036  listener http 8037  listener http 8038  listener http 8039  listener http 8040
  listener http 8041  listener http 8042  listener http 8043  listener http 8044  listener http 8045
  listener http 8046  listener http 8047  listener http 8048  listener http 8049  listener http 8050
  listener http 8051
}"#,
    flagged: "edge {",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
subnet b { vpc = main  cidr = 10.0.2.0/24  zone = "b"  public = true }
security_group sg { vpc = main  ingress tcp 8001-8051 from 0.0.0.0/0 }
load_balancer edge {
  subnets = [a, b]  security_groups = [sg]
  listener http 8001  listener http 8002  listener http 8003  listener http 8004  listener http 8005
  listener http 8006  listener http 8007  listener http 8008  listener http 8009  listener http 8010
  listener http 8011  listener http 8012  listener http 8013  listener http 8014  listener http 8015
  listener http 8016  listener http 8017  listener http 8018  listener http 8019  listener http 8020
  listener http 8021  listener http 8022  listener http 8023  listener http 8024  listener http 8025
  listener http 8026  listener http 8027  listener http 8028  listener http 8029  listener http 8030
  listener http 8031  listener http 8032  listener http 8033  listener http 8034  listener http 8035
  listener http 8036  listener http 8037  listener http 8038  listener http 8039  listener http 8040
  listener http 8041  listener http 8042  listener http 8043  listener http 8044  listener http 8045
  listener http 8046  listener http 8047  listener http 8048  listener http 8049  listener http 8050
}"#,
    check: Check::Model(check),
};

const MAX_LISTENERS: usize = 50;
const MAX_RULES: usize = 100;
const MAX_TARGET_GROUPS: usize = 100;

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    let mut rules = vec![0usize; m.load_balancers.len()];
    let mut groups = vec![0usize; m.load_balancers.len()];
    for r in &m.listener_rules {
        rules[r.listener.lb.0] += 1;
    }
    for t in &m.target_groups {
        groups[t.listener.lb.0] += 1;
    }
    for (i, lb) in m.load_balancers.iter().enumerate() {
        let counts = [
            (
                lb.listeners.len(),
                MAX_LISTENERS,
                "listeners",
                "TooManyListeners",
                "fewer listeners (one https listener can serve many hosts and paths)",
            ),
            (
                rules[i],
                MAX_RULES,
                "listener rules",
                "TooManyRules",
                "fewer routes with `path`/`host` on it",
            ),
            (
                groups[i],
                MAX_TARGET_GROUPS,
                "target groups",
                "TooManyTargetGroups",
                "fewer routes to it (each route gets its own target group)",
            ),
        ];
        for (n, max, what, error, fewer) in counts {
            if n <= max {
                continue;
            }
            out.push(
                RULE.at(lb.name.span, format!("load balancer `{}` has {n} {what}, above the default quota of {max}", lb.name.name))
                    .label(format!("{n} {what}"))
                    .help(format!(
                        "give it {fewer}, or split them over a second load balancer; otherwise raise the quota in Service Quotas before deploying, or creation fails with {error}"
                    )),
            );
        }
    }
}
