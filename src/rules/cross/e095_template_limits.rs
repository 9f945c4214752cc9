//! E095: the CloudFormation template is within CloudFormation's quotas.

use crate::diagnostic::{Diagnostics, Severity};
use crate::emit::cloudformation::split::Layout;
use crate::plan::Body;
use crate::rules::{Check, Rule, TemplateContext};

pub const RULE: Rule = Rule {
    code: "E095",
    name: "template-limits",
    severity: Severity::Error,
    summary: "The CloudFormation stack fits CloudFormation's quotas, split into nested stacks where one template cannot hold it, with names of at most 255 characters",
    why: "CloudFormation refuses a template past its quotas (CloudFormation User Guide, \
          \"CloudFormation quotas\"): at most 500 resources, 200 parameters and 200 outputs per \
          template, a template body of at most 1,000,000 bytes from S3 (51,200 bytes passed \
          inline with `--template-body`, which `aws cloudformation deploy` does unless given \
          `--s3-bucket`), and resource, parameter and output names (logical ids) of at most \
          255 characters. A stack one template cannot hold is written by `ecsc build -o DIR` \
          as a parent template and nested stacks (`AWS::CloudFormation::Stack`): the shared \
          network, load balancers and clusters in one, services with what they alone use in \
          groups of at most 200 resources, and past 500 groups those in tiers of nested stacks \
          (docs/targets.md, \"Nested stacks\"); that gets a \
          note. What nested stacks cannot hold either is an error: more than 200 outputs \
          declared with `output` or 200 deploy-time inputs (the parent's), or more than 500 \
          resources joined by their references to one service. ecsc counts what the \
          templates it writes hold: resources folded into others (inline security group \
          rules, policies, a rule's targets) and existing resources do not count, deploy-time \
          inputs do; the size is that of the JSON template `ecsc build` writes (YAML is \
          smaller), measured for stacks of 40 or more resources, inputs and outputs (smaller \
          ones are far below 51,200 bytes). A template between 51,200 and 1,000,000 bytes gets \
          a note: it deploys from S3 only. Terraform has none of these limits.",
    bad: r#"stack demo { region = "eu-west-1" }
vpc aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa { cidr = 10.0.0.0/16 }"#,
    flagged: "vpc aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa { cidr = 10.0.0.0/16 }",
    good: r#"stack demo { region = "eu-west-1" }
vpc aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa { cidr = 10.0.0.0/16 }"#,
    check: Check::Template(check),
};

const MAX_INLINE_BYTES: usize = 51_200;
const MAX_NAME: usize = 255;
/// Plans with fewer resources, inputs and outputs together are not
/// rendered to be measured (ecsc's examples of 10–50 resources render to
/// 8–40 kB of JSON).
const RENDER_FROM: usize = 40;

const DEPLOY_NESTED: &str = "deploy the directory with `aws cloudformation package --template-file DIR/template.json --s3-bucket BUCKET --output-template-file packaged.json`, then `aws cloudformation deploy --template-file packaged.json …`";

const SPLIT: &str = "split the stack into several stacks (for example the network in one, each group of services in another, sharing it through `id_from_ssm` or `id = input`), or build it for Terraform (`ecsc build --target terraform`), which has no such limit";

fn check(cx: &mut TemplateContext<'_>, out: &mut Diagnostics) {
    // Read before the layout, which may free the plan.
    let Some(plan) = cx.plan() else {
        return;
    };
    let stack = plan.stack_span;
    // A logical id is its plan resource's: long ones are found on the plan.
    for r in &plan.resources {
        // A logical id is at most as long as its name, the kind's word and
        // the index (`pascal` only drops characters): only one that could
        // be too long is made to be measured.
        if r.id.name.len() + r.id.kind.info().word.len() + 20 <= MAX_NAME {
            continue;
        }
        let id = r.id.logical_id();
        let rendered = r.id.kind.info().cloudformation.type_name().is_some()
            && !matches!(r.body, Body::Existing(_));
        if id.len() > MAX_NAME && rendered {
            out.push(
                RULE.at(
                    r.span,
                    format!(
                        "the logical id of this {} is {} characters long; CloudFormation takes at most {MAX_NAME}",
                        r.id.kind.info().word.to_lowercase(),
                        id.len()
                    ),
                )
                .label("name too long for a logical id")
                .help("shorten the names it is derived from"),
            );
        }
    }
    for input in &plan.inputs {
        let name = crate::names::pascal(&input.name);
        if name.len() > MAX_NAME {
            out.push(
                RULE.at(
                    input.span,
                    format!("the parameter `{}…` is {} characters long; CloudFormation takes at most {MAX_NAME}", name.chars().take(40).collect::<String>(), name.len()),
                )
                .label("name too long for a parameter")
                .help("shorten the names it is derived from"),
            );
        }
    }
    // The template holds no more resources, parameters and outputs than
    // the plan; a small plan is far below every quota and 51,200 bytes,
    // and is not rendered.
    if plan.resources.len() + plan.inputs.len() + plan.outputs.len() < RENDER_FROM {
        return;
    }
    // `ecsc build` writes what E095 laid out; `ecsc check` only counts.
    let Some(layout) = cx.layout() else {
        return;
    };
    let (why, split) = match layout {
        Layout::One(text) => {
            let size = text.len();
            if size > MAX_INLINE_BYTES {
                out.push(
                    RULE.unverified(
                        stack,
                        format!("the CloudFormation template is {size} bytes, above the 51,200 CloudFormation takes inline"),
                    )
                    .label("deploy from S3")
                    .help("deploy it through S3: `aws cloudformation deploy --s3-bucket BUCKET …` (nothing to change for Terraform)"),
                );
            }
            return;
        }
        Layout::Nested { why, split } => (why, split),
    };
    // Past a quota: `ecsc build` writes nested stacks; what they cannot
    // hold either is an error.
    match split {
        Ok(nested) => out.push(
            RULE.unverified(
                stack,
                format!(
                    "the CloudFormation template of this stack {why}; `ecsc build -o DIR` writes it as a parent template and {} nested stacks",
                    nested.children.len()
                ),
            )
            .label("built as nested stacks")
            .help(DEPLOY_NESTED),
        ),
        Err(errors) => {
            for e in errors {
                out.push(
                    RULE.at(
                        stack,
                        format!("{e}, even split into nested stacks (Terraform builds are not held to it)"),
                    )
                    .label(format!("{} {}", e.count, e.item))
                    .help(SPLIT),
                );
            }
        }
    }
}
