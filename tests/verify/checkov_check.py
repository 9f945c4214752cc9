#!/usr/bin/env python3
"""Run checkov once, offline, over many CloudFormation or Terraform JSON files.

usage: checkov_check.py [--framework cloudformation|terraform_json]
                        --baseline BASELINE_FILE FILE...

Passes when every failed check is listed in BASELINE_FILE (one per line,
`CKV_ID  # reason`; shared by both frameworks), checkov parsed every file
(parsing_errors == 0; for .tf.json a `required_version` in the terraform
block is a known parser crash) and ran at least one check on each file.
Terraform JSON needs `--framework terraform_json`: `--framework terraform`
silently checks nothing.

A canary file (a security group with SSH open to the world, CKV_AWS_24) is
scanned in the same call: if checkov does not flag it, the scan is broken and
the run fails.

Exit codes: 0 pass, 1 findings (or canary not caught), 2 usage/tool failure.
"""
import argparse
import json
import os
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


def read_ids(path):
    """Check ids from a `CKV_ID  # reason` file; blank and comment lines skipped."""
    with open(path, encoding="utf-8") as f:
        return {l.split("#", 1)[0].strip() for l in f} - {""}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--framework", choices=sorted(CANARIES), default="cloudformation")
    ap.add_argument("--baseline", required=True)
    ap.add_argument("templates", nargs="+")
    args = ap.parse_args()
    baseline = read_ids(args.baseline)
    if CANARY_CHECK in baseline:
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
    used = set()
    for t in args.templates:
        key = os.path.abspath(t)
        new = [c for c in failed[key] if c["check_id"] not in baseline]
        used |= {c["check_id"] for c in failed[key]} & baseline
        problems = []
        if ran[key] == 0:
            problems.append("    no checks ran on this file")
        for c in new:
            problems.append(f"    {c['check_id']} {c['resource']} lines {c['file_line_range']}: "
                            f"{c['check_name']}")
        print(f"{'FAIL' if problems else 'ok'} checkov {t} ({ran[key]} checks, "
              f"{len(failed[key]) - len(new)} baselined)")
        for line in problems:
            print(line)
        bad += bool(problems)

    canary_ids = {c["check_id"] for c in failed[os.path.abspath(canary)]}
    if CANARY_CHECK not in canary_ids:
        print(f"FAIL checkov canary: expected {CANARY_CHECK}, got {sorted(canary_ids) or 'nothing'}")
        bad += 1
    for unused in sorted(baseline - used):
        print(f"note: baseline entry {unused} matched nothing here (used by the other framework?)")
    print(f"checkov {args.framework}: {len(args.templates)} files, {bad} failing, summary {summary}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
