//! CloudFormation output: the plan as a template, in JSON or YAML.
//!
//! Resources are keyed by their logical ids ([`crate::plan::ResId::logical_id`]) and
//! written in sorted order, so output is byte-identical across runs and an
//! unrelated edit changes only the lines it should. [`resources`] folds
//! each plan resource into CloudFormation's shape; [`values`] writes
//! references, texts and documents as intrinsics.

pub mod expr;
mod resources;
pub mod split;
mod values;

use crate::plan::Plan;
use expr::{Expr, Obj};
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
pub struct Resource {
    pub kind: &'static str,
    pub properties: Obj,
    pub depends_on: Vec<String>,
    /// The plan kind it renders (none for what the renderer adds, such as
    /// a nested stack).
    pub plan_kind: Option<crate::plan::Kind>,
    /// In a hollow template ([`hollow_template`]), the size the split
    /// estimates for the properties it no longer holds.
    pub hollow_size: Option<usize>,
}

#[derive(Debug, Clone, Default)]
pub struct Template {
    pub description: String,
    pub parameters: BTreeMap<String, Obj>,
    pub resources: BTreeMap<String, Resource>,
    pub outputs: BTreeMap<String, Output>,
}

#[derive(Debug, Clone)]
pub struct Output {
    pub description: String,
    pub value: Expr,
    /// The export name (`Fn::ImportValue` in other stacks).
    pub export: Option<String>,
    /// Declared in the sources ([`crate::plan::Output::declared`]).
    pub declared: bool,
}

impl Template {
    pub fn add(
        &mut self,
        id: String,
        kind: &'static str,
        mut properties: Obj,
        plan_kind: Option<crate::plan::Kind>,
    ) -> &mut Resource {
        // Built key by key: the room kept for more is given back.
        properties.0.shrink_to_fit();
        self.resources.entry(id).or_insert(Resource {
            kind,
            properties,
            depends_on: Vec::new(),
            plan_kind,
            hollow_size: None,
        })
    }

    pub fn output(&mut self, id: String, output: Output) {
        self.outputs.insert(id, output);
    }

    /// The whole template as one tree, taking the pieces apart (no copy).
    fn into_expr(self) -> Expr {
        let mut top = Obj::new()
            .set("AWSTemplateFormatVersion", "2010-09-09")
            .set("Description", self.description);
        if !self.parameters.is_empty() {
            let parameters = self
                .parameters
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect();
            top = top.set("Parameters", Expr::Map(parameters));
        }
        let resources = self
            .resources
            .into_iter()
            .map(|(id, r)| {
                let mut body = Obj::new().set("Type", r.kind);
                if !r.depends_on.is_empty() {
                    let mut deps = r.depends_on;
                    deps.sort();
                    deps.dedup();
                    body = body.set("DependsOn", deps);
                }
                if !r.properties.0.is_empty() {
                    body = body.set("Properties", r.properties);
                }
                (id.into(), body.into())
            })
            .collect();
        top = top.set("Resources", Expr::Map(resources));
        if !self.outputs.is_empty() {
            let outputs = self
                .outputs
                .into_iter()
                .map(|(id, o)| {
                    let output = Obj::new()
                        .set("Description", o.description)
                        .set("Value", o.value)
                        .opt("Export", o.export.map(|name| Obj::new().set("Name", name)));
                    (id.into(), output.into())
                })
                .collect();
            top = top.set("Outputs", Expr::Map(outputs));
        }
        top.into()
    }

    pub fn to_json(self) -> String {
        crate::emit::json_text(&self.into_expr())
    }

    pub fn to_yaml(self) -> String {
        self.into_expr().to_yaml()
    }
}

/// Renders a plan as a template.
pub fn template(plan: &Plan) -> Template {
    resources::render(plan, false)
}

/// Renders a plan as a hollow template: each resource's properties are
/// replaced, as soon as they are rendered, by the names they read and their
/// estimated size ([`split::hollow`]). It splits as the whole template
/// does, for E095 to count what the nested stacks would hold without
/// holding them all; it is never written.
pub fn hollow_template(plan: &Plan) -> Template {
    resources::render(plan, true)
}
