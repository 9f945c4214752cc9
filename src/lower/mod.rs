//! Lowering: syntax trees → the semantic [`Model`].
//!
//! Names are declared first (so declaration order does not matter), then
//! each declaration kind is lowered by its own module into typed model
//! entities with resolved references. Every problem is reported; an entity
//! with errors is still added (with placeholder values) so that ids stay
//! aligned and later declarations can still be checked.

mod ecr;
mod ecs;
mod existing;
mod lb;
mod network;
mod reader;
mod symbols;

pub use reader::scalar_text;
pub use symbols::Kind;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::*;
use crate::source::{FileId, Sources, Span, Spanned};
use crate::suggest;
use crate::syntax::ast::{self, Block, StrPart, Value, ValueKind};
use reader::{Cx, Params, Reader};
use symbols::Symbols;

/// Lowers parsed files into a model. `env` selects an `environment` (its
/// param values, and its name in every physical name); `overrides` are
/// `--set name=value`, applied last.
pub fn lower(
    files: &[(FileId, ast::File)],
    sources: &Sources,
    env: Option<&str>,
    overrides: &[(String, String)],
    diags: &mut Diagnostics,
) -> Result<Model, String> {
    let mut params = params(files, diags)?;
    let stopped = environments(files, env, &mut params, diags)?;
    let params = apply_overrides(params, overrides)?;
    let mut symbols = Symbols::default();
    let mut stack_block: Option<&Block> = None;
    let mut by_kind: Vec<(Kind, &Block)> = Vec::new();
    let mut output_blocks: Vec<&Block> = Vec::new();
    for (_, file) in files {
        for block in &file.blocks {
            if block.kind.name == ENVIRONMENT {
                continue;
            }
            if block.kind.name == OUTPUT {
                output_blocks.push(block);
                continue;
            }
            if block.kind.name == "stack" {
                if let Some(first) = stack_block {
                    diags.push(
                        Diagnostic::error("E004", block.kind.span, "the stack is declared twice")
                            .label("second `stack` block")
                            .with(first.kind.span, "first `stack` block")
                            .help("keep one `stack` block for all the files of a stack"),
                    );
                } else {
                    stack_block = Some(block);
                }
                continue;
            }
            let Some(kind) = Kind::from_keyword(&block.kind.name) else {
                let keywords = Kind::ALL.map(Kind::keyword);
                let help = match suggest::closest(
                    &block.kind.name,
                    keywords
                        .iter()
                        .copied()
                        .chain(["stack", "param", ENVIRONMENT]),
                ) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!(
                        "declarations are `stack`, `param`, `environment`, `output`, {}",
                        suggest::one_of(&keywords)
                    ),
                };
                diags.push(
                    Diagnostic::error(
                        "E005",
                        block.kind.span,
                        format!("`{}` is not a kind of declaration", block.kind.name),
                    )
                    .label("unknown declaration")
                    .help(help),
                );
                continue;
            };
            let Some(name) = &block.name else {
                diags.push(
                    Diagnostic::error(
                        "E006",
                        block.kind.span,
                        format!("this {} has no name", kind.noun()),
                    )
                    .label("name missing")
                    .help(format!(
                        "name it after the keyword: `{} main {{ ... }}`",
                        kind.keyword()
                    )),
                );
                continue;
            };
            if symbols.declare(kind, name, diags).is_some() {
                by_kind.push((kind, block));
            }
        }
    }
    // Logical ids are derived from names: two names that differ only in
    // `-`/`_`/case would collide.
    check_name_clashes(&by_kind, diags);

    let mut model = Model::default();
    let mut cx = Cx {
        diags,
        params: &params,
        symbols: &symbols,
        region: String::new(),
        stack: String::new(),
        oversized: Default::default(),
    };
    model.stack = stack(&mut cx, stack_block, files);
    if let Some(env) = env {
        // Two environments of one stack never share a physical name.
        model.stack.name = format!("{}-{env}", model.stack.name);
        model.stack.environment = Some(env.to_string());
        model.stack.stopped = stopped;
    }
    cx.region = model.stack.region.clone();
    cx.stack = model.stack.name.clone();
    // Each list of the model is allocated once, at its size: grown by
    // doubling, the lists of 10,000 services and tasks took 31 MB
    // (heaptrack), part of it unused room kept while the rules ran.
    let of = |k: Kind| {
        by_kind
            .iter()
            .filter(move |(kind, _)| *kind == k)
            .map(|(_, b)| *b)
    };
    model.vpcs.reserve_exact(of(Kind::Vpc).count());
    for b in of(Kind::Vpc) {
        let v = network::vpc(&mut cx, b);
        model.vpcs.push(v);
    }
    model.subnets.reserve_exact(of(Kind::Subnet).count());
    for b in of(Kind::Subnet) {
        let s = network::subnet(&mut cx, b, &model.vpcs);
        model.subnets.push(s);
    }
    model
        .nat_gateways
        .reserve_exact(of(Kind::NatGateway).count());
    for b in of(Kind::NatGateway) {
        let n = network::nat_gateway(&mut cx, b);
        model.nat_gateways.push(n);
    }
    model
        .security_groups
        .reserve_exact(of(Kind::SecurityGroup).count());
    for b in of(Kind::SecurityGroup) {
        let g = network::security_group(&mut cx, b);
        model.security_groups.push(g);
    }
    model.endpoints.reserve_exact(of(Kind::Endpoint).count());
    for b in of(Kind::Endpoint) {
        let e = network::endpoint(&mut cx, b);
        model.endpoints.push(e);
    }
    check_prefix_list_peers(&mut cx, &model);
    model
        .load_balancers
        .reserve_exact(of(Kind::LoadBalancer).count());
    for b in of(Kind::LoadBalancer) {
        let l = lb::load_balancer(&mut cx, b);
        model.load_balancers.push(l);
    }
    model.clusters.reserve_exact(of(Kind::Cluster).count());
    for b in of(Kind::Cluster) {
        let c = ecs::cluster(&mut cx, b);
        model.clusters.push(c);
    }
    model
        .instance_groups
        .reserve_exact(of(Kind::Instances).count());
    for b in of(Kind::Instances) {
        let g = ecs::instances(&mut cx, b);
        model.instance_groups.push(g);
    }
    model.namespaces.reserve_exact(of(Kind::Namespace).count());
    for b in of(Kind::Namespace) {
        let n = ecs::namespace(&mut cx, b);
        model.namespaces.push(n);
    }
    model
        .repositories
        .reserve_exact(of(Kind::Repository).count());
    for b in of(Kind::Repository) {
        let repository = ecr::repository(&mut cx, b);
        model.repositories.push(repository);
    }
    model.tasks.reserve_exact(of(Kind::Task).count());
    for b in of(Kind::Task) {
        let id = TaskId(model.tasks.len());
        let t = ecs::task(&mut cx, b, &model.stack.name, id);
        model.tasks.push(t);
    }
    model.services.reserve_exact(of(Kind::Service).count());
    for b in of(Kind::Service) {
        let s = ecs::service(&mut cx, b, &model);
        model.services.push(s);
    }
    model.schedules.reserve_exact(of(Kind::Schedule).count());
    for b in of(Kind::Schedule) {
        let s = ecs::schedule(&mut cx, b, &model);
        model.schedules.push(s);
    }
    for b in output_blocks {
        if let Some(o) = output(&mut cx, b, &model.outputs) {
            model.outputs.push(o);
        }
    }
    model.params = params
        .iter()
        .map(|(k, v)| (k.clone(), reader::scalar_text(v)))
        .collect();
    model.params.sort();
    model.suppressions = suppressions(sources);
    model.references = symbols.references();
    Ok(model)
}

