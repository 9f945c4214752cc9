//! The command line: `ecsc build`, `ecsc check`.
//!
//! Exit codes: 0 success, 1 the sources have errors (or `--check` found
//! drift), 2 usage or I/O error.

mod build;
mod check;
mod cost;
mod files;
mod fmt;
mod graph;
mod import;
mod lsp;
mod output;
mod show;

use build::BuildArgs;
use check::CheckArgs;

use crate::diagnostic::Diagnostics;
use crate::report::{self, Style};
use crate::source::Sources;
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};

const EXAMPLES: &str = "\
Examples:
  ecsc build examples/hello.ecs                        print CloudFormation JSON
  ecsc build infra/ --format yaml -o stack.yaml        compile a directory to YAML
  ecsc build infra/ --target terraform -o tf/          write tf/main.tf.json
  ecsc build infra/ --env production -o prod.json      build one environment
  ecsc build infra/ --set env=prod -o prod.json        override a param
  ecsc build infra/ -o stack.json --check              fail if stack.json is stale (CI)
  ecsc check infra/ --format short                     lint only (pre-commit)
  ecsc explain E030                                    what a diagnostic means
  ecsc explain container                               what a block takes";

#[derive(Parser, Debug)]
#[command(name = "ecsc", version, about = "Compile .ecs files into CloudFormation or Terraform for AWS ECS", after_help = EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Compile sources into a template.
    #[command(after_help = EXAMPLES)]
    Build(BuildArgs),
    /// Check sources and report problems; writes nothing.
    Check(CheckArgs),
    /// Print the dependency graph (Graphviz DOT or Mermaid).
    Graph(graph::GraphArgs),
    /// Print the effective stack (after `--env` and `--set`): params,
    /// services, resources.
    Show(show::ShowArgs),
    /// Explain a diagnostic code (with a bad and a good example), or list
    /// what a block kind takes (attributes, blocks, statements).
    Explain {
        /// A code such as E030, or a block kind such as `service`,
        /// `container` or `container.health`.
        code: String,
    },
    /// Rewrite `.ecs` files in the canonical layout (`--check`: only say
    /// which are not).
    Fmt(fmt::FmtArgs),
    /// Estimate what the stack costs a month at on-demand prices (offline),
    /// and compare NAT gateways with VPC endpoints for its private tasks.
    Cost(cost::CostArgs),
    /// Write an ECS task definition (JSON) as an `.ecs` stack, with a note
    /// for each field it cannot carry.
    Import(import::ImportArgs),
    /// A language server over standard input and output (diagnostics,
    /// hover, completion, definitions, references, rename, formatting).
    Lsp,
    /// Print a shell completion script: `ecsc completions bash >
    /// ~/.local/share/bash-completion/completions/ecsc`.
    Completions { shell: clap_complete::Shell },
    /// Print the manual page (roff): `ecsc man > ecsc.1 && man ./ecsc.1`.
    Man,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    Json,
    Yaml,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CheckFormat {
    Human,
    Short,
    Json,
    Sarif,
}

/// The stack `build`, `graph` and `show` read: its files, environment and
/// param overrides.
#[derive(clap::Args, Debug)]
pub(crate) struct StackArgs {
    /// `.ecs` files, or directories whose `.ecs` files form one stack.
    #[arg(required = true)]
    paths: Vec<std::path::PathBuf>,
    /// Compile this `environment` of the stack (its param values; its name
    /// in every physical name).
    #[arg(long, value_name = "NAME")]
    env: Option<String>,
    /// Override a param: `--set replicas=4` (repeatable; after `--env`).
    #[arg(long = "set", value_name = "NAME=VALUE", value_parser = parse_set)]
    set: Vec<(String, String)>,
}

impl StackArgs {
    /// Loads and compiles the stack, printing its diagnostics; the model
    /// and plan when it has no errors, else the exit code. Without
    /// `cloudformation`, the findings that concern only a CloudFormation
    /// template ([`crate::rules::Check::Template`]) are left out.
    pub(crate) fn compile(&self, cloudformation: bool) -> Result<Compiled, i32> {
        let compiled = self.compile_keeping(cloudformation, crate::Keep::Model)?;
        match (compiled.model, compiled.plan) {
            (Some(model), Some(plan)) => Ok(Compiled {
                model,
                plan,
                environments: compiled.environments,
            }),
            _ => Err(1),
        }
    }

    /// [`StackArgs::compile`] for `ecsc build`, which reads the plan alone
    /// ([`crate::Keep::Plan`]), with what E095 laid out
    /// ([`crate::Compilation::cloudformation`]).
    pub(crate) fn compile_plan(
        &self,
        cloudformation: bool,
    ) -> Result<
        (
            crate::plan::Plan,
            Option<crate::emit::cloudformation::split::Layout>,
        ),
        i32,
    > {
        let compiled = self.compile_keeping(cloudformation, crate::Keep::Plan)?;
        match compiled.plan {
            Some(plan) => Ok((plan, compiled.cloudformation)),
            None => Err(1),
        }
    }

    /// [`StackArgs::compile_plan`] for a CloudFormation build in JSON
    /// without `--split`: the plan is given to E095's layout, which frees
    /// it once rendered ([`crate::Keep::Layout`]).
    pub(crate) fn compile_layout(&self) -> Result<Planned, i32> {
        let compiled = self.compile_keeping(true, crate::Keep::Layout)?;
        match (compiled.plan, compiled.cloudformation) {
            (Some(plan), layout) => Ok(Planned::Plan(plan, layout)),
            (None, Some(layout)) => Ok(Planned::Laid(layout)),
            (None, None) => Err(1),
        }
    }

