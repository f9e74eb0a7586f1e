"""Every installed plugin's kinds are accepted by a core that already holds Resoto's model.

A resotocore that ran Resoto 3.9 workers holds their model; it refuses a PATCH that changes the bases
of an existing kind or the kind of an existing property. ``ThreadedCoreSimulator(preload_model=True)``
holds that model and applies the same checks. The model is sent over HTTP, as the worker does.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from coresim import ThreadedCoreSimulator
from resoto_hookspecs import BaseInstance, BaseResource, resource_kinds
from resotoworker.plugins import PluginHost, build_plugin_host

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "reference-model"
Json = dict[str, Any]

_HOST = build_plugin_host()
PLUGINS = sorted(_HOST.plugins)


@pytest.fixture(scope="module")
def host() -> PluginHost:
    assert _HOST.problems == [], f"installed plugins failed to load: {_HOST.problems}"
    return _HOST


@pytest.fixture
def core() -> Iterator[ThreadedCoreSimulator]:
    with ThreadedCoreSimulator(preload_model=True) as sim:
        yield sim


def patch_model(core: ThreadedCoreSimulator, kinds: list[Json]) -> tuple[int, str]:
    request = urllib.request.Request(
        f"{core.url}/graph/resoto/model",
        data=json.dumps(kinds).encode(),
        method="PATCH",
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_the_installed_plugins_are_the_expected_ones() -> None:
    # the suite only means something if it sees the plugins of this repository
    assert {"example", "aws", "gcp", "slack"} <= set(PLUGINS)


@pytest.mark.parametrize("plugin", PLUGINS)
def test_plugin_model_patches_cleanly_into_a_core_with_the_reference_model(
    plugin: str, host: PluginHost, core: ThreadedCoreSimulator
) -> None:
    kinds = host.model([plugin])
    own = {cls.kind for cls in host.plugins[plugin].kinds}
    assert own <= {k["fqn"] for k in kinds}
    status, body = patch_model(core, kinds)
    assert status == 200, f"plugin {plugin}: the core refused its model: {body}"
    assert core.violations == []
    held = {k["fqn"] for k in core.model().to_json()}
    assert own <= held


def test_all_plugins_together_patch_cleanly(host: PluginHost, core: ThreadedCoreSimulator) -> None:
    status, body = patch_model(core, host.model())
    assert status == 200, body
    # sending the same model again (every worker start does) is accepted too
    status, body = patch_model(core, host.model())
    assert status == 200, body


@pytest.mark.parametrize("plugin", PLUGINS)
def test_shared_kind_names_have_the_reference_bases(plugin: str, host: PluginHost) -> None:
    reference = {k["fqn"]: k for k in json.loads((FIXTURES / "resource-kinds.json").read_text())}
    base_kinds = {k["fqn"]: k for k in json.loads((FIXTURES / "base-kinds.json").read_text())}
    mismatches = []
    for kind in host.model([plugin]):
        ref = reference.get(kind["fqn"]) or base_kinds.get(kind["fqn"])
        if ref is None or "bases" not in ref:
            continue
        if sorted(kind.get("bases") or []) != sorted(ref.get("bases") or []):
            mismatches.append(f"{kind['fqn']}: bases {kind.get('bases')} != reference {ref.get('bases')}")
    assert mismatches == [], f"plugin {plugin}"


def property_paths(kinds: dict[str, Json]) -> dict[str, dict[str, str]]:
    """For every resource kind (aggregate root), each property path with its kind, bases included."""

    def props_of(fqn: str, seen: frozenset[str]) -> list[Json]:
        kind = kinds.get(fqn)
        if kind is None or "properties" not in kind or fqn in seen:
            return []
        out = []
        for base in kind.get("bases") or []:
            out.extend(props_of(base, seen | {fqn}))
        return out + list(kind["properties"])

    def walk(fqn: str, prefix: str, seen: frozenset[str], acc: dict[str, str]) -> None:
        for prop in props_of(fqn, frozenset()):
            path = f"{prefix}{prop['name']}"
            acc.setdefault(path, prop["kind"])
            inner = prop["kind"].removesuffix("[]")
            if inner in kinds and "properties" in kinds[inner] and inner not in seen:
                walk(inner, f"{path}.", seen | {inner}, acc)

    result = {}
    for fqn, kind in kinds.items():
        # dynamic kinds (resource_short_property_access) are shortcuts, not stored properties
        if (kind.get("metadata") or {}).get("dynamic"):
            continue
        if kind.get("aggregate_root") and "properties" in kind:
            acc: dict[str, str] = {}
            walk(fqn, "", frozenset({fqn}), acc)
            result[fqn] = acc
    return result


def path_conflicts(kinds: list[Json]) -> list[str]:
    """Property paths that have different kinds in different resource kinds (a core refuses those)."""
    by_fqn = {k["fqn"]: k for k in kinds}
    seen: dict[str, tuple[str, str]] = {}
    conflicts = []
    for fqn, paths in sorted(property_paths(by_fqn).items()):
        for path, kind in paths.items():
            if kind == "any":
                continue
            first = seen.setdefault(path, (kind, fqn))
            if first[0] != kind:
                conflicts.append(f"{path}: {first[0]} in {first[1]}, {kind} in {fqn}")
    return conflicts


@pytest.mark.parametrize("plugin", [*PLUGINS, "all"])
def test_property_paths_have_one_kind_across_the_model(plugin: str, host: PluginHost) -> None:
    reference = json.loads((FIXTURES / "base-kinds.json").read_text())
    ours = {k["fqn"]: k for k in host.model(None if plugin == "all" else [plugin])}
    combined = {**{k["fqn"]: k for k in reference}, **ours}
    assert path_conflicts(list(combined.values())) == [], f"plugin {plugin}"


# -- the checks above can fail ---------------------------------------------------------------


class ClashingInstance(BaseInstance):
    kind: ClassVar[str] = "clashing_instance"
    volume_size: str | None = None  # int64 in the reference's volume kinds


class RetypedVolume(BaseResource):
    kind: ClassVar[str] = "volume"
    volume_size: str | None = None  # int64 in the reference's volume


def test_an_incompatible_kind_is_refused_by_the_core(core: ThreadedCoreSimulator) -> None:
    status, body = patch_model(core, resource_kinds([RetypedVolume]))
    assert status == 400 and "volume_size" in body


def test_a_property_path_clash_is_found() -> None:
    reference = json.loads((FIXTURES / "base-kinds.json").read_text())
    kinds = {k["fqn"]: k for k in reference}
    kinds.update({k["fqn"]: k for k in resource_kinds([ClashingInstance])})
    conflicts = path_conflicts(list(kinds.values()))
    # int64 in database, snapshot and volume; string in the new kind
    assert sorted(conflicts) == [
        f"volume_size: string in clashing_instance, int64 in {other}"
        for other in ("database", "snapshot", "volume")
    ]