/// Params with `--set` overrides applied (typed like their defaults).
/// The declared params with their defaults.
fn params(files: &[(FileId, ast::File)], diags: &mut Diagnostics) -> Result<Params, String> {
    let mut params = Params::new();
    let mut spans = std::collections::HashMap::new();
    for (_, file) in files {
        for p in &file.params {
            if let Some(first) = spans.get(&p.name.name) {
                diags.push(
                    Diagnostic::error(
                        "E004",
                        p.name.span,
                        format!("param `{}` is declared twice", p.name.name),
                    )
                    .label("declared again here")
                    .with(*first, "first declared here")
                    .help("remove one of them"),
                );
                continue;
            }
            spans.insert(p.name.name.clone(), p.name.span);
            params.insert(p.name.name.clone(), p.default.clone());
        }
    }
    Ok(params)
}

/// `--set name=value` overrides, typed like the params' defaults.
fn apply_overrides(mut params: Params, overrides: &[(String, String)]) -> Result<Params, String> {
    for (name, text) in overrides {
        let Some(default) = params.get(name) else {
            let mut names: Vec<&str> = params.keys().map(String::as_str).collect();
            names.sort();
            let hint = match suggest::closest(name, names.iter().copied()) {
                Some(s) => format!(" (did you mean `{s}`?)"),
                None if names.is_empty() => " (the sources declare no params)".to_string(),
                None => format!(" (declared: {})", names.join(", ")),
            };
            return Err(format!(
                "--set {name}={text}: there is no param named `{name}`{hint}"
            ));
        };
        let span = default.span;
        let kind = match &default.kind {
            ValueKind::Str(_) => ValueKind::Str(vec![StrPart::Text(text.clone())]),
            expected => match crate::syntax::parse_value(text) {
                Some(v) if std::mem::discriminant(&v.kind) == std::mem::discriminant(expected) => v.kind,
                _ => {
                    return Err(format!(
                        "--set {name}={text}: param `{name}` is {} (its default is {}), and `{text}` is not",
                        expected.describe(),
                        reader::scalar_text(default)
                    ))
                }
            },
        };
        let mut value = Value { kind, span };
        // `--set` text has no file: everything in it is reported at the
        // param's default.
        respan(&mut value, span);
        params.insert(name.clone(), value);
    }
    Ok(params)
}

