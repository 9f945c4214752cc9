//! Lowering of `cluster`, `namespace`, `task` (with its containers),
//! `service` (with routes, deployment, discovery, auto scaling) and
//! `schedule` declarations.

use super::existing::{existing, existing_as, not_on_existing, owned_elsewhere, says_existing};
use super::network::{declaration, name_of};
use super::reader::{keyword_value, narrow, Cx, Reader};
use super::symbols::Kind;
use crate::diagnostic::Diagnostic;
use crate::model::*;
use crate::schema::blocks;
use crate::source::{Span, Spanned};
use crate::syntax::ast::{Block, Ident, Member, StatementKind, Value, ValueKind};

pub fn cluster(cx: &mut Cx<'_>, block: &Block) -> Cluster {
    let (name, mut r) = declaration(cx, block, Kind::Cluster);
    let existing = existing(cx, &mut r, Kind::Cluster);
    if says_existing(&r) {
        let what = format!("cluster `{}`", name.name);
        not_on_existing(cx, &r, ("cluster", &what), "insights");
        not_on_existing(cx, &r, ("cluster", &what), "service_connect");
    }
    let insights = r.flag(cx, "insights", false).value;
    let service_connect = r
        .reference(cx, "service_connect", Kind::Namespace)
        .map(|n| Spanned::new(NamespaceId(n.value), n.span));
    let capacity_blocks = r.blocks("capacity");
    r.finish(cx);
    let what = format!("cluster `{}`", name.name);
    let capacity = capacity(cx, capacity_blocks, &what);
    Cluster {
        name,
        existing,
        capacity,
        providers: Vec::new(),
        insights,
        service_connect,
        span: block.span,
    }
}

/// An instance type's name has the shape `<family>.<size>` (EC2 RunInstances
/// and launch templates reject any other as an unknown type).
fn instance_type_shape(cx: &mut Cx<'_>, key: &str, t: &str, span: crate::source::Span) {
    if let Some(fixed) = crate::instance_types::malformed(t) {
        cx.range_error(
            key,
            span,
            format!("is `{t}`, which is not an EC2 instance type"),
            match fixed {
                Some(f) => format!("did you mean `{key} = \"{f}\"`?"),
                None => "write a type like `\"m6i.large\"`: a family, `.` and a size (`medium`, `large`, `xlarge`, `2xlarge`, …)".into(),
            },
        );
    }
}

pub fn instances(cx: &mut Cx<'_>, block: &Block) -> InstanceGroup {
    let (name, mut r) = declaration(cx, block, Kind::Instances);
    let cluster = r
        .reference(cx, "cluster", Kind::Cluster)
        .map_or(Spanned::new(ClusterId(0), name.span), |c| {
            Spanned::new(ClusterId(c.value), c.span)
        });
    let instance_type = r
        .string(cx, "type")
        .unwrap_or(Spanned::new(String::new(), name.span));
    if !instance_type.value.is_empty() {
        instance_type_shape(cx, "type", &instance_type.value, instance_type.span);
    }
    let arch = r
        .keyword(cx, "arch", ARCHES)
        .unwrap_or(Spanned::new(Arch::X86_64, name.span));
    let ami = r.string(cx, "ami");
    if let Some(a) = &ami {
        if !crate::schema::ec2_style_id(&a.value, "ami-") {
            cx.range_error(
                "ami",
                a.span,
                format!("is `{}`, which is not an AMI id (`ami-` and 8 or 17 hex digits)", a.value),
                "write the AMI's id, e.g. `ami = \"ami-0123456789abcdef0\"`, or leave `ami` out for the latest ECS-optimized AMI".into(),
            );
        }
    }
    let subnets = r
        .references(cx, "subnets", Kind::Subnet)
        .map_or(Spanned::new(Vec::new(), name.span), |s| {
            Spanned::new(s.value.into_iter().map(SubnetId).collect(), s.span)
        });
    let security_groups = r
        .references(cx, "security_groups", Kind::SecurityGroup)
        .map_or(Spanned::new(Vec::new(), name.span), |s| {
            Spanned::new(s.value.into_iter().map(SgId).collect(), s.span)
        });
    let min = r.int(cx, "min").unwrap_or(Spanned::new(0, name.span));
    let max = r.int(cx, "max").unwrap_or(Spanned::new(0, name.span));
    let desired = r
        .int(cx, "desired")
        .unwrap_or(Spanned::new(min.value, min.span));
    let target_capacity = r
        .percent(cx, "target_capacity")
        .unwrap_or(Spanned::new(100, name.span));
    let protect_from_scale_in = r.flag(cx, "protect_from_scale_in", false).value;
    // A stated fact, unknown when not written.
    let trunking_stated = r.key_span("eni_trunking").is_some();
    let trunking = r.flag(cx, "eni_trunking", false);
    let eni_trunking = trunking_stated.then_some(trunking);
    let spot = r.block(cx, "spot").map(|b| {
        let mut s = Reader::new(cx, &blocks::SPOT, "spot".into(), b.kind.span, &b.members);
        let on_demand_base = s.int(cx, "on_demand_base").map_or(0, |v| v.value);
        let on_demand_percent = s.percent(cx, "on_demand_percent").map_or(0, |v| v.value);
        let types = s
            .strings(cx, "types")
            .map(|(types, _, span)| {
                for t in &types {
                    instance_type_shape(cx, "types", t, span);
                }
                types
            })
            .unwrap_or_default();
        s.finish(cx);
        SpotInstances {
            on_demand_base,
            on_demand_percent,
            types,
            span: b.kind.span,
        }
    });
    r.finish(cx);
    if max.value < min.value || !(min.value..=max.value).contains(&desired.value) {
        cx.error(
            Diagnostic::error(
                "E008",
                max.span,
                format!(
                    "instance group `{}` has min {}, max {} and desired {}",
                    name.name, min.value, max.value, desired.value
                ),
            )
            .label("min ≤ desired ≤ max is required")
            .with(min.span, "min")
            .help("raise `max` (or lower `min`/`desired`) so that min ≤ desired ≤ max"),
        );
    }
    InstanceGroup {
        name,
        cluster,
        instance_type,
        arch,
        ami,
        subnets,
        security_groups,
        min,
        max,
        desired,
        target_capacity,
        protect_from_scale_in,
        eni_trunking,
        spot,
        role: None,
        span: block.span,
    }
}

pub fn namespace(cx: &mut Cx<'_>, block: &Block) -> Namespace {
    let (name, mut r) = declaration(cx, block, Kind::Namespace);
    let existing = existing(cx, &mut r, Kind::Namespace);
    let http = r
        .keyword(cx, "type", &[("dns", false), ("http", true)])
        .unwrap_or(Spanned::new(false, name.span));
    let vpc_written = r.key_span("vpc");
    let vpc = r
        .reference(cx, "vpc", Kind::Vpc)
        .map(|v| Spanned::new(VpcId(v.value), v.span));
    r.finish(cx);
    match (http.value, vpc_written) {
        (true, Some(span)) => cx.error(
            Diagnostic::error(
                "E005",
                span,
                format!("namespace `{}` is an HTTP namespace, which has no VPC", name.name),
            )
            .label("an HTTP namespace is not in a VPC")
            .with(http.span, "HTTP namespace")
            .help("remove `vpc`, or remove `type = http` for a private DNS namespace in the VPC"),
        ),
        (false, None) => cx.error(
            Diagnostic::error(
                "E006",
                block.span,
                format!("namespace `{}` has no `vpc`", name.name),
            )
            .label("`vpc` is required here")
            .help("add `vpc = main`: the VPC a private DNS namespace resolves in, or `type = http` for an HTTP namespace (Service Connect only)"),
        ),
        _ => {}
    }
    Namespace {
        name,
        existing,
        http,
        vpc,
        span: block.span,
    }
}

const ARCHES: &[(&str, Arch)] = &[("x86_64", Arch::X86_64), ("arm64", Arch::Arm64)];

const LAUNCH: &[(&str, LaunchType)] = &[("fargate", LaunchType::Fargate), ("ec2", LaunchType::Ec2)];

