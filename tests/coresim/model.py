"""The kind model (graph model and config model) with the checks a resotocore applies.

A model is a set of kinds: predefined simple kinds (string, int64, ...), enum-like simple kinds
(`runtime_kind` + `enum`) and complex kinds (`bases` + `properties`). Updates are validated as a whole
and applied atomically: unknown base/property kinds and incompatible changes of existing kinds are
rejected with a ModelError (the server turns that into a 400).
"""

from __future__ import annotations

import datetime
import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "reference-model"

PREDEFINED = (
    "string",
    "int32",
    "int64",
    "float",
    "double",
    "boolean",
    "date",
    "datetime",
    "duration",
    "any",
)
SYNTHETIC_KINDS = ("trafo.duration_to_datetime",)

_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DURATION = re.compile(r"^[+-]?(\s*\d+(\.\d+)?\s*[a-zA-Zµ]+)+\s*$")
_ISO_DURATION = re.compile(r"^[+-]?P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")


class ModelError(ValueError):
    """An invalid kind definition, model update, or a value that does not fit the model."""


@dataclass(frozen=True)
class Property:
    name: str
    kind: str
    required: bool = False
    synthetic: bool = False


@dataclass
class SimpleKind:
    fqn: str
    runtime_kind: str
    enum: list[Any] | None = None
    raw: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return self.raw or {"fqn": self.fqn, "runtime_kind": self.runtime_kind}


@dataclass
class ComplexKind:
    fqn: str
    bases: list[str]
    properties: list[Property]
    allow_unknown_props: bool = False
    raw: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return self.raw


Kind = SimpleKind | ComplexKind


def normalize_kind_expr(expr: str) -> str:
    """`dictionary[string,  string]` and `dictionary[string, string]` are the same kind."""
    return re.sub(r"\s*,\s*", ", ", expr.strip())


def _split_top_level(text: str) -> list[str]:
    parts: list[str] = []
    depth = 0
    current = ""
    for ch in text:
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += ch
    parts.append(current.strip())
    return parts


def referenced_kinds(expr: str) -> list[str]:
    """Names of the kinds a kind expression like `dictionary[string, foo[]]` refers to."""
    expr = expr.strip()
    if expr.endswith("[]"):
        return referenced_kinds(expr[:-2])
    if expr.startswith("dictionary[") and expr.endswith("]"):
        inner = _split_top_level(expr[len("dictionary[") : -1])
        if len(inner) != 2:
            raise ModelError(f"Invalid dictionary kind: {expr}")
        return referenced_kinds(inner[0]) + referenced_kinds(inner[1])
    if not expr:
        raise ModelError("Empty kind name")
    return [expr]


def parse_kind(js: Any) -> Kind:
    """Parse one kind from its JSON form (raises ModelError)."""
    if not isinstance(js, dict):
        raise ModelError(f"A kind must be a JSON object, got: {json.dumps(js)[:200]}")
    fqn = js.get("fqn")
    if not isinstance(fqn, str) or not fqn:
        raise ModelError(f"Kind without fqn: {json.dumps(js)[:200]}")
    if "runtime_kind" in js:
        runtime = js["runtime_kind"]
        if runtime not in PREDEFINED:
            raise ModelError(f"Kind {fqn}: unknown runtime_kind {runtime!r}")
        enum = js.get("enum")
        if enum is not None and not isinstance(enum, list):
            raise ModelError(f"Kind {fqn}: enum must be a list")
        return SimpleKind(fqn, runtime, enum, dict(js))
    bases = js.get("bases") or []
    if not isinstance(bases, list) or not all(isinstance(b, str) and b for b in bases):
        raise ModelError(f"Kind {fqn}: bases must be a list of kind names")
    props_js = js.get("properties") or []
    if not isinstance(props_js, list):
        raise ModelError(f"Kind {fqn}: properties must be a list")
    props: list[Property] = []
    seen: set[str] = set()
    for p in props_js:
        if (
            not isinstance(p, dict)
            or not isinstance(p.get("name"), str)
            or not isinstance(p.get("kind"), str)
        ):
            raise ModelError(f"Kind {fqn}: property needs a name and a kind: {json.dumps(p)[:200]}")
        if p["name"] in seen:
            raise ModelError(f"Kind {fqn}: property {p['name']} is defined more than once")
        seen.add(p["name"])
        referenced_kinds(p["kind"])  # syntax check
        props.append(
            Property(
                p["name"],
                normalize_kind_expr(p["kind"]),
                bool(p.get("required", False)),
                "synthetic" in p and p["synthetic"] is not None,
            )
        )
    allow = js.get("allow_unknown_props", False)
    return ComplexKind(fqn, list(bases), props, bool(allow), dict(js))


