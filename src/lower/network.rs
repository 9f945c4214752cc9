//! Lowering of `vpc`, `subnet`, `nat_gateway`, `security_group` and
//! `endpoint` declarations.

use super::existing::{existing, needed_when_new, says_existing};
use super::reader::{Cx, Reader};
use super::symbols::Kind;
use crate::diagnostic::Diagnostic;
use crate::model::*;
use crate::source::Spanned;
use crate::syntax::ast::{Block, StatementKind, ValueKind};

/// A block's name, or an empty one at its keyword when it has none.
pub(super) fn name_of(block: &Block) -> Name {
    let n = block.name.as_ref();
    Name {
        name: n.map(|n| n.name.clone()).unwrap_or_default(),
        span: n.map_or(block.kind.span, |n| n.span),
    }
}

pub(super) fn header(block: &Block, kind: Kind) -> (Name, String) {
    let name = name_of(block);
    let what = format!("{} `{}`", kind.noun(), name.name);
    (name, what)
}

/// A reader for a top-level declaration of `kind`.
pub(super) fn declaration<'b>(cx: &mut Cx<'_>, block: &'b Block, kind: Kind) -> (Name, Reader<'b>) {
    let (name, what) = header(block, kind);
    let r = Reader::new(
        cx,
        crate::schema::declaration(kind),
        what,
        name.span,
        &block.members,
    );
    (name, r)
}

pub fn vpc(cx: &mut Cx<'_>, block: &Block) -> Vpc {
    let (name, mut r) = declaration(cx, block, Kind::Vpc);
    let existing = existing(cx, &mut r, Kind::Vpc);
    let cidr = r.cidr(cx, "cidr");
    if cidr.is_none() && existing.is_none() && !says_existing(&r) && r.key_span("cidr").is_none() {
        needed_when_new(cx, &r, Kind::Vpc, &name, "cidr");
    }
    // Stated facts for an existing VPC; settings (default on) for a new one.
    let is_existing = says_existing(&r);
    let mut setting = |r: &mut Reader<'_>, key: &'static str| {
        let stated = r.key_span(key).is_some();
        let flag = r.flag(cx, key, true);
        (stated || !is_existing).then_some(flag)
    };
    let dns_support = setting(&mut r, "dns_support");
    let dns_hostnames = setting(&mut r, "dns_hostnames");
    r.finish(cx);
    Vpc {
        name,
        existing,
        cidr,
        dns_support,
        dns_hostnames,
        span: block.span,
    }
}

/// A subnet; `vpcs` are the VPCs lowered so far (all of them: VPCs come
/// first), to check what an existing VPC allows.
pub fn subnet(cx: &mut Cx<'_>, block: &Block, vpcs: &[Vpc]) -> Subnet {
    let (name, mut r) = declaration(cx, block, Kind::Subnet);
    let existing = existing(cx, &mut r, Kind::Subnet);
    let vpc = r
        .reference(cx, "vpc", Kind::Vpc)
        .map_or(VpcId(0), |v| VpcId(v.value));
    let cidr = r.cidr(cx, "cidr");
    let zone = r.string(cx, "zone").map(|z| zone(cx, z));
    if existing.is_none() && !says_existing(&r) {
        if cidr.is_none() && r.key_span("cidr").is_none() {
            needed_when_new(cx, &r, Kind::Subnet, &name, "cidr");
        }
        if zone.is_none() && r.key_span("zone").is_none() {
            needed_when_new(cx, &r, Kind::Subnet, &name, "zone");
        }
    }
    let public = r.flag(cx, "public", false);
    let nat_span = r.key_span("nat");
    let in_existing_vpc = vpcs.get(vpc.0).filter(|v| v.existing.is_some());
    if let (None, true, Some(v)) = (&existing, public.value, in_existing_vpc) {
        cx.error(
            Diagnostic::error(
                "E008",
                public.span,
                format!("subnet `{}` is a new public subnet in an existing VPC", name.name),
            )
            .label("would need the VPC's internet gateway, which ecsc does not know")
            .with(v.name.span, format!("VPC `{}` exists already", v.name.name))
            .help(format!(
                "declare the public subnet that exists (`subnet {} {{ id = \"subnet-…\"  vpc = {} }}`), or make this one private",
                name.name, v.name.name
            )),
        );
    }
    if let (Some(_), Some(span)) = (&existing, nat_span) {
        cx.error(
            Diagnostic::error(
                "E008",
                span,
                format!(
                    "subnet `{}` exists already and keeps its own routes",
                    name.name
                ),
            )
            .label("ecsc does not change an existing subnet's routes")
            .help("remove `nat`: the subnet's route table decides where its traffic goes"),
        );
    }
    let public = public.value;
    let nat = r
        .reference(cx, "nat", Kind::NatGateway)
        .map(|n| NatId(n.value));
    r.finish(cx);
    Subnet {
        name,
        existing,
        vpc,
        cidr,
        zone,
        public,
        nat,
        route_table: None,
        span: block.span,
    }
}

