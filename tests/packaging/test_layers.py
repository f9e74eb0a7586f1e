"""The house rules of the source trees, as tests: who may import whom.

An import graph of every package under ``hookspecs/src``, ``kernel/src`` and ``plugins/*/src``, read
with :mod:`ast` (nothing is imported). Every import counts: module-level, inside a function, under
``if TYPE_CHECKING:``, relative ones (resolved against the importing module), and
``importlib.import_module("...")`` / ``__import__("...")`` with a literal name. ``from a import b``
is an import of the module ``a.b`` when there is one, else of ``a``.

The contracts:

* **independence**: the kernel imports no plugin; a plugin imports neither the kernel nor another
  plugin; ``resoto_hookspecs`` (the floor) imports neither (``FORBIDDEN``).
* **no cycles** among the modules of each package (the message names the cycle, file and line).
* **layers** of the kernel and the AWS plugin (``LAYERS``): a module imports only modules of its
  own layer or of the layers below it. The table must name every module of the package, and only
  modules that exist, so a new module is placed on purpose.

The tests at the end plant a kernel import and a cycle in a copy of a plugin's sources and show the
checker reports them.
"""

from __future__ import annotations

import ast
import functools
import itertools
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from support import ROOT

# -- the rules, as data --------------------------------------------------------------------------

KERNEL = "resotoworker"
FLOOR = "resoto_hookspecs"
PLUGIN_PREFIX = "resoto_plugin_"

# Layers, top first. A module may import modules of its own layer and of the layers below, never
# one above. An entry names a module relative to the package ("cli"), or a subpackage with all its
# modules ("services"); "__init__" is the package itself. The names are the modules as they are;
# "planned:" comments say where the modules of the split (issue 20) go when they land.
LAYERS: dict[str, list[list[str]]] = {
    KERNEL: [
        ["__main__", "cli"],  # entry: parse flags, pick a mode
        ["daemon", "oneshot", "web", "actions", "channels"],  # modes; the daemon's dispatch and sessions
        # the data paths
        [
            "collect",
            "collect_units",
            "collect_record",
            "cleanup",
            "cleanup_order",
            "cleanup_plan",
            "tasks",
            "live_config",
        ],
        ["isolation", "collect_report", "feedback"],  # a child process; what a collect did; feedback
        ["spool", "carry", "nodes", "core_client", "auth", "tls"],  # graph data, the core's client
        ["plugins", "hooks", "units", "reporters", "failures", "config", "progress", "metrics", "logs"],
        ["errors", "tuning", "values", "background", "__init__"],  # leaves
    ],
    "resoto_plugin_aws": [
        ["plugin"],  # the hookimpls
        ["actions", "collector"],  # what the hooks do: act on one resource; collect one unit
        ["convert", "findings"],  # API answers -> resources (shape, enrich, to_resource); findings
        ["calls"],  # ApiContext: every call of collection and actions, limiter and counting
        ["accounts", "sessions", "service_models"],  # clients, their service models, and accounts
        ["registry", "iam_policy"],  # the index of the declarations, and what is derived from it
        ["services"],  # one module per AWS service: its kinds and how to read and act on them
        ["spec", "resources"],  # the declaration types and the base kinds
        ["config", "errors", "__init__"],
    ],
}

# importer package -> predicate over the imported top-level package: True means forbidden
FORBIDDEN_WHY = {
    "kernel imports a plugin": lambda importer, imported: (
        importer == KERNEL and imported.startswith(PLUGIN_PREFIX)
    ),
    "plugin imports the kernel": lambda importer, imported: (
        importer.startswith(PLUGIN_PREFIX) and imported == KERNEL
    ),
    "plugin imports another plugin": lambda importer, imported: (
        importer.startswith(PLUGIN_PREFIX) and imported.startswith(PLUGIN_PREFIX) and imported != importer
    ),
    "hookspecs import the kernel or a plugin": lambda importer, imported: (
        importer == FLOOR and (imported == KERNEL or imported.startswith(PLUGIN_PREFIX))
    ),
}

# -- the checker ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    text: str
    path: str  # for messages
    is_package: bool = False  # an __init__.py


@dataclass(frozen=True)
class Import:
    importer: str
    imported: str  # a module of the tree when it is one, else the dotted name as written
    line: int
    where: str  # "module level", "in a function", "under TYPE_CHECKING"
    path: str

    def describe(self) -> str:
        return f"{self.importer} -> {self.imported} ({self.path}:{self.line}, {self.where})"


