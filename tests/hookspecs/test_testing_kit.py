"""resoto_hookspecs.testing: fake plugins are real plugins, and the driver passes what the kernel passes."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest
from resoto_hookspecs import BaseAccount, BaseInstance, BaseRegion, CollectionUnit, GraphBuilder, Location
from resoto_hookspecs.testing import PluginDriver, collect_unit, fake_plugin, plugin_hooks


class KAccount(BaseAccount):
    kind: ClassVar[str] = "k_account"


class KRegion(BaseRegion):
    kind: ClassVar[str] = "k_region"


class KInstance(BaseInstance):
    kind: ClassVar[str] = "k_instance"


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
