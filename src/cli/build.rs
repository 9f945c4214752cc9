//! `ecsc build`: compile sources into a CloudFormation template or a
//! Terraform configuration, written atomically; or, with `--check`,
//! compare them with what was written before.

use super::{output, usage_error, Format, Planned, StackArgs};
use crate::emit::cloudformation::split::{self, Layout, Nested};
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
    /// Write a CloudFormation parent template and nested stacks to the `-o`
    /// directory even when one template would do (a stack past
    /// CloudFormation's quotas is always split).
    #[arg(long)]
    split: bool,
}

/// The parent template's name inside the `-o` directory of a split stack.
pub const PARENT_FILE: &str = "template";

pub fn run(a: BuildArgs) -> i32 {
    one_allocator_arena();
    if a.target == Target::Terraform && a.format != Format::Json {
        return usage_error("--target terraform writes JSON only (main.tf.json); drop --format");
    }
    // `-o -` is standard output, as without `-o`.
    let output = a.output.as_ref().filter(|o| !output::is_stdout(o));
    if a.check && output.is_none() {
        return usage_error("--check compares with the file written before: give it with -o");
    }
    if a.split && a.target == Target::Terraform {
        return usage_error("--split makes CloudFormation nested stacks; Terraform has no template quotas: drop --split");
    }
    if a.split && output.is_none() {
        return usage_error(
            "--split writes a parent template and nested stacks: give a directory with -o",
        );
    }
    let format = match a.format {
        Format::Json => split::Format::Json,
        Format::Yaml => split::Format::Yaml,
    };
    if a.target == Target::Terraform {
        let (plan, _) = match a.stack.compile_plan(false) {
            Ok(p) => p,
            Err(code) => return code,
        };
        let configuration = crate::emit::terraform::configuration(&plan);
        // Freed before the text is written, which reuses its memory (at
        // 1,000 services the peak goes from 66 to 55.5 MB, in the same
        // time).
        drop(plan);
        let text = configuration.to_json();
        return write_one(output, Some(TERRAFORM_FILE), text, a.check);
    }
    // The JSON layout E095 makes is all a JSON build without `--split`
    // writes: the plan is given to it, to be freed once rendered.
    let compiled = if format == split::Format::Json && !a.split {
        a.stack.compile_layout()
    } else {
        a.stack
            .compile_plan(true)
            .map(|(plan, layout)| Planned::Plan(plan, layout))
    };
    let planned = match compiled {
        Ok(p) => p,
        Err(code) => return code,
    };
    // What to write: one text (a file or standard output), or the files of
    // a split stack inside the `-o` directory. E095 laid the JSON template
    // out while checking: written as it is when it is what was asked for.
    let layout = match planned {
        // Given the plan (`compile_layout`): JSON, no `--split`.
        Planned::Laid(l) => l,
        Planned::Plan(_, Some(l @ Layout::Nested { .. })) if format == split::Format::Json => l,
        Planned::Plan(_, Some(l @ Layout::One(_))) if format == split::Format::Json && !a.split => {
            l
        }
        Planned::Plan(plan, _) => {
            let layout = split::layout(&plan, format, a.split);
            // The process exits after the build and the system
            // takes its memory back at once: freeing the plan
            // would cost time and lower no peak.
            std::mem::forget(plan);
            layout
        }
    };
    let (why, nested) = match layout {
        Layout::One(text) => return write_one(output, None, text, a.check),
        Layout::Nested { why, split } => (why, split),
    };
    if output.is_none() {
        return usage_error(format!(
            "the CloudFormation template of this stack {why}: it is written as a parent template and nested stacks; give a directory with -o"
        ));
    }
    let nested = match nested {
        Ok(n) => n,
        Err(errors) => {
            for e in errors {
                eprintln!("error[E095]: {e}");
            }
            eprintln!("help: move some services into a stack of their own (sharing the network through `id = input` or `id_from_ssm`), or build for Terraform (`--target terraform`)");
            return 1;
        }
    };
    let Some(dir) = output else {
        return usage_error("a split stack is written to a directory: give it with -o");
    };
    if dir.exists() && !dir.is_dir() {
        return usage_error(format!(
            "{} is not a directory: a split stack is written as a parent template and nested stacks inside the -o directory",
            dir.display()
        ));
    }
    if a.check {
        check_dir(dir, nested, format)
    } else {
        write_dir(dir, nested, format)
    }
}

