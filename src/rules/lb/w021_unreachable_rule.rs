//! W021: no listener rule is hidden behind a rule evaluated before it.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::*;
use crate::rules::{Check, Context, Rule};
use std::collections::HashMap;

pub const RULE: Rule = Rule {
    code: "W021",
    name: "unreachable-rule",
    severity: Severity::Warning,
    summary:
        "No listener rule matches only requests that a rule of lower priority number already takes",
    why: "A listener evaluates its rules from the lowest priority number up and stops at the \
          first whose conditions all match (Elastic Load Balancing, listener rules). A rule whose \
          every condition is covered by a rule evaluated earlier never receives a request: the \
          ECS on EC2 guide's `/*` rule given priority 1 swallows `/cubebuster`, and the service \
          behind the second rule stays without traffic while its health checks pass. Coverage is \
          judged on what is written: path and host patterns (`*` and `?` wildcards), methods, \
          source ranges, headers and query values; where it cannot be shown, nothing is \
          reported.",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
subnet b { vpc = main  cidr = 10.0.2.0/24  zone = "b"  public = true }
security_group sg { vpc = main  ingress tcp 80 from 0.0.0.0/0  ingress tcp 8080 from sg }
load_balancer web { subnets = [a, b]  security_groups = [sg]  listener http 80 }
cluster main { }
task app {
  cpu = 256  memory = 512
  container app { image = "public.ecr.aws/nginx/nginx:1.27"  port 8080 }
}
service site {
  cluster = main  task = app
  network { subnets = [a, b]  security_groups = [sg]  public_ip = true }
  route web:80 { path = "/*"  priority = 1 }
}
service cubebuster {
  cluster = main  task = app
  network { subnets = [a, b]  security_groups = [sg]  public_ip = true }
  route web:80 { path = "/cubebuster*" }
}"#,
    flagged: "web:80 { path = \"/cubebuster*\" }",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
subnet b { vpc = main  cidr = 10.0.2.0/24  zone = "b"  public = true }
security_group sg { vpc = main  ingress tcp 80 from 0.0.0.0/0  ingress tcp 8080 from sg }
load_balancer web { subnets = [a, b]  security_groups = [sg]  listener http 80 }
cluster main { }
task app {
  cpu = 256  memory = 512
  container app { image = "public.ecr.aws/nginx/nginx:1.27"  port 8080 }
}
service site {
  cluster = main  task = app
  network { subnets = [a, b]  security_groups = [sg]  public_ip = true }
  route web:80 { path = "/*" }
}
service cubebuster {
  cluster = main  task = app
  network { subnets = [a, b]  security_groups = [sg]  public_ip = true }
  route web:80 { path = "/cubebuster*" }
}"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    let mut rules: Vec<&ListenerRule> = m.listener_rules.iter().collect();
    rules.sort_by_key(|r| (r.listener, r.priority.value));
    // Each listener's rules in evaluation order. A rule is compared only
    // with the earlier rules that could cover its first path: a pattern
    // covers a path only when its literal start (before any `*` or `?`)
    // begins the path, so earlier rules are indexed by those starts and
    // looked up by each start of the path (linear in the rules, however
    // many a listener has). Earlier rules without a path condition may
    // cover any rule, and are always compared (host-only routing on one
    // listener stays pairwise; the quota is 100 rules a listener, W020).
    for listener in rules.chunk_by(|a, b| a.listener == b.listener) {
        let mut by_start: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut pathless: Vec<usize> = Vec::new();
        for (i, later) in listener.iter().enumerate() {
            let mut candidates = pathless.clone();
            if let Some(q) = later.conditions.paths().first() {
                for k in (0..=q.len()).filter(|&k| q.is_char_boundary(k)) {
                    if let Some(found) = by_start.get(&q[..k]) {
                        candidates.extend_from_slice(found);
                    }
                }
            }
            // The nearest earlier rule that covers it, as in evaluation.
            candidates.sort_unstable_by(|a, b| b.cmp(a));
            candidates.dedup();
            let earlier = candidates
                .iter()
                .map(|&j| listener[j])
                .filter(|e| e.priority.value < later.priority.value)
                .find(|e| covers(&e.conditions, &later.conditions));
            let paths = later.conditions.paths();
            if paths.is_empty() {
                pathless.push(i);
            }
            for p in paths {
                let start = &p[..p.find(['*', '?']).unwrap_or(p.len())];
                by_start.entry(start).or_default().push(i);
            }
            let Some(earlier) = earlier else { continue };
            let lb = &m.load_balancers[later.listener.lb.0];
            out.push(
                RULE.at(
                    later.span,
                    format!(
                        "this rule of listener `{}:{}` is never reached: every request it matches is taken by a rule evaluated before it (priority {} < {})",
                        lb.name.name,
                        m[later.listener].port.value,
                        earlier.priority.value,
                        later.priority.value
                    ),
                )
                .label(format!("priority {}", later.priority.value))
                .with(earlier.span, format!("takes these requests first (priority {})", earlier.priority.value))
                .help("give the more specific rule the lower priority number (or leave `priority` out on both: ecsc orders rules by how specific they are)"),
            );
        }
    }
}

