//! Compile time and memory on generated stacks of 1 to 10,000 services
//! (`cargo bench`). Prints two tables: the library's stages in-process
//! (median of several runs) and the real binary as a user runs it (wall
//! time, best of three, and peak memory read by GNU time when
//! `/usr/bin/time` exists), with `jq .` re-printing the same JSON as the
//! yardstick. The expectation is linear growth. Not a test: nothing here
//! can fail a build.
//!
//! `cargo bench -- 1000` measures only the sizes given; the generated
//! stacks are written to `target/bench-stacks/` and kept there for
//! profiling (`perf record target/release/ecsc check …`).

use ecsc::source::Sources;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[path = "../tests/common/scaled.rs"]
mod scaled;
use scaled::stack;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// The library's stages in-process: what `ecsc check` and `ecsc build`
/// spend after start-up, without reading or writing files.
fn in_process(n: usize, text: &str) {
    let mut sources = Sources::new();
    sources.add("bench.ecs", text.to_string());
    let runs = match n {
        10_000.. => 3,
        1000.. => 5,
        _ => 15,
    };
    let (mut check, mut build, mut nested, mut build_tf) = (vec![], vec![], vec![], vec![]);
    let mut bytes = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let compiled = ecsc::compile(&sources, &[]).expect("no usage error");
        let checked = t.elapsed();
        check.push(checked);
        let plan = compiled.plan.expect("the generated stack is valid");
        let t = Instant::now();
        bytes = ecsc::emit::cloudformation::template(&plan).to_json().len();
        build.push(t.elapsed() + checked);
        // What `ecsc build -o DIR` writes past the quotas (or with
        // `--split`): the parent and its nested stacks.
        // (Past about 6,000 services the groups are held by tiers.)
        let t = Instant::now();
        if let Ok(split) = ecsc::emit::cloudformation::split::split(
            ecsc::emit::cloudformation::template(&plan),
            "json",
        ) {
            let _: usize = split
                .children
                .into_iter()
                .map(|c| c.template.to_json().len())
                .sum::<usize>()
                + split.parent.to_json().len();
            nested.push(t.elapsed() + checked);
        }
        let t = Instant::now();
        let _ = ecsc::emit::terraform::configuration(&plan).to_json();
        build_tf.push(t.elapsed() + checked);
    }
    let nested = if nested.is_empty() {
        "E095".to_string()
    } else {
        format!("{:.2}ms", ms(median(nested)))
    };
    println!(
        "{n:>9} {:>10.2}ms {:>10.2}ms {nested:>12} {:>10.2}ms {bytes:>10}",
        ms(median(check)),
        ms(median(build)),
        ms(median(build_tf))
    );
}

/// One run of `program args`: wall time, peak resident memory in kB (with
/// GNU time) and whether it succeeded.
fn run(program: &Path, args: &[&str], dir: &Path) -> (Duration, Option<u64>, bool) {
    let gnu_time = Path::new("/usr/bin/time");
    let rss_file = dir.join("rss");
    let mut cmd = if gnu_time.exists() {
        let mut c = Command::new(gnu_time);
        c.arg("-f").arg("%M").arg("-o").arg(&rss_file).arg(program);
        c
    } else {
        Command::new(program)
    };
    cmd.args(args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let t = Instant::now();
    let status = cmd.status().expect("the command starts");
    let wall = t.elapsed();
    // GNU time writes "Command exited with non-zero status" first.
    let rss = std::fs::read_to_string(&rss_file)
        .ok()
        .and_then(|s| s.lines().last().and_then(|l| l.trim().parse().ok()));
    (wall, rss, status.success())
}

/// Best wall time and the peak memory of three runs; the time is marked
/// `E` when the command failed (a stack past what nested stacks hold).
fn best_of_three(program: &Path, args: &[&str], dir: &Path) -> (String, String) {
    let runs: Vec<_> = (0..3).map(|_| run(program, args, dir)).collect();
    let wall = runs.iter().map(|r| r.0).min().unwrap_or_default();
    let failed = if runs.iter().all(|r| r.2) { "" } else { " E" };
    let rss = runs
        .iter()
        .filter_map(|r| r.1)
        .max()
        .map_or("-".to_string(), |kb| format!("{:.1}", kb as f64 / 1024.0));
    (format!("{:.1}ms{failed}", ms(wall)), rss)
}

/// The real binary on the stack written to `dir`: `ecsc check`, `ecsc
/// build -o` for CloudFormation (nested stacks past the quotas) and
/// Terraform, and `jq .` re-printing the single CloudFormation template.
fn binary(n: usize, text: &str, dir: &Path) {
    let ecsc = Path::new(env!("CARGO_BIN_EXE_ecsc"));
    std::fs::create_dir_all(dir).expect("bench directory");
    std::fs::write(dir.join("stack.ecs"), text).expect("write the stack");
    let mut sources = Sources::new();
    sources.add("bench.ecs", text.to_string());
    let plan = ecsc::compile(&sources, &[])
        .expect("no usage error")
        .plan
        .expect("the generated stack is valid");
    let single = ecsc::emit::cloudformation::template(&plan).to_json();
    std::fs::write(dir.join("single.json"), &single).expect("write the template");
    let _ = std::fs::remove_dir_all(dir.join("cfn"));
    let (check, check_mb) = best_of_three(ecsc, &["check", "stack.ecs"], dir);
    let (build, build_mb) = best_of_three(ecsc, &["build", "stack.ecs", "-o", "cfn"], dir);
    let (tf, tf_mb) = best_of_three(
        ecsc,
        &["build", "stack.ecs", "--target", "terraform", "-o", "tf"],
        dir,
    );
    let jq = Command::new("jq")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    let (jq, jq_mb) = if jq {
        best_of_three(Path::new("jq"), &[".", "single.json"], dir)
    } else {
        ("-".to_string(), "-".to_string())
    };
    println!(
        "{n:>9} {check:>10} {check_mb:>6} {build:>10} {build_mb:>6} {tf:>10} {tf_mb:>6} {jq:>10} {jq_mb:>6}"
    );
}

fn main() {
    // `cargo bench` passes `--bench`; any number is a size to measure.
    let mut sizes: Vec<usize> = std::env::args().filter_map(|a| a.parse().ok()).collect();
    if sizes.is_empty() {
        sizes = vec![1, 10, 100, 1000, 10_000];
    }
    let stacks: Vec<(usize, String)> = sizes.iter().map(|&n| (n, stack(n))).collect();
    println!("in-process (median):");
    println!(
        "{:>9} {:>12} {:>12} {:>12} {:>12} {:>10}",
        "services", "check", "build json", "build nested", "build tf", "bytes"
    );
    for (n, text) in &stacks {
        in_process(*n, text);
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-stacks");
    println!("\nthe binary (best of three; peak memory in MB):");
    println!(
        "{:>9} {:>10} {:>6} {:>10} {:>6} {:>10} {:>6} {:>10} {:>6}",
        "services", "check", "MB", "build -o", "MB", "build tf", "MB", "jq .", "MB"
    );
    for (n, text) in &stacks {
        binary(*n, text, &root.join(n.to_string()));
    }
}
