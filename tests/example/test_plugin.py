"""The plugin as the kernel sees it: discovery, hooks, kinds, config, and the collect test aids."""

from __future__ import annotations

import json
import threading
import time
from importlib.metadata import entry_points
from pathlib import Path

import pluggy
import pytest
from example.support import collect_all
from resoto_hookspecs import (
    ENTRY_POINT_GROUP,
    HOOK_NAMES,
    PROJECT_NAME,
    CollectionCancelled,
    CollectionUnit,
    GraphBuilder,
    MemorySink,
    RecordingReporter,
    ResotoSpecs,
    config_kinds,
    resource_kinds,
)
from resoto_plugin_example import plugin
from resoto_plugin_example.collector import release_waits
from resoto_plugin_example.config import ExampleConfig

REFERENCE = Path(__file__).parent.parent / "fixtures" / "reference-model" / "resource-kinds.json"


def test_entry_point_registers_every_hook() -> None:
    (ep,) = [ep for ep in entry_points(group=ENTRY_POINT_GROUP) if ep.name == "example"]
    module = ep.load()
    assert module is plugin
    pm = pluggy.PluginManager(PROJECT_NAME)
    pm.add_hookspecs(ResotoSpecs)
    pm.register(module, name="example")
    pm.check_pending()  # a misspelled hook name would fail here
    implemented = {caller.name for caller in pm.get_hookcallers(module) or []}
    assert implemented == set(HOOK_NAMES)
    info = pm.hook.cloud_info()
    assert info.name == "example" and info.config is ExampleConfig


def test_kinds_match_the_reference_model() -> None:
    reference = {k["fqn"]: k for k in json.loads(REFERENCE.read_text()) if k["fqn"].startswith("example_")}
    exported = {k["fqn"]: k for k in resource_kinds(plugin.resource_kinds())}
    assert set(reference) <= set(exported)
    for fqn, ref in reference.items():
        assert exported[fqn]["bases"] == ref["bases"], fqn
    assert exported["example_resource"]["bases"] == ["resource"]
    assert exported["example_volume"]["successor_kinds"] == {"delete": ["example_instance"]}


def test_config_defaults_and_model() -> None:
    cfg = ExampleConfig()
    assert (cfg.state_file, cfg.accounts, cfg.fail_regions, cfg.hang_regions, cfg.slow_seconds) == (
        "",
        [],
        [],
        [],
        0,
    )
    kinds = {k["fqn"]: k for k in config_kinds("example", ExampleConfig)}
    props = {p["name"]: p for p in kinds["example"]["properties"]}
    assert set(props) == {
        "state_file",
        "accounts",
        "fail_regions",
        "hang_regions",
        "deny_kinds",
        "fail_kinds",
        "slow_seconds",
    }
    assert props["accounts"]["kind"] == "string[]"
    assert all(p["description"] for p in props.values())


def test_fail_regions_fail_only_that_unit(config: ExampleConfig) -> None:
    cfg = config.model_copy(update={"fail_regions": ["acc-2/us-east"]})
    reporter = RecordingReporter()
    outcomes: dict[str, str] = {}
    sink = MemorySink()
    for unit in plugin.collection_units(config=cfg, reporter=reporter):
        builder = GraphBuilder(unit, sink, reporter)
        try:
            plugin.collect(unit=unit, config=cfg, builder=builder, reporter=reporter)
            outcomes[unit.name] = "ok"
        except RuntimeError as e:
            outcomes[unit.name] = str(e)
    assert outcomes.pop("acc-2/us-east").startswith("collect of acc-2/us-east fails on purpose")
    assert set(outcomes.values()) == {"ok"} and len(outcomes) == 3
    assert len(sink.nodes) == 30


def test_hang_regions_hang_until_released(config: ExampleConfig) -> None:
    cfg = config.model_copy(update={"hang_regions": ["acc-1/us-east"]})
    unit = next(
        u
        for u in plugin.collection_units(config=cfg, reporter=RecordingReporter())
        if u.name == "acc-1/us-east"
    )
    sink = MemorySink()
    done = threading.Event()
    failures: list[BaseException] = []

    def run() -> None:
        try:
            plugin.collect(
                unit=unit, config=cfg, builder=GraphBuilder(unit, sink), reporter=RecordingReporter()
            )
        except BaseException as e:
            failures.append(e)
        done.set()

    t = threading.Thread(target=run, daemon=True)
    t.start()
    assert not done.wait(0.3)  # still hanging
    assert sink.nodes == {}
    release_waits()
    assert done.wait(5)
    assert len(failures) == 1 and "interrupted while hanging" in str(failures[0])
    t.join(5)


def test_slow_seconds_delays_every_unit(config: ExampleConfig) -> None:
    cfg = config.model_copy(update={"slow_seconds": 0.15})
    start = time.monotonic()
    got = collect_all(cfg)
    elapsed = time.monotonic() - start
    assert elapsed >= 4 * 0.15
    assert len(got.sink.nodes) == 40


def test_negative_slow_seconds_is_rejected() -> None:
    with pytest.raises(ValueError):
        ExampleConfig(slow_seconds=-1)


def test_a_cancelled_unit_stops_hanging_at_once(config: ExampleConfig) -> None:
    cfg = config.model_copy(update={"hang_regions": ["acc-2/us-west"], "slow_seconds": 3600})
    unit = next(
        u
        for u in plugin.collection_units(config=cfg, reporter=RecordingReporter())
        if u.name == "acc-2/us-west"
    )
    other = next(
        u for u in plugin.collection_units(config=cfg, reporter=RecordingReporter()) if u.name != unit.name
    )
    for u in (unit, other):  # a hanging unit and a merely slow one
        builder = GraphBuilder(u, MemorySink())
        failures: list[BaseException] = []

        def run(
            u: CollectionUnit = u, builder: GraphBuilder = builder, failures: list[BaseException] = failures
        ) -> None:
            try:
                plugin.collect(unit=u, config=cfg, builder=builder, reporter=RecordingReporter())
            except BaseException as e:
                failures.append(e)

        t = threading.Thread(target=run, daemon=True)
        t.start()
        t.join(0.2)
        assert t.is_alive()
        started = time.monotonic()
        builder.cancel_event.set()  # what the kernel does on a unit timeout
        t.join(5)
        assert not t.is_alive() and time.monotonic() - started < 1
        assert len(failures) == 1 and isinstance(failures[0], CollectionCancelled)
        assert builder.nodes_added == 0


def test_access_policy_lists_the_operations() -> None:
    read_only = plugin.access_policy(config=None, include_cleanup=False)
    full = plugin.access_policy(config=None, include_cleanup=True)
    assert read_only is not None and full is not None
    json.dumps(full)
    assert set(read_only["allow"]) < set(full["allow"])
    assert "example:DeleteResource" in full["allow"] and "example:DeleteResource" not in read_only["allow"]
