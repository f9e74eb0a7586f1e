"""Driving the plugin's hooks the way the kernel does, for the tests: collect everything, rebuild
resources from collected nodes, and order deletes by the collected delete edges."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from resoto_hookspecs import (
    BaseResource,
    CollectionUnit,
    GraphBuilder,
    Location,
    MemorySink,
    RecordingReporter,
)
from resoto_plugin_gcp import plugin
from resoto_plugin_gcp.config import GcpConfig
from resoto_plugin_gcp.kinds import ALL_KINDS

KIND_CLASSES: dict[str, type[BaseResource]] = {cls.kind: cls for cls in ALL_KINDS}


@dataclass
class Collected:
    units: list[CollectionUnit]
    sink: MemorySink
    reporter: RecordingReporter
    builders: list[GraphBuilder] = field(default_factory=list)
    node_project: dict[str, str] = field(default_factory=dict)
    node_region: dict[str, str | None] = field(default_factory=dict)

    def kernel_node_ids(self) -> set[str]:
        return {b.account_node_id for b in self.builders} | {b.root_node_id for b in self.builders}

    def nodes(self, kind: str, project: str | None = None) -> list[dict[str, Any]]:
        return [
            n["reported"]
            for nid, n in self.sink.nodes.items()
            if n["reported"]["kind"] == kind and (project is None or self.node_project.get(nid) == project)
        ]

    def node_id(self, kind: str, project: str, rid: str) -> str:
        matches = [
            nid
            for nid, n in self.sink.nodes.items()
            if n["reported"]["kind"] == kind
            and n["reported"]["id"] == rid
            and self.node_project[nid] == project
        ]
        assert len(matches) == 1, (kind, project, rid, matches)
        return matches[0]

    def edges(self, edge_type: str = "default") -> set[tuple[str, str]]:
        return {(f, t) for f, t, et in self.sink.edges if et == edge_type}


class _TrackingSink(MemorySink):
    def __init__(self) -> None:
        super().__init__()
        self.current: tuple[str, str | None] = ("", None)
        self.owner: dict[str, tuple[str, str | None]] = {}

    def add_node(self, nid: str, kind: str, line: bytes) -> None:
        super().add_node(nid, kind, line)
        self.owner[nid] = self.current


def make_config(fake: Any, **overrides: Any) -> GcpConfig:
    """A config that points every client at the fake, with anonymous credentials and fast retries."""
    values: dict[str, Any] = {
        "service_account": [""],
        "anonymous_credentials": True,
        "api_endpoint": fake.api_endpoints(),
        "retry_initial_delay": 0.01,
        "retry_deadline": 10.0,
        "operation_timeout": 10.0,
        "page_size": 3,
    }
    values.update(overrides)
    return GcpConfig(**values)


def collect_all(config: GcpConfig) -> Collected:
    """collection_units, then collect every unit (sequentially) into one sink."""
    reporter = RecordingReporter()
    units = list(plugin.collection_units(config=config, reporter=reporter))
    sink = _TrackingSink()
    result = Collected(units, sink, reporter)
    for unit in units:
        builder = GraphBuilder(unit, sink, reporter)
        result.builders.append(builder)
        sink.current = (unit.account.id, unit.region.id if unit.region else None)
        plugin.collect(unit=unit, config=config, builder=builder, reporter=reporter)
    for nid, (project, region) in sink.owner.items():
        result.node_project[nid] = project
        result.node_region[nid] = region
    return result


def resource_of(node: dict[str, Any]) -> BaseResource:
    reported = dict(node["reported"])
    cls = KIND_CLASSES[reported.pop("kind")]
    return cls.model_validate(reported)


def delete_order(collected: Collected, project: str) -> list[str]:
    """The deletable nodes of a project, ordered so that for ``A -delete-> B`` B comes first."""
    nodes = {
        nid
        for nid, n in collected.sink.nodes.items()
        if collected.node_project[nid] == project and KIND_CLASSES[n["reported"]["kind"]].deletable
    }
    after: dict[str, set[str]] = defaultdict(set)  # node -> nodes that must be deleted before it
    for a, b in collected.edges("delete"):
        if a in nodes and b in nodes:
            after[a].add(b)
    order: list[str] = []
    done: set[str] = set()
    remaining = set(nodes)
    while remaining:
        ready = sorted(n for n in remaining if after[n] <= done)
        assert ready, "the delete edges contain a cycle"
        for n in ready:
            order.append(n)
            done.add(n)
            remaining.discard(n)
    return order


def location_of(collected: Collected, nid: str) -> Location:
    return Location("gcp", collected.node_project[nid], collected.node_region[nid])