/// `"b"` → `eu-central-1b`; a full zone name must be in the stack's Region.
fn zone(cx: &mut Cx<'_>, z: Spanned<String>) -> Spanned<String> {
    let v = &z.value;
    if v.len() == 1 && v.chars().all(|c| c.is_ascii_lowercase()) {
        return Spanned::new(format!("{}{v}", cx.region), z.span);
    }
    let letter_ok = v.len() == cx.region.len() + 1
        && v.starts_with(&cx.region)
        && v.ends_with(|c: char| c.is_ascii_lowercase());
    if !letter_ok && !cx.region.is_empty() {
        cx.range_error(
            "zone",
            z.span,
            format!("`{v}` is not an availability zone of {}", cx.region),
            format!(
                "write the zone letter (\"a\", \"b\", …) or a full zone name such as \"{}a\"",
                cx.region
            ),
        );
    }
    z
}

pub fn nat_gateway(cx: &mut Cx<'_>, block: &Block) -> NatGateway {
    let (name, mut r) = declaration(cx, block, Kind::NatGateway);
    let subnet = r
        .reference(cx, "subnet", Kind::Subnet)
        .map_or(Spanned::new(SubnetId(0), name.span), |s| {
            Spanned::new(SubnetId(s.value), s.span)
        });
    let enabled = r.flag(cx, "enabled", true).value;
    r.finish(cx);
    NatGateway {
        name,
        subnet,
        enabled,
        span: block.span,
    }
}

const PROTOCOLS: &[(&str, Protocol)] = &[
    ("tcp", Protocol::Tcp),
    ("udp", Protocol::Udp),
    ("icmp", Protocol::Icmp),
    ("all", Protocol::All),
];

/// The characters EC2 takes in a VPC security group's description
/// (CreateSecurityGroup, `GroupDescription`: up to 255 of `a-zA-Z0-9`,
/// spaces and `._-:/()#,@[]+=&;{}!$*`).
fn group_description(cx: &mut Cx<'_>, d: &Spanned<String>) {
    let allowed = |c: char| c.is_ascii_alphanumeric() || " ._-:/()#,@[]+=&;{}!$*".contains(c);
    let length = d.value.chars().count();
    if let Some(bad) = d.value.chars().find(|c| !allowed(*c)) {
        let kept: String = d.value.chars().filter(|c| allowed(*c)).collect();
        let fixed = kept.split_whitespace().collect::<Vec<_>>().join(" ");
        cx.range_error(
            "description",
            d.span,
            format!("has `{bad}`, which EC2 does not take in a security group's description"),
            if fixed.trim().is_empty() {
                "use letters, digits, spaces and `._-:/()#,@[]+=&;{}!$*` only, or remove `description`".to_string()
            } else {
                format!(
                    "use letters, digits, spaces and `._-:/()#,@[]+=&;{{}}!$*` only, e.g. `description = \"{}\"`",
                    fixed.trim().chars().take(255).collect::<String>()
                )
            },
        );
    } else if length > 255 {
        cx.range_error(
            "description",
            d.span,
            format!("is {length} characters long; EC2 takes at most 255"),
            "shorten it to 255 characters or fewer".into(),
        );
    }
}

