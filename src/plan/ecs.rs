//! Planning clusters, namespaces, log groups, roles, task definitions,
//! services (with discovery and auto scaling) and scheduled tasks.

use super::existing::{existing, Known};
use super::ids::Cx;
use super::lb::{lb, listener, rule, target_group};
use super::network::{groups, subnets, vpc};
use super::*;
use crate::model::{
    self, AlarmMetric, Arch, CircuitBreaker, ClusterId, InstancesId, LaunchType, NamespaceId,
    NetworkMode, Os, RoleId, Schedule, ScheduleId, Service, ServiceId, ServiceMetric, TaskId,
};
use crate::source::Spanned;

pub fn cluster(m: &Cx<'_>, id: ClusterId) -> ResId {
    m.cluster[id.0].clone()
}
pub fn task(m: &Cx<'_>, id: TaskId) -> ResId {
    m.task[id.0].clone()
}
pub fn log_group(m: &Cx<'_>, id: TaskId) -> ResId {
    m.log_group[id.0].clone()
}
fn namespace(m: &Cx<'_>, id: NamespaceId) -> ResId {
    m.namespace[id.0].clone()
}
fn service(m: &Cx<'_>, id: ServiceId) -> ResId {
    m.service[id.0].clone()
}

/// An existing cluster is named (or given by ARN): references to its ARN
/// build it from the name, references to its name read it from the ARN.
/// `Id` is the ARN, as for a new cluster in Terraform.
fn existing_cluster_attrs(id: &ResId, e: &model::Existing) -> (&'static [Attr], ExistingAttrs) {
    let arn_of = |name: Part| {
        Text::lit("arn:")
            .part(Part::Partition)
            .push(":ecs:")
            .part(Part::Region)
            .push(":")
            .part(Part::Account)
            .push(":cluster/")
            .part(name)
    };
    let name = match e {
        model::Existing::Id(given) => match crate::schema::cluster_name_of(&given.value) {
            // Given by ARN: the name is read from it.
            Some(name) if name != given.value => {
                let attrs = vec![(Attr::Name, Text::lit(name))];
                return (&[Attr::Id, Attr::Arn], ExistingAttrs(attrs));
            }
            _ => Part::Lit(given.value.clone()),
        },
        model::Existing::Input(_) | model::Existing::Ssm(_) => Part::Ref(id.attr(Attr::Name)),
    };
    let arn = arn_of(name);
    (
        &[Attr::Name],
        ExistingAttrs(vec![(Attr::Id, arn.clone()), (Attr::Arn, arn)]),
    )
}

/// An existing namespace is given by id: references to its ARN build it
/// from the id.
fn existing_namespace_attrs(id: &ResId, e: &model::Existing) -> ExistingAttrs {
    let ns = match e {
        model::Existing::Id(given) => Part::Lit(given.value.clone()),
        model::Existing::Input(_) | model::Existing::Ssm(_) => Part::Ref(id.attr(Attr::Id)),
    };
    let arn = Text::lit("arn:")
        .part(Part::Partition)
        .push(":servicediscovery:")
        .part(Part::Region)
        .push(":")
        .part(Part::Account)
        .push(":namespace/")
        .part(ns);
    ExistingAttrs(vec![(Attr::Arn, arn)])
}