def _kind_type_name(kind: Kind) -> str:
    return "complex" if isinstance(kind, ComplexKind) else f"simple({kind.runtime_kind})"


class Model:
    """A set of kinds. `provisional` kinds are placeholders that any update may redefine freely."""

    def __init__(self, kinds: Iterable[dict[str, Any]] = (), provisional: Iterable[str] = ()) -> None:
        self.kinds: dict[str, Kind] = {}
        self.provisional: set[str] = set()
        self._props_cache: dict[str, dict[str, Property]] = {}
        kinds = list(kinds)
        if kinds:
            self.update(kinds, replace=True, check_compatible=False)
        self.provisional = set(provisional) & set(self.kinds)

    # ----------------------------------------------------------------- queries
    def __contains__(self, name: str) -> bool:
        return name in self.kinds or name in PREDEFINED or name in SYNTHETIC_KINDS

    def __len__(self) -> int:
        return len(self.kinds) + len(PREDEFINED) + len(SYNTHETIC_KINDS)

    def get(self, name: str) -> Kind | None:
        if name in self.kinds:
            return self.kinds[name]
        if name in PREDEFINED:
            return SimpleKind(name, name)
        return None

    def bases_of(self, name: str) -> set[str]:
        """All transitive bases of a kind (excluding itself)."""
        result: set[str] = set()
        todo = [name]
        while todo:
            kind = self.kinds.get(todo.pop())
            if isinstance(kind, ComplexKind):
                for base in kind.bases:
                    if base not in result:
                        result.add(base)
                        todo.append(base)
        return result

    def is_a(self, name: str, base: str) -> bool:
        return name == base or base in self.bases_of(name)

    def subkinds_of(self, base: str) -> set[str]:
        return {name for name in self.kinds if self.is_a(name, base)}

    def properties_of(self, name: str) -> dict[str, Property]:
        """All properties of a complex kind including the ones of its bases."""
        cached = self._props_cache.get(name)
        if cached is not None:
            return cached
        result: dict[str, Property] = {}
        kind = self.kinds.get(name)
        if isinstance(kind, ComplexKind):
            for base in kind.bases:
                for prop_name, prop in self.properties_of(base).items():
                    result.setdefault(prop_name, prop)
            for prop in kind.properties:
                result[prop.name] = prop
        self._props_cache[name] = result
        return result

    def to_json(self) -> list[dict[str, Any]]:
        return [kind.to_json() for kind in self.kinds.values()]

    def to_json_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {name: {"fqn": name, "runtime_kind": name} for name in PREDEFINED}
        result.update({name: kind.to_json() for name, kind in self.kinds.items()})
        return result

    # ----------------------------------------------------------------- updates
    def update(self, kinds_js: Any, *, replace: bool, check_compatible: bool = True) -> None:
        """Validate and apply an update; PUT semantics with replace=True, PATCH semantics otherwise."""
        if not isinstance(kinds_js, list):
            raise ModelError("The model must be a JSON array of kinds")
        parsed: dict[str, Kind] = {}
        for js in kinds_js:
            kind = parse_kind(js)
            if kind.fqn in SYNTHETIC_KINDS:
                continue
            if kind.fqn in PREDEFINED:
                if not isinstance(kind, SimpleKind) or kind.runtime_kind != kind.fqn:
                    raise ModelError(f"Update not possible: predefined kind {kind.fqn} can not be changed")
                continue
            parsed[kind.fqn] = kind
        if check_compatible:
            for fqn, new in parsed.items():
                old = self.kinds.get(fqn)
                if old is not None and fqn not in self.provisional:
                    self._check_compatible(old, new)
        updated: dict[str, Kind] = {} if replace else dict(self.kinds)
        updated.update(parsed)
        self._check_complete(updated)
        self.kinds = updated
        self.provisional = (set() if replace else self.provisional) - set(parsed)
        self._props_cache = {}

    @staticmethod
    def _check_compatible(old: Kind, new: Kind) -> None:
        if type(old) is not type(new):
            raise ModelError(
                f"Update not possible: kind {old.fqn} would change from {_kind_type_name(old)} "
                f"to {_kind_type_name(new)}"
            )
        if isinstance(old, SimpleKind) and isinstance(new, SimpleKind):
            if old.runtime_kind != new.runtime_kind:
                raise ModelError(
                    f"Update not possible: kind {old.fqn} would change its runtime kind "
                    f"from {old.runtime_kind} to {new.runtime_kind}"
                )
            return
        assert isinstance(old, ComplexKind) and isinstance(new, ComplexKind)
        if set(old.bases) != set(new.bases):
            raise ModelError(
                f"Update not possible: kind {old.fqn} would change its bases from {sorted(old.bases)} "
                f"to {sorted(new.bases)}"
            )
        old_props = {p.name: p.kind for p in old.properties}
        for prop in new.properties:
            before = old_props.get(prop.name)
            if before is not None and before != prop.kind:
                raise ModelError(
                    f"Update not possible: kind {old.fqn} would change the kind of existing property "
                    f"{prop.name} from {before} to {prop.kind}"
                )

    @staticmethod
    def _check_complete(kinds: dict[str, Kind]) -> None:
        def known(name: str) -> bool:
            return name in kinds or name in PREDEFINED or name in SYNTHETIC_KINDS

        for kind in kinds.values():
            if not isinstance(kind, ComplexKind):
                continue
            for base in kind.bases:
                base_kind = kinds.get(base)
                if base_kind is None:
                    raise ModelError(f"Kind {kind.fqn}: base kind {base} is not known")
                if not isinstance(base_kind, ComplexKind):
                    raise ModelError(f"Kind {kind.fqn}: base kind {base} is not a complex kind")
            for prop in kind.properties:
                for ref in referenced_kinds(prop.kind):
                    if not known(ref):
                        raise ModelError(
                            f"Kind {kind.fqn}: property {prop.name} refers to unknown kind {ref}"
                        )
        # bases must not form a cycle
        state: dict[str, int] = {}

        def visit(name: str, trail: list[str]) -> None:
            if state.get(name) == 2:
                return
            if state.get(name) == 1:
                raise ModelError(f"Kind {name}: cyclic bases {' -> '.join([*trail, name])}")
            state[name] = 1
            kind = kinds.get(name)
            if isinstance(kind, ComplexKind):
                for base in kind.bases:
                    visit(base, [*trail, name])
            state[name] = 2

        for name in kinds:
            visit(name, [])

    # ----------------------------------------------------------------- value checks
    def check_node(self, reported: Any) -> None:
        """Check a node's reported section against its kind (raises ModelError)."""
        if not isinstance(reported, dict):
            raise ModelError("reported section must be a JSON object")
        kind_name = reported.get("kind")
        if not isinstance(kind_name, str) or not kind_name:
            raise ModelError(f"reported section has no kind: {json.dumps(reported)[:200]}")
        kind = self.kinds.get(kind_name)
        if kind is None:
            raise ModelError(
                f"Kind {kind_name} is not known to the model (used in node {reported.get('id')!r})"
            )
        if not isinstance(kind, ComplexKind):
            raise ModelError(f"Kind {kind_name} is not a complex kind and can not be used for a node")
        error = self._check_complex(kind, reported, "")
        if error:
            raise ModelError(error)

    def check_object(self, kind_name: str, value: Any, *, check_required: bool = True) -> None:
        kind = self.kinds.get(kind_name)
        if isinstance(kind, ComplexKind):
            error = self._check_complex(kind, value, "", check_required=check_required)
            if error:
                raise ModelError(error)

    def _check_complex(
        self, kind: ComplexKind, value: Any, prefix: str, *, check_required: bool = True
    ) -> str | None:
        if not isinstance(value, dict):
            return f"Kind:{kind.fqn} Property:{prefix or '.'} is not valid: expected a JSON object, got {_tname(value)}"
        props = self.properties_of(kind.fqn)
        for name, item in value.items():
            path = f"{prefix}{name}"
            prop = props.get(name)
            if prop is None:
                if kind.allow_unknown_props:
                    continue
                return f"Kind:{kind.fqn} Property:{path} is not defined in the model (allow_unknown_props is false)"
            if prop.synthetic or item is None:
                continue
            error = self._check_value(prop.kind, item, f"{path}")
            if error:
                return f"Kind:{kind.fqn} Property:{path} is not valid: {error}"
        if check_required:
            for prop in props.values():
                if prop.required and not prop.synthetic and value.get(prop.name) is None:
                    return f"Kind:{kind.fqn} Property:{prefix}{prop.name} is required and missing"
        return None

    def _check_value(self, expr: str, value: Any, path: str) -> str | None:
        if value is None:
            return None
        if expr.endswith("[]"):
            if not isinstance(value, list):
                return f"expected {expr} (a list) but got {_tname(value)} {_short(value)}"
            for idx, elem in enumerate(value):
                error = self._check_value(expr[:-2], elem, f"{path}[{idx}]")
                if error:
                    return error
            return None
        if expr.startswith("dictionary[") and expr.endswith("]"):
            key_kind, value_kind = _split_top_level(expr[len("dictionary[") : -1])
            if not isinstance(value, dict):
                return f"expected {expr} but got {_tname(value)} {_short(value)}"
            for key, elem in value.items():
                key_error = self._check_value(key_kind, key, path)
                if key_error:
                    return f"dictionary key {key!r}: {key_error}"
                error = self._check_value(value_kind, elem, f"{path}.{key}")
                if error:
                    return f"value of key {key!r}: {error}"
            return None
        if expr in SYNTHETIC_KINDS or expr == "any":
            return None
        if expr in PREDEFINED:
            return _check_simple(expr, value)
        kind = self.kinds.get(expr)
        if isinstance(kind, SimpleKind):
            error = _check_simple(kind.runtime_kind, value)
            if error:
                return error
            if kind.enum is not None and value not in kind.enum:
                return f"value {value!r} is not one of the values of enum {kind.fqn}: {kind.enum}"
            return None
        if isinstance(kind, ComplexKind):
            return self._check_complex(kind, value, f"{path}.")
        return f"unknown kind {expr}"


