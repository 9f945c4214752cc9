//! The real binary: exit codes, atomic `-o`, `--set`, directories, help.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A test case: files in a fresh directory, a command, expectations.
struct Case {
    dir: PathBuf,
    args: Vec<String>,
}

struct Ran {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Case {
    fn new(name: &str) -> Case {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("cli")
            .join(name);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Case {
            dir,
            args: Vec::new(),
        }
    }

    fn file(self, name: &str, text: &str) -> Case {
        std::fs::write(self.dir.join(name), text).unwrap();
        self
    }

    fn args(mut self, args: &[&str]) -> Case {
        self.args = args.iter().map(|a| a.to_string()).collect();
        self
    }

    fn run(&self) -> Ran {
        let out = Command::new(env!("CARGO_BIN_EXE_ecsc"))
            .args(&self.args)
            .current_dir(&self.dir)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        Ran {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Runs with `input` as standard input.
    fn run_with_stdin(&self, input: impl AsRef<[u8]>) -> Ran {
        use std::io::Write;
        use std::process::Stdio;
        let mut child = Command::new(env!("CARGO_BIN_EXE_ecsc"))
            .args(&self.args)
            .current_dir(&self.dir)
            .env("NO_COLOR", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_ref())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        Ran {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.join(name)).unwrap()
    }
}

const GOOD: &str = r#"
stack app { region = "eu-west-1" }
param replicas = 2
param stage = "dev"
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
security_group sg { vpc = main }
cluster c { }
task web {
  cpu = 256  memory = 512
  container app { image = "nginx:1.27"  env = { STAGE = "${stage}" } }
}
service web {
  cluster = c  task = web  count = replicas
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
}
"#;

const BAD: &str = "stack app { region = \"eu-west-1\" }\nvpc main { cidr = 10.0.0.0/40 }\nsubnet a { vpc = mian cidr = 10.0.1.0/24 zone = \"a\" }\n";

#[test]
fn build_prints_json_and_exits_zero() {
    let r = Case::new("build_ok")
        .file("app.ecs", GOOD)
        .args(&["build", "app.ecs"])
        .run();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["AWSTemplateFormatVersion"], "2010-09-09");
    assert!(v["Resources"]["WebService"].is_object());
}

#[test]
fn build_yaml_uses_short_form_intrinsics() {
    let r = Case::new("build_yaml")
        .file("app.ecs", GOOD)
        .args(&["build", "app.ecs", "--format", "yaml"])
        .run();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("VpcId: !Ref MainVpc"), "{}", r.stdout);
}

#[test]
fn errors_exit_one_and_report_every_error() {
    let r = Case::new("build_bad")
        .file("app.ecs", BAD)
        .args(&["build", "app.ecs"])
        .run();
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.is_empty(),
        "nothing on stdout on failure: {}",
        r.stdout
    );
    assert!(r.stderr.contains("E008"), "{}", r.stderr);
    assert!(r.stderr.contains("E002"), "{}", r.stderr);
    assert!(r.stderr.contains("found 2 errors"), "{}", r.stderr);
}

#[test]
fn check_short_format_is_one_line_per_diagnostic() {
    let r = Case::new("check_short")
        .file("app.ecs", BAD)
        .args(&["check", "app.ecs", "--format", "short"])
        .run();
    assert_eq!(r.code, 1);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", r.stdout);
    assert!(
        lines[0].starts_with("app.ecs:2:19: error[E008]:"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with("app.ecs:3:18: error[E002]:"),
        "{}",
        lines[1]
    );
}

#[test]
fn check_passes_on_good_sources() {
    let r = Case::new("check_ok")
        .file("app.ecs", GOOD)
        .args(&["check", "app.ecs"])
        .run();
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn usage_and_io_errors_exit_two() {
    let missing = Case::new("missing").args(&["build", "nope.ecs"]).run();
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("nope.ecs"), "{}", missing.stderr);
    let bad_flag = Case::new("bad_flag")
        .file("app.ecs", GOOD)
        .args(&["build", "app.ecs", "--format", "xml"])
        .run();
    assert_eq!(bad_flag.code, 2);
    let unknown_param = Case::new("unknown_param")
        .file("app.ecs", GOOD)
        .args(&["build", "app.ecs", "--set", "replica=3"])
        .run();
    assert_eq!(unknown_param.code, 2);
    assert!(
        unknown_param.stderr.contains("did you mean `replicas`"),
        "{}",
        unknown_param.stderr
    );
    let bad_number = Case::new("bad_number")
        .file("app.ecs", GOOD)
        .args(&["build", "app.ecs", "--set", "replicas=many"])
        .run();
    assert_eq!(bad_number.code, 2);
    assert!(
        bad_number.stderr.contains("is a number"),
        "{}",
        bad_number.stderr
    );
}

#[test]
fn set_overrides_params_in_values_and_strings() {
    let r = Case::new("set")
        .file("app.ecs", GOOD)
        .args(&[
            "build",
            "app.ecs",
            "--set",
            "replicas=5",
            "--set",
            "stage=prod",
        ])
        .run();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        v["Resources"]["WebService"]["Properties"]["DesiredCount"],
        5
    );
    let env = &v["Resources"]["WebTaskDefinition"]["Properties"]["ContainerDefinitions"][0]
        ["Environment"][0];
    assert_eq!(env["Value"], "prod");
}

