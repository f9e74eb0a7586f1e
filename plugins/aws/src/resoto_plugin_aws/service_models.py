"""botocore's data files as the plugin keeps them: parsed once per process, one at a time, lean.

:class:`LeanLoader` is the data loader of every botocore session of the plugin
(:func:`resoto_plugin_aws.sessions.shared_loader`). Compared with botocore's own loader:

* Plain dicts: botocore parses into ``OrderedDict`` (half again the memory, twice the time);
  a dict keeps its order as well.
* One service model parsed at a time: a full model is several times its lean copy, and threads
  that need models at once would hold their full parses side by side (and race on the cache).
* A service model (``service-2``) keeps only the operations the plugin's code names and the shapes
  they reach: the plugin uses about one operation in ten, and the rest is most of a model's
  memory. An operation counts as named when its name appears in the package's source as a string
  (``"DescribeInstances"``) or its snake-case name as a string or a method call
  (``.describe_instances(``). Models whose operations botocore calls itself (credentials, S3's
  region redirects) or whose names the plugin builds are kept whole (:data:`KEEP_WHOLE`).
* No documentation strings (emptied, not removed: botocore reads some keys with ``[]``).
* The lean model is a fresh copy with interned strings, made before the full parse is dropped: the
  kept objects do not pin the memory of the dropped ones, which the allocator can then give back.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import sys
import threading
from pathlib import Path
from typing import Any

import botocore.loaders
from botocore import xform_name

KEEP_WHOLE = frozenset({"sts", "sso", "sso-oidc", "s3", "cloudfront"})
"""Service models never pruned: botocore calls their operations itself, or the plugin builds names."""

DOC_KEYS = frozenset({"documentation", "documentationUrl", "examples"})
_NAMED = frozenset({"operations", "shapes", "members"})
"""Keys whose values are dicts keyed by names rather than by model keywords."""


class PlainJSONFileLoader(botocore.loaders.JSONFileLoader):  # type: ignore[misc]
    """botocore's JSON file loader (``.json``, then ``.json.gz``), parsing into plain dicts."""

    def load_file(self, file_path: str) -> Any:
        for ext, opener in ((".json", open), (".json.gz", gzip.open)):
            path = file_path + ext
            if os.path.isfile(path):
                with opener(path, "rb") as fp:
                    return json.loads(fp.read())
        return None


class LeanLoader(botocore.loaders.Loader):  # type: ignore[misc]
    """A botocore loader whose service models hold only what the plugin can use (see the module)."""

    FILE_LOADER_CLASS = PlainJSONFileLoader

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._models: dict[tuple[str, str, str | None], Any] = {}
        self._parse_lock = threading.Lock()

    def load_service_model(self, service_name: str, type_name: str, api_version: str | None = None) -> Any:
        key = (service_name, type_name, api_version)
        found = self._models.get(key)
        if found is None:
            with self._parse_lock:
                found = self._models.get(key)
                if found is None:
                    found = super().load_service_model(service_name, type_name, api_version)
                    if type_name == "service-2" and isinstance(found, dict):
                        make_lean(found, whole=service_name in KEEP_WHOLE)
                    self._models[key] = found
        return found


def make_lean(model: dict[str, Any], *, whole: bool = False) -> None:
    """Replace ``model``'s contents by a lean copy (in place: botocore's caches hold the dict)."""
    operations: dict[str, Any] = model.get("operations") or {}
    shapes: dict[str, Any] = model.get("shapes") or {}
    if not whole:
        named = named_operations(operations)
        operations = {name: op for name, op in operations.items() if name in named}
        reached = reached_shapes(operations, shapes)
        shapes = {name: shape for name, shape in shapes.items() if name in reached}
    kept = {**model, "operations": operations, "shapes": shapes}
    lean = _lean_copy(kept)
    model.clear()
    model.update(lean)


def _lean_copy(node: Any, names: bool = False) -> Any:
    """A copy with interned strings and emptied documentation. ``names``: the keys of ``node`` are
    names (of shapes, operations, members: Bedrock's ``GuardrailTopic`` has a member ``examples``)."""
    if isinstance(node, dict):
        return {
            sys.intern(k): type(v)()
            if k in DOC_KEYS and not names
            else _lean_copy(v, k in _NAMED and not names)
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_lean_copy(v) for v in node]
    if isinstance(node, str):
        return sys.intern(node)
    return node


_names_lock = threading.Lock()
_names: tuple[frozenset[str], frozenset[str], frozenset[str]] | None = None


def _source_names() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The words the package's source quotes with ``"``, with ``'``, and calls as ``.name(``."""
    global _names
    with _names_lock:
        if _names is None:
            package = Path(__file__).resolve().parent
            text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(package.rglob("*.py")))
            _names = (
                frozenset(re.findall(r'"(\w+)(?=")', text)),
                frozenset(re.findall(r"'(\w+)(?=')", text)),
                frozenset(re.findall(r"\.(\w+)\(", text)),
            )
        return _names


def named_operations(operations: dict[str, Any]) -> set[str]:
    """The operations the package's source names (see the module)."""
    double, single, calls = _source_names()
    out: set[str] = set()
    for op in operations:
        if op in double or op in single:
            out.add(op)
        else:
            snake = xform_name(op)
            if snake in calls or snake in double:
                out.add(op)
    return out


def reached_shapes(operations: dict[str, Any], shapes: dict[str, Any]) -> set[str]:
    """The names of the shapes the operations' inputs, outputs and errors reach."""
    reached: set[str] = set()
    todo: list[str] = []
    for op in operations.values():
        for key in ("input", "output"):
            if isinstance(op.get(key), dict) and "shape" in op[key]:
                todo.append(op[key]["shape"])
        todo.extend(e["shape"] for e in op.get("errors", ()) if isinstance(e, dict) and "shape" in e)
    while todo:
        name = todo.pop()
        if name in reached or name not in shapes:
            continue
        reached.add(name)
        shape = shapes[name]
        todo.extend(member["shape"] for member in (shape.get("members") or {}).values())
        for key in ("member", "key", "value"):
            if isinstance(shape.get(key), dict) and "shape" in shape[key]:
                todo.append(shape[key]["shape"])
    return reached
