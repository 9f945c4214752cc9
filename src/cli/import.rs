//! `ecsc import`: a task definition's JSON as an `.ecs` stack
//! ([`crate::import`]).

use super::{output, print_out, usage_error};
use std::io::Read;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// The task definition: `aws ecs describe-task-definition` output, or
    /// `register-task-definition` input (`-`: standard input).
    file: PathBuf,
    /// A service to import with it: `aws ecs describe-services` output
    /// (one service), its cluster and network by id.
    #[arg(long, value_name = "FILE")]
    service: Option<PathBuf>,
    /// The stack's Region (default: the Region of the task definition's ARN).
    #[arg(long, value_name = "REGION")]
    region: Option<String>,
    /// Write the `.ecs` file here (default: standard output).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

/// The most bytes of JSON read: task definitions are at most 64 KiB.
const MAX_JSON: u64 = 16 << 20;

pub fn run(a: ImportArgs) -> i32 {
    let shown = a.file.display().to_string();
    let mut bytes = Vec::new();
    let read = if output::is_stdout(&a.file) {
        std::io::stdin()
            .lock()
            .take(MAX_JSON + 1)
            .read_to_end(&mut bytes)
    } else {
        match std::fs::metadata(&a.file) {
            Ok(m) if !m.is_file() => {
                return usage_error(format!("{shown} is not a regular file"));
            }
            Err(e) => return usage_error(format!("cannot read {shown}: {e}")),
            Ok(_) => std::fs::File::open(&a.file)
                .and_then(|f| f.take(MAX_JSON + 1).read_to_end(&mut bytes)),
        }
    };
    if let Err(e) = read {
        return usage_error(format!("cannot read {shown}: {e}"));
    }
    if bytes.len() as u64 > MAX_JSON {
        return usage_error(format!(
            "{shown} is larger than {} MiB: not a task definition",
            MAX_JSON >> 20
        ));
    }
    let Ok(text) = String::from_utf8(bytes) else {
        return usage_error(format!("{shown} is not UTF-8 JSON"));
    };
    let service = match a.service.as_ref().map(read_json).transpose() {
        Ok(s) => s,
        Err(e) => return usage_error(e),
    };
    let imported =
        match crate::import::task_definition(&text, a.region.as_deref(), service.as_deref()) {
            Ok(i) => i,
            Err(e) => return usage_error(format!("{shown}: {e}")),
        };
    for n in &imported.notes {
        eprintln!("note: not carried: {n}");
    }
    match a.output.as_ref().filter(|o| !output::is_stdout(o)) {
        Some(path) => match output::write_atomically(path, imported.text.as_bytes()) {
            Ok(()) => 0,
            Err(e) => usage_error(e),
        },
        None => print_out(imported.text.as_bytes()),
    }
}

/// A JSON file of at most [`MAX_JSON`] bytes.
fn read_json(path: &PathBuf) -> Result<String, String> {
    let shown = path.display();
    match std::fs::metadata(path) {
        Ok(m) if !m.is_file() => return Err(format!("{shown} is not a regular file")),
        Err(e) => return Err(format!("cannot read {shown}: {e}")),
        Ok(m) if m.len() > MAX_JSON => {
            return Err(format!(
                "{shown} is larger than {} MiB: not a service description",
                MAX_JSON >> 20
            ))
        }
        Ok(_) => {}
    }
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {shown}: {e}"))
}
