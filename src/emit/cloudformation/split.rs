//! Nested stacks: a template past CloudFormation's quotas (or any, when
//! asked) as a parent template and `AWS::CloudFormation::Stack` children.
//!
//! The partition follows the references in the rendered template, so it
//! splits exactly what is deployed:
//!
//! - the **shared** child holds the infrastructure kinds
//!   ([`crate::plan::Kind::is_infrastructure`]: network, load balancers
//!   and listeners, clusters and capacity, namespaces, repositories), what
//!   they reference, and whatever two or more services or schedules
//!   ([`crate::plan::Kind::is_workload`]) both use;
//! - every other resource joins the **unit** of what it references or is
//!   referenced by (a service, its task definition, roles, log group,
//!   target group, listener rule, security group, scaling, alarms); units
//!   never reference each other, only the shared child;
//! - units are placed in **groups** by a hash of their key (the logical id
//!   of their first service or schedule): all units start in one group,
//!   and a group past its thresholds is halved by the next bit of the
//!   hash. A group is named after its bits without trailing zeros, so a
//!   group that is halved keeps its name for the half that stays. Adding a
//!   service changes only the group it hashes to; the others keep their
//!   members and their names;
//! - past 500 groups (the parent's resources), each group's stack is held
//!   by a **tier**, a nested stack of nested stacks named after the first
//!   [`TIER_BITS`] bits of the group's: the tiers are fixed, so a group
//!   never moves from one to another.
//!
//! References across stacks become parameters of the child that reads them
//! (`Ref X` keeps its name; `Fn::GetAtt X.Attr` and `${X.Attr}` read a
//! parameter `XAttr`), outputs of the shared child, and `Fn::GetAtt
//! SharedStack.Outputs.…` in the parent. The stack's deploy-time inputs
//! are the parent's parameters, passed down to the children that read
//! them. Outputs the sources declare are the parent's; those ecsc adds for
//! each cluster, service or repository stay in the child that holds them.

use super::expr::{Expr, Obj, SubPart};
use super::{Output, Resource, Template};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// CloudFormation's quotas per template (CloudFormation User Guide,
/// "CloudFormation quotas").
pub const MAX_RESOURCES: usize = 500;
pub const MAX_PARAMETERS: usize = 200;
pub const MAX_OUTPUTS: usize = 200;
/// A template body read from S3, which is where `aws cloudformation
/// package` puts nested templates.
pub const MAX_BYTES: usize = 1_000_000;

/// How large the split lets its templates grow.
#[derive(Debug, Clone, Copy)]
struct Limits {
    /// A group is halved when it passes any of these: well under the
    /// quotas, so that a group grows for a long while before it is halved.
    group_resources: usize,
    group_parameters: usize,
    group_outputs: usize,
    group_bytes: usize,
    /// The most nested stacks the parent holds itself (one resource each):
    /// past it, the groups are gathered in tiers.
    parent_stacks: usize,
}

/// The limits of every build (tests shrink them to reach tiers with a
/// few resources).
const LIMITS: Limits = Limits {
    group_resources: 200,
    group_parameters: 100,
    group_outputs: 100,
    group_bytes: 400_000,
    parent_stacks: MAX_RESOURCES,
};

/// A tier holds the groups whose hashes begin with the same bits, this
/// many: at most 32 tiers, fixed, so that a group never moves from one to
/// another as the stack grows.
const TIER_BITS: usize = 5;

/// The logical id and file stem of the shared child.
const SHARED_ID: &str = "SharedStack";
const SHARED_FILE: &str = "shared";
/// The file stem of a tier, before its bits.
pub const TIER_FILE: &str = "services-tier-";

/// The parent template and its children.
#[derive(Debug)]
pub struct Nested {
    pub parent: Template,
    pub children: Vec<Child>,
}

#[derive(Debug)]
pub struct Child {
    /// Its logical id in the parent.
    pub id: String,
    /// Its file, next to the parent's (and its `TemplateURL`).
    pub file: String,
    pub template: Template,
}

/// Whether one template holds the stack within every count quota (its
/// size is measured on the text written).
pub fn fits(t: &Template) -> bool {
    t.resources.len() <= MAX_RESOURCES
        && t.parameters.len() <= MAX_PARAMETERS
        && t.outputs.len() <= MAX_OUTPUTS
}

/// What a template past a count quota holds, for the message that says
/// it is split (`None` when it [`fits`]).
pub fn over_quota(t: &Template) -> Option<String> {
    (!fits(t)).then(|| {
        format!(
            "holds {} resources, {} parameters and {} outputs, past CloudFormation's quotas of {MAX_RESOURCES}, {MAX_PARAMETERS} and {MAX_OUTPUTS}",
            t.resources.len(),
            t.parameters.len(),
            t.outputs.len()
        )
    })
}

/// The text a template is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Yaml,
}

impl Format {
    /// The file extension of every template of a split stack.
    pub fn ext(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Yaml => "yaml",
        }
    }

    pub fn write(self, t: Template) -> String {
        match self {
            Format::Json => t.to_json(),
            Format::Yaml => t.to_yaml(),
        }
    }
}

/// How a plan's CloudFormation is written: decided here once, for `ecsc
/// build` and for E095 (which `ecsc check` runs, and whose JSON layout
/// `build` then writes without rendering the plan again).
#[derive(Debug)]
pub enum Layout {
    /// One template within every quota: its text.
    One(String),
    /// Past a quota (`why` says which, or that `--split` asked for it): a
    /// parent and nested stacks, or what they cannot hold.
    Nested {
        why: String,
        split: Result<Nested, Vec<Excess>>,
    },
}