/// Puts `span` on a value and everything inside it.
fn respan(v: &mut Value, span: Span) {
    v.span = span;
    match &mut v.kind {
        ValueKind::Ref(id) => id.span = span,
        ValueKind::Str(parts) => {
            for p in parts {
                if let StrPart::Interpolation(id) = p {
                    id.span = span;
                }
            }
        }
        ValueKind::List(items) => items.iter_mut().for_each(|i| respan(i, span)),
        ValueKind::Map(entries) => {
            for (k, v) in entries {
                k.span = span;
                respan(v, span);
            }
        }
        _ => {}
    }
}

/// The keyword of an output declaration.
const OUTPUT: &str = "output";

/// `output NAME { <kind> = <name>  attribute = ...  description  export }`.
fn output(cx: &mut Cx<'_>, b: &Block, earlier: &[OutputDecl]) -> Option<OutputDecl> {
    let Some(id) = &b.name else {
        cx.error(
            Diagnostic::error("E006", b.kind.span, "this output has no name")
                .label("name missing")
                .help("name it: `output api_url { load_balancer = api  attribute = dns_name }`"),
        );
        return None;
    };
    let name = Name {
        name: id.name.clone(),
        span: id.span,
    };
    if let Some(first) = earlier
        .iter()
        .find(|o| crate::names::pascal(&o.name.name) == crate::names::pascal(&name.name))
    {
        cx.error(
            Diagnostic::error("E004", name.span, format!("output `{}` is declared twice", name.name))
                .label("declared again here")
                .with(first.name.span, "first declared here")
                .help("give each output its own name (names differing only in `-`, `_` or case are the same)"),
        );
        return None;
    }
    let mut r = Reader::new(
        cx,
        &crate::schema::blocks::OUTPUT,
        format!("output `{}`", name.name),
        name.span,
        &b.members,
    );
    let mut found: Vec<(OutputOf, Span)> = Vec::new();
    let mut one = |of: Option<Spanned<usize>>, make: fn(usize) -> OutputOf| {
        if let Some(v) = of {
            found.push((make(v.value), v.span));
        }
    };
    one(r.reference(cx, "vpc", Kind::Vpc), |i| {
        OutputOf::Vpc(VpcId(i))
    });
    one(r.reference(cx, "subnet", Kind::Subnet), |i| {
        OutputOf::Subnet(SubnetId(i))
    });
    one(
        r.reference(cx, "security_group", Kind::SecurityGroup),
        |i| OutputOf::SecurityGroup(SgId(i)),
    );
    one(r.reference(cx, "load_balancer", Kind::LoadBalancer), |i| {
        OutputOf::LoadBalancer(LbId(i))
    });
    one(r.reference(cx, "cluster", Kind::Cluster), |i| {
        OutputOf::Cluster(ClusterId(i))
    });
    one(r.reference(cx, "task", Kind::Task), |i| {
        OutputOf::Task(TaskId(i))
    });
    one(r.reference(cx, "service", Kind::Service), |i| {
        OutputOf::Service(ServiceId(i))
    });
    const ATTRIBUTES: &[(&str, &str)] = &[
        ("id", "id"),
        ("arn", "arn"),
        ("name", "name"),
        ("dns_name", "dns_name"),
        ("full_name", "full_name"),
    ];
    let attribute = r.keyword(cx, "attribute", ATTRIBUTES);
    let description = r.string(cx, "description").map(|s| {
        // CloudFormation API, Output.Description: 1–1,024 characters.
        let n = s.value.chars().count();
        if !(1..=1024).contains(&n) {
            cx.range_error(
                "description",
                s.span,
                format!("is {n} characters long; an output's description is 1–1,024"),
                if n == 0 {
                    "remove `description` to have one generated".into()
                } else {
                    "shorten it to 1,024 characters or fewer".into()
                },
            );
        }
        s.value
    });
    let export = r.string(cx, "export");
    r.finish(cx);
    let (of, of_span) = match found.as_slice() {
        [one] => *one,
        [] => {
            cx.error(
                Diagnostic::error(
                    "E006",
                    name.span,
                    format!("output `{}` names no declaration", name.name),
                )
                .label("what does it report?")
                .help("add one of `vpc`, `subnet`, `security_group`, `load_balancer`, `cluster`, `task`, `service`, e.g. `load_balancer = api`"),
            );
            return None;
        }
        [first, second, ..] => {
            cx.error(
                Diagnostic::error(
                    "E009",
                    second.1,
                    format!("output `{}` names more than one declaration", name.name),
                )
                .label("second declaration")
                .with(first.1, "first declaration")
                .help("an output reports one attribute of one declaration: keep one"),
            );
            return None;
        }
    };
    let attribute = attribute?;
    if !of.attributes().contains(&attribute.value) {
        let allowed = of.attributes();
        cx.error(
            Diagnostic::error(
                "E008",
                attribute.span,
                format!(
                    "`{}` is not an attribute an output can read here",
                    attribute.value
                ),
            )
            .label(format!("expected {}", crate::suggest::one_of(allowed)))
            .with(of_span, "of this declaration")
            .help(format!("use `attribute = {}`", allowed[0])),
        );
        return None;
    }
    Some(OutputDecl {
        name,
        of,
        attribute,
        description,
        export,
        span: b.span,
    })
}