    /// Loads and compiles the stack keeping what `keep` says, printing its
    /// diagnostics; the exit code if it has errors.
    fn compile_keeping(
        &self,
        cloudformation: bool,
        keep: crate::Keep,
    ) -> Result<crate::Compilation, i32> {
        let sources = files::load(&self.paths).map_err(usage_error)?;
        let cfn = if cloudformation {
            crate::rules::CloudFormation::Build
        } else {
            crate::rules::CloudFormation::Skip
        };
        let mut compiled = crate::compile_for(&sources, self.env.as_deref(), &self.set, cfn, keep)
            .map_err(usage_error)?;
        let diagnostics = std::mem::take(&mut compiled.diagnostics);
        if print_diagnostics(diagnostics, &sources, CheckFormat::Human) {
            return Err(1);
        }
        Ok(compiled)
    }
}

/// What `ecsc build` compiled: the plan, with the layout E095 made of it
/// if it made one, or only the layout it was given the plan for.
pub(crate) enum Planned {
    Plan(
        crate::plan::Plan,
        Option<crate::emit::cloudformation::split::Layout>,
    ),
    Laid(crate::emit::cloudformation::split::Layout),
}

/// A stack that compiled without errors.
pub(crate) struct Compiled {
    pub model: crate::model::Model,
    pub plan: crate::plan::Plan,
    pub environments: Vec<String>,
}

pub(crate) fn parse_set(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => Err(format!("expected NAME=VALUE, got `{s}`")),
    }
}

/// Runs the command line and returns the process exit code.
pub fn run(args: impl IntoIterator<Item = std::ffi::OsString>) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    match cli.command {
        Command::Build(a) => build::run(a),
        Command::Check(a) => check::run(a),
        Command::Graph(a) => graph::run(a),
        Command::Show(a) => show::run(a),
        Command::Fmt(a) => fmt::run(a),
        Command::Cost(a) => cost::run(a),
        Command::Import(a) => import::run(a),
        Command::Lsp => lsp::run(),
        Command::Explain { code } => explain(&code),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut cmd, "ecsc", &mut out);
            print_out(&out)
        }
        Command::Man => {
            let mut out = Vec::new();
            match clap_mangen::Man::new(<Cli as clap::CommandFactory>::command()).render(&mut out) {
                Ok(()) => print_out(&out),
                Err(e) => usage_error(format!("cannot render the manual page: {e}")),
            }
        }
    }
}

/// Writes a generated text to standard output (a closed pipe is not an
/// error: `ecsc man | head`).
fn print_out(bytes: &[u8]) -> i32 {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => 0,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => usage_error(format!("cannot write to standard output: {e}")),
    }
}

pub(crate) fn usage_error(message: impl std::fmt::Display) -> i32 {
    eprintln!("error: {message}");
    2
}

fn style() -> Style {
    let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::io::stderr().is_terminal();
    let width = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100);
    Style { color, width }
}

fn explain(code: &str) -> i32 {
    if let Some(rule) = crate::rules::find(code) {
        println!("{}", rule.markdown().trim_end());
        return 0;
    }
    if let Some(why) = crate::rules::retired(code) {
        println!("## {} (retired)\n\n{why}.", code.to_ascii_uppercase());
        return 0;
    }
    if let Some((code, name, summary)) = crate::rules::language::find(code) {
        println!("## {code} {name}\n\n{summary}.\n\nSee docs/language.md for the constructs it concerns.");
        return 0;
    }
    let blocks = crate::schema::lookup(code);
    if !blocks.is_empty() {
        let listings: Vec<String> = blocks.into_iter().map(crate::schema::explain).collect();
        print!("{}", listings.join("\n"));
        return 0;
    }
    usage_error(format!(
        "there is no diagnostic code or block kind `{code}`{}; docs/rules.md lists the codes, \
         docs/language.md the blocks",
        explain_hint(code)
    ))
}

/// ` (did you mean E030?)` across diagnostic codes and block kinds.
fn explain_hint(word: &str) -> String {
    let codes: Vec<&str> = crate::rules::all()
        .into_iter()
        .map(|r| r.code)
        .chain(crate::rules::language::LANGUAGE.iter().map(|l| l.0))
        .collect();
    if let Some(s) = crate::suggest::closest(&word.to_uppercase(), codes.iter().copied()) {
        return format!(" (did you mean {s}?)");
    }
    // Declarations first: `servce` is `service`, not the nested `serve`.
    let declarations = crate::schema::blocks::DECLARATIONS.iter().map(|b| b.id);
    let ids = crate::schema::ALL.iter().map(|b| b.id);
    match crate::suggest::closest(word, declarations).or_else(|| crate::suggest::closest(word, ids))
    {
        Some(s) => format!(" (did you mean `ecsc explain {s}`?)"),
        None => String::new(),
    }
}

/// Prints diagnostics to stderr (human) or stdout (short); returns whether
/// there were errors.
pub(crate) fn print_diagnostics(
    diags: Diagnostics,
    sources: &Sources,
    format: CheckFormat,
) -> bool {
    let errors = diags.error_count();
    let warnings = diags.warning_count();
    let mut err = std::io::stderr().lock();
    let mut out = std::io::stdout().lock();
    let style = style();
    for d in diags.into_sorted() {
        let _ = match format {
            CheckFormat::Short => out.write_all((report::short(&d, sources) + "\n").as_bytes()),
            _ => err.write_all(report::human(&d, sources, style).as_bytes()),
        };
    }
    if format == CheckFormat::Human && errors + warnings > 0 {
        let _ = writeln!(err, "{}", summary(errors, warnings));
    }
    errors > 0
}

fn summary(errors: usize, warnings: usize) -> String {
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    format!(
        "found {} and {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}
