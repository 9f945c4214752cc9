//! Lowering of `load_balancer` declarations and their listeners.

use super::existing::{existing, existing_as, not_on_existing, owned_elsewhere, says_existing};
use super::network::declaration;
use super::reader::{keyword_value, narrow, Cx, Reader};
use super::symbols::Kind;
use crate::diagnostic::Diagnostic;
use crate::model::*;
use crate::schema::blocks;
use crate::source::Spanned;
use crate::syntax::ast::{Block, Ident, StatementKind, Value, ValueKind};

pub fn load_balancer(cx: &mut Cx<'_>, block: &Block) -> LoadBalancer {
    let (name, mut r) = declaration(cx, block, Kind::LoadBalancer);
    let existing = existing(cx, &mut r, Kind::LoadBalancer);
    let is_existing = says_existing(&r);
    if is_existing {
        let what = format!("load balancer `{}`", name.name);
        for key in [
            "name",
            "internal",
            "idle_timeout",
            "type",
            "deletion_protection",
            "drop_invalid_headers",
            "cross_zone",
        ] {
            not_on_existing(cx, &r, ("load balancer", &what), key);
        }
    }
    let physical_name = r.string(cx, "name");
    let vpc = r
        .reference(cx, "vpc", Kind::Vpc)
        .map(|v| Spanned::new(VpcId(v.value), v.span));
    if let (false, Some(v)) = (is_existing, &vpc) {
        cx.error(
            Diagnostic::error(
                "E008",
                v.span,
                format!("load balancer `{}` is new: its VPC is its subnets'", name.name),
            )
            .label("`vpc` is for an existing load balancer")
            .help("remove `vpc`, or add `id = \"arn:…\"` / `id = input` if the load balancer exists already"),
        );
    }
    let subnets = r
        .references(cx, "subnets", Kind::Subnet)
        .map(|s| Spanned::new(s.value.into_iter().map(SubnetId).collect(), s.span));
    let stated = |r: &Reader<'_>, key: &str| r.key_span(key).is_some();
    if is_existing
        && vpc.is_none()
        && !stated(&r, "vpc")
        && subnets.is_none()
        && !stated(&r, "subnets")
    {
        cx.error(
            Diagnostic::error(
                "E006",
                name.span,
                format!("load balancer `{}` has no `vpc`", name.name),
            )
            .label("an existing load balancer's VPC is needed for its target groups")
            .help("add `vpc = <its VPC>` (or the `subnets` it is in)"),
        );
    }
    if !is_existing && subnets.is_none() && !stated(&r, "subnets") {
        cx.error(
            Diagnostic::error(
                "E006",
                name.span,
                format!("load balancer `{}` has no `subnets`", name.name),
            )
            .label("`subnets` is required here")
            .help("add `subnets = [public_a, public_b]`: two or more subnets in different zones, or `id = \"arn:…\"` / `id = input` if it exists already"),
        );
    }
    let subnets = subnets.unwrap_or_else(|| Spanned::new(Vec::new(), name.span));
    let security_groups = r
        .references(cx, "security_groups", Kind::SecurityGroup)
        .map(|s| Spanned::new(s.value.into_iter().map(SgId).collect(), s.span))
        .unwrap_or_else(|| Spanned::new(Vec::new(), name.span));
    let internal = r.flag(cx, "internal", false).value;
    let idle_timeout = r.seconds(cx, "idle_timeout");
    let lb_type = r
        .keyword(
            cx,
            "type",
            &[
                ("application", LbType::Application),
                ("network", LbType::Network),
            ],
        )
        .unwrap_or(Spanned::new(LbType::Application, name.span));
    let deletion_protection = r.bool(cx, "deletion_protection");
    let drop_invalid_headers = r.bool(cx, "drop_invalid_headers");
    let cross_zone = r.bool(cx, "cross_zone");
    let access_logs = r.block(cx, "access_logs").map(|b| access_logs(cx, b));
    let statements = r.statements("listener", |s| match &s.kind {
        StatementKind::Listener {
            protocol,
            port,
            body,
        } => Some((s, protocol, port, body)),
        _ => None,
    });
    r.finish(cx);
    let mut listeners: Vec<Listener> = Vec::new();
    for (s, protocol, port, body) in statements {
        let Some(l) = listener(cx, &name.name, s.span, protocol, port, body) else {
            continue;
        };
        if let Some(first) = listeners.iter().find(|f| f.port.value == l.port.value) {
            cx.error(
                Diagnostic::error(
                    "E004",
                    l.port.span,
                    format!(
                        "load balancer `{}` has two listeners on port {}",
                        name.name, l.port.value
                    ),
                )
                .label("second listener on this port")
                .with(first.port.span, "first listener")
                .help("a port takes one listener: merge them, or use another port"),
            );
            continue;
        }
        listeners.push(l);
    }
    for l in &listeners {
        let Some(given) = &l.existing else { continue };
        match (&existing, given) {
            // A listener that exists is on a load balancer that exists.
            (None, _) if !is_existing => cx.error(
                Diagnostic::error(
                    "E008",
                    given.span(),
                    format!(
                        "listener `{}:{}` exists already, but load balancer `{}` is new",
                        name.name, l.port.value, name.name
                    ),
                )
                .label("an existing listener")
                .with(name.span, "created by this stack")
                .help("declare the load balancer the listener is on with its `id` (and `vpc`), or remove the listener's `id` to create it here"),
            ),
            // Both written: the listener's ARN names this load balancer.
            (Some(Existing::Id(lb_arn)), Existing::Id(listener_arn)) => {
                let lb_full = crate::schema::load_balancer_full_name(&lb_arn.value);
                let listener_lb = crate::arn::Arn::resource_of(
                    &listener_arn.value,
                    "elasticloadbalancing",
                    true,
                    "listener/",
                )
                .and_then(|rest| rest.rsplit_once('/').map(|(lb, _)| lb));
                let same_account = crate::arn::Arn::parse(&lb_arn.value).map(|a| a.account)
                    == crate::arn::Arn::parse(&listener_arn.value).map(|a| a.account);
                if lb_full.is_some() && (listener_lb != lb_full || !same_account) {
                    cx.error(
                        Diagnostic::error(
                            "E008",
                            listener_arn.span,
                            format!(
                                "listener `{}:{}` is not a listener of load balancer `{}`",
                                name.name, l.port.value, name.name
                            ),
                        )
                        .label(format!("a listener of `{}`", listener_lb.unwrap_or("another load balancer")))
                        .with(lb_arn.span, format!("load balancer `{}`", lb_full.unwrap_or_default()))
                        .help("use the ARN of a listener of this load balancer (`aws elbv2 describe-listeners --load-balancer-arn …`), or declare the other load balancer"),
                    );
                }
            }
            _ => {}
        }
    }
    LoadBalancer {
        name,
        existing,
        vpc,
        physical_name,
        subnets,
        security_groups,
        internal,
        idle_timeout,
        lb_type,
        deletion_protection,
        drop_invalid_headers,
        cross_zone,
        access_logs,
        listeners,
        span: block.span,
    }
}