/// The keyword of an environment block.
const ENVIRONMENT: &str = "environment";

/// The names of the `environment` blocks of the sources, in order.
pub fn environment_names(files: &[(FileId, ast::File)]) -> Vec<String> {
    files
        .iter()
        .flat_map(|(_, f)| &f.blocks)
        .filter(|b| b.kind.name == ENVIRONMENT)
        .filter_map(|b| b.name.as_ref().map(|n| n.name.clone()))
        .collect()
}

/// Checks every `environment NAME { param = value ... }` block, and applies
/// the selected one's values to the params. An environment names declared
/// params, with values of their defaults' types, and may say
/// `stopped = true`; returns whether the selected one does.
fn environments(
    files: &[(FileId, ast::File)],
    selected: Option<&str>,
    params: &mut Params,
    diags: &mut Diagnostics,
) -> Result<bool, String> {
    let mut stopped = false;
    let blocks: Vec<&Block> = files
        .iter()
        .flat_map(|(_, f)| &f.blocks)
        .filter(|b| b.kind.name == ENVIRONMENT)
        .collect();
    let mut seen: Vec<&ast::Ident> = Vec::new();
    let mut chosen: Vec<(String, Value)> = Vec::new();
    let mut names: Vec<&str> = params.keys().map(String::as_str).collect();
    names.sort();
    for b in &blocks {
        let Some(name) = &b.name else {
            diags.push(
                Diagnostic::error("E006", b.kind.span, "this environment has no name")
                    .label("name missing")
                    .help("name it: `environment production { replicas = 4 }`"),
            );
            continue;
        };
        if let Some(first) = seen.iter().find(|f| f.name == name.name) {
            diags.push(
                Diagnostic::error(
                    "E004",
                    name.span,
                    format!("environment `{}` is declared twice", name.name),
                )
                .label("declared again here")
                .with(first.span, "first declared here")
                .help("merge the two blocks"),
            );
            continue;
        }
        seen.push(name);
        for m in &b.members {
            let ast::Member::Attribute(a) = m else {
                let span = match m {
                    ast::Member::Block(inner) => inner.kind.span,
                    ast::Member::Statement(st) => st.span,
                    ast::Member::Attribute(a) => a.key.span,
                };
                diags.push(
                    Diagnostic::error("E005", span, "an environment holds only param values")
                        .label("not a param value")
                        .help("write `param_name = value` for each param this environment sets"),
                );
                continue;
            };
            if a.key.name == STOPPED {
                match a.value.kind {
                    ValueKind::Bool(b) => {
                        if Some(name.name.as_str()) == selected {
                            stopped = b;
                        }
                    }
                    _ => diags.push(
                        Diagnostic::error(
                            "E007",
                            a.value.span,
                            format!(
                                "`{STOPPED}` must be true or false, found {}",
                                a.value.kind.describe()
                            ),
                        )
                        .label("expected true or false")
                        .help(format!(
                            "write `{STOPPED} = true` to stop every service and schedule"
                        )),
                    ),
                }
                continue;
            }
            let Some(default) = params.get(&a.key.name) else {
                let help = match suggest::closest(&a.key.name, names.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!(
                        "declare it first: `param {} = ...` sets the value other environments use",
                        a.key.name
                    ),
                };
                diags.push(
                    Diagnostic::error(
                        "E002",
                        a.key.span,
                        format!("there is no param named `{}`", a.key.name),
                    )
                    .label("not a param")
                    .help(help),
                );
                continue;
            };
            if std::mem::discriminant(&default.kind) != std::mem::discriminant(&a.value.kind) {
                diags.push(
                    Diagnostic::error(
                        "E007",
                        a.value.span,
                        format!(
                            "param `{}` is {}, found {}",
                            a.key.name,
                            default.kind.describe(),
                            a.value.kind.describe()
                        ),
                    )
                    .label(format!("expected {}", default.kind.describe()))
                    .with(default.span, "its default is set here")
                    .help(format!(
                        "give a value like the default, `{}`",
                        reader::scalar_text(default)
                    )),
                );
                continue;
            }
            if Some(name.name.as_str()) == selected {
                chosen.push((a.key.name.clone(), a.value.clone()));
            }
        }
    }
    if let Some(env) = selected {
        if !seen.iter().any(|n| n.name == env) {
            let declared: Vec<&str> = seen.iter().map(|n| n.name.as_str()).collect();
            let hint = match suggest::closest(env, declared.iter().copied()) {
                Some(s) => format!(" (did you mean `{s}`?)"),
                None if declared.is_empty() => " (the sources declare no environments)".into(),
                None => format!(" (declared: {})", declared.join(", ")),
            };
            return Err(format!(
                "--env {env}: there is no environment named `{env}`{hint}"
            ));
        }
    }
    params.extend(chosen);
    Ok(stopped)
}

