//! Planning load balancers, listeners, target groups and listener rules.

use super::existing::{existing, Known};
use super::ids::Cx;
use super::network::{groups, internet_attachment, subnets, vpc};
use super::*;
use crate::model::{
    Certificate, Conditions, DefaultAction, Existing, FixedResponse, HealthProtocol, LbId, LbType,
    ListenerRef, OwnAction, RuleAction, RuleId, TargetType, TgId, DEFAULT_TLS_POLICY,
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
    let network = b.lb_type.value == LbType::Network;
    let access_logs = b.access_logs.as_ref().map(|a| {
        let bucket = match &a.bucket {
            Some(name) => Value::Str(name.value.clone().into()),
            None => Value::Ref(log_bucket(m, p, id)),
        };
        AccessLogs {
            bucket,
            prefix: a.prefix.as_ref().map(|p| p.value.clone()),
        }
    });
    // Elastic Load Balancing checks that it may write to the bucket when
    // access logs are turned on.
    let policy = b
        .access_logs
        .as_ref()
        .filter(|a| a.bucket.is_none())
        .map(|_| lb(m, id).sibling(Kind::LogBucketPolicy));
    let r = p.add(
        lb(m, id),
        b.span,
        Body::from(body::LoadBalancer {
            name: b.physical_name.as_ref().map(|n| n.value.clone()),
            lb_type: if network { "network" } else { "application" },
            drop_invalid_header_fields: (!network)
                .then(|| b.drop_invalid_headers.as_ref().is_none_or(|d| d.value)),
            internal: b.internal,
            subnets: subnets(m, &b.subnets.value),
            security_groups: groups(m, &b.security_groups.value),
            idle_timeout: b.idle_timeout.as_ref().map(|i| i.value),
            deletion_protection: b.deletion_protection.as_ref().is_some_and(|d| d.value),
            cross_zone: b.cross_zone.as_ref().map(|c| c.value),
            access_logs,
        }),
    );
    if let Some(dep) = wait {
        r.after(dep);
    }
    if let Some(dep) = policy {
        r.after(dep);
    }
    p.outputs.push(Output {
        name: format!("{}-dns-name", b.name.name),
        description: format!("DNS name of load balancer {}", b.name.name),
        value: lb(m, id).attr(Attr::DnsName).into(),
        export: None,
        declared: false,
    });
}

/// The accounts Elastic Load Balancing delivers access logs from, in the
/// Regions that were available before August 2022; Regions opened since
/// take the service principal `logdelivery.elasticloadbalancing.amazonaws.com`.
/// Source: "Enable access logs for your Application Load Balancer", step 2
/// (docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html),
/// as published in 2026.
const ELB_LOG_ACCOUNTS: [(&str, &str); 26] = [
    ("af-south-1", "098369216593"),
    ("ap-east-1", "754344448648"),
    ("ap-northeast-1", "582318560864"),
    ("ap-northeast-2", "600734575887"),
    ("ap-northeast-3", "383597477331"),
    ("ap-south-1", "718504428378"),
    ("ap-southeast-1", "114774131450"),
    ("ap-southeast-2", "783225319266"),
    ("ap-southeast-3", "589379963580"),
    ("ca-central-1", "985666609251"),
    ("cn-north-1", "638102146993"),
    ("cn-northwest-1", "037604701340"),
    ("eu-central-1", "054676820928"),
    ("eu-north-1", "897822967062"),
    ("eu-south-1", "635631232127"),
    ("eu-west-1", "156460612806"),
    ("eu-west-2", "652711504416"),
    ("eu-west-3", "009996457667"),
    ("me-south-1", "076674570225"),
    ("sa-east-1", "507241528517"),
    ("us-east-1", "127311923021"),
    ("us-east-2", "033677994240"),
    ("us-gov-east-1", "190560391635"),
    ("us-gov-west-1", "048591011584"),
    ("us-west-1", "027434742980"),
    ("us-west-2", "797873946194"),
];

/// Who writes a load balancer's access logs in a Region.
fn log_delivery(region: &str) -> Value {
    let principal = match ELB_LOG_ACCOUNTS.binary_search_by(|(r, _)| r.cmp(&region)) {
        Ok(i) => (
            "AWS",
            format!(
                "arn:{}:iam::{}:root",
                crate::model::partition_of(region),
                ELB_LOG_ACCOUNTS[i].1
            ),
        ),
        Err(_) => (
            "Service",
            "logdelivery.elasticloadbalancing.amazonaws.com".to_string(),
        ),
    };
    Value::Dict(vec![(principal.0.into(), principal.1.into())])
}

