//! `ecsc fmt`: rewrites `.ecs` files in the canonical layout
//! ([`crate::syntax::format`]), or with `--check` says which are not.

use super::{files, output, print_diagnostics, print_out, usage_error, CheckFormat};
use crate::syntax::format::{format, Refused};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct FmtArgs {
    /// `.ecs` files, or directories searched for them (default: the
    /// current directory); `-` formats standard input to standard output.
    paths: Vec<PathBuf>,
    /// Write nothing; exit 1 and name the files that are not formatted.
    #[arg(long)]
    check: bool,
}

pub fn run(a: FmtArgs) -> i32 {
    let paths = if a.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        a.paths
    };
    let stacks = match files::stacks(&paths, false) {
        Ok(s) => s,
        Err(e) => return usage_error(e),
    };
    let mut all: Vec<PathBuf> = stacks.into_iter().flatten().collect();
    all.sort();
    all.dedup();
    let mut failed = false;
    for f in &all {
        // Read as the compiler reads it (a regular file, its size, UTF-8).
        let sources = match files::read(std::slice::from_ref(f)) {
            Ok(s) => s,
            Err(e) => return usage_error(e),
        };
        let text = match sources.iter().next() {
            Some((_, file)) => file.text.clone(),
            None => continue,
        };
        let formatted = match format(&text) {
            Ok(t) => t,
            Err(Refused::Syntax(diags)) => {
                print_diagnostics(diags, &sources, CheckFormat::Human);
                failed = true;
                continue;
            }
            Err(Refused::Layout(why)) => {
                eprintln!("error: {}: not formatted: {why}", f.display());
                failed = true;
                continue;
            }
            Err(Refused::Internal(why)) => {
                return usage_error(format!(
                "{}: not formatted: {why}; the file is left as it is (this is a bug in ecsc fmt)",
                f.display()
            ))
            }
        };
        if files::is_stdin(f) {
            if a.check {
                failed |= formatted != text;
            } else if print_out(formatted.as_bytes()) != 0 {
                return 2;
            }
            continue;
        }
        // The bytes on disk (line endings, a BOM) count as a change.
        let on_disk = std::fs::read(f).unwrap_or_default();
        if on_disk == formatted.as_bytes() {
            continue;
        }
        if a.check {
            eprintln!(
                "{}: not formatted (run `ecsc fmt {}`)",
                f.display(),
                f.display()
            );
            failed = true;
        } else if let Err(e) = output::write_atomically(f, formatted.as_bytes()) {
            return usage_error(e);
        } else {
            eprintln!("formatted {}", f.display());
        }
    }
    i32::from(failed)
}
