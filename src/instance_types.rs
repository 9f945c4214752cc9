//! EC2 instance types' vCPUs and memory, for the families container
//! instances commonly use, computed from their naming scheme (AWS's EC2
//! instance type pages, 2026): a size's vCPUs are fixed across general
//! purpose, compute and memory families, and each family has a fixed
//! memory per vCPU. Types outside these families are unknown: rules that
//! need them stay silent.

/// vCPUs and memory in MiB of an instance type, when known.
pub fn capacity(instance_type: &str) -> Option<(u64, u64)> {
    let (family, size) = instance_type.split_once('.')?;
    // Burstable families: sizes have their own memory.
    if let Some(t) = burstable(family, size) {
        return Some(t);
    }
    let vcpus = match size {
        "medium" => 1,
        "large" => 2,
        "xlarge" => 4,
        _ => size
            .strip_suffix("xlarge")
            .and_then(|n| n.parse::<u64>().ok())
            .filter(|n| (2..=48).contains(n))?
            .checked_mul(4)?,
    };
    // GiB of memory per vCPU, by family letter (`m6i` → `m`).
    let per_vcpu = match family.chars().next()? {
        'm' => 4,
        'c' => 2,
        'r' => 8,
        _ => return None,
    };
    // Only the generations whose suffix letters are processor or
    // network/disk variants (`m6i`, `c7g`, `r5ad`), not other shapes.
    let rest: String = family.chars().skip(1).collect();
    let generation_ok = rest.chars().next().is_some_and(|c| c.is_ascii_digit())
        && rest.chars().skip(1).all(|c| "agidnez".contains(c));
    if !generation_ok || (size == "medium" && !family.ends_with('g')) {
        return None;
    }
    Some((vcpus, vcpus * per_vcpu * 1024))
}

/// How many network interfaces an instance type takes, when known: each
/// awsvpc task on EC2 needs one of its own (besides the instance's), unless
/// ENI trunking is on. From the vCPUs of the families above (t2 is left
/// out: its sizes do not follow the scheme).
pub fn network_interfaces(instance_type: &str) -> Option<u64> {
    let (family, size) = instance_type.split_once('.')?;
    if family == "t2" {
        return None;
    }
    let (vcpus, _) = capacity(instance_type)?;
    if family.starts_with('t') {
        return Some(match size {
            "nano" | "micro" => 2,
            "small" | "medium" | "large" => 3,
            _ => 4,
        });
    }
    Some(match vcpus {
        0..=2 => 3,
        3..=8 => 4,
        9..=48 => 8,
        _ => 15,
    })
}

fn burstable(family: &str, size: &str) -> Option<(u64, u64)> {
    // (size, vCPUs, MiB) for t3, t3a and t4g; t2's small sizes have one vCPU.
    const T3: &[(&str, u64, u64)] = &[
        ("nano", 2, 512),
        ("micro", 2, 1024),
        ("small", 2, 2048),
        ("medium", 2, 4096),
        ("large", 2, 8192),
        ("xlarge", 4, 16384),
        ("2xlarge", 8, 32768),
    ];
    let one_vcpu = family == "t2" && matches!(size, "nano" | "micro" | "small");
    if !matches!(family, "t2" | "t3" | "t3a" | "t4g") {
        return None;
    }
    T3.iter()
        .find(|(s, _, _)| *s == size)
        .map(|(_, v, m)| (if one_vcpu { 1 } else { *v }, *m))
}

/// The sizes every instance type name ends with (after the family and a
/// `.`): `nano` to `xlarge`, `<n>xlarge`, `metal` and `metal-<n>xl`. Every
/// one of the 1,395 types of moto 5.2.5's EC2 table has this shape.
const SIZES: &[&str] = &[
    "nano", "micro", "small", "medium", "large", "xlarge", "metal",
];

/// Why `instance_type` cannot be an EC2 instance type (its shape is wrong),
/// with a corrected name when the size looks like a typo; `None` when it
/// is shaped like one (whether it exists is not known offline).
pub fn malformed(instance_type: &str) -> Option<Option<String>> {
    let Some((family, size)) = instance_type.split_once('.') else {
        return Some(None);
    };
    let family_ok = family.starts_with(|c: char| c.is_ascii_lowercase())
        && family
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    let numbered = |s: &str, suffix: &str| {
        s.strip_suffix(suffix)
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    };
    let size_ok = SIZES.contains(&size)
        || numbered(size, "xlarge")
        || size
            .strip_prefix("metal-")
            .is_some_and(|s| numbered(s, "xl"));
    if family_ok && size_ok {
        return None;
    }
    let fixed = family_ok
        .then(|| crate::suggest::closest(size, SIZES.iter().copied()))
        .flatten()
        .map(|near| format!("{family}.{near}"));
    Some(fixed)
}

#[cfg(test)]
mod tests {
    use super::capacity;

    #[test]
    fn known_types() {
        assert_eq!(capacity("t3.medium"), Some((2, 4096)));
        assert_eq!(super::malformed("m6i.large"), None);
        assert_eq!(super::malformed("u-6tb1.metal-112xl"), None);
        assert_eq!(super::malformed("m5.48xlarge"), None);
        assert_eq!(
            super::malformed("t3.mediun"),
            Some(Some("t3.medium".into()))
        );
        assert_eq!(super::malformed("t3medium"), Some(None));
        assert_eq!(capacity("t2.micro"), Some((1, 1024)));
        assert_eq!(capacity("m6i.large"), Some((2, 8192)));
        assert_eq!(capacity("c7g.2xlarge"), Some((8, 16384)));
        assert_eq!(capacity("r5ad.4xlarge"), Some((16, 131072)));
        assert_eq!(capacity("m5.24xlarge"), Some((96, 393216)));
    }

    #[test]
    fn network_interfaces_by_size() {
        use super::network_interfaces as enis;
        assert_eq!(enis("t3.micro"), Some(2));
        assert_eq!(enis("t3.medium"), Some(3));
        assert_eq!(enis("m5.large"), Some(3));
        assert_eq!(enis("m6i.2xlarge"), Some(4));
        assert_eq!(enis("c6i.4xlarge"), Some(8));
        assert_eq!(enis("r5.24xlarge"), Some(15));
        assert_eq!(enis("t2.micro"), None);
    }

    #[test]
    fn unknown_types_stay_unknown() {
        for t in [
            "p4d.24xlarge",
            "x2iedn.xlarge",
            "m6i.metal",
            "mac1.metal",
            "bogus",
            "m6i.medium",
            "z1d.large",
        ] {
            assert_eq!(capacity(t), None, "{t}");
        }
    }
}