/// A task; `id` is the id it gets in the model (its `run` block names it).
pub fn task(cx: &mut Cx<'_>, block: &Block, stack: &str, id: TaskId) -> TaskDef {
    let (name, mut r) = declaration(cx, block, Kind::Task);
    let family = r
        .string(cx, "family")
        .map_or_else(|| format!("{stack}-{}", name.name), |f| f.value);
    let cpu = r.int(cx, "cpu");
    let memory = r.mib(cx, "memory");
    let launch = r
        .keyword(cx, "launch", LAUNCH)
        .unwrap_or(Spanned::new(LaunchType::Fargate, name.span));
    let default_mode = Spanned::new(NetworkMode::Awsvpc, name.span);
    let network_mode = r
        .keyword(
            cx,
            "network_mode",
            &[
                ("awsvpc", NetworkMode::Awsvpc),
                ("bridge", NetworkMode::Bridge),
                ("host", NetworkMode::Host),
            ],
        )
        .unwrap_or(default_mode);
    let os = r
        .keyword(cx, "os", &[("linux", Os::Linux), ("windows", Os::Windows)])
        .unwrap_or(Spanned::new(Os::Linux, name.span));
    let arch = r
        .keyword(cx, "arch", ARCHES)
        .unwrap_or(Spanned::new(Arch::X86_64, name.span));
    let ephemeral_storage = r.gib(cx, "ephemeral_storage");
    let log_retention = match r.value(cx, "log_retention") {
        Some(v) => retention(cx, v),
        None => Spanned::new(30, name.span),
    };
    let role = r.block(cx, "role").map(|b| task_role(cx, b, &name.name));
    let given_execution_role = r.block(cx, "execution_role").and_then(|b| {
        let mut e = Reader::new(
            cx,
            &blocks::EXECUTION_ROLE,
            "execution_role".into(),
            b.kind.span,
            &b.members,
        );
        let role = existing_as(cx, &mut e, "role", &crate::schema::existing::ROLE);
        if !says_existing(&e) {
            cx.error(
                Diagnostic::error(
                    "E006",
                    b.kind.span,
                    format!("`execution_role` of task `{}` names no role", name.name),
                )
                .label("`id` or `id_from_ssm` is required here")
                .help("add `id = \"arn:aws:iam::…:role/…\"` or `id = input`, or remove the block to have the role derived"),
            );
        }
        e.finish(cx);
        role
    });
    let volumes: Vec<Volume> = r
        .blocks("volume")
        .into_iter()
        .map(|b| volume(cx, b))
        .collect();
    let container_blocks = r.blocks("container");
    let run_block = r.block(cx, "run");
    r.finish(cx);
    let run = run_block.map(|b| {
        let mut r = Reader::new(cx, &blocks::RUN, "run".into(), b.kind.span, &b.members);
        let cluster = r
            .reference(cx, "cluster", Kind::Cluster)
            .map_or(Spanned::new(ClusterId(0), b.kind.span), |c| {
                Spanned::new(ClusterId(c.value), c.span)
            });
        let platform_version = r.string(cx, "platform_version");
        let network = r.block(cx, "network").map(|n| network(cx, n));
        let capacity_blocks = r.blocks("capacity");
        let rules = r.block(cx, "placement");
        r.finish(cx);
        let capacity = capacity(
            cx,
            capacity_blocks,
            &format!("the run of task `{}`", name.name),
        );
        let rules = rules.map(|b| placement_rules(cx, b));
        Placement {
            cluster,
            capacity,
            launch_written: false,
            rules,
            task: Spanned::new(id, name.span),
            launch: launch.clone(),
            platform_version,
            network,
        }
    });
    if container_blocks.is_empty() {
        cx.error(
            Diagnostic::error(
                "E006",
                name.span,
                format!("task `{}` has no container", name.name),
            )
            .label("a task needs at least one container")
            .help("add `container app { image = \"nginx:1.27\" }`"),
        );
    }
    // Containers are declared before they are lowered, so `depends_on` can
    // name a later one.
    let mut names: Vec<&Ident> = Vec::new();
    for b in &container_blocks {
        match &b.name {
            Some(n) => {
                if let Some(first) = names.iter().find(|f| f.name == n.name) {
                    cx.error(
                        Diagnostic::error(
                            "E004",
                            n.span,
                            format!(
                                "container `{}` is declared twice in task `{}`",
                                n.name, name.name
                            ),
                        )
                        .label("declared again here")
                        .with(first.span, "first declared here")
                        .help("container names are unique within a task; rename one"),
                    );
                }
                names.push(n)
            }
            None => cx.error(
                Diagnostic::error("E006", b.kind.span, "this container has no name")
                    .label("name missing")
                    .help("name it: `container app { ... }`"),
            ),
        }
    }
    let names: Vec<String> = names.iter().map(|n| n.name.clone()).collect();
    let mut containers: Vec<Container> = container_blocks
        .iter()
        .filter(|b| b.name.is_some())
        .map(|b| container(cx, b, &names, &volumes))
        .collect();
    // A container is large and a task holds few: no room kept for more
    // (a filtered list starts with room for four).
    containers.shrink_to_fit();
    TaskDef {
        name,
        family,
        cpu,
        memory,
        launch,
        network_mode,
        os,
        arch,
        ephemeral_storage,
        role,
        given_execution_role,
        volumes,
        containers,
        log_retention,
        execution_role: None,
        task_role: None,
        log_group: None,
        run,
        span: block.span,
    }
}

use crate::schema::blocks::RETENTION_DAYS;

/// A retention CloudWatch Logs offers, in days; anything else is E008 with
/// the nearest offered value (never truncated to 32 bits first).
fn retention(cx: &mut Cx<'_>, v: &Value) -> Spanned<u32> {
    let v = cx.substitute(v).into_owned();
    let v = &v;
    let days = match v.kind {
        ValueKind::Int(n) => Some(n),
        ValueKind::Duration(ms) if ms % 86_400_000 == 0 => Some(ms / 86_400_000),
        _ => None,
    };
    match days.map(|d| (d, offered_days(d))) {
        Some((_, Some(days))) => Spanned::new(days, v.span),
        Some((d, None)) => {
            let nearest = RETENTION_DAYS
                .iter()
                .min_by_key(|r| u64::from(**r).abs_diff(d))
                .copied()
                .unwrap_or(30);
            cx.range_error(
                "log_retention",
                v.span,
                format!("is {d} days, which CloudWatch Logs does not offer"),
                format!("use one of 1, 3, 5, 7, 14, 30, 60, 90, 180, 365 … days; the nearest is {nearest}"),
            );
            Spanned::new(30, v.span)
        }
        None => {
            cx.type_error("log_retention", v, "a number of days", "30");
            Spanned::new(30, v.span)
        }
    }
}

/// `d` when CloudWatch Logs offers a retention of `d` days.
fn offered_days(d: u64) -> Option<u32> {
    u32::try_from(d).ok().filter(|d| RETENTION_DAYS.contains(d))
}

fn task_role(cx: &mut Cx<'_>, b: &Block, task: &str) -> TaskRoleSpec {
    let mut r = Reader::new(cx, &blocks::ROLE, "role".into(), b.kind.span, &b.members);
    let existing = existing_as(cx, &mut r, "role", &crate::schema::existing::ROLE);
    let is_existing = says_existing(&r);
    let what = format!("the role of task `{task}`");
    if is_existing {
        not_on_existing(cx, &r, ("role", &what), "managed");
    }
    let managed_policies = r
        .strings(cx, "managed")
        .map(|(v, _, _)| v)
        .unwrap_or_default();
    let allows = r.statements("allow", |s| match &s.kind {
        StatementKind::Allow { actions, resources } => Some((s.span, actions, resources)),
        _ => None,
    });
    r.finish(cx);
    if is_existing {
        for (span, _, _) in &allows {
            owned_elsewhere(cx, *span, ("role", &what), "permissions", "allow");
        }
    }
    let mut statements = Vec::new();
    for (span, actions, resources) in allows {
        let actions = string_list(cx, "allow", actions);
        let resources = string_list(cx, "on", resources);
        statements.push(Spanned::new(
            PolicyStatement {
                actions,
                resources: resources
                    .into_iter()
                    .map(|r| if r == "*" { Arn::Any } else { Arn::Literal(r) })
                    .collect(),
                condition: None,
            },
            span,
        ));
    }
    TaskRoleSpec {
        existing,
        managed_policies,
        statements,
        span: b.kind.span,
    }
}

/// A string or a list of strings, outside a reader.
fn string_list(cx: &mut Cx<'_>, key: &str, v: &Value) -> Vec<String> {
    match &v.kind {
        ValueKind::Str(parts) => vec![cx.string(parts)],
        ValueKind::List(items) => items
            .iter()
            .filter_map(|i| match &i.kind {
                ValueKind::Str(parts) => Some(cx.string(parts)),
                _ => {
                    cx.type_error(key, i, "a string", "");
                    None
                }
            })
            .collect(),
        _ => {
            cx.type_error(key, v, "a list of strings", "[\"s3:GetObject\"]");
            Vec::new()
        }
    }
}

fn volume(cx: &mut Cx<'_>, b: &Block) -> Volume {
    let name = name_of(b);
    let mut r = Reader::new(
        cx,
        &blocks::VOLUME,
        format!("volume `{}`", name.name),
        name.span,
        &b.members,
    );
    let efs = given_id(cx, &mut r, "efs", "fs-", "an EFS file system").map(|file_system| Efs {
        file_system,
        root: None,
        access_point: None,
        transit_encryption: Spanned::new(true, name.span),
        iam: Spanned::new(false, name.span),
    });
    let root = r.string(cx, "root");
    let access_point = given_id(cx, &mut r, "access_point", "fsap-", "an EFS access point");
    let transit_encryption = r.flag(cx, "transit_encryption", true);
    let iam = r.flag(cx, "iam", false);
    r.finish(cx);
    Volume {
        name,
        efs: efs.map(|e| Efs {
            root,
            access_point,
            transit_encryption,
            iam,
            ..e
        }),
        span: b.span,
    }
}

