//! E030: Fargate task cpu and memory must be one of the supported pairs.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::{LaunchType, Os};
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "E030",
    name: "fargate-cpu-memory",
    severity: Severity::Error,
    summary: "Fargate task cpu and memory must be a supported combination",
    why: "Fargate runs only fixed cpu/memory pairs. Any other pair fails at registration \
          with \"No Fargate configuration exists for given values\". On Linux: 256 cpu units \
          take 512, 1024 or 2048 MiB; 512 take 1–4 GiB; 1024 take 2–8 GiB; 2048 take 4–16 GiB; \
          4096 take 8–30 GiB (steps of 1 GiB); 8192 take 16–60 GiB (steps of 4 GiB); 16384 take \
          32–120 GiB (steps of 8 GiB). Windows takes 1024, 2048 or 4096 cpu units only.",
    bad: r#"stack demo { region = "eu-west-1" }
task api {
  cpu    = 1024
  memory = 1024
  container app { image = "nginx:1.27" }
}"#,
    flagged: "1024\n  container",
    good: r#"stack demo { region = "eu-west-1" }
task api {
  cpu    = 1024
  memory = 2048
  container app { image = "nginx:1.27" }
}"#,
    check: Check::Model(check),
};

/// (cpu units, lowest MiB, highest MiB, step MiB)
const LINUX: &[(u64, u64, u64, u64)] = &[
    (256, 512, 2048, 0),
    (512, 1024, 4096, 1024),
    (1024, 2048, 8192, 1024),
    (2048, 4096, 16384, 1024),
    (4096, 8192, 30720, 1024),
    (8192, 16384, 61440, 4096),
    (16384, 32768, 122880, 8192),
];
const WINDOWS: &[(u64, u64, u64, u64)] = &[
    (1024, 2048, 8192, 1024),
    (2048, 4096, 16384, 1024),
    (4096, 8192, 30720, 1024),
];

/// Whether `memory` is valid for a row.
fn fits(row: &(u64, u64, u64, u64), memory: u64) -> bool {
    let (_, lo, hi, step) = *row;
    if step == 0 {
        return [512, 1024, 2048].contains(&memory);
    }
    memory >= lo && memory <= hi && (memory - lo) % step == 0
}

fn describe(row: &(u64, u64, u64, u64)) -> String {
    let (cpu, lo, hi, step) = *row;
    if step == 0 {
        format!("valid memory for cpu {cpu}: 512, 1024 or 2048 MiB")
    } else {
        format!("valid memory for cpu {cpu}: {lo}–{hi} MiB in steps of {step}")
    }
}

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    for task in &cx.model.tasks {
        if task.launch.value != LaunchType::Fargate {
            continue;
        }
        let (Some(cpu), Some(memory)) = (&task.cpu, &task.memory) else {
            continue; // E031 reports missing sizes
        };
        let table = if task.os.value == Os::Windows {
            WINDOWS
        } else {
            LINUX
        };
        let Some(row) = table.iter().find(|r| r.0 == cpu.value) else {
            let cpus: Vec<String> = table.iter().map(|r| r.0.to_string()).collect();
            out.push(
                RULE.at(
                    cpu.span,
                    format!("Fargate has no task size with {} cpu units", cpu.value),
                )
                .label("not a Fargate cpu size")
                .help(format!(
                    "use one of {} (1024 units = 1 vCPU)",
                    cpus.join(", ")
                )),
            );
            continue;
        };
        if fits(row, memory.value) {
            continue;
        }
        let alternative = table
            .iter()
            .find(|r| fits(r, memory.value))
            .map(|r| format!("; or use cpu {} for {} MiB", r.0, memory.value))
            .unwrap_or_default();
        out.push(
            RULE.at(
                memory.span,
                format!(
                    "Fargate has no configuration with cpu {} and memory {} MiB",
                    cpu.value, memory.value
                ),
            )
            .label("not valid with this cpu")
            .with(cpu.span, format!("cpu {} set here", cpu.value))
            .help(format!("{}{alternative}", describe(row))),
        );
    }
}
