#!/usr/bin/env python3
"""Schema check of Terraform JSON configurations (main.tf.json) without Terraform.

usage: tf_check.py [--schema SCHEMA.json] FILE.tf.json...

Checks each file against the hashicorp/aws provider schema built by
tf_schema (or the `terraform providers schema -json` file given with
--schema): resource and data types exist; every argument and nested block
exists; required arguments and blocks are present; computed-only attributes
are not set; values have the schema's type (a whole-value "${...}" is
accepted where any type is expected); blocks are objects or lists of
objects as their nesting mode allows; references inside "${...}" name
declared resources, data sources, variables and locals, and attributes that
exist in that type's schema; depends_on names declared resources; variable,
output, provider, terraform and locals blocks are well formed.

Every problem is printed with its JSON path. Exit codes: 0 all files pass,
1 problems found, 2 usage error or unreadable file.
"""
import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tf_schema import PROVIDER_ADDR, load_schema  # noqa: E402

META_ARGS = {"count", "for_each", "provider", "depends_on", "lifecycle", "provisioner", "connection"}
LIFECYCLE_KEYS = {"create_before_destroy", "prevent_destroy", "ignore_changes",
                  "replace_triggered_by", "precondition", "postcondition"}
VARIABLE_KEYS = {"type", "default", "description", "sensitive", "nullable", "validation", "ephemeral"}
OUTPUT_KEYS = {"value", "description", "sensitive", "depends_on", "precondition", "ephemeral"}
TERRAFORM_KEYS = {"required_version", "required_providers", "backend", "cloud", "experiments", "provider_meta"}
TOP_KEYS = {"terraform", "provider", "variable", "locals", "data", "resource", "output",
            "module", "moved", "import", "check", "removed"}
# Names that may start a traversal in an expression without being declared.
BUILTIN_ROOTS = {"each", "count", "self", "path", "terraform", "true", "false", "null", "for", "in", "if"}
TYPE_KEYWORDS = {"string", "number", "bool", "any", "list", "set", "map", "object", "tuple", "optional"}


