//! Planning IAM roles: the role with its trust policy, its inline policy
//! and one attachment per managed policy; and the ARNs policies grant.

use super::existing::{existing, Known};
use super::ids::Cx;
use super::*;
use crate::model::{Arn, PolicyStatement, RoleId, RoleKind, StatementCondition};

pub fn role(m: &Cx<'_>, id: RoleId) -> ResId {
    m.role[id.0].clone()
}

/// The trust policies made so far, by principal and kind of role: one
/// document for all the roles that trust the same way.
#[derive(Default)]
pub struct Trusts(Vec<((&'static str, Trust), std::sync::Arc<Value>)>);

/// Which conditions a role's trust policy has ([`trust_condition`]).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Trust {
    Ecs,
    Events,
    Ec2,
}

impl Trust {
    fn of(kind: RoleKind) -> Trust {
        match kind {
            RoleKind::Execution(_) | RoleKind::Task(_) => Trust::Ecs,
            RoleKind::Events(_) => Trust::Events,
            RoleKind::Instances(_) => Trust::Ec2,
        }
    }
}

impl Trusts {
    /// The trust policy of a role assumed by `principal`.
    fn get(&mut self, principal: &'static str, trust: Trust) -> std::sync::Arc<Value> {
        if let Some((_, doc)) = self.0.iter().find(|(k, _)| *k == (principal, trust)) {
            return doc.clone();
        }
        let doc: std::sync::Arc<Value> = std::sync::Arc::new(
            Doc::new()
                .set("Version", "2012-10-17")
                .set(
                    "Statement",
                    vec![Value::from(
                        Doc::new()
                            .set("Effect", "Allow")
                            .set(
                                "Principal",
                                Value::Dict(vec![("Service".into(), principal.into())]),
                            )
                            .set("Action", "sts:AssumeRole")
                            .opt("Condition", trust_condition(trust)),
                    )],
                )
                .into(),
        );
        self.0.push(((principal, trust), doc.clone()));
        doc
    }
}

pub fn plan(m: &Cx<'_>, p: &mut Plan, id: RoleId, trusts: &mut Trusts) {
    let r = &m[id];
    let rid = role(m, id);
    let span = m.stack.span;
    if let Some(e) = &r.existing {
        let label = match r.kind {
            RoleKind::Execution(t) => format!("execution role of task {}", m[t].name.name),
            RoleKind::Task(t) => format!("task role of task {}", m[t].name.name),
            RoleKind::Events(s) => format!("role of schedule {}", m[s].name.name),
            RoleKind::Instances(g) => format!("role of instance group {}", m[g].name.name),
        };
        let known = Known {
            noun: "role",
            spec: &crate::schema::existing::ROLE,
            is: &[Attr::Arn],
            attrs: ExistingAttrs::default(),
            label: Some(label),
        };
        existing(p, rid, e.span(), e, known);
        return;
    }
    p.add(
        rid.clone(),
        span,
        Body::from(body::Role {
            assume_role_policy: trusts.get(r.principal, Trust::of(r.kind)),
        }),
    );
    if !r.statements.is_empty() {
        let statements: Vec<Value> = r.statements.iter().map(|s| statement(m, s)).collect();
        p.add(
            rid.sibling(Kind::RolePolicy),
            span,
            Body::from(body::RolePolicy {
                role: rid.attr(Attr::Id),
                name: r.name.clone(),
                document: Doc::new()
                    .set("Version", "2012-10-17")
                    .set("Statement", statements)
                    .into(),
            }),
        )
        .within(rid.clone());
    }
    for arn in &r.managed_policies {
        p.add(
            ResId::new(
                Kind::PolicyAttachment,
                &format!("{}-{}", r.name, policy_name(arn)),
            ),
            span,
            Body::from(body::PolicyAttachment {
                role: rid.attr(Attr::Name),
                policy_arn: arn.clone(),
            }),
        )
        .within(rid.clone());
    }
}

/// The policy's name (the ARN after `policy/`), with anything a resource
/// name cannot hold replaced: attachments are named after their policy, so
/// the list's order does not matter.
fn policy_name(arn: &str) -> String {
    let policy = arn.split_once(":policy/").map_or(arn, |(_, p)| p);
    policy
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The confused-deputy conditions of a role's trust policy: the service
/// assumes the role only on behalf of this account (`aws:SourceAccount`)
/// and of its resources (`aws:SourceArn`), where AWS documents that the
/// service sets both keys (docs/security.md cites each page).
fn trust_condition(trust: Trust) -> Option<Value> {
    let source = match trust {
        // "Amazon ECS task IAM role": `arn:aws:ecs:<region>:<account>:*`;
        // a cluster-specific ARN is not supported. The execution role is
        // assumed by the same principal for the same tasks.
        Trust::Ecs => own_arn("ecs").push("*"),
        // EventBridge "Cross-service confused deputy prevention": the ARN
        // of the rule. The rule's own ARN would be a cycle in
        // CloudFormation (the rule names this role in its target, and its
        // name is generated), so any rule of the account in the Region.
        Trust::Events => own_arn("events").push("rule/*"),
        // EC2 documents neither key for instance profiles: a condition
        // would stop instances from getting credentials.
        Trust::Ec2 => return None,
    };
    Some(Value::Dict(vec![
        (
            "ArnLike".into(),
            Value::Dict(vec![("aws:SourceArn".into(), source.into())]),
        ),
        (
            "StringEquals".into(),
            Value::Dict(vec![(
                "aws:SourceAccount".into(),
                Text::default().part(Part::Account).into(),
            )]),
        ),
    ]))
}

fn statement(m: &Cx<'_>, s: &PolicyStatement) -> Value {
    let resources: Vec<Value> = s.resources.iter().map(|a| arn(m, a)).collect();
    Doc::new()
        .set("Effect", "Allow")
        .set("Action", s.actions.clone())
        .set("Resource", Value::List(resources))
        .opt(
            "Condition",
            s.condition.as_ref().map(|c| {
                let (operator, key, value): (&str, &str, Value) = match c {
                    StatementCondition::PassedTo(to) => {
                        ("StringLike", "iam:PassedToService", to.clone().into())
                    }
                    StatementCondition::Cluster(id) => (
                        "ArnEquals",
                        "ecs:cluster",
                        super::ecs::cluster(m, *id).attr(Attr::Arn).into(),
                    ),
                };
                Value::Dict(vec![(
                    operator.into(),
                    Value::Dict(vec![(key.into(), value)]),
                )])
            }),
        )
        .into()
}

/// `arn:<partition>:<service>:<region>:<account>:` of this stack.
fn own_arn(service: &str) -> Text {
    Text::lit("arn:")
        .part(Part::Partition)
        .push(format!(":{service}:"))
        .part(Part::Region)
        .push(":")
        .part(Part::Account)
        .push(":")
}

/// An SSM parameter of this account and Region, by name.
pub fn ssm_parameter(name: &str) -> Text {
    own_arn("ssm").push(format!("parameter/{}", name.trim_start_matches('/')))
}

/// A Secrets Manager secret of this account and Region, by name (with the
/// JSON key suffix, when any).
pub fn secret(name: &str) -> Text {
    own_arn("secretsmanager").push(format!("secret:{name}"))
}

/// A policy resource.
fn arn(m: &Cx<'_>, a: &Arn) -> Value {
    match a {
        Arn::Literal(s) => Value::Str(s.clone().into()),
        Arn::Any => "*".into(),
        Arn::EcrRepository {
            account,
            region,
            repository,
        } => Text::lit("arn:")
            .part(Part::Partition)
            .push(format!(":ecr:{region}:{account}:repository/{repository}"))
            .into(),
        Arn::Repository(id) => super::ecr::repository(m, *id).attr(Attr::Arn).into(),
        Arn::LogGroup(id) => super::ecs::log_group(m, m[*id].task)
            .attr(Attr::StreamsArn)
            .into(),
        Arn::SsmParameter(name) => ssm_parameter(name).into(),
        // `derive` adds the pattern of the random suffix when the name lacks it.
        Arn::SecretByName(name) => secret(name).into(),
        Arn::TaskFamily(id) => own_arn("ecs")
            .push(format!("task-definition/{}:*", m[*id].family))
            .into(),
        Arn::Role(id) => role(m, *id).attr(Attr::Arn).into(),
    }
}
