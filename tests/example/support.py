"""Helpers shared by the example plugin's tests (imported as ``example.support``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from resoto_hookspecs import GraphBuilder, MemorySink, RecordingReporter
from resoto_hookspecs import node_id as graph_node_id
from resoto_plugin_example import plugin
from resoto_plugin_example.config import ExampleConfig


def record_node_id(rec: dict[str, Any]) -> str:
    """The graph node id a store record must get: computed from the record, not from the plugin."""
    return graph_node_id(rec["kind"], "example", rec["account"], rec["region"], rec["id"])


def region_node_id(account: str, region: str) -> str:
    return graph_node_id("example_region", "example", account, region, region)


@dataclass
class Collected:
    sink: MemorySink = field(default_factory=MemorySink)
    reporter: RecordingReporter = field(default_factory=RecordingReporter)
    region_ids: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)


def collect_all(config: ExampleConfig) -> Collected:
    """Run collection_units and collect for every unit, like the kernel would (one sink for all)."""
    out = Collected()
    for unit in plugin.collection_units(config=config, reporter=out.reporter):
        builder = GraphBuilder(unit, out.sink, out.reporter)
        assert builder.region_node_id is not None
        out.region_ids.append(builder.region_node_id)
        out.units.append(unit.name)
        plugin.collect(unit=unit, config=config, builder=builder, reporter=out.reporter)
    return out
