//! Reading sources from paths and finding the stacks of a repository.

use crate::source::Sources;
use std::path::{Path, PathBuf};

/// Directories never searched for stacks.
const SKIPPED: &[&str] = &["target", "node_modules"];

/// The stacks among `paths`, each as the files compiled together, in path
/// order. Files given by name form one stack, as before. A directory is
/// searched recursively (hidden directories, `target` and `node_modules`
/// skipped): each directory holding `.ecs` files is one stack, unless every
/// one of its files (two or more) declares its own `stack`, when each file
/// is a stack (a folder of examples). With `affected`, `paths` are changed
/// files and the result is the stacks that hold them.
pub fn stacks(paths: &[PathBuf], affected: bool) -> Result<Vec<Vec<PathBuf>>, String> {
    let mut out: Vec<Vec<PathBuf>> = Vec::new();
    if affected {
        for p in paths {
            if p.extension().is_none_or(|x| x != "ecs") || !p.is_file() {
                continue;
            }
            let dir = match p.parent() {
                Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
                _ => PathBuf::from("."),
            };
            let same = |a: &Path, b: &Path| {
                a.canonicalize()
                    .ok()
                    .zip(b.canonicalize().ok())
                    .is_some_and(|(x, y)| x == y)
            };
            for stack in split(ecs_files(&dir)?) {
                if stack.iter().any(|f| same(f, p)) && !out.contains(&stack) {
                    out.push(stack);
                }
            }
        }
        out.sort();
        return Ok(out);
    }
    let mut given: Vec<PathBuf> = Vec::new();
    for p in paths {
        if is_stdin(p) {
            given.push(p.clone());
        } else if p.is_dir() {
            let before = out.len();
            walk(p, &mut out)?;
            if out.len() == before {
                return Err(format!("directory {} has no .ecs files", p.display()));
            }
        } else if p.exists() {
            given.push(p.clone());
        } else {
            return Err(format!("{}: no such file or directory", p.display()));
        }
    }
    if !given.is_empty() {
        given.sort();
        given.dedup();
        out.push(given);
    }
    for stack in &mut out {
        for f in stack.iter_mut() {
            // `./infra/app.ecs` reads better as `infra/app.ecs`.
            if let Ok(rest) = f.strip_prefix(".") {
                *f = rest.to_path_buf();
            }
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// The stack `file` belongs to among the `.ecs` files of its own directory
/// (not searched further), as [`stacks`] groups them; the file alone when
/// the directory cannot be read.
pub fn stack_of(file: &Path) -> Vec<PathBuf> {
    let dir = match file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = file.file_name();
    ecs_files(dir)
        .ok()
        .and_then(|files| {
            split(files)
                .into_iter()
                .find(|s| s.iter().any(|f| f.file_name() == name))
        })
        .unwrap_or_else(|| vec![file.to_path_buf()])
}

/// The `.ecs` files directly in `dir`, sorted.
fn ecs_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read directory {}: {e}", dir.display()))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|e| format!("cannot read directory {}: {e}", dir.display()))?
            .path();
        if path.extension().is_some_and(|x| x == "ecs") && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

fn walk(dir: &Path, out: &mut Vec<Vec<PathBuf>>) -> Result<(), String> {
    let files = ecs_files(dir)?;
    if !files.is_empty() {
        out.extend(split(files));
    }
    let entries = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read directory {}: {e}", dir.display()))?;
    let mut subdirs: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
            // Not through symbolic links: no loops.
            p.is_dir()
                && !p.is_symlink()
                && name.is_some_and(|n| !n.starts_with('.') && !SKIPPED.contains(&n.as_str()))
        })
        .collect();
    subdirs.sort();
    for d in subdirs {
        walk(&d, out)?;
    }
    Ok(())
}

/// One directory's files as stacks: each file alone when every one of
/// them (two or more) declares a `stack`, else all of them together.
fn split(files: Vec<PathBuf>) -> Vec<Vec<PathBuf>> {
    let each_alone = files.len() > 1 && files.iter().all(|f| declares_stack(f));
    if each_alone {
        files.into_iter().map(|f| vec![f]).collect()
    } else if files.is_empty() {
        Vec::new()
    } else {
        vec![files]
    }
}

/// Whether a file parses and declares a `stack` block.
fn declares_stack(path: &Path) -> bool {
    let Ok(text) = read_source(path) else {
        return false;
    };
    let text = crate::source::normalize(text);
    let mut diags = crate::diagnostic::Diagnostics::new();
    let file = crate::syntax::parse(crate::source::FileId(0), &text, &mut diags);
    file.blocks.iter().any(|b| b.kind.name == "stack")
}

/// The most bytes one source file may have.
pub const MAX_FILE: u64 = 64 << 20;

/// The most bytes one stack's files may have together.
pub const MAX_STACK: u64 = 256 << 20;

/// Reads one stack's files.
pub fn read(files: &[PathBuf]) -> Result<Sources, String> {
    let mut sources = Sources::new();
    let mut total = 0u64;
    for f in files {
        let text = if is_stdin(f) {
            read_stdin()?
        } else {
            read_source(f)?
        };
        total += text.len() as u64;
        if total > MAX_STACK {
            return Err(format!(
                "the files of this stack are larger than {} MiB together (at {}); split the stack",
                MAX_STACK >> 20,
                f.display()
            ));
        }
        if is_stdin(f) {
            sources.add(STDIN, text);
        } else {
            sources.add_path(f.clone(), text);
        }
    }
    Ok(sources)
}

/// `-` as a source: standard input.
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// The name diagnostics give standard input.
const STDIN: &str = "<stdin>";

/// Standard input as one source, with the limits of a file.
fn read_stdin() -> Result<String, String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(MAX_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read standard input: {e}"))?;
    if bytes.len() as u64 > MAX_FILE {
        return Err(format!(
            "standard input is larger than {} MiB; .ecs files are not this large, split it",
            MAX_FILE >> 20
        ));
    }
    utf8(bytes, STDIN)
}

/// One source file's text: a regular file (never a FIFO, which would
/// block, nor a device, which may never end) of at most [`MAX_FILE`]
/// bytes, in UTF-8.
fn read_source(path: &Path) -> Result<String, String> {
    use std::io::Read;
    let shown = path.display();
    let cannot = |e: std::io::Error| format!("cannot read {shown}: {e}");
    // The kind is checked before opening: opening a FIFO blocks.
    let kind = |meta: &std::fs::Metadata| -> Result<(), String> {
        if meta.is_dir() {
            Err(format!(
                "{shown} is a directory, not a file; give the directory itself to compile its .ecs files"
            ))
        } else if !meta.is_file() {
            Err(format!(
                "{shown} is not a regular file (a FIFO, socket or device); ecsc reads .ecs files only"
            ))
        } else if meta.len() > MAX_FILE {
            Err(format!(
                "{shown} is larger than {} MiB ({} bytes); .ecs files are not this large, split it",
                MAX_FILE >> 20,
                meta.len()
            ))
        } else {
            Ok(())
        }
    };
    kind(&std::fs::metadata(path).map_err(cannot)?)?;
    let file = std::fs::File::open(path).map_err(cannot)?;
    // The file opened may not be the one looked at (replaced meanwhile).
    kind(&file.metadata().map_err(cannot)?)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_FILE {
        return Err(format!(
            "{shown} is larger than {} MiB; .ecs files are not this large, split it",
            MAX_FILE >> 20
        ));
    }
    utf8(bytes, &shown.to_string())
}

/// A source's bytes as text, or where they stop being UTF-8.
fn utf8(bytes: Vec<u8>, shown: &str) -> Result<String, String> {
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let valid = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
        // Lines as the compiler counts them: `\n`, `\r\n` or a lone `\r`.
        let valid = crate::source::normalize(valid.to_string());
        let line = valid.matches('\n').count() + 1;
        let column = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        format!(
            "{shown}:{line}:{column}: the file is not UTF-8: byte 0x{:02X} at offset {at} is not valid \
             UTF-8; save the file as UTF-8",
            bytes[at]
        )
    })
}

/// Loads one stack: files as given, directories' `.ecs` files (not
/// recursive). Paths are sorted so the order they are given in never
/// changes the output.
pub fn load(paths: &[PathBuf]) -> Result<Sources, String> {
    let mut files: Vec<PathBuf> = Vec::new();
    for p in paths {
        if is_stdin(p) {
            files.push(p.clone());
        } else if p.is_dir() {
            let found = ecs_files(p)?;
            if found.is_empty() {
                return Err(format!("directory {} has no .ecs files", p.display()));
            }
            files.extend(found);
        } else if p.exists() {
            files.push(p.clone());
        } else {
            return Err(format!("{}: no such file or directory", p.display()));
        }
    }
    files.sort();
    files.dedup();
    read(&files)
}