pub fn security_group(cx: &mut Cx<'_>, block: &Block) -> SecurityGroup {
    let (name, mut r) = declaration(cx, block, Kind::SecurityGroup);
    let existing = existing(cx, &mut r, Kind::SecurityGroup);
    let vpc = r
        .reference(cx, "vpc", Kind::Vpc)
        .map_or(Spanned::new(VpcId(0), name.span), |v| {
            Spanned::new(VpcId(v.value), v.span)
        });
    let description = r
        .string(cx, "description")
        .map(|d| {
            if existing.is_none() {
                group_description(cx, &d);
            }
            d.value
        })
        .unwrap_or_else(|| format!("{} security group", name.name));
    let rules = r.statements("ingress", |s| match &s.kind {
        StatementKind::SgRule { .. } => Some(s),
        _ => None,
    });
    r.statements("egress", |_| None::<()>);
    r.finish(cx);
    let mut ingress = Vec::new();
    let mut egress = Vec::new();
    for s in rules {
        let StatementKind::SgRule {
            egress: is_egress,
            protocol,
            ports,
            peer,
            word,
        } = &s.kind
        else {
            continue;
        };
        let (direction, expected_word) = if *is_egress {
            ("egress", "to")
        } else {
            ("ingress", "from")
        };
        if word.name != expected_word {
            cx.error(
                Diagnostic::error(
                    "E008",
                    word.span,
                    format!("{direction} rules take `{expected_word}`, not `{}`", word.name),
                )
                .label(format!("expected `{expected_word}`"))
                .help(format!(
                    "write `{direction} {} ... {expected_word} <peer>`: ingress comes from a peer, egress goes to one",
                    protocol.name
                )),
            );
            continue;
        }
        let proto_value = crate::syntax::ast::Value {
            kind: ValueKind::Ref(protocol.clone()),
            span: protocol.span,
        };
        let Some(proto) = super::reader::keyword_value(cx, "protocol", &proto_value, PROTOCOLS)
        else {
            continue;
        };
        let ports = match ports.as_ref().map(|p| (&p.kind, p.span)) {
            None => None,
            Some((ValueKind::Int(n), span)) => Some(Spanned::new((clamp(*n), clamp(*n)), span)),
            Some((ValueKind::PortRange(a, b), span)) => {
                Some(Spanned::new((clamp(*a), clamp(*b)), span))
            }
            Some((_, span)) => {
                cx.error(
                    Diagnostic::error("E007", span, "a port must be a number or a range")
                        .help("write `80` or `8000-8080`"),
                );
                None
            }
        };
        let peer_value = match &peer.kind {
            ValueKind::Cidr(c) => Some(Spanned::new(Peer::Cidr(*c), peer.span)),
            ValueKind::Ref(id) => cx
                .symbols
                .resolve(id, &[Kind::SecurityGroup, Kind::Endpoint], cx.diags)
                .map(|(kind, i)| {
                    let p = if kind == Kind::SecurityGroup {
                        Peer::Group(SgId(i))
                    } else {
                        Peer::PrefixList(EndpointId(i))
                    };
                    Spanned::new(p, peer.span)
                }),
            _ => None,
        };
        let Some(peer) = peer_value else { continue };
        let rule = SgRule {
            protocol: proto,
            ports,
            peer,
            span: s.span,
        };
        if *is_egress {
            egress.push(rule)
        } else {
            ingress.push(rule)
        }
    }
    SecurityGroup {
        name,
        existing,
        vpc,
        description,
        ingress,
        egress,
        span: block.span,
    }
}