/// `key = "fs-…"` (`prefix`, then 8 or 17 lowercase hex digits, as EFS
/// ids are) or `key = input`.
fn given_id(
    cx: &mut Cx<'_>,
    r: &mut Reader<'_>,
    key: &'static str,
    prefix: &str,
    what: &str,
) -> Option<Spanned<GivenId>> {
    let v = r.value(cx, key)?;
    if matches!(&v.kind, ValueKind::Ref(id) if id.name == "input") {
        return Some(Spanned::new(GivenId::Input, v.span));
    }
    let v = cx.substitute(v);
    let ValueKind::Str(parts) = &v.kind else {
        cx.type_error(
            key,
            &v,
            &format!("{what} id or `input`"),
            &format!("\"{prefix}0123456789abcdef0\""),
        );
        return None;
    };
    let id = cx.string(parts);
    if !crate::schema::ec2_style_id(&id, prefix) {
        cx.range_error(
            key,
            v.span,
            format!("is `{id}`, which is not {what} id (`{prefix}` and 8 or 17 hex digits)"),
            format!("write the id AWS shows, e.g. `{key} = \"{prefix}0123456789abcdef0\"`, or `{key} = input` to take it at deploy time"),
        );
        return None;
    }
    Some(Spanned::new(GivenId::Literal(id), v.span))
}

/// `placement { strategy = [spread_zone, binpack_memory]  distinct_instance
/// = true  member_of = "…" }`, its expressions checked for syntax.
fn placement_rules(cx: &mut Cx<'_>, b: &Block) -> PlacementRules {
    let mut r = Reader::new(
        cx,
        &blocks::PLACEMENT,
        "placement".into(),
        b.kind.span,
        &b.members,
    );
    let strategies = r
        .keywords(cx, "strategy", &PlacementStrategy::ALL)
        .map(|s| s.value)
        .unwrap_or_default();
    let distinct = r.flag(cx, "distinct_instance", false);
    let distinct_instance = distinct.value.then_some(distinct.span);
    let member_of = r
        .strings(cx, "member_of")
        .map(|(values, _, span)| (values, span));
    r.finish(cx);
    let mut expressions = Vec::new();
    if let Some((values, span)) = member_of {
        for v in values {
            if let Some(problem) = crate::cql::check(&v) {
                cx.range_error(
                    "member_of",
                    span,
                    format!("`{v}` is not a cluster query: {problem}"),
                    "write `SUBJECT OPERATOR VALUE`, e.g. `\"attribute:ecs.instance-type =~ t3.*\"`, joined with `and`/`or`".into(),
                );
                continue;
            }
            expressions.push(Spanned::new(v, span));
        }
    }
    PlacementRules {
        strategies,
        distinct_instance,
        member_of: expressions,
        span: b.kind.span,
    }
}

/// `capacity fargate { base = 1 }  capacity fargate_spot { weight = 3 }`:
/// a capacity provider strategy, one block per provider (`owner` names
/// where it is, for messages).
fn capacity(cx: &mut Cx<'_>, blocks_: Vec<&Block>, owner: &str) -> Vec<StrategyItem> {
    let mut items: Vec<StrategyItem> = Vec::new();
    for b in blocks_ {
        let Some(id) = &b.name else {
            cx.error(
                Diagnostic::error(
                    "E006",
                    b.kind.span,
                    "this `capacity` block names no capacity provider",
                )
                .label("provider missing")
                .help("name the provider: `capacity fargate_spot { weight = 1 }` (or `fargate`, or an `instances` group)"),
            );
            continue;
        };
        let word = Value {
            kind: ValueKind::Ref(id.clone()),
            span: id.span,
        };
        // An instance group's name, else AWS's Fargate providers.
        let provider = match cx.symbols.refer(Kind::Instances, id) {
            Some(sym) => Some(Spanned::new(
                Provider::Instances(InstancesId(sym.index)),
                id.span,
            )),
            None => keyword_value(cx, "capacity", &word, &Provider::FARGATE),
        };
        let mut r = Reader::new(
            cx,
            &blocks::CAPACITY,
            format!("capacity `{}` of {owner}", id.name),
            id.span,
            &b.members,
        );
        let base = r.int_u32(cx, "base").unwrap_or(Spanned::new(0, id.span));
        let weight = r.int_u32(cx, "weight").unwrap_or(Spanned::new(1, id.span));
        r.finish(cx);
        let Some(provider) = provider else { continue };
        if let Some(first) = items.iter().find(|i| i.provider.value == provider.value) {
            cx.error(
                Diagnostic::error(
                    "E004",
                    id.span,
                    format!("{owner} names capacity provider `{}` twice", id.name),
                )
                .label("named again here")
                .with(first.provider.span, "first named here")
                .help("give each provider one `capacity` block: merge their `base` and `weight`"),
            );
            continue;
        }
        items.push(StrategyItem {
            provider,
            base,
            weight,
            span: b.span,
        });
    }
    items
}

const PORT_PROTOCOLS: &[(&str, Protocol)] = &[("tcp", Protocol::Tcp), ("udp", Protocol::Udp)];

fn container(cx: &mut Cx<'_>, b: &Block, names: &[String], volumes: &[Volume]) -> Container {
    let name = name_of(b);
    let mut r = Reader::new(
        cx,
        &blocks::CONTAINER,
        format!("container `{}`", name.name),
        name.span,
        &b.members,
    );
    let written_image = r.string(cx, "image");
    let from_repository = super::ecr::repository_image(cx, &mut r, &name);
    let image = match (written_image, &from_repository) {
        (Some(image), None) => image,
        (None, Some(_)) => Spanned::new(String::new(), name.span),
        (written, from) => {
            super::ecr::one_image_source(cx, &r, &name, written.is_some(), from.is_some());
            Spanned::new(String::new(), name.span)
        }
    };
    let from_repository = from_repository.flatten();
    let image_managed_outside = r.flag(cx, "external_image", false).value;
    let mut ports = Vec::new();
    if let Some(p) = r.int_u32(cx, "port") {
        ports.push(port_mapping(p, None, Vec::new().as_slice(), cx));
    }
    let port_statements = r.statements("port", |s| match &s.kind {
        StatementKind::Port {
            port,
            protocol,
            body,
        } => Some((s.span, port, protocol, body)),
        _ => None,
    });
    let command = r.strings(cx, "command").map(|(items, one, span)| Args {
        items,
        written_as_string: one,
        span,
    });
    let entrypoint = r.strings(cx, "entrypoint").map(|(items, one, span)| Args {
        items,
        written_as_string: one,
        span,
    });
    let env = r
        .string_map(cx, "env")
        .into_iter()
        .map(|(k, v)| {
            (
                Name {
                    name: k.name,
                    span: k.span,
                },
                v,
            )
        })
        .collect();
    let secret_statements = r.statements("secret", |s| match &s.kind {
        StatementKind::Secret {
            name,
            store,
            from,
            key,
        } => Some((s.span, name, store, from, key)),
        _ => None,
    });
    let health = r.block(cx, "health").map(|h| container_health(cx, h));
    let essential = r.flag(cx, "essential", true);
    let cpu = r.int(cx, "cpu");
    let memory = r.mib(cx, "memory");
    let memory_reservation = r.mib(cx, "memory_reservation");
    let deps = r.statements("depends_on", |s| match &s.kind {
        StatementKind::DependsOn {
            container,
            condition,
        } => Some((s.span, container, condition)),
        _ => None,
    });
    let working_dir = r.string(cx, "working_dir").map(|s| s.value);
    let user = r.string(cx, "user");
    let read_only_root = r.flag(cx, "read_only", false);
    let stop_timeout = r.seconds(cx, "stop_timeout");
    let mount_statements = r.statements("mount", |s| match &s.kind {
        StatementKind::Mount {
            volume,
            path,
            read_only,
        } => Some((volume, path, *read_only)),
        _ => None,
    });
    let logging = r.flag(cx, "logging", true).value;
    let privileged = r.bool(cx, "privileged");
    r.finish(cx);

    for (span, port, protocol, body) in port_statements {
        let n = match port.kind {
            ValueKind::Int(n) => Spanned::new(n, port.span),
            _ => continue,
        };
        let Some(n) = cx.in_bounds("port", n, &blocks::PORT).and_then(narrow) else {
            continue;
        };
        let mut m = port_mapping(n, protocol.as_ref(), body, cx);
        m.span = span;
        ports.push(m);
    }
    let mut secrets = Vec::new();
    for (span, sname, store, from, key) in secret_statements {
        let store_value = Value {
            kind: ValueKind::Ref(store.clone()),
            span: store.span,
        };
        let Some(store) = keyword_value(
            cx,
            "secret store",
            &store_value,
            &[
                ("ssm", SecretStore::Ssm),
                ("secretsmanager", SecretStore::SecretsManager),
            ],
        ) else {
            continue;
        };
        let from = match &from.kind {
            ValueKind::Str(parts) => Spanned::new(cx.string(parts), from.span),
            _ => continue,
        };
        let key = key.as_ref().and_then(|k| match &k.kind {
            ValueKind::Str(parts) => Some(Spanned::new(cx.string(parts), k.span)),
            _ => None,
        });
        secrets.push(Secret {
            name: Name {
                name: sname.name.clone(),
                span: sname.span,
            },
            store,
            from,
            key,
            span,
        });
    }
    let mut depends_on = Vec::new();
    for (span, dep, condition) in deps {
        let Some(index) = names.iter().position(|n| *n == dep.name) else {
            let help = match crate::suggest::closest(&dep.name, names.iter().map(String::as_str)) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!(
                    "the task's containers are {}",
                    crate::suggest::one_of(&names.iter().map(String::as_str).collect::<Vec<_>>())
                ),
            };
            cx.error(
                Diagnostic::error(
                    "E002",
                    dep.span,
                    format!("there is no container named `{}` in this task", dep.name),
                )
                .label("unknown container")
                .help(help),
            );
            continue;
        };
        let cond_value = Value {
            kind: ValueKind::Ref(condition.clone()),
            span: condition.span,
        };
        let Some(condition) = keyword_value(
            cx,
            "condition",
            &cond_value,
            &[
                ("start", DependencyCondition::Start),
                ("complete", DependencyCondition::Complete),
                ("success", DependencyCondition::Success),
                ("healthy", DependencyCondition::Healthy),
            ],
        ) else {
            continue;
        };
        depends_on.push(ContainerDependency {
            container: Spanned::new(index, dep.span),
            condition: condition.value,
            span,
        });
    }
    let mut mounts = Vec::new();
    for (vol, path, read_only) in mount_statements {
        let Some(index) = volumes.iter().position(|v| v.name.name == vol.name) else {
            let declared: Vec<&str> = volumes.iter().map(|v| v.name.name.as_str()).collect();
            let help = match crate::suggest::closest(&vol.name, declared.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!(
                    "declare it in the task: `volume {} {{ efs = \"fs-0123456789abcdef0\" }}`",
                    vol.name
                ),
            };
            cx.error(
                Diagnostic::error(
                    "E002",
                    vol.span,
                    format!("there is no volume named `{}` in this task", vol.name),
                )
                .label("unknown volume")
                .help(help),
            );
            continue;
        };
        let path = match &path.kind {
            ValueKind::Str(parts) => cx.string(parts),
            _ => continue,
        };
        mounts.push(MountPoint {
            volume: Spanned::new(index, vol.span),
            path,
            read_only,
        });
    }
    Container {
        name,
        image,
        from_repository,
        image_managed_outside,
        ports,
        command,
        entrypoint,
        env,
        secrets,
        health,
        essential,
        cpu,
        memory,
        memory_reservation,
        depends_on,
        working_dir,
        user,
        read_only_root,
        stop_timeout,
        mounts,
        logging,
        privileged,
        span: b.span,
    }
}

