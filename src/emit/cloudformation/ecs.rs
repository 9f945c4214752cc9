//! Clusters, namespaces, log groups, IAM roles, task definitions,
//! services (with discovery and auto scaling) and scheduled tasks.

use super::expr::{get_att, r#ref, sub, Expr, Obj};
use super::{ids, tags, Template};
use crate::model::*;
use crate::names::pascal;

pub fn emit(m: &Model, t: &mut Template) {
    for (i, c) in m.clusters.iter().enumerate() {
        let id = ids::cluster(m, ClusterId(i));
        t.add(
            id.clone(),
            "AWS::ECS::Cluster",
            Obj::new()
                .set("ClusterName", format!("{}-{}", m.stack.name, c.name.name))
                .set(
                    "ClusterSettings",
                    vec![Expr::from(Obj::new().set("Name", "containerInsights").set(
                        "Value",
                        if c.insights { "enabled" } else { "disabled" },
                    ))],
                )
                .opt("Tags", tags(m, None)),
        );
        t.output(
            format!("{}ClusterName", pascal(&c.name.name)),
            format!("Name of cluster {}", c.name.name),
            r#ref(id),
        );
    }
    for (i, n) in m.namespaces.iter().enumerate() {
        t.add(
            ids::namespace(m, NamespaceId(i)),
            "AWS::ServiceDiscovery::PrivateDnsNamespace",
            Obj::new()
                .set("Name", n.name.name.as_str())
                .set("Vpc", r#ref(ids::vpc(m, n.vpc.value)))
                .opt("Tags", tags(m, None)),
        );
    }
    for (i, lg) in m.log_groups.iter().enumerate() {
        t.add(
            ids::log_group(m, LogGroupId(i)),
            "AWS::Logs::LogGroup",
            Obj::new()
                .set("LogGroupName", lg.group_name.as_str())
                .set("RetentionInDays", lg.retention_days)
                .opt("Tags", tags(m, None)),
        );
    }
    for (i, role) in m.roles.iter().enumerate() {
        iam_role(m, t, RoleId(i), role);
    }
    for (i, task) in m.tasks.iter().enumerate() {
        task_definition(m, t, TaskId(i), task);
    }
    for (i, s) in m.services.iter().enumerate() {
        service(m, t, ServiceId(i), s);
    }
    for (i, s) in m.schedules.iter().enumerate() {
        schedule(m, t, ScheduleId(i), s);
    }
}

pub fn arn(m: &Model, a: &Arn) -> Expr {
    match a {
        Arn::Literal(s) => Expr::Str(s.clone()),
        Arn::Any => "*".into(),
        Arn::EcrRepository {
            account,
            region,
            repository,
        } => sub(format!("arn:${{AWS::Partition}}:ecr:{region}:{account}:repository/{repository}")),
        Arn::LogGroup(id) => get_att(ids::log_group(m, *id), "Arn"),
        Arn::SsmParameter(name) => sub(format!(
            "arn:${{AWS::Partition}}:ssm:${{AWS::Region}}:${{AWS::AccountId}}:parameter/{}",
            name.trim_start_matches('/')
        )),
        Arn::SecretByName(name) => sub(format!(
            "arn:${{AWS::Partition}}:secretsmanager:${{AWS::Region}}:${{AWS::AccountId}}:secret:{name}-*"
        )),
        Arn::TaskDefinition(id) => r#ref(ids::task(m, *id)),
        Arn::Role(id) => get_att(ids::role(m, *id), "Arn"),
    }
}

fn iam_role(m: &Model, t: &mut Template, id: RoleId, role: &Role) {
    let statements: Vec<Expr> = role
        .statements
        .iter()
        .map(|s| {
            let mut o = Obj::new()
                .set("Effect", "Allow")
                .set("Action", s.actions.clone())
                .set(
                    "Resource",
                    Expr::List(s.resources.iter().map(|a| arn(m, a)).collect()),
                );
            if let Some(to) = &s.pass_to {
                o = o.set(
                    "Condition",
                    Obj::new().set(
                        "StringLike",
                        Obj::new().set("iam:PassedToService", to.as_str()),
                    ),
                );
            }
            o.into()
        })
        .collect();
    let trust = Obj::new().set("Version", "2012-10-17").set(
        "Statement",
        vec![Expr::from(
            Obj::new()
                .set("Effect", "Allow")
                .set("Principal", Obj::new().set("Service", role.principal))
                .set("Action", "sts:AssumeRole"),
        )],
    );
    let policies = if statements.is_empty() {
        Vec::new()
    } else {
        vec![Expr::from(
            Obj::new().set("PolicyName", role.name.as_str()).set(
                "PolicyDocument",
                Obj::new()
                    .set("Version", "2012-10-17")
                    .set("Statement", statements),
            ),
        )]
    };
    t.add(
        ids::role(m, id),
        "AWS::IAM::Role",
        Obj::new()
            .set("AssumeRolePolicyDocument", trust)
            .list(
                "ManagedPolicyArns",
                role.managed_policies
                    .iter()
                    .map(|p| Expr::from(p.as_str()))
                    .collect(),
            )
            .list("Policies", policies)
            .opt("Tags", tags(m, None)),
    );
}

/// `valueFrom` of a secret: an ARN for both stores, with the JSON key.
pub fn secret_value_from(s: &Secret) -> Expr {
    let key_suffix = s
        .key
        .as_ref()
        .map(|k| format!(":{}::", k.value))
        .unwrap_or_default();
    if s.from.value.starts_with("arn:") {
        return Expr::Str(format!("{}{key_suffix}", s.from.value));
    }
    match s.store.value {
        SecretStore::Ssm => sub(format!(
            "arn:${{AWS::Partition}}:ssm:${{AWS::Region}}:${{AWS::AccountId}}:parameter/{}",
            s.from.value.trim_start_matches('/')
        )),
        SecretStore::SecretsManager => sub(format!(
            "arn:${{AWS::Partition}}:secretsmanager:${{AWS::Region}}:${{AWS::AccountId}}:secret:{}{key_suffix}",
            s.from.value
        )),
    }
}

fn task_definition(m: &Model, t: &mut Template, id: TaskId, task: &TaskDef) {
    let mut containers = Vec::new();
    for (ci, c) in task.containers.iter().enumerate() {
        let image = if c.image_managed_outside {
            let param = ids::image_param(m, id, ci);
            t.parameters.insert(
                param.clone(),
                Obj::new()
                    .set("Type", "String")
                    .set("Default", c.image.value.as_str())
                    .set(
                        "Description",
                        format!(
                            "Image of container {} in task {} (deployed by CI)",
                            c.name.name, task.name.name
                        ),
                    ),
            );
            r#ref(param)
        } else {
            Expr::Str(c.image.value.clone())
        };
        let ports: Vec<Expr> = c
            .ports
            .iter()
            .map(|p| {
                Obj::new()
                    .set("ContainerPort", p.container_port.value)
                    .opt("HostPort", p.host_port.as_ref().map(|h| h.value))
                    .set(
                        "Protocol",
                        match p.protocol.value {
                            Protocol::Udp => "udp",
                            _ => "tcp",
                        },
                    )
                    .opt("Name", p.name.as_ref().map(|n| n.value.as_str()))
                    .opt("AppProtocol", p.app_protocol.as_deref())
                    .into()
            })
            .collect();
        let env: Vec<Expr> = c
            .env
            .iter()
            .map(|(k, v)| {
                Obj::new()
                    .set("Name", k.name.as_str())
                    .set("Value", v.value.as_str())
                    .into()
            })
            .collect();
        let secrets: Vec<Expr> = c
            .secrets
            .iter()
            .map(|s| {
                Obj::new()
                    .set("Name", s.name.name.as_str())
                    .set("ValueFrom", secret_value_from(s))
                    .into()
            })
            .collect();
        let health = c.health.as_ref().map(|h| {
            Obj::new()
                .set("Command", h.command.value.clone())
                .opt("Interval", h.interval.as_ref().map(|v| v.value))
                .opt("Timeout", h.timeout.as_ref().map(|v| v.value))
                .opt("Retries", h.retries.as_ref().map(|v| v.value))
                .opt("StartPeriod", h.start_period.as_ref().map(|v| v.value))
        });
        let deps: Vec<Expr> = c
            .depends_on
            .iter()
            .map(|d| {
                Obj::new()
                    .set(
                        "ContainerName",
                        task.containers[d.container.value].name.name.as_str(),
                    )
                    .set("Condition", d.condition.as_str())
                    .into()
            })
            .collect();
        let mounts: Vec<Expr> = c
            .mounts
            .iter()
            .map(|mp| {
                Obj::new()
                    .set(
                        "SourceVolume",
                        task.volumes[mp.volume.value].name.name.as_str(),
                    )
                    .set("ContainerPath", mp.path.as_str())
                    .set("ReadOnly", mp.read_only)
                    .into()
            })
            .collect();
        let logging = match (c.logging, task.log_group) {
            (true, Some(lg)) => Some(
                Obj::new().set("LogDriver", "awslogs").set(
                    "Options",
                    Obj::new()
                        .set("awslogs-group", r#ref(ids::log_group(m, lg)))
                        .set("awslogs-region", r#ref("AWS::Region"))
                        .set("awslogs-stream-prefix", c.name.name.as_str()),
                ),
            ),
            _ => None,
        };
        containers.push(Expr::from(
            Obj::new()
                .set("Name", c.name.name.as_str())
                .set("Image", image)
                .set("Essential", c.essential.value)
                .opt("Cpu", c.cpu.as_ref().map(|v| v.value))
                .opt("Memory", c.memory.as_ref().map(|v| v.value))
                .opt(
                    "MemoryReservation",
                    c.memory_reservation.as_ref().map(|v| v.value),
                )
                .list("PortMappings", ports)
                .opt("EntryPoint", c.entrypoint.as_ref().map(|a| a.items.clone()))
                .opt("Command", c.command.as_ref().map(|a| a.items.clone()))
                .list("Environment", env)
                .list("Secrets", secrets)
                .opt("HealthCheck", health)
                .list("DependsOn", deps)
                .opt("WorkingDirectory", c.working_dir.as_deref())
                .opt("User", c.user.as_deref())
                .opt("ReadonlyRootFilesystem", c.read_only_root.then_some(true))
                .opt("StopTimeout", c.stop_timeout.as_ref().map(|v| v.value))
                .opt("Privileged", c.privileged.as_ref().map(|v| v.value))
                .list("MountPoints", mounts)
                .opt("LogConfiguration", logging),
        ));
    }
    let volumes: Vec<Expr> = task
        .volumes
        .iter()
        .map(|v| {
            Obj::new()
                .set("Name", v.name.name.as_str())
                .opt(
                    "EFSVolumeConfiguration",
                    v.efs.as_ref().map(|e| {
                        let auth = (e.access_point.is_some() || e.iam).then(|| {
                            Obj::new()
                                .opt("AccessPointId", e.access_point.as_deref())
                                .set("IAM", if e.iam { "ENABLED" } else { "DISABLED" })
                        });
                        Obj::new()
                            .set("FilesystemId", e.file_system.value.as_str())
                            .opt("RootDirectory", e.root.as_deref())
                            .set(
                                "TransitEncryption",
                                if e.transit_encryption {
                                    "ENABLED"
                                } else {
                                    "DISABLED"
                                },
                            )
                            .opt("AuthorizationConfig", auth)
                    }),
                )
                .into()
        })
        .collect();
    let fargate = task.launch.value == LaunchType::Fargate;
    t.add(
        ids::task(m, id),
        "AWS::ECS::TaskDefinition",
        Obj::new()
            .set("Family", task.family.as_str())
            .opt("Cpu", task.cpu.as_ref().map(|c| c.value.to_string()))
            .opt("Memory", task.memory.as_ref().map(|c| c.value.to_string()))
            .set("NetworkMode", task.network_mode.value.as_str())
            .set("RequiresCompatibilities", vec![task.launch.value.as_str()])
            .opt(
                "ExecutionRoleArn",
                task.execution_role.map(|r| get_att(ids::role(m, r), "Arn")),
            )
            .opt(
                "TaskRoleArn",
                task.task_role.map(|r| get_att(ids::role(m, r), "Arn")),
            )
            .opt(
                "RuntimePlatform",
                fargate.then(|| {
                    Obj::new()
                        .set(
                            "CpuArchitecture",
                            match task.arch.value {
                                Arch::X86_64 => "X86_64",
                                Arch::Arm64 => "ARM64",
                            },
                        )
                        .set(
                            "OperatingSystemFamily",
                            match task.os.value {
                                Os::Linux => "LINUX",
                                Os::Windows => "WINDOWS_SERVER_2022_CORE",
                            },
                        )
                }),
            )
            .opt(
                "EphemeralStorage",
                task.ephemeral_storage
                    .as_ref()
                    .map(|e| Obj::new().set("SizeInGiB", e.value)),
            )
            .set("ContainerDefinitions", containers)
            .list("Volumes", volumes)
            .opt("Tags", tags(m, None)),
    );
}

fn network_configuration(m: &Model, n: &NetworkConfig, key: &str) -> Obj {
    Obj::new().set(
        key,
        Obj::new()
            .set(
                "AssignPublicIp",
                if n.public_ip.value {
                    "ENABLED"
                } else {
                    "DISABLED"
                },
            )
            .set(
                "SecurityGroups",
                n.security_groups
                    .value
                    .iter()
                    .map(|s| get_att(ids::sg(m, *s), "GroupId"))
                    .collect::<Vec<_>>(),
            )
            .set(
                "Subnets",
                n.subnets
                    .value
                    .iter()
                    .map(|s| r#ref(ids::subnet(m, *s)))
                    .collect::<Vec<_>>(),
            ),
    )
}

fn service(m: &Model, t: &mut Template, id: ServiceId, s: &Service) {
    let sid = ids::service(m, id);
    let task = &m[s.task.value];
    let load_balancers: Vec<Expr> = s
        .routes
        .iter()
        .filter_map(|r| {
            let tg = r.target_group?;
            Some(
                Obj::new()
                    .set(
                        "ContainerName",
                        task.containers[r.container.value].name.name.as_str(),
                    )
                    .set("ContainerPort", r.port.value)
                    .set("TargetGroupArn", r#ref(ids::target_group(m, tg)))
                    .into(),
            )
        })
        .collect();
    let d = &s.deployment;
    let deployment = Obj::new()
        .opt(
            "MinimumHealthyPercent",
            d.min_healthy.as_ref().map(|v| v.value),
        )
        .opt("MaximumPercent", d.max_percent.as_ref().map(|v| v.value))
        .set(
            "DeploymentCircuitBreaker",
            Obj::new()
                .set("Enable", d.circuit_breaker != CircuitBreaker::Off)
                .set("Rollback", d.circuit_breaker == CircuitBreaker::Rollback),
        );
    let registries = s.discovery.as_ref().map(|_| {
        let mut reg = Obj::new().set("RegistryArn", get_att(ids::discovery(m, id), "Arn"));
        if task.network_mode.value != NetworkMode::Awsvpc {
            if let Some(r) = s.routes.first() {
                reg = reg
                    .set(
                        "ContainerName",
                        task.containers[r.container.value].name.name.as_str(),
                    )
                    .set("ContainerPort", r.port.value);
            }
        }
        vec![Expr::from(reg)]
    });
    let mut depends_on = Vec::new();
    for r in &s.routes {
        match r.rule {
            Some(rule) => depends_on.push(ids::rule(m, rule)),
            None => depends_on.push(ids::listener(m, r.listener)),
        }
    }
    let res = t.add(
        sid.clone(),
        "AWS::ECS::Service",
        Obj::new()
            .set("Cluster", r#ref(ids::cluster(m, s.cluster.value)))
            .set("TaskDefinition", r#ref(ids::task(m, s.task.value)))
            .set("DesiredCount", s.desired.value)
            .set("LaunchType", s.launch.value.as_str())
            .opt(
                "PlatformVersion",
                s.platform_version.as_ref().map(|p| p.value.as_str()),
            )
            .opt(
                "NetworkConfiguration",
                s.network
                    .as_ref()
                    .map(|n| network_configuration(m, n, "AwsvpcConfiguration")),
            )
            .list("LoadBalancers", load_balancers)
            .opt(
                "HealthCheckGracePeriodSeconds",
                s.grace_period.as_ref().map(|g| g.value),
            )
            .set("DeploymentConfiguration", deployment)
            .opt("ServiceRegistries", registries)
            .opt("EnableExecuteCommand", s.exec.then_some(true))
            .set("EnableECSManagedTags", true)
            .set("PropagateTags", "SERVICE")
            .opt("Tags", tags(m, None)),
    );
    res.depends_on = depends_on;
    t.output(
        format!("{}ServiceName", pascal(&s.name.name)),
        format!("Name of service {}", s.name.name),
        get_att(sid.clone(), "Name"),
    );
    if let Some(disc) = &s.discovery {
        let srv = task.network_mode.value != NetworkMode::Awsvpc;
        t.add(
            ids::discovery(m, id),
            "AWS::ServiceDiscovery::Service",
            Obj::new()
                .set("Name", disc.name.value.as_str())
                .set(
                    "NamespaceId",
                    r#ref(ids::namespace(m, disc.namespace.value)),
                )
                .set(
                    "DnsConfig",
                    Obj::new().set("RoutingPolicy", "MULTIVALUE").set(
                        "DnsRecords",
                        vec![Expr::from(
                            Obj::new()
                                .set("Type", if srv { "SRV" } else { "A" })
                                .set("TTL", 10u32),
                        )],
                    ),
                )
                .set(
                    "HealthCheckCustomConfig",
                    Obj::new().set("FailureThreshold", 1u32),
                )
                .opt("Tags", tags(m, None)),
        );
    }
    if let Some(a) = &s.autoscale {
        let target = ids::scalable_target(m, id);
        t.add(
            target.clone(),
            "AWS::ApplicationAutoScaling::ScalableTarget",
            Obj::new()
                .set("MinCapacity", a.min.value)
                .set("MaxCapacity", a.max.value)
                .set(
                    "ResourceId",
                    sub(format!(
                        "service/${{{}}}/${{{sid}.Name}}",
                        ids::cluster(m, s.cluster.value)
                    )),
                )
                .set("ScalableDimension", "ecs:service:DesiredCount")
                .set("ServiceNamespace", "ecs"),
        );
        let metrics: [(&str, Option<u64>, &str); 3] = [
            (
                "Cpu",
                a.cpu.as_ref().map(|v| v.value),
                "ECSServiceAverageCPUUtilization",
            ),
            (
                "Memory",
                a.memory.as_ref().map(|v| v.value),
                "ECSServiceAverageMemoryUtilization",
            ),
            (
                "Requests",
                a.requests.as_ref().map(|v| v.value),
                "ALBRequestCountPerTarget",
            ),
        ];
        for (name, value, metric) in metrics {
            let Some(value) = value else { continue };
            let label = (metric == "ALBRequestCountPerTarget")
                .then(|| s.routes.iter().find_map(|r| r.target_group))
                .flatten()
                .map(|tg| {
                    let lb = ids::lb(m, m[tg].listener.lb);
                    sub(format!(
                        "${{{lb}.LoadBalancerFullName}}/${{{}.TargetGroupFullName}}",
                        ids::target_group(m, tg)
                    ))
                });
            t.add(
                ids::scaling_policy(m, id, name),
                "AWS::ApplicationAutoScaling::ScalingPolicy",
                Obj::new()
                    .set(
                        "PolicyName",
                        format!("{}-{}-{}", m.stack.name, s.name.name, name.to_lowercase()),
                    )
                    .set("PolicyType", "TargetTrackingScaling")
                    .set("ScalingTargetId", r#ref(target.clone()))
                    .set(
                        "TargetTrackingScalingPolicyConfiguration",
                        Obj::new()
                            .set("TargetValue", value)
                            .set(
                                "PredefinedMetricSpecification",
                                Obj::new()
                                    .set("PredefinedMetricType", metric)
                                    .opt("ResourceLabel", label),
                            )
                            .opt("ScaleInCooldown", a.scale_in_cooldown)
                            .opt("ScaleOutCooldown", a.scale_out_cooldown),
                    ),
            );
        }
    }
}

fn schedule(m: &Model, t: &mut Template, id: ScheduleId, s: &Schedule) {
    let task = &m[s.task.value];
    let mut ecs = Obj::new()
        .set("TaskDefinitionArn", r#ref(ids::task(m, s.task.value)))
        .set("TaskCount", s.count.value)
        .set("LaunchType", task.launch.value.as_str())
        .opt(
            "PlatformVersion",
            s.platform_version.as_ref().map(|p| p.value.as_str()),
        );
    if let Some(n) = &s.network {
        ecs = ecs.set(
            "NetworkConfiguration",
            network_configuration(m, n, "AwsVpcConfiguration"),
        );
    }
    let target = Obj::new()
        .set("Id", pascal(&s.name.name))
        .set("Arn", get_att(ids::cluster(m, s.cluster.value), "Arn"))
        .opt("RoleArn", s.role.map(|r| get_att(ids::role(m, r), "Arn")))
        .set("EcsParameters", ecs);
    t.add(
        ids::schedule(m, id),
        "AWS::Events::Rule",
        Obj::new()
            .set(
                "Description",
                format!("Runs task {} ({})", task.name.name, s.expression.value),
            )
            .set("ScheduleExpression", s.expression.value.as_str())
            .set("State", "ENABLED")
            .set("Targets", vec![Expr::from(target)]),
    );
}