/// VPC endpoint services (short names) a container stack commonly uses,
/// from the AWS PrivateLink guide's "AWS services that integrate with AWS
/// PrivateLink" (November 2026). Not a complete list: a name that is not
/// here is reported only when it is within two edits of one that is
/// (`ecr-dkr`, `secretmanager`), or is `ecr` (which is two services).
const ENDPOINT_SERVICES: &[&str] = &[
    "application-autoscaling",
    "appmesh-envoy-management",
    "autoscaling",
    "codeartifact.api",
    "codeartifact.repositories",
    "dynamodb",
    "ec2",
    "ec2messages",
    "ecr.api",
    "ecr.dkr",
    "ecs",
    "ecs-agent",
    "ecs-telemetry",
    "elasticfilesystem",
    "elasticloadbalancing",
    "events",
    "execute-api",
    "kms",
    "lambda",
    "logs",
    "monitoring",
    "s3",
    "secretsmanager",
    "servicediscovery",
    "sns",
    "sqs",
    "ssm",
    "ssmmessages",
    "sts",
    "xray",
];

/// A short endpoint service name that looks like a typo of a known one
/// (CreateVpcEndpoint fails: "The Vpc Endpoint Service '…' does not
/// exist").
fn endpoint_service_typo(cx: &mut Cx<'_>, s: &Spanned<String>) {
    let v = s.value.as_str();
    if v.starts_with("com.") || ENDPOINT_SERVICES.contains(&v) {
        return;
    }
    let help = if v == "ecr" {
        "ECR takes two endpoints: one `service = \"ecr.api\"` and one `service = \"ecr.dkr\"` (and an `s3` gateway endpoint for the image layers)".to_string()
    } else {
        let near = ENDPOINT_SERVICES
            .iter()
            .map(|k| (crate::suggest::distance(v, k), *k))
            .min()
            .filter(|(d, _)| *d <= 2 && v.len() >= 5);
        match near {
            Some((_, k)) => format!("did you mean `service = \"{k}\"`?"),
            None => return,
        }
    };
    cx.range_error(
        "service",
        s.span,
        format!("is `{v}`, which is not a VPC endpoint service"),
        help,
    );
}

pub fn endpoint(cx: &mut Cx<'_>, block: &Block) -> Endpoint {
    let (name, mut r) = declaration(cx, block, Kind::Endpoint);
    let vpc = r
        .reference(cx, "vpc", Kind::Vpc)
        .map_or(Spanned::new(VpcId(0), name.span), |v| {
            Spanned::new(VpcId(v.value), v.span)
        });
    let service = r
        .string(cx, "service")
        .map(|s| {
            // Accept the full name too: com.amazonaws.<region>.ecr.api
            let prefix = format!("com.amazonaws.{}.", cx.region);
            let short = match s.value.strip_prefix(&prefix) {
                Some(short) => Spanned::new(short.to_string(), s.span),
                None => s,
            };
            endpoint_service_typo(cx, &short);
            short
        })
        .unwrap_or_else(|| Spanned::new(String::new(), name.span));
    let inferred = if matches!(service.value.as_str(), "s3" | "dynamodb") {
        EndpointKind::Gateway
    } else {
        EndpointKind::Interface
    };
    let kind = r
        .keyword(
            cx,
            "type",
            &[
                ("interface", EndpointKind::Interface),
                ("gateway", EndpointKind::Gateway),
            ],
        )
        .map_or(inferred, |k| k.value);
    let subnets = r
        .references(cx, "subnets", Kind::Subnet)
        .map(|s| Spanned::new(s.value.into_iter().map(SubnetId).collect(), s.span))
        .unwrap_or_else(|| Spanned::new(Vec::new(), name.span));
    let security_groups = r
        .references(cx, "security_groups", Kind::SecurityGroup)
        .map(|s| Spanned::new(s.value.into_iter().map(SgId).collect(), s.span))
        .unwrap_or_else(|| Spanned::new(Vec::new(), name.span));
    let private_dns = r.flag(cx, "private_dns", kind == EndpointKind::Interface);
    r.finish(cx);
    Endpoint {
        name,
        vpc,
        service,
        kind,
        subnets,
        security_groups,
        private_dns,
        route_tables: Vec::new(),
        span: block.span,
    }
}

/// A port as written, kept out of range (rather than wrapped) for E015.
fn clamp(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
