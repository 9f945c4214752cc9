//! ecsc: a compiler from `.ecs` files to CloudFormation and Terraform for
//! AWS ECS.
//!
//! The pipeline follows the data: [`syntax`] (parse) → [`lower`] (resolve
//! names into the [`model`]) → [`derive`] (implicit resources) → [`plan`]
//! (every resource, target-neutral) → [`graph`] (dependencies) and `rules`
//! (validation) → [`emit`] (render the plan as CloudFormation or
//! Terraform). [`compile`] runs all of it; [`cli`] is the command line.

// The parser pest derives names `alloc` when pest is built without `std`
// (see Cargo.toml).
extern crate alloc;

pub mod arn;
pub mod cidr;
pub mod cli;
pub mod cost;
pub mod cql;
pub mod derive;
pub mod diagnostic;
pub mod emit;
pub mod graph;
pub mod hash;
pub mod import;
pub mod instance_types;
pub mod lower;
pub mod model;
pub mod names;
pub mod parallel;
pub mod plan;
pub mod regions;
pub mod report;
pub mod rules;
/// The declared schema of the language: block kinds, their attributes
/// (types, AWS ranges, defaults), nested blocks and statements; lowering,
/// `ecsc explain <block>` and the tables of `docs/language.md` all read it.
pub mod schema;
pub mod source;
pub mod suggest;
pub mod suppress;
pub mod syntax;
pub mod time_zones;
pub mod tls_policies;
pub mod tree;

use diagnostic::Diagnostics;
use model::Model;
use source::Sources;

/// The result of compiling a set of sources.
pub struct Compilation {
    /// Present when there are no errors (warnings allowed), or only errors
    /// about the CloudFormation template ([`rules::cloudformation_only`]),
    /// and kept ([`Keep::Model`]).
    pub model: Option<Model>,
    /// The resources to emit; present when there are no errors but the
    /// CloudFormation template's, unless given to its layout
    /// ([`Keep::Layout`]).
    pub plan: Option<plan::Plan>,
    /// The `environment` blocks the sources declare.
    pub environments: Vec<String>,
    pub diagnostics: Diagnostics,
    /// The CloudFormation template (JSON) as E095 laid it out to measure
    /// it, for `ecsc build` to write without rendering it again; `None`
    /// for small stacks, which E095 does not render, and unless compiled
    /// for a CloudFormation build ([`rules::CloudFormation::Build`]).
    pub cloudformation: Option<emit::cloudformation::split::Layout>,
}

/// Parses, resolves, derives and checks `sources` as one stack.
/// `overrides` are `--set name=value` pairs; an override that names no
/// param is a usage error (`Err`).
pub fn compile(sources: &Sources, overrides: &[(String, String)]) -> Result<Compilation, String> {
    compile_env(sources, None, overrides)
}

/// [`compile`] in an environment (`--env`): its param values apply, and its
/// name is part of every physical name. An environment the sources do not
/// declare is a usage error.
pub fn compile_env(
    sources: &Sources,
    env: Option<&str>,
    overrides: &[(String, String)],
) -> Result<Compilation, String> {
    compile_for(
        sources,
        env,
        overrides,
        rules::CloudFormation::Check,
        Keep::Model,
    )
}

/// What a compilation hands back besides its diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// The model and the plan: the language server, `ecsc show`, the
    /// library's callers.
    Model,
    /// The plan alone: `ecsc check` and `ecsc build`. The model is freed
    /// once its rules have run, before the CloudFormation layout is made
    /// (at 1,000 services it is a third of what is alive then).
    Plan,
    /// The JSON layout of a CloudFormation build
    /// ([`rules::CloudFormation::Build`]): the plan too is freed, once
    /// rendered, before the template is split. The plan comes back only
    /// when no layout was made (a small stack). Any other compilation
    /// keeps the plan, as with `Plan`.
    Layout,
}

/// [`compile_env`], with the rules about the CloudFormation template alone
/// ([`rules::Check::Template`]) as `cloudformation` says: left out of a
/// Terraform build, `ecsc graph` and `ecsc show`, which never render it;
/// laid out for a CloudFormation build to write. `keep` says whether the
/// model is handed back.
pub fn compile_for(
    sources: &Sources,
    env: Option<&str>,
    overrides: &[(String, String)],
    cloudformation: rules::CloudFormation,
    keep: Keep,
) -> Result<Compilation, String> {
    let mut diags = Diagnostics::new();
    let files: Vec<_> = sources
        .iter()
        .map(|(id, f)| (id, syntax::parse(id, &f.text, &mut diags)))
        .collect();
    if diags.iter().any(|d| d.code == "E001") {
        // A file that does not parse (or nests too deep to be parsed) has
        // no tree: lowering the rest would only add noise (a missing
        // stack, unknown names).
        return Ok(Compilation {
            model: None,
            plan: None,
            environments: Vec::new(),
            diagnostics: diags,
            cloudformation: None,
        });
    }
    let environments = lower::environment_names(&files);
    let mut model = lower::lower(&files, sources, env, overrides, &mut diags)?;
    // The syntax trees are the largest thing left once lowered.
    drop(files);
    if diags.has_errors() {
        return Ok(Compilation {
            model: None,
            plan: None,
            environments,
            diagnostics: diags,
            cloudformation: None,
        });
    }
    derive::derive(&mut model);
    let plan = plan::Plan::build(&model);
    let graph = graph::Graph::build(&plan);
    rules::run(&model, &plan, &graph, &mut diags);
    drop(graph);
    // The template's rules read the plan alone: what the caller does not
    // keep is freed before they lay it out.
    let suppressions = std::mem::take(&mut model.suppressions);
    let mut model = (keep == Keep::Model).then_some(model);
    let (plan, cloudformation) =
        if keep == Keep::Layout && cloudformation == rules::CloudFormation::Build {
            rules::run_template_given(plan, &mut diags)
        } else {
            let layout = rules::run_template(&plan, cloudformation, &mut diags);
            (Some(plan), layout)
        };
    suppress::apply(&suppressions, sources, &mut diags);
    if let Some(m) = &mut model {
        m.suppressions = suppressions;
    }
    // A stack whose only errors are about the CloudFormation template's
    // quotas still has a model and plan: a Terraform build goes on.
    let ok = !diags
        .iter()
        .any(|d| d.is_error() && !rules::cloudformation_only(d.code));
    Ok(Compilation {
        model: model.filter(|_| ok),
        plan: plan.filter(|_| ok),
        environments,
        diagnostics: diags,
        cloudformation,
    })
}

/// Plans of at least this many resources are freed on another thread
/// ([`free_beside`]).
const FREE_BESIDE: usize = 1_000;

/// Frees what a compilation made of a plan of `resources` (its model, plan,
/// a layout) once nothing reads it: on another thread when the plan holds
/// [`FREE_BESIDE`] resources or more, so that the run goes on (freeing the
/// model and the plan of 1,000 services is 4% of `ecsc check`); a smaller
/// one at once, here. The process may exit first: the system then takes
/// the memory back whole.
pub(crate) fn free_beside<T: Send + 'static>(resources: usize, what: T) {
    if resources >= FREE_BESIDE {
        // Should no thread start, `what` is freed here as it drops.
        let _ = std::thread::Builder::new().spawn(move || drop(what));
    }
}
