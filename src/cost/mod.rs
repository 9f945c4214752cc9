//! `ecsc cost`: what a stack's resources cost a month at on-demand prices
//! ([`prices`], a dated table), estimated offline from the model, and the
//! question the Fargate articles ask of every private subnet: NAT gateways
//! or VPC endpoints?
//!
//! An estimate states its assumptions (730 hours a month, the traffic
//! through NAT gateways and endpoints, the load balancers' capacity units,
//! the logs each task writes) and lists what it does not estimate (EC2
//! instances, scheduled and one-off tasks, storage) instead of guessing.

pub mod prices;

use crate::model::{Arch, EndpointKind, LbType, Model, Os, Provider, Runner, SubnetId};
use prices::{Priced, Prices};
use std::collections::BTreeSet;

/// Hours in a month, as AWS's pricing examples count them.
pub const HOURS: f64 = 730.0;

/// What the estimate cannot read from the sources.
#[derive(Debug, Clone, Copy)]
pub struct Assumptions {
    /// GB a month the stack's tasks send through its NAT gateways, in all
    /// (split evenly between them; in the comparison, through the
    /// endpoints instead).
    pub traffic_gb: f64,
    /// GB of logs each running task sends to CloudWatch Logs a month.
    pub log_gb_per_task: f64,
    /// Capacity units each load balancer uses on average.
    pub capacity_units: f64,
}

impl Default for Assumptions {
    fn default() -> Self {
        Assumptions {
            traffic_gb: 100.0,
            log_gb_per_task: 1.0,
            capacity_units: 1.0,
        }
    }
}

/// One resource's monthly cost.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Line {
    /// `service web`, `nat_gateway nat`.
    pub resource: String,
    /// How the figure is made: quantities and rates.
    pub detail: String,
    pub usd: f64,
}

/// NAT gateways against VPC endpoints for the stack's private tasks.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Comparison {
    /// The tasks compared (`service web`).
    pub tasks: Vec<String>,
    /// Zones their subnets are in.
    pub zones: usize,
    pub nat: Line,
    pub endpoints: Line,
    /// Tasks whose images come from outside the Region's ECR: endpoints
    /// cannot serve them, so they need a NAT gateway either way.
    pub internet_only: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Estimate {
    pub stack: String,
    pub region: String,
    /// The Region whose prices are used: the stack's, or another when
    /// asked (`--prices-of`).
    pub prices_region: &'static str,
    /// The date of the price table.
    pub prices_date: &'static str,
    /// The figures the table lacks for `prices_region`, taken from
    /// us-east-1 (`ALB hour`).
    pub prices_borrowed: Vec<&'static str>,
    pub lines: Vec<Line>,
    pub total_usd: f64,
    /// What is not in the total, and why.
    pub not_estimated: Vec<String>,
    pub assumptions: Vec<String>,
    pub comparison: Option<Comparison>,
}

/// The prices to estimate a stack in `region` at: its own, or those of
/// `prices_of` when asked; `Err` says which Regions the table has.
pub fn prices_for(region: &str, prices_of: Option<&str>) -> Result<Priced, String> {
    let wanted = prices_of.unwrap_or(region);
    prices::of(wanted).ok_or_else(|| {
        format!(
            "the price table (of {}) has no prices for {wanted}; it has {}",
            prices::DATE,
            prices::regions().join(", ")
        )
    })
}