def _tname(value: Any) -> str:
    return {dict: "object", list: "list", str: "string", bool: "boolean", int: "int", float: "float"}.get(
        type(value), type(value).__name__
    )


def _short(value: Any) -> str:
    text = json.dumps(value)
    return text if len(text) < 80 else text[:77] + "..."


def _check_simple(runtime: str, value: Any) -> str | None:
    ok: bool
    if runtime == "any":
        ok = True
    elif runtime == "string":
        ok = isinstance(value, str)
    elif runtime in ("int32", "int64"):
        ok = (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, float) and value.is_integer()
        )
        if ok and runtime == "int32" and not -(2**31) <= value < 2**31:
            return f"value {value} is out of range for int32"
    elif runtime in ("float", "double"):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    elif runtime == "boolean":
        ok = isinstance(value, bool)
    elif runtime == "datetime":
        ok = isinstance(value, str) and _valid_datetime(value)
    elif runtime == "date":
        ok = isinstance(value, str) and bool(_ISO_DATE.match(value)) and _valid_date(value)
    elif runtime == "duration":
        ok = isinstance(value, str) and bool(_DURATION.match(value) or _ISO_DURATION.match(value))
    else:
        ok = True
    return None if ok else f"expected {runtime} but got {_tname(value)} {_short(value)}"


