"""The graph builder: stable node ids, node and edge lines, validation, trimming, cancellation."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from typing import Any, ClassVar

import pytest
from resoto_hookspecs import (
    BaseAccount,
    BaseInstance,
    BaseNetwork,
    BaseRegion,
    BaseVolume,
    CollectionCancelled,
    CollectionUnit,
    EdgeType,
    GraphBuilder,
    MemorySink,
    RecordingReporter,
    graph,
    node_id,
)
from resoto_hookspecs.graph import validate_edges
from resoto_hookspecs.resources import GraphRoot


class TAccount(BaseAccount):
    kind: ClassVar[str] = "t_account"


class TRegion(BaseRegion):
    kind: ClassVar[str] = "t_region"


class TNetwork(BaseNetwork):
    kind: ClassVar[str] = "t_network"


class TInstance(BaseInstance):
    kind: ClassVar[str] = "t_instance"
    user_data: str | None = None


class TVolume(BaseVolume):
    kind: ClassVar[str] = "t_volume"


class TPhantom(GraphRoot):
    kind: ClassVar[str] = "t_phantom"


def make_unit(region: str | None = "r1", account: str = "acc") -> CollectionUnit:
    return CollectionUnit(
        "tcloud", TAccount(id=account), TRegion(id=region) if region else None, f"{account}/{region}"
    )


@pytest.fixture
def setup() -> tuple[GraphBuilder, MemorySink, RecordingReporter]:
    sink, reporter = MemorySink(), RecordingReporter()
    return GraphBuilder(make_unit(), sink, reporter), sink, reporter


# -- node ids -----------------------------------------------------------------------------------


IDENTITY = ("t_instance", "tcloud", "acc", "r1", "i-1")


def test_node_ids_are_stable_and_distinct_per_identity() -> None:
    base = node_id(*IDENTITY)
    assert node_id(*IDENTITY) == base
    variants = set()
    for i in range(len(IDENTITY)):
        changed = list(IDENTITY)
        changed[i] = f"{changed[i]}x"
        variants.add(node_id(*changed))  # type: ignore[arg-type]
    variants.add(node_id("t_instance", "tcloud", "acc", None, "i-1"))
    variants.add(node_id("t_instance", "tcloud", None, None, "i-1"))
    # components must not run into each other
    variants.add(node_id("t_instance", "tcloud", "ac", "cr1", "i-1"))
    variants.add(node_id("t_instance", "tcloud", "acc", "r", "1i-1"))
    assert base not in variants
    assert len(variants) == len(IDENTITY) + 4
    # usable as a node id: short, ASCII, no separators the core or a URL would trip over
    for nid in (base, *variants):
        assert nid.isascii() and 10 <= len(nid) <= 64
        assert not set(nid) & set('/"\\ \n?#%')


def test_node_ids_do_not_depend_on_the_process() -> None:
    args = ", ".join(map(repr, IDENTITY))
    code = f"from resoto_hookspecs import node_id; print(node_id({args}))"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == node_id(*IDENTITY)


def test_builder_node_id_defaults_to_the_units_region(setup: Any) -> None:
    builder, _, _ = setup
    assert builder.node_id("t_instance", "i-1") == node_id(*IDENTITY)
    assert builder.node_id(TInstance, "i-1") == node_id(*IDENTITY)
    assert builder.node_id(TInstance, "i-1", region="r2") == node_id(
        "t_instance", "tcloud", "acc", "r2", "i-1"
    )
    assert builder.node_id(TInstance, "i-1", region=None) == node_id(
        "t_instance", "tcloud", "acc", None, "i-1"
    )
    # another unit of the same account computes the same id: cross-unit references work
    other = GraphBuilder(make_unit("r2"), MemorySink())
    assert other.node_id(TInstance, "i-1", region="r1") == builder.node_id(TInstance, "i-1")
    assert builder.region_node_id == node_id("t_region", "tcloud", "acc", "r1", "r1")
    assert builder.account_node_id == node_id("t_account", "tcloud", "acc", None, "acc")


def test_hierarchy_ids_and_wire_lines_have_one_home() -> None:
    # the kernel's spool writes the hierarchy and the deferred edges with these (no copy of its own)
    assert graph.ROOT_ID == "root"
    assert graph.cloud_node_id("tcloud") == node_id("cloud", "tcloud", None, None, "tcloud")
    assert graph.account_node_id("tcloud", TAccount(id="acc")) == make_builder_ids()[0]
    assert graph.region_node_id("tcloud", "acc", TRegion(id="r1")) == make_builder_ids()[1]
    assert graph.edge_line("a", "b") == b'{"from":"a","to":"b"}\n'
    assert graph.edge_line("a", "b", "delete") == b'{"from":"a","to":"b","edge_type":"delete"}\n'
    assert graph.deferred_edge_line("a", "b", "delete") == (
        b'{"from_selector":{"node_id":"a"},"to_selector":{"node_id":"b"},"edge_type":"delete"}\n'
    )
    line = graph.node_line("n1", TInstance(id="i-1", tags={"kind": "x"}))
    assert (graph.node_line_id(line), graph.node_line_kind(line)) == ("n1", "t_instance")


def make_builder_ids() -> tuple[str, str | None]:
    builder = GraphBuilder(make_unit(), MemorySink())
    return builder.account_node_id, builder.region_node_id


# -- add ------------------------------------------------------------------------------------------


def test_add_writes_a_node_line_and_an_edge_from_the_region(setup: Any) -> None:
    builder, sink, reporter = setup
    inst = TInstance(id="i-1", tags={"a": "b"}, instance_cores=2)
    nid = builder.add(inst)
    assert nid == node_id(*IDENTITY) == inst.node_id
    node = sink.nodes[nid]
    assert node["id"] == nid
    assert node["reported"] == {
        "id": "i-1",
        "name": "i-1",
        "tags": {"a": "b"},
        "instance_cores": 2.0,
        "kind": "t_instance",
    }
    assert node["metadata"]["python_type"].endswith("TInstance")
    assert node["metadata"]["protected"] is False
    assert node["metadata"]["phantom"] is False
    assert sink.edges == [(builder.region_node_id, nid, "default")]
    assert (builder.nodes_added, builder.edges_added, builder.dropped) == (1, 1, 0)
    assert reporter.errors == []


def test_add_below_a_parent_resource_or_node_id(setup: Any) -> None:
    builder, sink, _ = setup
    net = TNetwork(id="n-1")
    net_id = builder.add(net)
    inst_id = builder.add(TInstance(id="i-1"), parent=net)
    vol_id = builder.add(TVolume(id="v-1"), parent=inst_id, protected=True)
    phantom_id = builder.add(TPhantom(id="p"))
    assert sink.edges == [
        (builder.region_node_id, net_id, "default"),
        (net_id, inst_id, "default"),
        (inst_id, vol_id, "default"),
        (builder.region_node_id, phantom_id, "default"),
    ]
    assert sink.nodes[vol_id]["metadata"]["protected"] is True
    assert sink.nodes[phantom_id]["metadata"]["phantom"] is True
    # each node line is one line of valid JSON: the node id never leaks into reported
    assert all("node_id" not in json.dumps(n["reported"]) for n in sink.nodes.values())


def test_a_unit_without_region_hangs_resources_below_the_account() -> None:
    sink = MemorySink()
    builder = GraphBuilder(make_unit(region=None), sink)
    nid = builder.add(TNetwork(id="global"))
    assert nid == node_id("t_network", "tcloud", "acc", None, "global")
    assert sink.edges == [(builder.account_node_id, nid, "default")]


def test_a_parent_that_was_never_added_is_reported_and_the_node_stays_connected(setup: Any) -> None:
    builder, sink, reporter = setup
    nid = builder.add(TInstance(id="i-1"), parent=TNetwork(id="never-added"))
    assert nid in sink.nodes
    assert reporter.errors, "a parent that was never added must be reported"
    # the node is not left without a parent
    assert [e for e in sink.edges if e[1] == nid] == [(builder.region_node_id, nid, "default")]


# -- add_edge -------------------------------------------------------------------------------------


def test_bad_edges_are_reported_and_dropped_the_rest_kept(setup: Any) -> None:
    builder, sink, reporter = setup
    inst, vol = TInstance(id="i-1"), TVolume(id="v-1")
    builder.add(inst)
    builder.add(vol)
    before = list(sink.edges)

    assert builder.add_edge(inst, vol, "weird") is False
    assert builder.add_edge(inst, inst, EdgeType.delete) is False
    assert builder.add_edge(inst, TVolume(id="never-added")) is False
    assert builder.add_edge(TVolume(id="never-added"), vol) is False
    assert sink.edges == before
    assert builder.dropped == 4
    messages = [m for m, _, _ in reporter.errors]
    assert len(messages) == 4
    assert "weird" in messages[0]
    assert "self-loop" in messages[1]
    assert "never added" in messages[2] and "never added" in messages[3]
    # dropped edges do not make the unit incomplete: nothing the core should keep was lost
    assert reporter.incomplete is False

    assert builder.add_edge(inst, vol, EdgeType.delete) is True
    assert builder.add_edge(inst.node_id or "", builder.node_id(TVolume, "v-1"), "default") is True
    assert sink.edges[len(before) :] == [
        (inst.node_id, vol.node_id, "delete"),
        (inst.node_id, vol.node_id, "default"),
    ]


def test_an_edge_to_a_node_of_another_unit_is_accepted_by_id(setup: Any) -> None:
    builder, sink, _ = setup
    inst = TInstance(id="i-1")
    builder.add(inst)
    elsewhere = builder.node_id(TVolume, "v-9", region="r2")
    assert builder.add_edge(inst, elsewhere, EdgeType.delete) is True
    assert sink.edges[-1] == (inst.node_id, elsewhere, "delete")


# -- validate_edges ---------------------------------------------------------------------------


def test_validate_drops_edges_to_nodes_never_sent() -> None:
    nodes = {"a", "b", "c"}
    edges = [("a", "b", "default"), ("b", "x", "default"), ("y", "c", "delete"), ("a", "c", "delete")]
    kept, problems = validate_edges(nodes, edges)
    assert kept == [("a", "b", "default"), ("a", "c", "delete")]
    assert sorted((p.from_id, p.to_id) for p in problems) == [("b", "x"), ("y", "c")]
    assert all("never sent" in p.reason for p in problems)


def test_validate_drops_exactly_one_edge_per_delete_cycle() -> None:
    nodes = {f"n{i}" for i in range(10)}
    cycle1 = [("n0", "n1", "delete"), ("n1", "n2", "delete"), ("n2", "n0", "delete")]
    cycle2 = [("n5", "n6", "delete"), ("n6", "n5", "delete")]
    selfloop = [("n8", "n8", "delete")]
    # default edges in the other direction do not form a delete cycle
    others = [("n3", "n4", "delete"), ("n4", "n3", "default"), ("n0", "n3", "delete")]
    edges = cycle1 + cycle2 + selfloop + others + [("n0", "n1", "delete")]  # a duplicate, dropped silently
    kept, problems = validate_edges(nodes, edges)
    assert len(problems) == 3
    assert all("cycle" in p.reason and p.edge_type == "delete" for p in problems)
    dropped = {(p.from_id, p.to_id, p.edge_type) for p in problems}
    assert len(dropped & set(cycle1)) == 1
    assert len(dropped & set(cycle2)) == 1
    assert dropped & set(selfloop) == set(selfloop)
    assert sorted(kept) == sorted(set(cycle1 + cycle2 + others) - dropped)
    # what is kept has no cycle left
    kept_again, problems_again = validate_edges(nodes, kept)
    assert problems_again == [] and sorted(kept_again) == sorted(kept)


def test_memory_sink_validate_counts_extra_node_ids(setup: Any) -> None:
    builder, sink, _ = setup
    inst = TInstance(id="i-1")
    builder.add(inst)
    builder.add_edge(inst, builder.node_id(TVolume, "v-later"), EdgeType.delete)
    problems = sink.validate(extra_node_ids=[builder.region_node_id])
    assert [(p.from_id, p.to_id) for p in problems] == [(inst.node_id, builder.node_id(TVolume, "v-later"))]
    builder.add(TVolume(id="v-later"))
    assert sink.validate(extra_node_ids=[builder.region_node_id]) == []


# -- oversized nodes ------------------------------------------------------------------------------


def test_an_oversized_node_is_trimmed_to_its_essentials() -> None:
    sink, reporter = MemorySink(), RecordingReporter()
    builder = GraphBuilder(make_unit(), sink, reporter, max_line_bytes=2000)
    inst = TInstance(id="i-big", name="big", tags={"team": "a"}, instance_type="m5", user_data="x" * 5000)
    nid = builder.add(inst)
    node = sink.nodes[nid]
    assert node["metadata"]["trimmed"] is True
    assert node["reported"] == {"id": "i-big", "name": "big", "tags": {"team": "a"}, "kind": "t_instance"}
    assert sink.edges == [(builder.region_node_id, nid, "default")]
    assert len(reporter.errors) == 1 and "trimmed" in reporter.errors[0][0]
    assert "xxxx" not in reporter.errors[0][0]
    # the resource object itself is untouched
    assert inst.user_data == "x" * 5000
    # a normal node next to it is not trimmed
    small = builder.add(TInstance(id="i-small"))
    assert "trimmed" not in sink.nodes[small]["metadata"]


def test_a_node_too_big_even_trimmed_is_dropped() -> None:
    sink, reporter = MemorySink(), RecordingReporter()
    builder = GraphBuilder(make_unit(), sink, reporter, max_line_bytes=2000)
    huge = TInstance(id="i-huge", tags={f"k{i}": "v" * 50 for i in range(100)})
    builder.add(huge)
    assert sink.nodes == {} and sink.edges == []
    assert builder.dropped == 1 and builder.nodes_added == 0
    assert len(reporter.errors) == 1 and "not sent" in reporter.errors[0][0]
    # an edge to the dropped node is caught by the validation
    other = TVolume(id="v-1")
    builder.add(other)
    builder.add_edge(other, huge.node_id or builder.node_id(TInstance, "i-huge"))
    assert [p.to_id for p in sink.validate([builder.region_node_id])] == [
        builder.node_id(TInstance, "i-huge")
    ]


# -- cancellation and threads ---------------------------------------------------------------------


def test_cancellation_makes_add_and_add_edge_raise(setup: Any) -> None:
    builder, sink, _ = setup
    a = TInstance(id="a")
    builder.add(a)
    builder.check_cancelled()
    assert builder.cancelled is False
    builder.cancel_event.set()
    assert builder.cancelled is True
    with pytest.raises(CollectionCancelled):
        builder.add(TInstance(id="b"))
    with pytest.raises(CollectionCancelled):
        builder.add_edge(a, builder.region_node_id or "")
    with pytest.raises(CollectionCancelled):
        builder.check_cancelled()
    assert list(sink.nodes) == [a.node_id]


def test_concurrent_adds_from_many_threads() -> None:
    sink = MemorySink()
    builder = GraphBuilder(make_unit(), sink)

    def work(t: int) -> None:
        prev = None
        for i in range(200):
            res = TVolume(id=f"{t}-{i}")
            builder.add(res, parent=prev)
            prev = res

    threads = [threading.Thread(target=work, args=(t,)) for t in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len(sink.nodes) == 1600
    assert len(sink.edges) == 1600
    assert sink.validate([builder.region_node_id or ""]) == []