/// Lays out the plan's template in `format`, split into nested stacks
/// past a quota or when `always_split`.
pub fn layout(plan: &crate::plan::Plan, format: Format, always_split: bool) -> Layout {
    lay_out(Cow::Borrowed(plan), format, always_split)
}

/// [`layout`] in JSON of a plan given to it, freed as soon as it is
/// rendered: the split, which holds the whole template, reuses its memory
/// (`ecsc build`, [`crate::Keep::Layout`]).
pub fn layout_given(plan: crate::plan::Plan) -> Layout {
    lay_out(Cow::Owned(plan), Format::Json, false)
}

fn lay_out(plan: Cow<'_, crate::plan::Plan>, format: Format, always_split: bool) -> Layout {
    let t = super::template(&plan);
    let why = if always_split {
        "was asked to be split (--split)".to_string()
    } else if let Some(why) = over_quota(&t) {
        why
    } else {
        let text = format.write(t);
        if text.len() <= MAX_BYTES {
            return Layout::One(text);
        }
        let why = format!(
            "is {} bytes, past CloudFormation's quota of 1,000,000",
            text.len()
        );
        // Measuring it took the template apart: rendered again (such a
        // stack takes seconds to deploy anyway).
        let t = super::template(&plan);
        drop(plan);
        return Layout::Nested {
            why,
            split: split(t, format.ext()),
        };
    };
    drop(plan);
    Layout::Nested {
        why,
        split: split(t, format.ext()),
    }
}

/// [`layout`] in JSON as far as E095 needs it (`ecsc check`): the same
/// decision, counts and errors, without holding every template. A plan
/// that one template could hold is laid out whole (it is small); a larger
/// one is split hollow ([`super::hollow_template`]), and its nested stacks
/// are only counted, never written.
pub fn measure(plan: &crate::plan::Plan) -> Layout {
    if plan.resources.len() <= MAX_RESOURCES && plan.outputs.len() <= MAX_OUTPUTS {
        return layout(plan, Format::Json, false);
    }
    let t = super::hollow_template(plan);
    match over_quota(&t) {
        Some(why) => Layout::Nested {
            why,
            split: split(t, "json"),
        },
        // Folding took it within the counts: its size is measured whole.
        None => layout(plan, Format::Json, false),
    }
}

/// Where a resource (or an output) goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Home {
    Shared,
    Unit(usize),
}

/// Which workloads reach a resource through its references.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    None,
    One(usize),
    Many,
}

impl Reach {
    fn join(self, other: Reach) -> Reach {
        match (self, other) {
            (Reach::None, x) | (x, Reach::None) => x,
            (Reach::One(a), Reach::One(b)) if a == b => self,
            _ => Reach::Many,
        }
    }
}

/// A name read from another stack: a resource's `Ref`, one of its
/// attributes, or a parameter of the parent.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Import {
    Ref(String),
    Attr(String, String),
    Parameter(String),
}

struct Unit {
    key: String,
    hash: u64,
    members: Vec<usize>,
    outputs: Vec<String>,
    resources: usize,
    bytes: usize,
    imports: BTreeSet<Import>,
}

/// Splits a template into a parent and nested stacks, with `ext` the file
/// extension of every template (`json`, `yaml`). `Err` lists what cannot be
/// split within the quotas.
pub fn split(t: Template, ext: &str) -> Result<Nested, Vec<Excess>> {
    split_within(t, ext, &LIMITS)
}