/// A port mapping for a container port already checked to be 1–65535.
fn port_mapping(
    port: Spanned<u32>,
    protocol: Option<&Ident>,
    body: &[Member],
    cx: &mut Cx<'_>,
) -> PortMapping {
    let span = port.span;
    let protocol = match protocol {
        Some(p) => keyword_value(
            cx,
            "protocol",
            &Value {
                kind: ValueKind::Ref(p.clone()),
                span: p.span,
            },
            PORT_PROTOCOLS,
        )
        .unwrap_or(Spanned::new(Protocol::Tcp, p.span)),
        None => Spanned::new(Protocol::Tcp, span),
    };
    let mut r = Reader::new(
        cx,
        &blocks::PORT_BODY,
        format!("port {}", port.value),
        span,
        body,
    );
    let name = r.string(cx, "name");
    let host_port = r.int_u32(cx, "host_port");
    let app_protocol = r
        .keyword(
            cx,
            "app_protocol",
            &[("http", "http"), ("http2", "http2"), ("grpc", "grpc")],
        )
        .map(|a| a.value.to_string());
    r.finish(cx);
    PortMapping {
        container_port: port,
        host_port,
        protocol,
        name,
        app_protocol,
        span,
    }
}

fn container_health(cx: &mut Cx<'_>, b: &Block) -> ContainerHealth {
    let mut r = Reader::new(
        cx,
        &blocks::CONTAINER_HEALTH,
        "health".into(),
        b.kind.span,
        &b.members,
    );
    let command = match r.strings(cx, "command") {
        Some((items, true, span)) => Spanned::new(
            std::iter::once("CMD-SHELL".to_string())
                .chain(items)
                .collect(),
            span,
        ),
        Some((items, false, span)) => {
            if matches!(items.first().map(String::as_str), Some("CMD" | "CMD-SHELL")) {
                Spanned::new(items, span)
            } else {
                Spanned::new(
                    std::iter::once("CMD".to_string()).chain(items).collect(),
                    span,
                )
            }
        }
        None => {
            cx.error(
                Diagnostic::error("E006", b.kind.span, "the health check has no `command`")
                    .label("`command` is required here")
                    .help("add `command = \"curl -f http://localhost:8080/ || exit 1\"`"),
            );
            Spanned::new(Vec::new(), b.kind.span)
        }
    };
    let interval = r.seconds(cx, "interval");
    let timeout = r.seconds(cx, "timeout");
    let retries = r.int(cx, "retries");
    let start_period = r.seconds(cx, "start_period");
    r.finish(cx);
    ContainerHealth {
        command,
        interval,
        timeout,
        retries,
        start_period,
        span: b.kind.span,
    }
}

fn network(cx: &mut Cx<'_>, b: &Block) -> NetworkConfig {
    let mut r = Reader::new(
        cx,
        &blocks::NETWORK,
        "network".into(),
        b.kind.span,
        &b.members,
    );
    let subnets = r
        .references(cx, "subnets", Kind::Subnet)
        .map(|s| Spanned::new(s.value.into_iter().map(SubnetId).collect(), s.span));
    if subnets.is_none() && r.key_span("subnets").is_none() {
        cx.error(
            Diagnostic::error("E006", b.kind.span, "the network has no `subnets`")
                .label("`subnets` is required here")
                .help("add `subnets = [private_a, private_b]`"),
        );
    }
    let security_groups = r
        .references(cx, "security_groups", Kind::SecurityGroup)
        .map(|s| Spanned::new(s.value.into_iter().map(SgId).collect(), s.span))
        .unwrap_or_else(|| Spanned::new(Vec::new(), b.kind.span));
    let public_ip = r.flag(cx, "public_ip", false);
    r.finish(cx);
    NetworkConfig {
        subnets: subnets.unwrap_or_else(|| Spanned::new(Vec::new(), b.kind.span)),
        security_groups,
        public_ip,
        span: b.kind.span,
    }
}

pub fn service(cx: &mut Cx<'_>, block: &Block, model: &Model) -> Service {
    let (name, mut r) = declaration(cx, block, Kind::Service);
    let cluster = r
        .reference(cx, "cluster", Kind::Cluster)
        .map_or(Spanned::new(ClusterId(0), name.span), |c| {
            Spanned::new(ClusterId(c.value), c.span)
        });
    let task_ref = r.reference(cx, "task", Kind::Task);
    let task = task_ref
        .as_ref()
        .map_or(Spanned::new(TaskId(0), name.span), |t| {
            Spanned::new(TaskId(t.value), t.span)
        });
    let task_def = task_ref.as_ref().and_then(|t| model.tasks.get(t.value));
    let desired = r.int(cx, "count").unwrap_or(Spanned::new(1, name.span));
    let daemon = r
        .keyword(cx, "scheduling", &[("replica", false), ("daemon", true)])
        .filter(|d| d.value)
        .map(|d| d.span);
    let launch = r.keyword(cx, "launch", LAUNCH).unwrap_or_else(|| {
        Spanned::new(
            task_def.map_or(LaunchType::Fargate, |t| t.launch.value),
            name.span,
        )
    });
    let platform_version = r.string(cx, "platform_version");
    let network = r.block(cx, "network").map(|b| network(cx, b));
    let route_statements = r.statements("route", |s| match &s.kind {
        StatementKind::Route {
            load_balancer,
            port,
            body,
        } => Some((s.span, load_balancer, port, body)),
        _ => None,
    });
    let deployment = match r.block(cx, "deployment") {
        Some(b) => deployment(cx, b),
        None => Deployment {
            min_healthy: None,
            max_percent: None,
            circuit_breaker: CircuitBreaker::Rollback,
            alarms: Vec::new(),
            span: name.span,
        },
    };
    let discovery = r
        .block(cx, "discovery")
        .and_then(|b| discovery(cx, b, &name.name));
    let connect = r
        .block(cx, "connect")
        .and_then(|b| connect(cx, b, model, &cluster, task_def));
    let grace_period = r.seconds(cx, "grace_period");
    let exec = r.flag(cx, "exec", false);
    let autoscale = r.block(cx, "autoscale").map(|b| autoscale(cx, b));
    let scale_blocks = r.blocks("scale");
    let alarm_blocks = r.blocks("alarm");
    let capacity_blocks = r.blocks("capacity");
    let rules = r.block(cx, "placement");
    let launch_span = r.key_span("launch");
    r.finish(cx);
    let rules = rules.map(|b| placement_rules(cx, b));
    let capacity = capacity(cx, capacity_blocks, &format!("service `{}`", name.name));
    if let (Some(launch_span), Some(first)) = (launch_span, capacity.first()) {
        cx.error(
            Diagnostic::error(
                "E009",
                launch_span,
                format!("service `{}` takes `launch` or `capacity`, not both", name.name),
            )
            .label("a launch type")
            .with(first.provider.span, "a capacity provider strategy")
            .help("keep the `capacity` blocks (the providers decide where tasks run), or remove them and keep `launch`"),
        );
    }
    let scale: Vec<ScaleSchedule> = scale_blocks
        .into_iter()
        .filter_map(|b| scale_schedule(cx, b))
        .collect();
    let scale = distinct(
        cx,
        &name.name,
        scale,
        |s| &s.name,
        ("scaling schedules", "scale"),
    );
    let alarms: Vec<Alarm> = alarm_blocks
        .into_iter()
        .filter_map(|b| alarm(cx, b))
        .collect();
    let alarms = distinct(cx, &name.name, alarms, |a| &a.name, ("alarms", "alarm"));
    let mut routes: Vec<Route> = Vec::new();
    for (span, lb, port, body) in route_statements {
        let Some(r) = route(cx, model, task_def, span, lb, port, body) else {
            continue;
        };
        if let Some(first) = routes.iter().find(|f| f.listener == r.listener) {
            cx.error(
                Diagnostic::error(
                    "E009",
                    r.target_span,
                    format!("service `{}` routes from `{}:{}` twice", name.name, lb.name, model[r.listener].port.value),
                )
                .label("second route from this listener")
                .with(first.target_span, "first route")
                .help("one route per listener: list several paths or hosts in it, e.g. `path = [\"/a/*\", \"/b/*\"]`"),
            );
            continue;
        }
        routes.push(r);
    }
    // A route is large and a service has few: no room kept for more.
    routes.shrink_to_fit();
    Service {
        name,
        placement: Placement {
            cluster,
            capacity,
            launch_written: launch_span.is_some(),
            rules,
            task,
            launch,
            platform_version,
            network,
        },
        desired,
        daemon,
        routes,
        deployment,
        discovery,
        connect,
        grace_period,
        exec,
        autoscale,
        scale,
        alarms,
        span: block.span,
    }
}