pub fn plan(m: &Cx<'_>, p: &mut Plan) {
    for (i, c) in m.clusters.iter().enumerate() {
        let id = cluster(m, ClusterId(i));
        if let Some(e) = &c.existing {
            let (is, attrs) = existing_cluster_attrs(&id, e);
            let known = Known {
                noun: "cluster",
                spec: &crate::schema::existing::CLUSTER,
                is,
                attrs,
                label: None,
            };
            existing(p, id, c.span, e, known);
            continue;
        }
        p.add(
            id.clone(),
            c.span,
            Body::from(body::Cluster {
                name: format!("{}-{}", m.stack.name, c.name.name),
                settings: vec![(
                    "containerInsights",
                    if c.insights { "enabled" } else { "disabled" },
                )],
                service_connect: c
                    .service_connect
                    .as_ref()
                    .map(|n| namespace(m, n.value).attr(Attr::Arn)),
            }),
        );
        if !c.providers.is_empty() {
            p.add(
                id.sibling(Kind::ClusterCapacityProviders),
                c.span,
                Body::from(body::ClusterCapacityProviders {
                    cluster: id.attr(Attr::Name),
                    providers: c.providers.iter().map(|p| provider(m, *p)).collect(),
                    default_strategy: strategy(m, &c.capacity),
                }),
            );
        }
        p.outputs.push(Output {
            name: format!("{}-cluster-name", c.name.name),
            description: format!("Name of cluster {}", c.name.name),
            value: id.attr(Attr::Name).into(),
            export: None,
            declared: false,
        });
    }
    for (i, g) in m.instance_groups.iter().enumerate() {
        instance_group(m, p, InstancesId(i), g);
    }
    for (i, n) in m.namespaces.iter().enumerate() {
        let id = namespace(m, NamespaceId(i));
        if let Some(e) = &n.existing {
            let known = Known {
                attrs: existing_namespace_attrs(&id, e),
                ..Known::id("namespace", &crate::schema::existing::NAMESPACE)
            };
            existing(p, id, n.span, e, known);
            continue;
        }
        let body = match &n.vpc {
            _ if n.http.value => Body::from(body::HttpNamespace {
                name: n.name.name.clone(),
            }),
            Some(v) => Body::from(body::Namespace {
                name: n.name.name.clone(),
                vpc: vpc(m, v.value).attr(Attr::Id),
            }),
            // Lowering reports a private DNS namespace without a VPC.
            None => continue,
        };
        p.add(id, n.span, body);
    }
    for lg in &m.log_groups {
        p.add(
            log_group(m, lg.task),
            m[lg.task].span,
            Body::from(body::LogGroup {
                name: lg.group_name.clone(),
                retention_days: lg.retention_days,
            }),
        );
    }
    let mut trusts = super::iam::Trusts::default();
    for i in 0..m.roles.len() {
        super::iam::plan(m, p, RoleId(i), &mut trusts);
    }
    for i in 0..m.tasks.len() {
        task_definition(m, p, TaskId(i));
    }
    one_off_outputs(m, p);
    for (i, s) in m.services.iter().enumerate() {
        ecs_service(m, p, ServiceId(i), s);
    }
    for (i, s) in m.schedules.iter().enumerate() {
        schedule(m, p, ScheduleId(i), s);
    }
}

/// An id written out, or the input `<task>-<volume>-<word>` that takes it
/// at deploy time (described as the id of the existing `what`).
fn given(
    p: &mut Plan,
    id: &crate::source::Spanned<model::GivenId>,
    (task, volume): (&str, &str),
    word: &str,
    what: &str,
) -> Value {
    match &id.value {
        model::GivenId::Literal(id) => Value::Str(id.clone().into()),
        model::GivenId::Input => {
            let name = format!("{task}-{volume}-{word}");
            p.inputs.push(Input {
                name: name.clone(),
                description: format!("Id of the existing {what} of volume {volume} of task {task}"),
                cfn_type: "String",
                ssm: None,
                span: id.span,
            });
            Value::Input(name)
        }
    }
}

fn task_definition(m: &Cx<'_>, p: &mut Plan, id: TaskId) {
    let t = &m[id];
    let containers = super::containers::definitions(m, id, p);
    let mut volumes = Vec::with_capacity(t.volumes.len());
    for v in &t.volumes {
        let efs = v.efs.as_ref().map(|e| {
            let base = (t.name.name.as_str(), v.name.name.as_str());
            let file_system = given(p, &e.file_system, base, "file-system-id", "EFS file system");
            let access_point = e
                .access_point
                .as_ref()
                .map(|a| given(p, a, base, "access-point-id", "EFS access point"));
            EfsDef {
                file_system,
                root: e.root.as_ref().map(|r| r.value.clone()),
                transit_encryption: e.transit_encryption.value,
                authorization: (access_point.is_some() || e.iam.value)
                    .then_some((access_point, e.iam.value)),
            }
        });
        volumes.push(VolumeDef {
            name: v.name.name.clone(),
            efs,
        });
    }
    let role = |r: Option<RoleId>| r.map(|r| super::iam::role(m, r).attr(Attr::Arn));
    let fargate = t.launch.value == LaunchType::Fargate;
    p.add(
        task(m, id),
        t.span,
        Body::from(body::TaskDefinition {
            family: t.family.clone(),
            cpu: t.cpu.as_ref().map(|c| c.value.to_string()),
            memory: t.memory.as_ref().map(|c| c.value.to_string()),
            network_mode: t.network_mode.value.as_str(),
            launch: t.launch.value.as_str(),
            execution_role: role(t.execution_role),
            task_role: role(t.task_role),
            runtime: fargate.then_some((
                match t.arch.value {
                    Arch::X86_64 => "X86_64",
                    Arch::Arm64 => "ARM64",
                },
                match t.os.value {
                    Os::Linux => "LINUX",
                    Os::Windows => "WINDOWS_SERVER_2022_CORE",
                },
            )),
            ephemeral_storage_gib: t.ephemeral_storage.as_ref().map(|e| e.value),
            containers,
            volumes,
        }),
    );
}

