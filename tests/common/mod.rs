//! Helpers shared by the integration tests that check emitted templates
//! with external tools (tests/verify_*.rs).
//!
//! The tools are Python packages pinned in `tests/verify/requirements.txt`.
//! [`python_venv`] installs them into `target/verify-venv` the first time
//! (the only step that needs the network) and reuses that venv for as long
//! as the requirements file is unchanged. It is safe to call from several
//! test threads and several test binaries at once.
#![allow(dead_code)] // each test binary uses its own subset

pub mod scaled;

use std::ffi::OsStr;
use std::fs;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;
use std::thread::sleep;
use std::time::{Duration, Instant, SystemTime};

/// The crate root.
pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/verify`, where the Python scripts and their config files live.
pub fn verify_dir() -> PathBuf {
    manifest_dir().join("tests").join("verify")
}

/// `examples/*.ecs`, sorted by path.
pub fn examples() -> Vec<PathBuf> {
    let dir = manifest_dir().join("examples");
    let mut found: Vec<PathBuf> = fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension() == Some(OsStr::new("ecs")))
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found
}

/// What the validators check: every example's base build, then one build
/// per `environment` it declares, as (name, source, `--env` value). The
/// name is the example's stem, or `stem-env`.
pub fn builds() -> Vec<(String, PathBuf, Option<String>)> {
    let mut out = Vec::new();
    for example in examples() {
        let stem = example.file_stem().unwrap().to_string_lossy().into_owned();
        let text = fs::read_to_string(&example).unwrap_or_default();
        let mut sources = ecsc::source::Sources::new();
        sources.add(example.to_string_lossy(), text);
        let envs = ecsc::compile_env(&sources, None, &[])
            .map(|c| c.environments)
            .unwrap_or_default();
        out.push((stem.clone(), example.clone(), None));
        for env in envs {
            out.push((format!("{stem}-{env}"), example.clone(), Some(env)));
        }
    }
    out
}

/// Runs the compiled binary (pass `env!("CARGO_BIN_EXE_ecsc")`, which only
/// integration tests can see) from the crate root.
pub fn ecsc_build(bin: &str, args: &[&str]) -> Output {
    Command::new(bin)
        .args(args)
        .current_dir(manifest_dir())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {bin}: {e}"))
}

/// A fresh, empty `target/verify-out/<name>` directory.
pub fn fresh_out_dir(name: &str) -> PathBuf {
    let dir = manifest_dir().join("target").join("verify-out").join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    dir
}

/// Runs `tests/verify/<script>` with the venv's Python.
pub fn run_verify_script<S: AsRef<OsStr>>(script: &str, args: &[S]) -> Output {
    let python = python_venv();
    Command::new(&python)
        .arg(verify_dir().join(script))
        .args(args)
        .current_dir(manifest_dir())
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {} {script}: {e}", python.display()))
}

/// stdout and stderr of a finished process, for a failure message.
pub fn describe(out: &Output) -> String {
    format!(
        "exit status: {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Path of the Python interpreter in `target/verify-venv`, creating the venv
/// and installing `tests/verify/requirements.txt` into it when it is missing
/// or was made from a different requirements file. Needs `python3` (or the
/// interpreter named by `ECSC_PYTHON`) on PATH.
pub fn python_venv() -> PathBuf {
    static VENV: OnceLock<PathBuf> = OnceLock::new();
    VENV.get_or_init(ensure_venv).clone()
}

/// FNV-1a: a hash that stays the same across Rust releases, unlike std's.
fn fnv1a(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// Removes the lock file when dropped, also when the holder panics.
struct LockGuard(PathBuf);

impl Drop for LockGuard {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
    }
}

/// Takes `path` as an exclusive lock between processes (create_new fails
/// while another holder has it). A lock older than `stale` is taken over:
/// its holder was killed before it could clean up.
fn lock(path: &Path, stale: Duration) -> LockGuard {
    let start = Instant::now();
    loop {
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
        {
            Ok(mut f) => {
                let _ = writeln!(f, "pid {}", std::process::id());
                return LockGuard(path.to_path_buf());
            }
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                let age = fs::metadata(path)
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| SystemTime::now().duration_since(t).ok());
                if age.is_some_and(|a| a > stale) {
                    let _ = fs::remove_file(path);
                    continue;
                }
                assert!(
                    start.elapsed() < stale + Duration::from_secs(60),
                    "waited too long for {}",
                    path.display()
                );
                sleep(Duration::from_millis(500));
            }
            Err(e) => panic!("cannot create lock {}: {e}", path.display()),
        }
    }
}

fn ensure_venv() -> PathBuf {
    let requirements = verify_dir().join("requirements.txt");
    let wanted = fnv1a(
        &fs::read(&requirements)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", requirements.display())),
    );
    let target = manifest_dir().join("target");
    let venv = target.join("verify-venv");
    let python = venv.join("bin").join("python");
    let stamp = venv.join(".requirements-hash");
    let ready = || python.exists() && fs::read_to_string(&stamp).ok().as_deref() == Some(&wanted);
    if ready() {
        return python;
    }

    fs::create_dir_all(&target).expect("cannot create target/");
    let _guard = lock(
        &target.join("verify-venv.lock"),
        Duration::from_secs(20 * 60),
    );
    if ready() {
        return python; // another test binary finished it while we waited
    }
    let _ = fs::remove_dir_all(&venv);
    let base = std::env::var("ECSC_PYTHON").unwrap_or_else(|_| "python3".into());
    eprintln!(
        "creating {} and installing the pinned tools (about a minute, needs PyPI)",
        venv.display()
    );
    let started = Instant::now();
    run_or_panic(Command::new(&base).args(["-m", "venv"]).arg(&venv));
    run_or_panic(
        Command::new(&python)
            .args([
                "-m",
                "pip",
                "install",
                "--disable-pip-version-check",
                "--no-input",
                "-q",
                // Compiled below on every core: pip compiles one file at a
                // time (90 s of install became 39 + 29 s on two cores).
                "--no-compile",
                "-r",
            ])
            .arg(&requirements),
    );
    // The bytecode is a cache the tools would otherwise rebuild on each
    // run where PYTHONDONTWRITEBYTECODE is set; a file it cannot compile
    // fails, or not, at import as before, so its status is not checked.
    let _ = Command::new(&python)
        .args(["-m", "compileall", "-j", "0", "-q"])
        .arg(venv.join("lib"))
        .output();
    fs::write(&stamp, &wanted).expect("cannot write the venv's requirements hash");
    eprintln!("venv ready in {:.0?}", started.elapsed());
    python
}

fn run_or_panic(cmd: &mut Command) {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(out.status.success(), "{cmd:?} failed\n{}", describe(&out));
}
