//! E021: a load balancer's physical name is one ELB accepts.

use crate::diagnostic::{Diagnostics, Severity};
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "E021",
    name: "lb-name",
    severity: Severity::Error,
    summary: "A load balancer's `name` is at most 32 letters, digits and hyphens, not starting `internal-`",
    why: "CreateLoadBalancer takes a name of at most 32 characters from `[A-Za-z0-9-]` that neither \
          begins nor ends with a hyphen and does not begin with `internal-` (the prefix AWS gives \
          the DNS names of internal load balancers). Any other name fails the stack; cfn-lint \
          does not check it. Without `name`, CloudFormation generates a valid one.",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
subnet b { vpc = main  cidr = 10.0.2.0/24  zone = "b"  public = true }
security_group alb_sg { vpc = main  ingress tcp 80 from 0.0.0.0/0 }
load_balancer web {
  name = "shop_production_web"
  subnets = [a, b]  security_groups = [alb_sg]
  listener http 80
}"#,
    flagged: "\"shop_production_web\"",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
subnet b { vpc = main  cidr = 10.0.2.0/24  zone = "b"  public = true }
security_group alb_sg { vpc = main  ingress tcp 80 from 0.0.0.0/0 }
load_balancer web {
  name = "shop-production-web"
  subnets = [a, b]  security_groups = [alb_sg]
  listener http 80
}"#,
    check: Check::Model(check),
};

/// What is wrong with an ELB name (load balancer or target group), as a
/// message and a help line; `None` when it is valid.
pub(super) fn name_problem(name: &str, what: &str) -> Option<(String, String)> {
    let n = name.chars().count();
    let fixed = suggestion(name);
    let suggest = |why: &str| {
        if fixed.is_empty() || fixed == name {
            why.to_string()
        } else {
            format!("{why}, e.g. \"{fixed}\"")
        }
    };
    if n == 0 {
        return Some((
            format!("a {what} name cannot be empty"),
            "remove `name` to let AWS generate one, or give 1–32 letters, digits and hyphens"
                .into(),
        ));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !c.is_ascii_alphanumeric() && *c != '-')
    {
        return Some((
            format!("a {what} name may contain only letters, digits and hyphens, and this one contains `{bad}`"),
            suggest("use letters, digits and `-` only"),
        ));
    }
    if n > 32 {
        return Some((
            format!("a {what} name is at most 32 characters, this one has {n}"),
            suggest("shorten it to 32 characters"),
        ));
    }
    if name.starts_with('-') || name.ends_with('-') {
        return Some((
            format!("a {what} name cannot begin or end with a hyphen"),
            suggest("remove the leading or trailing `-`"),
        ));
    }
    None
}

/// A valid name close to `name`: other characters become hyphens, runs of
/// hyphens and leading/trailing ones go, and it is cut to 32 characters.
fn suggestion(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        let c = if c.is_ascii_alphanumeric() { c } else { '-' };
        if c == '-' && (out.is_empty() || out.ends_with('-')) {
            continue;
        }
        out.push(c);
    }
    let mut out: String = out.chars().take(32).collect();
    while out.ends_with('-') {
        out.pop();
    }
    out
}

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    for lb in &cx.model.load_balancers {
        let Some(name) = &lb.physical_name else {
            continue;
        };
        let problem = name_problem(&name.value, "load balancer").or_else(|| {
            name.value.starts_with("internal-").then(|| {
                (
                    "a load balancer name cannot begin with `internal-`".to_string(),
                    format!(
                        "drop the prefix (\"{}\"); `internal = true` makes a load balancer internal",
                        &name.value["internal-".len()..]
                    ),
                )
            })
        });
        if let Some((message, help)) = problem {
            out.push(
                RULE.at(name.span, message)
                    .label("not a valid load balancer name")
                    .help(help),
            );
        }
    }
}
