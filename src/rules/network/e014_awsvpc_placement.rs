//! E014: a network placement (a service's or schedule's `network`, a load
//! balancer, an interface endpoint, an instance group) has at most 16
//! subnets and 5 security groups, all in one VPC.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::*;
use crate::rules::{Check, Context, Rule};
use crate::source::{Span, Spanned};
use std::collections::HashSet;

pub const RULE: Rule = Rule {
    code: "E014",
    name: "awsvpc-placement",
    severity: Severity::Error,
    summary: "A network placement has at most 16 subnets and 5 security groups, all in one VPC",
    why: "An awsvpc configuration (a service's or scheduled task's `network`) takes at most 16 \
          subnets and 5 security groups, and every one of them must belong to the same VPC; \
          CreateService fails with InvalidParameterException otherwise. Load balancers and \
          interface endpoints are bound to one VPC in the same way (\"security group does not \
          belong to VPC\"), and a target group registers targets of its own VPC only, so a \
          service's tasks must live in the VPC of the load balancer its routes go through. An \
          instance group's Auto Scaling group launches into its subnets with the launch \
          template's security groups, which must be of the same VPC (\"The security group … and \
          subnet … belong to different networks\").",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
vpc legacy { cidr = 10.1.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
security_group app_sg { vpc = main }
security_group old_sg { vpc = legacy }
cluster main { }
task api {
  cpu = 256  memory = 512
  container app { image = "nginx:1.27"  port 8080 }
}
service api {
  cluster = main  task = api
  network { subnets = [a]  security_groups = [app_sg, old_sg]  public_ip = true }
}"#,
    flagged: "[app_sg, old_sg]",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
security_group app_sg { vpc = main }
cluster main { }
task api {
  cpu = 256  memory = 512
  container app { image = "nginx:1.27"  port 8080 }
}
service api {
  cluster = main  task = api
  network { subnets = [a]  security_groups = [app_sg]  public_ip = true }
}"#,
    check: Check::Model(check),
};

const MAX_SUBNETS: usize = 16;
const MAX_GROUPS: usize = 5;

/// One network placement to check.
struct Site<'a> {
    /// `service `api`'s network`, `load balancer `web``.
    what: String,
    subnets: &'a Spanned<Vec<SubnetId>>,
    groups: &'a Spanned<Vec<SgId>>,
    /// The VPC it is declared in, if it names one (endpoints), with where.
    vpc: Option<&'a Spanned<VpcId>>,
    /// Whether the awsvpc limits of 16 subnets apply (an Auto Scaling
    /// group takes more).
    subnet_limit: bool,
}

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    for (runner, name, p) in m.placements() {
        if let Some(n) = &p.network {
            let what = format!("{} `{}`", runner.word(), name.name);
            placement(m, out, &network(what, n));
        }
    }
    for lb in &m.load_balancers {
        placement(
            m,
            out,
            &Site {
                what: format!("load balancer `{}`", lb.name.name),
                subnets: &lb.subnets,
                groups: &lb.security_groups,
                vpc: lb.vpc.as_ref(),
                subnet_limit: true,
            },
        );
    }
    for e in &m.endpoints {
        if e.kind != EndpointKind::Interface {
            continue; // E016 covers gateway endpoints with subnets or groups
        }
        placement(
            m,
            out,
            &Site {
                what: format!("endpoint `{}`", e.name.name),
                subnets: &e.subnets,
                groups: &e.security_groups,
                vpc: Some(&e.vpc),
                subnet_limit: true,
            },
        );
    }
    // An instance group's launch template groups are in its subnets' VPC.
    for g in &m.instance_groups {
        placement(
            m,
            out,
            &Site {
                what: format!("instance group `{}`", g.name.name),
                subnets: &g.subnets,
                groups: &g.security_groups,
                vpc: None,
                subnet_limit: false,
            },
        );
    }
    // A route's target group lives in its load balancer's VPC.
    for s in &m.services {
        let Some(n) = &s.placement.network else {
            continue;
        };
        let Some(task_vpc) = m.vpc_of_subnets(&n.subnets.value) else {
            continue;
        };
        for r in &s.routes {
            let lb = &m.load_balancers[r.listener.lb.0];
            let Some(lb_vpc) = m.lb_vpc(lb) else {
                continue;
            };
            let lb_vpc_span = lb.vpc.as_ref().map_or(lb.subnets.span, |v| v.span);
            if lb_vpc == task_vpc {
                continue;
            }
            out.push(
                RULE.at(
                    r.target_span,
                    format!(
                        "service `{}` runs in VPC `{}` but routes from load balancer `{}` in VPC `{}`",
                        s.name.name, m[task_vpc].name.name, lb.name.name, m[lb_vpc].name.name
                    ),
                )
                .label("target group in another VPC")
                .with(n.subnets.span, format!("the tasks are placed in VPC `{}`", m[task_vpc].name.name))
                .with(lb_vpc_span, format!("the load balancer is in VPC `{}`", m[lb_vpc].name.name))
                .help("place the service's tasks in subnets of the load balancer's VPC, or route through a load balancer in the tasks' VPC"),
            );
        }
    }
}

