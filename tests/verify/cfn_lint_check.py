#!/usr/bin/env python3
"""Run cfn-lint once over many CloudFormation templates (JSON and YAML).

usage: cfn_lint_check.py --ignore IGNORE_FILE TEMPLATE...

Passes when no template has an error or a warning (informational findings
are printed but allowed). Rule ids listed in IGNORE_FILE (one per line,
`RULEID  # reason`) are passed to cfn-lint as --ignore-checks.

A canary template with a known error (Fargate cpu "3", rule E3047) is linted
in the same call: if cfn-lint does not report it, the check itself is broken
and the run fails. This keeps the suite from passing vacuously.

Exit codes: 0 pass, 1 findings (or canary not caught), 2 usage/tool failure.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

# cfn-lint exit code bits (https://github.com/aws-cloudformation/cfn-lint#exit-codes)
EXIT_ERROR, EXIT_WARNING, EXIT_INFO = 2, 4, 8

CANARY = {
    "AWSTemplateFormatVersion": "2010-09-09",
    "Resources": {
        "CanaryTask": {
            "Type": "AWS::ECS::TaskDefinition",
            "Properties": {
                "RequiresCompatibilities": ["FARGATE"],
                "NetworkMode": "awsvpc",
                "Cpu": "3",  # not a valid Fargate size -> E3047
                "Memory": "512",
                "ContainerDefinitions": [{"Name": "c", "Image": "busybox"}],
            },
        }
    },
}
CANARY_RULE = "E3047"


def read_rule_ids(path):
    """Rule ids from a `RULEID  # reason` file; blank and comment lines skipped."""
    ids = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            rule = line.split("#", 1)[0].strip()
            if rule:
                ids.append(rule)
    return ids


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ignore", required=True)
    ap.add_argument("templates", nargs="+")
    args = ap.parse_args()

    ignored = read_rule_ids(args.ignore)
    if CANARY_RULE in ignored:
        print(f"{CANARY_RULE} must not be ignored: the canary relies on it")
        return 2

    tmp = tempfile.mkdtemp(prefix="cfn-lint-canary-")
    canary = os.path.join(tmp, "canary.json")
    with open(canary, "w", encoding="utf-8") as f:
        json.dump(CANARY, f)

    # cfn-lint is installed next to this interpreter (the test's venv).
    exe = os.path.join(os.path.dirname(sys.executable), "cfn-lint")
    cmd = [exe, "--format", "json"]
    if ignored:
        cmd += ["--ignore-checks", *ignored]
    cmd += ["--", *args.templates, canary]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    try:
        matches = json.loads(proc.stdout or "[]")
    except json.JSONDecodeError:
        print(f"cfn-lint exited {proc.returncode} without JSON output")
        print(proc.stdout, proc.stderr, sep="\n")
        return 2
    if proc.returncode & ~(EXIT_ERROR | EXIT_WARNING | EXIT_INFO):
        # Any other bit (1, 16, 32) means cfn-lint itself failed.
        print(f"cfn-lint failed with exit code {proc.returncode}")
        print(proc.stderr)
        return 2

    # Group findings per file; cfn-lint reports the path as given.
    by_file = {t: [] for t in args.templates}
    canary_hits = []
    for m in matches:
        if os.path.abspath(m["Filename"]) == canary:
            canary_hits.append(m["Rule"]["Id"])
        else:
            by_file.setdefault(m["Filename"], []).append(m)

    failed = 0
    for path, found in by_file.items():
        bad = [m for m in found if m["Level"] in ("Error", "Warning")]
        status = "FAIL" if bad else "ok"
        failed += bool(bad)
        print(f"{status} cfn-lint {path}")
        for m in found:
            loc = m["Location"]
            where = "/".join(str(p) for p in loc.get("Path") or [])
            line = loc["Start"]["LineNumber"]
            print(f"    {m['Level']} {m['Rule']['Id']} line {line} {where}: {m['Message']}")

    if CANARY_RULE not in canary_hits:
        print(f"FAIL cfn-lint canary: expected {CANARY_RULE}, got {canary_hits or 'nothing'}")
        failed += 1
    print(f"cfn-lint: {len(args.templates)} templates, {failed} failing, exit code {proc.returncode}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
