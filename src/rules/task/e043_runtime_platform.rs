//! E043: the task's operating system and CPU architecture exist together,
//! and on EC2 the cluster's instances run them.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::{Arch, NetworkMode, Os, Runner};
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "E043",
    name: "runtime-platform",
    severity: Severity::Error,
    summary: "A Windows task runs on x86_64; a task on EC2 has instances of its operating system and architecture in its cluster",
    why: "RuntimePlatform.cpuArchitecture ARM64 \"is available for tasks that run on Linux Amazon \
          EC2 instance or Linux containers on Fargate\": there is no ARM64 Windows (ECS API \
          reference, RuntimePlatform). On EC2 a task runs on its cluster's container instances: \
          the instance groups ecsc creates run the ECS-optimized Amazon Linux 2023 AMI of their \
          `arch`, and ecsc writes their cluster into a Linux user data script. A Windows task, \
          or a task built for another architecture, stays PENDING or fails to start there \
          (\"exec format error\", \"image operating system cannot be used on this platform\").",
    bad: r#"stack demo { region = "eu-west-1" }
task api {
  cpu = 1024  memory = 2GiB
  os   = windows
  arch = arm64
  container app { image = "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022" }
}"#,
    flagged: "arm64",
    good: r#"stack demo { region = "eu-west-1" }
task api {
  cpu = 1024  memory = 2GiB
  os   = windows
  container app { image = "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022" }
}"#,
    check: Check::Model(check),
};

fn arch_word(a: Arch) -> &'static str {
    match a {
        Arch::X86_64 => "x86_64",
        Arch::Arm64 => "arm64",
    }
}

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    for task in &m.tasks {
        if task.os.value == Os::Windows && task.arch.value == Arch::Arm64 {
            out.push(
                RULE.at(
                    task.arch.span,
                    format!(
                        "task `{}` is a Windows task on arm64, which ECS does not run",
                        task.name.name
                    ),
                )
                .label("no ARM64 Windows")
                .with(task.os.span, "Windows")
                .help(
                    "remove `arch = arm64` (Windows tasks run on x86_64), or run the task on Linux",
                ),
            );
        }
    }
    for (runner, name, p) in m.placements() {
        if p.on_fargate() {
            continue;
        }
        let cluster = &m[p.cluster.value];
        if cluster.existing.is_some() {
            continue;
        }
        let task = &m[p.task.value];
        let groups = m.instance_groups_for(p);
        // A pinned AMI may be anything: no facts to decide on.
        if groups.is_empty() || groups.iter().any(|g| g.ami.is_some()) {
            continue;
        }
        let who = format!("{} `{}`", runner.word(), name.name);
        let first = groups[0];
        if task.os.value == Os::Windows {
            out.push(
                RULE.at(
                    task.os.span,
                    format!(
                        "task `{}` is a Windows task, but {who} runs it on EC2 instances of cluster `{}`, which run Amazon Linux",
                        task.name.name, cluster.name.name
                    ),
                )
                .label("Windows")
                .with(first.name.span, "an Amazon Linux instance group")
                .help({
                    let mut on_runner = Vec::new();
                    if matches!(runner, Runner::Service(_)) {
                        on_runner.push("`launch = fargate`");
                    }
                    if p.network.is_none() {
                        on_runner.push("a `network` block");
                    }
                    let runner_part = match on_runner.is_empty() {
                        true => String::new(),
                        false => format!(", and write {} in {who}", on_runner.join(" and ")),
                    };
                    format!(
                        "run it on Fargate: remove `launch = ec2`{} from task `{}`{runner_part}; or run it in an existing cluster of Windows container instances",
                        match task.network_mode.value {
                            NetworkMode::Awsvpc => "",
                            _ => " and `network_mode`",
                        },
                        task.name.name
                    )
                }),
            );
            continue;
        }
        // Only an architecture written says what the image is built for.
        if task.arch.span == task.name.span
            || groups.iter().any(|g| g.arch.value == task.arch.value)
        {
            continue;
        }
        let want = arch_word(task.arch.value);
        out.push(
            RULE.at(
                task.arch.span,
                format!(
                    "task `{}` is built for {want}, but {who} runs it on {} instances of cluster `{}`",
                    task.name.name,
                    arch_word(first.arch.value),
                    cluster.name.name
                ),
            )
            .label(format!("{want} image"))
            .with(first.arch.span, format!("{} instances", arch_word(first.arch.value)))
            .help(format!(
                "set `arch = {}` in instance group `{}` (with an instance type of that architecture), or build the task for {}",
                want,
                first.name.name,
                arch_word(first.arch.value)
            )),
        );
    }
}
