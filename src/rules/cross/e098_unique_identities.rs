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
    let resources = &cx.plan.resources;
    let n = resources.len();
    let mut logical = FirstSeen::new(n);
    let mut address = FirstSeen::new(n);
    let mut physical = FirstSeen::new(n / 2);
    // One report per pair of declarations: their derived resources clash
    // together.
    let mut reported: HashSet<(Span, Span)> = HashSet::new();
    for (i, r) in resources.iter().enumerate() {
        // An existing resource is read, not created: it has no id of its own.
        if matches!(r.body, Body::Existing(_)) {
            continue;
        }
        let info = r.id.kind.info();
        if info.cloudformation.type_name().is_some() {
            let id = r.id.logical_id();
            if let Some(first) = logical.first(id, i, |j| resources[j].id.logical_id()) {
                let what = format!("logical id `{}`", r.id.logical_id());
                report(out, &mut reported, &names, &resources[first], r, what);
            }
        }
        if let Some(ty) = info.terraform.type_name() {
            let key = (ty, r.id.terraform_name());
            if let Some(first) = address.first(key, i, |j| (ty, resources[j].id.terraform_name())) {
                let what = format!("Terraform address `{ty}.{}`", r.id.terraform_name());
                report(out, &mut reported, &names, &resources[first], r, what);
            }
        }
        if let Some(key) = physical_name(r) {
            let name_of = |j: usize| physical_name(&resources[j]).unwrap_or_default();
            if let Some(first) = physical.first(key, i, name_of) {
                let (kind, _, name) = name_of(i);
                let what = format!("{kind} name `{name}`");
                report(out, &mut reported, &names, &resources[first], r, what);
            }
        }
    }
}

/// The first resource seen with each key, held as the key's hash and the
/// resource's index rather than the key itself: a stack of 10,000 services
/// has 100,000 resources, and three maps of their keys as strings (31 MB)
/// were the most any rule allocated. A key is rebuilt from its
/// first resource when a hash repeats; a different key with the same hash
/// goes to `exact`, which stays empty in practice.
struct FirstSeen<K> {
    by_hash: crate::hash::Map<u64, usize>,
    exact: crate::hash::Map<K, usize>,
}

impl<K: std::hash::Hash + Eq> FirstSeen<K> {
    fn new(capacity: usize) -> Self {
        FirstSeen {
            by_hash: crate::hash::map(capacity),
            exact: crate::hash::map(0),
        }
    }

    /// The index of the first resource with `key`, or `None` when
    /// resource `i` is the first (and is remembered). `key_of` rebuilds
    /// the key of an earlier resource.
    fn first(&mut self, key: K, i: usize, key_of: impl Fn(usize) -> K) -> Option<usize> {
        use std::hash::BuildHasher as _;
        let hash = std::hash::BuildHasherDefault::<crate::hash::Fast>::default().hash_one(&key);
        match self.by_hash.get(&hash) {
            None => {
                self.by_hash.insert(hash, i);
                None
            }
            Some(&j) if key_of(j) == key => Some(j),
            Some(_) => match self.exact.get(&key) {
                Some(&j) => Some(j),
                None => {
                    self.exact.insert(key, i);
                    None
                }
            },
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

#[cfg(test)]
mod tests {
    use super::FirstSeen;

    /// A key every value of which has the same hash: each lookup after the
    /// first goes through the exact map.
    #[derive(PartialEq, Eq, Clone, Debug)]
    struct Colliding(&'static str);

    impl std::hash::Hash for Colliding {
        fn hash<H: std::hash::Hasher>(&self, _: &mut H) {}
    }

    #[test]
    fn keys_with_one_hash_are_told_apart() {
        let keys = ["a", "b", "a", "c", "b", "b"].map(Colliding);
        let mut seen = FirstSeen::new(4);
        let firsts: Vec<Option<usize>> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| seen.first(k.clone(), i, |j| keys[j].clone()))
            .collect();
        assert_eq!(firsts, [None, None, Some(0), None, Some(1), Some(1)]);
    }

    #[test]
    fn distinct_hashes_find_the_first_of_each() {
        let keys = ["x", "y", "y", "x", "z"];
        let mut seen = FirstSeen::new(4);
        let firsts: Vec<Option<usize>> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| seen.first(k.to_string(), i, |j| keys[j].to_string()))
            .collect();
        assert_eq!(firsts, [None, None, Some(1), Some(0), None]);
    }
}
