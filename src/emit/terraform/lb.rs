//! Load balancers, listeners, target groups and listener rules.

use super::{names, reference, Configuration, Obj, Val};
use crate::model::*;

pub fn emit(m: &Model, c: &mut Configuration) {
    for (i, lb) in m.load_balancers.iter().enumerate() {
        let id = LbId(i);
        let name = names::lb(m, id);
        let r = c.add(
            "aws_lb",
            name.clone(),
            Obj::new()
                .opt("name", lb.physical_name.as_ref().map(|n| n.value.as_str()))
                .set("load_balancer_type", "application")
                .set("internal", lb.internal)
                .set(
                    "subnets",
                    lb.subnets
                        .value
                        .iter()
                        .map(|s| reference("aws_subnet", &names::subnet(m, *s), "id"))
                        .collect::<Vec<_>>(),
                )
                .list(
                    "security_groups",
                    lb.security_groups
                        .value
                        .iter()
                        .map(|s| reference("aws_security_group", &names::sg(m, *s), "id"))
                        .collect(),
                )
                .set("drop_invalid_header_fields", true)
                .opt("idle_timeout", lb.idle_timeout),
        );
        if !lb.internal {
            if let Some(vpc) = m.vpc_of_subnets(&lb.subnets.value) {
                if let Some(g) = m.internet_gateways.iter().position(|g| g.vpc == vpc) {
                    r.depends_on
                        .push(format!("aws_internet_gateway.{}", names::igw(m, IgwId(g))));
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
                } => Obj::new().set("type", "fixed-response").set(
                    "fixed_response",
                    Obj::new()
                        .set("content_type", content_type.as_str())
                        .opt("message_body", body.as_deref())
                        .set("status_code", status.to_string()),
                ),
                DefaultAction::Redirect { port } => Obj::new().set("type", "redirect").set(
                    "redirect",
                    Obj::new()
                        .set("port", port.to_string())
                        .set("protocol", "HTTPS")
                        .set("status_code", "HTTP_301"),
                ),
                DefaultAction::Forward(tg) => Obj::new().set("type", "forward").set(
                    "target_group_arn",
                    reference("aws_lb_target_group", &names::target_group(m, *tg), "arn"),
                ),
            };
            let https = l.protocol.value == ListenerProtocol::Https;
            c.add(
                "aws_lb_listener",
                names::listener(m, lref),
                Obj::new()
                    .set("load_balancer_arn", reference("aws_lb", &name, "arn"))
                    .set("port", l.port.value)
                    .set("protocol", l.protocol.value.as_str())
                    .opt(
                        "certificate_arn",
                        l.certificate.as_ref().map(|c| c.value.as_str()),
                    )
                    .opt(
                        "ssl_policy",
                        https.then(|| l.tls_policy.as_deref().unwrap_or(DEFAULT_TLS_POLICY)),
                    )
                    .set("default_action", vec![Val::from(default)]),
            );
        }
        c.output(
            names::lb_dns_output(m, id),
            format!("DNS name of load balancer {}", lb.name.name),
            reference("aws_lb", &name, "dns_name"),
        );
    }
    for (i, tg) in m.target_groups.iter().enumerate() {
        let h = &tg.health;
        let health = Obj::new()
            .set("path", h.path.value.as_str())
            .opt("interval", h.interval.as_ref().map(|v| v.value))
            .opt("timeout", h.timeout.as_ref().map(|v| v.value))
            .opt("healthy_threshold", h.healthy.as_ref().map(|v| v.value))
            .opt("unhealthy_threshold", h.unhealthy.as_ref().map(|v| v.value))
            .opt("matcher", h.matcher.as_ref().map(|v| v.value.as_str()));
        c.add(
            "aws_lb_target_group",
            names::target_group(m, TgId(i)),
            Obj::new()
                .opt("name", tg.physical_name.as_ref().map(|n| n.value.as_str()))
                .set("vpc_id", reference("aws_vpc", &names::vpc(m, tg.vpc), "id"))
                .set("port", tg.port)
                .set("protocol", "HTTP")
                .set(
                    "target_type",
                    match tg.target_type {
                        TargetType::Ip => "ip",
                        TargetType::Instance => "instance",
                    },
                )
                .set("health_check", health)
                .opt(
                    "deregistration_delay",
                    tg.deregistration_delay.map(|d| d.to_string()),
                ),
        );
    }
    for (i, rule) in m.listener_rules.iter().enumerate() {
        let mut conditions = Vec::new();
        if !rule.hosts.value.is_empty() {
            conditions.push(Val::from(Obj::new().set(
                "host_header",
                Obj::new().set("values", rule.hosts.value.clone()),
            )));
        }
        if !rule.paths.value.is_empty() {
            conditions.push(Val::from(Obj::new().set(
                "path_pattern",
                Obj::new().set("values", rule.paths.value.clone()),
            )));
        }
        c.add(
            "aws_lb_listener_rule",
            names::rule(m, RuleId(i)),
            Obj::new()
                .set(
                    "listener_arn",
                    reference("aws_lb_listener", &names::listener(m, rule.listener), "arn"),
                )
                .set("priority", rule.priority.value)
                .set("condition", conditions)
                .set(
                    "action",
                    vec![Val::from(Obj::new().set("type", "forward").set(
                        "target_group_arn",
                        reference(
                            "aws_lb_target_group",
                            &names::target_group(m, rule.target_group),
                            "arn",
                        ),
                    ))],
                ),
        );
    }
}
