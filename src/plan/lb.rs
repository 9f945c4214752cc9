//! Planning load balancers, listeners, target groups and listener rules.

use super::existing::{existing, Known};
use super::ids::Cx;
use super::network::{groups, internet_attachment, subnets, vpc};
use super::*;
use crate::model::{
    Certificate, DefaultAction, Existing, LbId, ListenerProtocol, ListenerRef, RuleId, TargetType,
    TgId, DEFAULT_TLS_POLICY,
};
use crate::schema::existing as spec;

pub fn lb(m: &Cx<'_>, id: LbId) -> ResId {
    m.lb[id.0].clone()
}
pub fn listener(m: &Cx<'_>, l: ListenerRef) -> ResId {
    m.listener_id(l)
}
pub fn target_group(m: &Cx<'_>, id: TgId) -> ResId {
    m.target_group[id.0].clone()
}
pub fn rule(m: &Cx<'_>, id: RuleId) -> ResId {
    m.rule[id.0].clone()
}

/// A load balancer that exists already: its ARN is its id; its full name
/// (`app/NAME/ID`, for request-count scaling) is read from a written ARN.
fn existing_lb(p: &mut Plan, id: ResId, span: crate::source::Span, e: &Existing) {
    let full_name = match e {
        Existing::Id(arn) => crate::schema::load_balancer_full_name(&arn.value),
        Existing::Input(_) | Existing::Ssm(_) => None,
    };
    let known = Known {
        noun: "load balancer",
        spec: &spec::LOAD_BALANCER,
        is: &[Attr::Id, Attr::Arn],
        attrs: ExistingAttrs(
            full_name
                .map(|n| (Attr::FullName, Text::lit(n)))
                .into_iter()
                .collect(),
        ),
        label: None,
    };
    existing(p, id, span, e, known);
}

fn new_lb(m: &Cx<'_>, p: &mut Plan, id: LbId) {
    let b = &m.load_balancers[id.0];
    let wait = if b.internal {
        None
    } else {
        m.vpc_of_subnets(&b.subnets.value)
            .and_then(|v| internet_attachment(m, v))
    };
    let r = p.add(
        lb(m, id),
        b.span,
        Body::LoadBalancer(body::LoadBalancer {
            name: b.physical_name.as_ref().map(|n| n.value.clone()),
            lb_type: "application",
            drop_invalid_header_fields: true,
            internal: b.internal,
            subnets: subnets(m, &b.subnets.value),
            security_groups: groups(m, &b.security_groups.value),
            idle_timeout: b.idle_timeout,
        }),
    );
    if let Some(dep) = wait {
        r.after(dep);
    }
    p.outputs.push(Output {
        name: format!("{}-dns-name", b.name.name),
        description: format!("DNS name of load balancer {}", b.name.name),
        value: lb(m, id).attr(Attr::DnsName).into(),
        export: None,
    });
}

/// A listener ecsc creates, on a new or an existing load balancer.
fn new_listener(m: &Cx<'_>, p: &mut Plan, lref: ListenerRef) {
    let b = &m.load_balancers[lref.lb.0];
    let l = &b.listeners[lref.index];
    let id = lref.lb;
    let default = match &l.default {
        DefaultAction::Fixed {
            status,
            body,
            content_type,
        } => Action::Fixed {
            status: status.to_string(),
            content_type: content_type.clone(),
            body: body.clone(),
        },
        DefaultAction::Redirect { port } => Action::Redirect {
            protocol: "HTTPS",
            port: port.to_string(),
            status_code: "HTTP_301",
        },
        DefaultAction::Forward(tg) => Action::Forward(target_group(m, *tg).attr(Attr::Id)),
    };
    let https = l.protocol.value == ListenerProtocol::Https;
    let certificate = l.certificate.as_ref().map(|c| match &c.value {
        Certificate::Arn(arn) => Value::Str(arn.clone()),
        Certificate::Input => {
            let name = format!("{}-{}-certificate", b.name.name, l.port.value);
            p.inputs.push(Input {
                name: name.clone(),
                description: format!(
                    "ARN of the ACM certificate of listener {}:{}",
                    b.name.name, l.port.value
                ),
                cfn_type: "String",
                ssm: None,
                span: c.span,
            });
            Value::Input(name)
        }
    });
    p.add(
        listener(m, lref),
        l.span,
        Body::Listener(body::Listener {
            lb: lb(m, id).attr(Attr::Id),
            port: l.port.value,
            protocol: l.protocol.value.as_str(),
            certificate,
            ssl_policy: https.then(|| {
                l.tls_policy
                    .clone()
                    .unwrap_or_else(|| DEFAULT_TLS_POLICY.to_string())
            }),
            default,
        }),
    );
}

pub fn plan(m: &Cx<'_>, p: &mut Plan) {
    for (i, b) in m.load_balancers.iter().enumerate() {
        let id = LbId(i);
        match &b.existing {
            Some(e) => existing_lb(p, lb(m, id), b.span, e),
            None => new_lb(m, p, id),
        }
        for (j, l) in b.listeners.iter().enumerate() {
            let lref = ListenerRef { lb: id, index: j };
            if let Some(e) = &l.existing {
                let known = Known::id("listener", &spec::LISTENER);
                existing(p, listener(m, lref), l.span, e, known);
                continue;
            }
            new_listener(m, p, lref);
        }
    }

    for (i, tg) in m.target_groups.iter().enumerate() {
        let h = &tg.health;
        let grpc = tg
            .protocol_version
            .as_ref()
            .is_some_and(|v| v.value == "GRPC");
        let value = |v: &Option<crate::source::Spanned<u64>>| v.as_ref().map(|v| v.value);
        p.add(
            target_group(m, TgId(i)),
            tg.span,
            Body::TargetGroup(body::TargetGroup {
                name: tg.physical_name.as_ref().map(|n| n.value.clone()),
                vpc: vpc(m, tg.vpc).attr(Attr::Id),
                port: tg.port,
                protocol: "HTTP",
                target_type: match tg.target_type {
                    TargetType::Ip => "ip",
                    TargetType::Instance => "instance",
                },
                protocol_version: tg.protocol_version.as_ref().map(|v| v.value),
                health: TargetHealth {
                    // gRPC has no `/`: ALB's own health check method when
                    // the route names no path.
                    path: match (grpc, h.path.value.as_str()) {
                        (true, "/") => "/AWS.ALB/healthcheck".to_string(),
                        _ => h.path.value.clone(),
                    },
                    grpc,
                    port: (tg.target_type == TargetType::Instance).then_some("traffic-port"),
                    interval: value(&h.interval),
                    timeout: value(&h.timeout),
                    healthy: value(&h.healthy),
                    unhealthy: value(&h.unhealthy),
                    matcher: h.matcher.as_ref().map(|v| v.value.clone()),
                },
                deregistration_delay: tg.deregistration_delay,
            }),
        );
    }
    for (i, r) in m.listener_rules.iter().enumerate() {
        p.add(
            rule(m, RuleId(i)),
            r.span,
            Body::ListenerRule(body::ListenerRule {
                listener: listener(m, r.listener).attr(Attr::Id),
                priority: r.priority.value,
                hosts: r.hosts.value.clone(),
                paths: r.paths.value.clone(),
                action: Action::Forward(target_group(m, r.target_group).attr(Attr::Id)),
            }),
        );
    }
}
