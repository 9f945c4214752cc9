//! Valid stacks that rules once refused: each deploys on AWS, so `check`
//! must report no error for it (a note where facts are missing is fine).

use ecsc::source::Sources;

/// The codes of the errors and of the notes `check` reports.
fn check(src: &str) -> (Vec<String>, Vec<String>) {
    let mut sources = Sources::new();
    sources.add("valid.ecs", src.to_string());
    let compiled = ecsc::compile(&sources, &[]).expect("no usage error");
    let errors = compiled
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.code.to_string())
        .collect();
    let notes = compiled
        .diagnostics
        .notes()
        .iter()
        .map(|d| d.code.to_string())
        .collect();
    (errors, notes)
}

/// Security group rules are a union: one block per load balancer subnet
/// admits the load balancer (E028).
#[test]
fn targets_admit_the_load_balancer_subnet_by_subnet() {
    let (errors, _) = check(E28);
    assert!(errors.is_empty(), "{errors:?}");
}

/// One egress block per endpoint subnet reaches the endpoints (E013).
#[test]
fn tasks_reach_endpoints_subnet_by_subnet() {
    let (errors, _) = check(E13);
    assert!(errors.is_empty(), "{errors:?}");
}

/// `["sh", "-c", "… || …"]` names its shell (W032 stays silent).
#[test]
fn an_explicit_shell_in_a_health_check_is_fine() {
    let src = E28.replace(
        r#"port 8080 }"#,
        r#"port 8080  health { command = ["sh", "-c", "curl -f http://localhost:8080/ || exit 1"] } }"#,
    );
    let mut sources = Sources::new();
    sources.add("valid.ecs", src);
    let compiled = ecsc::compile(&sources, &[]).expect("no usage error");
    let codes: Vec<&str> = compiled.diagnostics.iter().map(|d| d.code).collect();
    assert!(
        !codes.contains(&"W032") && !compiled.diagnostics.has_errors(),
        "{codes:?}"
    );
}

/// Two VPCs that exist already may be peered: a note, not an error (E097).
#[test]
fn groups_of_two_existing_vpcs_may_reference_each_other() {
    let (errors, notes) = check(E97);
    assert!(errors.is_empty(), "{errors:?}");
    assert!(notes.contains(&"E097".to_string()), "{notes:?}");
}

/// A Region named like the next one of a known area may be newer than the
/// table: a note, not an error (E094).
#[test]
fn a_region_newer_than_the_table_is_a_note() {
    let (errors, notes) =
        check("stack s { region = \"us-east-3\" }\nvpc main { cidr = 10.0.0.0/16 }\n");
    assert!(errors.is_empty(), "{errors:?}");
    assert!(notes.contains(&"E094".to_string()), "{notes:?}");
}

const E28: &str = r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet public_a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
subnet public_b { vpc = main  cidr = 10.0.2.0/24  zone = "b"  public = true }
security_group alb_sg { vpc = main  ingress tcp 80 from 0.0.0.0/0 }
security_group app_sg {
  vpc = main
  ingress tcp 8080 from 10.0.1.0/24
  ingress tcp 8080 from 10.0.2.0/24
}
load_balancer web { subnets = [public_a, public_b]  security_groups = [alb_sg]  listener http 80 }
cluster main { }
task api {
  cpu = 256  memory = 512
  container app { image = "public.ecr.aws/nginx/nginx:1.27"  port 8080 }
}
service api {
  cluster = main  task = api
  network { subnets = [public_a, public_b]  security_groups = [app_sg]  public_ip = true }
  route web:80 { }
}"#;

const E13: &str = r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet private_a { vpc = main  cidr = 10.0.11.0/24  zone = "a" }
subnet private_b { vpc = main  cidr = 10.0.12.0/24  zone = "b" }
security_group app_sg {
  vpc = main
  egress tcp 443 to 10.0.11.0/24
  egress tcp 443 to 10.0.12.0/24
  egress tcp 443 to s3
}
security_group endpoint_sg { vpc = main  ingress tcp 443 from app_sg }
endpoint ecr_api { vpc = main  service = "ecr.api"  subnets = [private_a, private_b]  security_groups = [endpoint_sg] }
endpoint ecr_dkr { vpc = main  service = "ecr.dkr"  subnets = [private_a, private_b]  security_groups = [endpoint_sg] }
endpoint logs    { vpc = main  service = "logs"     subnets = [private_a, private_b]  security_groups = [endpoint_sg] }
endpoint s3      { vpc = main  service = "s3" }
cluster main { }
task api {
  cpu = 256  memory = 512
  container app { image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1.0" }
}
service api {
  cluster = main  task = api
  network { subnets = [private_a, private_b]  security_groups = [app_sg] }
}"#;

const E97: &str = r#"stack x { region = "eu-west-1" }
vpc apps { id = "vpc-0a1b2c3d4e5f67890" }
vpc data { id = "vpc-0a1b2c3d4e5f67891" }
security_group app_sg { vpc = apps }
security_group db_sg { id = "sg-0a1b2c3d4e5f67892"  vpc = data  ingress tcp 5432 from app_sg }"#;
