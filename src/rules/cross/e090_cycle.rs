//! E090: the stack's dependencies form no cycle.

use crate::diagnostic::{Diagnostics, Severity};
use crate::rules::{Context, Rule};

pub const RULE: Rule = Rule {
    code: "E090",
    name: "dependency-cycle",
    severity: Severity::Error,
    summary: "Nothing depends on itself, directly or through others",
    why: "CloudFormation refuses a template with \"Circular dependency between resources\", and \
          ECS refuses containers whose `dependsOn` chain loops. Security groups that allow each \
          other are not a cycle: ecsc emits such rules as separate resources.",
    bad: r#"stack demo { region = "eu-west-1" }
task web {
  cpu = 256  memory = 512
  container proxy { image = "envoy:1.31"  depends_on app healthy }
  container app   { image = "nginx:1.27"  depends_on proxy start }
}"#,
    flagged: "proxy { image",
    good: r#"stack demo { region = "eu-west-1" }
task web {
  cpu = 256  memory = 512
  container proxy { image = "envoy:1.31"  depends_on app start }
  container app   { image = "nginx:1.27" }
}"#,
    check,
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    cx.graph.check_cycles(cx.model, out);
}