/// Every request `b` matches, `a` matches too.
fn covers(a: &Conditions, b: &Conditions) -> bool {
    let list = |x: &[String], y: &[String], fold: bool| {
        x.is_empty()
            || (!y.is_empty() && y.iter().all(|q| x.iter().any(|p| glob_covers(p, q, fold))))
    };
    let pairs = |x: &[(
        crate::source::Spanned<String>,
        crate::source::Spanned<String>,
    )],
                 y: &[(
        crate::source::Spanned<String>,
        crate::source::Spanned<String>,
    )],
                 fold: bool| {
        // Each of `a`'s pairs is a condition of its own that `b` must
        // meet with a value it covers.
        x.iter().all(|(k, v)| {
            y.iter().any(|(k2, v2)| {
                let same_key = if fold {
                    k.value.eq_ignore_ascii_case(&k2.value)
                } else {
                    k.value == k2.value
                };
                same_key && glob_covers(&v.value, &v2.value, fold)
            })
        })
    };
    let any_source = |x: &[String]| x.iter().any(|s| s == "0.0.0.0/0");
    list(a.paths(), b.paths(), false)
        && list(a.hosts(), b.hosts(), true)
        && list(a.methods(), b.methods(), false)
        && (a.source_ips().is_empty()
            || any_source(a.source_ips())
            || (!b.source_ips().is_empty()
                && b.source_ips().iter().all(|s| a.source_ips().contains(s))))
        && pairs(&a.headers, &b.headers, true)
        // A query condition matches when any of its pairs does: only a
        // single pair is judged.
        && (a.query.is_empty() || (a.query.len() == 1 && pairs(&a.query, &b.query, false)))
}

/// Every string pattern `q` matches, pattern `p` matches (`*` any run,
/// `?` one character), by dynamic programming over both patterns.
fn glob_covers(p: &str, q: &str, fold: bool) -> bool {
    // `p`'s literal start must be `q`'s: most pairs part there, before
    // anything is allocated.
    let literal = p.find(['*', '?']).unwrap_or(p.len());
    let same = match (p.get(..literal), q.get(..literal)) {
        (Some(a), Some(b)) if fold => a.eq_ignore_ascii_case(b),
        (Some(a), Some(b)) => a == b,
        _ => false,
    };
    if !same {
        return false;
    }
    let norm = |s: &str| -> Vec<char> {
        if fold {
            s.to_ascii_lowercase().chars().collect()
        } else {
            s.chars().collect()
        }
    };
    let (p, q) = (norm(p), norm(q));
    // ok[i][j]: p[i..] covers q[j..].
    let mut ok = vec![vec![false; q.len() + 1]; p.len() + 1];
    ok[p.len()][q.len()] = true;
    for i in (0..p.len()).rev() {
        for j in (0..=q.len()).rev() {
            ok[i][j] = match p[i] {
                '*' => ok[i + 1][j] || (j < q.len() && ok[i][j + 1]),
                '?' => j < q.len() && q[j] != '*' && ok[i + 1][j + 1],
                c => j < q.len() && q[j] == c && ok[i + 1][j + 1],
            };
        }
    }
    ok[0][0]
}

#[cfg(test)]
mod tests {
    use super::glob_covers;

    #[test]
    fn wildcards_cover_what_they_match() {
        assert!(glob_covers("/*", "/cubebuster", false));
        assert!(glob_covers("/*", "/api/*", false));
        assert!(glob_covers("/api/*", "/api/v?/*", false));
        assert!(!glob_covers("/api/*", "/*", false));
        assert!(!glob_covers("/a?c", "/a*c", false));
        assert!(glob_covers("*.example.com", "API.example.com", true));
        assert!(!glob_covers("/Api", "/api", false));
        assert!(glob_covers("/api", "/api", false));
    }
}
