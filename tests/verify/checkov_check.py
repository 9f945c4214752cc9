#!/usr/bin/env python3
"""Run checkov once, offline, over many CloudFormation or Terraform JSON files.

usage: checkov_check.py [--framework cloudformation|terraform_json]
                        --baseline BASELINE_FILE FILE...

Passes when every failed check is waived in BASELINE_FILE for that resource
of that example, every waiver of this framework is still used, checkov
parsed every file (parsing_errors == 0; for .tf.json a `required_version` in
the terraform block is a known parser crash) and ran at least one check on
each file.

A waiver is one line, `CHECK_ID  EXAMPLES  RESOURCES  # reason`: EXAMPLES
and RESOURCES are comma-separated globs (fnmatch) of example builds and of
resource ids, `AWS::Type.LogicalId` (CloudFormation) or `aws_type.name`
(Terraform); a pattern belongs to the framework its form names. The
reason is required. An example build is named after its file: `NAME.json`
(CloudFormation) or `NAME/main.tf.json` (Terraform).
Terraform JSON needs `--framework terraform_json`: `--framework terraform`
silently checks nothing.

A canary file (a security group with SSH open to the world, CKV_AWS_24) is
scanned in the same call: if checkov does not flag it, the scan is broken and
the run fails.

Exit codes: 0 pass, 1 findings (or canary not caught), 2 usage/tool failure.
"""
import argparse
import fnmatch
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import defaultdict

# One canary per framework, with the file name checkov expects for it.
CANARIES = {}
CANARIES["cloudformation"] = ("canary.json", {
    "AWSTemplateFormatVersion": "2010-09-09",
    "Resources": {
        "CanarySg": {
            "Type": "AWS::EC2::SecurityGroup",
            "Properties": {
                "GroupDescription": "canary",
                "SecurityGroupIngress": [
                    {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
                     "CidrIp": "0.0.0.0/0", "Description": "ssh"}
                ],
            },
        }
    },
})
CANARIES["terraform_json"] = ("main.tf.json", {
    "resource": {
        "aws_security_group": {
            "canary": {
                "name": "canary",
                "description": "canary",
                "ingress": [{"from_port": 22, "to_port": 22, "protocol": "tcp",
                             "cidr_blocks": ["0.0.0.0/0"], "description": "ssh"}],
            }
        }
    }
})
CANARY_CHECK = "CKV_AWS_24"


class Waiver:
    """One line of the baseline."""

    def __init__(self, number, check, examples, resources, reason):
        self.number = number
        self.check = check
        self.examples = examples
        self.resources = resources
        self.reason = reason
        self.used = set()  # patterns that matched something

    def matches(self, check, example, resource):
        if check != self.check or not any(fnmatch.fnmatchcase(example, e) for e in self.examples):
            return False
        hit = [r for r in self.resources if fnmatch.fnmatchcase(resource, r)]
        self.used.update(hit)
        return bool(hit)

    def __str__(self):
        return f"line {self.number}: {self.check} {','.join(self.examples)} {','.join(self.resources)}"


def framework_of(pattern):
    return "cloudformation" if pattern.startswith("AWS::") else "terraform_json"


def read_waivers(path):
    """The waivers of a baseline file, or raises ValueError on a malformed line."""
    waivers = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            fields, _, reason = line.partition("#")
            parts = fields.split()
            if len(parts) != 3 or not reason.strip():
                raise ValueError(f"{path}:{number}: expected `CHECK_ID  EXAMPLES  RESOURCES  # reason`")
            check, examples, resources = parts
            waivers.append(Waiver(number, check, examples.split(","), resources.split(","),
                                  reason.strip()))
    return waivers


def example_of(path):
    """`hello` for out/hello.json and for out/hello/main.tf.json."""
    name = os.path.basename(path)
    if name == "main.tf.json":
        return os.path.basename(os.path.dirname(os.path.abspath(path)))
    return name[:-len(".json")] if name.endswith(".json") else name


_LINES = {}


def resource_id(check):
    """checkov's resource id, with the Terraform type restored where checkov
    gives `resource.NAME`: the enclosing key of the block's first line."""
    resource = check["resource"]
    if not resource.startswith("resource."):
        return resource
    path = check["file_abs_path"]
    if path not in _LINES:
        with open(path, encoding="utf-8") as f:
            _LINES[path] = f.read().split("\n")
    lines = _LINES[path]
    start = check["file_line_range"][0] - 1
    indent = lambda l: len(l) - len(l.lstrip(" "))
    if 0 <= start < len(lines):
        for line in reversed(lines[:start]):
            if line.strip() and indent(line) < indent(lines[start]):
                m = re.match(r'\s*"([a-z0-9_]+)":\s*\{', line)
                if m:
                    return f"{m.group(1)}.{resource[len('resource.'):]}"
                break
    return resource