class Checker:
    def __init__(self, schema):
        p = schema["provider_schemas"][PROVIDER_ADDR]
        self.resources = p["resource_schemas"]
        self.data_sources = p["data_source_schemas"]
        self.provider = (p.get("provider") or {}).get("block")  # None: not in this schema
        self.problems = []

    def err(self, path, msg):
        self.problems.append(f"{path}: {msg}")

    # ---- the document -------------------------------------------------------

    def check(self, doc):
        if not isinstance(doc, dict):
            return self.err("$", "the top level must be a JSON object")
        for key in doc:
            if key not in TOP_KEYS and key != "//":
                self.err(key, "unknown top-level block")
        self.declared = {"resource": {}, "data": {}, "variable": set(), "local": set(), "module": set()}
        for path, t, n, body in self._labeled2(doc.get("resource"), "resource"):
            self.declared["resource"].setdefault(t, {})[n] = body
        for path, t, n, body in self._labeled2(doc.get("data"), "data"):
            self.declared["data"].setdefault(t, {})[n] = body
        for path, n, _ in self._labeled1(doc.get("variable"), "variable"):
            self.declared["variable"].add(n)
        for path, body in self._objects(doc.get("locals"), "locals"):
            self.declared["local"].update(body)
        for path, n, _ in self._labeled1(doc.get("module"), "module"):
            self.declared["module"].add(n)

        for path, body in self._objects(doc.get("terraform"), "terraform"):
            self.check_terraform(path, body)
        for path, name, body in self._labeled1(doc.get("provider"), "provider"):
            self.check_provider(path, name, body)
        for path, name, body in self._labeled1(doc.get("variable"), "variable"):
            self.check_variable(path, body)
        for path, body in self._objects(doc.get("locals"), "locals"):
            for k, v in body.items():
                self.check_refs(f"{path}.{k}", v)
        for path, name, body in self._labeled1(doc.get("output"), "output"):
            self.check_output(path, body)
        for path, t, n, body in self._labeled2(doc.get("resource"), "resource"):
            self.check_resource(path, t, body, self.resources, "resource")
        for path, t, n, body in self._labeled2(doc.get("data"), "data"):
            self.check_resource(path, t, body, self.data_sources, "data source")

    # JSON syntax lets any block be an object or an array of objects.
    def _objects(self, value, path):
        if value is None:
            return
        if isinstance(value, dict):
            yield path, value
        elif isinstance(value, list) and all(isinstance(v, dict) for v in value):
            for i, v in enumerate(value):
                yield f"{path}[{i}]", v
        else:
            self.err(path, f"expected an object or a list of objects, got {_kind(value)}")

    def _labeled1(self, value, path):
        for p, obj in self._objects(value, path):
            for name, body in obj.items():
                if name == "//":
                    continue
                for bp, b in self._objects(body, f"{p}.{name}"):
                    yield bp, name, b

    def _labeled2(self, value, path):
        for p, t, types in self._labeled1(value, path):
            for name, body in types.items():
                if name == "//":
                    continue
                for bp, b in self._objects(body, f"{p}.{name}"):
                    yield bp, t, name, b

    # ---- top-level blocks ---------------------------------------------------

    def check_terraform(self, path, body):
        for k, v in body.items():
            p = f"{path}.{k}"
            if k not in TERRAFORM_KEYS:
                self.err(p, "unknown argument in the terraform block")
            elif k == "required_version" and not isinstance(v, str):
                self.err(p, "must be a version constraint string")
            elif k == "required_providers":
                for pp, rp in self._objects(v, p):
                    for name, req in rp.items():
                        if isinstance(req, str):
                            continue  # legacy version-only form
                        if not isinstance(req, dict):
                            self.err(f"{pp}.{name}", "must be an object with source and version")
                            continue
                        for rk, rv in req.items():
                            if rk not in ("source", "version", "configuration_aliases"):
                                self.err(f"{pp}.{name}.{rk}", "unknown key in a required_providers entry")
                            elif rk != "configuration_aliases" and not isinstance(rv, str):
                                self.err(f"{pp}.{name}.{rk}", "must be a string")
                        if name == "aws" and req.get("source", "hashicorp/aws").lower() not in (
                                "hashicorp/aws", PROVIDER_ADDR):
                            self.err(f"{pp}.{name}.source", f"aws should come from hashicorp/aws, not {req['source']}")

    def check_provider(self, path, name, body):
        if name != "aws":
            return self.err(path, f"provider {name!r} is not known to this checker (only aws)")
        if self.provider is None:
            return self.check_refs(path, body)
        block = json.loads(json.dumps(self.provider))
        block["attributes"].update({"alias": {"type": "string", "optional": True},
                                    "version": {"type": "string", "optional": True}})
        self.check_block(path, body, block)

    def check_variable(self, path, body):
        for k, v in body.items():
            p = f"{path}.{k}"
            if k not in VARIABLE_KEYS:
                self.err(p, "unknown argument in a variable block")
            elif k == "type":
                if not isinstance(v, str) or not _valid_type_expr(v):
                    self.err(p, f"not a type expression: {v!r}")
            elif k == "description" and not isinstance(v, str):
                self.err(p, "must be a string")
            elif k in ("sensitive", "nullable", "ephemeral") and not isinstance(v, bool):
                self.err(p, "must be true or false")
            elif k == "default" and isinstance(v, str) and "${" in v:
                self.err(p, "a variable default cannot contain references or templates")
        t, d = body.get("type"), body.get("default")
        if isinstance(t, str) and "default" in body and d is not None:
            want = {"string": (str, int, float, bool), "number": (int, float), "bool": (bool,)}.get(t.strip())
            if want and (not isinstance(d, want) or (t.strip() == "number" and isinstance(d, bool))):
                self.err(f"{path}.default", f"default {d!r} does not match type {t}")

    def check_output(self, path, body):
        if "value" not in body:
            self.err(path, "an output needs a value")
        for k, v in body.items():
            p = f"{path}.{k}"
            if k not in OUTPUT_KEYS:
                self.err(p, "unknown argument in an output block")
            elif k == "description" and not isinstance(v, str):
                self.err(p, "must be a string")
            elif k in ("sensitive", "ephemeral") and not isinstance(v, bool):
                self.err(p, "must be true or false")
            elif k == "depends_on":
                self.check_depends_on(p, v)
            else:
                self.check_refs(p, v)

    def check_resource(self, path, rtype, body, schemas, what):
        schema = schemas.get(rtype)
        if schema is None:
            return self.err(path, f"unknown {what} type {rtype!r}")
        args = {k: v for k, v in body.items() if k not in META_ARGS}
        self.check_block(path, args, schema["block"])
        for k in META_ARGS & set(body):
            p, v = f"{path}.{k}", body[k]
            if k == "depends_on":
                self.check_depends_on(p, v)
            elif k == "lifecycle":
                for lp, lb in self._objects(v, p):
                    for lk in lb:
                        if lk not in LIFECYCLE_KEYS:
                            self.err(f"{lp}.{lk}", "unknown lifecycle argument")
            elif k == "provider":
                if not (isinstance(v, str) and re.fullmatch(r"aws(\.\w+)?", v)):
                    self.err(p, f"must name an aws provider configuration like \"aws.alias\", got {v!r}")
            else:
                self.check_refs(p, v)

    def check_depends_on(self, path, value):
        if not isinstance(value, list):
            return self.err(path, "depends_on must be a list of resource addresses")
        for i, ref in enumerate(value):
            p = f"{path}[{i}]"
            if not isinstance(ref, str):
                self.err(p, "must be a string like \"aws_vpc.main\"")
                continue
            if "${" in ref:
                self.err(p, f"depends_on takes bare addresses, not templates: {ref!r}")
                continue
            parts = ref.split(".")
            if parts[0] == "data" and len(parts) == 3:
                ok = parts[2] in self.declared["data"].get(parts[1], {})
            elif parts[0] == "module" and len(parts) == 2:
                ok = parts[1] in self.declared["module"]
            elif len(parts) == 2:
                ok = parts[1] in self.declared["resource"].get(parts[0], {})
            else:
                ok = False
            if not ok:
                self.err(p, f"depends_on names {ref!r}, which is not declared")

    # ---- blocks and values ------------------------------------------------

    def check_block(self, path, body, block):
        if not isinstance(body, dict):
            return self.err(path, f"expected an object, got {_kind(body)}")
        attrs, blocks = block.get("attributes", {}), block.get("block_types", {})
        for k, v in body.items():
            p = f"{path}.{k}"
            if k == "//":
                continue
            if k in attrs:
                a = attrs[k]
                if a.get("computed") and not a.get("optional") and not a.get("required"):
                    self.err(p, "is computed by the provider and cannot be set")
                elif v is None and a.get("required"):
                    self.err(p, "is required and cannot be null")
                elif "nested_type" in a:
                    self.check_nested_attr(p, v, a["nested_type"])
                else:
                    self.check_value(p, v, a.get("type", "dynamic"))
            elif k in blocks:
                self.check_nested_block(p, v, blocks[k])
            else:
                self.err(p, f"unsupported argument {k!r}" + _suggest(k, list(attrs) + list(blocks)))
        for k, a in attrs.items():
            if a.get("required") and k not in body:
                self.err(path, f"missing required argument {k!r}")
        for k, b in blocks.items():
            if b.get("min_items", 0) > 0 and k not in body:
                self.err(path, f"missing required block {k!r}")

    def check_nested_block(self, path, value, nb):
        mode = nb.get("nesting_mode")
        if _is_template(value):
            return self.err(path, f"{mode} block cannot be given as an expression string")
        if mode in ("single", "group"):
            return self.check_block(path, value, nb["block"])
        if mode == "map":
            if not isinstance(value, dict):
                return self.err(path, f"map block must be an object of labeled objects, got {_kind(value)}")
            for k, v in value.items():
                self.check_block(f"{path}.{k}", v, nb["block"])
            return
        items = [value] if isinstance(value, dict) else value
        if not isinstance(items, list):
            return self.err(path, f"{mode} block must be an object or a list of objects, got {_kind(value)}")
        for i, item in enumerate(items):
            self.check_block(f"{path}[{i}]", item, nb["block"])
        if nb.get("max_items") and len(items) > nb["max_items"]:
            self.err(path, f"at most {nb['max_items']} block(s) allowed, got {len(items)}")
        if nb.get("min_items") and len(items) < nb["min_items"]:
            self.err(path, f"at least {nb['min_items']} block(s) required, got {len(items)}")

    def check_nested_attr(self, path, value, nested):
        if _is_template(value) or value is None:
            return self.check_refs(path, value)
        block = {"attributes": nested["attributes"]}
        mode = nested.get("nesting_mode")
        if mode == "single":
            return self.check_block(path, value, block)
        if mode == "map":
            if not isinstance(value, dict):
                return self.err(path, f"expected an object of objects, got {_kind(value)}")
            for k, v in value.items():
                self.check_block(f"{path}.{k}", v, block)
            return
        if not isinstance(value, list):
            return self.err(path, f"expected a list of objects, got {_kind(value)}")
        for i, v in enumerate(value):
            self.check_block(f"{path}[{i}]", v, block)

    def check_value(self, path, value, ty):
        """Check a JSON value against a cty type (as in schema JSON)."""
        if value is None or ty == "dynamic":
            return self.check_refs(path, value)
        if isinstance(value, str):
            self.check_refs(path, value)
            if _is_template(value):
                return  # a whole-value expression: its type is only known to Terraform
            if ty == "string":
                return
            if ty == "number":
                if not _is_number(value) and "${" not in value:
                    self.err(path, f"expected a number, got the string {value!r}")
                return
            if ty == "bool":
                if value not in ("true", "false") and "${" not in value:
                    self.err(path, f"expected true or false, got the string {value!r}")
                return
            return self.err(path, f"expected {_tyname(ty)}, got a string")
        if ty == "string":
            if isinstance(value, (dict, list)):
                self.err(path, f"expected a string, got {_kind(value)}")
        elif ty == "number":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                self.err(path, f"expected a number, got {_kind(value)}")
        elif ty == "bool":
            if not isinstance(value, bool):
                self.err(path, f"expected true or false, got {_kind(value)}")
        elif isinstance(ty, list) and ty[0] in ("list", "set"):
            if not isinstance(value, list):
                return self.err(path, f"expected {_tyname(ty)}, got {_kind(value)}")
            for i, v in enumerate(value):
                self.check_value(f"{path}[{i}]", v, ty[1])
        elif isinstance(ty, list) and ty[0] == "map":
            if not isinstance(value, dict):
                return self.err(path, f"expected {_tyname(ty)}, got {_kind(value)}")
            for k, v in value.items():
                self.check_value(f"{path}.{k}", v, ty[1])
        elif isinstance(ty, list) and ty[0] == "object":
            if not isinstance(value, dict):
                return self.err(path, f"expected an object, got {_kind(value)}")
            for k, v in value.items():
                if k not in ty[1]:
                    self.err(f"{path}.{k}", "unsupported attribute" + _suggest(k, list(ty[1])))
                else:
                    self.check_value(f"{path}.{k}", v, ty[1][k])
        elif isinstance(ty, list) and ty[0] == "tuple":
            if not isinstance(value, list) or len(value) != len(ty[1]):
                return self.err(path, f"expected a tuple of {len(ty[1])}, got {_kind(value)}")
            for i, (v, t) in enumerate(zip(value, ty[1])):
                self.check_value(f"{path}[{i}]", v, t)

    # ---- references -------------------------------------------------------

    def check_refs(self, path, value):
        """Check every reference inside "${...}" in any string below `value`."""
        if isinstance(value, dict):
            for k, v in value.items():
                self.check_refs(f"{path}.{k}", v)
        elif isinstance(value, list):
            for i, v in enumerate(value):
                self.check_refs(f"{path}[{i}]", v)
        elif isinstance(value, str) and "${" in value:
            exprs = _template_exprs(value)
            if exprs is None:
                return self.err(path, f"unterminated \"${{\" in {value!r}")
            for expr in exprs:
                for ref in _traversals(expr):
                    msg = self.check_ref(ref)
                    if msg:
                        self.err(path, f"{msg} (in {value!r})")

    def check_ref(self, parts):
        """None if the traversal `parts` (names, "[...]" for indexes) is fine, else why not."""
        root = parts[0]
        names = [p for p in parts if not p.startswith("[")]
        ref = ".".join(names)
        if root == "var":
            if len(names) < 2 or names[1] not in self.declared["variable"]:
                return f"reference to undeclared variable {ref!r}"
        elif root == "local":
            if len(names) < 2 or names[1] not in self.declared["local"]:
                return f"reference to undeclared local value {ref!r}"
        elif root == "module":
            if len(names) < 2 or names[1] not in self.declared["module"]:
                return f"reference to undeclared module {ref!r}"
        elif root == "data":
            if len(names) < 3 or names[2] not in self.declared["data"].get(names[1], {}):
                return f"reference to undeclared data source {ref!r}"
            schema = self.data_sources.get(names[1])
            return _check_attr(names, 3, schema, ref)
        elif root in BUILTIN_ROOTS:
            return None
        elif root in self.declared["resource"] or root in self.resources:
            if len(names) < 2 or names[1] not in self.declared["resource"].get(root, {}):
                return f"reference to undeclared resource {ref!r}"
            return _check_attr(names, 2, self.resources.get(root), ref)
        elif re.match(r"aws_", root):
            return f"reference to unknown resource type {ref!r}"
        return None