/// What CI needs to run a one-off task (`aws ecs run-task`): the task
/// definition of every task no service or schedule runs, and with a `run`
/// block its cluster, subnets and security groups. (Not for every task:
/// a template holds at most 200 outputs.)
fn one_off_outputs(m: &Cx<'_>, p: &mut Plan) {
    let mut run_elsewhere = vec![false; m.tasks.len()];
    for s in &m.services {
        run_elsewhere[s.placement.task.value.0] = true;
    }
    for s in &m.schedules {
        run_elsewhere[s.placement.task.value.0] = true;
    }
    for (i, t) in m.tasks.iter().enumerate() {
        if run_elsewhere[i] {
            continue;
        }
        let name = &t.name.name;
        p.outputs.push(Output {
            name: format!("{name}-task-definition-arn"),
            description: format!("Task definition of one-off task {name}"),
            value: task(m, TaskId(i)).attr(Attr::Id).into(),
            export: None,
            declared: false,
        });
        let Some(run) = &t.run else { continue };
        p.outputs.push(Output {
            name: format!("{name}-run-cluster"),
            description: format!("Cluster to run task {name} in"),
            value: cluster(m, run.cluster.value).attr(Attr::Name).into(),
            export: None,
            declared: false,
        });
        if let Some(n) = &run.network {
            p.outputs.push(Output {
                name: format!("{name}-run-subnets"),
                description: format!("Subnets to run task {name} in (comma-separated)"),
                value: OutputValue::Joined(subnets(m, &n.subnets.value)),
                export: None,
                declared: false,
            });
            if !n.security_groups.value.is_empty() {
                p.outputs.push(Output {
                    name: format!("{name}-run-security-groups"),
                    description: format!("Security groups of task {name} (comma-separated)"),
                    value: OutputValue::Joined(groups(m, &n.security_groups.value)),
                    export: None,
                    declared: false,
                });
            }
        }
    }
}

/// AWS's public SSM parameters with the latest ECS-optimized Amazon Linux
/// 2023 AMI, per architecture.
const ECS_AMI: [(Arch, &str); 2] = [
    (
        Arch::X86_64,
        "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id",
    ),
    (
        Arch::Arm64,
        "/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id",
    ),
];

