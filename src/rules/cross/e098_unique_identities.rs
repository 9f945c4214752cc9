//! E098: no two declarations derive the same logical id, Terraform
//! address or physical name.

use crate::diagnostic::{Diagnostics, Severity};
use crate::plan::{Body, ResId, Resource};
use crate::rules::{Check, Context, Rule};
use crate::source::Span;
use std::collections::HashSet;

pub const RULE: Rule = Rule {
    code: "E098",
    name: "unique-identities",
    severity: Severity::Error,
    summary:
        "No two resources share a CloudFormation logical id, a Terraform address or a physical name",
    why: "Logical ids and Terraform names are derived from declaration names (`api-discovery` and \
          `api_discovery` both give `ApiDiscovery…`; service `api`'s Cloud Map service is \
          `ApiDiscoveryService`, as is service `api-discovery`'s ECS service). Two resources with \
          one logical id are one key in the template's `Resources`: the second silently \
          replaces the first, and the stack lacks a resource without any error. Terraform \
          rejects a duplicate resource address (\"Duplicate resource … configuration\"). \
          Physical names are unique per account and Region (load balancers, target groups, \
          clusters, capacity providers, CloudWatch alarms) or per cluster (services): the \
          second create fails with a name conflict.",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
security_group sg { vpc = main }
namespace local { vpc = main }
cluster main { }
task api {
  cpu = 256  memory = 512
  container app { image = "public.ecr.aws/nginx/nginx:1.27"  port 8080 }
}
service api {
  cluster = main  task = api
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
  discovery { namespace = local }
}
service api-discovery {
  cluster = main  task = api
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
}"#,
    flagged: "api-discovery {",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
security_group sg { vpc = main }
namespace local { vpc = main }
cluster main { }
task api {
  cpu = 256  memory = 512
  container app { image = "public.ecr.aws/nginx/nginx:1.27"  port 8080 }
}
service api {
  cluster = main  task = api
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
  discovery { namespace = local }
}
service api-admin {
  cluster = main  task = api
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
}"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let names = declaration_names(cx.model);
    let n = cx.plan.resources.len();
    let mut logical: crate::hash::Map<String, &Resource> = crate::hash::map(n);
    let mut address: crate::hash::Map<(&str, String), &Resource> = crate::hash::map(n);
    let mut physical: crate::hash::Map<(&str, String, String), &Resource> = crate::hash::map(n / 2);
    // One report per pair of declarations: their derived resources clash
    // together.
    let mut reported: HashSet<(Span, Span)> = HashSet::new();
    for r in &cx.plan.resources {
        // An existing resource is read, not created: it has no id of its own.
        if matches!(r.body, Body::Existing(_)) {
            continue;
        }
        let info = r.id.kind.info();
        if info.cloudformation.type_name().is_some() {
            let id = r.id.logical_id();
            if let Some(first) = logical.get(&id) {
                report(
                    out,
                    &mut reported,
                    &names,
                    first,
                    r,
                    format!("logical id `{id}`"),
                );
            } else {
                logical.insert(id, r);
            }
        }
        if let Some(ty) = info.terraform.type_name() {
            let name = r.id.terraform_name();
            let key = (ty, name);
            if let Some(first) = address.get(&key) {
                report(
                    out,
                    &mut reported,
                    &names,
                    first,
                    r,
                    format!("Terraform address `{}.{}`", key.0, key.1),
                );
            } else {
                address.insert(key, r);
            }
        }
        if let Some((what, scope, name)) = physical_name(r) {
            let key = (what, scope, name);
            if let Some(first) = physical.get(&key) {
                report(
                    out,
                    &mut reported,
                    &names,
                    first,
                    r,
                    format!("{what} name `{}`", key.2),
                );
            } else {
                physical.insert(key, r);
            }
        }
    }
}

/// The physical name a resource is created with, the kind of name and the
/// scope it must be unique in (empty: the account and Region).
fn physical_name(r: &Resource) -> Option<(&'static str, String, String)> {
    let (what, scope, name) = match &r.body {
        Body::LoadBalancer(b) => ("load balancer", String::new(), b.name.clone()?),
        Body::TargetGroup(b) => ("target group", String::new(), b.name.clone()?),
        Body::Cluster(b) => ("cluster", String::new(), b.name.clone()),
        Body::CapacityProvider(b) => ("capacity provider", String::new(), b.name.clone()),
        Body::Alarm(b) => ("alarm", String::new(), b.name.clone()),
        Body::Service(b) => ("service", scope_of(&b.cluster.to), b.name.clone()),
        _ => return None,
    };
    Some((what, scope, name))
}

fn scope_of(id: &ResId) -> String {
    id.logical_id()
}

/// Where each declaration's name is written, in source order.
fn declaration_names(m: &crate::model::Model) -> Vec<Span> {
    let mut names: Vec<Span> = m
        .vpcs
        .iter()
        .map(|x| x.name.span)
        .chain(m.subnets.iter().map(|x| x.name.span))
        .chain(m.nat_gateways.iter().map(|x| x.name.span))
        .chain(m.security_groups.iter().map(|x| x.name.span))
        .chain(m.endpoints.iter().map(|x| x.name.span))
        .chain(m.load_balancers.iter().map(|x| x.name.span))
        .chain(m.clusters.iter().map(|x| x.name.span))
        .chain(m.instance_groups.iter().map(|x| x.name.span))
        .chain(m.namespaces.iter().map(|x| x.name.span))
        .chain(m.repositories.iter().map(|x| x.name.span))
        .chain(m.tasks.iter().map(|x| x.name.span))
        .chain(m.services.iter().map(|x| x.name.span))
        .chain(m.schedules.iter().map(|x| x.name.span))
        .collect();
    names.sort_by_key(|s| (s.file, s.start));
    names
}

/// The first declaration name inside a resource's span (its declaration's
/// name), else the span itself.
fn name_in(names: &[Span], span: Span) -> Span {
    let i = names.partition_point(|n| (n.file, n.start) < (span.file, span.start));
    names
        .get(i)
        .copied()
        .filter(|n| n.file == span.file && n.end <= span.end)
        .unwrap_or(span)
}

fn report(
    out: &mut Diagnostics,
    reported: &mut HashSet<(Span, Span)>,
    names: &[Span],
    first: &Resource,
    second: &Resource,
    what: String,
) {
    let (a, b) = (first.span, second.span);
    // Both derived from one declaration: not a clash of names.
    if a == b {
        return;
    }
    let (primary, other): (Span, Span) = if b.start >= a.start { (b, a) } else { (a, b) };
    if !reported.insert((primary, other)) {
        return;
    }
    let (primary, other) = (name_in(names, primary), name_in(names, other));
    out.push(
        RULE.at(
            primary,
            format!("two declarations give a resource the {what}"),
        )
        .label(format!("{what} here"))
        .with(other, "and here")
        .help("rename one of the two: an id is the declaration's name in PascalCase followed by a word of its kind (`ApiDiscovery` + `Service`, `Api` + `DiscoveryService`), so names that differ only in `-`, `_`, case or such a word clash"),
    );
}
