//! On-demand prices in USD for `ecsc cost`, by Region, with their date
//! and source. us-east-1's figures are the ones AWS's pricing pages state
//! in their own text (worked examples and tier tables; the pages fill
//! their Region tables from a script). Other Regions hold the figures
//! that copies of AWS's price list state for them (each Region names its
//! sources, docs/cost.md lists them); a figure none states is taken from
//! us-east-1 and the estimate names it. A Region missing from the table
//! is estimated only when asked, at another Region's prices
//! (`--prices-of`), never silently.

/// When the figures were read.
pub const DATE: &str = "2026-09";

/// Where they come from.
pub const SOURCE: &str = "aws.amazon.com/fargate/pricing, /vpc/pricing, /elasticloadbalancing/pricing, /privatelink/pricing, /cloudwatch/pricing";

/// Fargate Spot's discount: "up to a 70% discount off the regular Fargate
/// price" (AWS Fargate pricing). The real price moves with spare capacity.
pub const SPOT_DISCOUNT: f64 = 0.70;

/// One Region's prices.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prices {
    pub region: &'static str,
    /// Fargate, Linux on x86, per vCPU-hour and per GB-hour.
    pub fargate_vcpu_hour: f64,
    pub fargate_gb_hour: f64,
    /// Fargate, Linux on ARM (Graviton).
    pub fargate_arm_vcpu_hour: f64,
    pub fargate_arm_gb_hour: f64,
    /// NAT gateway, per hour and per GB processed.
    pub nat_hour: f64,
    pub nat_gb: f64,
    /// Application Load Balancer, per hour and per LCU-hour.
    pub alb_hour: f64,
    pub alb_lcu_hour: f64,
    /// Network Load Balancer, per hour and per NLCU-hour.
    pub nlb_hour: f64,
    pub nlb_lcu_hour: f64,
    /// Interface VPC endpoint (PrivateLink), per hour in each zone, and
    /// per GB processed (the first petabyte a month). Gateway endpoints
    /// (S3, DynamoDB) cost nothing.
    pub endpoint_hour: f64,
    pub endpoint_gb: f64,
    /// A public IPv4 address, per hour (charged since 1 February 2024).
    pub ipv4_hour: f64,
    /// CloudWatch Logs ingestion (standard class), per GB.
    pub logs_gb: f64,
}

/// A Region's figures as the sources state them: `None` where no source
/// this table trusts gives one.
#[derive(Debug, Clone, Copy)]
struct Known {
    region: &'static str,
    /// Where its figures come from, beyond AWS's pages.
    source: &'static str,
    fargate_vcpu_hour: Option<f64>,
    fargate_gb_hour: Option<f64>,
    fargate_arm_vcpu_hour: Option<f64>,
    fargate_arm_gb_hour: Option<f64>,
    nat_hour: Option<f64>,
    nat_gb: Option<f64>,
    alb_hour: Option<f64>,
    alb_lcu_hour: Option<f64>,
    nlb_hour: Option<f64>,
    nlb_lcu_hour: Option<f64>,
    endpoint_hour: Option<f64>,
    endpoint_gb: Option<f64>,
    ipv4_hour: Option<f64>,
    logs_gb: Option<f64>,
}

const UNKNOWN: Known = Known {
    region: "",
    source: "",
    fargate_vcpu_hour: None,
    fargate_gb_hour: None,
    fargate_arm_vcpu_hour: None,
    fargate_arm_gb_hour: None,
    nat_hour: None,
    nat_gb: None,
    alb_hour: None,
    alb_lcu_hour: None,
    nlb_hour: None,
    nlb_lcu_hour: None,
    endpoint_hour: None,
    endpoint_gb: None,
    ipv4_hour: None,
    logs_gb: None,
};

/// The Region every figure is known for, and what a figure missing for
/// another Region is taken from (and said to be).
const BASE: Prices = Prices {
    region: "us-east-1",
    fargate_vcpu_hour: 0.04048,
    fargate_gb_hour: 0.004445,
    fargate_arm_vcpu_hour: 0.03238,
    fargate_arm_gb_hour: 0.00356,
    nat_hour: 0.045,
    nat_gb: 0.045,
    alb_hour: 0.0225,
    alb_lcu_hour: 0.008,
    nlb_hour: 0.0225,
    nlb_lcu_hour: 0.006,
    endpoint_hour: 0.01,
    endpoint_gb: 0.01,
    ipv4_hour: 0.005,
    logs_gb: 0.50,
};