def read_tree(roots: Iterable[Path] | None = None) -> dict[str, Source]:
    """Every module of every package below the source roots, by dotted name."""
    if roots is None:
        roots = [ROOT / "hookspecs" / "src", ROOT / "kernel" / "src", *sorted(ROOT.glob("plugins/*/src"))]
    modules: dict[str, Source] = {}
    for src in roots:
        for init in sorted(src.glob("*/__init__.py")):
            for path in sorted(init.parent.rglob("*.py")):
                parts = path.relative_to(src).with_suffix("").parts
                is_package = parts[-1] == "__init__"
                name = ".".join(parts[:-1] if is_package else parts)
                rel = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
                modules[name] = Source(path.read_text(encoding="utf-8"), rel, is_package)
    return modules


class _Finder(ast.NodeVisitor):
    def __init__(self) -> None:
        self.found: list[tuple[int, int, str | None, list[str], str]] = []  # line, level, base, names, where
        self._functions = 0
        self._type_checking = 0

    def _where(self) -> str:
        if self._type_checking:
            return "under TYPE_CHECKING"
        return "in a function" if self._functions else "module level"

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
        self._functions += 1
        self.generic_visit(node)
        self._functions -= 1

    visit_AsyncFunctionDef = visit_FunctionDef
    visit_Lambda = visit_FunctionDef

    def visit_If(self, node: ast.If) -> None:
        test = node.test
        guarded = (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
            isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
        )
        self.visit(node.test)
        self._type_checking += guarded
        for child in node.body:
            self.visit(child)
        self._type_checking -= guarded
        for child in node.orelse:
            self.visit(child)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.found.append((node.lineno, 0, alias.name, [], self._where()))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        names = [a.name for a in node.names if a.name != "*"]
        self.found.append((node.lineno, node.level, node.module, names, self._where()))

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name in ("import_module", "__import__") and node.args:
            arg = node.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and not arg.value.startswith("."):
                self.found.append((node.lineno, 0, arg.value, [], self._where()))
        self.generic_visit(node)


def _resolve(importer: str, is_package: bool, level: int, base: str | None) -> str:
    if not level:
        return base or ""
    package = importer.split(".") if is_package else importer.split(".")[:-1]
    if level - 1 > len(package) - 1:
        raise ValueError(f"{importer}: relative import beyond the top-level package")
    anchor = package[: len(package) - (level - 1)]
    return ".".join([*anchor, base] if base else anchor)


def _known(name: str, modules: Mapping[str, Source]) -> str:
    """The longest prefix of ``name`` that is a module of the tree, else ``name`` itself."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in modules:
            return candidate
    return name


@functools.cache
def _raw_imports(text: str, path: str) -> list[tuple[int, int, str | None, list[str], str]]:
    finder = _Finder()
    finder.visit(ast.parse(text, path))
    return finder.found


def imports(modules: Mapping[str, Source]) -> list[Import]:
    """Every import of every module, resolved to the tree's modules where they are ones."""
    found: list[Import] = []
    for name, source in sorted(modules.items()):
        for line, level, base, names, where in _raw_imports(source.text, source.path):
            target = _resolve(name, source.is_package, level, base)
            targets = [f"{target}.{n}" if f"{target}.{n}" in modules else target for n in names] or [target]
            for t in dict.fromkeys(targets):
                found.append(Import(name, _known(t, modules), line, where, source.path))
    return found


def top(module: str) -> str:
    return module.split(".", 1)[0]


def independence_violations(modules: Mapping[str, Source]) -> list[str]:
    return [
        f"{why}: {imp.describe()}"
        for imp in imports(modules)
        for why, forbidden in FORBIDDEN_WHY.items()
        if forbidden(top(imp.importer), top(imp.imported))
    ]


def find_cycles(modules: Mapping[str, Source], package: str) -> list[str]:
    """One cycle per strongly connected group of ``package``'s modules, as a path with its imports."""
    graph: dict[str, dict[str, Import]] = {m: {} for m in modules if top(m) == package}
    for imp in imports({m: s for m, s in modules.items() if top(m) == package}):
        if imp.imported in graph:
            graph[imp.importer].setdefault(imp.imported, imp)
    cycles = []
    for group in _strongly_connected(graph):
        start = min(group)
        if len(group) == 1 and start not in graph[start]:
            continue
        path = _shortest_cycle(graph, start, group)
        steps = [graph[a][b] for a, b in itertools.pairwise(path)]
        lines = [" -> ".join(path), *(s.describe() for s in steps)]
        if len(group) > len(path) - 1:
            lines.append(f"(one of the cycles among these {len(group)} modules: {', '.join(sorted(group))})")
        cycles.append("\n    ".join(lines))
    return cycles


