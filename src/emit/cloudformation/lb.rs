//! Load balancers, listeners, target groups and listener rules.

use super::expr::{r#ref, Expr, Obj};
use super::{ids, tags, Template};
use crate::model::*;

pub fn emit(m: &Model, t: &mut Template) {
    for (i, lb) in m.load_balancers.iter().enumerate() {
        let id = LbId(i);
        let mut attributes = vec![attribute(
            "routing.http.drop_invalid_header_fields.enabled",
            "true",
        )];
        if let Some(idle) = lb.idle_timeout {
            attributes.push(attribute("idle_timeout.timeout_seconds", &idle.to_string()));
        }
        let r = t.add(
            ids::lb(m, id),
            "AWS::ElasticLoadBalancingV2::LoadBalancer",
            Obj::new()
                .opt("Name", lb.physical_name.as_ref().map(|n| n.value.as_str()))
                .set("Type", "application")
                .set(
                    "Scheme",
                    if lb.internal {
                        "internal"
                    } else {
                        "internet-facing"
                    },
                )
                .set(
                    "Subnets",
                    lb.subnets
                        .value
                        .iter()
                        .map(|s| r#ref(ids::subnet(m, *s)))
                        .collect::<Vec<_>>(),
                )
                .list(
                    "SecurityGroups",
                    lb.security_groups
                        .value
                        .iter()
                        .map(|s| super::expr::get_att(ids::sg(m, *s), "GroupId"))
                        .collect(),
                )
                .set("LoadBalancerAttributes", attributes)
                .opt("Tags", tags(m, None)),
        );
        if !lb.internal {
            if let Some(vpc) = m.vpc_of_subnets(&lb.subnets.value) {
                if m.internet_gateways.iter().any(|g| g.vpc == vpc) {
                    r.depends_on.push(ids::attachment(m, vpc));
                }
            }
        }
        for (j, l) in lb.listeners.iter().enumerate() {
            let lref = ListenerRef { lb: id, index: j };
            let default = match &l.default {
                DefaultAction::Fixed {
                    status,
                    body,
                    content_type,
                } => Obj::new().set("Type", "fixed-response").set(
                    "FixedResponseConfig",
                    Obj::new()
                        .set("StatusCode", status.to_string())
                        .set("ContentType", content_type.as_str())
                        .opt("MessageBody", body.as_deref()),
                ),
                DefaultAction::Redirect { port } => Obj::new().set("Type", "redirect").set(
                    "RedirectConfig",
                    Obj::new()
                        .set("Protocol", "HTTPS")
                        .set("Port", port.to_string())
                        .set("StatusCode", "HTTP_301"),
                ),
                DefaultAction::Forward(tg) => Obj::new()
                    .set("Type", "forward")
                    .set("TargetGroupArn", r#ref(ids::target_group(m, *tg))),
            };
            let https = l.protocol.value == ListenerProtocol::Https;
            t.add(
                ids::listener(m, lref),
                "AWS::ElasticLoadBalancingV2::Listener",
                Obj::new()
                    .set("LoadBalancerArn", r#ref(ids::lb(m, id)))
                    .set("Port", l.port.value)
                    .set("Protocol", l.protocol.value.as_str())
                    .opt(
                        "Certificates",
                        l.certificate.as_ref().map(|c| {
                            vec![Expr::from(
                                Obj::new().set("CertificateArn", c.value.as_str()),
                            )]
                        }),
                    )
                    .opt(
                        "SslPolicy",
                        https.then(|| l.tls_policy.as_deref().unwrap_or(DEFAULT_TLS_POLICY)),
                    )
                    .set("DefaultActions", vec![Expr::from(default)]),
            );
        }
    }
    for (i, tg) in m.target_groups.iter().enumerate() {
        let h = &tg.health;
        let mut attributes = Vec::new();
        if let Some(d) = tg.deregistration_delay {
            attributes.push(attribute(
                "deregistration_delay.timeout_seconds",
                &d.to_string(),
            ));
        }
        t.add(
            ids::target_group(m, TgId(i)),
            "AWS::ElasticLoadBalancingV2::TargetGroup",
            Obj::new()
                .opt("Name", tg.physical_name.as_ref().map(|n| n.value.as_str()))
                .set("VpcId", r#ref(ids::vpc(m, tg.vpc)))
                .set("Port", tg.port)
                .set("Protocol", "HTTP")
                .set(
                    "TargetType",
                    match tg.target_type {
                        TargetType::Ip => "ip",
                        TargetType::Instance => "instance",
                    },
                )
                .set("HealthCheckPath", h.path.value.as_str())
                .opt(
                    "HealthCheckIntervalSeconds",
                    h.interval.as_ref().map(|v| v.value),
                )
                .opt(
                    "HealthCheckTimeoutSeconds",
                    h.timeout.as_ref().map(|v| v.value),
                )
                .opt("HealthyThresholdCount", h.healthy.as_ref().map(|v| v.value))
                .opt(
                    "UnhealthyThresholdCount",
                    h.unhealthy.as_ref().map(|v| v.value),
                )
                .opt(
                    "Matcher",
                    h.matcher
                        .as_ref()
                        .map(|v| Obj::new().set("HttpCode", v.value.as_str())),
                )
                .list("TargetGroupAttributes", attributes)
                .opt("Tags", tags(m, None)),
        );
    }
    for (i, rule) in m.listener_rules.iter().enumerate() {
        let mut conditions = Vec::new();
        if !rule.hosts.value.is_empty() {
            conditions.push(Expr::from(Obj::new().set("Field", "host-header").set(
                "HostHeaderConfig",
                Obj::new().set("Values", rule.hosts.value.clone()),
            )));
        }
        if !rule.paths.value.is_empty() {
            conditions.push(Expr::from(Obj::new().set("Field", "path-pattern").set(
                "PathPatternConfig",
                Obj::new().set("Values", rule.paths.value.clone()),
            )));
        }
        t.add(
            ids::rule(m, RuleId(i)),
            "AWS::ElasticLoadBalancingV2::ListenerRule",
            Obj::new()
                .set("ListenerArn", r#ref(ids::listener(m, rule.listener)))
                .set("Priority", rule.priority.value)
                .set("Conditions", conditions)
                .set(
                    "Actions",
                    vec![Expr::from(Obj::new().set("Type", "forward").set(
                        "TargetGroupArn",
                        r#ref(ids::target_group(m, rule.target_group)),
                    ))],
                ),
        );
    }
    for (i, lb) in m.load_balancers.iter().enumerate() {
        t.output(
            format!("{}DnsName", crate::names::pascal(&lb.name.name)),
            format!("DNS name of load balancer {}", lb.name.name),
            super::expr::get_att(ids::lb(m, LbId(i)), "DNSName"),
        );
    }
}

fn attribute(key: &str, value: &str) -> Expr {
    Obj::new().set("Key", key).set("Value", value).into()
}