fn split_within(mut t: Template, ext: &str, limits: &Limits) -> Result<Nested, Vec<Excess>> {
    if t.resources.is_empty() {
        // Every resource exists already: nothing to nest, and a parent
        // with no child would be the same template.
        return Ok(Nested {
            parent: t,
            children: Vec::new(),
        });
    }
    let ids: Vec<String> = t.resources.keys().cloned().collect();
    let index: Index<'_> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    let resources: Vec<&Resource> = t.resources.values().collect();
    let n = ids.len();

    // The names each resource reads (walked once), and its references to
    // other resources by index.
    let reads: Vec<Vec<Name<'_>>> = resources
        .iter()
        .map(|r| {
            let mut names = Vec::new();
            names_in_obj(&r.properties, &mut names);
            names
        })
        .collect();
    let edges: Vec<Vec<usize>> = resources
        .iter()
        .zip(&reads)
        .map(|(r, names)| {
            let mut out: Vec<usize> = names
                .iter()
                .map(|&(name, _)| name)
                .chain(r.depends_on.iter().map(String::as_str))
                .filter_map(|name| index.get(name).copied())
                .collect();
            out.sort_unstable();
            out.dedup();
            out
        })
        .collect();

    // The infrastructure and everything it references.
    let mut shared = vec![false; n];
    let mut todo: Vec<usize> = (0..n)
        .filter(|&i| resources[i].plan_kind.is_none_or(|k| k.is_infrastructure()))
        .collect();
    for &i in &todo {
        shared[i] = true;
    }
    while let Some(i) = todo.pop() {
        for &j in &edges[i] {
            if !shared[j] {
                shared[j] = true;
                todo.push(j);
            }
        }
    }
    // What two workloads reach is shared too (with all it references).
    let mut reach = vec![Reach::None; n];
    let workloads: Vec<usize> = (0..n)
        .filter(|&i| !shared[i] && resources[i].plan_kind.is_some_and(|k| k.is_workload()))
        .collect();
    for &w in &workloads {
        let mut todo = vec![(w, Reach::One(w))];
        while let Some((i, from)) = todo.pop() {
            let joined = reach[i].join(from);
            if joined == reach[i] {
                continue;
            }
            reach[i] = joined;
            for &j in &edges[i] {
                if !shared[j] {
                    todo.push((j, joined));
                }
            }
        }
    }
    for i in 0..n {
        if reach[i] == Reach::Many {
            shared[i] = true;
        }
    }

    // Units: what is left, joined along its references.
    let mut leader: Vec<usize> = (0..n).collect();
    fn find(leader: &mut [usize], mut i: usize) -> usize {
        while leader[i] != i {
            leader[i] = leader[leader[i]];
            i = leader[i];
        }
        i
    }
    for i in 0..n {
        if shared[i] {
            continue;
        }
        for &j in &edges[i] {
            if !shared[j] {
                let (a, b) = (find(&mut leader, i), find(&mut leader, j));
                // The smaller index leads, so a unit's leader is its first
                // resource in logical-id order.
                leader[a.max(b)] = a.min(b);
            }
        }
    }
    let mut home = vec![Home::Shared; n];
    let mut units: Vec<Unit> = Vec::new();
    let mut unit_of_leader: HashMap<usize, usize> = HashMap::new();
    for i in 0..n {
        if shared[i] {
            continue;
        }
        let l = find(&mut leader, i);
        let u = *unit_of_leader.entry(l).or_insert_with(|| {
            units.push(Unit {
                key: String::new(),
                hash: 0,
                members: Vec::new(),
                outputs: Vec::new(),
                resources: 0,
                bytes: 0,
                imports: BTreeSet::new(),
            });
            units.len() - 1
        });
        home[i] = Home::Unit(u);
        units[u].members.push(i);
    }
    for u in &mut units {
        // Its first workload, or its first resource: never an index, so
        // adding a resource elsewhere cannot change it.
        let first = u
            .members
            .iter()
            .copied()
            .find(|&i| resources[i].plan_kind.is_some_and(|k| k.is_workload()))
            .unwrap_or(u.members[0]);
        u.key = ids[first].clone();
        u.hash = crate::hash::fnv1a(u.key.as_bytes());
        u.resources = u.members.len();
    }

    // Where each output goes: with the first resource it reads that is in
    // a unit, else in the shared child (or the parent, when it reads no
    // resource at all).
    let mut output_home: BTreeMap<String, Option<Home>> = BTreeMap::new();
    for (name, o) in &t.outputs {
        let mut names = Vec::new();
        names_in(&o.value, &mut names);
        let homes: Vec<Home> = names
            .iter()
            .filter_map(|(n, _)| index.get(n).map(|&i| home[i]))
            .collect();
        let h = homes
            .iter()
            .copied()
            .find(|h| matches!(h, Home::Unit(_)))
            .or_else(|| homes.first().copied());
        if let Some(Home::Unit(u)) = h {
            units[u].outputs.push(name.clone());
        }
        output_home.insert(name.clone(), h);
    }

    // What each unit reads from outside, and how large it is.
    let parameters: BTreeSet<String> = t.parameters.keys().cloned().collect();
    let import = |name: &str, attr: Option<&str>, here: Home| -> Option<Import> {
        if let Some(&i) = index.get(name) {
            if home[i] == here {
                return None;
            }
            return Some(match attr {
                Some(a) => Import::Attr(name.to_string(), a.to_string()),
                None => Import::Ref(name.to_string()),
            });
        }
        parameters
            .contains(name)
            .then(|| Import::Parameter(name.to_string()))
    };
    // (The shared child reads only the parent's parameters.)
    let record = |names: &[Name<'_>], here: Home, units: &mut [Unit]| {
        if let Home::Unit(u) = here {
            for &(name, attr) in names {
                if let Some(imp) = import(name, attr, here) {
                    units[u].imports.insert(imp);
                }
            }
        }
    };
    for (i, r) in resources.iter().enumerate() {
        record(&reads[i], home[i], &mut units);
        if let Home::Unit(u) = home[i] {
            units[u].bytes += resource_bytes(r);
        }
    }
    for (name, o) in &t.outputs {
        if let Some(Some(here)) = output_home.get(name.as_str()).copied() {
            let mut names = Vec::new();
            names_in(&o.value, &mut names);
            record(&names, here, &mut units);
        }
    }

    // Groups of units, by the bits of their hashes.
    let mut order: Vec<usize> = (0..units.len()).collect();
    order.sort_by(|&a, &b| (units[a].hash, &units[a].key).cmp(&(units[b].hash, &units[b].key)));
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    group(&units, &order, 0, String::new(), limits, &mut groups);

    // Names for what crosses a stack boundary: a parameter in the reader,
    // an output of the shared child.
    let mut names = Names {
        made: BTreeSet::new(),
        by_import: BTreeMap::new(),
    };
    // Every output's name is a key of `output_home`.
    let taken = |name: &str| {
        index.contains_key(name) || parameters.contains(name) || output_home.contains_key(name)
    };

    let mut errors = Vec::new();
    let description = t.description.clone();
    let mut parent = Template {
        description: description.clone(),
        parameters: std::mem::take(&mut t.parameters),
        ..Template::default()
    };
    let mut pieces: Vec<Template> = Vec::new();
    // Index 0 is the shared child; then one per group.
    pieces.push(Template {
        description: child_description(&description, "shared infrastructure"),
        ..Template::default()
    });
    let mut group_of_unit = vec![0usize; units.len()];
    for (g, (_, members)) in groups.iter().enumerate() {
        for &u in members {
            group_of_unit[u] = g + 1;
        }
        pieces.push(Template {
            description: child_description(&description, "services"),
            ..Template::default()
        });
    }
    let piece_of = |h: Home| match h {
        Home::Shared => 0,
        Home::Unit(u) => group_of_unit[u],
    };
    let piece_of_resource: Vec<usize> = home.iter().map(|&h| piece_of(h)).collect();
    // Which pieces each piece waits for without reading an output.
    let mut waits: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); pieces.len()];
    let mut imports_of: Vec<BTreeSet<Import>> = vec![BTreeSet::new(); pieces.len()];
    // Rewrites an expression of piece `p`, recording what it imports.
    let rewrite = |p: usize, e: &mut Expr, names: &mut Names, imports: &mut BTreeSet<Import>| {
        Rewrite {
            here: p,
            piece_of: &piece_of_resource,
            parameters: &parameters,
            names,
            taken: &taken,
            resources: &index,
            imports,
        }
        .expr(e)
    };
    let resources_owned = std::mem::take(&mut t.resources);
    for (i, (id, mut r)) in resources_owned.into_iter().enumerate() {
        let p = piece_of(home[i]);
        for (_, v) in &mut r.properties.0 {
            rewrite(p, v, &mut names, &mut imports_of[p]);
        }
        r.depends_on.retain(|d| match index.get(d.as_str()) {
            Some(&j) if piece_of(home[j]) != p => {
                waits[p].insert(piece_of(home[j]));
                false
            }
            _ => true,
        });
        pieces[p].resources.insert(id, r);
    }
    let mut parent_outputs: Vec<(String, Output, Option<usize>)> = Vec::new();
    for (name, mut o) in std::mem::take(&mut t.outputs) {
        let Some(h) = output_home.get(name.as_str()).copied().flatten() else {
            // Reads no resource: the parent's own.
            parent_outputs.push((name, o, None));
            continue;
        };
        let p = piece_of(h);
        rewrite(p, &mut o.value, &mut names, &mut imports_of[p]);
        if o.declared {
            let export = o.export.take();
            parent_outputs.push((
                name.clone(),
                Output {
                    description: o.description.clone(),
                    value: Expr::Str(Cow::Borrowed("")),
                    export,
                    declared: true,
                },
                Some(p),
            ));
        }
        pieces[p].outputs.insert(name, o);
    }

    // Parameters of each child, the shared child's outputs for them, and
    // what the parent passes.
    let mut passed: Vec<Vec<(String, Expr)>> = vec![Vec::new(); pieces.len()];
    let mut shared_outputs: BTreeMap<String, Output> = BTreeMap::new();
    for p in 0..pieces.len() {
        for imp in &imports_of[p] {
            let name = &names.of(imp, &taken);
            match imp {
                Import::Parameter(x) => {
                    if let Some(def) = parent.parameters.get(x) {
                        pieces[p]
                            .parameters
                            .insert(name.clone(), child_parameter(def));
                    }
                    passed[p].push((name.clone(), Expr::Ref(x.clone())));
                }
                Import::Ref(x) | Import::Attr(x, _) => {
                    let value = match imp {
                        Import::Attr(_, a) => Expr::get_att(x.clone(), a.clone()),
                        _ => Expr::Ref(x.clone()),
                    };
                    let out = export_name(name, &pieces[0].outputs);
                    shared_outputs.entry(out.clone()).or_insert(Output {
                        description: format!("{name}, read by the services' nested stacks"),
                        value,
                        export: None,
                        declared: false,
                    });
                    pieces[p]
                        .parameters
                        .insert(name.clone(), Obj::new().set("Type", "String"));
                    passed[p].push((
                        name.clone(),
                        Expr::get_att(SHARED_ID, format!("Outputs.{out}")),
                    ));
                }
            }
        }
    }
    pieces[0].outputs.extend(shared_outputs);

    // The parent: one stack resource per child (or per tier of them), the
    // declared outputs.
    let declared = parent_outputs.iter().filter(|(_, o, _)| o.declared).count();
    // Past `parent_stacks`, each group's stack is held by the tier of the
    // first bits of its hash, a nested stack the parent holds.
    let tiered = pieces.len() > limits.parent_stacks;
    let tier_of: Vec<Option<String>> = (0..pieces.len())
        .map(|p| (tiered && p > 0).then(|| tier_bits(&groups[p - 1].0)))
        .collect();
    let mut tiers: BTreeMap<String, Tier> = BTreeMap::new();
    let mut children = Vec::new();
    let mut child_ids = Vec::new();
    for (p, piece) in pieces.into_iter().enumerate() {
        let (id, file) = if p == 0 {
            (SHARED_ID.to_string(), format!("{SHARED_FILE}.{ext}"))
        } else {
            let bits = groups[p - 1].0.trim_end_matches('0');
            if bits.is_empty() {
                ("ServicesStack".to_string(), format!("services.{ext}"))
            } else {
                (
                    format!("Services{bits}Stack"),
                    format!("services-{bits}.{ext}"),
                )
            }
        };
        child_ids.push(id.clone());
        if piece.resources.is_empty() && p == 0 {
            // No shared infrastructure (every resource exists already, or
            // is a service's own).
            continue;
        }
        let what = match p {
            0 => "the shared nested stack (network, load balancers, clusters and what several services use)".to_string(),
            _ => {
                let members = &groups[p - 1].1;
                let first = members.first().map_or("", |&u| units[u].key.as_str());
                match members.len() {
                    1 => format!("the nested stack of {first} and the resources joined to it by their references"),
                    n => format!("the nested stack of {first} and {} other groups of resources", n - 1),
                }
            }
        };
        // Past 200 declared outputs only the parent is reported: the
        // children hold them because the parent reads them.
        check_quotas(&what, &piece, declared <= MAX_OUTPUTS, &mut errors);
        let params = std::mem::take(&mut passed[p]);
        let waits_shared = waits[p].contains(&0) && p != 0;
        match &tier_of[p] {
            None => {
                add_stack(&mut parent, &id, &file, params, waits_shared);
            }
            Some(bits) => {
                let tier = tiers.entry(bits.clone()).or_insert_with(|| Tier {
                    template: Template {
                        description: child_description(
                            &description,
                            "a tier of services' nested stacks",
                        ),
                        ..Template::default()
                    },
                    passed: BTreeMap::new(),
                    waits_shared: false,
                });
                // The tier declares what its groups read and passes it on.
                let through = params
                    .iter()
                    .map(|(name, _)| (name.clone(), Expr::Ref(name.clone())))
                    .collect();
                for (name, value) in params {
                    if let Some(def) = piece.parameters.get(&name) {
                        tier.template.parameters.insert(name.clone(), def.clone());
                    }
                    tier.passed.insert(name, value);
                }
                tier.waits_shared |= waits_shared;
                add_stack(&mut tier.template, &id, &file, through, false);
            }
        }
        children.push(Child {
            id,
            file,
            template: piece,
        });
    }
    for (name, mut o, p) in parent_outputs {
        if let Some(p) = p {
            let value = Expr::get_att(child_ids[p].clone(), format!("Outputs.{name}"));
            o.value = match &tier_of[p] {
                None => value,
                Some(bits) => {
                    // Read through the tier that holds the group.
                    if let Some(tier) = tiers.get_mut(bits) {
                        tier.template.output(
                            name.clone(),
                            Output {
                                description: o.description.clone(),
                                value,
                                export: None,
                                declared: false,
                            },
                        );
                    }
                    Expr::get_att(tier_id(bits), format!("Outputs.{name}"))
                }
            };
        }
        parent.output(name, o);
    }
    for (bits, tier) in tiers {
        let (id, file) = (tier_id(&bits), format!("{TIER_FILE}{bits}.{ext}"));
        check_quotas(
            &format!(
                "the nested stack of the service groups whose hashes begin with the bits {bits}"
            ),
            &tier.template,
            true,
            &mut errors,
        );
        let params: Vec<(String, Expr)> = tier.passed.into_iter().collect();
        add_stack(&mut parent, &id, &file, params, tier.waits_shared);
        children.push(Child {
            id,
            file,
            template: tier.template,
        });
    }
    check_quotas("the parent template", &parent, true, &mut errors);
    if errors.is_empty() {
        Ok(Nested { parent, children })
    } else {
        Err(errors)
    }
}

