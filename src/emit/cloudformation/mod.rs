//! CloudFormation output: the plan as a template, in JSON or YAML.
//!
//! Resources are keyed by their logical ids ([`crate::plan::ResId::logical_id`]) and
//! written in sorted order, so output is byte-identical across runs and an
//! unrelated edit changes only the lines it should. [`resources`] folds
//! each plan resource into CloudFormation's shape; [`values`] writes
//! references, texts and documents as intrinsics.

pub mod expr;
mod resources;
mod values;

use crate::plan::Plan;
use expr::{Expr, Obj};
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
pub struct Resource {
    pub kind: &'static str,
    pub properties: Obj,
    pub depends_on: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Template {
    pub description: String,
    pub parameters: BTreeMap<String, Obj>,
    pub resources: BTreeMap<String, Resource>,
    /// Id → (description, value, export name).
    pub outputs: BTreeMap<String, (String, Expr, Option<String>)>,
}

impl Template {
    pub fn add(&mut self, id: String, kind: &'static str, properties: Obj) -> &mut Resource {
        self.resources.entry(id).or_insert(Resource {
            kind,
            properties,
            depends_on: Vec::new(),
        })
    }

    pub fn output(&mut self, id: String, description: String, value: Expr, export: Option<String>) {
        self.outputs.insert(id, (description, value, export));
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
                .map(|(id, (description, value, export))| {
                    let output = Obj::new()
                        .set("Description", description)
                        .set("Value", value)
                        .opt("Export", export.map(|name| Obj::new().set("Name", name)));
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
    resources::render(plan)
}
