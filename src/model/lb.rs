//! Application and network load balancers, listeners, target groups and
//! listener rules.

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
    pub idle_timeout: Option<Spanned<u64>>,
    /// `application` or `network`, with where it is written.
    pub lb_type: Spanned<LbType>,
    pub deletion_protection: Option<Spanned<bool>>,
    pub drop_invalid_headers: Option<Spanned<bool>>,
    pub cross_zone: Option<Spanned<bool>>,
    pub access_logs: Option<AccessLogs>,
    pub listeners: Vec<Listener>,
    pub span: Span,
}

impl LoadBalancer {
    pub fn is_network(&self) -> bool {
        self.lb_type.value == LbType::Network
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LbType {
    Application,
    Network,
}

/// `access_logs { bucket prefix expire_days }`.
#[derive(Debug, Clone)]
pub struct AccessLogs {
    /// An existing bucket's name; none: ecsc derives one.
    pub bucket: Option<Spanned<String>>,
    pub prefix: Option<Spanned<String>>,
    pub expire_days: u32,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListenerProtocol {
    Http,
    Https,
    Tcp,
    Udp,
    TcpUdp,
    Tls,
}

impl ListenerProtocol {
    pub const ALL: [(&'static str, ListenerProtocol); 6] = [
        ("http", ListenerProtocol::Http),
        ("https", ListenerProtocol::Https),
        ("tcp", ListenerProtocol::Tcp),
        ("udp", ListenerProtocol::Udp),
        ("tcp_udp", ListenerProtocol::TcpUdp),
        ("tls", ListenerProtocol::Tls),
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ListenerProtocol::Http => "HTTP",
            ListenerProtocol::Https => "HTTPS",
            ListenerProtocol::Tcp => "TCP",
            ListenerProtocol::Udp => "UDP",
            ListenerProtocol::TcpUdp => "TCP_UDP",
            ListenerProtocol::Tls => "TLS",
        }
    }

    /// As written in `.ecs` files.
    pub fn word(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, p)| *p == self)
            .map_or("", |(w, _)| w)
    }

    /// A network load balancer's protocol (TCP, UDP, TCP_UDP, TLS).
    pub fn is_network(self) -> bool {
        !matches!(self, ListenerProtocol::Http | ListenerProtocol::Https)
    }

    /// Whether the listener terminates TLS (takes certificates).
    pub fn is_tls(self) -> bool {
        matches!(self, ListenerProtocol::Https | ListenerProtocol::Tls)
    }

    /// The protocol of the target groups it forwards to: HTTP behind
    /// HTTP(S), TCP behind TLS (decrypted at the load balancer), else its
    /// own.
    pub fn target_protocol(self) -> &'static str {
        match self {
            ListenerProtocol::Http | ListenerProtocol::Https => "HTTP",
            ListenerProtocol::Tcp | ListenerProtocol::Tls => "TCP",
            ListenerProtocol::Udp => "UDP",
            ListenerProtocol::TcpUdp => "TCP_UDP",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum DefaultAction {
    Fixed(FixedResponse),
    /// `redirect = https`: to HTTPS on a port, all else kept.
    Redirect {
        port: u32,
    },
    /// To the target groups of the routes without conditions: one, or
    /// several with weights.
    Forward(Vec<(TgId, Option<u32>)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct FixedResponse {
    pub status: u32,
    pub body: Option<String>,
    pub content_type: String,
}

/// `redirect { … }` of a listener's own rule: each part not given keeps
/// the request's.
#[derive(Debug, Clone, PartialEq)]
pub struct Redirect {
    pub protocol: Option<Spanned<&'static str>>,
    pub host: Option<String>,
    pub path: Option<Spanned<String>>,
    pub port: Option<u32>,
    pub query: Option<Spanned<String>>,
    pub status: u32,
    pub span: Span,
}

/// What requests a listener rule matches. Within a condition, values are
/// alternatives; all conditions must match.
#[derive(Debug, Clone, Default)]
pub struct Conditions {
    pub paths: Option<Spanned<Vec<String>>>,
    pub hosts: Option<Spanned<Vec<String>>>,
    pub methods: Option<Spanned<Vec<String>>>,
    /// Header name and the value it must match, in the order written.
    pub headers: Vec<(Spanned<String>, Spanned<String>)>,
    /// Query parameter and value, in the order written.
    pub query: Vec<(Spanned<String>, Spanned<String>)>,
    pub source_ips: Option<Spanned<Vec<String>>>,
}

impl Conditions {
    /// No condition: the listener's default action.
    pub fn is_empty(&self) -> bool {
        self.paths.is_none()
            && self.hosts.is_none()
            && self.methods.is_none()
            && self.headers.is_empty()
            && self.query.is_empty()
            && self.source_ips.is_none()
    }

    pub fn paths(&self) -> &[String] {
        self.paths.as_ref().map_or(&[], |p| &p.value)
    }

    pub fn hosts(&self) -> &[String] {
        self.hosts.as_ref().map_or(&[], |p| &p.value)
    }

    pub fn methods(&self) -> &[String] {
        self.methods.as_ref().map_or(&[], |p| &p.value)
    }

    pub fn source_ips(&self) -> &[String] {
        self.source_ips.as_ref().map_or(&[], |p| &p.value)
    }

    /// Where each written condition is, in a fixed order.
    pub fn spans(&self) -> Vec<Span> {
        let lists = [&self.paths, &self.hosts, &self.methods, &self.source_ips];
        lists
            .into_iter()
            .flatten()
            .map(|l| l.span)
            .chain(self.headers.iter().map(|(k, v)| k.span.to(v.span)))
            .chain(self.query.iter().map(|(k, v)| k.span.to(v.span)))
            .collect()
    }

    /// The same requests match, as written (order of alternatives aside).
    pub fn same_as(&self, other: &Conditions) -> bool {
        fn sorted(v: &[String]) -> Vec<&str> {
            let mut v: Vec<&str> = v.iter().map(String::as_str).collect();
            v.sort_unstable();
            v
        }
        fn pairs(v: &[(Spanned<String>, Spanned<String>)], fold: bool) -> Vec<(String, &str)> {
            let mut v: Vec<(String, &str)> = v
                .iter()
                .map(|(k, x)| {
                    let key = if fold {
                        k.value.to_ascii_lowercase()
                    } else {
                        k.value.clone()
                    };
                    (key, x.value.as_str())
                })
                .collect();
            v.sort_unstable();
            v
        }
        sorted(self.paths()) == sorted(other.paths())
            && sorted(self.hosts()) == sorted(other.hosts())
            && sorted(self.methods()) == sorted(other.methods())
            && sorted(self.source_ips()) == sorted(other.source_ips())
            && pairs(&self.headers, true) == pairs(&other.headers, true)
            && pairs(&self.query, false) == pairs(&other.query, false)
    }
}

#[derive(Debug, Clone)]
pub struct Listener {
    /// Set for a listener that exists already (its ARN): routes add rules
    /// to it; its settings and default action are its owner's.
    pub existing: Option<Existing>,
    pub protocol: Spanned<ListenerProtocol>,
    pub port: Spanned<u32>,
    pub certificate: Option<Spanned<Certificate>>,
    /// More certificates, chosen by SNI.
    pub sni_certificates: Option<Spanned<Vec<String>>>,
    pub tls_policy: Option<String>,
    /// `rule NAME { … }`: rules that redirect or answer themselves; their
    /// listener rules are derived with the routes'.
    pub rules: Vec<OwnRule>,
    pub default: DefaultAction,
    /// Where a default action was written (`fixed_response`, `redirect`).
    pub default_span: Option<Span>,
    pub span: Span,
}

/// A listener's own rule (`rule NAME { … }`).
#[derive(Debug, Clone)]
pub struct OwnRule {
    pub name: Name,
    pub conditions: Conditions,
    pub priority: Option<Spanned<u32>>,
    pub action: OwnAction,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum OwnAction {
    Redirect(Redirect),
    Fixed(FixedResponse),
}

/// `http`, `https` or `tcp`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HealthProtocol {
    Http,
    Https,
    Tcp,
}

impl HealthProtocol {
    pub const ALL: [(&'static str, HealthProtocol); 3] = [
        ("http", HealthProtocol::Http),
        ("https", HealthProtocol::Https),
        ("tcp", HealthProtocol::Tcp),
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            HealthProtocol::Http => "HTTP",
            HealthProtocol::Https => "HTTPS",
            HealthProtocol::Tcp => "TCP",
        }
    }
}

/// `sticky { duration cookie }` of a route.
#[derive(Debug, Clone)]
pub struct Sticky {
    pub duration: Option<Spanned<u64>>,
    pub cookie: Option<Spanned<String>>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct HealthCheck {
    /// Where a path was written; `/` when none was.
    pub path: Spanned<String>,
    pub path_written: bool,
    pub protocol: Option<Spanned<HealthProtocol>>,
    pub port: Option<Spanned<u32>>,
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
    /// `HTTP`, `TCP`, `UDP` or `TCP_UDP`: the listener's
    /// [`target_protocol`](ListenerProtocol::target_protocol).
    pub protocol: &'static str,
    pub health: HealthCheck,
    pub deregistration_delay: Option<u64>,
    pub sticky: Option<Sticky>,
    /// The route this group serves.
    pub span: Span,
}

/// Derived: one per route with conditions (routes of several services with
/// the same listener, conditions and weights share one), and one per
/// listener's own rule.
#[derive(Debug, Clone)]
pub struct ListenerRule {
    pub name: String,
    pub listener: ListenerRef,
    pub priority: Spanned<u32>,
    pub conditions: Conditions,
    pub action: RuleAction,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RuleAction {
    /// To one target group, or several with their weights.
    Forward(Vec<(TgId, Option<u32>)>),
    Own(OwnAction),
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
