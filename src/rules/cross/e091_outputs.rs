//! E091: output ids are unique (also against ecsc's own outputs), and so
//! are export names.

use crate::diagnostic::{Diagnostics, Severity};
use crate::names::pascal;
use crate::rules::{Check, Context, Rule};
use std::collections::HashMap;

pub const RULE: Rule = Rule {
    code: "E091",
    name: "outputs",
    severity: Severity::Error,
    summary:
        "Output names are unique (also against the outputs ecsc adds), and export names are unique",
    why: "A template's output ids (and a Terraform configuration's output names) must be \
          unique, and an export name unique in the account and Region (CloudFormation \
          refuses the second stack that exports it). ecsc adds outputs of its own \
          (`<Cluster>ClusterName`, `<Service>ServiceName`, `<Lb>DnsName` for what it creates, one-off tasks' \
          run outputs): an `output` named like one of them would replace it.",
    bad: r#"stack demo { region = "eu-west-1" }
cluster main { }
output main_cluster_name { cluster = main  attribute = arn }"#,
    flagged: "main_cluster_name",
    good: r#"stack demo { region = "eu-west-1" }
cluster main { }
output main_cluster_arn { cluster = main  attribute = arn }"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let m = cx.model;
    if m.outputs.is_empty() {
        return;
    }
    let mut counts: HashMap<String, usize> = HashMap::new();
    for o in &cx.plan.outputs {
        *counts.entry(pascal(&o.name)).or_default() += 1;
    }
    for o in &m.outputs {
        let id = pascal(&o.name.name);
        if counts.get(&id).copied().unwrap_or(0) > 1 {
            out.push(
                RULE.at(
                    o.name.span,
                    format!(
                        "output `{}` has the id `{id}` of an output ecsc adds",
                        o.name.name
                    ),
                )
                .label("same output id")
                .help(format!(
                    "rename it, e.g. `{}_value`; ecsc already reports `{id}`",
                    o.name.name
                )),
            );
        }
    }
    let mut exports: HashMap<&str, &crate::model::OutputDecl> = HashMap::new();
    for o in &m.outputs {
        let Some(e) = &o.export else { continue };
        if let Some(first) = exports.get(e.value.as_str()) {
            let first_span = first.export.as_ref().map_or(first.name.span, |x| x.span);
            out.push(
                RULE.at(e.span, format!("export name `{}` is used twice", e.value))
                    .label("exported again")
                    .with(first_span, "first exported here")
                    .help("give each export its own name (prefix it with `${stack.name}` to keep environments apart)"),
            );
        } else {
            exports.insert(&e.value, o);
        }
    }
}