/// A nested stack of nested stacks: the groups' stacks whose hashes begin
/// with the same bits.
struct Tier {
    template: Template,
    /// What the parent passes to it: everything its groups read.
    passed: BTreeMap<String, Expr>,
    /// Whether a group waits for the shared child without reading it.
    waits_shared: bool,
}

/// The tier of a group: the first [`TIER_BITS`] of its bits (a group
/// with fewer, which holds every hash that begins with them, pads them
/// with zeros).
fn tier_bits(group: &str) -> String {
    let mut bits: String = group.chars().take(TIER_BITS).collect();
    while bits.len() < TIER_BITS {
        bits.push('0');
    }
    bits
}

fn tier_id(bits: &str) -> String {
    format!("ServicesTier{bits}Stack")
}

/// An `AWS::CloudFormation::Stack`'s properties: its template's file and
/// the parameters passed to it.
fn stack_properties(file: &str, params: Vec<(String, Expr)>) -> Obj {
    let props = Obj::new().set("TemplateURL", file.to_string());
    if params.is_empty() {
        return props;
    }
    let params = params.into_iter().map(|(k, v)| (k.into(), v)).collect();
    props.set("Parameters", Expr::Map(params))
}

/// Adds to `parent` (the parent template or a tier) the stack of `file`,
/// passed `params`; one that waits for the shared child without reading
/// any of its outputs depends on it.
fn add_stack(
    parent: &mut Template,
    id: &str,
    file: &str,
    params: Vec<(String, Expr)>,
    waits_shared: bool,
) {
    let reads_shared = params.iter().any(|(_, v)| matches!(v, Expr::GetAtt(..)));
    let res = parent.add(
        id.to_string(),
        "AWS::CloudFormation::Stack",
        stack_properties(file, params),
        None,
    );
    if waits_shared && !reads_shared {
        res.depends_on.push(SHARED_ID.to_string());
    }
}

