//! `ecsc check`: report problems in sources; writes nothing.

use super::{files, parse_set, print_diagnostics, usage_error, CheckFormat};
use crate::report::machine;
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// `.ecs` files (one stack), or directories searched for stacks.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// The paths are changed files: check the stacks that hold them (for
    /// pre-commit).
    #[arg(long)]
    affected: bool,
    /// Check only this `environment` (default: the stack, then every
    /// environment it declares).
    #[arg(long, value_name = "NAME")]
    env: Option<String>,
    /// Override a param: `--set replicas=4` (repeatable).
    #[arg(long = "set", value_name = "NAME=VALUE", value_parser = parse_set)]
    set: Vec<(String, String)>,
    /// How to print diagnostics: `human` (stderr), `short`, `json` or `sarif` (stdout).
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    format: CheckFormat,
    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    deny_warnings: bool,
}

pub fn run(a: CheckArgs) -> i32 {
    let stacks = match files::stacks(&a.paths, a.affected) {
        Ok(s) => s,
        Err(e) => return usage_error(e),
    };
    let mut checked = Vec::new();
    for files in &stacks {
        let sources = match files::read(files) {
            Ok(s) => s,
            Err(e) => return usage_error(e),
        };
        let diagnostics = match check_environments(&sources, a.env.as_deref(), &a.set) {
            Ok(d) => d,
            Err(e) => return usage_error(e),
        };
        checked.push((diagnostics, sources));
    }
    let failed = checked
        .iter()
        .any(|(d, _)| d.has_errors() || (a.deny_warnings && d.warning_count() > 0));
    match a.format {
        CheckFormat::Human | CheckFormat::Short => {
            let several = checked.len() > 1;
            for ((diags, sources), files) in checked.into_iter().zip(&stacks) {
                let notes = diags.notes();
                if several
                    && a.format == CheckFormat::Human
                    && !(diags.is_empty() && notes.is_empty())
                {
                    eprintln!("── {}", stack_name(files));
                }
                print_diagnostics(diags, &sources, a.format);
                print_notes(&notes, &sources, a.format);
            }
        }
        CheckFormat::Json | CheckFormat::Sarif => {
            let sorted: Vec<_> = checked
                .into_iter()
                .map(|(d, sources)| {
                    let notes = d.notes();
                    let mut all = d.into_sorted();
                    all.extend(notes);
                    (all, sources)
                })
                .collect();
            let reports: Vec<machine::Report<'_>> =
                sorted.iter().map(|(d, s)| (d.as_slice(), s)).collect();
            let text = if a.format == CheckFormat::Json {
                machine::json(&reports)
            } else {
                machine::sarif(&reports)
            };
            let _ = std::io::stdout().lock().write_all(text.as_bytes());
        }
    }
    i32::from(failed)
}

/// The stack's diagnostics in one environment, or in the stack itself and
/// then every environment it declares. A finding of an environment that
/// the stack itself does not have is reported once, with the environment
/// named.
fn check_environments(
    sources: &crate::source::Sources,
    env: Option<&str>,
    set: &[(String, String)],
) -> Result<crate::diagnostic::Diagnostics, String> {
    if env.is_some() {
        return compile(sources, env, set).map(diagnostics_only);
    }
    let mut base = compile(sources, None, set)?;
    let environments = std::mem::take(&mut base.environments);
    let mut all = diagnostics_only(base);
    let mut seen: std::collections::HashSet<(&'static str, crate::source::Span, String)> = all
        .iter()
        .map(|d| (d.code, d.primary.span, d.message.clone()))
        .collect();
    for name in &environments {
        let diagnostics = diagnostics_only(compile(sources, Some(name), set)?);
        let notes = diagnostics.notes();
        for mut d in diagnostics.into_sorted().into_iter().chain(notes) {
            if !seen.insert((d.code, d.primary.span, d.message.clone())) {
                continue;
            }
            d.message = format!("{} (environment `{name}`)", d.message);
            all.push(d);
        }
    }
    Ok(all)
}

/// The stack compiled for its diagnostics alone: its model is freed before
/// the CloudFormation layout is counted ([`crate::Keep::Plan`]).
fn compile(
    sources: &crate::source::Sources,
    env: Option<&str>,
    set: &[(String, String)],
) -> Result<crate::Compilation, String> {
    crate::compile_for(
        sources,
        env,
        set,
        crate::rules::CloudFormation::Check,
        crate::Keep::Plan,
    )
}

/// A compilation's diagnostics, all `check` reads of it. The rest is freed
/// ([`crate::free_beside`]) while the diagnostics are printed or the next
/// environment compiled.
fn diagnostics_only(c: crate::Compilation) -> crate::diagnostic::Diagnostics {
    let crate::Compilation {
        model,
        plan,
        diagnostics,
        cloudformation,
        environments: _,
    } = c;
    let resources = plan.as_ref().map_or(0, |p| p.resources.len());
    crate::free_beside(resources, (model, plan, cloudformation));
    diagnostics
}

/// What the rules could not check for lack of facts, one line each (with
/// its help for people): a note never fails the run.
fn print_notes(
    notes: &[crate::diagnostic::Diagnostic],
    sources: &crate::source::Sources,
    format: CheckFormat,
) {
    let mut text = String::new();
    for n in notes {
        text.push_str(&crate::report::short(n, sources));
        text.push('\n');
        if format == CheckFormat::Human {
            if let Some(help) = &n.help {
                text.push_str(&format!("  help: {help}\n"));
            }
        }
    }
    if format == CheckFormat::Human {
        if !notes.is_empty() {
            let plural = if notes.len() == 1 { "" } else { "s" };
            text.push_str(&format!(
                "{} check{plural} not made for lack of facts\n",
                notes.len()
            ));
        }
        eprint!("{text}");
    } else {
        print!("{text}");
    }
}

/// A stack's name in headers: its directory, or its one file.
fn stack_name(files: &[PathBuf]) -> String {
    match files {
        [one] => one.display().to_string(),
        _ => files
            .first()
            .and_then(|f| f.parent())
            .map_or_else(|| ".".into(), |d| d.display().to_string()),
    }
}