/// Estimates the stack's monthly cost at prices `p`.
pub fn estimate(m: &Model, priced: &Priced, a: &Assumptions) -> Estimate {
    let p = &priced.prices;
    let mut lines = Vec::new();
    let mut not_estimated = Vec::new();
    let mut public_ips: Vec<(String, u64)> = Vec::new();
    let mut logging_tasks = 0u64;

    for s in &m.services {
        let task = &m[s.placement.task.value];
        let what = format!("service {}", s.name.name);
        if s.daemon.is_some() || !s.placement.on_fargate() {
            not_estimated.push(format!(
                "{what}: runs on EC2 instances, whose prices are not in the table"
            ));
            continue;
        }
        if task.os.value == Os::Windows {
            not_estimated.push(format!(
                "{what}: runs Windows tasks, whose Fargate prices (and license fee) are not in the table"
            ));
            continue;
        }
        // A stopped environment runs no task, whatever its scaling bounds.
        let count = match (&s.autoscale, m.stack.stopped) {
            (_, true) => 0,
            (Some(scale), false) => s.desired.value.clamp(scale.min.value, scale.max.value),
            (None, false) => s.desired.value,
        };
        if !s.scale.is_empty() && count > 0 {
            not_estimated.push(format!(
                "{what}: what its `scale` schedules save (it is priced at its count all month)"
            ));
        }
        let (_, spot) = spot_split(count, &s.placement.capacity);
        let (vcpu, gb) = (
            task.cpu.as_ref().map_or(0.0, |c| qty(c.value) / 1024.0),
            task.memory.as_ref().map_or(0.0, |c| qty(c.value) / 1024.0),
        );
        let arm = task.arch.value == Arch::Arm64;
        let (cpu_rate, gb_rate) = if arm {
            (p.fargate_arm_vcpu_hour, p.fargate_arm_gb_hour)
        } else {
            (p.fargate_vcpu_hour, p.fargate_gb_hour)
        };
        let per_task = (vcpu * cpu_rate + gb * gb_rate) * HOURS;
        let tasks_usd = |count: u64| {
            let (on_demand, spot) = spot_split(count, &s.placement.capacity);
            qty(on_demand) * per_task + qty(spot) * per_task * (1.0 - prices::SPOT_DISCOUNT)
        };
        let usd = tasks_usd(count);
        let mut detail = format!(
            "{count} task{} × {} vCPU, {} GB ({}) on Fargate",
            plural(count),
            number(vcpu),
            number(gb),
            if arm { "ARM" } else { "x86" }
        );
        if spot > 0 {
            detail.push_str(&format!(" ({spot} on Fargate Spot)"));
        }
        if let Some(scale) = s.autoscale.as_ref().filter(|_| !m.stack.stopped) {
            let most = scale.max.value;
            detail.push_str(&format!(
                "; scales up to {most}: {}",
                dollars(tasks_usd(most))
            ));
        }
        lines.push(Line {
            resource: what,
            detail,
            usd,
        });
        if task.uses_awslogs() {
            logging_tasks += count;
        }
        if let Some(net) = &s.placement.network {
            if net.public_ip.value && count > 0 {
                public_ips.push((format!("service {}", s.name.name), count));
            }
        }
    }
    for sch in &m.schedules {
        not_estimated.push(format!(
            "schedule {}: its tasks run for a time the sources do not state",
            sch.name.name
        ));
    }
    for g in &m.instance_groups {
        not_estimated.push(format!(
            "instances {}: EC2 instance prices are not in the table",
            g.name.name
        ));
    }

    let nats: Vec<_> = m.nat_gateways.iter().filter(|n| n.enabled).collect();
    // The traffic is the stack's: split evenly between its NAT gateways.
    let per_nat = a.traffic_gb / qty(nats.len().max(1));
    for n in nats {
        let usd = HOURS * p.nat_hour + per_nat * p.nat_gb;
        lines.push(Line {
            resource: format!("nat_gateway {}", n.name.name),
            detail: format!(
                "{} h × ${} + {} GB × ${} processed",
                number(HOURS),
                p.nat_hour,
                number(per_nat),
                p.nat_gb
            ),
            usd,
        });
        public_ips.push((format!("nat_gateway {}", n.name.name), 1));
    }
    for lb in m.load_balancers.iter().filter(|lb| lb.existing.is_none()) {
        let (kind, hour, unit, unit_name) = match lb.lb_type.value {
            LbType::Application => ("ALB", p.alb_hour, p.alb_lcu_hour, "LCU"),
            LbType::Network => ("NLB", p.nlb_hour, p.nlb_lcu_hour, "NLCU"),
        };
        lines.push(Line {
            resource: format!("load_balancer {}", lb.name.name),
            detail: format!(
                "{kind}: {} h × ${hour} + {} {unit_name} × {} h × ${unit}",
                number(HOURS),
                number(a.capacity_units),
                number(HOURS)
            ),
            usd: HOURS * (hour + a.capacity_units * unit),
        });
        if !lb.internal {
            let zones = lb.subnets.value.len().try_into().unwrap_or(u64::MAX);
            public_ips.push((format!("load_balancer {}", lb.name.name), zones));
        }
    }
    for e in &m.endpoints {
        let what = format!("endpoint {}", e.name.name);
        match e.kind {
            EndpointKind::Gateway => lines.push(Line {
                resource: what,
                detail: format!("gateway endpoint ({}): no charge", e.service.value),
                usd: 0.0,
            }),
            EndpointKind::Interface => {
                let zones = e.subnets.value.len();
                lines.push(Line {
                    resource: what,
                    detail: format!(
                        "interface ({}): {} zone{} × {} h × ${}, plus ${} per GB processed",
                        e.service.value,
                        zones,
                        plural(zones),
                        number(HOURS),
                        p.endpoint_hour,
                        p.endpoint_gb
                    ),
                    usd: qty(zones) * HOURS * p.endpoint_hour,
                });
            }
        }
    }
    let addresses: u64 = public_ips.iter().map(|(_, n)| n).sum();
    if addresses > 0 {
        let of: Vec<String> = public_ips
            .iter()
            .map(|(what, n)| format!("{n} for {what}"))
            .collect();
        lines.push(Line {
            resource: "public IPv4 addresses".to_string(),
            detail: format!(
                "{addresses} × {} h × ${} ({})",
                number(HOURS),
                p.ipv4_hour,
                of.join(", ")
            ),
            usd: qty(addresses) * HOURS * p.ipv4_hour,
        });
    }
    if logging_tasks > 0 {
        lines.push(Line {
            resource: "CloudWatch Logs".to_string(),
            detail: format!(
                "{} GB ingested × ${} ({} GB from each of {} task{})",
                number(qty(logging_tasks) * a.log_gb_per_task),
                p.logs_gb,
                number(a.log_gb_per_task),
                logging_tasks,
                plural(logging_tasks)
            ),
            usd: qty(logging_tasks) * a.log_gb_per_task * p.logs_gb,
        });
    }
    if !m.repositories.is_empty() {
        not_estimated
            .push("ECR repositories: their storage depends on the images pushed".to_string());
    }
    for c in m.clusters.iter().filter(|c| c.insights) {
        not_estimated.push(format!(
            "cluster {}: Container Insights metrics (CloudWatch custom metrics, not in the table)",
            c.name.name
        ));
    }
    let alarms: usize = m.services.iter().map(|s| s.alarms.len()).sum();
    if alarms > 0 {
        not_estimated.push(format!(
            "{alarms} CloudWatch alarm{} (alarm prices are not in the table)",
            plural(alarms)
        ));
    }
    for n in m.namespaces.iter().filter(|n| n.existing.is_none()) {
        not_estimated.push(format!(
            "namespace {}: Cloud Map (and, for a DNS namespace, its Route 53 hosted zone)",
            n.name.name
        ));
    }
    for t in &m.tasks {
        if t.ephemeral_storage.as_ref().is_some_and(|g| g.value > 20) {
            not_estimated.push(format!(
                "task {}: Fargate ephemeral storage above 20 GB",
                t.name.name
            ));
        }
    }
    if logging_tasks > 0 {
        not_estimated.push(
            "CloudWatch Logs storage: it depends on the volume kept (`log_retention`)".to_string(),
        );
    }
    let total_usd = lines.iter().map(|l| l.usd).sum();
    let mut assumptions = vec![
        format!("{} hours a month; on-demand prices of {} ({})", number(HOURS), prices::DATE, prices::SOURCE),
        format!(
            "{} GB a month from the tasks through the NAT gateways in all (`--traffic`)",
            number(a.traffic_gb)
        ),
        format!("{} capacity unit{} per load balancer", number(a.capacity_units), if a.capacity_units == 1.0 { "" } else { "s" }),
        format!("{} GB of logs per running task", number(a.log_gb_per_task)),
        format!(
            "Fargate Spot at {}% off Fargate (AWS's figure for its largest discount; the price varies)",
            number(prices::SPOT_DISCOUNT * 100.0)
        ),
        "services run their desired count (within their scaling bounds)".to_string(),
    ];
    if !priced.source.is_empty() {
        assumptions.push(format!("{}'s figures: {}", p.region, priced.source));
    }
    if !priced.borrowed.is_empty() {
        assumptions.push(format!(
            "not in the table for {}, so at us-east-1's price: {}",
            p.region,
            priced.borrowed.join(", ")
        ));
    }
    Estimate {
        stack: m.stack.name.clone(),
        region: m.stack.region.clone(),
        prices_region: p.region,
        prices_date: prices::DATE,
        prices_borrowed: priced.borrowed.clone(),
        lines,
        total_usd,
        not_estimated,
        assumptions,
        comparison: compare(m, p, a),
    }
}

