//! E093: every deploy-time input has a name of its own in both targets.

use crate::diagnostic::{Diagnostics, Severity};
use crate::names::pascal;
use crate::plan::Input;
use crate::rules::{Check, Context, Rule};
use std::collections::HashMap;

pub const RULE: Rule = Rule {
    code: "E093",
    name: "input-names",
    severity: Severity::Error,
    summary: "Deploy-time inputs have distinct names",
    why: "Each `input` (an existing resource's id, an EFS id, an image CI sets, a certificate) \
          becomes a CloudFormation parameter named in PascalCase and a Terraform variable in \
          snake_case, from the names it belongs to. Names that differ only in `_`, `-` or case \
          (task `a` with volume `b_file`, task `a_b` with volume `file`) give both the same \
          parameter, so one value would be deployed for two different things.",
    bad: r#"stack demo { region = "eu-west-1" }
task a {
  cpu = 256  memory = 512
  volume b_file { efs = input }
  container app { image = "public.ecr.aws/nginx/nginx:1.27"  mount b_file at "/data" }
}
task a_b {
  cpu = 256  memory = 512
  volume file { efs = input }
  container app { image = "public.ecr.aws/nginx/nginx:1.27"  mount file at "/data" }
}"#,
    flagged: "input }\n  container app { image = \"public.ecr.aws/nginx/nginx:1.27\"  mount file",
    good: r#"stack demo { region = "eu-west-1" }
task a {
  cpu = 256  memory = 512
  volume b_file { efs = input }
  container app { image = "public.ecr.aws/nginx/nginx:1.27"  mount b_file at "/data" }
}
task reports {
  cpu = 256  memory = 512
  volume file { efs = input }
  container app { image = "public.ecr.aws/nginx/nginx:1.27"  mount file at "/data" }
}"#,
    check: Check::Model(check),
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    let mut seen: HashMap<String, &Input> = HashMap::new();
    for input in &cx.plan.inputs {
        let id = pascal(&input.name);
        let Some(first) = seen.get(&id) else {
            seen.insert(id, input);
            continue;
        };
        out.push(
            RULE.at(input.span, format!("two deploy-time inputs are both named `{id}`"))
                .label("named again here")
                .with(first.span, "first named here")
                .help("rename one of the declarations it is named after, so their names differ in more than `_`, `-` or case"),
        );
    }
}
