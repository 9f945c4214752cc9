//! E092: what the stack reads of an existing resource can be written
//! without creating it — its id, or what is derived from the id.

use crate::diagnostic::{Diagnostics, Severity};
use crate::plan::{catalogue::Attr, Body, OutputValue, Ref, Refs};
use crate::rules::{Check, Context, Rule};
use crate::source::Span;
use std::collections::HashSet;

pub const RULE: Rule = Rule {
    code: "E092",
    name: "existing-attribute",
    severity: Severity::Error,
    summary: "An existing resource is read only for its id and what the id gives",
    why: "A resource declared with `id` is not in the template, so CloudFormation's `Fn::GetAtt` \
          and Terraform's attributes cannot read it. ecsc writes the id where it is referenced, \
          and what it derives from the id: a cluster's ARN from its name, a load balancer's full \
          name (`app/NAME/ID`, which request-count scaling and CloudWatch take) from a written \
          ARN. A load balancer's DNS name follows from nothing the stack has, and ecsc does not \
          cut the full name out of an ARN given at deploy time; a template that needed either \
          would not deploy.",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { id = "vpc-0123456789abcdef0" }
load_balancer shared { id = input  vpc = main }
output shared_dns { load_balancer = shared  attribute = dns_name }"#,
    flagged: "shared_dns",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { id = "vpc-0123456789abcdef0" }
load_balancer shared { id = input  vpc = main }
output shared_arn { load_balancer = shared  attribute = arn }"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let existing = cx.plan.existing();
    if existing.is_empty() {
        return;
    }
    let unknown = |r: &Ref| existing.get(&r.to).is_some_and(|e| !e.knows(r.attr));
    // One error per place and attribute, however many references it holds.
    let mut reported: HashSet<(Span, Attr)> = HashSet::new();
    let mut report = |span: Span, r: &Ref, output: bool, out: &mut Diagnostics| {
        if !reported.insert((span, r.attr)) {
            return;
        }
        let what = crate::graph::describe_named(&r.to);
        let (attr, help) = match r.attr {
            Attr::FullName if output => (
                "full name (`app/NAME/ID`)",
                "write the load balancer's ARN out (`id = \"arn:aws:elasticloadbalancing:…\"`): its full name is read from it; or output its `arn`",
            ),
            Attr::FullName => (
                "full name (`app/NAME/ID`)",
                "write the load balancer's ARN out (`id = \"arn:aws:elasticloadbalancing:…\"`): its full name is read from it; or scale on `cpu` or `memory`",
            ),
            Attr::DnsName => (
                "DNS name",
                "take the DNS name from where the load balancer is managed (its stack's outputs); here, output its `arn`",
            ),
            _ => ("attribute", "read its id (`attribute = id`) instead"),
        };
        out.push(
            RULE.at(span, format!("the {attr} of {what} is not known: it exists already and the stack has only its id"))
                .label(format!("reads the {attr}"))
                .help(help),
        );
    };
    for res in &cx.plan.resources {
        if matches!(res.body, Body::Existing(_)) {
            continue;
        }
        let mut found = Vec::new();
        res.body.visit(&mut |r| {
            if unknown(r) {
                found.push(r.clone());
            }
        });
        for r in found {
            report(res.span, &r, false, out);
        }
    }
    for o in &cx.model.outputs {
        let Some(planned) = cx.plan.outputs.iter().find(|p| p.name == o.name.name) else {
            continue;
        };
        let refs: Vec<&Ref> = match &planned.value {
            OutputValue::Ref(r) => vec![r],
            OutputValue::Joined(refs) => refs.iter().collect(),
        };
        for r in refs.into_iter().filter(|r| unknown(r)) {
            report(o.name.span, r, true, out);
        }
    }
}