/// Places units (sorted by hash) in groups: one group while it stays
/// within the thresholds, else halved by the hash's bit at `depth`.
fn group(
    units: &[Unit],
    order: &[usize],
    depth: u32,
    bits: String,
    limits: &Limits,
    out: &mut Vec<(String, Vec<usize>)>,
) {
    if order.is_empty() {
        return;
    }
    // The counts first: the set of imports is gathered only for a group
    // within them (a large one is split on the count alone).
    let within = || {
        order.iter().map(|&u| units[u].resources).sum::<usize>() <= limits.group_resources
            && order.iter().map(|&u| units[u].bytes).sum::<usize>() <= limits.group_bytes
            && order.iter().map(|&u| units[u].outputs.len()).sum::<usize>() <= limits.group_outputs
            && order
                .iter()
                .flat_map(|&u| &units[u].imports)
                .collect::<BTreeSet<&Import>>()
                .len()
                <= limits.group_parameters
    };
    if order.len() == 1 || depth == 64 || within() {
        out.push((bits, order.to_vec()));
        return;
    }
    let mid = order.partition_point(|&u| units[u].hash & (1u64 << (63 - depth)) == 0);
    group(
        units,
        &order[..mid],
        depth + 1,
        format!("{bits}0"),
        limits,
        out,
    );
    group(
        units,
        &order[mid..],
        depth + 1,
        format!("{bits}1"),
        limits,
        out,
    );
}

