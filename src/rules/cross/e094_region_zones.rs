//! E094: the stack's Region and its subnets' zones exist.

use crate::diagnostic::{Diagnostics, Severity};
use crate::regions;
use crate::rules::{Check, Context, Rule};
use crate::suggest;

pub const RULE: Rule = Rule {
    code: "E094",
    name: "region-zones",
    severity: Severity::Error,
    summary: "The stack's `region` is an AWS Region and each subnet's zone is one of its availability zones",
    why: "Every Region-specific name ecsc writes comes from `region`: subnets' zones, endpoint \
          service names, ARNs and the Terraform provider's Region. A Region that does not exist \
          fails the Terraform provider (\"invalid AWS Region\") and every zone name built on it; \
          a zone letter past the Region's last one (`eu-west-1d`: Ireland has zones a–c) fails \
          CreateSubnet (\"Value (eu-west-1d) for parameter availabilityZone is invalid. Subnets \
          can currently only be created in the following availability zones: …\"; EC2 API \
          CreateSubnet, AvailabilityZone). ecsc checks against an offline table (src/regions.rs, \
          dated, from botocore's endpoints and EC2's DescribeAvailabilityZones): a Region it \
          does not know and that is not within two edits of a known one of the same area (`eu`, \
          `ap`, …) gets a note, and zones of Regions whose \
          zones it lacks are not checked.",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a" }
subnet d { vpc = main  cidr = 10.0.4.0/24  zone = "d" }"#,
    flagged: "\"d\"",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a" }
subnet c { vpc = main  cidr = 10.0.3.0/24  zone = "c" }"#,
    check: Check::Model(check),
};

/// The most edits a typo of a known Region (of the same area: `eu`,
/// `ap`, …) is taken to be; a farther name may be a Region opened after
/// the table.
const TYPO: usize = 2;

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let stack = &cx.model.stack;
    let region = stack.region.as_str();
    // Lowering reports a missing Region or one not shaped like a code.
    if region.is_empty() {
        return;
    }
    if !regions::is_region(region) {
        let area = region.split('-').next();
        let nearest = regions::REGIONS
            .iter()
            .filter(|r| r.split('-').next() == area)
            .map(|r| (suggest::distance(region, r), *r))
            .min();
        // A known area and direction with another number is how new
        // Regions are named (`us-east-3`): possibly newer than the table.
        let prefix = region.rsplit_once('-').map(|(p, _)| p);
        let next_number = regions::REGIONS
            .iter()
            .any(|r| r.rsplit_once('-').map(|(p, _)| p) == prefix);
        match nearest {
            Some((d, near)) if d <= TYPO && !next_number => out.push(
                RULE.at(
                    stack.region_span,
                    format!("`{region}` is not an AWS Region"),
                )
                .label("no such Region")
                .help(format!("did you mean `region = \"{near}\"`?")),
            ),
            _ => out.push(RULE.unverified(
                stack.region_span,
                format!(
                    "`{region}` is not in ecsc's table of AWS Regions ({}); its name and zones are not checked",
                    regions::AS_OF
                ),
            )
            .label("not in the table")
            .help("nothing to change if it is a Region opened since; otherwise check its spelling")),
        }
        return;
    }
    let Some(letters) = regions::zone_letters(region) else {
        return;
    };
    for s in &cx.model.subnets {
        let Some(zone) = &s.zone else { continue };
        let Some(letter) = zone
            .value
            .strip_prefix(region)
            .and_then(|l| l.chars().next())
        else {
            continue;
        };
        if letters.contains(&letter) {
            continue;
        }
        let all: Vec<String> = letters.clone().map(|c| c.to_string()).collect();
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        out.push(
            RULE.at(
                zone.span,
                format!(
                    "subnet `{}` is in zone `{}`, which {region} does not have",
                    s.name.name, zone.value
                ),
            )
            .label(format!(
                "{region} has zones {}–{}",
                letters.start(),
                letters.end()
            ))
            .help(format!(
                "put the subnet in zone {} of {region}",
                suggest::one_of(&all)
            )),
        );
    }
}
