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
//! name ending in `.tmp`. The templates of a split stack are each written
//! to a temporary file as soon as they are serialized, by several threads
//! at once ([`Files::stage`]), and renamed only once all are written
//! ([`Files::commit`]); the handler removes every one.

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

/// Files written into one directory, all or none: each is written to its
/// temporary file ([`Files::stage`], which may run on several threads at
/// once, each waiting for the disk on its own flush), and once every one is
/// written they are renamed in order ([`Files::commit`]). The directory is
/// flushed once at the end (for what [`Files::remove`] removed too) rather
/// than after every rename: a directory of nested templates is one flush
/// instead of seven hundred.
pub struct Files {
    dir: PathBuf,
}

/// A file of [`Files`] written under its temporary name, not yet renamed
/// over its target: dropped, the temporary file is removed.
pub struct Staged {
    target: PathBuf,
    temporary: Temporary,
}

impl Files {
    pub fn new(dir: &Path) -> Files {
        Files {
            dir: dir.to_path_buf(),
        }
    }

    /// Writes `file` (inside the directory) to its temporary file.
    pub fn stage(&self, file: &str, bytes: &[u8]) -> Result<Staged, String> {
        stage(&self.dir.join(file), bytes).map(|(_, staged)| staged)
    }

    /// Renames the staged files over their targets, in order. Stops at the
    /// first error; the files not renamed yet are removed.
    pub fn commit(&self, staged: Vec<Staged>) -> Result<(), String> {
        signals::hold_for_tests();
        staged.into_iter().try_for_each(Staged::rename)
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

impl Staged {
    fn rename(self) -> Result<(), String> {
        std::fs::rename(&self.temporary.path, &self.target)
            .map_err(|e| format!("cannot write {}: {e}", self.target.display()))?;
        self.temporary.forget();
        Ok(())
    }
}

/// Writes the temporary file and renames it over `path`; returns the
/// directory to flush.
fn replace(path: &Path, bytes: &[u8]) -> Result<PathBuf, String> {
    let (dir, staged) = stage(path, bytes)?;
    signals::hold_for_tests();
    staged.rename()?;
    Ok(dir)
}

/// Writes `bytes` to a temporary file beside `path`, once `path` is known
/// to be replaceable; returns the directory with it.
fn stage(path: &Path, bytes: &[u8]) -> Result<(PathBuf, Staged), String> {
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
    let temporary = Temporary::register(tmp);
    // On an error `temporary` is dropped, which removes the file.
    fill(file, bytes, existing.as_ref()).map_err(cannot)?;
    let staged = Staged {
        target: path.to_path_buf(),
        temporary,
    };
    Ok((dir, staged))
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

/// The temporary file while it exists: removed when dropped (on an error),
/// or by the signal handler if the process is interrupted.
struct Temporary {
    path: PathBuf,
    /// Its place among the paths the signal handler removes.
    slot: Option<&'static signals::Slot>,
    /// Renamed over its target: nothing to remove any more.
    renamed: bool,
}

impl Temporary {
    fn register(path: PathBuf) -> Temporary {
        let slot = signals::register(&path);
        Temporary {
            path,
            slot,
            renamed: false,
        }
    }

    /// Renamed: nothing to remove any more.
    fn forget(mut self) {
        self.renamed = true;
    }
}

impl Drop for Temporary {
    fn drop(&mut self) {
        if !self.renamed {
            let _ = std::fs::remove_file(&self.path);
        }
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

    /// A temporary file the handler removes, if its path is not null. The
    /// slots form a list that only grows (a slot is never freed, so the
    /// handler can walk it at any moment), one slot per file written; a
    /// split stack holds hundreds of files staged at once.
    pub struct Slot {
        path: AtomicPtr<c_char>,
        next: AtomicPtr<Slot>,
    }

    static SLOTS: AtomicPtr<Slot> = AtomicPtr::new(std::ptr::null_mut());
    static INSTALL: Once = Once::new();
    const SIGNALS: [c_int; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

    extern "C" fn on_signal(signal: c_int) {
        let mut slot = SLOTS.load(Ordering::SeqCst);
        // SAFETY: `slot` is null or a slot leaked by `register`, never
        // freed; its `path` is null or a NUL-terminated string leaked
        // there too. Atomic loads and unlink are async-signal-safe.
        while let Some(s) = unsafe { slot.as_ref() } {
            let path = s.path.swap(std::ptr::null_mut(), Ordering::SeqCst);
            if !path.is_null() {
                unsafe { libc::unlink(path) };
            }
            slot = s.next.load(Ordering::SeqCst);
        }
        // SAFETY: signal and raise are async-signal-safe.
        unsafe {
            libc::signal(signal, libc::SIG_DFL);
            libc::raise(signal);
        }
    }

    /// Registers `path` for the handler to remove; `None` when it cannot
    /// be a C string (it holds a NUL).
    pub fn register(path: &Path) -> Option<&'static Slot> {
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
        // Leaked on purpose, with its slot (a short path and two pointers
        // per file written): the handler may read them at any moment.
        let slot: &'static Slot = Box::leak(Box::new(Slot {
            path: AtomicPtr::new(c.into_raw()),
            next: AtomicPtr::new(std::ptr::null_mut()),
        }));
        let raw = slot as *const Slot as *mut Slot;
        let mut head = SLOTS.load(Ordering::SeqCst);
        loop {
            slot.next.store(head, Ordering::SeqCst);
            match SLOTS.compare_exchange(head, raw, Ordering::SeqCst, Ordering::SeqCst) {
                Ok(_) => return Some(slot),
                Err(now) => head = now,
            }
        }
    }

    pub fn clear(slot: Option<&Slot>) {
        if let Some(slot) = slot {
            slot.path.store(std::ptr::null_mut(), Ordering::SeqCst);
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
    pub struct Slot;
    pub fn register(_: &std::path::Path) -> Option<&'static Slot> {
        None
    }
    pub fn clear(_: Option<&Slot>) {}
    pub fn hold_for_tests() {}
}
