//! Writing `-o`: atomically, and without harming what the path names.
//!
//! The output goes to a temporary file created exclusively (`O_CREAT |
//! O_EXCL`: a file or symbolic link planted at its name makes the creation
//! fail, it is never followed) under an unpredictable name in the target's
//! directory; it is flushed to disk (`fsync`), given the target's
//! permission bits, then renamed over the target, and the directory is
//! flushed too, so a crash leaves the old file or the new one.
//!
//! Only a regular file (or nothing) is replaced: a symbolic link, a
//! directory, a device node, a FIFO or a socket is refused, since the
//! rename would put a regular file in its place (`-o /dev/stdout` would
//! destroy the node). `-o -` writes to standard output. A read-only file is
//! refused, not silently replaced.
//!
//! The temporary file is removed on any error, and on SIGINT, SIGTERM or
//! SIGHUP (a handler unlinks it, then lets the signal end the process as it
//! would have); only SIGKILL or a power cut can leave one behind, under a
//! name ending in `.tmp`. The templates of a split stack are written by
//! several threads at once ([`Files::write_all`]), each with its own
//! temporary file; the handler removes all of them.

use std::fs::{File, Metadata, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

/// `-o -`: standard output rather than a file.
pub fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Why `path` cannot be replaced by a regular file, when it cannot: it is
/// something other than a regular file, or read-only. `Ok(None)` when it
/// does not exist; else its metadata.
fn replaceable(path: &Path) -> Result<Option<Metadata>, String> {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot write {}: {e}", path.display())),
    };
    let shown = path.display();
    if let Some(what) = not_regular(&meta) {
        let hint = if what == "a directory" {
            "give a file name"
        } else {
            "ecsc replaces only regular files (through a temporary file and a rename, which \
             would put a file in its place); write to a regular file, or leave out -o (or use \
             -o -) to write to standard output"
        };
        return Err(format!("{shown} is {what}: {hint}"));
    }
    let writable = !meta.permissions().readonly()
        && match OpenOptions::new().write(true).open(path) {
            Ok(_) => true,
            Err(e) => e.kind() != ErrorKind::PermissionDenied,
        };
    if !writable {
        return Err(format!(
            "{shown} is read-only: ecsc does not replace it; make it writable \
             (chmod u+w {shown}) or remove it first"
        ));
    }
    Ok(Some(meta))
}

/// What a path that is not a regular file is, for messages.
pub fn not_regular(meta: &Metadata) -> Option<&'static str> {
    let t = meta.file_type();
    if t.is_file() {
        return None;
    }
    if t.is_symlink() {
        return Some("a symbolic link");
    }
    if t.is_dir() {
        return Some("a directory");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("a FIFO");
        }
        if t.is_char_device() || t.is_block_device() {
            return Some("a device node");
        }
        if t.is_socket() {
            return Some("a socket");
        }
    }
    Some("not a regular file")
}

/// Writes `bytes` to `path` as the module says: the old file or the new
/// one, never half of one; the errors are sentences for `error: `.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let dir = replace(path, bytes)?;
    sync_directory(&dir).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Files written into one directory: each as [`write_atomically`] writes
/// it, in order, with the directory flushed once at the end (for what
/// [`Files::remove`] removed too) rather than after every rename. A
/// directory of nested templates is one flush instead of seventy.
pub struct Files {
    dir: PathBuf,
}

impl Files {
    pub fn new(dir: &Path) -> Files {
        Files {
            dir: dir.to_path_buf(),
        }
    }

    /// Writes `file` inside the directory.
    fn write(&self, file: &str, bytes: &[u8]) -> Result<(), String> {
        replace(&self.dir.join(file), bytes).map(drop)
    }

    /// Writes `files` inside the directory, several at once (each
    /// waits for the disk on its own flush): every file but the last, in
    /// no set order, then the last. Stops at the first error.
    pub fn write_all(&self, files: &[(String, String)]) -> Result<(), String> {
        let Some((last, rest)) = files.split_last() else {
            return Ok(());
        };
        let failed = std::sync::Mutex::new(None);
        crate::parallel::queue(rest.len(), WRITERS, |i| {
            let (file, text) = &rest[i];
            let Err(e) = self.write(file, text.as_bytes()) else {
                return true;
            };
            if let Ok(mut f) = failed.lock() {
                f.get_or_insert(e);
            }
            false
        });
        if let Some(e) = failed.into_inner().ok().flatten() {
            return Err(e);
        }
        self.write(&last.0, last.1.as_bytes())
    }