def _check_attr(names, i, schema, ref):
    """The attribute after a resource address must exist in its schema."""
    if schema is None or len(names) <= i:
        return None
    block = schema["block"]
    attr = names[i]
    if attr not in block.get("attributes", {}) and attr not in block.get("block_types", {}):
        return f"{ref!r}: the type has no attribute {attr!r}" + _suggest(
            attr, list(block.get("attributes", {})) + list(block.get("block_types", {})))
    return None


# ---- expression helpers ---------------------------------------------------

def _template_exprs(s):
    """Expressions inside the "${...}" and "%{...}" sequences of a template string, or None."""
    out, i = [], 0
    while True:
        j = min((k for k in (s.find("${", i), s.find("%{", i)) if k >= 0), default=-1)
        if j < 0:
            return out
        if j > 0 and s[j - 1] == s[j] and s[j - 1] in "$%":  # $${ and %%{ are escapes
            i = j + 2
            continue
        depth, k, quote = 1, j + 2, False
        while k < len(s) and depth:
            c = s[k]
            if quote:
                if c == "\\":
                    k += 1
                elif c == '"':
                    quote = False
            elif c == '"':
                quote = True
            elif c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
            k += 1
        if depth:
            return None
        out.append(s[j + 2:k - 1])
        i = k


TRAVERSAL_RE = re.compile(r"(?<![\w.\"-])([A-Za-z_][\w-]*)((?:\s*\.\s*[A-Za-z_*][\w-]*|\[[^\[\]]*\])*)")