/// Has glibc's allocator keep one arena for every thread of the build.
/// The parser's second thread otherwise allocates its half of the syntax
/// trees in an arena of its own, whose pages, once the trees are freed,
/// nothing else reuses: `build -o` of 1,000 services peaked at 37.6–41.0
/// MB with it and 36.2–36.5 MB with one arena. Contention on the one
/// arena costs the build about 6% (docs/performance.md, "The seventh
/// step"); `check`, where it cost 18%, keeps the default.
fn one_allocator_arena() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt sets one of the allocator's parameters under its
    // own lock; it is called before the build starts any thread.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}

/// The parent template's file name.
fn parent_file(format: split::Format) -> String {
    format!("{PARENT_FILE}.{}", format.ext())
}

/// The children's file names and the parent's, in the order they are
/// renamed into place: the parent last.
fn file_names(nested: &Nested, format: split::Format) -> Vec<String> {
    let mut names: Vec<String> = nested.children.iter().map(|c| c.file.clone()).collect();
    names.push(parent_file(format));
    names
}

/// `f` of each child's file and text, in order, serialized on every core:
/// at 1,000 services that is a sixth of the build. Each text is freed once
/// `f` has it.
fn each_text<R: Send>(
    children: Vec<split::Child>,
    format: split::Format,
    f: impl Fn(&str, String) -> R + Sync,
) -> Vec<R> {
    let threads = crate::parallel::threads().min(children.len() / 8);
    crate::parallel::map(children, threads, |c| {
        let text = format.write(c.template);
        f(&c.file, text)
    })
}

/// A template CloudFormation would refuse, for its size: the error line.
fn too_large(file: &str, text: &str) -> Option<String> {
    (text.len() > split::MAX_BYTES).then(|| {
        format!(
            "error[E095]: the nested template {file} would be {} bytes; CloudFormation takes at most {}",
            text.len(),
            split::MAX_BYTES
        )
    })
}