    /// Removes `file` from the directory.
    pub fn remove(&self, file: &str) -> Result<(), String> {
        let path = self.dir.join(file);
        std::fs::remove_file(&path).map_err(|e| format!("cannot remove {}: {e}", path.display()))
    }

    /// Flushes the renames and removals to disk.
    pub fn finish(self) -> Result<(), String> {
        sync_directory(&self.dir)
            .map_err(|e| format!("cannot write to {}: {e}", self.dir.display()))
    }
}

/// How many files [`Files::write_all`] writes at once: flushing a file
/// is mostly waiting for the disk.
const WRITERS: usize = 4;

/// Writes the temporary file and renames it over `path`; returns the
/// directory to flush.
fn replace(path: &Path, bytes: &[u8]) -> Result<PathBuf, String> {
    let existing = replaceable(path)?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| format!("{} names no file: give a file name", path.display()))?;
    let cannot = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
    let (tmp, file) = create_temporary(&dir, &name, existing.as_ref()).map_err(cannot)?;
    let guard = Temporary::register(tmp);
    let written = fill(file, bytes, existing.as_ref())
        .and_then(|()| {
            signals::hold_for_tests();
            std::fs::rename(&guard.path, path)
        })
        .map_err(cannot);
    if let Err(e) = written {
        guard.remove();
        return Err(e);
    }
    guard.forget();
    Ok(dir)
}

/// Writes, sets the target's permission bits (creation masked them with
/// the umask), flushes to disk.
fn fill(mut file: File, bytes: &[u8], existing: Option<&Metadata>) -> std::io::Result<()> {
    file.write_all(bytes)?;
    if let Some(meta) = existing {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let bits = meta.permissions().mode() & 0o777;
            file.set_permissions(std::fs::Permissions::from_mode(bits))?;
        }
        #[cfg(not(unix))]
        file.set_permissions(meta.permissions())?;
    }
    file.sync_all()
}

/// Creates `.<name>.<random>.tmp` in `dir`, exclusively, readable by the
/// owner only until `fill` gives it the target's bits (a new file gets the
/// usual 0666 less the umask).
fn create_temporary(
    dir: &Path,
    name: &str,
    existing: Option<&Metadata>,
) -> std::io::Result<(PathBuf, File)> {
    let mut last = None;
    for _ in 0..16 {
        let tmp = dir.join(format!(".{name}.{:016x}.tmp", random()));
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(if existing.is_some() { 0o600 } else { 0o666 });
        }
        #[cfg(not(unix))]
        let _ = existing;
        match options.open(&tmp) {
            Ok(file) => return Ok((tmp, file)),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| ErrorKind::AlreadyExists.into()))
}

/// 64 unpredictable bits: from /dev/urandom, else from std's per-process
/// random hasher keys mixed with the time and a counter.
fn random() -> u64 {
    let mut buf = [0u8; 8];
    let urandom = File::open("/dev/urandom").and_then(|mut f| {
        use std::io::Read;
        f.read_exact(&mut buf)
    });
    if urandom.is_ok() {
        return u64::from_le_bytes(buf);
    }
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    h.write_u32(std::process::id());
    if let Ok(d) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        h.write_u128(d.as_nanos());
    }
    h.finish()
}

