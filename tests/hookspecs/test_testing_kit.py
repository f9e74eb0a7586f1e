"""resoto_hookspecs.testing: fake plugins are real plugins, and the driver passes what the kernel passes."""

from __future__ import annotations

import importlib
import pickle
import sys
from pathlib import Path
from typing import Any

import pytest
from resoto_hookspecs import BaseNetwork, CollectionUnit, GraphBuilder, Location
from resoto_hookspecs.testing import (
    PluginDriver,
    collect_unit,
    fake_kinds,
    fake_plugin,
    fake_units,
    plugin_hooks,
)

KAccount, KRegion, KInstance = fake_kinds("k", __name__)


UNITS = [
    CollectionUnit("k", KAccount(id=a), KRegion(id=r), f"{a}/{r}", payload={"key": f"key-of-{a}"})
    for a in ("a1", "a2")
    for r in ("r1", "r2")
]


def test_a_misspelled_hook_is_refused() -> None:
    with pytest.raises(ValueError, match="colect"):
        fake_plugin("k", colect=lambda: None)


def test_fake_plugin_answers_cloud_info_and_kinds() -> None:
    hooks = plugin_hooks(fake_plugin("k", kinds=[KAccount, KInstance]))
    assert hooks.cloud_info().name == "k"
    assert hooks.resource_kinds() == [KAccount, KInstance]


def test_collect_unit_runs_one_units_collect_into_a_memory_sink() -> None:
    def collect(unit: CollectionUnit, builder: GraphBuilder) -> None:
        builder.add(KInstance(id=f"{unit.name}/i"))
        builder.add_edge(
            builder.node_id(KInstance, "never-added"), builder.node_id(KInstance, f"{unit.name}/i")
        )

    result = collect_unit(fake_plugin("k", collect=collect), UNITS[0])
    assert [r["id"] for r in result.sink.by_kind("k_instance")] == ["a1/r1/i"]
    assert [p.reason for p in result.problems] == [
        f"endpoint {result.builder.node_id(KInstance, 'never-added')} was never sent as a node"
    ]


def test_driver_passes_the_unit_of_the_resources_account() -> None:
    seen: list[Any] = []
    plugin = fake_plugin(
        "k",
        collection_units=lambda: UNITS,
        update_tag=lambda key, unit: seen.append((key, unit.name if unit else None)),
        delete_resource=lambda location: seen.append(("old-style", location.account)),  # no unit
    )
    driver = PluginDriver(plugin)
    driver.update_tag(resource=KInstance(id="i"), location=Location("k", "a2", "r2"), key="x", value="y")
    driver.update_tag(
        resource=KInstance(id="i"), location=Location("k", "a2", "elsewhere"), key="z", value=None
    )
    driver.update_tag(resource=KInstance(id="i"), location=Location("k", "a9", "r1"), key="w", value=None)
    driver.delete_resource(resource=KInstance(id="i"), location=Location("k", "a1", "r1"))
    assert seen == [("x", "a2/r2"), ("z", "a2/r1"), ("w", None), ("old-style", "a1")]
    assert driver.unit("a1", "r2").payload == {"key": "key-of-a1"}


def test_fake_kinds_subclass_the_base_kinds_under_the_clouds_prefix() -> None:
    network, volume = fake_kinds("k", __name__, "network", "volume")
    assert (network.kind, volume.kind) == ("k_network", "k_volume")
    assert issubclass(network, BaseNetwork) and network.__name__ == "Network"
    assert (KAccount.kind, KRegion.kind, KInstance.kind) == ("k_account", "k_region", "k_instance")
    assert network.__module__ == __name__
    with pytest.raises(ValueError, match="flux_capacitor"):
        fake_kinds("k", __name__, "flux_capacitor")


def test_fake_units_per_account_and_region_or_per_account() -> None:
    units = fake_units("k", KAccount, KRegion, accounts=["a1", "a2"], regions=["r1"])
    assert [(u.cloud, u.name, u.account.id, u.region and u.region.id) for u in units] == [
        ("k", "a1/r1", "a1", "r1"),
        ("k", "a2/r1", "a2", "r1"),
    ]
    assert [(u.name, u.region) for u in fake_units("k", KAccount, accounts=["a1"])] == [("a1", None)]
    with pytest.raises(ValueError, match="region kind"):
        fake_units("k", KAccount, accounts=["a1"], regions=["r1"])


PLUGIN_FILE = """
from resoto_hookspecs.testing import fake_kinds, fake_plugin, fake_units

KINDS = Account, Instance = fake_kinds("filed", __name__, "account", "instance")


def collect(unit, builder):
    builder.add(Instance(id=unit.account.id + "-i0"))


fake_plugin("filed", kinds=KINDS, units=fake_units("filed", Account, accounts=["a1"]), collect=collect, into=__name__)
"""


def test_a_plugin_file_built_into_its_own_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # what the worker does with `--plugin filed`: import the module by name and register it, and
    # send its units to a child process with pickle
    (tmp_path / "filed_fake_plugin.py").write_text(PLUGIN_FILE)
    monkeypatch.syspath_prepend(str(tmp_path))
    module = importlib.import_module("filed_fake_plugin")
    try:
        hooks = plugin_hooks(module)
        assert hooks.cloud_info().name == "filed"
        [unit] = hooks.collection_units(config=None, reporter=None)
        assert pickle.loads(pickle.dumps(unit)) == unit
        result = collect_unit(module, unit)
        assert [r["id"] for r in result.sink.by_kind("filed_instance")] == ["a1-i0"]
    finally:
        sys.modules.pop("filed_fake_plugin", None)
