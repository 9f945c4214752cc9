//! E048: EFS volume options that require or exclude one another.

use crate::diagnostic::{Diagnostics, Severity};
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "E048",
    name: "efs-volume",
    severity: Severity::Error,
    summary: "An EFS volume with `iam` or an `access_point` keeps transit encryption on; with an access point its `root` is `/` or not set",
    why: "ECS EFSAuthorizationConfig: with IAM authorization \"transit encryption must be turned \
          on\", and \"if an access point is used, transit encryption must be on\". With an access \
          point \"the root directory value … must either be omitted or set to /\", which enforces \
          the access point's own path. RegisterTaskDefinition rejects the volume otherwise (ECS \
          API reference, EFSAuthorizationConfig and EFSVolumeConfiguration).",
    bad: r#"stack demo { region = "eu-west-1" }
task api {
  cpu = 256  memory = 512
  volume data {
    efs                = "fs-0123456789abcdef0"
    access_point       = "fsap-0123456789abcdef0"
    transit_encryption = false
  }
  container app {
    image = "nginx:1.27"
    mount data at "/data"
  }
}"#,
    flagged: "false",
    good: r#"stack demo { region = "eu-west-1" }
task api {
  cpu = 256  memory = 512
  volume data {
    efs          = "fs-0123456789abcdef0"
    access_point = "fsap-0123456789abcdef0"
  }
  container app {
    image = "nginx:1.27"
    mount data at "/data"
  }
}"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    for task in &cx.model.tasks {
        for v in &task.volumes {
            let Some(e) = &v.efs else { continue };
            let volume = &v.name.name;
            if !e.transit_encryption.value {
                let needs = match (&e.access_point, e.iam.value) {
                    (Some(a), _) => Some((a.span, "an access point")),
                    (None, true) => Some((e.iam.span, "IAM authorization")),
                    (None, false) => None,
                };
                if let Some((at, what)) = needs {
                    out.push(
                        RULE.at(
                            e.transit_encryption.span,
                            format!("volume `{volume}` uses {what} with transit encryption off"),
                        )
                        .label("transit encryption off")
                        .with(at, format!("{what} needs transit encryption"))
                        .help("remove `transit_encryption = false` (it is on by default)"),
                    );
                }
            }
            if let (Some(a), Some(root)) = (&e.access_point, &e.root) {
                if root.value != "/" {
                    out.push(
                        RULE.at(
                            root.span,
                            format!(
                                "volume `{volume}` mounts `{}` through an access point, which sets its own root directory",
                                root.value
                            ),
                        )
                        .label("must be `/` or not set")
                        .with(a.span, "the access point's path is the root")
                        .help("remove `root` and set the directory as the access point's root directory path"),
                    );
                }
            }
        }
    }
}