fn access_logs(cx: &mut Cx<'_>, b: &Block) -> AccessLogs {
    let mut r = Reader::new(
        cx,
        &blocks::ACCESS_LOGS,
        "access_logs".into(),
        b.kind.span,
        &b.members,
    );
    let bucket = r.string(cx, "bucket");
    let prefix = r.string(cx, "prefix").and_then(|p| {
        // ELB takes the prefix as written, without slashes at its ends
        // and without `AWSLogs` (it appends `AWSLogs/<account>` itself).
        if p.value.contains("AWSLogs") {
            cx.range_error(
                "prefix",
                p.span,
                format!("is `{}`, which contains `AWSLogs`", p.value),
                "leave `AWSLogs` out: Elastic Load Balancing adds `AWSLogs/<account>/` after the prefix".to_string(),
            );
            return None;
        }
        let trimmed = p.value.trim_matches('/').to_string();
        if trimmed.is_empty() {
            return None;
        }
        Some(Spanned::new(trimmed, p.span))
    });
    let expire = r.int_u32(cx, "expire_days");
    r.finish(cx);
    if let (Some(bucket), Some(expire)) = (&bucket, &expire) {
        cx.error(
            Diagnostic::error(
                "E008",
                expire.span,
                format!("bucket `{}` is not ecsc's: its lifecycle is its owner's", bucket.value),
            )
            .label("only for the bucket ecsc derives")
            .with(bucket.span, "an existing bucket")
            .help("remove `expire_days`, or remove `bucket` to let ecsc derive a bucket that expires logs"),
        );
    }
    AccessLogs {
        bucket,
        prefix,
        expire_days: expire.map_or(90, |e| e.value),
        span: b.kind.span,
    }
}