/// A network load balancer's logs are delivered by CloudWatch Logs' log
/// delivery, which checks the bucket's ACL and writes with the
/// bucket-owner-full-control ACL ("Access logs for your Network Load
/// Balancer", bucket policy), for this account only.
fn network_log_delivery(bucket: Ref, objects: Text) -> Vec<Value> {
    let service = || {
        Value::Dict(vec![(
            "Service".into(),
            "delivery.logs.amazonaws.com".into(),
        )])
    };
    let account = || {
        Value::Dict(vec![(
            "aws:SourceAccount".into(),
            Text::default().part(Part::Account).into(),
        )])
    };
    let write_condition = Value::Dict(vec![(
        "StringEquals".into(),
        Value::Dict(vec![
            ("s3:x-amz-acl".into(), "bucket-owner-full-control".into()),
            (
                "aws:SourceAccount".into(),
                Text::default().part(Part::Account).into(),
            ),
        ]),
    )]);
    vec![
        Doc::new()
            .set("Effect", "Allow")
            .set("Principal", service())
            .set("Action", "s3:PutObject")
            .set("Resource", objects)
            .set("Condition", write_condition)
            .into(),
        Doc::new()
            .set("Effect", "Allow")
            .set("Principal", service())
            .set("Action", "s3:GetBucketAcl")
            .set("Resource", Value::Ref(bucket))
            .set(
                "Condition",
                Value::Dict(vec![("StringEquals".into(), account())]),
            )
            .into(),
    ]
}

/// The derived bucket of a load balancer's access logs: private, logs
/// expire, only log delivery of the stack's Region may write (to this
/// account's prefix), only over TLS. Returns the bucket's name.
fn log_bucket(m: &Cx<'_>, p: &mut Plan, id: LbId) -> Ref {
    let b = &m.load_balancers[id.0];
    let Some(logs) = &b.access_logs else {
        return lb(m, id).sibling(Kind::LogBucket).attr(Attr::Id);
    };
    let bucket = lb(m, id).sibling(Kind::LogBucket);
    p.add(bucket.clone(), logs.span, Body::from(body::LogBucket {}));
    p.add(
        bucket.sibling(Kind::LogBucketEncryption),
        logs.span,
        Body::from(body::LogBucketEncryption {
            bucket: bucket.attr(Attr::Id),
        }),
    )
    .within(bucket.clone());
    p.add(
        bucket.sibling(Kind::LogBucketAccess),
        logs.span,
        Body::from(body::LogBucketAccess {
            bucket: bucket.attr(Attr::Id),
        }),
    )
    .within(bucket.clone());
    p.add(
        bucket.sibling(Kind::LogBucketLifecycle),
        logs.span,
        Body::from(body::LogBucketLifecycle {
            bucket: bucket.attr(Attr::Id),
            expire_days: logs.expire_days,
        }),
    )
    .within(bucket.clone());
    let prefix = logs
        .prefix
        .as_ref()
        .map(|p| format!("/{}", p.value))
        .unwrap_or_default();
    let objects = Text::default()
        .part(Part::Ref(bucket.attr(Attr::Arn)))
        .push(format!("{prefix}/AWSLogs/"))
        .part(Part::Account)
        .push("/*");
    let everything = Value::List(vec![
        Value::Ref(bucket.attr(Attr::Arn)),
        Text::default()
            .part(Part::Ref(bucket.attr(Attr::Arn)))
            .push("/*")
            .into(),
    ]);
    let tls_only = Doc::new()
        .set("Effect", "Deny")
        .set("Principal", "*")
        .set("Action", "s3:*")
        .set("Resource", everything)
        .set(
            "Condition",
            Value::Dict(vec![(
                "Bool".into(),
                Value::Dict(vec![("aws:SecureTransport".into(), "false".into())]),
            )]),
        );
    let mut statements = if b.is_network() {
        network_log_delivery(bucket.attr(Attr::Arn), objects)
    } else {
        vec![Doc::new()
            .set("Effect", "Allow")
            .set("Principal", log_delivery(&p.region))
            .set("Action", "s3:PutObject")
            .set("Resource", objects)
            .into()]
    };
    statements.push(tls_only.into());
    let document = Doc::new()
        .set("Version", "2012-10-17")
        .set("Statement", statements);
    p.add(
        bucket.sibling(Kind::LogBucketPolicy),
        logs.span,
        Body::from(body::LogBucketPolicy {
            bucket: bucket.attr(Attr::Id),
            document: document.into(),
        }),
    );
    bucket.attr(Attr::Id)
}

