#!/usr/bin/env python3
"""Run cfn-lint once over many CloudFormation templates (JSON and YAML).

usage: cfn_lint_check.py --ignore IGNORE_FILE TEMPLATE...

Passes when no template has an error or a warning (informational findings
are printed but allowed). Rule ids listed in IGNORE_FILE (one per line,
`RULEID  # reason`) are passed to cfn-lint as --ignore-checks.

The templates are shared out, balanced by size, over one cfn-lint process
per core (at most four), run at once: cfn-lint is single-threaded, and the
1,000-service split stack alone is 8.7 MB of templates. Each process lints
its own copy of a canary template with a known error (Fargate cpu "3", rule
E3047): if any process does not report it, the check itself is broken and
the run fails. This keeps the suite from passing vacuously.

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

    # cfn-lint is installed next to this interpreter (the test's venv).
    exe = os.path.join(os.path.dirname(sys.executable), "cfn-lint")
    tmp = tempfile.mkdtemp(prefix="cfn-lint-canary-")
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    batches = batches_by_size(args.templates, min(cores or 1, 4))
    runs = []
    for i, batch in enumerate(batches):
        canary = os.path.join(tmp, f"canary-{i}.json")
        with open(canary, "w", encoding="utf-8") as f:
            json.dump(CANARY, f)
        cmd = [exe, "--format", "json"]
        if ignored:
            cmd += ["--ignore-checks", *ignored]
        cmd += ["--", *batch, canary]
        # Into files, not pipes: no process waits for another to be read.
        out = open(os.path.join(tmp, f"out-{i}.json"), "w+", encoding="utf-8")
        err = open(os.path.join(tmp, f"err-{i}.txt"), "w+", encoding="utf-8")
        runs.append((canary, subprocess.Popen(cmd, stdout=out, stderr=err), out, err))

    matches, canaries, codes, broken = [], {}, [], False
    for canary, proc, out, err in runs:
        proc.wait()
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
        codes.append(proc.returncode)
        try:
            found = json.loads(stdout or "[]")
        except json.JSONDecodeError:
            print(f"cfn-lint exited {proc.returncode} without JSON output")
            print(stdout, stderr, sep="\n")
            broken = True
            continue
        if proc.returncode & ~(EXIT_ERROR | EXIT_WARNING | EXIT_INFO):
            # Any other bit (1, 16, 32) means cfn-lint itself failed.
            print(f"cfn-lint failed with exit code {proc.returncode}")
            print(stderr)
            broken = True
            continue
        canaries[canary] = []
        for m in found:
            if os.path.abspath(m["Filename"]) == canary:
                canaries[canary].append(m["Rule"]["Id"])
            else:
                matches.append(m)
    if broken:
        return 2

    # Group findings per file; cfn-lint reports the path as given.
    by_file = {t: [] for t in args.templates}
    for m in matches:
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

    for canary, hits in canaries.items():
        if CANARY_RULE not in hits:
            print(f"FAIL cfn-lint canary {canary}: expected {CANARY_RULE}, got {hits or 'nothing'}")
            failed += 1
    print(
        f"cfn-lint: {len(args.templates)} templates in {len(batches)} processes, "
        f"{failed} failing, exit codes {codes}"
    )
    return 1 if failed else 0


def batches_by_size(templates, n):
    """`templates` in at most `n` batches of about equal size: each, largest
    first, goes to the batch with the fewest bytes so far."""
    batches = [[] for _ in range(max(1, min(n, len(templates))))]
    sizes = [0] * len(batches)
    for t in sorted(templates, key=os.path.getsize, reverse=True):
        i = sizes.index(min(sizes))
        batches[i].append(t)
        sizes[i] += os.path.getsize(t)
    return batches


if __name__ == "__main__":
    sys.exit(main())