/// Container instances: an instance profile for the derived role, a launch
/// template (IMDSv2 required; user data naming the cluster) and an Auto
/// Scaling group over the subnets.
fn instance_group(m: &Cx<'_>, p: &mut Plan, id: InstancesId, g: &model::InstanceGroup) {
    let asg = m.instances[id.0].clone();
    let profile = asg.sibling(Kind::InstanceProfile);
    let template = asg.sibling(Kind::LaunchTemplate);
    if let Some(role) = g.role {
        p.add(
            profile.clone(),
            g.span,
            Body::from(body::InstanceProfile {
                role: super::iam::role(m, role).attr(Attr::Name),
            }),
        );
    }
    let image = match &g.ami {
        Some(ami) => Value::Str(ami.value.clone().into()),
        None => {
            let name = format!("{}-ami", g.name.name);
            let parameter = ECS_AMI
                .iter()
                .find(|(a, _)| *a == g.arch.value)
                .map_or(ECS_AMI[0].1, |(_, path)| path);
            p.inputs.push(Input {
                name: name.clone(),
                description: format!(
                    "ECS-optimized AMI of instance group {}, from SSM parameter {parameter}",
                    g.name.name
                ),
                cfn_type: "AWS::EC2::Image::Id",
                ssm: Some(parameter.to_string()),
                span: g.name.span,
            });
            Value::Input(name)
        }
    };
    let mut user_data = Text::lit("#!/bin/bash\necho ECS_CLUSTER=")
        .part(Part::Ref(cluster(m, g.cluster.value).attr(Attr::Name)))
        .push(" >> /etc/ecs/ecs.config\n");
    if g.spot.is_some() {
        // The agent drains a Spot instance on its interruption notice, so
        // its tasks are replaced elsewhere within the two minutes.
        user_data =
            user_data.push("echo ECS_ENABLE_SPOT_INSTANCE_DRAINING=true >> /etc/ecs/ecs.config\n");
    }
    p.add(
        template.clone(),
        g.span,
        Body::from(body::LaunchTemplate {
            image,
            instance_type: g.instance_type.value.clone(),
            profile: profile.attr(Attr::Arn),
            security_groups: groups(m, &g.security_groups.value),
            user_data,
        }),
    );
    // A capacity provider may not be named `aws…`, `ecs…` or `fargate…`.
    let mut cp_name = format!("{}-{}", m.stack.name, g.name.name);
    if ["aws", "ecs", "fargate"]
        .iter()
        .any(|r| cp_name.to_ascii_lowercase().starts_with(r))
    {
        cp_name = format!("cp-{cp_name}");
    }
    p.add(
        asg.sibling(Kind::CapacityProvider),
        g.span,
        Body::from(body::CapacityProvider {
            name: cp_name,
            group: asg.attr(Attr::Arn),
            target_capacity: g.target_capacity.value,
            protect: g.protect_from_scale_in,
        }),
    );
    p.add(
        asg,
        g.span,
        Body::from(body::AutoScalingGroup {
            instance_name: format!("{}-{}", m.stack.name, g.name.name),
            subnets: subnets(m, &g.subnets.value),
            min: g.min.value,
            max: g.max.value,
            desired: g.desired.value,
            template: template.attr(Attr::Id),
            version: template.attr(Attr::LatestVersion),
            protect: g.protect_from_scale_in,
            spot: g.spot.as_ref().map(|s| SpotDef {
                on_demand_base: s.on_demand_base,
                on_demand_percent: s.on_demand_percent,
                types: std::iter::once(g.instance_type.value.clone())
                    .chain(
                        s.types
                            .iter()
                            .filter(|t| **t != g.instance_type.value)
                            .cloned(),
                    )
                    .collect(),
            }),
        }),
    );
}

/// What a placement with a capacity provider strategy waits for: its
/// cluster's association with the providers (a new cluster's).
fn capacity_association(m: &Cx<'_>, p: &model::Placement) -> Option<ResId> {
    let c = &m[p.cluster.value];
    (!p.capacity.is_empty() && c.existing.is_none() && !c.providers.is_empty())
        .then(|| cluster(m, p.cluster.value).sibling(Kind::ClusterCapacityProviders))
}

/// A capacity provider as strategies and associations name it.
fn provider(m: &Cx<'_>, p: model::Provider) -> Value {
    match p {
        model::Provider::Fargate => Value::Str("FARGATE".into()),
        model::Provider::FargateSpot => Value::Str("FARGATE_SPOT".into()),
        model::Provider::Instances(g) => m.instances[g.0]
            .sibling(Kind::CapacityProvider)
            .attr(Attr::Name)
            .into(),
    }
}

/// A capacity provider strategy, in the order written.
fn strategy(m: &Cx<'_>, items: &[model::StrategyItem]) -> Vec<Strategy> {
    items
        .iter()
        .map(|i| Strategy {
            provider: provider(m, i.provider.value),
            base: u64::from(i.base.value),
            weight: u64::from(i.weight.value),
        })
        .collect()
}

/// How a service's or a scheduled task's tasks run.
fn placement(m: &Cx<'_>, p: &model::Placement) -> Placement {
    Placement {
        launch: p.capacity.is_empty().then(|| p.launch.value.as_str()),
        capacity: strategy(m, &p.capacity),
        strategies: p
            .rules
            .iter()
            .flat_map(|r| r.strategies.iter().map(|s| s.value.api()))
            .collect(),
        constraints: p
            .rules
            .iter()
            .flat_map(|r| {
                let distinct = r.distinct_instance.map(|_| ("distinctInstance", None));
                let member = r
                    .member_of
                    .iter()
                    .map(|e| ("memberOf", Some(e.value.clone())));
                distinct.into_iter().chain(member)
            })
            .collect(),
        platform_version: p.platform_version.as_ref().map(|v| v.value.clone()),
        network: p.network.as_ref().map(|n| AwsVpc {
            subnets: subnets(m, &n.subnets.value),
            security_groups: groups(m, &n.security_groups.value),
            public_ip: n.public_ip.value,
        }),
    }
}