/// The public IPv4 charge is the same in every Region (Amazon VPC
/// pricing, "Public IPv4 address", since 1 February 2024).
const IPV4: Option<f64> = Some(0.005);
/// The per-GB charge of an interface endpoint (first petabyte) is the
/// same wherever the sources state it.
const ENDPOINT_GB: Option<f64> = Some(0.01);

/// Other Regions: each figure from AWS's price list as the sources named
/// in `source` (and docs/cost.md) quote it; what none of them states is
/// left out and taken from us-east-1, and the estimate says so.
const OTHERS: &[Known] = &[
    Known {
        region: "us-east-2",
        source: "Fargate: theuves/fgcalc's Region table; NAT gateway: two worked examples for Ohio",
        fargate_vcpu_hour: Some(0.04048),
        fargate_gb_hour: Some(0.004445),
        nat_hour: Some(0.045),
        nat_gb: Some(0.045),
        ipv4_hour: IPV4,
        ..UNKNOWN
    },
    Known {
        region: "us-west-2",
        source: "Fargate: theuves/fgcalc and one more Region table; NAT gateway and endpoints: the Price List API (USW2 usage types)",
        fargate_vcpu_hour: Some(0.04048),
        fargate_gb_hour: Some(0.004445),
        nat_hour: Some(0.045),
        nat_gb: Some(0.045),
        endpoint_hour: Some(0.01),
        endpoint_gb: ENDPOINT_GB,
        ipv4_hour: IPV4,
        ..UNKNOWN
    },
    Known {
        region: "eu-west-1",
        source: "Fargate: theuves/fgcalc's Region table; NAT gateway: the AmazonEC2 offer file for eu-west-1 (2026-09)",
        fargate_vcpu_hour: Some(0.04048),
        fargate_gb_hour: Some(0.004445),
        nat_hour: Some(0.048),
        nat_gb: Some(0.048),
        ipv4_hour: IPV4,
        ..UNKNOWN
    },
    Known {
        region: "eu-west-2",
        source: "Fargate: theuves/fgcalc and a Price List extract (2026-02); NAT gateway, ALB, IPv4: the AmazonEC2, AWSELB and AmazonVPC offer files for eu-west-2 (2026-09)",
        fargate_vcpu_hour: Some(0.04656),
        fargate_gb_hour: Some(0.00511),
        nat_hour: Some(0.05),
        nat_gb: Some(0.05),
        alb_hour: Some(0.02646),
        alb_lcu_hour: Some(0.0084),
        ipv4_hour: IPV4,
        ..UNKNOWN
    },
    Known {
        region: "eu-central-1",
        source: "Fargate x86 and ARM: theuves/fgcalc and two Price List rate cards (EUC1-Fargate, 2026-07 and 2026-10); NAT gateway hour, endpoints: the Price List API (EUC1, 2026-09); logs: a CloudHealth price book (EUC1-DataProcessing-Bytes)",
        fargate_vcpu_hour: Some(0.04656),
        fargate_gb_hour: Some(0.00511),
        fargate_arm_vcpu_hour: Some(0.03725),
        fargate_arm_gb_hour: Some(0.00409),
        nat_hour: Some(0.052),
        endpoint_hour: Some(0.012),
        endpoint_gb: ENDPOINT_GB,
        ipv4_hour: IPV4,
        logs_gb: Some(0.63),
        ..UNKNOWN
    },
    Known {
        region: "ap-southeast-1",
        source: "Fargate: theuves/fgcalc and the Price List API (2026-08); NAT gateway, ALB, endpoints: the Price List API (2026-08)",
        fargate_vcpu_hour: Some(0.05056),
        fargate_gb_hour: Some(0.00553),
        fargate_arm_vcpu_hour: Some(0.04045),
        fargate_arm_gb_hour: Some(0.00442),
        nat_hour: Some(0.059),
        nat_gb: Some(0.059),
        alb_hour: Some(0.0252),
        alb_lcu_hour: Some(0.008),
        endpoint_hour: Some(0.013),
        endpoint_gb: ENDPOINT_GB,
        ipv4_hour: IPV4,
        ..UNKNOWN
    },
    Known {
        region: "ap-northeast-1",
        source: "Fargate: theuves/fgcalc and the Price List API (2026-09); NAT gateway, endpoints, IPv4: the Price List API (APN1, 2026-09)",
        fargate_vcpu_hour: Some(0.05056),
        fargate_gb_hour: Some(0.00553),
        nat_hour: Some(0.062),
        nat_gb: Some(0.062),
        endpoint_hour: Some(0.014),
        endpoint_gb: ENDPOINT_GB,
        ipv4_hour: IPV4,
        ..UNKNOWN
    },
];