/// Resources by logical id: the split looks up each reference of every
/// resource in it.
type Index<'a> = crate::hash::Map<&'a str, usize>;

/// A template of a split stack past one of CloudFormation's quotas.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excess {
    /// Which template: the parent, the shared nested stack, a group.
    pub template: String,
    pub count: usize,
    /// `resources`, `parameters` or `outputs`.
    pub item: &'static str,
    pub max: usize,
}

impl std::fmt::Display for Excess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Excess {
            template,
            count,
            item,
            max,
        } = self;
        write!(
            f,
            "{template} would hold {count} {item}; CloudFormation takes at most {max}"
        )
    }
}

/// Pushes what `t` holds past a quota; outputs only when `outputs`.
fn check_quotas(what: &str, t: &Template, outputs: bool, errors: &mut Vec<Excess>) {
    let counts = [
        ("resources", t.resources.len(), MAX_RESOURCES),
        ("parameters", t.parameters.len(), MAX_PARAMETERS),
        (
            "outputs",
            if outputs { t.outputs.len() } else { 0 },
            MAX_OUTPUTS,
        ),
    ];
    for (item, count, max) in counts {
        if count > max {
            errors.push(Excess {
                template: what.to_string(),
                count,
                item,
                max,
            });
        }
    }
}

/// The child's copy of a parent parameter: what the parent resolved (an
/// SSM parameter's value) is passed as a plain value of its type.
fn child_parameter(def: &Obj) -> Obj {
    let mut out = Obj::new();
    for (k, v) in &def.0 {
        match (k.as_ref(), v) {
            ("Default", _) => {}
            ("Type", Expr::Str(ty)) => {
                let ty = ty
                    .strip_prefix("AWS::SSM::Parameter::Value<")
                    .and_then(|t| t.strip_suffix('>'))
                    .unwrap_or(ty);
                out.0.push((k.clone(), Expr::Str(ty.to_string().into())));
            }
            _ => out.0.push((k.clone(), v.clone())),
        }
    }
    out
}

/// The shared child's output for an import: its parameter's name, unless
/// an output of the sources has it.
fn export_name(name: &str, outputs: &BTreeMap<String, Output>) -> String {
    let mut out = name.to_string();
    while outputs.contains_key(&out) {
        out.push_str("Value");
    }
    out
}

/// A child's description: the stack's, and which part this is, within
/// CloudFormation's 1,024 bytes.
fn child_description(stack: &str, part: &str) -> String {
    let suffix = format!(" (nested stack: {part})");
    let mut base: String = stack.to_string();
    while base.len() + suffix.len() > 1024 {
        base.pop();
    }
    base + &suffix
}

/// Replaces a resource's properties by what the split reads of them: the
/// names they read (as `Ref` and `Fn::GetAtt`, in a list) and their
/// estimated size. A hollow template is partitioned and counted exactly as
/// the whole one.
pub fn hollow(r: &mut Resource) {
    let size = resource_bytes(r);
    let mut names = Vec::new();
    names_in_obj(&r.properties, &mut names);
    names.sort_unstable();
    names.dedup();
    let reads: Vec<Expr> = names
        .into_iter()
        .map(|(x, a)| match a {
            Some(a) => Expr::get_att(x, a.to_string()),
            None => Expr::Ref(x.to_string()),
        })
        .collect();
    r.properties = Obj::new().set("Reads", Expr::List(reads));
    r.hollow_size = Some(size);
}

/// About the size of a resource as the template writes it (pretty JSON,
/// its properties indented three levels), counted without writing it:
/// grouping needs an estimate well under the quota, and the build measures
/// every template it writes.
fn resource_bytes(r: &Resource) -> usize {
    if let Some(size) = r.hollow_size {
        return size;
    }
    let props: usize = r
        .properties
        .0
        .iter()
        .map(|(k, v)| 8 + k.len() + 4 + json_bytes(v, 8) + 2)
        .sum();
    80 + props + r.depends_on.iter().map(|d| d.len() + 12).sum::<usize>()
}

/// About the length of `e` as pretty JSON at `indent` spaces.
fn json_bytes(e: &Expr, indent: usize) -> usize {
    match e {
        Expr::Bool(_) => 5,
        Expr::Int(_) => 8,
        Expr::Float(_) => 12,
        Expr::Str(s) => s.len() + 2,
        Expr::Ref(x) => x.len() + 2 * indent + 16,
        Expr::GetAtt(g) => g.0.len() + g.1.len() + 4 * indent + 40,
        Expr::Sub(parts) => {
            let text: usize = parts
                .iter()
                .map(|p| match p {
                    SubPart::Lit(l) => l.len(),
                    SubPart::Var(v) => v.len() + 3,
                })
                .sum();
            text + 2 * indent + 20
        }
        Expr::List(items) => {
            let inner: usize = items
                .iter()
                .map(|i| indent + 2 + json_bytes(i, indent + 2) + 2)
                .sum();
            inner + indent + 3
        }
        Expr::Map(entries) => {
            let inner: usize = entries
                .iter()
                .map(|(k, v)| indent + 2 + k.len() + 4 + json_bytes(v, indent + 2) + 2)
                .sum();
            inner + indent + 3
        }
    }
}