def _traversals(expr):
    """Reference traversals in an expression, as lists like ["aws_vpc", "main", "id"]."""
    expr = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)  # drop string literals
    # names bound by for-expressions are local to them
    bound = set(re.findall(r"\bfor\s+([A-Za-z_]\w*)(?:\s*,\s*([A-Za-z_]\w*))?\s+in\b", expr))
    bound = {n for pair in bound for n in pair if n}
    out = []
    for m in TRAVERSAL_RE.finditer(expr):
        rest = expr[m.end():].lstrip()
        if rest.startswith("("):  # a function call
            continue
        if m.group(1) in bound:
            continue
        parts = [m.group(1)]
        for step in re.findall(r"\.\s*([A-Za-z_*][\w-]*)|(\[[^\[\]]*\])", m.group(2)):
            parts.append(step[0] or step[1])
        out.append(parts)
    return out


def _is_template(v):
    """True for a string that is exactly one "${...}" expression."""
    if not isinstance(v, str) or not v.startswith("${") or not v.endswith("}"):
        return False
    exprs = _template_exprs(v)
    return exprs is not None and len(exprs) == 1 and len(exprs[0]) == len(v) - 3


def _valid_type_expr(t):
    words = set(re.findall(r"[A-Za-z_]\w*", t))
    # object attribute names are free-form: only check the first word and brackets
    first = re.match(r"\s*([A-Za-z_]\w*)", t)
    return bool(first) and first.group(1) in TYPE_KEYWORDS and t.count("(") == t.count(")") \
        and t.count("{") == t.count("}") and bool(words)