/// Flushes a rename to disk. A file system that cannot flush a directory
/// (`EINVAL`) is not an error: the rename has happened.
fn sync_directory(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    match File::open(dir).and_then(|d| d.sync_all()) {
        Err(e) if e.kind() != ErrorKind::InvalidInput && e.kind() != ErrorKind::Unsupported => {
            return Err(e)
        }
        _ => {}
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// The temporary file while it exists: removed on error, or by the signal
/// handler if the process is interrupted.
struct Temporary {
    path: PathBuf,
    /// Its place among the paths the signal handler removes.
    slot: Option<usize>,
}

impl Temporary {
    fn register(path: PathBuf) -> Temporary {
        let slot = signals::register(&path);
        Temporary { path, slot }
    }

    fn remove(self) {
        signals::clear(self.slot);
        let _ = std::fs::remove_file(&self.path);
    }

    /// Renamed: nothing to remove any more.
    fn forget(self) {
        signals::clear(self.slot);
    }
}

/// Removing the temporary file when SIGINT, SIGTERM or SIGHUP arrives.
///
/// std has no signal API, so this uses `libc`, which the build already
/// compiled (miette and pest's stack guard depend on it): no new
/// code, and no hand-written declarations of C types. The handler does only what is async-signal-safe: it takes the
/// registered path (a C string that is never freed, so the handler can
/// never read freed memory), unlinks it, restores the default action and
/// raises the signal again, so the process ends as it would have.
#[cfg(unix)]
mod signals {
    use std::ffi::{c_char, c_int, CString};
    use std::os::unix::ffi::OsStrExt;
    use std::path::Path;
    use std::sync::atomic::{AtomicPtr, Ordering};
    use std::sync::Once;

    /// The temporary files being written: one per writing thread, of
    /// which there are at most [`super::WRITERS`].
    static TEMPORARIES: [AtomicPtr<c_char>; 8] =
        [const { AtomicPtr::new(std::ptr::null_mut()) }; 8];
    static INSTALL: Once = Once::new();
    const SIGNALS: [c_int; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

    extern "C" fn on_signal(signal: c_int) {
        for slot in &TEMPORARIES {
            let path = slot.swap(std::ptr::null_mut(), Ordering::SeqCst);
            // SAFETY: `path` is null or a NUL-terminated string leaked by
            // `register`, never freed; unlink is async-signal-safe.
            if !path.is_null() {
                unsafe { libc::unlink(path) };
            }
        }
        // SAFETY: signal and raise are async-signal-safe.
        unsafe {
            libc::signal(signal, libc::SIG_DFL);
            libc::raise(signal);
        }
    }

    /// Registers `path` for the handler to remove; `None` when every
    /// slot is taken, which [`super::WRITERS`] rules out.
    pub fn register(path: &Path) -> Option<usize> {
        INSTALL.call_once(|| {
            for signal in SIGNALS {
                let handler = on_signal as extern "C" fn(c_int) as libc::sighandler_t;
                // SAFETY: installs a handler that only calls
                // async-signal-safe functions. A signal ignored when ecsc
                // started (`nohup`) stays ignored.
                unsafe {
                    if libc::signal(signal, handler) == libc::SIG_IGN {
                        libc::signal(signal, libc::SIG_IGN);
                    }
                }
            }
        });
        let c = CString::new(path.as_os_str().as_bytes()).ok()?;
        // Leaked on purpose (one short path per write): the handler may
        // read it at any moment.
        let raw = c.into_raw();
        TEMPORARIES.iter().position(|slot| {
            slot.compare_exchange(
                std::ptr::null_mut(),
                raw,
                Ordering::SeqCst,
                Ordering::SeqCst,
            )
            .is_ok()
        })
    }

    pub fn clear(slot: Option<usize>) {
        if let Some(slot) = slot.and_then(|i| TEMPORARIES.get(i)) {
            slot.store(std::ptr::null_mut(), Ordering::SeqCst);
        }
    }

    /// Test hook: `ECSC_TEST_HOLD_OUTPUT=1` waits for a signal once the
    /// temporary file is written, so a test can interrupt the write.
    pub fn hold_for_tests() {
        if std::env::var_os("ECSC_TEST_HOLD_OUTPUT").is_some_and(|v| v == "1") {
            std::thread::sleep(std::time::Duration::from_secs(30));
        }
    }
}

#[cfg(not(unix))]
mod signals {
    pub fn register(_: &std::path::Path) -> Option<usize> {
        None
    }
    pub fn clear(_: Option<usize>) {}
    pub fn hold_for_tests() {}
}