#[test]
fn output_file_is_written_and_left_untouched_on_failure() {
    let case = Case::new("atomic")
        .file("app.ecs", GOOD)
        .args(&["build", "app.ecs", "-o", "out.json"]);
    assert_eq!(case.run().code, 0);
    let good = case.read("out.json");
    assert!(good.contains("WebService"));
    let case = case.file("app.ecs", BAD);
    let r = case.run();
    assert_eq!(r.code, 1);
    assert_eq!(
        case.read("out.json"),
        good,
        "a failed build must not touch the output"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&case.dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn a_directory_is_one_stack_in_any_order() {
    let (net, app) = GOOD.split_at(GOOD.find("cluster c").unwrap());
    let case = Case::new("dir")
        .file("b_network.ecs", net)
        .file("a_app.ecs", app);
    std::fs::create_dir_all(case.dir.join("stack")).unwrap();
    std::fs::rename(
        case.dir.join("b_network.ecs"),
        case.dir.join("stack/b_network.ecs"),
    )
    .unwrap();
    std::fs::rename(case.dir.join("a_app.ecs"), case.dir.join("stack/a_app.ecs")).unwrap();
    let case = case.args(&["build", "stack"]);
    let whole = case.run();
    assert_eq!(whole.code, 0, "{}", whole.stderr);
    let reversed = case
        .args(&["build", "stack/b_network.ecs", "stack/a_app.ecs"])
        .run();
    assert_eq!(
        whole.stdout, reversed.stdout,
        "file order must not change the output"
    );
}

#[test]
fn help_shows_examples_and_version_prints() {
    let help = Case::new("help").args(&["--help"]).run();
    assert_eq!(help.code, 0);
    assert!(
        help.stdout.contains("ecsc build examples/hello.ecs"),
        "{}",
        help.stdout
    );
    let version = Case::new("version").args(&["--version"]).run();
    assert_eq!(version.code, 0);
    assert!(version.stdout.starts_with("ecsc "), "{}", version.stdout);
}

const WARNS: &str = r#"
stack app { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
security_group unused_sg { vpc = main }
"#;

#[test]
fn check_json_has_a_stable_shape() {
    let r = Case::new("check_json")
        .file("app.ecs", BAD)
        .args(&["check", "app.ecs", "--format", "json"])
        .run();
    assert_eq!(r.code, 1);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["summary"]["errors"], 2);
    let first = &v["diagnostics"][0];
    assert_eq!(first["code"], "E008");
    assert_eq!(first["file"], "app.ecs");
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(2), Some(19))
    );
    assert!(first["help"].as_str().is_some_and(|h| !h.is_empty()));
}

#[test]
fn check_sarif_is_sarif_2_1_0_with_rule_metadata() {
    let r = Case::new("check_sarif")
        .file("app.ecs", BAD)
        .args(&["check", "app.ecs", "--format", "sarif"])
        .run();
    assert_eq!(r.code, 1);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules
        .iter()
        .any(|r| r["id"] == "E030" && r["help"]["markdown"].as_str().is_some()));
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "E008");
    assert_eq!(result["level"], "error");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["region"]["startLine"],
        2
    );
}

