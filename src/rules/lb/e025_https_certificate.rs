//! E025: an https or tls listener has a certificate from its Region; the
//! other listeners have none.

use crate::diagnostic::{Diagnostics, Severity};
use crate::model::Certificate;
use crate::rules::{Check, Context, Rule};

pub const RULE: Rule = Rule {
    code: "E025",
    name: "https-certificate",
    severity: Severity::Error,
    summary: "An https or tls listener has a `certificate` from the stack's Region; other listeners have no certificate or TLS policy",
    why: "CreateListener rejects an HTTPS listener without a certificate (\"A certificate must be \
          specified for HTTPS listeners\", cfn-lint E3676), and a certificate or SSL policy on an \
          HTTP listener (\"Certificates/SslPolicy cannot be specified for HTTP listeners\"): TLS \
          settings only mean something where TLS ends. The same holds for a network load \
          balancer's TLS listener and its TCP, UDP and TCP_UDP ones, and for the extra (SNI) \
          certificates of a listener (AddListenerCertificates). ACM certificates are Regional: a load \
          balancer uses one requested or imported in its own Region (ACM User Guide, \
          \"Supported Regions\"), so an ACM ARN of another Region fails when the listener is \
          created.",
    bad: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
subnet b { vpc = main  cidr = 10.0.2.0/24  zone = "b"  public = true }
security_group alb_sg { vpc = main  ingress tcp 443 from 0.0.0.0/0 }
load_balancer web {
  subnets = [a, b]  security_groups = [alb_sg]
  listener https 443
}"#,
    flagged: "https 443",
    good: r#"stack demo { region = "eu-west-1" }
vpc main { cidr = 10.0.0.0/16 }
subnet a { vpc = main  cidr = 10.0.1.0/24  zone = "a"  public = true }
subnet b { vpc = main  cidr = 10.0.2.0/24  zone = "b"  public = true }
security_group alb_sg { vpc = main  ingress tcp 443 from 0.0.0.0/0 }
load_balancer web {
  subnets = [a, b]  security_groups = [alb_sg]
  listener https 443 {
    certificate = "arn:aws:acm:eu-west-1:123456789012:certificate/0f3a1c2e-1111-2222-3333-444455556666"
  }
}"#,
    check: Check::Model(check),
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
            let word = l.protocol.value.word();
            let region = &cx.model.stack.region;
            let mismatch = |arn: &str, span, what: &str, out: &mut Diagnostics| {
                if let Some(other) = stack_region_mismatch(arn, region) {
                    out.push(
                        RULE.at(span, format!("{what} of listener `{}:{port}` is in {other}, but the load balancer is in {region}", lb.name.name))
                            .label(format!("an ACM certificate of {other}"))
                            .help(if what == "the certificate" {
                                format!("use the certificate requested or imported in {region} (ACM certificates are Regional), or `certificate = input` to take it at deploy time")
                            } else {
                                format!("list the certificate requested or imported in {region} instead (ACM certificates are Regional)")
                            }),
                    );
                }
            };
            if l.protocol.value.is_tls() {
                if let Some(cert) = &l.certificate {
                    if let Certificate::Arn(arn) = &cert.value {
                        mismatch(arn, cert.span, "the certificate", out);
                    }
                } else {
                    out.push(
                        RULE.at(l.protocol.span, format!("the {word} listener on port {port} of `{}` has no certificate", lb.name.name))
                            .label(format!("{} needs a certificate", l.protocol.value.as_str()))
                            .help(format!(
                                "add `certificate = \"arn:aws:acm:…\"` (an ACM certificate in this Region) to the listener, or make it `listener {} {port}`",
                                if l.protocol.value.is_network() { "tcp" } else { "http" }
                            )),
                    );
                }
                for arn in l.sni_certificates.iter().flat_map(|c| &c.value) {
                    if let Some(list) = &l.sni_certificates {
                        mismatch(arn, list.span, "an SNI certificate", out);
                    }
                }
                continue;
            }
            let plain = l.protocol.value.as_str();
            if let Some(cert) = &l.certificate {
                out.push(
                    RULE.at(
                        cert.span,
                        format!(
                            "the {word} listener on port {port} of `{}` cannot take a certificate",
                            lb.name.name
                        ),
                    )
                    .label("only https and tls listeners use a certificate")
                    .with(l.protocol.span, format!("plain {plain}"))
                    .help(format!(
                        "make it `listener {} {port}` to terminate TLS, or remove `certificate`",
                        if l.protocol.value.is_network() {
                            "tls"
                        } else {
                            "https"
                        }
                    )),
                );
            } else if let Some(sni) = &l.sni_certificates {
                out.push(
                    RULE.at(sni.span, format!("the {word} listener on port {port} of `{}` cannot take `sni_certificates`", lb.name.name))
                        .label(format!("plain {plain} has no certificates"))
                        .help("remove `sni_certificates`, or make it an https (or tls) listener with a `certificate`"),
                );
            } else if l.tls_policy.is_some() {
                out.push(
                    RULE.at(l.protocol.span, format!("the {word} listener on port {port} of `{}` cannot take a `tls_policy`", lb.name.name))
                        .label(format!("plain {plain} has no TLS policy"))
                        .help("remove `tls_policy`, or make it an https (or tls) listener with a `certificate`"),
                );
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
