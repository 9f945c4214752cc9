//! IAM roles ecsc derives (execution, task and scheduler roles) and log
//! groups.

use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleKind {
    /// Lets ECS pull images, write logs and read secrets for a task.
    Execution(TaskId),
    /// The role the task's containers run as.
    Task(TaskId),
    /// Lets EventBridge run a scheduled task.
    Events(ScheduleId),
    /// The role of an instance group's container instances.
    Instances(InstancesId),
}

/// A resource in a policy statement, kept symbolic until emitted.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Arn {
    /// Written by the user, used as is.
    Literal(String),
    /// `*`
    Any,
    /// An ECR repository in `account`/`region`.
    EcrRepository {
        account: String,
        region: String,
        repository: String,
    },
    /// A repository of the stack (declared or existing).
    Repository(RepositoryId),
    /// The log group ecsc derives for a task (and its streams).
    LogGroup(LogGroupId),
    /// An SSM parameter of this account and region, by name.
    SsmParameter(String),
    /// A Secrets Manager secret of this account and region, by the name
    /// pattern to grant (with `-??????` for the random suffix when the name
    /// written lacks it: `crate::arn::secret_grant`).
    SecretByName(String),
    /// Every revision of a task's task definition family
    /// (`task-definition/<family>:*`).
    TaskFamily(TaskId),
    Role(RoleId),
}

/// What a statement requires besides its actions and resources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatementCondition {
    /// `iam:PassedToService`: the roles are passed to this service only.
    PassedTo(String),
    /// `ecs:cluster`: tasks start in this cluster only.
    Cluster(ClusterId),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyStatement {
    pub actions: Vec<String>,
    pub resources: Vec<Arn>,
    pub condition: Option<StatementCondition>,
}

#[derive(Debug, Clone)]
pub struct Role {
    /// `<task>-execution`, `<task>-task`, `<schedule>-events`.
    pub name: String,
    pub kind: RoleKind,
    /// The service principal that assumes it.
    pub principal: &'static str,
    pub managed_policies: Vec<String>,
    pub statements: Vec<PolicyStatement>,
    /// Set for a role that exists already: nothing is created, and the
    /// statements are what it needs to allow.
    pub existing: Option<Existing>,
}

#[derive(Debug, Clone)]
pub struct LogGroup {
    pub task: TaskId,
    /// The physical log group name, `/ecs/<stack>/<task>`.
    pub group_name: String,
    pub retention_days: u32,
}
