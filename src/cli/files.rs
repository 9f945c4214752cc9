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
        if p.is_dir() {
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
    let Ok(text) = std::fs::read_to_string(path) else {
        return false;
    };
    let mut diags = crate::diagnostic::Diagnostics::new();
    let file = crate::syntax::parse(crate::source::FileId(0), &text, &mut diags);
    file.blocks.iter().any(|b| b.kind.name == "stack")
}

/// Reads one stack's files.
pub fn read(files: &[PathBuf]) -> Result<Sources, String> {
    let mut sources = Sources::new();
    for f in files {
        let text =
            std::fs::read_to_string(f).map_err(|e| format!("cannot read {}: {e}", f.display()))?;
        sources.add_path(f.clone(), text);
    }
    Ok(sources)
}

/// Loads one stack: files as given, directories' `.ecs` files (not
/// recursive). Paths are sorted so the order they are given in never
/// changes the output.
pub fn load(paths: &[PathBuf]) -> Result<Sources, String> {
    let mut files: Vec<PathBuf> = Vec::new();
    for p in paths {
        if p.is_dir() {
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