/// A name an expression reads, and the attribute it reads of it.
type Name<'e> = (&'e str, Option<&'e str>);

/// The names an expression reads: `Ref X`, `Fn::GetAtt X.A`, `${X}` and
/// `${X.A}` of an `Fn::Sub`.
fn names_in<'e>(e: &'e Expr, out: &mut Vec<Name<'e>>) {
    match e {
        Expr::Ref(x) => out.push((x, None)),
        Expr::GetAtt(g) => out.push((&g.0, Some(&g.1))),
        Expr::Sub(parts) => {
            for p in parts {
                if let SubPart::Var(v) = p {
                    match v.split_once('.') {
                        Some((x, a)) => out.push((x, Some(a))),
                        None => out.push((v, None)),
                    }
                }
            }
        }
        Expr::List(items) => items.iter().for_each(|i| names_in(i, out)),
        Expr::Map(entries) => entries.iter().for_each(|(_, v)| names_in(v, out)),
        Expr::Bool(_) | Expr::Int(_) | Expr::Float(_) | Expr::Str(_) => {}
    }
}

fn names_in_obj<'e>(o: &'e Obj, out: &mut Vec<Name<'e>>) {
    for (_, v) in &o.0 {
        names_in(v, out);
    }
}

/// The names of imports: a resource's `Ref` and a parent parameter keep
/// their own; an attribute is `XAttr`, lengthened until no resource,
/// parameter, output or other import has it.
struct Names {
    /// The names made for attributes so far.
    made: BTreeSet<String>,
    by_import: BTreeMap<Import, String>,
}

impl Names {
    /// `taken` says whether a resource, parameter or output has a name.
    fn of(&mut self, imp: &Import, taken: &dyn Fn(&str) -> bool) -> String {
        if let Some(name) = self.by_import.get(imp) {
            return name.clone();
        }
        let name = match imp {
            Import::Ref(x) | Import::Parameter(x) => x.clone(),
            Import::Attr(x, a) => {
                let mut name = format!("{x}{}", a.replace('.', ""));
                while taken(&name) || self.made.contains(&name) {
                    name.push_str("Value");
                }
                self.made.insert(name.clone());
                name
            }
        };
        self.by_import.insert(imp.clone(), name.clone());
        name
    }
}

/// Rewrites one piece's references to other pieces as its parameters.
struct Rewrite<'a> {
    /// The piece rewritten, and each resource's piece by its index.
    here: usize,
    piece_of: &'a [usize],
    parameters: &'a BTreeSet<String>,
    names: &'a mut Names,
    taken: &'a dyn Fn(&str) -> bool,
    resources: &'a Index<'a>,
    imports: &'a mut BTreeSet<Import>,
}