fn ecs_service(m: &Cx<'_>, p: &mut Plan, id: ServiceId, s: &Service) {
    let sid = service(m, id);
    let t = &m[s.placement.task.value];
    let container_name = |i: usize| {
        t.containers
            .get(i)
            .map(|c| c.name.name.clone())
            .unwrap_or_default()
    };
    let load_balancers = s
        .routes
        .iter()
        .filter_map(|r| {
            let (container, port) = r.target()?;
            Some(LbTarget {
                container: container_name(container),
                port,
                target_group: target_group(m, r.target_group?).attr(Attr::Id),
            })
        })
        .collect();
    // Outside `awsvpc` tasks share the host's address: Cloud Map needs SRV
    // records, which name the container and port (the first route's).
    let srv = t.network_mode.value != NetworkMode::Awsvpc;
    let discovery = sid.sibling(Kind::DiscoveryService);
    let registry = s.discovery.as_ref().map(|_| Registry {
        service: discovery.attr(Attr::Arn),
        container: srv
            .then(|| s.routes.first())
            .flatten()
            .and_then(|r| r.target())
            .map(|(c, port)| (container_name(c), port)),
    });
    // A service registers its targets once the listener or rule that
    // forwards to them exists.
    let mut waits: Vec<ResId> = s
        .routes
        .iter()
        .map(|r| match r.rule {
            Some(x) => rule(m, x),
            None => listener(m, r.listener),
        })
        .collect();
    waits.extend(capacity_association(m, &s.placement));
    // Application Auto Scaling owns the count. (An image CI deploys is a
    // deploy-time input, so the task definition stays ecsc's.)
    let mut managed_outside = Vec::new();
    if s.autoscale.is_some() || !s.scale.is_empty() {
        managed_outside.push("desired_count");
    }
    let value = |v: &Option<Spanned<u64>>| v.as_ref().map(|v| v.value);
    let d = &s.deployment;
    let r = p.add(
        sid.clone(),
        s.span,
        Body::from(body::Service {
            name: s.name.name.clone(),
            cluster: cluster(m, s.placement.cluster.value).attr(Attr::Id),
            task_definition: task(m, s.placement.task.value).attr(Attr::Id),
            // A stopped environment runs no task.
            // A daemon runs one task per instance: it has no count.
            desired: match (s.daemon.is_some(), m.stack.stopped) {
                (true, _) => None,
                (false, true) => Some(0),
                (false, false) => Some(s.desired.value),
            },
            daemon: s.daemon.is_some(),
            placement: placement(m, &s.placement),
            load_balancers,
            grace_period: value(&s.grace_period),
            min_healthy: value(&d.min_healthy),
            max_percent: value(&d.max_percent),
            circuit_breaker: d.circuit_breaker != CircuitBreaker::Off,
            rollback: d.circuit_breaker == CircuitBreaker::Rollback,
            registry,
            connect: s
                .connect
                .as_ref()
                .map(|c| Box::new(service_connect(m, t, c))),
            alarms: d
                .alarms
                .iter()
                .filter(|a| s.alarm(&a.value).is_some())
                .map(|a| alarm_name(m, s, &a.value))
                .collect(),
            exec: s.exec.value,
            managed_outside,
        }),
    );
    r.depends_on = waits;
    p.outputs.push(Output {
        name: format!("{}-service-name", s.name.name),
        description: format!("Name of service {}", s.name.name),
        value: sid.attr(Attr::Name).into(),
        export: None,
        declared: false,
    });
    if let Some(disc) = &s.discovery {
        p.add(
            discovery,
            disc.span,
            Body::from(body::DiscoveryService {
                name: disc.name.value.clone(),
                namespace: namespace(m, disc.namespace.value).attr(Attr::Id),
                routing_policy: "MULTIVALUE",
                record_type: if srv { "SRV" } else { "A" },
                ttl: 10,
            }),
        );
    }
    let target = sid.sibling(Kind::ScalableTarget);
    // Application Auto Scaling owns the count when the service scales by
    // metric or on a schedule; without `autoscale` the bounds stay at the
    // service's count between scheduled changes.
    if s.autoscale.is_some() || !s.scale.is_empty() {
        let (min, max, span) = match &s.autoscale {
            _ if m.stack.stopped => (0, 0, s.span),
            Some(a) => (a.min.value, a.max.value, a.span),
            None => (s.desired.value, s.desired.value, s.span),
        };
        p.add(
            target.clone(),
            span,
            Body::from(body::ScalableTarget {
                min,
                max,
                resource_id: Text::lit("service/")
                    .part(Part::Ref(
                        cluster(m, s.placement.cluster.value).attr(Attr::Name),
                    ))
                    .push("/")
                    .part(Part::Ref(sid.attr(Attr::Name))),
                dimension: "ecs:service:DesiredCount",
                namespace: "ecs",
            }),
        );
        // One at a time: Application Auto Scaling refuses concurrent
        // changes to one target.
        // A stopped environment keeps no schedule that would start it.
        let scale: &[model::ScaleSchedule] = if m.stack.stopped { &[] } else { &s.scale };
        let mut previous: Option<ResId> = None;
        for sc in scale {
            let id = ResId::new(
                Kind::ScheduledAction,
                &format!("{}-{}", s.name.name, sc.name.name),
            );
            let r = p
                .add(
                    id.clone(),
                    sc.span,
                    Body::from(body::ScheduledAction {
                        name: format!("{}-{}-{}", m.stack.name, s.name.name, sc.name.name),
                        target: target.attr(Attr::Id),
                        schedule: sc.expression.value.clone(),
                        timezone: sc.timezone.as_ref().map(|t| t.value.clone()),
                        min: sc.min.value,
                        max: sc.max.value,
                    }),
                )
                .within(target.clone());
            if let Some(before) = previous.replace(id) {
                r.after(before);
            }
        }
    }
    if let Some(a) = &s.autoscale {
        let metrics = [
            ("Cpu", &a.cpu, "ECSServiceAverageCPUUtilization"),
            ("Memory", &a.memory, "ECSServiceAverageMemoryUtilization"),
            ("Requests", &a.requests, "ALBRequestCountPerTarget"),
        ];
        for (word, target_value, metric) in metrics {
            let Some(target_value) = target_value else {
                continue;
            };
            // Request counts are per target group: the first route's.
            let label = (metric == "ALBRequestCountPerTarget")
                .then(|| s.routes.iter().find_map(|r| r.target_group))
                .flatten()
                .map(|tg| {
                    Text::default()
                        .part(Part::Ref(lb(m, m[tg].listener.lb).attr(Attr::FullName)))
                        .push("/")
                        .part(Part::Ref(target_group(m, tg).attr(Attr::FullName)))
                });
            let lower = word.to_ascii_lowercase();
            p.add(
                ResId::new(Kind::ScalingPolicy, &format!("{}-{lower}", s.name.name)),
                target_value.span,
                Body::from(body::ScalingPolicy {
                    name: format!("{}-{}-{lower}", m.stack.name, s.name.name),
                    target: target.attr(Attr::Id),
                    config: PolicyConfig::Tracking {
                        target_value: whole(target_value.value),
                        metric: TrackedMetric::Predefined { metric, label },
                        scale_in_cooldown: a.scale_in_cooldown,
                        scale_out_cooldown: a.scale_out_cooldown,
                    },
                }),
            );
        }
        for (i, t) in (1u32..).zip(&a.track) {
            p.add(
                ResId::indexed(Kind::ScalingPolicy, &format!("{}-track", s.name.name), i),
                t.span,
                Body::from(body::ScalingPolicy {
                    name: format!("{}-{}-track-{i}", m.stack.name, s.name.name),
                    target: target.attr(Attr::Id),
                    config: PolicyConfig::Tracking {
                        target_value: t.target.value.value,
                        metric: TrackedMetric::Custom {
                            namespace: t.metric.namespace.value.clone(),
                            name: t.metric.name.value.clone(),
                            dimensions: custom_dimensions(&t.metric),
                            statistic: t.statistic,
                        },
                        scale_in_cooldown: a.scale_in_cooldown,
                        scale_out_cooldown: a.scale_out_cooldown,
                    },
                }),
            );
        }
    }
    alarms(m, p, s, &sid, &target);
}