/// How many of `count` tasks a capacity provider strategy puts on Fargate
/// and on Fargate Spot: the bases first, the rest by weight (ECS's
/// placement, as the `CapacityProviderStrategyItem` reference describes),
/// a share that is not whole rounded toward Fargate (the estimate errs
/// high).
fn spot_split(count: u64, strategy: &[crate::model::StrategyItem]) -> (u64, u64) {
    if strategy.is_empty() {
        return (count, 0);
    }
    let mut left = count;
    let (mut on_demand, mut spot) = (0u64, 0u64);
    for item in strategy {
        let base = u64::from(item.base.value).min(left);
        left -= base;
        match item.provider.value {
            Provider::FargateSpot => spot += base,
            _ => on_demand += base,
        }
    }
    let total: u64 = strategy.iter().map(|i| u64::from(i.weight.value)).sum();
    if total == 0 {
        return (on_demand + left, spot);
    }
    let spot_weight: u64 = strategy
        .iter()
        .filter(|i| i.provider.value == Provider::FargateSpot)
        .map(|i| u64::from(i.weight.value))
        .sum();
    let to_spot = left * spot_weight / total;
    (on_demand + left - to_spot, spot + to_spot)
}

/// NAT gateways against the endpoints the private Fargate tasks need, for
/// the zones their subnets are in.
fn compare(m: &Model, p: &Prices, a: &Assumptions) -> Option<Comparison> {
    let mut tasks = Vec::new();
    let mut subnets: BTreeSet<SubnetId> = BTreeSet::new();
    let mut needs: BTreeSet<&'static str> = BTreeSet::new();
    let mut internet_only = Vec::new();
    for (runner, name, placement) in m.placements() {
        let Some(net) = &placement.network else {
            continue;
        };
        if net.public_ip.value || !placement.on_fargate() || matches!(runner, Runner::OneOff(_)) {
            continue;
        }
        let what = format!("{} {}", runner.word(), name.name);
        let (needed, outside) = m.task_needs(&m[placement.task.value]);
        needs.extend(needed);
        if outside {
            internet_only.push(what.clone());
        }
        subnets.extend(net.subnets.value.iter().copied());
        tasks.push(what);
    }
    if tasks.is_empty() {
        return None;
    }
    let zones: BTreeSet<String> = subnets
        .iter()
        .map(|&s| {
            let subnet = &m[s];
            subnet
                .zone
                .as_ref()
                .map_or_else(|| subnet.name.name.clone(), |z| z.value.clone())
        })
        .collect();
    let zones = zones.len();
    // The NAT gateways these subnets route through, else one per zone.
    let nats: BTreeSet<_> = subnets.iter().filter_map(|&s| m.subnet_nat(s)).collect();
    let nat_count = if nats.is_empty() { zones } else { nats.len() };
    let nat = Line {
        resource: format!("{nat_count} NAT gateway{}", plural(nat_count)),
        detail: format!(
            "{nat_count} × {} h × (${} + ${} for its address) + {} GB × ${}",
            number(HOURS),
            p.nat_hour,
            p.ipv4_hour,
            number(a.traffic_gb),
            p.nat_gb
        ),
        usd: qty(nat_count) * HOURS * (p.nat_hour + p.ipv4_hour) + a.traffic_gb * p.nat_gb,
    };
    let interface: Vec<&str> = needs.iter().copied().filter(|n| *n != "s3").collect();
    let endpoints = Line {
        resource: format!(
            "{} interface endpoint{}{}",
            interface.len(),
            plural(interface.len()),
            if needs.contains("s3") {
                " and the s3 gateway endpoint"
            } else {
                ""
            }
        ),
        detail: format!(
            "{} ({}) × {zones} zone{} × {} h × ${} + {} GB × ${}",
            interface.len(),
            interface.join(", "),
            plural(zones),
            number(HOURS),
            p.endpoint_hour,
            number(a.traffic_gb),
            p.endpoint_gb
        ),
        usd: qty(interface.len()) * qty(zones) * HOURS * p.endpoint_hour
            + a.traffic_gb * p.endpoint_gb,
    };
    Some(Comparison {
        tasks,
        zones,
        nat,
        endpoints,
        internet_only,
    })
}