/// Writes (or, with `--check`, compares) one text: to `-o` (inside it, as
/// `file`, for a Terraform directory) or to standard output.
fn write_one(output: Option<&PathBuf>, file: Option<&str>, text: String, check_only: bool) -> i32 {
    let path = output.map(|o| match file {
        Some(f) => o.join(f),
        None => o.clone(),
    });
    match (&path, check_only) {
        (Some(path), true) => check(path, &text),
        (Some(path), false) => {
            if let (Some(dir), Some(_)) = (output, file) {
                if let Err(e) = std::fs::create_dir_all(dir) {
                    return usage_error(format!("cannot create directory {}: {e}", dir.display()));
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

/// Writes the templates of a split stack inside `dir`, all or none: each
/// to a temporary file as soon as it is serialized (so the texts are never
/// all in memory at once), then, once every one is written and none is too
/// large for CloudFormation, renamed over its target, the nested ones
/// first and the parent last. Then removes the nested templates the parent
/// no longer names.
fn write_dir(dir: &Path, nested: Nested, format: split::Format) -> i32 {
    let created = !dir.exists();
    if let Err(e) = std::fs::create_dir_all(dir) {
        return usage_error(format!("cannot create directory {}: {e}", dir.display()));
    }
    let names = file_names(&nested, format);
    let stale = stale_children(dir, &names);
    let out = output::Files::new(dir);
    let stage = |file: &str, text: String| match too_large(file, &text) {
        Some(error) => Err(Unwritten::TooLarge(error)),
        None => out.stage(file, text.as_bytes()).map_err(Unwritten::Failed),
    };
    let parent = stage(&parent_file(format), format.write(nested.parent));
    let mut results = each_text(nested.children, format, stage);
    results.push(parent);
    let mut staged = Vec::with_capacity(results.len());
    let (mut refused, mut failed) = (false, None);
    for result in results {
        match result {
            Ok(s) => staged.push(s),
            Err(Unwritten::TooLarge(error)) => {
                eprintln!("{error}");
                refused = true;
            }
            Err(Unwritten::Failed(e)) => {
                failed.get_or_insert(e);
            }
        }
    }
    if refused || failed.is_some() {
        // The staged files are removed with `staged`; so is the directory
        // when this build made it (and it stayed empty).
        drop(staged);
        if created {
            let _ = std::fs::remove_dir(dir);
        }
        // Exit 2 when a file could not be written, as for one template;
        // else 1, for the templates too large (reported above).
        return failed.map_or(1, usage_error);
    }
    if let Err(e) = out.commit(staged) {
        return usage_error(e);
    }
    for file in stale {
        if let Err(e) = out.remove(&file) {
            return usage_error(format!("{e} (no longer a nested template)"));
        }
    }
    match out.finish() {
        Ok(()) => 0,
        Err(e) => usage_error(e),
    }
}

/// Why a template of a split stack was not staged.
enum Unwritten {
    /// Past CloudFormation's size quota: the error line.
    TooLarge(String),
    /// The file could not be written: the sentence for `error: `.
    Failed(String),
}

/// `--check` of a split stack: compares each template with the one in
/// `dir`, and reports the nested templates the parent written before named
/// and the new one does not.
fn check_dir(dir: &Path, nested: Nested, format: split::Format) -> i32 {
    let names = file_names(&nested, format);
    let parent = format.write(nested.parent);
    let mut texts = each_text(nested.children, format, |_, text| text);
    texts.push(parent);
    let mut too_large_found = false;
    for (file, text) in names.iter().zip(&texts) {
        if let Some(error) = too_large(file, text) {
            eprintln!("{error}");
            too_large_found = true;
        }
    }
    if too_large_found {
        return 1;
    }
    let mut code = names
        .iter()
        .zip(&texts)
        .map(|(file, text)| check(&dir.join(file), text))
        .max()
        .unwrap_or(0);
    for file in stale_children(dir, &names) {
        eprintln!(
            "error: {} is no longer one of the stack's nested templates; rebuild without --check to remove it",
            dir.join(file).display()
        );
        code = code.max(1);
    }
    code
}

/// The nested templates the parent written before named (itself or
/// through a tier) and the new one does not (a group halved under a new
/// name, a stack that shrank): only names ecsc gives (`shared.*`,
/// `services.*`, `services-<bits>.*`, `services-tier-<bits>.*`) of
/// regular files in `dir`, so nothing else is ever removed.
fn stale_children(dir: &Path, files: &[String]) -> Vec<String> {
    let Some(parent) = files.last() else {
        return Vec::new();
    };
    let bits = |s: &str| !s.is_empty() && s.bytes().all(|b| b == b'0' || b == b'1');
    fn stem(name: &str) -> &str {
        name.rsplit_once('.').map_or(name, |(stem, _)| stem)
    }
    let tier = |name: &str| {
        stem(name)
            .strip_prefix(crate::emit::cloudformation::split::TIER_FILE)
            .is_some_and(bits)
    };
    let ours = |name: &str| {
        let stem = stem(name);
        stem == "shared"
            || stem == "services"
            || stem.strip_prefix("services-").is_some_and(bits)
            || tier(name)
    };
    let mut named = template_urls(&dir.join(parent));
    let tiers: Vec<String> = named.iter().filter(|n| tier(n)).cloned().collect();
    for t in tiers {
        named.extend(template_urls(&dir.join(t)));
    }
    let mut stale: Vec<String> = named
        .into_iter()
        .filter(|name| ours(name) && !files.contains(name))
        .filter(|name| std::fs::symlink_metadata(dir.join(name)).is_ok_and(|m| m.is_file()))
        .collect();
    stale.sort();
    stale.dedup();
    stale
}

/// The `TemplateURL`s a template written by ecsc names (JSON or YAML, one
/// property a line); none when it cannot be read.
fn template_urls(path: &Path) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    text.lines()
        .filter_map(|line| line.split_once("TemplateURL").map(|(_, rest)| rest))
        .map(|rest| {
            rest.trim_matches(|c: char| {
                c == '"' || c == ':' || c == ',' || c == '\'' || c.is_whitespace()
            })
            .to_string()
        })
        .collect()
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