/// A whole number as a metric value.
fn whole(n: u64) -> f64 {
    u32::try_from(n).map_or(f64::from(u32::MAX), f64::from)
}

/// An alarm's physical name: `<stack>-<service>-<alarm>` (the stack's
/// name carries the environment), which a deployment lists.
fn alarm_name(m: &Cx<'_>, s: &Service, alarm: &str) -> String {
    format!("{}-{}-{alarm}", m.stack.name, s.name.name)
}

fn custom_dimensions(metric: &model::CustomMetric) -> Vec<Dimension> {
    metric
        .dimensions
        .iter()
        .map(|(name, value)| Dimension {
            name: name.clone(),
            value: Text::lit(value.value.clone()),
        })
        .collect()
}

/// A service's alarms, and the step scaling policies they trigger.
fn alarms(m: &Cx<'_>, p: &mut Plan, s: &Service, sid: &ResId, target: &ResId) {
    let steps: &[model::Step] = s.autoscale.as_ref().map_or(&[], |a| &a.steps);
    let route = s
        .routes
        .iter()
        .find_map(|r| r.target_group.map(|tg| (m[tg].listener.lb, tg)));
    for a in &s.alarms {
        let id = ResId::new(Kind::Alarm, &format!("{}-{}", s.name.name, a.name.name));
        let mut actions: Vec<Value> = a
            .notify
            .iter()
            .map(|n| Value::Str(n.value.clone().into()))
            .collect();
        let own: Vec<&model::Step> = steps
            .iter()
            .filter(|st| st.alarm.value == a.name.name)
            .collect();
        if let Some(first) = own.first() {
            let policy = id.sibling(Kind::ScalingPolicy);
            let policy = ResId::new(policy.kind, &format!("{}-step", policy.name));
            let t = a.threshold.value.value;
            let upward = a.comparison.upward();
            let bound = |v: &Option<Spanned<model::Threshold>>, default: Option<f64>| {
                v.as_ref().map(|v| v.value.value).or(default).map(|v| v - t)
            };
            let adjustments = own
                .iter()
                .map(|st| StepAdjustment {
                    lower: bound(&st.from, upward.then_some(t)),
                    upper: bound(&st.to, (!upward).then_some(t)),
                    change: st.change.value,
                })
                .collect();
            p.add(
                policy.clone(),
                first.span,
                Body::from(body::ScalingPolicy {
                    name: format!("{}-step", alarm_name(m, s, &a.name.name)),
                    target: target.attr(Attr::Id),
                    config: PolicyConfig::Step {
                        cooldown: own
                            .iter()
                            .find_map(|st| st.cooldown.as_ref().map(|c| c.value)),
                        aggregation: match a.statistic() {
                            "Minimum" => "Minimum",
                            "Maximum" => "Maximum",
                            _ => "Average",
                        },
                        steps: adjustments,
                    },
                }),
            );
            actions.push(Value::Ref(policy.attr(Attr::Arn)));
        }
        let (namespace, metric, dimensions) = match &a.metric.value {
            AlarmMetric::Custom(c) => (
                c.namespace.value.clone(),
                c.name.value.clone(),
                custom_dimensions(c),
            ),
            AlarmMetric::Service(sm) => {
                let dim = |name: &str, r: Ref| Dimension {
                    name: name.into(),
                    value: Text::default().part(Part::Ref(r)),
                };
                let (namespace, metric) = match sm {
                    ServiceMetric::Cpu => ("AWS/ECS", "CPUUtilization"),
                    ServiceMetric::Memory => ("AWS/ECS", "MemoryUtilization"),
                    ServiceMetric::Http5xx => ("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count"),
                    ServiceMetric::Target5xx => ("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count"),
                    // A network load balancer publishes it too, in its
                    // own namespace (the others are HTTP's: E078).
                    ServiceMetric::UnhealthyHosts
                        if route.is_some_and(|(l, _)| m.load_balancers[l.0].is_network()) =>
                    {
                        ("AWS/NetworkELB", "UnHealthyHostCount")
                    }
                    ServiceMetric::UnhealthyHosts => ("AWS/ApplicationELB", "UnHealthyHostCount"),
                    ServiceMetric::ResponseTime => ("AWS/ApplicationELB", "TargetResponseTime"),
                    ServiceMetric::Requests => ("AWS/ApplicationELB", "RequestCount"),
                };
                let dimensions = match (sm.of_load_balancer(), route) {
                    (false, _) => vec![
                        dim(
                            "ClusterName",
                            cluster(m, s.placement.cluster.value).attr(Attr::Name),
                        ),
                        dim("ServiceName", sid.attr(Attr::Name)),
                    ],
                    // No route: E078 reports it.
                    (true, None) => Vec::new(),
                    (true, Some((l, _))) if *sm == ServiceMetric::Http5xx => {
                        vec![dim("LoadBalancer", lb(m, l).attr(Attr::FullName))]
                    }
                    (true, Some((l, tg))) => vec![
                        dim("LoadBalancer", lb(m, l).attr(Attr::FullName)),
                        dim("TargetGroup", target_group(m, tg).attr(Attr::FullName)),
                    ],
                };
                (namespace.to_string(), metric.to_string(), dimensions)
            }
        };
        let periods = a
            .duration
            .as_ref()
            .map_or(1, |d| d.value.div_ceil(a.period.value.max(1)).max(1));
        let comparison = match a.comparison {
            model::Comparison::Above => "above",
            model::Comparison::Below => "below",
            model::Comparison::AtLeast => "at least",
            model::Comparison::AtMost => "at most",
        };
        let what = match &a.metric.value {
            AlarmMetric::Service(sm) => sm.word().to_string(),
            AlarmMetric::Custom(c) => c.name.value.clone(),
        };
        let treat_missing = a.treat_missing.or(match &a.metric.value {
            AlarmMetric::Service(sm) if sm.is_count() => Some("notBreaching"),
            _ => None,
        });
        p.add(
            id,
            a.span,
            Body::from(body::Alarm {
                name: alarm_name(m, s, &a.name.name),
                description: format!(
                    "Service {}: {what} {comparison} {}",
                    s.name.name, a.threshold.value
                ),
                namespace,
                metric,
                dimensions,
                statistic: a.statistic(),
                period: a.period.value,
                periods,
                threshold: a.threshold.value.value,
                comparison: a.comparison.operator(),
                treat_missing,
                actions,
            }),
        );
    }
}