def _valid_datetime(text: str) -> bool:
    if not _ISO_DATETIME.match(text):
        return False
    try:
        datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _valid_date(text: str) -> bool:
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def reference_kinds() -> tuple[list[dict[str, Any]], set[str]]:
    """The model a core that ran Resoto 3.9 workers holds: base kinds plus the cloud resource kinds.

    The resource kinds file only has names, bases and successor kinds. A few mixin bases
    (e.g. `example_resource`) are not in the data; they are added as provisional placeholders that
    a later update may define freely.
    """
    base = json.loads((FIXTURES / "base-kinds.json").read_text())
    resources = json.loads((FIXTURES / "resource-kinds.json").read_text())
    kinds: list[dict[str, Any]] = list(base)
    for js in resources:
        kinds.append(
            {
                "fqn": js["fqn"],
                "bases": js.get("bases") or [],
                "properties": [],
                "allow_unknown_props": False,
                "successor_kinds": js.get("successor_kinds"),
                "aggregate_root": True,
                "metadata": None,
            }
        )
    known = {k["fqn"] for k in kinds}
    missing = sorted({b for k in kinds for b in k.get("bases") or [] if b not in known})
    for name in missing:
        kinds.append(
            {
                "fqn": name,
                "bases": [],
                "properties": [],
                "allow_unknown_props": False,
                "successor_kinds": None,
                "aggregate_root": False,
                "metadata": None,
            }
        )
    return kinds, set(missing)


def reference_model() -> Model:
    kinds, provisional = reference_kinds()
    return Model(kinds, provisional)