const STATISTICS: &[(&str, &str)] = &[
    ("average", "Average"),
    ("sum", "Sum"),
    ("minimum", "Minimum"),
    ("maximum", "Maximum"),
    ("sample_count", "SampleCount"),
];

/// A metric value: a number, a decimal, a percentage or a duration (in
/// seconds).
fn threshold(cx: &mut Cx<'_>, key: &str, v: &Value) -> Option<Spanned<Threshold>> {
    let v = cx.substitute(v);
    let whole = |n: u64| u32::try_from(n).ok().map(f64::from);
    let (value, unit) = match &v.kind {
        ValueKind::Int(n) => (whole(*n), Unit::Number),
        ValueKind::Float(f) => (Some(*f), Unit::Number),
        ValueKind::Percent(p) => (whole(*p), Unit::Percent),
        ValueKind::Duration(ms) => (whole(*ms).map(|ms| ms / 1000.0), Unit::Seconds),
        _ => {
            cx.type_error(key, &v, "a number, a percentage or a duration", "100");
            return None;
        }
    };
    match value {
        Some(value) if value.is_finite() => Some(Spanned::new(Threshold { value, unit }, v.span)),
        _ => {
            cx.range_error(
                key,
                v.span,
                "is too large for a metric value".into(),
                format!("use a value up to {}", u32::MAX),
            );
            None
        }
    }
}

/// A bare alarm name, or a list of them.
fn alarm_names(cx: &mut Cx<'_>, key: &str, v: &Value) -> Vec<Spanned<String>> {
    let v = cx.substitute(v);
    let items: Vec<&Value> = match &v.kind {
        ValueKind::List(items) => items.iter().collect(),
        _ => vec![&v],
    };
    let mut names = Vec::new();
    for item in items {
        match &item.kind {
            ValueKind::Ref(id) => names.push(Spanned::new(id.name.clone(), id.span)),
            _ => cx.type_error(key, item, "an alarm name", "high_5xx"),
        }
    }
    names
}

/// A metric's namespace, name and dimensions, as written.
type MetricParts = (
    Option<Spanned<String>>,
    Option<Spanned<String>>,
    Vec<(String, Spanned<String>)>,
);

/// `namespace`, `metric_name` and `dimensions` of any CloudWatch metric.
fn custom_metric(r: &mut Reader<'_>, cx: &mut Cx<'_>) -> MetricParts {
    let namespace = r.string(cx, "namespace");
    let name = r.string(cx, "metric_name");
    let dimensions = r
        .string_map(cx, "dimensions")
        .into_iter()
        .map(|(k, v)| (k.name, v))
        .collect();
    (namespace, name, dimensions)
}

/// `alarm NAME { metric | namespace metric_name dimensions  above … }`
fn alarm(cx: &mut Cx<'_>, b: &Block) -> Option<Alarm> {
    let (name, mut r) = named(
        cx,
        b,
        &blocks::ALARM,
        "alarm",
        "alarm high_cpu { metric = cpu  above = 80% }",
    )?;
    let metrics = [
        ("cpu", ServiceMetric::Cpu),
        ("memory", ServiceMetric::Memory),
        ("http_5xx", ServiceMetric::Http5xx),
        ("target_5xx", ServiceMetric::Target5xx),
        ("unhealthy_hosts", ServiceMetric::UnhealthyHosts),
        ("response_time", ServiceMetric::ResponseTime),
        ("requests", ServiceMetric::Requests),
    ];
    let metric = r.keyword(cx, "metric", &metrics);
    let (namespace, metric_name, dimensions) = custom_metric(&mut r, cx);
    let statistic = r.keyword(cx, "statistic", STATISTICS);
    let mut comparisons = Vec::new();
    for (key, c) in [
        ("above", Comparison::Above),
        ("below", Comparison::Below),
        ("at_least", Comparison::AtLeast),
        ("at_most", Comparison::AtMost),
    ] {
        if let Some(v) = r.value(cx, key) {
            comparisons.push((key, c, threshold(cx, key, v), v.span));
        }
    }
    let period = r.seconds(cx, "period");
    let duration = r.seconds(cx, "for");
    let treat_missing = r
        .keyword(
            cx,
            "treat_missing",
            &[
                ("missing", "missing"),
                ("ignore", "ignore"),
                ("breaching", "breaching"),
                ("not_breaching", "notBreaching"),
            ],
        )
        .map(|t| t.value);
    let notify = r
        .strings(cx, "notify")
        .map(|(items, _, span)| items.into_iter().map(|n| Spanned::new(n, span)).collect())
        .unwrap_or_default();
    let custom_span = r.key_span("namespace").or(r.key_span("metric_name"));
    r.finish(cx);
    let metric = match (metric, namespace, metric_name) {
        (Some(m), None, None) => Spanned::new(AlarmMetric::Service(m.value), m.span),
        (None, Some(namespace), Some(name)) => {
            let span = namespace.span.to(name.span);
            Spanned::new(
                AlarmMetric::Custom(CustomMetric {
                    namespace,
                    name,
                    dimensions,
                }),
                span,
            )
        }
        (Some(m), _, _) => {
            cx.error(
                Diagnostic::error(
                    "E009",
                    m.span,
                    format!("alarm `{}` names a metric twice", name.name),
                )
                .label("a metric of the service")
                .with(custom_span.unwrap_or(m.span), "any CloudWatch metric")
                .help("keep `metric = …`, or remove it and keep `namespace` and `metric_name`"),
            );
            return None;
        }
        (None, namespace, _) => {
            let missing = if namespace.is_some() {
                "metric_name"
            } else {
                "namespace"
            };
            let help = match custom_span {
                Some(_) if missing == "metric_name" => "add `metric_name = \"ApproximateNumberOfMessagesVisible\"` (with its `namespace`)".to_string(),
                Some(_) => "add `namespace = \"AWS/SQS\"` (the metric's namespace)".to_string(),
                None => "add `metric = cpu` (or `memory`, `http_5xx`, `target_5xx`, `unhealthy_hosts`, `response_time`, `requests`), or `namespace` and `metric_name` for any CloudWatch metric".to_string(),
            };
            cx.error(
                Diagnostic::error(
                    "E006",
                    custom_span.unwrap_or(name.span),
                    format!(
                        "alarm `{}` has no `{}`",
                        name.name,
                        if custom_span.is_some() {
                            missing
                        } else {
                            "metric"
                        }
                    ),
                )
                .label("which metric does it watch?")
                .help(help),
            );
            return None;
        }
    };
    let (comparison, threshold) = match comparisons.as_slice() {
        [(_, c, Some(t), _)] => (*c, t.clone()),
        [(_, _, None, _)] => return None,
        [] => {
            cx.error(
                Diagnostic::error(
                    "E006",
                    name.span,
                    format!("alarm `{}` has no threshold", name.name),
                )
                .label("when should it fire?")
                .help("add `above = 80%` (or `below`, `at_least`, `at_most`) with the value that fires it"),
            );
            return None;
        }
        [(first, _, _, first_span), (second, _, _, span), ..] => {
            cx.error(
                Diagnostic::error(
                    "E009",
                    *span,
                    format!(
                        "alarm `{}` has two thresholds, `{first}` and `{second}`",
                        name.name
                    ),
                )
                .label("second threshold")
                .with(*first_span, "first threshold")
                .help("keep one; for a band, declare a second alarm"),
            );
            return None;
        }
    };
    Some(Alarm {
        period: period.unwrap_or(Spanned::new(60, name.span)),
        name,
        metric,
        statistic,
        comparison,
        threshold,
        duration,
        treat_missing,
        notify,
        span: b.span,
    })
}

