//! E044: settings Windows containers do not support.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::{LaunchType, NetworkMode, Os};
use crate::rules::{Check, Context, Rule};
use crate::source::Span;

pub const RULE: Rule = Rule {
    code: "E044",
    name: "windows-container",
    severity: Severity::Error,
    summary: "A Windows task uses no setting Windows containers lack: `read_only`, `user`, `privileged`, EFS volumes, `ephemeral_storage`, the bridge and host network modes",
    why: "ECS ContainerDefinition: readonlyRootFilesystem, user and privileged are \"not supported \
          for Windows containers\". EFS has no Windows client (EFS user guide: Windows-based EC2 \
          instances are not supported; AWS Batch's RuntimePlatform lists \
          efsVolumeConfiguration among the parameters Windows containers cannot set) — Windows \
          tasks use FSx for Windows File Server. Fargate ephemeral storage \"isn't supported for \
          Windows containers on AWS Fargate\" (ECS developer guide, Fargate task ephemeral \
          storage). Windows containers on EC2 have the awsvpc and Docker's default (NAT) network \
          modes, not bridge or host (ECS developer guide, task networking for EC2). \
          RegisterTaskDefinition or the task's start fails otherwise.",
    bad: r#"stack demo { region = "eu-west-1" }
task api {
  cpu = 1024  memory = 2GiB
  os  = windows
  container app {
    image     = "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022"
    read_only = true
  }
}"#,
    flagged: "true",
    good: r#"stack demo { region = "eu-west-1" }
task api {
  cpu = 1024  memory = 2GiB
  os  = windows
  container app {
    image = "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022"
  }
}"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    for task in &cx.model.tasks {
        if task.os.value != Os::Windows {
            continue;
        }
        // On EC2, E040 reports ephemeral storage; on Fargate, E032 privileged.
        let fargate = task.launch.value == LaunchType::Fargate;
        let mut found: Vec<(Span, String, &str)> = Vec::new();
        if let Some(e) = task.ephemeral_storage.as_ref().filter(|_| fargate) {
            found.push((
                e.span,
                format!("task `{}` sets ephemeral storage", task.name.name),
                "remove `ephemeral_storage` (Windows tasks on Fargate have a fixed size)",
            ));
        }
        // On Fargate every task is awsvpc (E031).
        if !fargate && task.network_mode.value != NetworkMode::Awsvpc {
            found.push((
                task.network_mode.span,
                format!(
                    "task `{}` uses the {} network mode",
                    task.name.name,
                    task.network_mode.value.as_str()
                ),
                "use `network_mode = awsvpc` (and a `network` block where the task runs)",
            ));
        }
        for v in &task.volumes {
            if let Some(efs) = &v.efs {
                found.push((
                    efs.file_system.span,
                    format!("volume `{}` of task `{}` is an EFS file system", v.name.name, task.name.name),
                    "remove the volume and its mounts (EFS is for Linux tasks), or run the task on Linux",
                ));
            }
        }
        for c in &task.containers {
            let name = &c.name.name;
            if c.read_only_root.value {
                found.push((
                    c.read_only_root.span,
                    format!("container `{name}` has a read-only root file system"),
                    "remove `read_only = true`",
                ));
            }
            if let Some(u) = &c.user {
                found.push((
                    u.span,
                    format!("container `{name}` sets `user`"),
                    "remove `user` (a Windows image sets its user with `USER` in its Dockerfile)",
                ));
            }
            if let Some(p) = c.privileged.as_ref().filter(|p| p.value && !fargate) {
                found.push((
                    p.span,
                    format!("container `{name}` is privileged"),
                    "remove `privileged = true`",
                ));
            }
        }
        for (span, what, help) in found {
            let d = RULE
                .at(
                    span,
                    format!("{what}, which Windows containers do not support"),
                )
                .label("not supported on Windows");
            let d = if task.os.span != task.name.span {
                d.with(task.os.span, "a Windows task")
            } else {
                d
            };
            out.push(d.help(help));
        }
    }
}
