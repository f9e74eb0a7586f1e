"""Cleanup hooks: the expiry policy, pre_cleanup, check_resource and delete_resource against the store."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from graphlib import TopologicalSorter
from pathlib import Path

import pytest
from example.support import Collected, collect_all, record_node_id
from resoto_hookspecs import CleanupCandidate, Location, NotSupported, RecordingReporter, ResourceGone
from resoto_hookspecs.resources import BaseInstance
from resoto_hookspecs.testing import PluginDriver
from resoto_plugin_example import plugin
from resoto_plugin_example.config import ExampleConfig
from resoto_plugin_example.resources import KIND_CLASSES, resource_from_record
from resoto_plugin_example.store import ExampleStore


def candidates(got: Collected, protected: frozenset[str] = frozenset()) -> list[CleanupCandidate]:
    """What the kernel would hand to plan_cleanup: the collected nodes, as the core holds them."""
    out = []
    for nid, node in got.sink.nodes.items():
        reported = node["reported"]
        account, region, _ = reported["id"].split("/")
        resource = KIND_CLASSES[reported["kind"]].model_validate(reported)
        out.append(
            CleanupCandidate(nid, resource, Location("example", account, region), protected=nid in protected)
        )
    return out


def past_expiry(tags: dict[str, str | None]) -> bool:
    value = tags.get("expires")
    return value is not None and datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=UTC
    ) < datetime.now(UTC)


def loc(rec: dict[str, str]) -> Location:
    return Location("example", rec["account"], rec["region"])


def test_plan_flags_exactly_the_expired_ones(config: ExampleConfig, store: ExampleStore) -> None:
    got = collect_all(config)
    flags = list(
        plugin.plan_cleanup(candidates=candidates(got), config=config, reporter=RecordingReporter()) or []
    )
    expected = {record_node_id(r) for r in store.resources() if past_expiry(r.get("tags") or {})}
    assert len(expected) == 4  # one per region in the default inventory
    assert {f.node_id for f in flags} == expected
    assert len(flags) == len(expected)
    assert all(f.policy == "expired" and "2020-01-01" in f.reason for f in flags)


def test_plan_never_flags_protected_or_foreign_or_unreadable(
    config: ExampleConfig, store: ExampleStore
) -> None:
    a, b, c = store.resources("example_instance", account="acc-1", region="us-west")  # past, future, none
    store.update_tag("example_instance", b["id"], "expires", "2021-05-05")  # date only: past
    store.update_tag("example_instance", c["id"], "expires", "next tuesday")  # unreadable
    vol = store.resources("example_volume", account="acc-2", region="us-east")[0]
    store.update_tag("example_volume", vol["id"], "expires", "2019-12-31T23:00:00+01:00")
    got = collect_all(config)
    cands = candidates(got, protected=frozenset({record_node_id(a)}))
    foreign = BaseInstance(id="i-123", tags={"expires": "2020-01-01T00:00:00Z"})
    cands.append(CleanupCandidate("aws-node", foreign, Location("aws", "123", "us-east-1")))
    flagged = {
        f.node_id
        for f in plugin.plan_cleanup(candidates=cands, config=config, reporter=RecordingReporter()) or []
    }
    assert record_node_id(a) not in flagged  # expired, but protected
    assert record_node_id(c) not in flagged  # unreadable expiry: never guessed
    assert "aws-node" not in flagged  # another cloud's resource is left to its own plugin
    other_expired = {
        record_node_id(r) for r in store.resources("example_instance") if r["name"] == "inst-1" and r != a
    }
    assert len(other_expired) == 3
    assert flagged == other_expired | {record_node_id(b), record_node_id(vol)}


def test_delete_in_dependency_order_is_logged_in_that_order(
    config: ExampleConfig, store: ExampleStore
) -> None:
    got = collect_all(config)
    inst = store.get("example_instance", "acc-1/us-west/inst-1")
    assert inst is not None
    vol = next(v for v in store.resources("example_volume") if v.get("attached_to") == inst["id"])
    net = store.get("example_network", inst["network_id"])
    assert net is not None
    chosen = {record_node_id(r): r for r in (vol, net, inst)}
    sorter: TopologicalSorter[str] = TopologicalSorter({n: set() for n in chosen})
    for f, t, et in got.sink.edges:
        if et == "delete" and f in chosen and t in chosen:
            sorter.add(f, t)
    order = [chosen[n] for n in sorter.static_order()]
    assert order[0]["id"] == inst["id"]
    for rec in order:
        resource = resource_from_record(rec)
        PluginDriver(plugin, config).pre_cleanup(resource=resource, location=loc(rec))
    for rec in order:
        PluginDriver(plugin, config).delete_resource(resource=resource_from_record(rec), location=loc(rec))
    other_view = ExampleStore(config.state_file)
    assert [(d["kind"], d["id"]) for d in other_view.deleted_log()] == [(r["kind"], r["id"]) for r in order]
    for rec in order:
        assert other_view.get(rec["kind"], rec["id"]) is None
    assert len(other_view.resources()) == 37
    raw = json.loads(Path(config.state_file).read_text())
    assert [d["id"] for d in raw["deleted"]] == [r["id"] for r in order]


def test_pre_cleanup_detaches_a_volume(config: ExampleConfig, store: ExampleStore) -> None:
    vol = next(v for v in store.resources("example_volume") if v.get("attached_to"))
    assert vol["volume_status"] == "in-use"
    PluginDriver(plugin, config).pre_cleanup(resource=resource_from_record(vol), location=loc(vol))
    now = ExampleStore(config.state_file).get("example_volume", vol["id"])
    assert now is not None and now["volume_status"] == "available" and now["attached_to"] is None
    inst = store.resources("example_instance")[0]
    PluginDriver(plugin, config).pre_cleanup(resource=resource_from_record(inst), location=loc(inst))
    assert store.get("example_instance", inst["id"]) == inst  # nothing to prepare on an instance


def test_pre_cleanup_of_a_gone_resource(config: ExampleConfig, store: ExampleStore) -> None:
    vol = store.resources("example_volume")[0]
    store.delete("example_volume", vol["id"])
    with pytest.raises(ResourceGone):
        PluginDriver(plugin, config).pre_cleanup(resource=resource_from_record(vol), location=loc(vol))


def test_check_resource_sees_the_current_state(config: ExampleConfig, store: ExampleStore) -> None:
    inst = store.resources("example_instance")[1]
    held = resource_from_record(inst)  # what the core holds
    ExampleStore(config.state_file).update_tag("example_instance", inst["id"], "resoto:protect", None)
    current = PluginDriver(plugin, config).check_resource(resource=held, location=loc(inst))
    assert current is not None and current.id == inst["id"]
    assert current.tags == {**inst["tags"], "resoto:protect": None}
    assert type(current) is type(held)
    ExampleStore(config.state_file).delete("example_instance", inst["id"])
    assert PluginDriver(plugin, config).check_resource(resource=held, location=loc(inst)) is None


def test_delete_twice_is_resource_gone(config: ExampleConfig, store: ExampleStore) -> None:
    net = store.resources("example_network")[0]
    PluginDriver(plugin, config).delete_resource(resource=resource_from_record(net), location=loc(net))
    with pytest.raises(ResourceGone):
        PluginDriver(plugin, config).delete_resource(resource=resource_from_record(net), location=loc(net))
    assert [d["id"] for d in store.deleted_log()] == [net["id"]]


def test_fail_delete_is_refused_and_nothing_changes(config: ExampleConfig, store: ExampleStore) -> None:
    inst = store.resources("example_instance")[2]
    store.set_fields("example_instance", inst["id"], fail_delete=True)
    before = store.load()
    with pytest.raises(RuntimeError, match=r"^delete refused by the example cloud$"):
        PluginDriver(plugin, config).delete_resource(resource=resource_from_record(inst), location=loc(inst))
    assert store.load() == before
    assert store.deleted_log() == []


def test_instance_delete_detaches_its_volumes(config: ExampleConfig, store: ExampleStore) -> None:
    inst = store.resources("example_instance")[0]
    vol = next(v for v in store.resources("example_volume") if v.get("attached_to") == inst["id"])
    PluginDriver(plugin, config).delete_resource(resource=resource_from_record(inst), location=loc(inst))
    now = store.get("example_volume", vol["id"])
    assert now is not None and now["attached_to"] is None and now["volume_status"] == "available"


def test_non_deletable_kinds(config: ExampleConfig, store: ExampleStore) -> None:
    custom = store.resources("example_custom_resource")[0]
    with pytest.raises(NotSupported):
        PluginDriver(plugin, config).delete_resource(
            resource=resource_from_record(custom), location=loc(custom)
        )
    assert store.get("example_custom_resource", custom["id"]) == custom
    foreign = BaseInstance(id="i-1")
    with pytest.raises(NotSupported):
        PluginDriver(plugin, config).delete_resource(resource=foreign, location=Location("example"))
