//! On-demand prices in USD for `ecsc cost`, by Region, with their date
//! and source. Only figures AWS publishes for a Region are here (AWS's
//! pricing pages fill their Region tables from a script; the figures
//! below are the ones their worked examples and tier tables state): a
//! Region missing from the table is estimated only when asked, at another
//! Region's prices (`--prices-of`), never silently.

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

const TABLE: &[Prices] = &[Prices {
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
}];

/// A Region's prices, if the table has them.
pub fn of(region: &str) -> Option<&'static Prices> {
    TABLE.iter().find(|p| p.region == region)
}

/// The Regions the table has.
pub fn regions() -> Vec<&'static str> {
    TABLE.iter().map(|p| p.region).collect()
}
