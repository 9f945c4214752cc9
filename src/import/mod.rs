//! `ecsc import`: an ECS task definition as JSON (the output of `aws ecs
//! describe-task-definition`, or the input of `register-task-definition`)
//! written as an `.ecs` stack holding the equivalent `task`.
//!
//! Every field is either carried into the language or named in a note at
//! the top of the file; nothing is dropped in silence. The result is
//! meant to be compiled back (`tests/import.rs` checks that the task
//! definition ecsc renders from it matches the one imported).

use serde_json::{Map, Value};
use std::fmt::Write as _;

/// What the import made: the `.ecs` text and the fields it could not
/// carry (also written as comments in the text).
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub text: String,
    pub notes: Vec<String>,
}

/// Writes a task definition (`json`, one document) as an `.ecs` stack in
/// `region` (else the Region of its ARN), with the service `service`
/// describes (`aws ecs describe-services` output, or one service of it)
/// when given. `Err` says what is missing.
pub fn task_definition(
    json: &str,
    region: Option<&str>,
    service: Option<&str>,
) -> Result<Imported, String> {
    let doc: Value = serde_json::from_str(json)
        .map_err(|e| format!("not JSON: {e} (line {}, column {})", e.line(), e.column()))?;
    // `describe-task-definition` wraps it; `register-task-definition`'s
    // input is the definition itself.
    let td = doc.get("taskDefinition").unwrap_or(&doc);
    let td = td.as_object().ok_or(
        "expected a task definition: a JSON object with `family` and `containerDefinitions`",
    )?;
    let mut w = Writer::default();
    let family = td
        .get("family")
        .and_then(Value::as_str)
        .ok_or("the task definition has no `family`")?;
    let region = match region {
        Some(r) => r.to_string(),
        None => td
            .get("taskDefinitionArn")
            .and_then(Value::as_str)
            .and_then(|arn| arn.split(':').nth(3))
            .filter(|r| !r.is_empty())
            .map(str::to_string)
            .ok_or("the task definition does not say its Region (no `taskDefinitionArn`): give it with --region")?,
    };
    let name = ident(family);
    let containers = td
        .get("containerDefinitions")
        .and_then(Value::as_array)
        .filter(|c| !c.is_empty())
        .ok_or("the task definition has no `containerDefinitions`")?;

    let mut body = String::new();
    w.attr(&mut body, 1, "family", &string(family));
    for (key, attr) in [("cpu", "cpu"), ("memory", "memory")] {
        if let Some(v) = td.get(key) {
            match number(v) {
                Some(n) => w.attr(&mut body, 1, attr, &n.to_string()),
                None => w.note(format!("{key}: `{v}` is not a number")),
            }
        }
    }
    // What the task was registered for; without it, ECS takes EC2.
    let compatible: Vec<&str> = td
        .get("requiresCompatibilities")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    match compatible.as_slice() {
        ["FARGATE"] => {}
        ["EC2"] | [] => w.attr(&mut body, 1, "launch", "ec2"),
        other => w.note(format!(
            "requiresCompatibilities: {other:?} (a task is either fargate or ec2; written as fargate)"
        )),
    }
    match td.get("networkMode").and_then(Value::as_str) {
        None | Some("awsvpc") => {}
        Some(mode @ ("bridge" | "host")) => w.attr(&mut body, 1, "network_mode", mode),
        Some(other) => w.note(format!(
            "networkMode: `{other}` (the language has awsvpc, bridge and host)"
        )),
    }
    if let Some(p) = td.get("runtimePlatform").and_then(Value::as_object) {
        match p.get("cpuArchitecture").and_then(Value::as_str) {
            None | Some("X86_64") => {}
            Some("ARM64") => w.attr(&mut body, 1, "arch", "arm64"),
            Some(other) => w.note(format!("runtimePlatform.cpuArchitecture: `{other}`")),
        }
        match p.get("operatingSystemFamily").and_then(Value::as_str) {
            None | Some("LINUX") => {}
            Some(os) if os.starts_with("WINDOWS") => {
                w.attr(&mut body, 1, "os", "windows");
                w.note(format!(
                    "runtimePlatform.operatingSystemFamily: `{os}` is written as `os = windows` (ecsc picks the Windows version)"
                ));
            }
            Some(other) => w.note(format!("runtimePlatform.operatingSystemFamily: `{other}`")),
        }
    }
    if let Some(size) = td
        .get("ephemeralStorage")
        .and_then(|e| e.get("sizeInGiB"))
        .and_then(number)
    {
        w.attr(&mut body, 1, "ephemeral_storage", &size.to_string());
    }
    for (key, block) in [
        ("taskRoleArn", "role"),
        ("executionRoleArn", "execution_role"),
    ] {
        if let Some(arn) = td.get(key).and_then(Value::as_str) {
            let _ = writeln!(body, "  {block} {{ id = {} }}", string(arn));
        }
    }
    let mut volumes = Vec::new();
    for v in td
        .get("volumes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(vname) = v.get("name").and_then(Value::as_str) else {
            continue;
        };
        volumes.push(vname.to_string());
        let mut vb = String::new();
        if let Some(efs) = v.get("efsVolumeConfiguration").and_then(Value::as_object) {
            if let Some(fs) = efs.get("fileSystemId").and_then(Value::as_str) {
                w.attr(&mut vb, 2, "efs", &string(fs));
            }
            if let Some(root) = efs.get("rootDirectory").and_then(Value::as_str) {
                w.attr(&mut vb, 2, "root", &string(root));
            }
            if let Some(auth) = efs.get("authorizationConfig").and_then(Value::as_object) {
                if let Some(ap) = auth.get("accessPointId").and_then(Value::as_str) {
                    w.attr(&mut vb, 2, "access_point", &string(ap));
                }
                if auth.get("iam").and_then(Value::as_str) == Some("ENABLED") {
                    w.attr(&mut vb, 2, "iam", "true");
                }
            }
            if efs.get("transitEncryption").and_then(Value::as_str) == Some("DISABLED") {
                w.attr(&mut vb, 2, "transit_encryption", "false");
            }
        } else {
            for key in v.as_object().into_iter().flat_map(Map::keys) {
                if key != "name" && key != "host" {
                    w.note(format!("volumes[{vname}].{key}"));
                }
            }
            if v.get("host").and_then(|h| h.get("sourcePath")).is_some() {
                w.note(format!(
                    "volumes[{vname}].host.sourcePath (a bind mount of the instance's files; written as a task-scoped volume)"
                ));
            }
        }
        let _ = writeln!(body, "  volume {} {{{}}}", ident(vname), block_body(&vb, 1));
    }
    for key in td.keys() {
        if !TASK_FIELDS.contains(&key.as_str()) && !READ_ONLY_FIELDS.contains(&key.as_str()) {
            w.note(key.to_string());
        }
    }
    for c in containers {
        container(&mut w, &mut body, c, &volumes);
    }

    let mut rest = format!("\nstack {name} {{ region = {} }}\n\n", string(&region));
    let _ = write!(rest, "task {name} {{\n{body}}}\n");
    if let Some(service) = service {
        let described: Value = serde_json::from_str(service).map_err(|e| {
            format!(
                "the service is not JSON: {e} (line {}, column {})",
                e.line(),
                e.column()
            )
        })?;
        let svc = match described.get("services").and_then(Value::as_array) {
            Some(list) if list.len() == 1 => &list[0],
            Some(list) => {
                return Err(format!(
                    "the service file describes {} services; give one (`aws ecs describe-services --services NAME`)",
                    list.len()
                ))
            }
            None => &described,
        };
        let svc = svc
            .as_object()
            .ok_or("expected a service: a JSON object with `serviceName`")?;
        rest.push('\n');
        rest.push_str(&service_text(&mut w, svc, &name)?);
    }
    // The notes head the file, those of the service too.
    let mut text = String::new();
    // A comment runs to the end of its line: no control character may
    // end it early (what follows would be read as code).
    let comment = |s: &str| -> String {
        s.chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect()
    };
    let _ = writeln!(
        text,
        "# Imported by `ecsc import` from the task definition `{}`.",
        comment(family)
    );
    if !w.notes.is_empty() {
        let _ = writeln!(text, "# Not carried (set them another way, or drop them):");
        for n in &w.notes {
            let _ = writeln!(text, "#   - {}", comment(n));
        }
    }
    text.push_str(&rest);
    Ok(Imported {
        text,
        notes: w.notes,
    })
}

