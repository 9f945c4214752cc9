//! The real binary's `-o`: only regular files are replaced, through an
//! exclusive, unpredictable temporary file that never outlives the process
//! (issue #13, part 4).
#![cfg(unix)]

mod common;

use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const GOOD: &str = r#"
stack app { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
security_group sg { vpc = main }
cluster c { }
task web {
  cpu = 256  memory = 512
  container app { image = "nginx:1.27" }
}
service web {
  cluster = c  task = web
  network { subnets = [a]  security_groups = [sg]  public_ip = true }
}
"#;

/// A fresh directory holding `app.ecs`.
fn dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("cli_output")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("app.ecs"), GOOD).unwrap();
    dir
}

fn ecsc(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ecsc"));
    c.args(args).current_dir(dir).env("NO_COLOR", "1");
    c
}

/// `ecsc build app.ecs ARGS...`, with a time limit (a FIFO must not hang).
fn build(dir: &Path, args: &[&str]) -> Output {
    let mut all = vec!["build", "app.ecs"];
    all.extend(args);
    let child = ecsc(dir, &all)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for(child, Duration::from_secs(20))
}

fn wait_for(mut child: Child, limit: Duration) -> Output {
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("ecsc did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Names in `dir` ending in `.tmp`.
fn temporaries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect()
}

/// A usage error (exit 2) whose message says `what`, leaving no temporary.
fn refused(dir: &Path, out: &Output, what: &str) {
    assert_eq!(out.status.code(), Some(2), "{}", stderr(out));
    assert!(stderr(out).contains(what), "{}", stderr(out));
    assert!(temporaries(dir).is_empty(), "{:?}", temporaries(dir));
}

#[test]
fn a_symbolic_link_is_refused_and_its_target_untouched() {
    let dir = dir("symlink");
    std::fs::write(dir.join("victim.json"), "victim").unwrap();
    std::os::unix::fs::symlink("victim.json", dir.join("out.json")).unwrap();
    let out = build(&dir, &["-o", "out.json"]);
    refused(&dir, &out, "out.json is a symbolic link");
    let meta = std::fs::symlink_metadata(dir.join("out.json")).unwrap();
    assert!(meta.file_type().is_symlink());
    assert_eq!(
        std::fs::read_to_string(dir.join("victim.json")).unwrap(),
        "victim"
    );
    // `-o /dev/stdout` is a link too: refused, the node left alone.
    let out = build(&dir, &["-o", "/dev/stdout"]);
    refused(&dir, &out, "/dev/stdout is a symbolic link");
    assert!(stderr(&out).contains("-o -"), "{}", stderr(&out));
}

#[test]
fn a_device_node_is_refused_and_left_a_device() {
    let dir = dir("device");
    // A node of our own when we may make one (as root, where replacing a
    // node is possible at all); else /dev/null.
    let own = dir.join("null");
    let made = Command::new("mknod")
        .args([own.to_str().unwrap(), "c", "1", "3"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    let node = if made {
        own
    } else {
        PathBuf::from("/dev/null")
    };
    let out = build(&dir, &["-o", node.to_str().unwrap()]);
    refused(&dir, &out, "is a device node");
    let meta = std::fs::symlink_metadata(&node).unwrap();
    assert!(meta.file_type().is_char_device(), "{node:?} was replaced");
    let out = build(&dir, &["-o", "/dev/null"]);
    refused(&dir, &out, "/dev/null is a device node");
    assert!(std::fs::symlink_metadata("/dev/null")
        .unwrap()
        .file_type()
        .is_char_device());
}

#[test]
fn a_fifo_is_refused_without_hanging() {
    let dir = dir("fifo");
    let fifo = dir.join("out.json");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let out = build(&dir, &["-o", "out.json"]);
    refused(&dir, &out, "out.json is a FIFO");
    assert!(std::fs::symlink_metadata(&fifo)
        .unwrap()
        .file_type()
        .is_fifo());
    // Nor does `--check` read it (it would block).
    let out = build(&dir, &["-o", "out.json", "--check"]);
    refused(&dir, &out, "out.json is a FIFO");
}

#[test]
fn a_directory_is_refused() {
    let dir = dir("directory");
    std::fs::create_dir(dir.join("out.json")).unwrap();
    let out = build(&dir, &["-o", "out.json"]);
    refused(&dir, &out, "out.json is a directory");
}

#[test]
fn the_permission_bits_of_the_file_replaced_are_kept() {
    let dir = dir("mode");
    let path = dir.join("out.json");
    for mode in [0o600, 0o640, 0o664] {
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        let out = build(&dir, &["-o", "out.json"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let meta = std::fs::metadata(&path).unwrap();
        assert_eq!(meta.permissions().mode() & 0o777, mode);
        assert!(std::fs::read_to_string(&path)
            .unwrap()
            .contains("WebService"));
    }
}

#[test]
fn a_read_only_file_is_not_replaced() {
    let dir = dir("readonly");
    let path = dir.join("out.json");
    std::fs::write(&path, "old").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let out = build(&dir, &["-o", "out.json"]);
    refused(&dir, &out, "out.json is read-only");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
}

#[test]
fn a_split_stack_is_written_all_or_none() {
    // One nested template cannot be replaced: the others, staged at once,
    // are removed, and nothing in the directory changes.
    let dir = dir("all-or-none");
    let out = dir.join("out");
    std::fs::create_dir_all(&out).unwrap();
    let services = out.join("services.json");
    std::fs::write(&services, "old").unwrap();
    std::fs::set_permissions(&services, std::fs::Permissions::from_mode(0o444)).unwrap();
    let built = build(&dir, &["--split", "-o", "out"]);
    refused(&out, &built, "services.json is read-only");
    let names: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["services.json"], "{names:?}");
    assert_eq!(std::fs::read_to_string(&services).unwrap(), "old");
    // Made writable, the same build writes all three.
    std::fs::set_permissions(&services, std::fs::Permissions::from_mode(0o644)).unwrap();
    let built = build(&dir, &["--split", "-o", "out"]);
    assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
    for file in ["shared.json", "services.json", "template.json"] {
        assert!(out.join(file).is_file(), "{file}");
    }
}

#[test]
fn dash_is_standard_output() {
    let dir = dir("dash");
    let out = build(&dir, &["-o", "-"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("WebService"));
    assert!(!dir.join("-").exists());
    let out = build(&dir, &["--target", "terraform", "-o", "-"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("aws_ecs_service"));
    let out = build(&dir, &["-o", "-", "--check"]);
    assert_eq!(out.status.code(), Some(2));
}

/// Starts a build that holds once its temporary file is written
/// (`ECSC_TEST_HOLD_OUTPUT`), and returns it with that file's name.
fn held(dir: &Path) -> (Child, String) {
    let (child, mut found) = holding(dir, &["-o", "out.json"], dir, 1);
    (child, found.remove(0))
}

/// Starts `ecsc build app.ecs ARGS…` holding its writes, and returns it
/// once `count` temporary files are in `watch`, with their names.
fn holding(dir: &Path, args: &[&str], watch: &Path, count: usize) -> (Child, Vec<String>) {
    let mut all = vec!["build", "app.ecs"];
    all.extend(args);
    let child = ecsc(dir, &all)
        .env("ECSC_TEST_HOLD_OUTPUT", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let mut child = child;
    loop {
        let found = if watch.is_dir() {
            temporaries(watch)
        } else {
            Vec::new()
        };
        if found.len() == count {
            return (child, found);
        }
        if start.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{count} temporary files did not appear in {watch:?}: {found:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn an_interrupted_build_leaves_no_temporary_file() {
    let dir = dir("interrupted");
    std::fs::write(dir.join("out.json"), "old").unwrap();
    for (signal, number) in [("TERM", 15), ("INT", 2), ("HUP", 1)] {
        let (child, _) = held(&dir);
        let killed = Command::new("kill")
            .args([format!("-{signal}"), child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let out = wait_for(child, Duration::from_secs(20));
        assert_eq!(out.status.signal(), Some(number), "SIG{signal}");
        assert!(
            temporaries(&dir).is_empty(),
            "SIG{signal}: {:?}",
            temporaries(&dir)
        );
        assert_eq!(
            std::fs::read_to_string(dir.join("out.json")).unwrap(),
            "old"
        );
    }
}

/// Sends SIGTERM to a held split build and checks that it ended by the
/// signal, leaving nothing in `out` (no temporary, no template).
fn terminated_leaving_nothing(child: Child, out: &Path) {
    let killed = Command::new("kill")
        .args(["-TERM".to_string(), child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = wait_for(child, Duration::from_secs(20)).status;
    assert_eq!(status.signal(), Some(15));
    let left: Vec<_> = std::fs::read_dir(out).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn an_interrupted_build_of_nested_stacks_leaves_no_temporary_file() {
    // Every template (the two nested ones and the parent) is written to
    // its temporary file before any is renamed: the build holds with all
    // three staged, and the signal removes every one.
    let dir = dir("interrupted-nested");
    let out = dir.join("out");
    let (child, staged) = holding(&dir, &["--split", "-o", "out"], &out, 3);
    assert!(
        staged.iter().any(|n| n.starts_with(".template.json.")),
        "{staged:?}"
    );
    terminated_leaving_nothing(child, &out);
}

#[test]
fn an_interrupted_build_of_many_nested_stacks_leaves_no_temporary_file() {
    // Hundreds of templates may be staged at once (756 at 10,000
    // services): the signal handler removes every one, past any fixed
    // number of slots.
    let dir = dir("interrupted-many");
    std::fs::write(dir.join("app.ecs"), common::scaled::stack(300)).unwrap();
    let built = build(&dir, &["-o", "whole"]);
    assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
    let files = std::fs::read_dir(dir.join("whole")).unwrap().count();
    assert!(files > 16, "{files} templates");
    let out = dir.join("out");
    let (child, _) = holding(&dir, &["-o", "out"], &out, files);
    terminated_leaving_nothing(child, &out);
}

#[test]
fn the_temporary_name_is_unpredictable() {
    let dir = dir("names");
    let mut names = Vec::new();
    for _ in 0..2 {
        let (mut child, name) = held(&dir);
        let pid = child.id().to_string();
        let _ = child.kill();
        let _ = child.wait();
        // SIGKILL cannot be handled: the one case a temporary stays.
        std::fs::remove_file(dir.join(&name)).unwrap();
        assert!(!name.contains(&pid), "{name} holds the process id");
        let random = name
            .trim_start_matches(".out.json.")
            .trim_end_matches(".tmp");
        assert!(
            random.len() >= 16 && random.chars().all(|c| c.is_ascii_hexdigit()),
            "{name}"
        );
        names.push(name);
    }
    assert_ne!(names[0], names[1]);
}

#[test]
fn a_planted_link_at_any_temporary_name_is_not_followed() {
    // Links planted at every name the old scheme could use
    // (`.out.json.<pid>.tmp`) for the next pids (after the last one given,
    // the fifth field of /proc/loadavg): none is written through.
    let dir = dir("planted");
    std::fs::write(dir.join("victim"), "victim").unwrap();
    let last = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().nth(4)?.parse::<u32>().ok())
        .unwrap_or_else(std::process::id);
    for pid in last + 1..last + 300 {
        let _ = std::os::unix::fs::symlink(
            dir.join("victim"),
            dir.join(format!(".out.json.{pid}.tmp")),
        );
    }
    let out = build(&dir, &["-o", "out.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(dir.join("victim")).unwrap(),
        "victim"
    );
    assert!(std::fs::symlink_metadata(dir.join("out.json"))
        .unwrap()
        .file_type()
        .is_file());
}
