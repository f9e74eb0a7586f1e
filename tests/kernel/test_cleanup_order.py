"""Cleanup planning without a core: generations, locations from the fetched graph, search queries."""

from __future__ import annotations

import json
from pathlib import Path

from resoto_plugin_example.resources import KIND_CLASSES
from resotoworker.cleanup_order import generations
from resotoworker.cleanup_plan import plan_query
from resotoworker.nodes import FetchedGraph, location_from_ancestors, structural_role
from resotoworker.nodes import restricted_accounts as _restricted_accounts
from resotoworker.nodes import scope_filter as _scope_filter

SAMPLES = Path("/work/shared/wire-samples")


def test_generations_put_delete_targets_first() -> None:
    # A -delete-> B means B goes before A: network and volume wait for the instance
    deps = {"net": {"inst"}, "vol": {"inst"}}
    layers, stuck = generations(["net", "vol", "inst"], deps)
    assert layers == [["inst"], ["net", "vol"]]
    assert stuck == []


def test_generations_ignore_dependencies_outside_the_set() -> None:
    deps = {"a": {"b", "outside"}, "b": {"c"}}
    layers, stuck = generations(["a", "b"], deps)
    assert layers == [["b"], ["a"]]
    assert stuck == []


def test_generations_chain_and_fan_out() -> None:
    # a chain c0 <- c1 <- c2 (c2 depends on c1 ...) with a fan of leaves on every chain node
    deps: dict[str, set[str]] = {}
    members = []
    for i in range(4):
        members.append(f"c{i}")
        if i:
            deps[f"c{i}"] = {f"c{i - 1}"}
        for j in range(3):
            leaf = f"c{i}-leaf{j}"
            members.append(leaf)
            deps[leaf] = {f"c{i}"}
    layers, stuck = generations(members, deps)
    assert stuck == []
    assert len(layers) == 5
    assert layers[0] == ["c0"]
    assert set(layers[1]) == {"c1", "c0-leaf0", "c0-leaf1", "c0-leaf2"}
    assert set(layers[4]) == {"c3-leaf0", "c3-leaf1", "c3-leaf2"}
    position = {n: i for i, layer in enumerate(layers) for n in layer}
    for node, targets in deps.items():
        for target in targets:
            assert position[target] < position[node]


def test_generations_report_cycles_and_what_sits_behind_them() -> None:
    deps = {"a": {"b"}, "b": {"a"}, "c": {"a"}, "d": set()}
    layers, stuck = generations(["a", "b", "c", "d"], deps)
    assert layers == [["d"]]
    assert stuck == ["a", "b", "c"]


def _sample_lines() -> list[dict[str, object]]:
    text = (SAMPLES / "cleanup-search-response.ndjson").read_text()
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_fetched_graph_from_the_real_core_sample() -> None:
    graph = FetchedGraph(_sample_lines(), {})
    volume = "5hPmglbsysTeebkV2woQWA"
    instance = "2tM9qkmkHF4Tm0RzK3auqQ"
    assert graph.delete_deps[volume] == {instance}
    # the volume hangs below region us-east, in account "Example Account" of cloud example
    location = graph.location(volume)
    assert location is not None
    assert (location.cloud, location.account, location.region) == ("example", "Example Account", "us-east")
    # an unknown kind is recognised by its name: example_account / example_region
    assert graph.role("vfKMDXmQWbiGi7RXMUAoKA") == "account"
    assert graph.role("ZHoSnFpbxxILQHKBxsvVwA") == "cloud"
    assert graph.role(volume) is None


def test_location_prefers_the_nearest_ancestor_and_the_node_ancestors_section() -> None:
    def node(nid: str, kind: str, rid: str | None = None) -> dict[str, object]:
        return {"type": "node", "id": nid, "reported": {"id": rid or nid, "kind": kind}}

    lines = [
        node("root", "graph_root"),
        node("c", "cloud", "example"),
        node("a", "example_account", "acc-1"),
        node("r", "example_region", "us-west"),
        node("n", "example_network", "net"),
        node("i", "example_instance", "inst"),
        {"type": "edge", "from": "root", "to": "c"},
        {"type": "edge", "from": "c", "to": "a", "edge_type": "default"},
        {"type": "edge", "from": "a", "to": "r"},
        {"type": "edge", "from": "r", "to": "n"},
        {"type": "edge", "from": "n", "to": "i"},
        {"type": "edge", "from": "n", "to": "ghost"},  # unknown endpoint: skipped
    ]
    graph = FetchedGraph(lines, KIND_CLASSES)
    loc = graph.location("i")
    assert loc is not None and loc.path() == ["example", "acc-1", "us-west"]
    assert graph.location("root") is None
    with_ancestors = {
        "id": "x",
        "reported": {"id": "x", "kind": "example_volume"},
        "ancestors": {
            "cloud": {"reported": {"id": "example"}},
            "account": {"reported": {"id": "acc-9"}},
            "region": {"reported": {"id": "eu-north"}},
        },
    }
    graph2 = FetchedGraph([with_ancestors], KIND_CLASSES)
    loc2 = graph2.location("x")
    assert loc2 is not None and loc2.path() == ["example", "acc-9", "eu-north"]
    assert location_from_ancestors({"account": {"reported": {"id": "a"}}}) is None


def test_structural_roles_by_class_not_by_name() -> None:
    assert structural_role("example_account", KIND_CLASSES) == "account"
    assert structural_role("example_region", KIND_CLASSES) == "region"
    assert structural_role("example_instance", KIND_CLASSES) is None
    # unknown kinds: exact base names and the _account / _region suffix only, never *_zone (dns zones)
    assert structural_role("zone", {}) == "zone"
    assert structural_role("aws_route53_zone", {}) is None
    assert structural_role("gcp_region", {}) == "region"


def test_scope_filter_names_accounts_only_when_every_cloud_is_restricted() -> None:
    assert _scope_filter(["example"], {}) == '/ancestors.cloud.reported.id in ["example"]'
    restricted = _restricted_accounts(["example", "aws"], {"example": {"acc-2", "acc-1"}, "aws": set()})
    assert restricted == {"example": {"acc-1", "acc-2"}}
    assert "account" not in _scope_filter(["example", "aws"], restricted)
    assert _scope_filter(["example"], restricted) == (
        '/ancestors.cloud.reported.id in ["example"] and /ancestors.account.reported.id in ["acc-1", "acc-2"]'
    )
    assert _restricted_accounts(["example"], None) == {}
    assert plan_query(["example"], {}).endswith("<-default[0:]-")