/// The conditions of a route or a listener's own rule.
pub fn conditions(cx: &mut Cx<'_>, r: &mut Reader<'_>) -> Conditions {
    let mut list = |cx: &mut Cx<'_>, key: &'static str| {
        r.strings(cx, key)
            .map(|(items, _, span)| Spanned::new(items, span))
    };
    let paths = list(cx, "path");
    let hosts = list(cx, "host");
    let methods = list(cx, "methods");
    let source_ips = list(cx, "source_ips");
    let mut pairs = |cx: &mut Cx<'_>, key: &'static str| {
        r.string_map(cx, key)
            .into_iter()
            .map(|(k, v)| (Spanned::new(k.name, k.span), v))
            .collect::<Vec<_>>()
    };
    let headers = pairs(cx, "headers");
    let query = pairs(cx, "query");
    Conditions {
        paths,
        hosts,
        methods,
        headers,
        query,
        source_ips,
    }
}

/// The value of a string attribute, reported when its length (in
/// characters) is outside what the Elastic Load Balancing API takes
/// (`RedirectActionConfig`, `FixedResponseActionConfig`).
fn length(
    cx: &mut Cx<'_>,
    key: &str,
    s: Spanned<String>,
    min: usize,
    max: usize,
    what: &str,
) -> String {
    let n = s.value.chars().count();
    if n < min || n > max {
        cx.range_error(
            key,
            s.span,
            format!("is {n} characters long; Elastic Load Balancing takes {min}–{max}"),
            format!("write {what} of {min}–{max} characters"),
        );
    }
    s.value
}

/// `fixed_response { status body content_type }`.
fn fixed_response(cx: &mut Cx<'_>, b: &Block) -> FixedResponse {
    let mut f = Reader::new(
        cx,
        &blocks::FIXED_RESPONSE,
        "fixed_response".into(),
        b.kind.span,
        &b.members,
    );
    let status = f.int_u32(cx, "status").map_or(404, |s| {
        if (300..400).contains(&s.value) {
            cx.range_error(
                "status",
                s.span,
                format!("is {}; a fixed response's status is 2XX, 4XX or 5XX", s.value),
                "use a 2XX, 4XX or 5XX status, e.g. `status = 404`; a redirect is a `redirect` block (or `redirect = https`), not a fixed response".into(),
            );
        }
        s.value
    });
    let body = f
        .string(cx, "body")
        .map(|s| length(cx, "body", s, 0, 1024, "the response body"));
    let content_type = f
        .keyword(
            cx,
            "content_type",
            &[
                ("text/plain", "text/plain"),
                ("text/html", "text/html"),
                ("application/json", "application/json"),
                ("text/css", "text/css"),
                ("application/javascript", "application/javascript"),
            ],
        )
        .map_or("text/plain", |c| c.value);
    f.finish(cx);
    FixedResponse {
        status,
        body,
        content_type: content_type.to_string(),
    }
}

