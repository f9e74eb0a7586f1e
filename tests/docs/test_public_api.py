"""``resoto_hookspecs.__all__`` is exactly the plugin API: nothing missing, nothing borrowed.

The package once re-exported ``Any``, ``ClassVar``, ``datetime`` and ``annotations`` through a star
import. These tests fail when a helper name leaks into the package namespace again, when a name in
``__all__`` does not exist, and when a base kind is added to ``resources.py`` without being exported.
"""

from __future__ import annotations

import ast
import inspect
import types
from pathlib import Path

import resoto_hookspecs
from resoto_hookspecs import resources
from support import ROOT

# Submodules are attributes of the package once imported; they are reachable, not re-exported names.
SUBMODULES = {"context", "errors", "graph", "kinds", "markers", "resources", "specs", "testing"}


def public_names(module: types.ModuleType) -> set[str]:
    return {
        name
        for name, value in vars(module).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }


def test_all_lists_each_name_once_and_every_name_exists() -> None:
    names = resoto_hookspecs.__all__
    assert len(names) == len(set(names))
    assert [n for n in names if not hasattr(resoto_hookspecs, n)] == []


def test_the_namespace_holds_nothing_beyond_all() -> None:
    extra = public_names(resoto_hookspecs) - set(resoto_hookspecs.__all__)
    assert extra == set(), f"names exported without being in __all__: {sorted(extra)}"
    modules = {n for n, v in vars(resoto_hookspecs).items() if isinstance(v, types.ModuleType)}
    assert modules <= SUBMODULES


def test_no_borrowed_helpers_are_exported() -> None:
    for leaked in ("Any", "ClassVar", "datetime", "annotations", "Annotated", "BaseModel", "Field", "Enum"):
        assert leaked not in resoto_hookspecs.__all__
        assert not hasattr(resoto_hookspecs, leaked), leaked
    for name in resoto_hookspecs.__all__:
        value = getattr(resoto_hookspecs, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert value.__module__.startswith("resoto_hookspecs."), (name, value.__module__)


def test_star_import_gives_exactly_all() -> None:
    namespace: dict[str, object] = {}
    exec("from resoto_hookspecs import *", namespace)
    assert set(namespace) - {"__builtins__"} == set(resoto_hookspecs.__all__)


def test_every_base_kind_of_resources_is_exported() -> None:
    tree = ast.parse(Path(inspect.getfile(resources)).read_text())
    defined = {
        node.name for node in tree.body if isinstance(node, ast.ClassDef) and not node.name.startswith("_")
    }
    assert defined, "no classes found in resources.py"
    missing = defined - set(resoto_hookspecs.__all__)
    assert missing == set(), f"classes of resoto_hookspecs.resources not exported: {sorted(missing)}"


def test_what_the_plugins_import_from_the_package_is_in_all() -> None:
    imported: set[str] = set()
    for path in sorted((ROOT / "plugins").glob("*/src/**/*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module == "resoto_hookspecs":
                imported.update(alias.name for alias in node.names)
    assert imported, "the plugins import nothing from resoto_hookspecs?"
    assert imported - set(resoto_hookspecs.__all__) == set()
