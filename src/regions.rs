//! AWS Regions and their availability zone letters, as an offline table.
//!
//! Compiled November 2026 from the Regions of botocore 1.35.99's
//! `endpoints.json` (January 2025; partitions `aws`, `aws-cn`, `aws-us-gov`
//! and the isolated ones), plus the Regions opened in 2025 it lacks: Asia
//! Pacific (Taipei) `ap-east-2` and Asia Pacific (New Zealand)
//! `ap-southeast-6` (AWS Regions and Availability Zones,
//! docs.aws.amazon.com/global-infrastructure). A Region opened later is
//! missing: rule E094 reports an unknown Region only when it is one edit
//! away from a known one, and otherwise notes that it could not check it. Zone
//! letters come from `DescribeAvailabilityZones` as recorded in moto 5.2.5's
//! instance type offerings per zone. A zone name's letter maps to a
//! different zone in each account, and older accounts keep letters newer
//! ones do not get (`us-west-1a`, `ap-northeast-1b`): the table keeps, per
//! Region, the last letter any account sees, so a letter past it exists in
//! no account. Regions whose zones the table lacks are not checked.

/// Every Region code, sorted.
pub const REGIONS: &[&str] = &[
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "cn-north-1",
    "cn-northwest-1",
    "eu-central-1",
    "eu-central-2",
    "eu-isoe-west-1",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-gov-east-1",
    "us-gov-west-1",
    "us-iso-east-1",
    "us-iso-west-1",
    "us-isob-east-1",
    "us-west-1",
    "us-west-2",
];

/// The last zone letter of a Region, where the table knows it.
const LAST_ZONE: &[(&str, char)] = &[
    ("af-south-1", 'c'),
    ("ap-east-1", 'c'),
    ("ap-northeast-1", 'd'),
    ("ap-northeast-2", 'd'),
    ("ap-northeast-3", 'c'),
    ("ap-south-1", 'c'),
    ("ap-south-2", 'c'),
    ("ap-southeast-1", 'c'),
    ("ap-southeast-2", 'c'),
    ("ap-southeast-3", 'c'),
    ("ap-southeast-4", 'c'),
    ("ap-southeast-5", 'c'),
    ("ca-central-1", 'd'),
    ("ca-west-1", 'c'),
    ("eu-central-1", 'c'),
    ("eu-central-2", 'c'),
    ("eu-north-1", 'c'),
    ("eu-south-1", 'c'),
    ("eu-south-2", 'c'),
    ("eu-west-1", 'c'),
    ("eu-west-2", 'd'),
    ("eu-west-3", 'c'),
    ("il-central-1", 'c'),
    ("me-central-1", 'c'),
    ("me-south-1", 'c'),
    ("sa-east-1", 'c'),
    ("us-east-1", 'f'),
    ("us-east-2", 'c'),
    ("us-west-1", 'c'),
    ("us-west-2", 'd'),
];

/// The date of the table, for messages.
pub const AS_OF: &str = "November 2026";

pub fn is_region(code: &str) -> bool {
    REGIONS.binary_search(&code).is_ok()
}

/// The zone letters of a Region (`a` up to its last one), if known.
pub fn zone_letters(region: &str) -> Option<std::ops::RangeInclusive<char>> {
    LAST_ZONE
        .iter()
        .find(|(r, _)| *r == region)
        .map(|(_, last)| 'a'..=*last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted_and_consistent() {
        assert!(REGIONS.windows(2).all(|w| w[0] < w[1]));
        assert!(LAST_ZONE.iter().all(|(r, _)| is_region(r)));
        assert_eq!(zone_letters("eu-central-1"), Some('a'..='c'));
        assert_eq!(zone_letters("mx-central-1"), None);
    }
}