#[test]
fn warnings_pass_unless_denied() {
    let case = Case::new("warnings").file("app.ecs", WARNS);
    let lenient = case.args(&["check", "app.ecs"]).run();
    assert_eq!(lenient.code, 0, "{}", lenient.stderr);
    assert!(lenient.stderr.contains("W090"), "{}", lenient.stderr);
    let case = Case::new("warnings_denied").file("app.ecs", WARNS);
    let strict = case.args(&["check", "app.ecs", "--deny-warnings"]).run();
    assert_eq!(strict.code, 1);
}

#[test]
fn a_suppression_needs_a_reason_and_must_match() {
    let allowed = WARNS.replace(
        "security_group unused_sg",
        "# ecsc-allow W090: kept for the migration next week\nsecurity_group unused_sg",
    );
    let r = Case::new("suppressed")
        .file("app.ecs", &allowed)
        .args(&["check", "app.ecs", "--deny-warnings"])
        .run();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let no_reason = WARNS.replace(
        "security_group unused_sg",
        "# ecsc-allow W090\nsecurity_group unused_sg",
    );
    let r = Case::new("no_reason")
        .file("app.ecs", &no_reason)
        .args(&["check", "app.ecs", "--format", "short"])
        .run();
    assert!(r.stdout.contains("W002"), "{}", r.stdout);
    assert!(
        r.stdout.contains("W090"),
        "an invalid suppression silences nothing: {}",
        r.stdout
    );
    let stale = format!("{WARNS}# ecsc-allow W090: nothing here any more\n");
    let r = Case::new("stale")
        .file("app.ecs", &stale)
        .args(&["check", "app.ecs", "--format", "short"])
        .run();
    assert!(r.stdout.contains("W001"), "{}", r.stdout);
}

#[test]
fn explain_prints_a_rule_and_suggests_on_typos() {
    let r = Case::new("explain").args(&["explain", "E030"]).run();
    assert_eq!(r.code, 0);
    assert!(
        r.stdout.contains("fargate-cpu-memory") && r.stdout.contains("Bad:"),
        "{}",
        r.stdout
    );
    let lang = Case::new("explain_lang").args(&["explain", "e002"]).run();
    assert_eq!(lang.code, 0);
    let typo = Case::new("explain_typo").args(&["explain", "E0300"]).run();
    assert_eq!(typo.code, 2);
    assert!(typo.stderr.contains("did you mean"), "{}", typo.stderr);
    // A retired code says what replaced it.
    let retired = Case::new("explain_retired")
        .args(&["explain", "W092"])
        .run();
    assert_eq!(retired.code, 0);
    assert!(
        retired.stdout.contains("retired") && retired.stdout.contains("E099"),
        "{}",
        retired.stdout
    );
}

#[test]
fn explain_lists_a_block_kind() {
    let r = Case::new("explain_service")
        .args(&["explain", "service"])
        .run();
    assert_eq!(r.code, 0, "{}", r.stderr);
    for text in [
        "attributes",
        "cluster",
        "required",
        "grace_period",
        "autoscale { }",
        "route LB:PORT",
    ] {
        assert!(r.stdout.contains(text), "no `{text}` in:\n{}", r.stdout);
    }
    let c = Case::new("explain_container")
        .args(&["explain", "container"])
        .run();
    assert_eq!(c.code, 0, "{}", c.stderr);
    assert!(
        c.stdout.contains("stop_timeout") && c.stdout.contains("0–120 s"),
        "{}",
        c.stdout
    );
    // A keyword two blocks share lists both.
    let h = Case::new("explain_health")
        .args(&["explain", "health"])
        .run();
    assert_eq!(h.code, 0, "{}", h.stderr);
    assert!(
        h.stdout.contains("container.health") && h.stdout.contains("route.health"),
        "{}",
        h.stdout
    );
    let p = Case::new("explain_port").args(&["explain", "port"]).run();
    assert!(
        p.stdout.contains("host_port") && p.stdout.contains("0–65535"),
        "{}",
        p.stdout
    );
}

#[test]
fn explain_rejects_unknown_words_with_a_suggestion() {
    let r = Case::new("explain_unknown_block")
        .args(&["explain", "servce"])
        .run();
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("ecsc explain service"), "{}", r.stderr);
    let none = Case::new("explain_nothing")
        .args(&["explain", "zzzzzz"])
        .run();
    assert_eq!(none.code, 2);
    assert!(
        none.stderr.contains("no diagnostic code or block kind"),
        "{}",
        none.stderr
    );
}