def _is_number(s):
    try:
        float(s)
        return True
    except ValueError:
        return False


def _kind(v):
    return {dict: "an object", list: "a list", str: "a string", bool: "a bool",
            int: "a number", float: "a number", type(None): "null"}.get(type(v), type(v).__name__)


def _tyname(ty):
    return json.dumps(ty) if isinstance(ty, list) else ty


def _suggest(name, candidates):
    import difflib
    close = difflib.get_close_matches(name, candidates, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--schema", help="a `terraform providers schema -json` file to check against")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    try:
        if args.schema:
            opener = __import__("gzip").open if args.schema.endswith(".gz") else open
            with opener(args.schema, "rt") as f:
                schema = json.load(f)
        else:
            schema = load_schema()
    except (OSError, ValueError) as e:
        print(f"cannot load the provider schema: {e}")
        return 2
    failed = 0
    for name in args.files:
        try:
            with open(name, encoding="utf-8") as f:
                doc = json.load(f)
        except (OSError, ValueError) as e:
            print(f"FAIL {name}: cannot read JSON: {e}")
            return 2
        c = Checker(schema)
        c.check(doc)
        print(f"{'FAIL' if c.problems else 'ok'} tf_check {name} ({len(c.problems)} problems)")
        for p in c.problems:
            print(f"    {p}")
        failed += bool(c.problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