def _strongly_connected(graph: Mapping[str, Mapping[str, object]]) -> Iterator[set[str]]:
    """Tarjan's algorithm, iterative."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    for root in sorted(graph):
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.add(member)
                        if member == node:
                            break
                    yield group


def _shortest_cycle(graph: Mapping[str, Mapping[str, object]], start: str, group: set[str]) -> list[str]:
    parent: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for child in sorted(graph[node]):
            if child == start:
                path = [node]
                while path[-1] != start:
                    path.append(parent[path[-1]])
                return [start, *reversed(path[:-1]), start] if node != start else [start, start]
            if child in group and child not in parent:
                parent[child] = node
                queue.append(child)
    raise AssertionError(f"no cycle through {start}")  # cannot happen in a strongly connected group


def layer_of(module: str, package: str, layers: list[list[str]]) -> int | None:
    """The index of the module's layer (0 is the top), or ``None`` when the table does not place it."""
    rel = "__init__" if module == package else module[len(package) + 1 :]
    for depth, layer in enumerate(layers):
        for entry in layer:
            if rel == entry or rel.startswith(entry + "."):
                return depth
    return None


def layer_violations(modules: Mapping[str, Source], package: str, layers: list[list[str]]) -> list[str]:
    found = []
    for imp in imports({m: s for m, s in modules.items() if top(m) == package}):
        if top(imp.imported) != package or imp.imported not in modules:
            continue
        mine, theirs = layer_of(imp.importer, package, layers), layer_of(imp.imported, package, layers)
        if mine is not None and theirs is not None and theirs < mine:
            above = ", ".join(layers[theirs])
            found.append(f"{imp.describe()}: imports from the layer above it [{above}]")
    return found


def unplaced(modules: Mapping[str, Source], package: str, layers: list[list[str]]) -> list[str]:
    """Modules the table does not place, and entries that name no module (stale)."""
    names = [m for m in modules if top(m) == package]
    missing = [m for m in names if layer_of(m, package, layers) is None]
    stale = [
        f"{package}.{entry} (in the table, but no such module)"
        for layer in layers
        for entry in layer
        if not any(layer_of(m, package, [[entry]]) is not None for m in names)
    ]
    return missing + stale


# -- the tests over the real trees ---------------------------------------------------------------

TREE = read_tree()
PACKAGES = sorted({top(m) for m in TREE})


def test_the_tree_holds_the_kernel_the_floor_and_the_plugins() -> None:
    # the checker reads what it should: a missing package would make every contract pass
    assert {KERNEL, FLOOR, "resoto_plugin_aws", "resoto_plugin_gcp", "resoto_plugin_slack"} <= set(PACKAGES)
    assert "resotoworker.spool" in TREE and "resoto_plugin_aws.services.ec2" in TREE
    assert any(i.imported == "resoto_hookspecs" for i in imports(TREE) if top(i.importer) == KERNEL)


@pytest.mark.parametrize("package", PACKAGES)
def test_independence(package: str) -> None:
    violations = independence_violations({m: s for m, s in TREE.items() if top(m) == package})
    assert not violations, "\n".join(violations)


@pytest.mark.parametrize("package", PACKAGES)
def test_no_import_cycle(package: str) -> None:
    cycles = find_cycles(TREE, package)
    assert not cycles, f"{len(cycles)} import cycle(s) in {package}:\n" + "\n".join(cycles)


@pytest.mark.parametrize("package", sorted(LAYERS))
def test_layers(package: str) -> None:
    violations = layer_violations(TREE, package, LAYERS[package])
    assert not violations, "\n".join(violations)


@pytest.mark.parametrize("package", sorted(LAYERS))
def test_the_layer_table_places_every_module(package: str) -> None:
    problems = unplaced(TREE, package, LAYERS[package])
    assert not problems, f"place these in LAYERS[{package!r}] (or drop stale entries):\n" + "\n".join(
        problems
    )


# -- the checker fails on what it must catch -----------------------------------------------------

