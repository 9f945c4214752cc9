"""Compare the extracted schema with a real `terraform providers schema -json`.

usage: python -m tf_schema.compare REFERENCE.json[.gz] [TYPE...]

A developer's tool, not run by the tests (they have no real schema). Prints
one line per difference for the given resource types (default: the types
ecsc emits) and exits 1 when there are any.
"""
import gzip
import json
import sys

from . import ECSC_RESOURCE_TYPES, PROVIDER_ADDR, load_schema


def _flags(a):
    return "/".join(k for k in ("required", "optional", "computed") if a.get(k))


def _type(a):
    if "nested_type" in a:
        return ["nested", a["nested_type"].get("nesting_mode")]
    return a.get("type")


def diff_block(ref, got, path, out):
    """Append differences between two schema blocks to `out`."""
    ra, ga = ref.get("attributes", {}), got.get("attributes", {})
    for name in sorted(set(ra) | set(ga)):
        p = f"{path}.{name}"
        if name not in ga:
            out.append(f"{p}: missing (reference: attribute {_flags(ra[name])} {json.dumps(_type(ra[name]))})")
        elif name not in ra:
            out.append(f"{p}: extra attribute ({_flags(ga[name])})")
        else:
            if _flags(ra[name]) != _flags(ga[name]):
                out.append(f"{p}: flags {_flags(ga[name])}, reference {_flags(ra[name])}")
            if _type(ra[name]) != _type(ga[name]):
                out.append(f"{p}: type {json.dumps(_type(ga[name]))}, reference {json.dumps(_type(ra[name]))}")
    rb, gb = ref.get("block_types", {}), got.get("block_types", {})
    for name in sorted(set(rb) | set(gb)):
        p = f"{path}.{name}"
        if name not in gb:
            kind = "block" if name not in ga else "attribute here"
            out.append(f"{p}: reference has a block {rb[name]['nesting_mode']}, extracted: {kind}")
        elif name not in rb:
            kind = f"attribute {json.dumps(_type(ra[name]))}" if name in ra else "nothing"
            out.append(f"{p}: extracted a block {gb[name]['nesting_mode']}, reference: {kind}")
        else:
            r, g = rb[name], gb[name]
            for k in ("nesting_mode", "min_items", "max_items"):
                if r.get(k, 0) != g.get(k, 0):
                    out.append(f"{p}: {k} {g.get(k, 0)}, reference {r.get(k, 0)}")
            diff_block(r["block"], g["block"], p, out)


def main(argv):
    if not argv:
        print(__doc__)
        return 2
    opener = gzip.open if argv[0].endswith(".gz") else open
    with opener(argv[0], "rt") as f:
        ref = json.load(f)["provider_schemas"][PROVIDER_ADDR]["resource_schemas"]
    got = load_schema()["provider_schemas"][PROVIDER_ADDR]["resource_schemas"]
    out = []
    for t in argv[1:] or ECSC_RESOURCE_TYPES:
        if t not in got or t not in ref:
            out.append(f"{t}: {'missing from extracted' if t not in got else 'not in reference'}")
            continue
        diff_block(ref[t]["block"], got[t]["block"], t, out)
    print("\n".join(out) or "no differences")
    return 1 if out else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