/// `rule NAME { conditions… priority  redirect { … } | fixed_response { … } }`.
fn own_rule(cx: &mut Cx<'_>, here: &str, b: &Block) -> Option<OwnRule> {
    let Some(name) = &b.name else {
        cx.error(
            Diagnostic::error("E006", b.kind.span, format!("a rule of {here} has no name"))
                .label("rule without a name")
                .help("name it: `rule old_paths { … }`"),
        );
        return None;
    };
    let mut r = Reader::new(
        cx,
        &blocks::LISTENER_RULE,
        format!("rule `{}`", name.name),
        b.kind.span,
        &b.members,
    );
    let conditions = conditions(cx, &mut r);
    let priority = r.int_u32(cx, "priority");
    let redirect = r.block(cx, "redirect");
    let fixed = r.block(cx, "fixed_response");
    r.finish(cx);
    let action = match (redirect, fixed) {
        (Some(red), Some(fix)) => {
            cx.error(
                Diagnostic::error(
                    "E009",
                    fix.kind.span,
                    format!("rule `{}` both redirects and answers", name.name),
                )
                .label("a fixed response")
                .with(red.kind.span, "a redirect")
                .help("keep one: a rule has one action"),
            );
            return None;
        }
        (Some(red), None) => OwnAction::Redirect(redirect_block(cx, red)),
        (None, Some(fix)) => OwnAction::Fixed(fixed_response(cx, fix)),
        (None, None) => {
            cx.error(
                Diagnostic::error(
                    "E006",
                    name.span,
                    format!("rule `{}` has no action", name.name),
                )
                .label("what does it do?")
                .help("add `redirect { path = \"/new\" }` or `fixed_response { status = 404 }`; a rule that forwards to a service is that service's `route`"),
            );
            return None;
        }
    };
    if conditions.is_empty() {
        cx.error(
            Diagnostic::error(
                "E006",
                name.span,
                format!("rule `{}` has no conditions", name.name),
            )
            .label("which requests?")
            .help("add `path = \"/old/*\"` (or `host`, `methods`, `headers`, `query`, `source_ips`); a listener's answer to every other request is its `fixed_response` or `redirect`"),
        );
        return None;
    }
    Some(OwnRule {
        name: Name {
            name: name.name.clone(),
            span: name.span,
        },
        conditions,
        priority,
        action,
        span: b.span,
    })
}

fn redirect_block(cx: &mut Cx<'_>, b: &Block) -> Redirect {
    let mut r = Reader::new(
        cx,
        &blocks::REDIRECT,
        "redirect".into(),
        b.kind.span,
        &b.members,
    );
    let protocol = r.keyword(cx, "protocol", &[("http", "HTTP"), ("https", "HTTPS")]);
    let host = r
        .string(cx, "host")
        .map(|s| length(cx, "host", s, 1, 128, "a host name"));
    let path = r.string(cx, "path").map(|s| {
        if !s.value.starts_with('/') {
            cx.range_error(
                "path",
                s.span,
                format!("is `{}`; a redirect's path is absolute", s.value),
                format!("start it with `/`: `path = \"/{}\"`", s.value),
            );
        }
        let span = s.span;
        Spanned::new(length(cx, "path", s, 1, 128, "an absolute path"), span)
    });
    let port = r.int_u32(cx, "port").map(|p| p.value);
    let query = r.string(cx, "query").map(|s| {
        if let Some(rest) = s.value.strip_prefix('?') {
            cx.range_error(
                "query",
                s.span,
                "starts with `?`, which the load balancer adds itself".into(),
                format!("write `query = \"{rest}\"`"),
            );
        }
        let span = s.span;
        Spanned::new(length(cx, "query", s, 0, 128, "a query"), span)
    });
    let status = r.int_u32(cx, "status").map_or(301, |s| s.value);
    r.finish(cx);
    Redirect {
        protocol,
        host,
        path,
        port,
        query,
        status,
        span: b.kind.span,
    }
}