#[test]
fn graph_prints_dot_and_mermaid() {
    let dot = Case::new("graph_dot")
        .file("app.ecs", GOOD)
        .args(&["graph", "app.ecs"])
        .run();
    assert_eq!(dot.code, 0, "{}", dot.stderr);
    assert!(dot.stdout.starts_with("digraph ecsc {"), "{}", dot.stdout);
    assert!(
        dot.stdout.contains("label=\"service web\""),
        "{}",
        dot.stdout
    );
    let mermaid = Case::new("graph_mermaid")
        .file("app.ecs", GOOD)
        .args(&["graph", "app.ecs", "--format", "mermaid"])
        .run();
    assert!(mermaid.stdout.starts_with("graph LR"), "{}", mermaid.stdout);
    assert!(mermaid.stdout.contains(" --> "), "{}", mermaid.stdout);
}

#[test]
fn params_interpolate_params_and_typed_params_take_typed_overrides() {
    let src = r#"
stack app { region = "eu-west-1" }
param env = "prod"
param prefix = "shop-${env}"
param net = 10.1.0.0/16
vpc main { cidr = net }
cluster c { }
task web { cpu = 256  memory = 512  container app { image = "nginx:1.27"  env = { NAME = "${prefix}" } } }
"#;
    let r = Case::new("typed_set")
        .file("app.ecs", src)
        .args(&["build", "app.ecs", "--set", "net=10.2.0.0/16"])
        .run();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        v["Resources"]["MainVpc"]["Properties"]["CidrBlock"],
        "10.2.0.0/16"
    );
    let env = &v["Resources"]["WebTaskDefinition"]["Properties"]["ContainerDefinitions"][0]
        ["Environment"][0];
    assert_eq!(env["Value"], "shop-prod");
    let bad = Case::new("typed_set_bad")
        .file("app.ecs", src)
        .args(&["build", "app.ecs", "--set", "net=big"])
        .run();
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("is a CIDR block"), "{}", bad.stderr);
}

/// A repository with stacks in nested folders: a two-file stack, a broken
/// one, a folder of single-file stacks, and `.ecs` files in hidden and
/// `target` folders that are not stacks.
fn nested_repository(name: &str) -> Case {
    let case = Case::new(name);
    for dir in [
        "infra/staging",
        "infra/prod",
        "samples",
        ".git/hooks",
        "target/x",
    ] {
        std::fs::create_dir_all(case.dir.join(dir)).unwrap();
    }
    let network = "vpc main { cidr = 10.0.0.0/16 }\nsubnet a { vpc = main  cidr = 10.0.1.0/24  zone = \"a\"  public = true }\n";
    case.file(
        "infra/staging/stack.ecs",
        "stack staging { region = \"eu-west-1\" }\n",
    )
    .file("infra/staging/network.ecs", network)
    .file(
        "infra/prod/main.ecs",
        "stack prod { region = \"eu-west-1\" }\nvpc main { cidr = 10.0.0.0/40 }\n",
    )
    .file("samples/one.ecs", "stack one { region = \"eu-west-1\" }\n")
    .file("samples/two.ecs", "stack two { region = \"eu-west-1\" }\n")
    .file(".git/hooks/broken.ecs", "not a stack {")
    .file("target/x/broken.ecs", "not a stack {")
}

#[test]
fn check_finds_every_stack_under_a_directory() {
    let ran = nested_repository("nested_all")
        .args(&["check", "--format", "short", "."])
        .run();
    assert_eq!(ran.code, 1, "{}{}", ran.stdout, ran.stderr);
    let lines: Vec<&str> = ran.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{}", ran.stdout);
    assert!(
        lines[0].starts_with("infra/prod/main.ecs:2:19: error[E008]"),
        "{}",
        ran.stdout
    );
    // Human output names each stack that has something to say.
    let human = nested_repository("nested_human")
        .args(&["check", "."])
        .run();
    assert!(
        human.stderr.contains("── infra/prod/main.ecs"),
        "{}",
        human.stderr
    );
    // JSON: one document for all the stacks.
    let json = nested_repository("nested_json")
        .args(&["check", "--format", "json", "."])
        .run();
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["summary"]["errors"], 1, "{}", json.stdout);
    assert_eq!(v["diagnostics"][0]["file"], "infra/prod/main.ecs");
}

