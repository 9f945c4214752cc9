//! What `ecsc` accepts as a source file: regular files only, of bounded
//! size, in UTF-8 (with or without a byte order mark), with any line
//! ending. Every refusal is a usage error (exit 2) that names the file.

use std::path::{Path, PathBuf};
use std::process::Command;

fn dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("inputs")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `ecsc check PATH` (killed after 20 s: a FIFO used to hang).
fn check(path: &Path) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ecsc"))
        .args(["check", "--format", "short"])
        .arg(path)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed().as_secs() > 20 {
            let _ = child.kill();
            panic!("ecsc check {} hangs", path.display());
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code().unwrap_or(-1), text)
}

const GOOD: &str = "stack s { region = \"eu-west-1\" }\n";

#[test]
#[cfg(unix)]
fn fifos_and_devices_are_refused_without_blocking() {
    let d = dir("fifo");
    let fifo = d.join("stack.ecs");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        let (code, out) = check(&fifo);
        assert_eq!(code, 2, "{out}");
        assert!(out.contains("is not a regular file"), "{out}");
    }
    for device in ["/dev/zero", "/dev/null"] {
        let (code, out) = check(Path::new(device));
        assert_eq!(code, 2, "{out}");
        assert!(
            out.contains(&format!("{device} is not a regular file")),
            "{out}"
        );
    }
}

#[test]
fn files_larger_than_the_cap_are_refused_unread() {
    let d = dir("large");
    let path = d.join("huge.ecs");
    // Sparse: no 65 MiB written.
    let f = std::fs::File::create(&path).unwrap();
    f.set_len(65 << 20).unwrap();
    let (code, out) = check(&path);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("is larger than 64 MiB"), "{out}");
}

#[test]
fn invalid_utf8_is_reported_with_its_byte_offset_line_and_column() {
    let d = dir("latin1");
    let path = d.join("stack.ecs");
    std::fs::write(
        &path,
        b"stack s {\r  region = \"eu-west-1\"\r  tags = { A = \"caf\xe9\" }\r}\r",
    )
    .unwrap();
    let (code, out) = check(&path);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("stack.ecs:3:20: the file is not UTF-8: byte 0xE9 at offset 52"),
        "{out}"
    );
}

#[test]
fn a_byte_order_mark_and_cr_line_endings_are_read() {
    let d = dir("bom");
    let path = d.join("stack.ecs");
    let text = format!("\u{feff}# one\r{GOOD}subnet a {{ vpc = nope }}\r");
    std::fs::write(&path, text).unwrap();
    let (code, out) = check(&path);
    assert_eq!(code, 1, "{out}");
    // Line 3 (after `# one` and the stack), column 18: the BOM is not a column.
    assert!(out.contains("stack.ecs:3:18: error[E002]"), "{out}");
}
