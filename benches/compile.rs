//! Compile time on generated stacks of 1, 10, 100 and 1000 services
//! (`cargo bench`). Prints the median of several runs per size; the
//! expectation is linear growth. Not a test: nothing here can fail a build.

use ecsc::source::Sources;
use std::time::{Duration, Instant};

/// A stack with `n` Fargate services behind one ALB, each with its own
/// task, route and security group.
fn stack(n: usize) -> String {
    let mut s = String::from(
        r#"stack bench { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet public_a  { vpc = main  cidr = 10.0.0.0/20   zone = "a"  public = true }
subnet public_b  { vpc = main  cidr = 10.0.16.0/20  zone = "b"  public = true }
subnet private_a { vpc = main  cidr = 10.0.128.0/18 zone = "a" }
subnet private_b { vpc = main  cidr = 10.0.192.0/18 zone = "b" }
nat_gateway nat { subnet = public_a }
security_group alb_sg { vpc = main  ingress tcp 443 from 0.0.0.0/0 }
load_balancer web {
  subnets = [public_a, public_b]  security_groups = [alb_sg]
  listener https 443 { certificate = "arn:aws:acm:eu-west-1:123456789012:certificate/abc" }
}
cluster main { insights = true }
"#,
    );
    for i in 0..n {
        s.push_str(&format!(
            r#"security_group svc{i}_sg {{ vpc = main  ingress tcp 8080 from alb_sg }}
task svc{i} {{
  cpu = 256  memory = 512
  container app {{
    image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/svc{i}:1.0"
    port 8080
    env = {{ SERVICE = "svc{i}" }}
    secret DB_URL from ssm "/bench/svc{i}/db"
  }}
}}
service svc{i} {{
  cluster = main  task = svc{i}  count = 2
  network {{ subnets = [private_a, private_b]  security_groups = [svc{i}_sg] }}
  route web:443 {{ path = "/svc{i}/*" }}
  autoscale {{ min = 2  max = 4  cpu = 60% }}
}}
"#
        ));
    }
    s
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    println!(
        "{:>9} {:>12} {:>12} {:>12} {:>10}",
        "services", "check", "build json", "build tf", "bytes"
    );
    for n in [1, 10, 100, 1000] {
        let text = stack(n);
        let mut sources = Sources::new();
        sources.add("bench.ecs", text);
        let runs = if n >= 1000 { 5 } else { 15 };
        let mut check = Vec::new();
        let mut build = Vec::new();
        let mut build_tf = Vec::new();
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
            let t = Instant::now();
            let _ = ecsc::emit::terraform::configuration(&plan).to_json();
            build_tf.push(t.elapsed() + checked);
        }
        println!(
            "{n:>9} {:>10.2}ms {:>10.2}ms {:>10.2}ms {bytes:>10}",
            median(check).as_secs_f64() * 1e3,
            median(build).as_secs_f64() * 1e3,
            median(build_tf).as_secs_f64() * 1e3
        );
    }
}