fn plural<N: TryInto<u64>>(n: N) -> &'static str {
    if n.try_into().is_ok_and(|n: u64| n == 1) {
        ""
    } else {
        "s"
    }
}

/// A count or size as a quantity to price. Exact: every count and size
/// the language accepts is far below 2^53.
fn qty<N: TryInto<u64>>(n: N) -> f64 {
    n.try_into().map_or(f64::MAX, |n: u64| n as f64)
}

/// A quantity without needless decimals: `2`, `0.25`, `0.5`.
fn number(x: f64) -> String {
    let s = format!("{x:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

/// `$1,234.56`.
pub fn dollars(usd: f64) -> String {
    let cents = (usd * 100.0).round();
    let whole = format!("{:.0}", (cents / 100.0).trunc());
    let frac = format!("{:02.0}", cents % 100.0);
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("${grouped}.{frac}")
}

/// The estimate as a table for people.
pub fn render(e: &Estimate) -> String {
    let at = if e.prices_region == e.region {
        String::new()
    } else if prices::of(&e.region).is_some() {
        format!(" at {}'s prices (as asked)", e.prices_region)
    } else {
        format!(
            " at {}'s prices (the table has none for {}; AWS's prices differ by Region)",
            e.prices_region, e.region
        )
    };
    let mut out = format!(
        "Monthly cost of stack `{}` in {}{at}, in USD at on-demand prices of {}:\n\n",
        e.stack, e.region, e.prices_date
    );
    let width = e
        .lines
        .iter()
        .map(|l| l.resource.len())
        .max()
        .unwrap_or(0)
        .max(5);
    let money: Vec<String> = e.lines.iter().map(|l| dollars(l.usd)).collect();
    let total = dollars(e.total_usd);
    let mwidth = money
        .iter()
        .map(String::len)
        .chain([total.len()])
        .max()
        .unwrap_or(0);
    for (l, usd) in e.lines.iter().zip(&money) {
        out.push_str(&format!(
            "  {:<width$}  {usd:>mwidth$}  {}\n",
            l.resource, l.detail
        ));
    }
    out.push_str(&format!("  {:<width$}  {total:>mwidth$}\n", "total"));
    if !e.not_estimated.is_empty() {
        out.push_str("\nNot in the total:\n");
        for n in &e.not_estimated {
            out.push_str(&format!("  - {n}\n"));
        }
    }
    out.push_str("\nAssumed:\n");
    for a in &e.assumptions {
        out.push_str(&format!("  - {a}\n"));
    }
    if let Some(c) = &e.comparison {
        out.push_str(&format!(
            "\nNAT gateways or VPC endpoints for the private tasks ({}; {} zone{}):\n",
            c.tasks.join(", "),
            c.zones,
            plural(c.zones)
        ));
        let width = c.nat.resource.len().max(c.endpoints.resource.len());
        let (nat, endpoints) = (dollars(c.nat.usd), dollars(c.endpoints.usd));
        let mwidth = nat.len().max(endpoints.len());
        for (l, usd) in [(&c.nat, nat), (&c.endpoints, endpoints)] {
            out.push_str(&format!(
                "  {:<width$}  {usd:>mwidth$}  {}\n",
                l.resource, l.detail
            ));
        }
        if c.internet_only.is_empty() {
            let (cheaper, dearer) = if c.endpoints.usd < c.nat.usd {
                ("the endpoints", "NAT gateways")
            } else {
                ("NAT gateways", "the endpoints")
            };
            out.push_str(&format!(
                "  {cheaper} cost {} a month less than {dearer} at this traffic (`--traffic GB` to change it).\n",
                dollars((c.nat.usd - c.endpoints.usd).abs())
            ));
        } else {
            let (who, verb) = match c.internet_only.as_slice() {
                [one] => (one.clone(), "pulls its image"),
                many => (many.join(", "), "pull their images"),
            };
            out.push_str(&format!(
                "  {who} {verb} from outside this Region's ECR: only the internet serves it, so the private tasks need a NAT gateway either way, and endpoints would add to its cost, not replace it.\n"
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::StrategyItem;
    use crate::source::{Span, Spanned};

    fn item(provider: Provider, base: u32, weight: u32) -> StrategyItem {
        let at = Span::default();
        StrategyItem {
            provider: Spanned::new(provider, at),
            base: Spanned::new(base, at),
            weight: Spanned::new(weight, at),
            span: at,
        }
    }

    #[test]
    fn bases_first_then_weights_rounded_toward_fargate() {
        let (f, s) = (Provider::Fargate, Provider::FargateSpot);
        assert_eq!(spot_split(4, &[]), (4, 0));
        assert_eq!(spot_split(3, &[item(s, 0, 1)]), (0, 3));
        assert_eq!(spot_split(4, &[item(f, 2, 1), item(s, 0, 3)]), (3, 1));
        assert_eq!(spot_split(10, &[item(f, 2, 1), item(s, 0, 3)]), (4, 6));
        // A base larger than the count takes all of it.
        assert_eq!(spot_split(1, &[item(s, 5, 1), item(f, 0, 1)]), (0, 1));
        // Weights of zero leave the rest where the bases are not.
        assert_eq!(spot_split(3, &[item(f, 0, 0), item(s, 1, 0)]), (2, 1));
    }

    #[test]
    fn dollars_have_cents_and_thousands() {
        assert_eq!(dollars(0.0), "$0.00");
        assert_eq!(dollars(9.004), "$9.00");
        assert_eq!(dollars(22.266), "$22.27");
        assert_eq!(dollars(1234567.891), "$1,234,567.89");
        assert_eq!(number(0.25), "0.25");
        assert_eq!(number(730.0), "730");
    }
}
