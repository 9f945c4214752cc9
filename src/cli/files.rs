//! Reading sources from paths, and writing outputs atomically.

use crate::source::Sources;
use std::path::{Path, PathBuf};

/// Loads `.ecs` files: files as given, directories' `.ecs` files (not
/// recursive). Paths are sorted so the order they are given in never
/// changes the output.
pub fn load(paths: &[PathBuf]) -> Result<Sources, String> {
    let mut files: Vec<PathBuf> = Vec::new();
    for p in paths {
        if p.is_dir() {
            let entries = std::fs::read_dir(p)
                .map_err(|e| format!("cannot read directory {}: {e}", p.display()))?;
            let before = files.len();
            for entry in entries {
                let path = entry
                    .map_err(|e| format!("cannot read directory {}: {e}", p.display()))?
                    .path();
                if path.extension().is_some_and(|x| x == "ecs") && path.is_file() {
                    files.push(path);
                }
            }
            if files.len() == before {
                return Err(format!("directory {} has no .ecs files", p.display()));
            }
        } else if p.exists() {
            files.push(p.clone());
        } else {
            return Err(format!("{}: no such file or directory", p.display()));
        }
    }
    files.sort();
    files.dedup();
    let mut sources = Sources::new();
    for f in files {
        let text =
            std::fs::read_to_string(&f).map_err(|e| format!("cannot read {}: {e}", f.display()))?;
        sources.add_path(f, text);
    }
    Ok(sources)
}

/// Writes `bytes` to a temporary file beside `path`, then renames it over
/// `path`: readers see the old file or the new one, never half of one.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = std::fs::write(&tmp, bytes).and_then(|_| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