/// The attribute of an environment that stops it (not a param).
const STOPPED: &str = "stopped";

fn stack(cx: &mut Cx<'_>, block: Option<&Block>, files: &[(FileId, ast::File)]) -> Stack {
    let Some(block) = block else {
        let file = files.first().map(|(f, _)| *f).unwrap_or_default();
        cx.error(
            Diagnostic::error(
                "E006",
                Span::new(file, 0, 0),
                "the sources declare no stack",
            )
            .label("no `stack` block in any file")
            .help("add `stack my_app { region = \"eu-central-1\" }` to one of the files"),
        );
        return Stack::default();
    };
    let name = match &block.name {
        Some(n) => n.name.clone(),
        None => {
            cx.error(
                Diagnostic::error("E006", block.kind.span, "the stack has no name")
                    .label("name missing")
                    .help("name it: `stack my_app { ... }`"),
            );
            String::new()
        }
    };
    let mut r = Reader::new(
        cx,
        &crate::schema::blocks::STACK,
        format!("stack `{name}`"),
        block.kind.span,
        &block.members,
    );
    let mut region_span = block.kind.span;
    let region = r
        .string(cx, "region")
        .map(|s| {
            let ok = s.value.split('-').count() >= 3
                && s.value
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && s.value.ends_with(|c: char| c.is_ascii_digit());
            if !ok {
                cx.range_error(
                    "region",
                    s.span,
                    format!("is `{}`, which is not an AWS Region code", s.value),
                    match crate::suggest::closest(&s.value, crate::regions::REGIONS.iter().copied())
                    {
                        Some(near) => format!("did you mean `region = \"{near}\"`?"),
                        None => {
                            "write a Region code such as \"eu-central-1\" or \"us-east-1\"".into()
                        }
                    },
                );
            }
            region_span = s.span;
            s.value
        })
        .unwrap_or_default();
    let written = r.string_map(cx, "tags");
    let tag_spans = written.iter().map(|(k, v)| (k.span, v.span)).collect();
    let tags = written
        .into_iter()
        .map(|(k, v)| (k.name, v.value))
        .collect();
    let description = r.string(cx, "description").map(|s| {
        // CloudFormation quotas: a template's description is at most 1,024 bytes.
        if s.value.len() > 1024 {
            cx.range_error(
                "description",
                s.span,
                format!(
                    "is {} bytes long; a CloudFormation template's description is at most 1,024",
                    s.value.len()
                ),
                "shorten it to 1,024 bytes or fewer".into(),
            );
        }
        s.value
    });
    r.finish(cx);
    Stack {
        environment: None,
        stopped: false,
        name,
        region,
        region_span,
        tags,
        tag_spans,
        description,
        span: block.kind.span,
    }
}

