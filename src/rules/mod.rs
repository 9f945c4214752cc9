//! Validation rules: the deploy-time failures `ecsc check` catches.
//!
//! Each rule lives in its own file under a category folder (`network`,
//! `lb`, `task`, `ecr`, `service`, `iam`, `cross`) and is one [`Rule`] value: a stable
//! code (E/W plus a number whose tens digit is the category), a name, a
//! severity, its documentation (what, why AWS fails without it, a bad and a
//! good example) and its check. The bad example must raise the rule at the
//! text in `flagged` and the good one must not: `tests/rules.rs` runs every
//! rule on its own examples and snapshots the report, and `docs/rules.md`
//! is generated from the same fields.
//!
//! Rules read the model, the plan and its dependency graph through
//! [`Context`]; those about the CloudFormation template alone read the plan
//! and its layout through [`TemplateContext`], after the others, when the
//! model may be freed already. None rebuilds what it reads. Each check is
//! linear (or n log n) in the size of the stack.

pub mod alarm;
pub mod connect;
pub mod cross;
pub mod ecr;
pub mod iam;
pub mod language;
pub mod lb;
pub mod network;
pub mod service;
pub mod task;

use crate::diagnostic::{Diagnostic, Diagnostics, Severity};
use crate::emit::cloudformation::split::{self, Layout};
use crate::graph::Graph;
use crate::model::Model;
use crate::plan::Plan;
use crate::source::Span;

/// What a rule of the model sees ([`Check::Model`]).
pub struct Context<'a> {
    pub model: &'a Model,
    /// The resources the templates will hold.
    pub plan: &'a Plan,
    /// The plan's dependency graph.
    pub graph: &'a Graph,
}

/// What a rule of the CloudFormation template sees ([`Check::Template`]):
/// the plan and its layout, never the model, which may be freed by then
/// ([`crate::Keep::Plan`]).
pub struct TemplateContext<'a> {
    /// The plan until it is laid out; a plan given to the context
    /// ([`run_template_given`]) is freed then.
    plan: Option<Held<'a>>,
    /// The layout, once a rule (E095) asked for it
    /// ([`TemplateContext::layout`]).
    layout: Option<Layout>,
    /// Whether `ecsc build` writes the layout: else it is only counted.
    building: bool,
}

/// The plan a [`TemplateContext`] reads: lent by the caller, or given to be
/// freed once rendered.
enum Held<'a> {
    Lent(&'a Plan),
    Given(Plan),
}

impl TemplateContext<'_> {
    /// The resources the template holds; `None` once a plan given to the
    /// context was laid out and freed (read it before the layout).
    pub fn plan(&self) -> Option<&Plan> {
        match self.plan.as_ref()? {
            Held::Lent(plan) => Some(plan),
            Held::Given(plan) => Some(plan),
        }
    }

    /// The stack's CloudFormation template as laid out (one template or
    /// nested stacks), made once: whole for `ecsc build`, which writes it
    /// as is, else hollow, only to be counted ([`split::measure`]). A
    /// given plan is freed as soon as it is rendered
    /// ([`split::layout_given`]). `None` only when there is no plan left
    /// to lay out, which a layout always precedes.
    pub fn layout(&mut self) -> Option<&Layout> {
        if self.layout.is_none() {
            self.layout = Some(match self.plan.take()? {
                Held::Given(plan) => split::layout_given(plan),
                Held::Lent(plan) => {
                    self.plan = Some(Held::Lent(plan));
                    if self.building {
                        split::layout(plan, split::Format::Json, false)
                    } else {
                        split::measure(plan)
                    }
                }
            });
        }
        self.layout.as_ref()
    }
}

/// What a rule reads, and so when it runs.
#[derive(Clone, Copy)]
pub enum Check {
    /// The model, the plan and its graph: every rule but those below.
    Model(fn(&Context<'_>, &mut Diagnostics)),
    /// The CloudFormation template alone (its quotas): run after the rules
    /// of the model, and left out where no template is made (a Terraform
    /// build, `ecsc graph`, `ecsc show`).
    Template(fn(&mut TemplateContext<'_>, &mut Diagnostics)),
}

pub struct Rule {
    /// Stable: never reused once retired.
    pub code: &'static str,
    /// kebab-case, e.g. `fargate-cpu-memory`.
    pub name: &'static str,
    pub severity: Severity,
    /// One line: what the rule requires.
    pub summary: &'static str,
    /// Why AWS fails (or what goes wrong) without it.
    pub why: &'static str,
    /// A complete `.ecs` file that raises the rule.
    pub bad: &'static str,
    /// The text of `bad` the diagnostic points at.
    pub flagged: &'static str,
    /// The same file, fixed.
    pub good: &'static str,
    pub check: Check,
}

impl Rule {
    /// A note that this rule could not check something for lack of facts
    /// (rather than passing it silently or guessing).
    pub fn unverified(&self, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::note(self.code, span, message)
    }

    /// A diagnostic of this rule.
    pub fn at(&self, span: Span, message: impl Into<String>) -> Diagnostic {
        match self.severity {
            Severity::Error => Diagnostic::error(self.code, span, message),
            Severity::Warning => Diagnostic::warning(self.code, span, message),
            Severity::Note => Diagnostic::note(self.code, span, message),
        }
    }

    /// The rule's documentation as Markdown (for `ecsc explain` and
    /// docs/rules.md).
    pub fn markdown(&self) -> String {
        format!(
            "## {} {} ({})\n\n{}\n\n{}\n\nBad:\n\n```ecs\n{}\n```\n\nGood:\n\n```ecs\n{}\n```\n",
            self.code,
            self.name,
            self.severity.as_str(),
            self.summary,
            self.why.trim(),
            self.bad.trim(),
            self.good.trim()
        )
    }
}

/// Whether the diagnostics of `code` concern the CloudFormation template
/// alone ([`Check::Template`]): a Terraform build goes on past them.
pub fn cloudformation_only(code: &str) -> bool {
    find(code).is_some_and(|r| matches!(r.check, Check::Template(_)))
}

/// Every rule, in code order.
pub fn all() -> Vec<&'static Rule> {
    let mut rules: Vec<&'static Rule> = Vec::new();
    rules.extend_from_slice(network::RULES);
    rules.extend_from_slice(lb::RULES);
    rules.extend_from_slice(task::RULES);
    rules.extend_from_slice(ecr::RULES);
    rules.extend_from_slice(service::RULES);
    rules.extend_from_slice(connect::RULES);
    rules.extend_from_slice(iam::RULES);
    rules.extend_from_slice(alarm::RULES);
    rules.extend_from_slice(cross::RULES);
    rules.sort_by(|a, b| (&a.code[1..], a.code).cmp(&(&b.code[1..], b.code)));
    rules
}

/// Codes no longer in use, with what replaced them. A code is never
/// reused.
pub const RETIRED: &[(&str, &str)] = &[(
    "W092",
    "the stack's tags: now E099, an error, since AWS rejects every stack it reported",
)];

/// What replaced a retired code.
pub fn retired(code: &str) -> Option<&'static str> {
    RETIRED
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(code))
        .map(|(_, why)| *why)
}

pub fn find(code: &str) -> Option<&'static Rule> {
    all()
        .into_iter()
        .find(|r| r.code.eq_ignore_ascii_case(code))
}