/// `step { alarm = NAME  add = N | remove = N  from  to  cooldown }`
fn step(cx: &mut Cx<'_>, b: &Block) -> Option<Step> {
    let mut r = Reader::new(
        cx,
        &blocks::STEP,
        "the scaling step".into(),
        b.kind.span,
        &b.members,
    );
    let alarm = r.value(cx, "alarm").map(|v| alarm_names(cx, "alarm", v));
    let add = r.int(cx, "add");
    let remove = r.int(cx, "remove");
    let from = r.value(cx, "from").and_then(|v| threshold(cx, "from", v));
    let to = r.value(cx, "to").and_then(|v| threshold(cx, "to", v));
    let cooldown = r.seconds(cx, "cooldown");
    r.finish(cx);
    let alarm = match alarm.as_deref() {
        Some([one]) => one.clone(),
        Some([]) | None => return None,
        Some([_, second, ..]) => {
            cx.error(
                Diagnostic::error(
                    "E007",
                    second.span,
                    "a scaling step is triggered by one alarm",
                )
                .label("second alarm")
                .help("write one step block per alarm"),
            );
            return None;
        }
    };
    let signed = |n: Spanned<u64>, sign: i64| {
        i64::try_from(n.value)
            .ok()
            .map(|v| Spanned::new(v * sign, n.span))
    };
    let change = match (add, remove) {
        (Some(a), None) => signed(a, 1)?,
        (None, Some(r)) => signed(r, -1)?,
        (Some(a), Some(r)) => {
            cx.error(
                Diagnostic::error(
                    "E009",
                    r.span,
                    "a scaling step either adds or removes tasks",
                )
                .label("`remove`")
                .with(a.span, "`add`")
                .help("keep one of them; a second `step` on another alarm does the other"),
            );
            return None;
        }
        (None, None) => {
            cx.error(
                Diagnostic::error(
                    "E006",
                    b.kind.span,
                    "the scaling step has no `add` or `remove`",
                )
                .label("how many tasks?")
                .help("add `add = 1` (or `remove = 1`)"),
            );
            return None;
        }
    };
    Some(Step {
        alarm,
        change,
        from,
        to,
        cooldown,
        span: b.span,
    })
}

/// `track { namespace metric_name dimensions statistic target }`
fn track(cx: &mut Cx<'_>, b: &Block) -> Option<Track> {
    let mut r = Reader::new(
        cx,
        &blocks::TRACK,
        "the tracked metric".into(),
        b.kind.span,
        &b.members,
    );
    let (namespace, name, dimensions) = custom_metric(&mut r, cx);
    let statistic = r
        .keyword(cx, "statistic", STATISTICS)
        .map_or("Average", |s| s.value);
    let target = r
        .value(cx, "target")
        .and_then(|v| threshold(cx, "target", v));
    r.finish(cx);
    Some(Track {
        metric: CustomMetric {
            namespace: namespace?,
            name: name?,
            dimensions,
        },
        statistic,
        target: target?,
        span: b.span,
    })
}

/// A block that must be named (`alarm NAME { }`): its name and reader, or
/// E006 with an example.
fn named<'b>(
    cx: &mut Cx<'_>,
    b: &'b Block,
    schema: &'static crate::schema::Block,
    noun: &str,
    example: &str,
) -> Option<(Name, Reader<'b>)> {
    let Some(id) = &b.name else {
        cx.error(
            Diagnostic::error("E006", b.kind.span, format!("this {noun} has no name"))
                .label("name missing")
                .help(format!("name it: `{example}`")),
        );
        return None;
    };
    let name = Name {
        name: id.name.clone(),
        span: id.span,
    };
    let r = Reader::new(
        cx,
        schema,
        format!("{noun} `{}`", name.name),
        name.span,
        &b.members,
    );
    Some((name, r))
}

/// Named blocks of a service, the first of each name: a second is E004.
fn distinct<T>(
    cx: &mut Cx<'_>,
    service: &str,
    items: Vec<T>,
    name: fn(&T) -> &Name,
    (plural, keyword): (&str, &str),
) -> Vec<T> {
    let mut kept: Vec<T> = Vec::new();
    for item in items {
        let n = name(&item);
        if let Some(first) = kept.iter().map(name).find(|f| f.name == n.name) {
            cx.error(
                Diagnostic::error(
                    "E004",
                    n.span,
                    format!("service `{service}` has two {plural} named `{}`", n.name),
                )
                .label("declared again here")
                .with(first.span, "first declared here")
                .help(format!(
                    "give each `{keyword}` block of a service its own name"
                )),
            );
            continue;
        }
        kept.push(item);
    }
    kept
}

/// `scale NAME { cron = "..." | at = "..."  timezone = "..."  min = N  max = N }`
fn scale_schedule(cx: &mut Cx<'_>, b: &Block) -> Option<ScaleSchedule> {
    let (name, mut r) = named(
        cx,
        b,
        &blocks::SCALE,
        "scaling schedule",
        "scale night { cron = \"0 20 ? * MON-FRI *\"  min = 0  max = 0 }",
    )?;
    let cron = r.string(cx, "cron");
    let at = r.string(cx, "at");
    let timezone = r.string(cx, "timezone");
    if let Some(z) = &timezone {
        if !crate::time_zones::is_time_zone(&z.value) {
            let help = match crate::suggest::closest(&z.value, crate::time_zones::NAMES.iter().copied()) {
                Some(near) => format!("did you mean `timezone = \"{near}\"`?"),
                None => "write an IANA time zone name such as \"Europe/Berlin\", \"America/New_York\" or \"UTC\"".into(),
            };
            cx.range_error(
                "timezone",
                z.span,
                format!("is `{}`, which is not an IANA time zone name", z.value),
                help,
            );
        }
    }
    let min = r.int(cx, "min");
    let max = r.int(cx, "max");
    r.finish(cx);
    let expression = match (cron, at) {
        (Some(c), None) => Spanned::new(format!("cron({})", c.value), c.span),
        (None, Some(a)) => Spanned::new(format!("at({})", a.value), a.span),
        (Some(c), Some(a)) => {
            cx.error(
                Diagnostic::error(
                    "E009",
                    a.span,
                    "a scaling schedule has either `cron` or `at`, not both",
                )
                .label("second schedule expression")
                .with(c.span, "`cron` set here")
                .help("remove one of them"),
            );
            return None;
        }
        (None, None) => {
            cx.error(
                Diagnostic::error(
                    "E006",
                    name.span,
                    format!("scaling schedule `{}` has no `cron` or `at`", name.name),
                )
                .label("when should it apply?")
                .help("add `cron = \"0 20 ? * MON-FRI *\"` (six fields), or `at = \"2026-12-24T18:00:00\"` for once"),
            );
            return None;
        }
    };
    Some(ScaleSchedule {
        name,
        expression,
        timezone,
        min: min?,
        max: max?,
        span: b.span,
    })
}

fn deployment(cx: &mut Cx<'_>, b: &Block) -> Deployment {
    let mut r = Reader::new(
        cx,
        &blocks::DEPLOYMENT,
        "deployment".into(),
        b.kind.span,
        &b.members,
    );
    let min_healthy = r.percent(cx, "min_healthy");
    let max_percent = r.percent(cx, "max");
    let circuit_breaker = r
        .keyword(
            cx,
            "circuit_breaker",
            &[
                ("rollback", CircuitBreaker::Rollback),
                ("on", CircuitBreaker::On),
                ("off", CircuitBreaker::Off),
            ],
        )
        .map_or(CircuitBreaker::Rollback, |c| c.value);
    let alarms = r
        .value(cx, "alarms")
        .map(|v| alarm_names(cx, "alarms", v))
        .unwrap_or_default();
    r.finish(cx);
    Deployment {
        min_healthy,
        max_percent,
        circuit_breaker,
        alarms,
        span: b.kind.span,
    }
}

fn discovery(cx: &mut Cx<'_>, b: &Block, service: &str) -> Option<Discovery> {
    let mut r = Reader::new(
        cx,
        &blocks::DISCOVERY,
        "discovery".into(),
        b.kind.span,
        &b.members,
    );
    let namespace = r.reference(cx, "namespace", Kind::Namespace);
    let name = r
        .string(cx, "name")
        .unwrap_or_else(|| Spanned::new(service.to_string(), b.kind.span));
    r.finish(cx);
    Some(Discovery {
        namespace: namespace.map(|n| Spanned::new(NamespaceId(n.value), n.span))?,
        name,
        span: b.kind.span,
    })
}