/// A service's Service Connect configuration: every endpoint with its
/// client alias written out (the DNS name defaults to the discovery name,
/// the port to the container port), so both targets say the same.
fn service_connect(m: &Cx<'_>, t: &model::TaskDef, c: &model::Connect) -> ServiceConnect {
    ServiceConnect {
        namespace: namespace(m, c.namespace.value).attr(Attr::Arn),
        services: c
            .serves
            .iter()
            .map(|s| ConnectService {
                port_name: s.port_name.name.clone(),
                discovery: s.discovery.value.clone(),
                alias: (
                    s.alias.value.clone(),
                    s.port.as_ref().map_or(0, |p| p.value),
                ),
                idle_timeout: s.idle_timeout.as_ref().map(|v| v.value),
                per_request_timeout: s.per_request_timeout.as_ref().map(|v| v.value),
            })
            .collect(),
        logs: match (c.logs, t.log_group) {
            (true, Some(lg)) => {
                Some((log_group(m, m[lg].task).attr(Attr::Name), "service-connect"))
            }
            _ => None,
        },
    }
}

fn schedule(m: &Cx<'_>, p: &mut Plan, _id: ScheduleId, s: &Schedule) {
    let t = &m[s.placement.task.value];
    let rule_id = ResId::new(Kind::ScheduleRule, &s.name.name);
    p.add(
        rule_id.clone(),
        s.span,
        Body::from(body::ScheduleRule {
            description: format!("Runs task {} ({})", t.name.name, s.expression.value),
            expression: s.expression.value.clone(),
            enabled: s.enabled && !m.stack.stopped,
        }),
    );
    let wait = capacity_association(m, &s.placement);
    let target = p.add(
        rule_id.sibling(Kind::ScheduleTarget),
        s.span,
        Body::from(body::ScheduleTarget {
            rule: rule_id.attr(Attr::Name),
            target_id: crate::names::pascal(&s.name.name),
            cluster: cluster(m, s.placement.cluster.value).attr(Attr::Arn),
            role: s.role.map(|r| super::iam::role(m, r).attr(Attr::Arn)),
            task_definition: task(m, s.placement.task.value).attr(Attr::Id),
            count: s.count.value,
            placement: placement(m, &s.placement),
        }),
    );
    target.within(rule_id);
    if let Some(wait) = wait {
        target.after(wait);
    }
}