#[test]
fn the_pre_commit_entry_checks_the_stacks_of_the_changed_files() {
    let hooks = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml"),
    )
    .unwrap();
    let entry = hooks
        .lines()
        .find_map(|l| l.trim().strip_prefix("entry: "))
        .expect("an entry line");
    assert!(
        !hooks.contains("pass_filenames: false"),
        "pre-commit must pass the changed files"
    );
    let mut words = entry.split_whitespace();
    assert_eq!(words.next(), Some("ecsc"));
    let args: Vec<&str> = words.collect();
    // A change in the staging stack: its two files are checked together
    // (the network file alone has no `stack`), and the broken production
    // stack is not re-checked.
    let mut staging = args.clone();
    staging.push("infra/staging/network.ecs");
    let ran = nested_repository("pre_commit_staging").args(&staging).run();
    assert_eq!(ran.code, 0, "{}{}", ran.stdout, ran.stderr);
    // A change in production fails the hook.
    let mut prod = args.clone();
    prod.extend(["infra/prod/main.ecs", "samples/two.ecs"]);
    let ran = nested_repository("pre_commit_prod").args(&prod).run();
    assert_eq!(ran.code, 1, "{}{}", ran.stdout, ran.stderr);
    assert!(
        ran.stdout.contains("infra/prod/main.ecs:2:19"),
        "{}",
        ran.stdout
    );
}

const ENVIRONMENTS: &str = r#"
stack shop { region = "eu-west-1" }
param replicas = 1
param task_memory = 512MiB
environment staging { }
environment production { replicas = 4  task_memory = 1GiB }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
security_group sg { vpc = main }
cluster main { }
task web {
  cpu = 256  memory = task_memory
  container app { image = "public.ecr.aws/nginx/nginx:1.27" }
}
service web {
  cluster = main  task = web  count = replicas
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
}
"#;

#[test]
fn environments_differ_in_names_counts_and_sizes() {
    let build = |env: &str| {
        let ran = Case::new(&format!("env_{env}"))
            .file("app.ecs", ENVIRONMENTS)
            .args(&["build", "app.ecs", "--env", env])
            .run();
        assert_eq!(ran.code, 0, "{}", ran.stderr);
        serde_json::from_str::<serde_json::Value>(&ran.stdout).unwrap()
    };
    let (staging, production) = (build("staging"), build("production"));
    let r = |t: &serde_json::Value, id: &str, prop: &str| {
        t["Resources"][id]["Properties"][prop].clone()
    };
    assert_eq!(
        r(&staging, "MainCluster", "ClusterName"),
        "shop-staging-main"
    );
    assert_eq!(
        r(&production, "MainCluster", "ClusterName"),
        "shop-production-main"
    );
    assert_eq!(r(&staging, "WebService", "DesiredCount"), 1);
    assert_eq!(r(&production, "WebService", "DesiredCount"), 4);
    assert_eq!(r(&staging, "WebTaskDefinition", "Memory"), "512");
    assert_eq!(r(&production, "WebTaskDefinition", "Memory"), "1024");
    assert_eq!(
        r(&production, "WebLogGroup", "LogGroupName"),
        "/ecs/shop-production/web"
    );
    // Without --env: the stack's own defaults and names.
    let base = Case::new("env_none")
        .file("app.ecs", ENVIRONMENTS)
        .args(&["build", "app.ecs"])
        .run();
    let base: serde_json::Value = serde_json::from_str(&base.stdout).unwrap();
    assert_eq!(r(&base, "MainCluster", "ClusterName"), "shop-main");
}