/// The task definition fields the import carries (or decides about).
const TASK_FIELDS: &[&str] = &[
    "family",
    "cpu",
    "memory",
    "requiresCompatibilities",
    "networkMode",
    "runtimePlatform",
    "ephemeralStorage",
    "taskRoleArn",
    "executionRoleArn",
    "volumes",
    "containerDefinitions",
];

/// What `describe-task-definition` reports about a registered revision:
/// AWS sets it, nothing to carry.
const READ_ONLY_FIELDS: &[&str] = &[
    "taskDefinitionArn",
    "revision",
    "status",
    "requiresAttributes",
    "compatibilities",
    "registeredAt",
    "registeredBy",
    "deregisteredAt",
];

const CONTAINER_FIELDS: &[&str] = &[
    "name",
    "image",
    "portMappings",
    "command",
    "entryPoint",
    "environment",
    "secrets",
    "healthCheck",
    "essential",
    "cpu",
    "memory",
    "memoryReservation",
    "workingDirectory",
    "user",
    "readonlyRootFilesystem",
    "stopTimeout",
    "privileged",
    "dependsOn",
    "mountPoints",
    "logConfiguration",
];

fn container(w: &mut Writer, body: &mut String, c: &Value, volumes: &[String]) {
    let Some(c) = c.as_object() else {
        w.note("containerDefinitions: an entry that is not an object".to_string());
        return;
    };
    let cname = c.get("name").and_then(Value::as_str).unwrap_or("app");
    let mut b = String::new();
    match c.get("image").and_then(Value::as_str) {
        Some(image) => w.attr(&mut b, 2, "image", &string(image)),
        None => w.note(format!("container {cname}: no image")),
    }
    for p in c
        .get("portMappings")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(port) = p.get("containerPort").and_then(number) else {
            w.note(format!(
                "container {cname}: a port mapping without containerPort (a range: write each port)"
            ));
            continue;
        };
        let udp = p.get("protocol").and_then(Value::as_str) == Some("udp");
        let mut options = Vec::new();
        if let Some(n) = p.get("name").and_then(Value::as_str) {
            options.push(format!("name = {}", string(n)));
        }
        if let Some(h) = p.get("hostPort").and_then(number) {
            if h != port {
                options.push(format!("host_port = {h}"));
            }
        }
        if let Some(proto) = p.get("appProtocol").and_then(Value::as_str) {
            options.push(format!("app_protocol = {proto}"));
        }
        let opts = if options.is_empty() {
            String::new()
        } else {
            format!(" {{ {} }}", options.join("  "))
        };
        let _ = writeln!(b, "    port {port}{}{opts}", if udp { "/udp" } else { "" });
    }
    for (key, attr) in [("command", "command"), ("entryPoint", "entrypoint")] {
        if let Some(list) = strings(c.get(key)) {
            w.attr(&mut b, 2, attr, &list);
        }
    }
    let env: Vec<String> = c
        .get("environment")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|e| {
            let k = e.get("name")?.as_str()?;
            let v = e.get("value").and_then(Value::as_str).unwrap_or("");
            Some(format!("{} = {}", key(k), string(v)))
        })
        .collect();
    if !env.is_empty() {
        w.attr(&mut b, 2, "env", &format!("{{ {} }}", env.join(", ")));
    }
    for s in c
        .get("secrets")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let (Some(n), Some(from)) = (
            s.get("name").and_then(Value::as_str),
            s.get("valueFrom").and_then(Value::as_str),
        ) else {
            continue;
        };
        match secret_source(from) {
            Ok(source) => {
                let _ = writeln!(b, "    secret {} from {source}", ident_or_note(w, n, cname));
            }
            Err(why) => w.note(format!("container {cname}: {why}; not carried")),
        }
    }
    if let Some(h) = c.get("healthCheck").and_then(Value::as_object) {
        let mut hb = String::new();
        let command: Vec<&str> = h
            .get("command")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        match command.as_slice() {
            ["CMD-SHELL", line] => w.attr(&mut hb, 3, "command", &string(line)),
            ["CMD", rest @ ..] => w.attr(
                &mut hb,
                3,
                "command",
                &format!(
                    "[{}]",
                    rest.iter()
                        .map(|s| string(s))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
            other => w.attr(
                &mut hb,
                3,
                "command",
                &format!(
                    "[{}]",
                    other
                        .iter()
                        .map(|s| string(s))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
        }
        for (key, attr, unit) in [
            ("interval", "interval", "s"),
            ("timeout", "timeout", "s"),
            ("retries", "retries", ""),
            ("startPeriod", "start_period", "s"),
        ] {
            if let Some(n) = h.get(key).and_then(number) {
                w.attr(&mut hb, 3, attr, &format!("{n}{unit}"));
            }
        }
        let _ = writeln!(b, "    health {{\n{hb}    }}");
    }
    if c.get("essential").and_then(Value::as_bool) == Some(false) {
        w.attr(&mut b, 2, "essential", "false");
    }
    for (key, attr) in [
        ("cpu", "cpu"),
        ("memory", "memory"),
        ("memoryReservation", "memory_reservation"),
    ] {
        if let Some(n) = c
            .get(key)
            .and_then(number)
            .filter(|&n| n > 0 || key != "cpu")
        {
            w.attr(&mut b, 2, attr, &n.to_string());
        }
    }
    for (key, attr) in [("workingDirectory", "working_dir"), ("user", "user")] {
        if let Some(s) = c.get(key).and_then(Value::as_str) {
            w.attr(&mut b, 2, attr, &string(s));
        }
    }
    if c.get("readonlyRootFilesystem").and_then(Value::as_bool) == Some(true) {
        w.attr(&mut b, 2, "read_only", "true");
    }
    if let Some(n) = c.get("stopTimeout").and_then(number) {
        w.attr(&mut b, 2, "stop_timeout", &format!("{n}s"));
    }
    if let Some(p) = c.get("privileged").and_then(Value::as_bool) {
        w.attr(&mut b, 2, "privileged", if p { "true" } else { "false" });
    }
    for d in c
        .get("dependsOn")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let (Some(other), Some(cond)) = (
            d.get("containerName").and_then(Value::as_str),
            d.get("condition").and_then(Value::as_str),
        ) else {
            continue;
        };
        let _ = writeln!(b, "    depends_on {} {}", ident(other), cond.to_lowercase());
    }
    for m in c
        .get("mountPoints")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let (Some(vol), Some(path)) = (
            m.get("sourceVolume").and_then(Value::as_str),
            m.get("containerPath").and_then(Value::as_str),
        ) else {
            continue;
        };
        if !volumes.iter().any(|v| v == vol) {
            w.note(format!(
                "container {cname}: mount of `{vol}`, which is not a volume of the task"
            ));
            continue;
        }
        let ro = if m.get("readOnly").and_then(Value::as_bool) == Some(true) {
            " read_only"
        } else {
            ""
        };
        let _ = writeln!(b, "    mount {} at {}{ro}", ident(vol), string(path));
    }
    match c.get("logConfiguration").and_then(|l| l.get("logDriver")).and_then(Value::as_str) {
        Some("awslogs") => w.note(
            "logConfiguration: the awslogs options (ecsc sends the logs to the log group it derives for the task)"
                .to_string(),
        ),
        Some(driver) => {
            w.note(format!("container {cname}: the log driver `{driver}` (only awslogs is in the language)"));
            w.attr(&mut b, 2, "logging", "false");
        }
        None => w.attr(&mut b, 2, "logging", "false"),
    }
    for k in c.keys() {
        if !CONTAINER_FIELDS.contains(&k.as_str()) {
            w.note(format!("container {cname}: {k}"));
        }
    }
    let _ = writeln!(body, "\n  container {} {{\n{b}  }}", ident(cname));
}

/// The service, its cluster and its network, which exist already: by id.
fn service_text(w: &mut Writer, svc: &Map<String, Value>, task: &str) -> Result<String, String> {
    let name = svc
        .get("serviceName")
        .and_then(Value::as_str)
        .ok_or("the service has no `serviceName`")?;
    let mut out = String::new();
    let cluster = svc.get("clusterArn").and_then(Value::as_str);
    let cluster_name = cluster
        .and_then(|arn| arn.rsplit('/').next())
        .map_or_else(|| "main".to_string(), ident);
    match cluster {
        Some(arn) => {
            let _ = writeln!(out, "cluster {cluster_name} {{ id = {} }}", string(arn));
        }
        None => {
            let _ = writeln!(out, "cluster {cluster_name} {{ id = input }}");
        }
    }
    let mut b = String::new();
    w.attr(&mut b, 1, "cluster", &cluster_name);
    w.attr(&mut b, 1, "task", task);
    if svc.get("schedulingStrategy").and_then(Value::as_str) == Some("DAEMON") {
        w.attr(&mut b, 1, "scheduling", "daemon");
    } else if let Some(n) = svc.get("desiredCount").and_then(number) {
        w.attr(&mut b, 1, "count", &n.to_string());
    }
    match svc
        .get("deploymentController")
        .and_then(|d| d.get("type"))
        .and_then(Value::as_str)
    {
        None | Some("ECS") => {}
        Some(other) => w.note(format!(
            "service {name}: its {other} deployment controller (ecsc deploys with ECS's rolling update)"
        )),
    }
    match svc.get("launchType").and_then(Value::as_str) {
        Some("EC2") => w.attr(&mut b, 1, "launch", "ec2"),
        None | Some("FARGATE") => {}
        Some(other) => w.note(format!("service {name}: launchType `{other}`")),
    }
    if let Some(v) = svc.get("platformVersion").and_then(Value::as_str) {
        if v != "LATEST" {
            w.attr(&mut b, 1, "platform_version", &string(v));
        }
    }
    if let Some(n) = svc
        .get("healthCheckGracePeriodSeconds")
        .and_then(number)
        .filter(|&n| n > 0)
    {
        w.attr(&mut b, 1, "grace_period", &format!("{n}s"));
    }
    if svc.get("enableExecuteCommand").and_then(Value::as_bool) == Some(true) {
        w.attr(&mut b, 1, "exec", "true");
    }
    if let Some(net) = svc
        .get("networkConfiguration")
        .and_then(|n| n.get("awsvpcConfiguration"))
        .and_then(Value::as_object)
    {
        let ids = |key: &str| -> Vec<String> {
            net.get(key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        };
        let (subnets, groups) = (ids("subnets"), ids("securityGroups"));
        // The service description names no VPC: a deploy-time input.
        let _ = writeln!(out, "vpc network {{ id = input }}");
        for s in &subnets {
            let _ = writeln!(
                out,
                "subnet {} {{ id = {}  vpc = network }}",
                ident(s),
                string(s)
            );
        }
        for g in &groups {
            let _ = writeln!(
                out,
                "security_group {} {{ id = {}  vpc = network }}",
                ident(g),
                string(g)
            );
        }
        let list = |v: &[String]| v.iter().map(|s| ident(s)).collect::<Vec<_>>().join(", ");
        let mut nb = format!("subnets = [{}]", list(&subnets));
        if !groups.is_empty() {
            nb.push_str(&format!("  security_groups = [{}]", list(&groups)));
        }
        if net.get("assignPublicIp").and_then(Value::as_str) == Some("ENABLED") {
            nb.push_str("  public_ip = true");
        }
        let _ = writeln!(b, "  network {{ {nb} }}");
    }
    for item in svc
        .get("capacityProviderStrategy")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let provider = match item.get("capacityProvider").and_then(Value::as_str) {
            Some("FARGATE") => "fargate",
            Some("FARGATE_SPOT") => "fargate_spot",
            Some(other) => {
                w.note(format!(
                    "service {name}: the capacity provider `{other}` (declare its `instances` group and name it)"
                ));
                continue;
            }
            None => continue,
        };
        let base = item.get("base").and_then(number).unwrap_or(0);
        let weight = item.get("weight").and_then(number).unwrap_or(0);
        let _ = writeln!(
            b,
            "  capacity {provider} {{ base = {base}  weight = {weight} }}"
        );
    }
    if let Some(d) = svc
        .get("deploymentConfiguration")
        .and_then(Value::as_object)
    {
        let mut db = Vec::new();
        if let Some(n) = d.get("minimumHealthyPercent").and_then(number) {
            db.push(format!("min_healthy = {n}%"));
        }
        if let Some(n) = d.get("maximumPercent").and_then(number) {
            db.push(format!("max = {n}%"));
        }
        if let Some(cb) = d.get("deploymentCircuitBreaker").and_then(Value::as_object) {
            let enabled = cb.get("enable").and_then(Value::as_bool) == Some(true);
            let rollback = cb.get("rollback").and_then(Value::as_bool) == Some(true);
            db.push(
                match (enabled, rollback) {
                    (true, true) => "circuit_breaker = rollback",
                    (true, false) => "circuit_breaker = on",
                    (false, _) => "circuit_breaker = off",
                }
                .to_string(),
            );
        }
        if d.get("alarms")
            .and_then(|a| a.get("enable"))
            .and_then(Value::as_bool)
            == Some(true)
        {
            w.note(format!(
                "service {name}: its deployment alarms (declare them as `alarm` blocks and list them in `deployment`)"
            ));
        }
        if !db.is_empty() {
            let _ = writeln!(b, "  deployment {{ {} }}", db.join("  "));
        }
    }
    if svc
        .get("loadBalancers")
        .and_then(Value::as_array)
        .is_some_and(|l| !l.is_empty())
    {
        w.note(format!(
            "service {name}: its load balancer target groups (declare the load balancer and give the service a `route`; ecsc creates the target group)"
        ));
    }
    if svc
        .get("serviceRegistries")
        .and_then(Value::as_array)
        .is_some_and(|l| !l.is_empty())
    {
        w.note(format!(
            "service {name}: its service registries (`discovery` or `connect`)"
        ));
    }
    for k in svc.keys() {
        if !SERVICE_FIELDS.contains(&k.as_str()) {
            w.note(format!("service {name}: {k}"));
        }
    }
    let _ = write!(out, "\nservice {} {{\n{b}}}\n", ident(name));
    Ok(out)
}

/// The service fields the import carries or decides about, and those AWS
/// reports about a running service.
const SERVICE_FIELDS: &[&str] = &[
    "serviceName",
    "clusterArn",
    "desiredCount",
    "launchType",
    "platformVersion",
    "healthCheckGracePeriodSeconds",
    "enableExecuteCommand",
    "networkConfiguration",
    "capacityProviderStrategy",
    "deploymentConfiguration",
    "loadBalancers",
    "serviceRegistries",
    "taskDefinition",
    "serviceArn",
    "status",
    "runningCount",
    "pendingCount",
    "events",
    "deployments",
    "createdAt",
    "createdBy",
    "roleArn",
    "platformFamily",
    "schedulingStrategy",
    "deploymentController",
    "enableECSManagedTags",
    "propagateTags",
];

/// `ssm "NAME"`, `secretsmanager "ARN" [key "K"]`: ECS reads a `valueFrom`
/// that is not an ARN as an SSM parameter name.
fn secret_source(from: &str) -> Result<String, String> {
    let parts: Vec<&str> = from.split(':').collect();
    match parts.as_slice() {
        ["arn", _, "secretsmanager", ..] if parts.len() > 7 => {
            // arn:aws:secretsmanager:region:account:secret:name:key:stage:id
            let arn = parts[..7].join(":");
            let key = parts[7];
            if parts[8..].iter().any(|p| !p.is_empty()) {
                return Err(format!(
                    "the secret `{from}` names a version stage or id (the language reads the current version)"
                ));
            }
            Ok(if key.is_empty() {
                format!("secretsmanager {}", string(&arn))
            } else {
                format!("secretsmanager {} key {}", string(&arn), string(key))
            })
        }
        ["arn", _, "secretsmanager", ..] => Ok(format!("secretsmanager {}", string(from))),
        _ => Ok(format!("ssm {}", string(from))),
    }
}

/// Collects notes and writes indented members.
#[derive(Default)]
struct Writer {
    notes: Vec<String>,
}

impl Writer {
    fn note(&mut self, n: String) {
        if !self.notes.contains(&n) {
            self.notes.push(n);
        }
    }

    fn attr(&mut self, out: &mut String, depth: usize, name: &str, value: &str) {
        let _ = writeln!(out, "{}{name} = {value}", "  ".repeat(depth));
    }
}

/// A block's members on one line when short (`volume data { }`).
fn block_body(members: &str, depth: usize) -> String {
    if members.is_empty() {
        " ".to_string()
    } else {
        format!("\n{members}{}", "  ".repeat(depth))
    }
}

/// A number written as JSON's number or as a string (`"cpu": "256"`).
fn number(v: &Value) -> Option<u64> {
    v.as_u64()
        .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
}

/// A list of strings as the language writes it.
fn strings(v: Option<&Value>) -> Option<String> {
    let items: Vec<String> = v?
        .as_array()?
        .iter()
        .filter_map(Value::as_str)
        .map(string)
        .collect();
    Some(format!("[{}]", items.join(", ")))
}

/// A string literal: the escapes the language reads, `$` escaped so that
/// `${…}` stays text.
pub fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '$' => out.push_str("\\$"),
            // The language has no escape for other control characters (a
            // `\r` would end the line): the replacement character, seen.
            c if c.is_control() => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A map key: a name when it is one, else a string (escaped as any).
fn key(k: &str) -> String {
    if is_ident(k) {
        k.to_string()
    } else {
        string(k)
    }
}

fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// A name for a block: AWS's name when the language takes it, else with
/// every other character as `_`.
fn ident(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !out.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        out.insert(0, '_');
    }
    out
}

/// A secret's variable name as a name of the language, or a note.
fn ident_or_note(w: &mut Writer, n: &str, container: &str) -> String {
    if !is_ident(n) {
        w.note(format!(
            "container {container}: the secret `{n}` is renamed `{}`",
            ident(n)
        ));
    }
    ident(n)
}
