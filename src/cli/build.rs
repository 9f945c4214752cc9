//! `ecsc build`: compile sources into a CloudFormation template or a
//! Terraform configuration, written atomically; or, with `--check`,
//! compare them with what was written before.

use super::{output, usage_error, Format, StackArgs};
use clap::ValueEnum;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The file `--target terraform` writes inside the `-o` directory.
pub const TERRAFORM_FILE: &str = "main.tf.json";

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    /// A CloudFormation template (JSON or YAML).
    Cloudformation,
    /// A Terraform JSON configuration for the hashicorp/aws provider.
    Terraform,
}

#[derive(clap::Args, Debug)]
pub struct BuildArgs {
    #[command(flatten)]
    stack: StackArgs,
    /// What to generate.
    #[arg(long, value_enum, default_value_t = Target::Cloudformation)]
    target: Target,
    /// Output format (CloudFormation; Terraform output is always JSON).
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// Write here (atomically) instead of standard output. For
    /// `--target terraform`, a directory: `DIR/main.tf.json` is written.
    /// Only a regular file (or nothing) is replaced; `-` is standard output.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Write nothing: compare the output with the file at `-o` and exit 1,
    /// with a diff, when they differ (CI drift guard).
    #[arg(long)]
    check: bool,
}

pub fn run(a: BuildArgs) -> i32 {
    if a.target == Target::Terraform && a.format != Format::Json {
        return usage_error("--target terraform writes JSON only (main.tf.json); drop --format");
    }
    // `-o -` is standard output, as without `-o`.
    let output = a.output.as_ref().filter(|o| !output::is_stdout(o));
    if a.check && output.is_none() {
        return usage_error("--check compares with the file written before: give it with -o");
    }
    let (_, plan, _) = match a.stack.compile(a.target == Target::Cloudformation) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let text = match a.target {
        Target::Cloudformation => {
            let template = crate::emit::cloudformation::template(&plan);
            match a.format {
                Format::Json => template.to_json(),
                Format::Yaml => template.to_yaml(),
            }
        }
        Target::Terraform => crate::emit::terraform::configuration(&plan).to_json(),
    };
    let path = output.map(|o| match a.target {
        Target::Cloudformation => o.clone(),
        Target::Terraform => o.join(TERRAFORM_FILE),
    });
    match (&path, a.check) {
        (Some(path), true) => check(path, &text),
        (Some(path), false) => {
            if a.target == Target::Terraform {
                if let Some(dir) = output {
                    if let Err(e) = std::fs::create_dir_all(dir) {
                        return usage_error(format!(
                            "cannot create directory {}: {e}",
                            dir.display()
                        ));
                    }
                }
            }
            match output::write_atomically(path, text.as_bytes()) {
                Ok(()) => 0,
                Err(e) => usage_error(e),
            }
        }
        (None, _) => {
            let mut out = std::io::stdout().lock();
            match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
                Ok(()) => 0,
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
                Err(e) => usage_error(format!("cannot write to standard output: {e}")),
            }
        }
    }
}

/// `--check`: 0 when `path` holds exactly `text`; else 1, with a unified
/// diff from the file to what the sources produce now on stderr.
fn check(path: &Path, text: &str) -> i32 {
    // Through symbolic links (comparing reads only), but never a FIFO or a
    // device, which could block or never end.
    if let Some(what) = std::fs::metadata(path)
        .ok()
        .and_then(|m| output::not_regular(&m))
    {
        return usage_error(format!(
            "{} is {what}: --check compares with a regular file",
            path.display()
        ));
    }
    let (old, missing) = match std::fs::read(path) {
        Ok(bytes) => (String::from_utf8_lossy(&bytes).into_owned(), false),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => (String::new(), true),
        Err(e) => return usage_error(format!("cannot read {}: {e}", path.display())),
    };
    if !missing && old == text {
        return 0;
    }
    let shown = path.display().to_string();
    let diff = similar::TextDiff::from_lines(old.as_str(), text)
        .unified_diff()
        .context_radius(3)
        .header(
            &if missing {
                "/dev/null".to_string()
            } else {
                format!("{shown} (written)")
            },
            &format!("{shown} (from sources)"),
        )
        .to_string();
    let mut err = std::io::stderr().lock();
    let what = if missing {
        "does not exist"
    } else {
        "is out of date"
    };
    let _ = writeln!(err, "error: {shown} {what}; rebuild it without --check");
    let _ = err.write_all(diff.as_bytes());
    if !diff.ends_with('\n') {
        let _ = writeln!(err);
    }
    1
}