/// `connect { … }`; `None` when it names no namespace and the cluster has
/// no default (reported).
fn connect(
    cx: &mut Cx<'_>,
    b: &Block,
    model: &Model,
    cluster: &Spanned<ClusterId>,
    task: Option<&TaskDef>,
) -> Option<Connect> {
    let mut r = Reader::new(
        cx,
        &blocks::CONNECT,
        "connect".into(),
        b.kind.span,
        &b.members,
    );
    let written = r
        .reference(cx, "namespace", Kind::Namespace)
        .map(|n| Spanned::new(NamespaceId(n.value), n.span));
    let calls = r
        .value(cx, "calls")
        .map(|v| spanned_strings(cx, "calls", v))
        .unwrap_or_default();
    let logs = r.flag(cx, "logs", false).value;
    let serve_blocks = r.blocks("serve");
    let namespace_key = r.key_span("namespace");
    r.finish(cx);
    let mut serves: Vec<Serve> = Vec::new();
    for sb in serve_blocks {
        let Some(s) = serve(cx, sb, task) else {
            continue;
        };
        if let Some(first) = serves.iter().find(|f| f.port_name.name == s.port_name.name) {
            cx.error(
                Diagnostic::error(
                    "E004",
                    s.port_name.span,
                    format!("port `{}` is served twice", s.port_name.name),
                )
                .label("served again here")
                .with(first.port_name.span, "first served here")
                .help("serve each named port once"),
            );
            continue;
        }
        serves.push(s);
    }
    let default = model
        .clusters
        .get(cluster.value.0)
        .and_then(|c| c.service_connect.clone());
    let namespace = match (written, default) {
        (Some(n), _) => n,
        (None, Some(d)) => Spanned::new(d.value, b.kind.span),
        (None, None) => {
            if namespace_key.is_none() {
                let cluster_name = model
                    .clusters
                    .get(cluster.value.0)
                    .map_or("", |c| c.name.name.as_str());
                cx.error(
                    Diagnostic::error("E006", b.kind.span, "`connect` has no `namespace`")
                        .label("`namespace` is required here")
                        .with(cluster.span, format!("cluster `{cluster_name}` sets no `service_connect` default"))
                        .help("add `namespace = <namespace name>`, or set `service_connect = <namespace name>` on the cluster"),
                );
            }
            return None;
        }
    };
    Some(Connect {
        namespace,
        namespace_written: namespace_key.is_some(),
        calls,
        logs,
        serves,
        span: b.kind.span,
    })
}

/// A list of strings (or one string), each with its own span.
fn spanned_strings(cx: &mut Cx<'_>, key: &str, v: &Value) -> Vec<Spanned<String>> {
    let v = cx.substitute(v);
    let items: Vec<&Value> = match &v.kind {
        ValueKind::List(items) => items.iter().collect(),
        _ => vec![v.as_ref()],
    };
    let mut out = Vec::new();
    for item in items {
        match &item.kind {
            ValueKind::Str(parts) => out.push(Spanned::new(cx.string(parts), item.span)),
            _ => cx.type_error(key, item, "a list of strings", "[\"orders\"]"),
        }
    }
    out
}

/// `serve PORT_NAME { … }`; names are checked to be what Cloud Map and
/// ECS take.
fn serve(cx: &mut Cx<'_>, b: &Block, task: Option<&TaskDef>) -> Option<Serve> {
    let Some(id) = &b.name else {
        cx.error(
            Diagnostic::error("E006", b.kind.span, "`serve` names no port")
                .label("port name missing")
                .help("name the port mapping it serves: `serve http { }` for `port 8080 { name = \"http\" }`"),
        );
        return None;
    };
    let port_name = Name {
        name: id.name.clone(),
        span: id.span,
    };
    let what = format!("serve {}", port_name.name);
    let mut r = Reader::new(cx, &blocks::SERVE, what, b.kind.span, &b.members);
    let discovery = r
        .string(cx, "discovery")
        .unwrap_or_else(|| Spanned::new(port_name.name.clone(), port_name.span));
    let alias = r.string(cx, "alias").unwrap_or_else(|| discovery.clone());
    let written_port = r.int_u32(cx, "port");
    let idle_timeout = r.seconds(cx, "idle_timeout");
    let per_request_timeout = r.seconds(cx, "per_request_timeout");
    r.finish(cx);
    if let Some(problem) = connect_name_problem(&discovery.value, false) {
        cx.range_error(
            "discovery",
            discovery.span,
            format!("is \"{}\", which {problem}", discovery.value),
            format!(
                "write `discovery = \"{}\"`: 1–64 lowercase letters, digits, `_` and `-`, not starting with `-`",
                dns_like(&discovery.value, false)
            ),
        );
    }
    if let Some(problem) = connect_name_problem(&alias.value, true) {
        cx.range_error(
            "alias",
            alias.span,
            format!("is \"{}\", which {problem}", alias.value),
            format!(
                "write `alias = \"{}\"`: up to 127 lowercase letters, digits, `_`, `-` and `.`, not starting with `-`",
                dns_like(&alias.value, true)
            ),
        );
    }
    let port = written_port.or_else(|| {
        task.and_then(|t| t.named_port(&port_name.name))
            .map(|(_, p)| Spanned::new(p.container_port.value, port_name.span))
    });
    Some(Serve {
        port_name,
        discovery,
        alias,
        port,
        idle_timeout,
        per_request_timeout,
        span: b.kind.span,
    })
}

/// What is wrong with a Service Connect name: a discovery name (`dots`
/// false) or a client alias (`dots` true).
fn connect_name_problem(name: &str, dots: bool) -> Option<&'static str> {
    let max = if dots { 127 } else { 64 };
    let allowed = |c: char| {
        c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-' || (dots && c == '.')
    };
    if name.is_empty() {
        Some("is empty")
    } else if name.len() > max {
        Some(if dots {
            "is longer than 127 characters"
        } else {
            "is longer than 64 characters"
        })
    } else if name.starts_with('-') {
        Some("starts with `-`")
    } else if !name.chars().all(allowed) {
        Some(if dots {
            "has characters other than lowercase letters, digits, `_`, `-` and `.`"
        } else {
            "has characters other than lowercase letters, digits, `_` and `-`"
        })
    } else {
        None
    }
}

/// A name with what Service Connect refuses replaced, for help texts.
fn dns_like(name: &str, dots: bool) -> String {
    let mapped: String = name
        .to_ascii_lowercase()
        .chars()
        .map(|c| match c {
            'a'..='z' | '0'..='9' | '_' | '-' => c,
            '.' if dots => c,
            _ => '-',
        })
        .collect();
    let trimmed = mapped.trim_start_matches('-');
    let max = if dots { 127 } else { 64 };
    let out: String = trimmed.chars().take(max).collect();
    if out.is_empty() {
        "app".into()
    } else {
        out
    }
}

fn autoscale(cx: &mut Cx<'_>, b: &Block) -> AutoScale {
    let mut r = Reader::new(
        cx,
        &blocks::AUTOSCALE,
        "autoscale".into(),
        b.kind.span,
        &b.members,
    );
    let min = r.int(cx, "min").unwrap_or(Spanned::new(1, b.kind.span));
    let max = r.int(cx, "max");
    if max.is_none() && r.key_span("max").is_none() {
        cx.error(
            Diagnostic::error("E006", b.kind.span, "auto scaling has no `max`")
                .label("`max` is required here")
                .help("add `max = 10`: the most tasks auto scaling may run"),
        );
    }
    let cpu = r.percent(cx, "cpu");
    let memory = r.percent(cx, "memory");
    let requests = r.int(cx, "requests");
    let scale_in_cooldown = r.seconds(cx, "scale_in_cooldown").map(|s| s.value);
    let scale_out_cooldown = r.seconds(cx, "scale_out_cooldown").map(|s| s.value);
    let step_blocks = r.blocks("step");
    let track_blocks = r.blocks("track");
    if cpu.is_none()
        && memory.is_none()
        && requests.is_none()
        && step_blocks.is_empty()
        && track_blocks.is_empty()
    {
        cx.error(
            Diagnostic::error("E006", b.kind.span, "auto scaling has no target to track")
                .label("no `cpu`, `memory`, `requests`, `track` or `step`")
                .help("add a target, e.g. `cpu = 60%`, `memory = 70%` or `requests = 1000` (per target per minute)"),
        );
    }
    r.finish(cx);
    let steps = step_blocks
        .into_iter()
        .filter_map(|b| step(cx, b))
        .collect();
    let track = track_blocks
        .into_iter()
        .filter_map(|b| track(cx, b))
        .collect();
    AutoScale {
        min,
        max: max.unwrap_or(Spanned::new(1, b.kind.span)),
        cpu,
        memory,
        requests,
        scale_in_cooldown,
        scale_out_cooldown,
        steps,
        track,
        span: b.kind.span,
    }
}