/// A Region's prices: every figure, with those the table lacks for it
/// taken from us-east-1 and named in `borrowed`.
#[derive(Debug, Clone, PartialEq)]
pub struct Priced {
    pub prices: Prices,
    /// The figures taken from us-east-1 (`ALB hour`), in table order.
    pub borrowed: Vec<&'static str>,
    /// Where the Region's own figures come from (empty for us-east-1).
    pub source: &'static str,
}

/// A Region's prices, if the table has the Region.
pub fn of(region: &str) -> Option<Priced> {
    if region == BASE.region {
        return Some(Priced {
            prices: BASE,
            borrowed: Vec::new(),
            source: "",
        });
    }
    let k = OTHERS.iter().find(|k| k.region == region)?;
    let mut borrowed = Vec::new();
    let mut fill = |known: Option<f64>, base: f64, name: &'static str| {
        known.unwrap_or_else(|| {
            borrowed.push(name);
            base
        })
    };
    let prices = Prices {
        region: k.region,
        fargate_vcpu_hour: fill(
            k.fargate_vcpu_hour,
            BASE.fargate_vcpu_hour,
            "Fargate x86 vCPU-hour",
        ),
        fargate_gb_hour: fill(
            k.fargate_gb_hour,
            BASE.fargate_gb_hour,
            "Fargate x86 GB-hour",
        ),
        fargate_arm_vcpu_hour: fill(
            k.fargate_arm_vcpu_hour,
            BASE.fargate_arm_vcpu_hour,
            "Fargate ARM vCPU-hour",
        ),
        fargate_arm_gb_hour: fill(
            k.fargate_arm_gb_hour,
            BASE.fargate_arm_gb_hour,
            "Fargate ARM GB-hour",
        ),
        nat_hour: fill(k.nat_hour, BASE.nat_hour, "NAT gateway hour"),
        nat_gb: fill(k.nat_gb, BASE.nat_gb, "NAT gateway GB"),
        alb_hour: fill(k.alb_hour, BASE.alb_hour, "ALB hour"),
        alb_lcu_hour: fill(k.alb_lcu_hour, BASE.alb_lcu_hour, "ALB LCU-hour"),
        nlb_hour: fill(k.nlb_hour, BASE.nlb_hour, "NLB hour"),
        nlb_lcu_hour: fill(k.nlb_lcu_hour, BASE.nlb_lcu_hour, "NLB NLCU-hour"),
        endpoint_hour: fill(
            k.endpoint_hour,
            BASE.endpoint_hour,
            "interface endpoint hour",
        ),
        endpoint_gb: fill(k.endpoint_gb, BASE.endpoint_gb, "interface endpoint GB"),
        ipv4_hour: fill(k.ipv4_hour, BASE.ipv4_hour, "public IPv4 hour"),
        logs_gb: fill(k.logs_gb, BASE.logs_gb, "CloudWatch Logs GB ingested"),
    };
    Some(Priced {
        prices,
        borrowed,
        source: k.source,
    })
}

/// The Regions the table has.
pub fn regions() -> Vec<&'static str> {
    std::iter::once(BASE.region)
        .chain(OTHERS.iter().map(|k| k.region))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn us_east_1_borrows_nothing_and_other_regions_say_what_they_borrow() {
        let base = of("us-east-1").unwrap();
        assert!(base.borrowed.is_empty());
        assert_eq!(base.prices, BASE);
        let frankfurt = of("eu-central-1").unwrap();
        assert_eq!(frankfurt.prices.fargate_vcpu_hour, 0.04656);
        assert_eq!(frankfurt.prices.nat_hour, 0.052);
        // Its NAT per-GB charge is not in the table: us-east-1's, and said.
        assert_eq!(frankfurt.prices.nat_gb, BASE.nat_gb);
        assert!(frankfurt.borrowed.contains(&"NAT gateway GB"));
        assert!(!frankfurt.borrowed.contains(&"NAT gateway hour"));
        assert!(of("mars-1").is_none());
    }

    #[test]
    fn every_region_has_its_own_fargate_figures_and_is_a_real_region() {
        for r in regions() {
            let p = of(r).unwrap();
            assert!(
                !p.borrowed.iter().any(|b| b.starts_with("Fargate x86")),
                "{r}"
            );
            assert!(crate::regions::is_region(r), "{r}");
            // Every figure is positive and below a dollar an hour.
            let figures = [
                p.prices.fargate_vcpu_hour,
                p.prices.fargate_gb_hour,
                p.prices.nat_hour,
                p.prices.alb_hour,
                p.prices.endpoint_hour,
                p.prices.logs_gb,
            ];
            assert!(figures.iter().all(|f| *f > 0.0 && *f < 1.0), "{r}");
        }
    }
}
