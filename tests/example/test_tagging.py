"""Tag hooks: update (with a value and key-only) and delete, against the store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from resoto_hookspecs import Location, NotSupported, ResourceGone
from resoto_hookspecs.resources import BaseVolume
from resoto_hookspecs.testing import PluginDriver
from resoto_plugin_example import plugin
from resoto_plugin_example.config import ExampleConfig
from resoto_plugin_example.resources import ExampleAccount, resource_from_record
from resoto_plugin_example.store import ExampleStore


def loc(rec: dict[str, str]) -> Location:
    return Location("example", rec["account"], rec["region"])


def test_update_and_key_only_and_delete(config: ExampleConfig, store: ExampleStore) -> None:
    vol = store.resources("example_volume", account="acc-2")[0]
    res = resource_from_record(vol)
    PluginDriver(plugin, config).update_tag(resource=res, location=loc(vol), key="cost-center", value="42")
    PluginDriver(plugin, config).update_tag(resource=res, location=loc(vol), key="keep", value=None)
    PluginDriver(plugin, config).update_tag(
        resource=res, location=loc(vol), key="owner", value="someone-else"
    )
    PluginDriver(plugin, config).delete_tag(resource=res, location=loc(vol), key="env")
    PluginDriver(plugin, config).delete_tag(resource=res, location=loc(vol), key="not-there")  # no error

    fresh = ExampleStore(config.state_file).get("example_volume", vol["id"])
    assert fresh is not None
    expected = dict(vol["tags"])
    expected.update({"cost-center": "42", "keep": None, "owner": "someone-else"})
    del expected["env"]
    assert fresh["tags"] == expected
    raw = json.loads(Path(config.state_file).read_text())
    assert raw["resources"]["example_volume"][vol["id"]]["tags"]["keep"] is None  # a JSON null, not ""
    log = store.tag_log()
    assert [(e["op"], e["key"]) for e in log] == [
        ("update", "cost-center"),
        ("update", "keep"),
        ("update", "owner"),
        ("delete", "env"),
        ("delete", "not-there"),
    ]
    assert {e["id"] for e in log} == {vol["id"]}
    # the re-check sees the new tags, as the kernel would return them to the core
    current = PluginDriver(plugin, config).check_resource(resource=res, location=loc(vol))
    assert current is not None and current.tags == expected


def test_non_taggable_kinds(config: ExampleConfig, store: ExampleStore) -> None:
    custom = store.resources("example_custom_resource")[0]
    res = resource_from_record(custom)
    with pytest.raises(NotSupported):
        PluginDriver(plugin, config).update_tag(resource=res, location=loc(custom), key="a", value="b")
    with pytest.raises(NotSupported):
        PluginDriver(plugin, config).delete_tag(resource=res, location=loc(custom), key="a")
    account = ExampleAccount(id="acc-1")
    with pytest.raises(NotSupported):
        PluginDriver(plugin, config).update_tag(
            resource=account, location=Location("example", "acc-1"), key="a", value="b"
        )
    foreign = BaseVolume(id="vol-x")  # not a kind of this plugin
    with pytest.raises(NotSupported):
        PluginDriver(plugin, config).update_tag(
            resource=foreign, location=Location("example"), key="a", value="b"
        )
    assert store.tag_log() == []
    assert store.get("example_custom_resource", custom["id"]) == custom


def test_missing_resource_is_gone(config: ExampleConfig, store: ExampleStore) -> None:
    inst = store.resources("example_instance")[0]
    store.delete("example_instance", inst["id"])
    res = resource_from_record(inst)
    with pytest.raises(ResourceGone):
        PluginDriver(plugin, config).update_tag(resource=res, location=loc(inst), key="a", value="b")
    with pytest.raises(ResourceGone):
        PluginDriver(plugin, config).delete_tag(resource=res, location=loc(inst), key="owner")
    assert store.tag_log() == []


def test_tags_in_memory_mode_are_shared_within_the_process() -> None:
    first = ExampleStore(None)
    inst = first.resources("example_instance")[0]
    PluginDriver(plugin, ExampleConfig()).update_tag(
        resource=resource_from_record(inst), location=loc(inst), key="k", value="v"
    )
    again = ExampleStore("")
    got = again.get("example_instance", inst["id"])
    assert got is not None and got["tags"]["k"] == "v"