impl Rewrite<'_> {
    /// The parameter that stands for `name` (and `attr`) here, when it is
    /// read from elsewhere.
    fn parameter(&mut self, name: &str, attr: Option<&str>) -> Option<String> {
        let imp = if let Some(&i) = self.resources.get(name) {
            if self.piece_of[i] == self.here {
                return None;
            }
            match attr {
                Some(a) => Import::Attr(name.to_string(), a.to_string()),
                None => Import::Ref(name.to_string()),
            }
        } else if self.parameters.contains(name) {
            Import::Parameter(name.to_string())
        } else {
            // A pseudo parameter (`AWS::Region`).
            return None;
        };
        let param = self.names.of(&imp, self.taken);
        self.imports.insert(imp);
        Some(param)
    }

    fn expr(&mut self, e: &mut Expr) {
        match e {
            Expr::Ref(x) => {
                if let Some(p) = self.parameter(x, None) {
                    *x = p;
                }
            }
            Expr::GetAtt(g) => {
                if let Some(p) = self.parameter(&g.0, Some(&g.1)) {
                    *e = Expr::Ref(p);
                }
            }
            Expr::Sub(parts) => {
                for part in parts {
                    if let SubPart::Var(v) = part {
                        let (x, a) = match v.split_once('.') {
                            Some((x, a)) => (x, Some(a)),
                            None => (v.as_ref(), None),
                        };
                        if let Some(p) = self.parameter(x, a) {
                            *v = p.into();
                        }
                    }
                }
            }
            Expr::List(items) => items.iter_mut().for_each(|i| self.expr(i)),
            Expr::Map(entries) => entries.iter_mut().for_each(|(_, v)| self.expr(v)),
            Expr::Bool(_) | Expr::Int(_) | Expr::Float(_) | Expr::Str(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_without_resources_is_not_nested() {
        let nested = split(Template::default(), "json").expect("nothing to hold");
        assert!(nested.children.is_empty());
        assert!(nested.parent.resources.is_empty());
    }

    #[test]
    fn an_imported_attribute_is_named_past_every_name_taken() {
        // `DbArn` is a parameter and `DbArnValue` a resource: the service's
        // nested stack reads `Db.Arn` as `DbArnValueValue`.
        let mut t = Template::default();
        t.add("Db".into(), "AWS::RDS::DBInstance", Obj::new(), None);
        t.add("DbArnValue".into(), "AWS::SSM::Parameter", Obj::new(), None);
        t.parameters
            .insert("DbArn".into(), Obj::new().set("Type", "String"));
        t.add(
            "Web".into(),
            "AWS::ECS::Service",
            Obj::new().set("Db", Expr::get_att("Db", "Arn")),
            Some(crate::plan::Kind::Service),
        );
        let nested = split(t, "json").expect("within every quota");
        let services = &nested.children[1].template;
        let params: Vec<&String> = services.parameters.keys().collect();
        assert_eq!(params, ["DbArnValueValue"]);
        let web = &services.resources["Web"].properties.0[0].1;
        assert!(
            matches!(web, Expr::Ref(p) if p == "DbArnValueValue"),
            "{web:?}"
        );
    }

    /// Every name an expression reads (as [`names_in`]), as owned strings.
    fn read_by(o: &Obj) -> Vec<String> {
        let mut names = Vec::new();
        names_in_obj(o, &mut names);
        names.into_iter().map(|(n, _)| n.to_string()).collect()
    }

    /// A cluster, a parameter and `n` services that read both, one of them
    /// with a declared output.
    fn services(n: usize) -> Template {
        let mut t = Template::default();
        t.add(
            "Main".into(),
            "AWS::ECS::Cluster",
            Obj::new(),
            Some(crate::plan::Kind::Cluster),
        );
        t.parameters
            .insert("Image".into(), Obj::new().set("Type", "String"));
        for i in 0..n {
            let props = Obj::new()
                .set("Cluster", Expr::Ref("Main".into()))
                .set("Arn", Expr::get_att("Main", "Arn"))
                .set("Image", Expr::Ref("Image".into()));
            t.add(
                format!("Web{i}Service"),
                "AWS::ECS::Service",
                props,
                Some(crate::plan::Kind::Service),
            );
        }
        t.output(
            "Web7".into(),
            Output {
                description: "one service".into(),
                value: Expr::Ref("Web7Service".into()),
                export: Some("web-7".into()),
                declared: true,
            },
        );
        t
    }

    #[test]
    fn past_the_parents_stacks_groups_are_held_by_tiers() {
        // 60 services of one resource each, in groups of one, and a parent
        // that holds at most 8 stacks: the groups go in tiers.
        let limits = Limits {
            group_resources: 1,
            parent_stacks: 8,
            ..LIMITS
        };
        let nested = split_within(services(60), "json", &limits).expect("within every quota");
        let files: BTreeMap<&str, &Template> = nested
            .children
            .iter()
            .map(|c| (c.file.as_str(), &c.template))
            .collect();
        let parent = &nested.parent;
        assert!(
            parent.resources.len() <= 33,
            "{} stacks",
            parent.resources.len()
        );
        let mut held = 0;
        for (id, r) in &parent.resources {
            let file = match r.properties.0[0].1 {
                Expr::Str(ref f) => f.as_ref(),
                ref e => panic!("{id}: {e:?}"),
            };
            let tier = files[file];
            if id == SHARED_ID {
                continue;
            }
            assert!(file.starts_with(TIER_FILE), "{id} is {file}");
            // The parent passes what the tier declares, and the tier passes
            // on to each group what the group declares, reading only its
            // own parameters.
            let passed: BTreeSet<String> = match r.properties.0.get(1) {
                Some((_, Expr::Map(p))) => p.iter().map(|(k, _)| k.to_string()).collect(),
                _ => BTreeSet::new(),
            };
            let declared: BTreeSet<String> = tier.parameters.keys().cloned().collect();
            assert_eq!(passed, declared, "{file}");
            for (gid, g) in &tier.resources {
                assert_eq!(g.kind, "AWS::CloudFormation::Stack", "{gid}");
                for name in read_by(&g.properties) {
                    assert!(declared.contains(&name), "{gid} in {file} reads {name}");
                }
                let Expr::Str(gfile) = &g.properties.0[0].1 else {
                    panic!("{gid}: no TemplateURL");
                };
                let group = files[gfile.as_ref()];
                let given: BTreeSet<String> = match g.properties.0.get(1) {
                    Some((_, Expr::Map(p))) => p.iter().map(|(k, _)| k.to_string()).collect(),
                    _ => BTreeSet::new(),
                };
                let wanted: BTreeSet<String> = group.parameters.keys().cloned().collect();
                assert_eq!(given, wanted, "{gfile}");
                held += group.resources.len();
            }
        }
        assert_eq!(held, 60);
        // The declared output is read through its tier's output.
        let Expr::GetAtt(g) = &parent.outputs["Web7"].value else {
            panic!("{:?}", parent.outputs["Web7"].value);
        };
        let (tier, out) = &**g;
        assert!(tier.starts_with("ServicesTier"), "{tier}");
        let tier_file = format!(
            "{TIER_FILE}{}.json",
            &tier["ServicesTier".len()..tier.len() - "Stack".len()]
        );
        let through = &files[tier_file.as_str()].outputs[&out["Outputs.".len()..]];
        assert!(
            matches!(&through.value, Expr::GetAtt(g) if g.0.starts_with("Services") && g.1 == "Outputs.Web7")
        );
        // Below the parent's limit, the same stack has no tier.
        let flat = split_within(
            services(60),
            "json",
            &Limits {
                parent_stacks: 500,
                ..limits
            },
        )
        .expect("within every quota");
        assert!(flat.children.iter().all(|c| !c.file.starts_with(TIER_FILE)));
    }

    #[test]
    fn a_group_keeps_its_tier_as_the_stack_grows() {
        assert_eq!(tier_bits("0110110"), "01101");
        assert_eq!(tier_bits("011"), "01100");
        assert_eq!(tier_bits(""), "00000");
    }

    #[test]
    fn reach_counts_one_workload_or_many() {
        assert_eq!(Reach::None.join(Reach::One(3)), Reach::One(3));
        assert_eq!(Reach::One(3).join(Reach::One(3)), Reach::One(3));
        assert_eq!(Reach::One(3).join(Reach::One(4)), Reach::Many);
        assert_eq!(Reach::Many.join(Reach::None), Reach::Many);
    }
}