/// Whether the rules about the CloudFormation template alone
/// ([`Check::Template`]) run, and on what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloudFormation {
    /// Left out: a Terraform build, `ecsc graph`, `ecsc show`.
    Skip,
    /// Run on what they must count, keeping nothing: `ecsc check`, the
    /// editor.
    Check,
    /// Run on the template laid out for `ecsc build` to write.
    Build,
}

/// Runs the rules of the model ([`Check::Model`]).
pub fn run(model: &Model, plan: &Plan, graph: &Graph, diags: &mut Diagnostics) {
    let cx = Context { model, plan, graph };
    for rule in all() {
        if let Check::Model(check) = rule.check {
            check(&cx, diags);
        }
    }
}

/// Runs the rules of the CloudFormation template ([`Check::Template`])
/// unless `Skip`; returns the layout if one was made for a build.
pub fn run_template(
    plan: &Plan,
    cloudformation: CloudFormation,
    diags: &mut Diagnostics,
) -> Option<Layout> {
    if cloudformation == CloudFormation::Skip {
        return None;
    }
    let building = cloudformation == CloudFormation::Build;
    let cx = template_rules(Held::Lent(plan), building, diags);
    if building {
        return cx.layout;
    }
    // A hollow layout is never written: freed while the run goes on.
    crate::free_beside(plan.resources.len(), cx.layout);
    None
}

/// [`run_template`] for `ecsc build` on a plan given to it, which the
/// layout frees once rendered ([`crate::Keep::Layout`]): the plan if no
/// rule laid it out (a small one), and the layout if one did.
pub fn run_template_given(plan: Plan, diags: &mut Diagnostics) -> (Option<Plan>, Option<Layout>) {
    let cx = template_rules(Held::Given(plan), true, diags);
    let plan = match cx.plan {
        Some(Held::Given(plan)) => Some(plan),
        _ => None,
    };
    (plan, cx.layout)
}

fn template_rules<'a>(
    plan: Held<'a>,
    building: bool,
    diags: &mut Diagnostics,
) -> TemplateContext<'a> {
    let mut cx = TemplateContext {
        plan: Some(plan),
        layout: None,
        building,
    };
    for rule in all() {
        if let Check::Template(check) = rule.check {
            check(&mut cx, diags);
        }
    }
    cx
}

/// docs/rules.md: the rule table, then each rule's documentation.
pub fn catalogue() -> String {
    let mut out = String::from(
        "# Rules\n\n\
         Generated from `src/rules` by `UPDATE_DOCS=1 cargo test --test rules`; do not edit by hand.\n\
         `ecsc explain CODE` prints one rule. Codes are stable: E is an error (AWS rejects the\n\
         stack or the tasks never run), W a warning. The tens digit is the category: 0 language,\n\
         1 networking, 2 load balancing, 3–4 task definitions and their images (45–49\n\
         ECR repositories), 5–6 services (63–69 Service Connect), 7 IAM and secrets\n\
         (75–79 alarms and metric scaling), 9 cross-cutting. A rule that lacks the facts to decide (an existing subnet that\n\
         states no CIDR or zone) never guesses: `ecsc check` prints a note with the rule's code\n\
         and what to state to have the check made.\n\n\
         Language diagnostics (E001–E009: syntax, unknown or duplicate names, wrong kinds,\n\
         unknown or missing attributes, wrong types, invalid values, input limits) are reported while\n\
         reading the sources and are described in docs/language.md.\n\n\
         | code | name | severity | summary |\n|---|---|---|---|\n",
    );
    let rules = all();
    for r in &rules {
        out.push_str(&format!(
            "| [{}](#{}) | {} | {} | {} |\n",
            r.code,
            format!("{}-{}", r.code, r.name).to_lowercase(),
            r.name,
            r.severity.as_str(),
            r.summary
        ));
    }
    for r in rules {
        out.push('\n');
        out.push_str(&r.markdown());
    }
    out.push_str("\n## Retired codes\n\nNever reused.\n\n| code | replaced by |\n|---|---|\n");
    for (code, why) in RETIRED {
        out.push_str(&format!("| {code} | {why} |\n"));
    }
    out
}
