//! Compile time on generated stacks of 1, 10, 100 and 1000 services
//! (`cargo bench`). Prints the median of several runs per size; the
//! expectation is linear growth. Not a test: nothing here can fail a build.

use ecsc::source::Sources;
use std::time::{Duration, Instant};

#[path = "../tests/common/scaled.rs"]
mod scaled;
use scaled::stack;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    println!(
        "{:>9} {:>12} {:>12} {:>12} {:>12} {:>10}",
        "services", "check", "build json", "build nested", "build tf", "bytes"
    );
    for n in [1, 10, 100, 1000] {
        let text = stack(n);
        let mut sources = Sources::new();
        sources.add("bench.ecs", text);
        let runs = if n >= 1000 { 5 } else { 15 };
        let mut check = Vec::new();
        let mut build = Vec::new();
        let mut build_tf = Vec::new();
        let mut nested = Vec::new();
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
            let t = Instant::now();
            let split = ecsc::emit::cloudformation::split::split(
                ecsc::emit::cloudformation::template(&plan),
                "json",
            )
            .expect("the generated stack splits");
            let _: usize = split
                .children
                .into_iter()
                .map(|c| c.template.to_json().len())
                .sum::<usize>()
                + split.parent.to_json().len();
            nested.push(t.elapsed() + checked);
            let t = Instant::now();
            let _ = ecsc::emit::terraform::configuration(&plan).to_json();
            build_tf.push(t.elapsed() + checked);
        }
        println!(
            "{n:>9} {:>10.2}ms {:>10.2}ms {:>10.2}ms {:>10.2}ms {bytes:>10}",
            median(check).as_secs_f64() * 1e3,
            median(build).as_secs_f64() * 1e3,
            median(nested).as_secs_f64() * 1e3,
            median(build_tf).as_secs_f64() * 1e3
        );
    }
}
