//! E086: an instance group's types match its architecture.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::Arch;
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "E086",
    name: "instance-arch",
    severity: Severity::Error,
    summary: "An instance group's instance types are of its `arch` (Graviton types are arm64)",
    why: "An instance group launches the ECS-optimized AMI of its `arch` (x86_64 unless written). \
          An AMI runs only on instance types of its architecture: RunInstances fails with \
          \"The architecture 'x86_64' of the specified instance type does not match the \
          architecture 'arm64' of the specified AMI\" (or the reverse), and the Auto Scaling group \
          never gets an instance, so no task is ever placed. AWS Graviton types are the `a1` \
          family and the families whose attribute letters include `g` (`m7g`, `c6gn`, `r8gd`, \
          `t4g`, `im4gn`, `g5g`); a type of an unknown family is not judged.",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
security_group sg { vpc = main }
cluster apps { }
instances general { cluster = apps  type = "m7g.large"  subnets = [a]  security_groups = [sg]  min = 1  max = 2 }"#,
    flagged: "\"m7g.large\"",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
security_group sg { vpc = main }
cluster apps { }
instances general { cluster = apps  type = "m7g.large"  arch = arm64  subnets = [a]  security_groups = [sg]  min = 1  max = 2 }"#,
    check: Check::Model(check),
};

/// The architecture of an instance type's family, when it is known from
/// its name: Graviton families are arm64, the other current ones x86_64.
pub fn arch_of(instance_type: &str) -> Option<Arch> {
    let family = instance_type.split('.').next()?;
    if family == "a1" {
        return Some(Arch::Arm64);
    }
    // Mac instances (Intel and Apple silicon) do not run ECS's AMIs.
    if family.starts_with("mac") {
        return None;
    }
    // The letters after the generation digit(s): `m7g` → `g`, `c6gn` → `gn`.
    let digit = family.find(|c: char| c.is_ascii_digit())?;
    let letters = family[digit..].trim_start_matches(|c: char| c.is_ascii_digit());
    if family[..digit].is_empty() {
        return None;
    }
    Some(if letters.contains('g') {
        Arch::Arm64
    } else {
        Arch::X86_64
    })
}

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    for g in &cx.model.instance_groups {
        // A pinned AMI says its own architecture.
        if g.ami.is_some() {
            continue;
        }
        let arch = g.arch.value;
        let types = std::iter::once((&g.instance_type.value, g.instance_type.span)).chain(
            g.spot
                .iter()
                .flat_map(|s| s.types.iter().map(move |t| (t, s.span))),
        );
        for (t, span) in types {
            let Some(other) = arch_of(t).filter(|a| *a != arch) else {
                continue;
            };
            let (has, wants) = match other {
                Arch::Arm64 => ("arm64 (Graviton)", "x86_64"),
                Arch::X86_64 => ("x86_64", "arm64"),
            };
            out.push(
                RULE.at(
                    span,
                    format!(
                        "`{t}` is an {has} instance type, but instance group `{}` launches {wants} AMIs",
                        g.name.name
                    ),
                )
                .label(format!("an {has} type"))
                .help(match other {
                    Arch::Arm64 => "add `arch = arm64` to the group (and build the tasks' images for arm64), or pick an x86_64 type such as `m7i.large`".to_string(),
                    Arch::X86_64 => "pick a Graviton type such as `m7g.large`, or write `arch = x86_64`".to_string(),
                }),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graviton_families_are_arm64() {
        for t in [
            "a1.large",
            "m7g.large",
            "c6gn.xlarge",
            "r8gd.2xlarge",
            "t4g.micro",
            "im4gn.large",
            "g5g.xlarge",
        ] {
            assert_eq!(arch_of(t), Some(Arch::Arm64), "{t}");
        }
        for t in [
            "m7i.large",
            "c5.xlarge",
            "g4dn.xlarge",
            "r6a.large",
            "t3.micro",
            "inf2.xlarge",
        ] {
            assert_eq!(arch_of(t), Some(Arch::X86_64), "{t}");
        }
    }
}
