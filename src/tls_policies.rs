//! The predefined security policies of HTTPS (Application Load Balancer)
//! and TLS (Network Load Balancer) listeners, as an offline table.
//!
//! Compiled November 2026 from the Elastic Load Balancing guides'
//! "Security policies for your Application Load Balancer" and "… Network
//! Load Balancer" (docs.aws.amazon.com/elasticloadbalancing), cross-checked
//! with moto 5.2.5's `elbv2/ssl_policies.py`. Neither load balancer takes
//! custom policies, and every predefined one is named
//! `ELBSecurityPolicy-…`. A policy AWS adds later is missing: lowering
//! rejects an unknown name only when it is close to a known one (a typo)
//! or not an `ELBSecurityPolicy-` name at all.

/// Every predefined policy, sorted.
pub const POLICIES: &[&str] = &[
    "ELBSecurityPolicy-2015-05",
    "ELBSecurityPolicy-2016-08",
    "ELBSecurityPolicy-FS-1-1-2019-08",
    "ELBSecurityPolicy-FS-1-2-2019-08",
    "ELBSecurityPolicy-FS-1-2-Res-2019-08",
    "ELBSecurityPolicy-FS-1-2-Res-2020-10",
    "ELBSecurityPolicy-FS-2018-06",
    "ELBSecurityPolicy-TLS-1-0-2015-04",
    "ELBSecurityPolicy-TLS-1-1-2017-01",
    "ELBSecurityPolicy-TLS-1-2-2017-01",
    "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
    "ELBSecurityPolicy-TLS13-1-0-2021-06",
    "ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-0-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-1-2021-06",
    "ELBSecurityPolicy-TLS13-1-1-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Ext1-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Ext2-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-3-2021-06",
    "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
];

/// The prefix of every predefined policy.
pub const PREFIX: &str = "ELBSecurityPolicy-";

pub fn is_policy(name: &str) -> bool {
    POLICIES.binary_search(&name).is_ok()
}

/// Why `name` cannot be a policy, with the policy meant when it looks like
/// a typo of one; `None` for a known policy or one that may be newer than
/// the table.
pub fn problem(name: &str) -> Option<Option<&'static str>> {
    if is_policy(name) {
        return None;
    }
    let near = POLICIES
        .iter()
        .map(|p| (crate::suggest::distance(name, p), *p))
        .min()
        .filter(|(d, _)| *d <= 3)
        .map(|(_, p)| p);
    (near.is_some() || !name.starts_with(PREFIX)).then_some(near)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_and_typos_found() {
        assert!(POLICIES.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(problem("ELBSecurityPolicy-TLS13-1-2-2021-06"), None);
        assert_eq!(
            problem("ELBSecurityPolicy-TLS13-1-2-2021-07"),
            Some(Some("ELBSecurityPolicy-TLS13-1-2-2021-06"))
        );
        assert_eq!(problem("TLS13"), Some(None));
        assert_eq!(problem("ELBSecurityPolicy-TLS13-1-2-RFC9151-2030-01"), None);
    }
}