/// A listener ecsc creates, on a new or an existing load balancer.
fn new_listener(m: &Cx<'_>, p: &mut Plan, lref: ListenerRef) {
    let b = &m.load_balancers[lref.lb.0];
    let l = &b.listeners[lref.index];
    let id = lref.lb;
    let default = match &l.default {
        DefaultAction::Fixed(f) => fixed(f),
        DefaultAction::Redirect { port } => Action::Redirect {
            protocol: Some("HTTPS"),
            host: None,
            path: None,
            port: Some(port.to_string()),
            query: None,
            status_code: "HTTP_301",
        },
        DefaultAction::Forward(to) => forward(m, to),
    };
    let tls = l.protocol.value.is_tls();
    let certificate = l.certificate.as_ref().map(|c| match &c.value {
        Certificate::Arn(arn) => Value::Str(arn.clone().into()),
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
        Body::from(body::Listener {
            lb: lb(m, id).attr(Attr::Id),
            port: l.port.value,
            protocol: l.protocol.value.as_str(),
            certificate,
            ssl_policy: tls.then(|| {
                l.tls_policy
                    .clone()
                    .unwrap_or_else(|| DEFAULT_TLS_POLICY.to_string())
            }),
            default,
        }),
    );
    // Named after the certificate, not its place in the list: removing one
    // certificate touches no other.
    let mut seen = std::collections::HashSet::new();
    let sni = l.sni_certificates.iter().flat_map(|c| &c.value);
    for arn in sni.filter(|a| seen.insert(a.as_str())) {
        let name = format!(
            "{}-listener-{}-{}",
            b.name.name,
            l.port.value,
            certificate_key(arn)
        );
        p.add(
            ResId::new(Kind::ListenerCertificate, &name),
            l.span,
            Body::from(body::ListenerCertificate {
                listener: listener(m, lref).attr(Attr::Id),
                certificate: arn.clone(),
            }),
        );
    }
}

/// A short, stable key of a certificate ARN: the first 8 letters and
/// digits of its id (an ACM certificate's UUID, an IAM certificate's name).
fn certificate_key(arn: &str) -> String {
    let id = arn.rsplit('/').next().unwrap_or(arn);
    let key: String = id
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(8)
        .collect::<String>()
        .to_ascii_lowercase();
    if key.is_empty() {
        "cert".to_string()
    } else {
        key
    }
}

fn fixed(f: &FixedResponse) -> Action {
    Action::Fixed {
        status: f.status.to_string(),
        content_type: f.content_type.clone(),
        body: f.body.clone(),
    }
}

/// Forward to one target group, or to several with their weights. When
/// their routes are sticky, a client also sticks to the group it was sent
/// to (else each request is split anew), for the longest of their
/// durations (AWS's default of a day when none is written).
fn forward(m: &Cx<'_>, to: &[(TgId, Option<u32>)]) -> Action {
    match to {
        [(tg, None)] => Action::Forward(target_group(m, *tg).attr(Attr::Id)),
        _ => {
            let sticky: Vec<Option<u64>> = to
                .iter()
                .filter_map(|(tg, _)| m.target_groups[tg.0].sticky.as_ref())
                .map(|s| s.duration.as_ref().map(|d| d.value))
                .collect();
            let stickiness = (!sticky.is_empty()).then(|| {
                sticky
                    .iter()
                    .map(|d| d.unwrap_or(86_400))
                    .max()
                    .unwrap_or(86_400)
            });
            Action::Weighted {
                groups: to
                    .iter()
                    .map(|(tg, w)| (target_group(m, *tg).attr(Attr::Id), w.unwrap_or(1)))
                    .collect(),
                stickiness,
            }
        }
    }
}

fn conditions(c: &Conditions) -> Vec<Condition> {
    let mut out = Vec::new();
    let lists = [
        (c.hosts(), Condition::Host as fn(Vec<String>) -> Condition),
        (c.paths(), Condition::Path),
        (c.methods(), Condition::Method),
        (c.source_ips(), Condition::SourceIp),
    ];
    for (values, condition) in lists {
        if !values.is_empty() {
            out.push(condition(values.to_vec()));
        }
    }
    for (name, value) in &c.headers {
        out.push(Condition::Header(
            name.value.clone(),
            vec![value.value.clone()],
        ));
    }
    if !c.query.is_empty() {
        out.push(Condition::Query(
            c.query
                .iter()
                .map(|(k, v)| (k.value.clone(), v.value.clone()))
                .collect(),
        ));
    }
    out
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
        // Behind an HTTP(S) listener targets are checked over HTTP; behind
        // the others over TCP, unless the route says.
        let protocol = h.protocol.as_ref().map(|p| p.value);
        let http_check = match protocol {
            Some(p) => p != HealthProtocol::Tcp,
            None => tg.protocol == "HTTP",
        };
        let network = tg.protocol != "HTTP";
        let sticky = tg.sticky.as_ref().map(|s| Stickiness {
            kind: match (network, &s.cookie) {
                (true, _) => "source_ip",
                (false, Some(_)) => "app_cookie",
                (false, None) => "lb_cookie",
            },
            duration: s.duration.as_ref().map(|d| d.value).filter(|_| !network),
            cookie: s.cookie.as_ref().map(|c| c.value.clone()),
        });
        p.add(
            target_group(m, TgId(i)),
            tg.span,
            Body::from(body::TargetGroup {
                name: tg.physical_name.as_ref().map(|n| n.value.clone()),
                vpc: vpc(m, tg.vpc).attr(Attr::Id),
                port: tg.port,
                protocol: tg.protocol,
                target_type: match tg.target_type {
                    TargetType::Ip => "ip",
                    TargetType::Instance => "instance",
                },
                protocol_version: tg.protocol_version.as_ref().map(|v| v.value),
                health: TargetHealth {
                    // A network load balancer's groups name the protocol
                    // whenever it is not their own (UDP has no check).
                    protocol: match protocol {
                        Some(p) => Some(p.as_str()),
                        None if tg.protocol == "UDP" || tg.protocol == "TCP_UDP" => Some("TCP"),
                        None => None,
                    },
                    // gRPC has no `/`: ALB's own health check method when
                    // the route names no path.
                    path: http_check.then(|| match (grpc, h.path.value.as_str()) {
                        (true, "/") => "/AWS.ALB/healthcheck".to_string(),
                        _ => h.path.value.clone(),
                    }),
                    grpc,
                    port: match (&h.port, tg.target_type) {
                        (Some(port), _) => Some(port.value.to_string()),
                        (None, TargetType::Instance) => Some("traffic-port".to_string()),
                        (None, TargetType::Ip) => None,
                    },
                    interval: value(&h.interval),
                    timeout: value(&h.timeout),
                    healthy: value(&h.healthy),
                    unhealthy: value(&h.unhealthy),
                    matcher: h
                        .matcher
                        .as_ref()
                        .filter(|_| http_check)
                        .map(|v| v.value.clone()),
                },
                deregistration_delay: tg.deregistration_delay,
                stickiness: sticky,
            }),
        );
    }
    for (i, r) in m.listener_rules.iter().enumerate() {
        let action = match &r.action {
            RuleAction::Forward(to) => forward(m, to),
            RuleAction::Own(OwnAction::Fixed(f)) => fixed(f),
            RuleAction::Own(OwnAction::Redirect(red)) => Action::Redirect {
                protocol: red.protocol.as_ref().map(|p| p.value),
                host: red.host.clone(),
                path: red.path.as_ref().map(|p| p.value.clone()),
                port: red.port.map(|p| p.to_string()),
                query: red.query.as_ref().map(|q| q.value.clone()),
                status_code: if red.status == 302 {
                    "HTTP_302"
                } else {
                    "HTTP_301"
                },
            },
        };
        p.add(
            rule(m, RuleId(i)),
            r.span,
            Body::from(body::ListenerRule {
                listener: listener(m, r.listener).attr(Attr::Id),
                priority: r.priority.value,
                conditions: conditions(&r.conditions),
                action,
            }),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elb_log_accounts_are_sorted_for_the_binary_search() {
        assert!(ELB_LOG_ACCOUNTS.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn log_delivery_is_the_regions_account_or_the_service() {
        let writer = |region: &str| match log_delivery(region) {
            Value::Dict(d) => format!("{}={:?}", d[0].0, d[0].1),
            other => format!("{other:?}"),
        };
        assert!(writer("eu-west-1").contains("arn:aws:iam::156460612806:root"));
        assert!(writer("cn-north-1").contains("arn:aws-cn:iam::638102146993:root"));
        assert!(writer("eu-south-2").contains("logdelivery.elasticloadbalancing.amazonaws.com"));
    }

    #[test]
    fn certificate_keys_follow_the_certificate() {
        let acm =
            "arn:aws:acm:eu-west-1:111122223333:certificate/6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b";
        assert_eq!(certificate_key(acm), "6f1d2c3b");
        assert_eq!(
            certificate_key("arn:aws:iam::111122223333:server-certificate/Shop-2026"),
            "shop2026"
        );
    }
}
