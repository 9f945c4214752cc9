//! The walkthrough's architecture scaled to `n` services behind one load
//! balancer: the stack `cargo bench` measures and the nested-stack tests
//! split (included by both with `#[path]`).

/// A stack with `n` Fargate services behind one ALB, each with its own
/// task, route and security group.
pub fn stack(n: usize) -> String {
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
