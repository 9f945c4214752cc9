#!/usr/bin/env python3
"""Run the real `terraform validate -json` on Terraform JSON files, offline.

usage: tf_validate.py FILE.tf.json...

Terraform cannot download hashicorp/aws here, so this points it at
tf_provider.py, a schema-only provider, through a CLI configuration with

    provider_installation {
      dev_overrides { "hashicorp/aws" = "<dir with terraform-provider-aws>" }
      direct {}
    }

which makes `terraform validate` work without `terraform init`. Each file
is copied alone into a fresh directory as main.tf.json and validated there,
so Terraform itself reports unknown resource types and arguments, missing
required arguments, wrong block nesting, value types, bad references and
template syntax, with its own messages.

Needs `terraform` on PATH (or $TERRAFORM). Exit codes: 0 every file valid,
1 Terraform reported errors, 2 the run itself failed (no terraform, no JSON).
"""
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from tf_schema import load_schema, schema_path, PROVIDER_ADDR  # noqa: E402

DEV_OVERRIDE_WARNING = "Provider development overrides are in effect"


def schema_response_path():
    """A serialized tfplugin6.GetProviderSchema.Response next to the cached schema JSON."""
    me = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:8]  # rebuilt when this file changes
    path = schema_path().with_suffix(f".{me}.tfplugin6.bin")
    if not path.exists():
        with open(path.parent / ".build.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # one builder at a time
            if not path.exists():
                _write_schema_response(path)
    return path


def _write_schema_response(path):
    from tfplugin_proto import tfplugin6_5_pb2 as pb

    def attribute(name, a):
        out = pb.Schema.Attribute(name=name, required=a.get("required", False),
                                  optional=a.get("optional", False), computed=a.get("computed", False),
                                  sensitive=a.get("sensitive", False))
        if "nested_type" in a:
            nt = a["nested_type"]
            out.nested_type.CopyFrom(pb.Schema.Object(
                attributes=[attribute(k, v) for k, v in sorted(nt["attributes"].items())],
                nesting=pb.Schema.Object.NestingMode.Value(nt["nesting_mode"].upper())))
        else:
            out.type = json.dumps(a["type"]).encode()
        return out

    def block(b):
        return pb.Schema.Block(
            attributes=[attribute(k, v) for k, v in sorted(b.get("attributes", {}).items())],
            block_types=[pb.Schema.NestedBlock(
                type_name=k, block=block(nb["block"]),
                nesting=pb.Schema.NestedBlock.NestingMode.Value(nb["nesting_mode"].upper()),
                min_items=nb.get("min_items", 0), max_items=nb.get("max_items", 0))
                for k, nb in sorted(b.get("block_types", {}).items())])

    def schema(s):
        return pb.Schema(version=s.get("version", 0), block=block(s["block"]))

    p = load_schema()["provider_schemas"][PROVIDER_ADDR]
    resp = pb.GetProviderSchema.Response(provider=schema(p["provider"] or {"block": {}}))
    for k, v in p["resource_schemas"].items():
        resp.resource_schemas[k].CopyFrom(schema(v))
    for k, v in p["data_source_schemas"].items():
        resp.data_source_schemas[k].CopyFrom(schema(v))
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    tmp.write_bytes(resp.SerializeToString())
    os.replace(tmp, path)  # atomic: readers never see half a file


def setup(root):
    """Plugin dir + CLI config under `root`; returns the environment for terraform."""
    plugin_dir = root / "plugins"
    plugin_dir.mkdir()
    exe = plugin_dir / "terraform-provider-aws"
    exe.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{HERE / "tf_provider.py"}" "{schema_response_path()}"\n')
    exe.chmod(0o755)
    rc = root / "terraformrc"
    rc.write_text('provider_installation {\n  dev_overrides {\n'
                  f'    "hashicorp/aws" = "{plugin_dir}"\n  }}\n  direct {{}}\n}}\n')
    env = {k: v for k, v in os.environ.items() if not k.startswith("TF_")}
    env.update(TF_CLI_CONFIG_FILE=str(rc), CHECKPOINT_DISABLE="1", TF_IN_AUTOMATION="1",
               TF_DATA_DIR=str(root / "tfdata"))
    return env


def describe(d):
    """One diagnostic as a readable line plus its source snippet."""
    rng = d.get("range") or {}
    where = f" [{rng.get('filename', '?')}:{rng.get('start', {}).get('line', '?')}]" if rng else ""
    text = f"  {d.get('severity', '?')}: {d.get('summary', '')}{where}"
    if d.get("detail"):
        text += "\n      " + d["detail"].replace("\n", "\n      ")
    code = (d.get("snippet") or {}).get("code")
    if code:
        text += f"\n      > {code.strip()[:200]}"
    return text


def validate(terraform, env, root, i, tf_file):
    """(valid?, errors, warnings, seconds) for one file, or raise RuntimeError."""
    work = root / f"cfg{i}"
    work.mkdir()
    shutil.copyfile(tf_file, work / "main.tf.json")
    start = time.monotonic()
    proc = subprocess.run([terraform, f"-chdir={work}", "validate", "-json", "-no-color"],
                          env=env, capture_output=True, text=True, timeout=300)
    took = time.monotonic() - start
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        raise RuntimeError(f"terraform exited {proc.returncode} without JSON:\n{proc.stdout}\n{proc.stderr}")
    diags = report.get("diagnostics", [])
    errors = [d for d in diags if d.get("severity") == "error"]
    warnings = [d for d in diags if d.get("severity") != "error" and d.get("summary") != DEV_OVERRIDE_WARNING]
    if report.get("valid") and proc.returncode != 0:
        raise RuntimeError(f"terraform exited {proc.returncode} yet said valid:\n{proc.stderr}")
    return bool(report.get("valid")), errors, warnings, took


def main():
    files = sys.argv[1:]
    if not files or files[0].startswith("-"):
        print(__doc__)
        return 2
    terraform = os.environ.get("TERRAFORM") or shutil.which("terraform")
    if not terraform:
        print("terraform is not on PATH")
        return 2
    root = Path(tempfile.mkdtemp(prefix="ecsc-tf-validate-"))
    try:
        env = setup(root)
        failed = 0
        for i, f in enumerate(files):
            try:
                valid, errors, warnings, took = validate(terraform, env, root, i, f)
            except (RuntimeError, subprocess.TimeoutExpired) as e:
                print(f"FAIL terraform validate {f}: {e}")
                return 2
            print(f"{'ok' if valid else 'FAIL'} terraform validate {f} "
                  f"({len(errors)} errors, {len(warnings)} warnings, {took:.1f}s)")
            for d in errors + warnings:
                print(describe(d))
            failed += not valid
        return 1 if failed else 0
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
