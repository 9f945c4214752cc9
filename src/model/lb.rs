//! Application load balancers, listeners, target groups and listener rules.

use super::*;
use crate::source::Spanned;

/// The TLS policy used when a listener names none: TLS 1.3 and 1.2 only.
pub const DEFAULT_TLS_POLICY: &str = "ELBSecurityPolicy-TLS13-1-2-2021-06";

#[derive(Debug, Clone)]
pub struct LoadBalancer {
    pub name: Name,
    /// Set for a load balancer that exists already (its ARN).
    pub existing: Option<Existing>,
    /// An existing load balancer's VPC, when stated (a new one's is its
    /// subnets'; see [`Model::lb_vpc`]).
    pub vpc: Option<Spanned<VpcId>>,
    /// The physical name, when the user sets one.
    pub physical_name: Option<Spanned<String>>,
    pub subnets: Spanned<Vec<SubnetId>>,
    pub security_groups: Spanned<Vec<SgId>>,
    pub internal: bool,
    pub idle_timeout: Option<u64>,
    pub listeners: Vec<Listener>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListenerProtocol {
    Http,
    Https,
}

impl ListenerProtocol {
    pub fn as_str(self) -> &'static str {
        match self {
            ListenerProtocol::Http => "HTTP",
            ListenerProtocol::Https => "HTTPS",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum DefaultAction {
    Fixed {
        status: u32,
        body: Option<String>,
        content_type: String,
    },
    Redirect {
        port: u32,
    },
    Forward(TgId),
}

#[derive(Debug, Clone)]
pub struct Listener {
    /// Set for a listener that exists already (its ARN): routes add rules
    /// to it; its settings and default action are its owner's.
    pub existing: Option<Existing>,
    pub protocol: Spanned<ListenerProtocol>,
    pub port: Spanned<u32>,
    pub certificate: Option<Spanned<Certificate>>,
    pub tls_policy: Option<String>,
    pub default: DefaultAction,
    /// Where a default action was written (`fixed_response`, `redirect`).
    pub default_span: Option<Span>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct HealthCheck {
    pub path: Spanned<String>,
    pub interval: Option<Spanned<u64>>,
    pub timeout: Option<Spanned<u64>>,
    pub healthy: Option<Spanned<u64>>,
    pub unhealthy: Option<Spanned<u64>>,
    pub matcher: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetType {
    Ip,
    Instance,
}

/// Derived: one per service route.
#[derive(Debug, Clone)]
pub struct TargetGroup {
    /// `<service>-<lb>-<port>`.
    pub name: String,
    pub physical_name: Option<Spanned<String>>,
    pub service: ServiceId,
    pub listener: ListenerRef,
    pub vpc: VpcId,
    pub port: u32,
    pub target_type: TargetType,
    /// `HTTP2` or `GRPC` when the container port's `app_protocol` says so,
    /// with where it is written.
    pub protocol_version: Option<Spanned<&'static str>>,
    pub health: HealthCheck,
    pub deregistration_delay: Option<u64>,
    /// The route this group serves.
    pub span: Span,
}

/// Derived: one per route with conditions.
#[derive(Debug, Clone)]
pub struct ListenerRule {
    pub name: String,
    pub listener: ListenerRef,
    pub priority: Spanned<u32>,
    pub paths: Spanned<Vec<String>>,
    pub hosts: Spanned<Vec<String>>,
    pub target_group: TgId,
    pub span: Span,
}

/// Where an HTTPS listener's certificate comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Certificate {
    /// An ACM (or IAM server) certificate ARN, as written.
    Arn(String),
    /// A deploy-time input (`certificate = input`): certificates are made
    /// per account and Region, outside the stack.
    Input,
}