fn route(
    cx: &mut Cx<'_>,
    model: &Model,
    task: Option<&TaskDef>,
    span: Span,
    lb: &Ident,
    port: &Value,
    body: &[Member],
) -> Option<Route> {
    let lb_id = cx
        .symbols
        .resolve(lb, &[Kind::LoadBalancer], cx.diags)
        .map(|(_, i)| LbId(i));
    // An out-of-range port is reported here; the body is still read.
    let checked_port = match port.kind {
        ValueKind::Int(n) => cx
            .in_bounds("route port", Spanned::new(n, port.span), &blocks::PORT)
            .and_then(narrow)
            .map(|p| p.value),
        _ => None,
    };
    let port_num = checked_port.unwrap_or(0);
    let target_span = lb.span.to(port.span);
    let mut r = Reader::new(
        cx,
        &blocks::ROUTE,
        format!("route `{}:{port_num}`", lb.name),
        target_span,
        body,
    );
    let conditions = super::lb::conditions(cx, &mut r);
    let priority = r.int_u32(cx, "priority");
    let weight = r.int_u32(cx, "weight");
    let sticky = r.block(cx, "sticky").map(|b| sticky(cx, b));
    let container_name = r.value(cx, "container");
    let container_port = r.int_u32(cx, "port");
    let health_path = r.string(cx, "health");
    let health_blocks = r.blocks("health");
    let health_block = health_blocks.first().copied();
    if let (Some(path), Some(block)) = (&health_path, health_block) {
        cx.error(
            Diagnostic::error("E009", block.kind.span, "the route's health check is set twice")
                .label("health check block")
                .with(path.span, "health check path set here")
                .help("keep one: `health = \"/path\"`, or `health { path = \"/path\" ... }` for more settings"),
        );
    }
    let target_group_name = r.string(cx, "target_group_name");
    let deregistration_delay = r.seconds(cx, "deregistration_delay").map(|s| s.value);
    r.finish(cx);
    checked_port?;

    let lb_id = lb_id?;
    let lb_model = &model.load_balancers[lb_id.0];
    let Some(index) = lb_model
        .listeners
        .iter()
        .position(|l| l.port.value == port_num)
    else {
        let ports: Vec<String> = lb_model
            .listeners
            .iter()
            .map(|l| l.port.value.to_string())
            .collect();
        let mut d = Diagnostic::error(
            "E002",
            port.span,
            format!(
                "load balancer `{}` has no listener on port {port_num}",
                lb.name
            ),
        )
        .label("no such listener")
        .with(lb_model.name.span, "load balancer declared here");
        d = if ports.is_empty() {
            d.help(format!(
                "add a listener to `{}`: `listener http {port_num}`",
                lb.name
            ))
        } else {
            d.help(format!("its listeners are on port {}", ports.join(", ")))
        };
        cx.error(d);
        return None;
    };
    let task = task?;
    // The container: named, or the only one with a port. A name the task
    // does not have, or a container without a port, is E053 (a rule).
    let container = match container_name {
        Some(v) => {
            let ValueKind::Ref(id) = &v.kind else {
                cx.type_error("container", v, "a container name", "app");
                return None;
            };
            let found = task.container(&id.name).map_or_else(
                || RouteContainer::Unknown(id.name.clone()),
                RouteContainer::Found,
            );
            Spanned::new(found, v.span)
        }
        None => {
            let with_ports: Vec<usize> = (0..task.containers.len())
                .filter(|i| !task.containers[*i].ports.is_empty())
                .collect();
            match with_ports.as_slice() {
                [one] => Spanned::new(RouteContainer::Found(*one), target_span),
                _ => {
                    cx.error(
                        Diagnostic::error(
                            "E006",
                            target_span,
                            format!("the route does not say which container of task `{}` receives traffic", task.name.name),
                        )
                        .label("which container?")
                        .with(task.name.span, "task declared here")
                        .help("add `container = <name>` and `port = <port>` to the route"),
                    );
                    return None;
                }
            }
        }
    };
    let port = container_port.or_else(|| {
        let RouteContainer::Found(c) = container.value else {
            return None;
        };
        let first = task.containers.get(c)?.ports.first()?;
        Some(Spanned::new(first.container_port.value, target_span))
    });
    let health = match health_block {
        Some(b) => target_health(cx, b),
        None => HealthCheck {
            path_written: health_path.is_some(),
            path: health_path.unwrap_or_else(|| Spanned::new("/".into(), target_span)),
            protocol: None,
            port: None,
            interval: None,
            timeout: None,
            healthy: None,
            unhealthy: None,
            matcher: None,
        },
    };
    Some(Route {
        listener: ListenerRef { lb: lb_id, index },
        target_span,
        conditions,
        priority,
        weight,
        sticky,
        container,
        port,
        health,
        target_group_name,
        deregistration_delay,
        target_group: None,
        rule: None,
        span,
    })
}

fn sticky(cx: &mut Cx<'_>, b: &Block) -> Sticky {
    let mut r = Reader::new(
        cx,
        &blocks::STICKY,
        "sticky".into(),
        b.kind.span,
        &b.members,
    );
    let duration = r.seconds(cx, "duration");
    let cookie = r.string(cx, "cookie");
    if let Some(c) = &cookie {
        // ELB reserves these prefixes for its own cookies
        // (TargetGroupAttribute `stickiness.app_cookie.cookie_name`).
        if c.value.starts_with("AWSALB") {
            cx.range_error(
                "cookie",
                c.span,
                format!("is `{}`; names starting `AWSALB` (`AWSALB`, `AWSALBAPP`, `AWSALBTG`) are the load balancer's own cookies", c.value),
                "name the application's own session cookie, e.g. `cookie = \"SESSIONID\"`, or remove `cookie` to use the load balancer's".into(),
            );
        }
    }
    r.finish(cx);
    Sticky {
        duration,
        cookie,
        span: b.kind.span,
    }
}

fn target_health(cx: &mut Cx<'_>, b: &Block) -> HealthCheck {
    let mut r = Reader::new(
        cx,
        &blocks::TARGET_HEALTH,
        "health".into(),
        b.kind.span,
        &b.members,
    );
    let written = r.string(cx, "path");
    let path_written = written.is_some();
    let path = written.unwrap_or_else(|| Spanned::new("/".into(), b.kind.span));
    let interval = r.seconds(cx, "interval");
    let timeout = r.seconds(cx, "timeout");
    let healthy = r.int(cx, "healthy");
    let unhealthy = r.int(cx, "unhealthy");
    let matcher = r.string(cx, "matcher");
    let protocol = r.keyword(cx, "protocol", &HealthProtocol::ALL);
    let port = r.int_u32(cx, "port");
    r.finish(cx);
    HealthCheck {
        path,
        path_written,
        protocol,
        port,
        interval,
        timeout,
        healthy,
        unhealthy,
        matcher,
    }
}

pub fn schedule(cx: &mut Cx<'_>, block: &Block, model: &Model) -> Schedule {
    let (name, mut r) = declaration(cx, block, Kind::Schedule);
    let cluster = r
        .reference(cx, "cluster", Kind::Cluster)
        .map_or(Spanned::new(ClusterId(0), name.span), |c| {
            Spanned::new(ClusterId(c.value), c.span)
        });
    let task_ref = r.reference(cx, "task", Kind::Task);
    let task = task_ref
        .as_ref()
        .map_or(Spanned::new(TaskId(0), name.span), |t| {
            Spanned::new(TaskId(t.value), t.span)
        });
    // A schedule runs its task's launch type, pointed at where the task
    // sets it.
    let launch = task_ref
        .as_ref()
        .and_then(|t| model.tasks.get(t.value))
        .map_or(Spanned::new(LaunchType::Fargate, name.span), |t| {
            t.launch.clone()
        });
    let cron = r.string(cx, "cron");
    let rate = r.seconds(cx, "rate");
    let network = r.block(cx, "network").map(|b| network(cx, b));
    let count = r.int(cx, "count").unwrap_or(Spanned::new(1, name.span));
    let platform_version = r.string(cx, "platform_version");
    let enabled = r.flag(cx, "enabled", true).value;
    let capacity_blocks = r.blocks("capacity");
    let rules = r.block(cx, "placement");
    r.finish(cx);
    let capacity = capacity(cx, capacity_blocks, &format!("schedule `{}`", name.name));
    let rules = rules.map(|b| placement_rules(cx, b));
    let expression = match (cron, rate) {
        (Some(c), None) => Spanned::new(format!("cron({})", c.value), c.span),
        (None, Some(r)) if r.value == 0 || r.value % 60 != 0 => {
            cx.range_error(
                "rate",
                r.span,
                format!("is {} s, and EventBridge rates are whole minutes", r.value),
                format!(
                    "use a whole number of minutes, e.g. `rate = {}m`",
                    r.value.div_ceil(60).max(1)
                ),
            );
            Spanned::new(String::new(), r.span)
        }
        (None, Some(r)) => Spanned::new(rate_expression(r.value), r.span),
        (Some(c), Some(r)) => {
            cx.error(
                Diagnostic::error(
                    "E009",
                    r.span,
                    "a schedule has either `cron` or `rate`, not both",
                )
                .label("second schedule expression")
                .with(c.span, "`cron` set here")
                .help("remove one of them"),
            );
            Spanned::new(String::new(), name.span)
        }
        (None, None) => {
            cx.error(
                Diagnostic::error(
                    "E006",
                    name.span,
                    format!("schedule `{}` has no `cron` or `rate`", name.name),
                )
                .label("when should it run?")
                .help("add `rate = 30m` or `cron = \"0 3 * * ? *\"` (EventBridge cron, UTC)"),
            );
            Spanned::new(String::new(), name.span)
        }
    };
    Schedule {
        name,
        placement: Placement {
            cluster,
            capacity,
            launch_written: false,
            rules,
            task,
            launch,
            platform_version,
            network,
        },
        expression,
        count,
        enabled,
        role: None,
        span: block.span,
    }
}

/// `1800` seconds → `rate(30 minutes)`.
pub fn rate_expression(seconds: u64) -> String {
    let (n, unit) = if seconds % 86_400 == 0 {
        (seconds / 86_400, "day")
    } else if seconds % 3_600 == 0 {
        (seconds / 3_600, "hour")
    } else {
        (seconds / 60, "minute")
    };
    format!("rate({n} {unit}{})", if n == 1 { "" } else { "s" })
}