/// A param may hold references: each environment chooses the subnets.
#[test]
fn an_environment_chooses_its_subnets() {
    let src = r#"
stack shop { region = "eu-west-1" }
param task_subnets = [a]
environment staging { }
environment production { task_subnets = [a, b] }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
subnet b { vpc = main  cidr = 10.0.2.0/24  zone = "b"  public = true }
security_group sg { vpc = main  ingress tcp 80 from 0.0.0.0/0 }
load_balancer web { subnets = [a, b]  security_groups = [sg]  listener http 80 }
cluster main { }
task web {
  cpu = 256  memory = 512
  container app { image = "public.ecr.aws/nginx/nginx:1.27"  port 80 }
}
service web {
  cluster = main  task = web
  network { subnets = task_subnets  security_groups = [sg]  public_ip = true }
  route web:80 { }
}
"#;
    let subnets = |env: &str| {
        let ran = Case::new(&format!("env_subnets_{env}"))
            .file("app.ecs", src)
            .args(&["build", "app.ecs", "--env", env])
            .run();
        assert_eq!(ran.code, 0, "{}", ran.stderr);
        let t: serde_json::Value = serde_json::from_str(&ran.stdout).unwrap();
        t["Resources"]["WebService"]["Properties"]["NetworkConfiguration"]["AwsvpcConfiguration"]
            ["Subnets"]
            .clone()
    };
    assert_eq!(subnets("staging"), serde_json::json!([{"Ref": "ASubnet"}]));
    assert_eq!(
        subnets("production"),
        serde_json::json!([{"Ref": "ASubnet"}, {"Ref": "BSubnet"}])
    );
    let shown = Case::new("env_subnets_show")
        .file("app.ecs", src)
        .args(&["show", "app.ecs", "--env", "production"])
        .run();
    assert!(
        shown.stdout.contains("task_subnets = [a, b]"),
        "{}",
        shown.stdout
    );
}

#[test]
fn check_covers_every_environment_and_env_names_are_checked() {
    // Production's 1 GiB with 256 CPU units is fine; 3 GiB is not a
    // Fargate size for 256 units: only production has the error.
    let broken = ENVIRONMENTS.replace("task_memory = 1GiB", "task_memory = 3GiB");
    let ran = Case::new("env_check")
        .file("app.ecs", &broken)
        .args(&["check", "app.ecs", "--format", "short"])
        .run();
    assert_eq!(ran.code, 1, "{}{}", ran.stdout, ran.stderr);
    let errors: Vec<&str> = ran
        .stdout
        .lines()
        .filter(|l| l.contains("error["))
        .collect();
    assert_eq!(errors.len(), 1, "{}", ran.stdout);
    assert!(
        errors[0].contains("E030") && errors[0].ends_with("(environment `production`)"),
        "{}",
        ran.stdout
    );
    // One environment only.
    let staging = Case::new("env_check_staging")
        .file("app.ecs", &broken)
        .args(&["check", "app.ecs", "--env", "staging"])
        .run();
    assert_eq!(staging.code, 0, "{}", staging.stderr);
    // An environment the sources do not declare.
    let unknown = Case::new("env_unknown")
        .file("app.ecs", ENVIRONMENTS)
        .args(&["build", "app.ecs", "--env", "prodution"])
        .run();
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("did you mean `production`?"),
        "{}",
        unknown.stderr
    );
    // An environment that sets a param nobody declared.
    let typo = ENVIRONMENTS.replace("replicas = 4", "replica = 4");
    let ran = Case::new("env_typo")
        .file("app.ecs", &typo)
        .args(&["check", "app.ecs", "--format", "short"])
        .run();
    assert!(
        ran.stdout
            .contains("error[E002]: there is no param named `replica`"),
        "{}",
        ran.stdout
    );
}

#[test]
fn show_prints_the_effective_stack() {
    let ran = Case::new("show_env")
        .file("app.ecs", ENVIRONMENTS)
        .args(&["show", "app.ecs", "--env", "production"])
        .run();
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert!(
        ran.stdout
            .starts_with("stack shop-production (Region eu-west-1, environment production)"),
        "{}",
        ran.stdout
    );
    assert!(ran.stdout.contains("  replicas = 4\n"), "{}", ran.stdout);
    assert!(
        ran.stdout
            .contains("  web: 4 × task web, 256 CPU units / 1024 MiB"),
        "{}",
        ran.stdout
    );
    assert!(ran.stdout.contains("  service web\n"), "{}", ran.stdout);
}

#[test]
fn a_stopped_environment_runs_nothing() {
    let src = ENVIRONMENTS.replace("environment staging { }", "environment staging { stopped = true }")
        + "schedule nightly { cluster = main  task = web  cron = \"0 3 * * ? *\"\n  network { subnets = [a]  security_groups = [sg]  public_ip = true } }\n";
    let build = |env: &str| {
        let ran = Case::new(&format!("stopped_{env}"))
            .file("app.ecs", &src)
            .args(&["build", "app.ecs", "--env", env])
            .run();
        assert_eq!(ran.code, 0, "{}", ran.stderr);
        serde_json::from_str::<serde_json::Value>(&ran.stdout).unwrap()
    };
    let (staging, production) = (build("staging"), build("production"));
    let p = |t: &serde_json::Value, id: &str, prop: &str| {
        t["Resources"][id]["Properties"][prop].clone()
    };
    assert_eq!(p(&staging, "WebService", "DesiredCount"), 0);
    assert_eq!(p(&staging, "NightlySchedule", "State"), "DISABLED");
    assert_eq!(p(&production, "WebService", "DesiredCount"), 4);
    assert_eq!(p(&production, "NightlySchedule", "State"), "ENABLED");
}