/// Names that differ only in `-`, `_` or case map to the same logical id.
fn check_name_clashes(blocks: &[(Kind, &Block)], diags: &mut Diagnostics) {
    let mut seen: std::collections::HashMap<(Kind, String), &ast::Ident> = Default::default();
    for (kind, block) in blocks {
        let Some(name) = &block.name else { continue };
        let key = (*kind, crate::names::pascal(&name.name));
        if let Some(first) = seen.get(&key) {
            diags.push(
                Diagnostic::error(
                    "E004",
                    name.span,
                    format!(
                        "{} names `{}` and `{}` differ only in `-`, `_` or case",
                        kind.noun(),
                        first.name,
                        name.name
                    ),
                )
                .label("clashes with another name")
                .with(first.span, "this name")
                .help("both would get the same CloudFormation logical id; rename one"),
            );
        } else {
            seen.insert(key, name);
        }
    }
}

/// `# ecsc-allow W071: reason` comments.
fn suppressions(sources: &Sources) -> Vec<Suppression> {
    const MARK: &str = "# ecsc-allow";
    let mut out = Vec::new();
    for (file, src) in sources.iter() {
        let text = src.text.as_str();
        // One search of the whole text (not one per line: a searcher is
        // set up per call), the first mark of a line only.
        let (mut lines_before, mut counted, mut line_end) = (0, 0, 0);
        for (pos, _) in text.match_indices(MARK) {
            if pos < line_end {
                continue;
            }
            let start = text[..pos].rfind('\n').map_or(0, |i| i + 1);
            line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
            lines_before += text[counted..start].bytes().filter(|&b| b == b'\n').count();
            counted = start;
            let line = &text[start..line_end];
            let at = pos - start;
            let rest = line[at + MARK.len()..].trim();
            let (code, reason) = rest.split_once(':').unwrap_or((rest, ""));
            let standalone = line[..at].trim().is_empty();
            out.push(Suppression {
                code: code.trim().to_string(),
                reason: reason.trim().to_string(),
                span: Span::new(file, start + at, start + line.trim_end().len()),
                line: lines_before + 1 + usize::from(standalone),
                file,
            });
        }
    }
    out
}