PLANTS = {  # what is planted, and where the checker must say it is
    "import": ("import resotoworker\n", "module level"),
    "from-import in a function": (
        "def f() -> None:\n    from resotoworker.spool import AccountSpool  # noqa\n",
        "in a function",
    ),
    "TYPE_CHECKING": (
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import resotoworker.cli\n",
        "under TYPE_CHECKING",
    ),
    "import_module": (
        "import importlib\nPLUGIN = importlib.import_module('resotoworker.plugins')\n",
        "module level",
    ),
    "another plugin": ("import resoto_plugin_aws.config\n", "module level"),
}


def example_plugin() -> dict[str, Source]:
    return {m: s for m, s in TREE.items() if top(m) == "resoto_plugin_example"}


@pytest.mark.parametrize("plant", sorted(PLANTS))
def test_a_planted_kernel_import_in_a_plugin_fails_the_checker(plant: str) -> None:
    tree = example_plugin()
    assert independence_violations(tree) == []  # clean before the plant
    code, where = PLANTS[plant]
    plugin = tree["resoto_plugin_example.plugin"]
    tree["resoto_plugin_example.plugin"] = Source(plugin.text + "\n" + code, plugin.path)
    violations = independence_violations(tree)
    assert len(violations) == 1, violations
    assert violations[0].startswith("plugin imports ")
    assert "resoto_plugin_example.plugin -> resot" in violations[0] and where in violations[0]


def test_a_planted_kernel_import_in_the_hookspecs_fails_the_checker() -> None:
    tree = {m: s for m, s in TREE.items() if top(m) == FLOOR}
    graph = tree["resoto_hookspecs.graph"]
    tree["resoto_hookspecs.graph"] = Source(graph.text + "\nimport resotoworker.spool\n", graph.path)
    assert [v.split(":")[0] for v in independence_violations(tree)] == [
        "hookspecs import the kernel or a plugin"
    ]


def test_a_planted_cycle_is_reported_with_its_path() -> None:
    tree = example_plugin()
    assert find_cycles(tree, "resoto_plugin_example") == []
    config = tree["resoto_plugin_example.config"]
    # a relative, function-level import back from the bottom to the top closes a cycle
    plant = "\ndef late() -> None:\n    from .plugin import collect  # noqa\n"
    tree["resoto_plugin_example.config"] = Source(config.text + plant, config.path)
    cycles = find_cycles(tree, "resoto_plugin_example")
    assert len(cycles) == 1, cycles
    path = cycles[0].splitlines()[0].split(" -> ")
    assert path[0] == path[-1] and {"resoto_plugin_example.config", "resoto_plugin_example.plugin"} <= set(
        path
    )
    assert "resoto_plugin_example.config -> resoto_plugin_example.plugin" in cycles[0]
    assert "in a function" in cycles[0]


def test_a_planted_upward_import_breaks_a_layer() -> None:
    tree = {m: s for m, s in TREE.items() if top(m) == KERNEL}
    errors = tree["resotoworker.errors"]
    tree["resotoworker.errors"] = Source(errors.text + "\nfrom . import cli  # noqa\n", errors.path)
    violations = layer_violations(tree, KERNEL, LAYERS[KERNEL])
    assert any("resotoworker.errors -> resotoworker.cli" in v for v in violations), violations


def test_relative_imports_resolve_against_the_importing_module() -> None:
    tree = {
        "pkg": Source("from . import a\n", "pkg/__init__.py", is_package=True),
        "pkg.a": Source("from .b import x\nimport pkg\nfrom .sub import c\n", "pkg/a.py"),
        "pkg.b": Source("x = 1\n", "pkg/b.py"),
        "pkg.sub": Source("from ..b import x\n", "pkg/sub/__init__.py", is_package=True),
        "pkg.sub.c": Source("from . import d\nfrom .. import b\n", "pkg/sub/c.py"),
        "pkg.sub.d": Source("", "pkg/sub/d.py"),
    }
    edges = {(i.importer, i.imported) for i in imports(tree)}
    assert edges == {
        ("pkg", "pkg.a"),
        ("pkg.a", "pkg.b"),
        ("pkg.a", "pkg"),
        ("pkg.a", "pkg.sub.c"),
        ("pkg.sub", "pkg.b"),
        ("pkg.sub.c", "pkg.sub.d"),
        ("pkg.sub.c", "pkg.b"),
    }
    assert find_cycles(tree, "pkg") == [
        "pkg -> pkg.a -> pkg\n    pkg -> pkg.a (pkg/__init__.py:1, module level)\n"
        "    pkg.a -> pkg (pkg/a.py:2, module level)"
    ]