def self_test():
    """The waiver mechanism itself, on made-up findings: a waiver holds for
    its examples and resources only, and Terraform ids get their type back."""
    w = Waiver(1, "CKV_X", ["env*", "hello"], ["AWS::S3::Bucket.Log*", "aws_s3_bucket.logs"], "r")
    assert w.matches("CKV_X", "environments-staging", "AWS::S3::Bucket.LogBucket")
    assert not w.matches("CKV_X", "web-worker", "AWS::S3::Bucket.LogBucket")
    assert not w.matches("CKV_X", "hello", "AWS::S3::Bucket.Data")
    assert not w.matches("CKV_Y", "hello", "aws_s3_bucket.logs")
    assert w.used == {"AWS::S3::Bucket.Log*"}
    assert framework_of("aws_lb.*") == "terraform_json"
    assert example_of("/x/hello/main.tf.json") == "hello"
    assert example_of("/x/environments-production.json") == "environments-production"
    tf = tempfile.NamedTemporaryFile("w", suffix=".tf.json", delete=False)
    tf.write('{\n  "resource": {\n    "aws_lb": {\n      "web": {\n        "name": "x"\n      }\n    }\n  }\n}\n')
    tf.close()
    got = resource_id({"resource": "resource.web", "file_abs_path": tf.name, "file_line_range": [4, 6]})
    assert got == "aws_lb.web", got


def main():
    self_test()
    ap = argparse.ArgumentParser()
    ap.add_argument("--framework", choices=sorted(CANARIES), default="cloudformation")
    ap.add_argument("--baseline", required=True)
    ap.add_argument("templates", nargs="+")
    args = ap.parse_args()
    try:
        waivers = read_waivers(args.baseline)
    except ValueError as e:
        print(e)
        return 2
    if any(w.check == CANARY_CHECK for w in waivers):
        print(f"{CANARY_CHECK} must not be baselined: the canary relies on it")
        return 2

    canary_name, canary_body = CANARIES[args.framework]
    canary = os.path.join(tempfile.mkdtemp(prefix="checkov-canary-"), canary_name)
    with open(canary, "w", encoding="utf-8") as f:
        json.dump(canary_body, f)

    exe = os.path.join(os.path.dirname(sys.executable), "checkov")
    cmd = [exe, "--skip-download", "--framework", args.framework, "-o", "json"]
    for t in [*args.templates, canary]:
        cmd += ["-f", t]
    # No API key and --skip-download: checkov stays offline.
    env = dict(os.environ, BC_SKIP_MAPPING="TRUE", CHECKOV_RUN_SCA_PACKAGE_SCAN_V2="false")
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        print(f"checkov exited {proc.returncode} without JSON output")
        print(proc.stdout, proc.stderr, sep="\n")
        return 2
    if isinstance(report, list):  # one report per framework; we asked for one
        report = next((r for r in report if r.get("check_type") == args.framework), {})
    if proc.returncode not in (0, 1) or "results" not in report:
        print(f"checkov exited {proc.returncode}; report: {json.dumps(report)[:2000]}")
        print(proc.stderr[-4000:])
        return 2

    summary = report["summary"]
    results = report["results"]
    # Checks run per file, keyed by absolute path.
    ran = defaultdict(int)
    failed = defaultdict(list)
    for c in results.get("passed_checks", []):
        ran[os.path.abspath(c["file_abs_path"])] += 1
    for c in results.get("failed_checks", []):
        path = os.path.abspath(c["file_abs_path"])
        ran[path] += 1
        failed[path].append(c)

    bad = 0
    if summary.get("parsing_errors", 0) != 0:
        print(f"FAIL checkov parsing_errors={summary['parsing_errors']}: "
              f"{results.get('parsing_errors')}")
        bad += 1
    for t in args.templates:
        key = os.path.abspath(t)
        example = example_of(t)

        def waived(c):
            # Every waiver that matches is marked used, not just the first.
            hits = [w.matches(c["check_id"], example, resource_id(c)) for w in waivers]
            return any(hits)

        new = [c for c in failed[key] if not waived(c)]
        problems = []
        if ran[key] == 0:
            problems.append("    no checks ran on this file")
        for c in new:
            problems.append(f"    {c['check_id']} {resource_id(c)} lines {c['file_line_range']}: "
                            f"{c['check_name']} (no waiver for example {example})")
        print(f"{'FAIL' if problems else 'ok'} checkov {t} ({ran[key]} checks, "
              f"{len(failed[key]) - len(new)} baselined)")
        for line in problems:
            print(line)
        bad += bool(problems)

    canary_ids = {c["check_id"] for c in failed[os.path.abspath(canary)]}
    if CANARY_CHECK not in canary_ids:
        print(f"FAIL checkov canary: expected {CANARY_CHECK}, got {sorted(canary_ids) or 'nothing'}")
        bad += 1
    for w in waivers:
        stale = [r for r in w.resources
                 if framework_of(r) == args.framework and r not in w.used]
        if stale:
            print(f"FAIL stale waiver {w}: {','.join(stale)} matched no failed check; "
                  f"remove or narrow it")
            bad += 1
    print(f"checkov {args.framework}: {len(args.templates)} files, {bad} failing, summary {summary}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