/// Only gateway endpoints (s3, dynamodb) have a managed prefix list to use
/// as a security group peer.
fn check_prefix_list_peers(cx: &mut Cx<'_>, m: &Model) {
    for g in &m.security_groups {
        for r in g.ingress.iter().chain(&g.egress) {
            if let Peer::PrefixList(e) = r.peer.value {
                let e = &m[e];
                if e.kind == EndpointKind::Interface {
                    cx.error(
                        Diagnostic::error(
                            "E003",
                            r.peer.span,
                            format!("`{}` is an interface endpoint, which has no prefix list", e.name.name),
                        )
                        .label("expected a security group, a CIDR or a gateway endpoint")
                        .with(e.name.span, format!("`{}` is an interface endpoint ({})", e.name.name, e.service.value))
                        .help("reach an interface endpoint through its security group: name that group here"),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::reader::ASKED;
    use crate::source::Sources;

    /// Every line's first mark, found line by line: what the one search
    /// of the whole text must give.
    fn by_lines(text: &str) -> Vec<(String, String, usize, usize, usize)> {
        let mut out = Vec::new();
        let mut offset = 0;
        for (i, line) in text.split_inclusive('\n').enumerate() {
            if let Some(at) = line.find("# ecsc-allow") {
                let rest = line[at + "# ecsc-allow".len()..].trim();
                let (code, reason) = rest.split_once(':').unwrap_or((rest, ""));
                let standalone = line[..at].trim().is_empty();
                out.push((
                    code.trim().to_string(),
                    reason.trim().to_string(),
                    offset + at,
                    offset + line.trim_end().len(),
                    i + 1 + usize::from(standalone),
                ));
            }
            offset += line.len();
        }
        out
    }

    #[test]
    fn suppressions_are_each_line_s_first_mark() {
        let text = "# ecsc-allow W001: first line\n\
                    vpc a { cidr = 10.0.0.0/16 } # ecsc-allow W002: trailing # ecsc-allow W003: second\r\n\
                    \n\
                    \t  # ecsc-allow W004\n\
                    # ecsc-allow # ecsc-allow W005:\n\
                    no mark here\n\
                    # ecsc-allow W006: last line, no line break";
        let mut sources = Sources::new();
        sources.add("a.ecs", text);
        let found: Vec<_> = super::suppressions(&sources)
            .into_iter()
            .map(|s| {
                let at = |n: u32| usize::try_from(n).unwrap_or(usize::MAX);
                (s.code, s.reason, at(s.span.start), at(s.span.end), s.line)
            })
            .collect();
        assert_eq!(found.len(), 5);
        assert_eq!(found, by_lines(text));
    }

    /// A declaration wins over a param of the same name where a reference
    /// goes; a param names declarations where none has its name, also
    /// inside a list.
    #[test]
    fn references_prefer_declarations_over_params() {
        let src = r#"stack s { region = "eu-west-1" }
param api = "api"
param second = b
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
subnet b { vpc = main  cidr = 10.0.2.0/24  zone = "b"  public = true }
security_group api { vpc = main }
cluster api {}
task api {
  cpu = 256  memory = 512
  container app { image = "public.ecr.aws/nginx/nginx:${api}" }
}
service api {
  cluster = api  task = api
  network { subnets = [a, second]  security_groups = api  public_ip = true }
}
"#;
        let mut sources = Sources::new();
        sources.add("refs.ecs", src);
        let compiled = crate::compile(&sources, &[]).expect("no usage error");
        assert!(
            !compiled.diagnostics.has_errors(),
            "{:?}",
            compiled.diagnostics
        );
        let model = compiled.model.expect("a model");
        let subnets = &model.services[0]
            .placement
            .network
            .as_ref()
            .expect("network")
            .subnets
            .value;
        assert_eq!(subnets.len(), 2);
    }

    /// Every block of the language, so that lowering reaches all of them.
    const EVERYTHING: &str = r#"
stack all { region = "eu-central-1"  tags = { team = "x" }  description = "d" }
vpc main { cidr = 10.0.0.0/16  dns_support = true  dns_hostnames = true }
subnet public_a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
subnet private_a { vpc = main  cidr = 10.0.2.0/24  zone = "a"  nat = gw }
nat_gateway gw { subnet = public_a }
security_group web { vpc = main  description = "web"  ingress tcp 80 from 0.0.0.0/0  egress all to 0.0.0.0/0 }
endpoint s3 { vpc = main  service = "s3"  type = gateway  subnets = [private_a]  security_groups = [web]  private_dns = false }
load_balancer edge {
  subnets = [public_a]  security_groups = [web]  internal = false  idle_timeout = 60s  name = "edge"
  type = application  deletion_protection = true  drop_invalid_headers = true  cross_zone = true
  access_logs { bucket = "logs"  prefix = "edge" }
  listener http 80 { certificate = "arn:aws:acm:eu-central-1:123456789012:certificate/x"  tls_policy = "ELBSecurityPolicy-TLS13-1-2-2021-06"  redirect = https  redirect_port = 443
    sni_certificates = ["arn:aws:acm:eu-central-1:123456789012:certificate/y"]
    fixed_response { status = 404  body = "no"  content_type = "text/plain" }
    rule old { path = "/old"  host = "h"  methods = ["GET"]  headers = { X-A = "1" }  query = { v = "2" }  source_ips = ["10.0.0.0/8"]  priority = 9
      redirect { protocol = https  host = "h"  path = "/new"  port = 443  query = "q"  status = 302 } }
  }
}
load_balancer logs { subnets = [public_a]  access_logs { expire_days = 30 } }
cluster apps { insights = true  service_connect = mesh  capacity fargate { base = 1  weight = 1 } }
instances general { cluster = apps  type = "m6i.large"  arch = x86_64  ami = "ami-0123456789abcdef0"  subnets = [private_a]  security_groups = [web]  min = 1  max = 2  desired = 1  target_capacity = 90%
  spot { on_demand_base = 1  on_demand_percent = 10%  types = ["m5.large"] } }
namespace local { vpc = main }
namespace mesh { type = http }
repository images { name = "all/images"  scan_on_push = true  immutable_tags = true  keep_last = 10  expire_untagged = 14d
  encryption = kms  kms_key = "alias/ecr"  force_delete = false }
repository base { id_from_ssm = "/base/repository" }
task api {
  family = "f"  cpu = 256  memory = 512  launch = fargate  network_mode = awsvpc  os = linux
  arch = x86_64  ephemeral_storage = 30  log_retention = 30
  role { managed = ["arn"]  allow "s3:GetObject" on "*" }
  execution_role { id = "arn:aws:iam::123456789012:role/exec" }
  volume data { efs = "fs-0123456789abcdef0"  root = "/"  access_point = "fsap-0123456789abcdef0"  transit_encryption = true  iam = true }
  container app {
    image = "nginx"  external_image = false  port = 80  command = ["a"]  entrypoint = ["b"]
    env = { A = "1" }  essential = true  cpu = 128  memory = 256  memory_reservation = 128
    working_dir = "/"  user = "u"  read_only = false  stop_timeout = 30s  logging = true  privileged = false
    port 8080 { name = "p"  host_port = 8080  app_protocol = http }
    secret DB from ssm "/db"
    depends_on side start
    mount data at "/data"
    health { command = "true"  interval = 30s  timeout = 5s  retries = 3  start_period = 0s }
  }
  container side { repository = images  tag = "1.0" }
  run { cluster = apps  platform_version = "LATEST"  network { subnets = [private_a] } }
}
output api_family { task = api  attribute = arn  description = "d"  export = "e" }
service api {
  scheduling = replica
  cluster = apps  task = api  count = 1  launch = fargate  platform_version = "LATEST"
  grace_period = 30s  exec = true
  network { subnets = [private_a]  security_groups = [web]  public_ip = false }
  route edge:80 {
    path = "/a"  host = "h"  priority = 1  container = app  port = 80  target_group_name = "t"
    methods = ["GET"]  headers = { X-A = "1" }  query = { v = "2" }  source_ips = ["10.0.0.0/8"]  weight = 1
    deregistration_delay = 30s
    health { path = "/"  interval = 30s  timeout = 5s  healthy = 3  unhealthy = 3  matcher = "200"  protocol = http  port = 80 }
    sticky { duration = 1h  cookie = "s" }
  }
  deployment { min_healthy = 50%  max = 200%  circuit_breaker = rollback  alarms = [errors] }
  discovery { namespace = local  name = "api" }
  connect { namespace = mesh  calls = ["api"]  logs = true
    serve p { discovery = "api"  alias = "api"  port = 8080  idle_timeout = 5m  per_request_timeout = 15s } }
  autoscale { min = 1  max = 2  cpu = 50%  memory = 50%  requests = 10  scale_in_cooldown = 60s  scale_out_cooldown = 60s
    step { alarm = backlog  add = 1  from = 10  to = 100  cooldown = 60s }
    track { namespace = "AWS/SQS"  metric_name = "ApproximateNumberOfMessagesVisible"  dimensions = { QueueName = "q" }  statistic = average  target = 100 }
  }
  scale night { cron = "0 20 ? * MON-FRI *"  timezone = "Europe/Berlin"  min = 0  max = 0 }
  alarm errors { metric = target_5xx  statistic = sum  above = 5  period = 60s  for = 3m  treat_missing = not_breaching  notify = "arn:aws:sns:eu-west-1:123456789012:ops" }
  alarm backlog { namespace = "AWS/SQS"  metric_name = "ApproximateNumberOfMessagesVisible"  dimensions = { QueueName = "q" }  at_least = 10 }
}
schedule nightly {
  cluster = apps  task = api  cron = "0 3 * * ? *"  count = 1  platform_version = "LATEST"
  network { subnets = [private_a] }
}
schedule hourly { cluster = apps  task = api  rate = 1h  network { subnets = [private_a] }  capacity fargate_spot { weight = 2 }
  placement { strategy = [spread_zone, binpack_memory]  distinct_instance = true  member_of = "attribute:ecs.instance-type =~ t3.*" } }
"#;

    /// The schema and lowering cannot drift: every attribute, nested block
    /// and statement the schema declares is asked for by lowering (and
    /// asking for an undeclared one is a debug assertion in the reader).
    #[test]
    fn lowering_reads_every_member_the_schema_declares() {
        ASKED.with(|a| a.borrow_mut().clear());
        let mut sources = Sources::new();
        sources.add("all.ecs", EVERYTHING);
        let compiled = crate::compile(&sources, &[]).expect("no usage error");
        // Rules may object to this odd stack; lowering must not.
        let lowering = [
            "E001", "E002", "E003", "E004", "E005", "E006", "E007", "E008", "E009",
        ];
        let errors: Vec<_> = compiled
            .diagnostics
            .iter()
            .filter(|d| lowering.contains(&d.code))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
        let asked = ASKED.with(|a| a.borrow().clone());
        let mut unread = Vec::new();
        for block in crate::schema::ALL {
            for word in block.member_words() {
                if !asked.contains(&(block.id, word)) {
                    unread.push(format!("{}.{word}", block.id));
                }
            }
        }
        assert!(
            unread.is_empty(),
            "declared in the schema, never read by lowering: {unread:?}"
        );
    }
}