fn listener(
    cx: &mut Cx<'_>,
    lb: &str,
    span: crate::source::Span,
    protocol: &Ident,
    port: &Value,
    body: &[crate::syntax::ast::Member],
) -> Option<Listener> {
    let proto_value = Value {
        kind: ValueKind::Ref(protocol.clone()),
        span: protocol.span,
    };
    let proto = keyword_value(cx, "protocol", &proto_value, &ListenerProtocol::ALL);
    let port_num = match port.kind {
        ValueKind::Int(n) => cx
            .in_bounds("listener port", Spanned::new(n, port.span), &blocks::PORT)
            .and_then(narrow)
            .map_or(0, |p| p.value),
        _ => {
            cx.range_error(
                "listener port",
                port.span,
                "must be 1–65535".into(),
                "use the port clients connect to, e.g. 443".into(),
            );
            0
        }
    };
    let here = format!("listener `{lb}:{port_num}`");
    let mut r = Reader::new(cx, &blocks::LISTENER, here.clone(), span, body);
    let existing = existing_as(cx, &mut r, "listener", &crate::schema::existing::LISTENER);
    let is_existing = says_existing(&r);
    if is_existing {
        for key in [
            "certificate",
            "sni_certificates",
            "tls_policy",
            "redirect",
            "redirect_port",
        ] {
            not_on_existing(cx, &r, ("listener", &here), key);
        }
    }
    let certificate = certificate(cx, &mut r);
    let sni_certificates = r
        .strings(cx, "sni_certificates")
        .map(|(items, _, span)| Spanned::new(items, span));
    let tls_policy = r.string(cx, "tls_policy").map(|s| {
        if let Some(near) = crate::tls_policies::problem(&s.value) {
            let help = match near {
                Some(p) => format!("did you mean `tls_policy = \"{p}\"`?"),
                None => format!(
                    "name a predefined policy, e.g. `tls_policy = \"{}\"` (load balancers take no custom policies)",
                    DEFAULT_TLS_POLICY
                ),
            };
            cx.range_error(
                "tls_policy",
                s.span,
                format!("is `{}`, which is not an Elastic Load Balancing security policy", s.value),
                help,
            );
        }
        s.value
    });
    let rule_blocks = r.blocks("rule");
    let redirect = r.keyword(cx, "redirect", &[("https", ())]);
    let redirect_port = r.int_u32(cx, "redirect_port");
    let fixed = r.block(cx, "fixed_response");
    let default_span = fixed
        .map(|b| b.kind.span)
        .or(redirect.as_ref().map(|r| r.span))
        .or(redirect_port.as_ref().map(|r| r.span));
    r.finish(cx);
    if let (true, Some(b)) = (is_existing, fixed) {
        owned_elsewhere(
            cx,
            b.kind.span,
            ("listener", &here),
            "default action",
            "fixed_response",
        );
    }
    let default = if let Some(b) = fixed {
        DefaultAction::Fixed(fixed_response(cx, b))
    } else if redirect.is_some() || redirect_port.is_some() {
        DefaultAction::Redirect {
            port: redirect_port.map_or(443, |p| p.value),
        }
    } else {
        DefaultAction::Fixed(FixedResponse {
            status: 404,
            body: None,
            content_type: "text/plain".into(),
        })
    };
    let mut rules: Vec<OwnRule> = Vec::new();
    for b in rule_blocks {
        let Some(rule) = own_rule(cx, &here, b) else {
            continue;
        };
        if let Some(first) = rules.iter().find(|f| f.name.name == rule.name.name) {
            cx.error(
                Diagnostic::error(
                    "E004",
                    rule.name.span,
                    format!("{here} has two rules named `{}`", rule.name.name),
                )
                .label("second rule")
                .with(first.name.span, "first rule")
                .help("give each rule of a listener its own name"),
            );
            continue;
        }
        rules.push(rule);
    }
    Some(Listener {
        existing,
        protocol: proto?,
        port: Spanned::new(port_num, port.span),
        certificate,
        sni_certificates,
        tls_policy,
        rules,
        default,
        default_span,
        span,
    })
}

/// `certificate = "arn:aws:acm:…:certificate/…"` (or an IAM server
/// certificate ARN), or `certificate = input`.
fn certificate(cx: &mut Cx<'_>, r: &mut Reader<'_>) -> Option<Spanned<Certificate>> {
    let v = r.value(cx, "certificate")?;
    if matches!(&v.kind, ValueKind::Ref(id) if id.name == "input") {
        return Some(Spanned::new(Certificate::Input, v.span));
    }
    let v = cx.substitute(v);
    let ValueKind::Str(parts) = &v.kind else {
        cx.type_error("certificate", &v, "a certificate ARN or `input`", "");
        return None;
    };
    let arn = cx.string(parts);
    let shaped = crate::arn::Arn::resource_of(&arn, "acm", true, "certificate/").is_some()
        || crate::arn::Arn::resource_of(&arn, "iam", false, "server-certificate/").is_some();
    if !shaped {
        cx.range_error(
            "certificate",
            v.span,
            format!("is `{arn}`, which is not a certificate ARN"),
            "write the ACM certificate's ARN (`arn:aws:acm:<region>:<account>:certificate/<id>`), or `certificate = input` to take it at deploy time".to_string(),
        );
        return None;
    }
    Some(Spanned::new(Certificate::Arn(arn), v.span))
}