#[test]
fn show_and_graph_mark_existing_resources() {
    let src = r#"stack s { region = "eu-west-1" }
vpc shared { id = "vpc-0a1b2c3d4e5f67890" }
security_group app { vpc = shared }
"#;
    let shown = Case::new("show_existing")
        .file("app.ecs", src)
        .args(&["show", "app.ecs"])
        .run();
    assert_eq!(shown.code, 0, "{}", shown.stderr);
    assert!(
        shown.stdout.contains("  vpc shared (existing)\n"),
        "{}",
        shown.stdout
    );
    assert!(
        shown.stdout.contains("  security group app\n"),
        "{}",
        shown.stdout
    );
    let graph = Case::new("graph_existing")
        .file("app.ecs", src)
        .args(&["graph", "app.ecs"])
        .run();
    assert_eq!(graph.code, 0, "{}", graph.stderr);
    assert!(
        graph.stdout.contains("label=\"vpc shared (existing)\""),
        "{}",
        graph.stdout
    );
}

#[test]
fn check_says_what_it_could_not_verify() {
    let src = r#"stack s { region = "eu-west-1" }
vpc shared { id = input }
subnet a { id = input  vpc = shared }
subnet b { id = input  vpc = shared }
security_group lb_sg { vpc = shared  ingress tcp 80 from 0.0.0.0/0 }
load_balancer web { subnets = [a, b]  security_groups = [lb_sg]  listener http 80 { fixed_response { status = 404 } } }
"#;
    let human = Case::new("check_notes")
        .file("app.ecs", src)
        .args(&["check", "app.ecs"])
        .run();
    assert_eq!(human.code, 0, "a note never fails a run: {}", human.stderr);
    assert!(
        human.stderr.contains(
            "app.ecs:6:31: note[E020]: whether load balancer `web` spans two zones is not checked"
        ),
        "{}",
        human.stderr
    );
    assert!(
        human.stderr.contains("  help: state `zone`"),
        "{}",
        human.stderr
    );
    let json = Case::new("check_notes_json")
        .file("app.ecs", src)
        .args(&["check", "app.ecs", "--format", "json"])
        .run();
    let v: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    assert_eq!(v["summary"]["errors"], 0, "{}", json.stdout);
    assert_eq!(v["summary"]["warnings"], 1, "{}", json.stdout); // W090
    assert_eq!(v["summary"]["notes"], 3, "{}", json.stdout); // W010 twice, E020
    let e020 = v["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|d| d["code"] == "E020")
        .expect("E020 note");
    assert_eq!(e020["severity"], "note", "{}", json.stdout);
}

#[test]
fn a_disabled_nat_gateway_routes_nothing() {
    let src = r#"stack s { region = "eu-west-1" }
param nat = true
vpc main { cidr = 10.0.0.0/16 }
subnet public_a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
subnet private_a { vpc = main  cidr = 10.0.2.0/24  zone = "a" }
nat_gateway egress { subnet = public_a  enabled = nat }
security_group app { vpc = main }
cluster c {}
task t { cpu = 256  memory = 512  container app { image = "nginx:1.27" } }
service api { cluster = c  task = t  count = 1  network { subnets = [private_a]  security_groups = [app] } }
"#;
    let on = Case::new("nat_on")
        .file("app.ecs", src)
        .args(&["build", "app.ecs"])
        .run();
    assert_eq!(on.code, 0, "{}", on.stderr);
    assert!(on.stdout.contains("\"EgressNatGateway\""), "{}", on.stdout);
    assert!(
        on.stdout.contains("\"PrivateADefaultRoute\""),
        "{}",
        on.stdout
    );
    let off = Case::new("nat_off")
        .file("app.ecs", src)
        .args(&["check", "app.ecs", "--set", "nat=false"])
        .run();
    assert_eq!(off.code, 1, "{}", off.stderr);
    assert!(off.stderr.contains("E018"), "{}", off.stderr);
    assert!(
        off.stderr.contains("`private_a` has no NAT gateway route"),
        "{}",
        off.stderr
    );
    assert!(
        off.stderr.contains("enable NAT gateway `egress` here"),
        "{}",
        off.stderr
    );
}

#[test]
fn template_quotas_stop_cloudformation_builds_only() {
    let mut src =
        String::from("stack s { region = \"eu-west-1\" }\nvpc main { cidr = 10.0.0.0/16 }\n");
    for i in 0..201 {
        src.push_str(&format!("output o{i} {{ vpc = main  attribute = id }}\n"));
    }
    let case = Case::new("template_quotas").file("a.ecs", &src);
    let check = case.args(&["check", "a.ecs"]).run();
    assert_eq!(check.code, 1, "{}", check.stderr);
    assert!(check.stderr.contains("E095"), "{}", check.stderr);
    let case = Case::new("template_quotas_cfn").file("a.ecs", &src);
    let cfn = case.args(&["build", "a.ecs"]).run();
    assert_eq!(cfn.code, 1, "{}", cfn.stderr);
    assert!(cfn.stdout.is_empty());
    let case = Case::new("template_quotas_tf").file("a.ecs", &src).args(&[
        "build",
        "--target",
        "terraform",
        "a.ecs",
        "-o",
        "tf",
    ]);
    let tf = case.run();
    assert_eq!(tf.code, 0, "{}", tf.stderr);
    assert!(!tf.stderr.contains("E095"), "{}", tf.stderr);
    let config: serde_json::Value = serde_json::from_str(&case.read("tf/main.tf.json")).unwrap();
    assert_eq!(config["output"].as_object().map(|o| o.len()), Some(201));
}

#[test]
fn a_dash_reads_the_stack_from_standard_input() {
    let from_file = Case::new("stdin_file")
        .file("app.ecs", GOOD)
        .args(&["build", "app.ecs"])
        .run();
    let case = Case::new("stdin").args(&["build", "-"]);
    let from_stdin = case.run_with_stdin(GOOD);
    assert_eq!(from_stdin.code, 0, "{}", from_stdin.stderr);
    assert_eq!(from_stdin.stdout, from_file.stdout);
    // Diagnostics name it `<stdin>`, with lines and columns.
    let bad = Case::new("stdin_bad")
        .args(&["check", "-"])
        .run_with_stdin(BAD);
    assert_eq!(bad.code, 1);
    assert!(bad.stderr.contains("<stdin>:2:"), "{}", bad.stderr);
    // Not UTF-8: the byte and where it is, as for a file.
    let latin1 = Case::new("stdin_latin1")
        .args(&["check", "-"])
        .run_with_stdin(b"stack app { region = \"eu-west-1\" }\n# caf\xe9\n");
    assert_eq!(latin1.code, 2, "{}", latin1.stderr);
    assert!(
        latin1.stderr.contains("<stdin>:2:6:") && latin1.stderr.contains("0xE9"),
        "{}",
        latin1.stderr
    );
}

#[test]
fn completions_and_the_manual_page_cover_every_command() {
    const COMMANDS: &[&str] = &[
        "build",
        "check",
        "graph",
        "show",
        "fmt",
        "lsp",
        "cost",
        "import",
        "explain",
        "completions",
        "man",
    ];
    // Whole words: `man` must not be found inside `command`.
    let words = |text: &str| -> std::collections::HashSet<String> {
        text.split(|c: char| !c.is_ascii_alphanumeric())
            .map(str::to_string)
            .collect()
    };
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let r = Case::new(&format!("completions_{shell}"))
            .args(&["completions", shell])
            .run();
        assert_eq!(r.code, 0, "{shell}: {}", r.stderr);
        let found = words(&r.stdout);
        for command in COMMANDS {
            assert!(found.contains(*command), "{shell} lacks {command}");
        }
    }
    let r = Case::new("completions_bad")
        .args(&["completions", "cmd"])
        .run();
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("possible values"), "{}", r.stderr);
    let man = Case::new("man").args(&["man"]).run();
    assert_eq!(man.code, 0, "{}", man.stderr);
    assert!(man.stdout.contains(".TH ecsc 1"), "{}", man.stdout);
    let found = words(&man.stdout);
    for command in COMMANDS {
        assert!(found.contains(*command), "the manual lacks {command}");
    }
}
