//! E025: an https listener has a certificate from its Region; an http
//! listener has none.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::{Certificate, ListenerProtocol};
use crate::rules::{Context, Rule};

pub const RULE: Rule = Rule {
    code: "E025",
    name: "https-certificate",
    severity: Severity::Error,
    summary: "An https listener has a `certificate` from the stack's Region; an http listener has no certificate or TLS policy",
    why: "CreateListener rejects an HTTPS listener without a certificate (\"A certificate must be \
          specified for HTTPS listeners\", cfn-lint E3676), and a certificate or SSL policy on an \
          HTTP listener (\"Certificates/SslPolicy cannot be specified for HTTP listeners\"): TLS \
          settings only mean something where TLS ends. ACM certificates are Regional: a load \
          balancer uses one requested or imported in its own Region (ACM User Guide, \
          \"Supported Regions\"), so an ACM ARN of another Region fails when the listener is \
          created.",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
subnet b { vpc = main  cidr = 10.0.2.0/24  zone = "b"  public = true }
security_group alb_sg { vpc = main }
load_balancer web {
  subnets = [a, b]  security_groups = [alb_sg]
  listener https 443
}"#,
    flagged: "https 443",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
subnet b { vpc = main  cidr = 10.0.2.0/24  zone = "b"  public = true }
security_group alb_sg { vpc = main }
load_balancer web {
  subnets = [a, b]  security_groups = [alb_sg]
  listener https 443 {
    certificate = "arn:aws:acm:eu-west-1:123456789012:certificate/0f3a1c2e-1111-2222-3333-444455556666"
  }
}"#,
    check,
};

fn check(cx: &Context<'_>, out: &mut Diagnostics) {
    for lb in &cx.model.load_balancers {
        for l in &lb.listeners {
            // An existing listener's certificate is its owners' (and
            // setting one here is an error of its own).
            if l.existing.is_some() {
                continue;
            }
            let port = l.port.value;
            match l.protocol.value {
                ListenerProtocol::Https => {
                    if let Some(Certificate::Arn(arn)) = l.certificate.as_ref().map(|c| &c.value) {
                        let region = stack_region_mismatch(arn, &cx.model.stack.region);
                        if let (Some(region), Some(cert)) = (region, &l.certificate) {
                            out.push(
                                RULE.at(cert.span, format!("the certificate of listener `{}:{port}` is in {region}, but the load balancer is in {}", lb.name.name, cx.model.stack.region))
                                    .label(format!("an ACM certificate of {region}"))
                                    .help(format!(
                                        "use the certificate requested or imported in {} (ACM certificates are Regional), or `certificate = input` to take it at deploy time",
                                        cx.model.stack.region
                                    )),
                            );
                        }
                    }
                    if l.certificate.is_none() {
                        out.push(
                            RULE.at(l.protocol.span, format!("the https listener on port {port} of `{}` has no certificate", lb.name.name))
                                .label("HTTPS needs a certificate")
                                .help(format!(
                                    "add `certificate = \"arn:aws:acm:…\"` (an ACM certificate in this Region) to the listener, or make it `listener http {port}`"
                                )),
                        );
                    }
                }
                ListenerProtocol::Http => {
                    if let Some(cert) = &l.certificate {
                        out.push(
                            RULE.at(cert.span, format!("the http listener on port {port} of `{}` cannot take a certificate", lb.name.name))
                                .label("only https listeners use a certificate")
                                .with(l.protocol.span, "plain HTTP")
                                .help(format!("make it `listener https {port}` to terminate TLS, or remove `certificate`")),
                        );
                    } else if l.tls_policy.is_some() {
                        out.push(
                            RULE.at(l.protocol.span, format!("the http listener on port {port} of `{}` cannot take a `tls_policy`", lb.name.name))
                                .label("plain HTTP has no TLS policy")
                                .help(format!("remove `tls_policy`, or make it `listener https {port}` with a `certificate`")),
                        );
                    }
                }
            }
        }
    }
}

/// The Region of an ACM certificate ARN when it is not the stack's. IAM
/// server certificates are global and never differ.
fn stack_region_mismatch<'a>(arn: &'a str, stack: &str) -> Option<&'a str> {
    let mut fields = arn.split(':');
    let service = fields.nth(2)?;
    let region = fields.next()?;
    (service == "acm" && region != stack).then_some(region)
}