fn network(what: String, n: &NetworkConfig) -> Site<'_> {
    Site {
        what: format!("{what}'s network"),
        subnets: &n.subnets,
        groups: &n.security_groups,
        vpc: None,
        subnet_limit: true,
    }
}

fn placement(m: &Model, out: &mut Diagnostics, p: &Site<'_>) {
    let subnets = &p.subnets.value;
    let groups = &p.groups.value;
    if p.subnet_limit && subnets.len() > MAX_SUBNETS {
        out.push(
            RULE.at(
                p.subnets.span,
                format!(
                    "{} lists {} subnets, more than {MAX_SUBNETS}",
                    p.what,
                    subnets.len()
                ),
            )
            .label(format!("{} subnets", subnets.len()))
            .help(format!(
                "keep at most {MAX_SUBNETS} subnets; one or two per availability zone is plenty"
            )),
        );
    }
    if groups.len() > MAX_GROUPS {
        out.push(
            RULE.at(
                p.groups.span,
                format!(
                    "{} lists {} security groups, more than {MAX_GROUPS}",
                    p.what,
                    groups.len()
                ),
            )
            .label(format!("{} security groups", groups.len()))
            .help(format!(
                "keep at most {MAX_GROUPS}: merge the rules of some groups into one"
            )),
        );
    }
    // The VPC everything must be in: the declared one, else the first
    // subnet's, else the first group's.
    let (vpc, vpc_span, vpc_note): (VpcId, Span, String) =
        match (p.vpc, subnets.first(), groups.first()) {
            (Some(v), _, _) => (
                v.value,
                v.span,
                format!("{} is in VPC `{}`", p.what, m[v.value].name.name),
            ),
            (None, Some(s), _) => {
                let sub = &m[*s];
                (
                    sub.vpc,
                    sub.name.span,
                    format!(
                        "subnet `{}` is in VPC `{}`",
                        sub.name.name, m[sub.vpc].name.name
                    ),
                )
            }
            (None, None, Some(g)) => {
                let sg = &m[*g];
                (
                    sg.vpc.value,
                    sg.vpc.span,
                    format!(
                        "security group `{}` is in VPC `{}`",
                        sg.name.name, m[sg.vpc.value].name.name
                    ),
                )
            }
            (None, None, None) => return,
        };
    let vpc_name = &m[vpc].name.name;
    let mut seen: HashSet<SubnetId> = HashSet::new();
    for s in subnets {
        let sub = &m[*s];
        if sub.vpc == vpc || !seen.insert(*s) {
            continue;
        }
        out.push(
            RULE.at(
                p.subnets.span,
                format!(
                    "{} mixes VPCs: subnet `{}` is in VPC `{}`, not `{vpc_name}`",
                    p.what, sub.name.name, m[sub.vpc].name.name
                ),
            )
            .label("subnets of two VPCs")
            .with(
                sub.name.span,
                format!(
                    "`{}` is declared in VPC `{}`",
                    sub.name.name, m[sub.vpc].name.name
                ),
            )
            .with(vpc_span, vpc_note.clone())
            .help(format!("use only subnets of VPC `{vpc_name}`")),
        );
    }
    let mut seen: HashSet<SgId> = HashSet::new();
    for g in groups {
        let sg = &m[*g];
        if sg.vpc.value == vpc || !seen.insert(*g) {
            continue;
        }
        out.push(
            RULE.at(
                p.groups.span,
                format!(
                    "{} mixes VPCs: security group `{}` is in VPC `{}`, not `{vpc_name}`",
                    p.what, sg.name.name, m[sg.vpc.value].name.name
                ),
            )
            .label("security groups of two VPCs")
            .with(sg.vpc.span, format!("`{}` is declared in VPC `{}`", sg.name.name, m[sg.vpc.value].name.name))
            .with(vpc_span, vpc_note.clone())
            .help(format!(
                "use only security groups of VPC `{vpc_name}` (a group belongs to one VPC; declare another with `vpc = {vpc_name}`)"
            )),
        );
    }
}
