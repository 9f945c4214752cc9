//! E073: a role given for a task (`role { id }`, `execution_role { id }`)
//! is one ECS tasks can assume; what it must allow is noted, not guessed.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::{Arn, Existing, PolicyStatement, RoleKind};
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "E073",
    name: "existing-role",
    severity: Severity::Error,
    summary: "A task's existing role or execution role is not a service-linked role",
    why: "ECS runs a task with its task role and pulls its images, writes its logs and reads \
          its secrets with its execution role; both are assumed by `ecs-tasks.amazonaws.com`. \
          A service-linked role (path `/aws-service-role/`, such as AWSServiceRoleForECS) \
          trusts only its own service, so RegisterTaskDefinition accepts it and every task then \
          fails to start (\"ECS was unable to assume the role\"). What an existing role allows \
          is not known offline: `ecsc check` notes the permissions the derived role would have \
          had (the ECS task execution IAM role guide lists them).",
    bad: r#"stack demo { region = "eu-west-1" }
task api {
  cpu = 256  memory = 512
  execution_role { id = "arn:aws:iam::123456789012:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS" }
  container app { image = "public.ecr.aws/nginx/nginx:1.27" }
}"#,
    flagged:
        "\"arn:aws:iam::123456789012:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS\"",
    good: r#"stack demo { region = "eu-west-1" }
task api {
  cpu = 256  memory = 512
  execution_role { id = "arn:aws:iam::123456789012:role/ecsTaskExecutionRole" }
  container app { image = "public.ecr.aws/nginx/nginx:1.27" }
}"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    for role in &m.roles {
        let Some(e) = &role.existing else { continue };
        // What to change to have ecsc derive the role instead.
        let (task, which, derive) = match role.kind {
            RoleKind::Execution(t) => (t, "execution role", "remove the `execution_role` block"),
            RoleKind::Task(t) => (
                t,
                "task role",
                "remove `id` from the `role` block and state its permissions there",
            ),
            RoleKind::Events(_) | RoleKind::Instances(_) => continue,
        };
        let task = &m[task].name.name;
        if let Existing::Id(arn) = e {
            if arn.value.contains(":role/aws-service-role/") {
                out.push(
                    RULE.at(arn.span, format!("the {which} of task `{task}` is a service-linked role, which ECS tasks cannot assume"))
                        .label("trusts only its own service")
                        .help(format!("name a role whose trust policy allows `ecs-tasks.amazonaws.com`, or {derive} to have ecsc create one")),
                );
                continue;
            }
        }
        if role.statements.is_empty() {
            continue;
        }
        let mut actions: Vec<&str> = Vec::new();
        for a in role.statements.iter().flat_map(|s| &s.actions) {
            if !actions.contains(&a.as_str()) {
                actions.push(a);
            }
        }
        out.push(
            RULE.unverified(
                e.span(),
                format!(
                    "whether the existing {which} of task `{task}` allows what the task needs is not checked: {}",
                    actions.join(", ")
                ),
            )
            .label("permissions not known offline")
            .help(format!(
                "nothing to change if the role allows these actions on the task's resources{}; or {derive} to have ecsc create one that does",
                secret_grants(&m.stack.region, &role.statements)
            )),
        );
    }
}

/// The secrets among `statements`, as the ARNs a role must allow (this
/// stack's account and Region as placeholders): `` (secrets: A on X; …)``.
fn secret_grants(region: &str, statements: &[PolicyStatement]) -> String {
    let own = |service: &str| format!("arn:<partition>:{service}:{region}:<account>:");
    let grants: Vec<String> = statements
        .iter()
        .flat_map(|st| st.resources.iter().map(move |r| (st.actions.join(", "), r)))
        .filter_map(|(actions, r)| {
            let arn = match r {
                Arn::Literal(a)
                    if actions.starts_with("ssm:") || actions.starts_with("secretsmanager:") =>
                {
                    a.clone()
                }
                Arn::SsmParameter(n) => {
                    format!("{}parameter/{}", own("ssm"), n.trim_start_matches('/'))
                }
                Arn::SecretByName(n) => format!("{}secret:{n}", own("secretsmanager")),
                _ => return None,
            };
            Some(format!("{actions} on {arn}"))
        })
        .collect();
    match grants.is_empty() {
        true => String::new(),
        false => format!(" (secrets: {})", grants.join("; ")),
    }
}
