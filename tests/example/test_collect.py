"""Collecting the example cloud: the graph must be exactly what the store holds."""

from __future__ import annotations

import json
from graphlib import TopologicalSorter
from pathlib import Path

from example.support import collect_all, record_node_id, region_node_id
from resoto_hookspecs import RecordingReporter
from resoto_plugin_example import plugin
from resoto_plugin_example.config import ExampleConfig
from resoto_plugin_example.store import ExampleStore


def expected_edges(store: ExampleStore) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """Default and delete edges derived from the store's links alone."""
    default: set[tuple[str, str]] = set()
    delete: set[tuple[str, str]] = set()
    by_id = {(r["kind"], r["id"]): r for r in store.resources()}
    for rec in by_id.values():
        nid = record_node_id(rec)
        parent = region_node_id(rec["account"], rec["region"])
        if rec["kind"] == "example_instance" and ("example_network", rec["network_id"]) in by_id:
            parent = record_node_id(by_id[("example_network", rec["network_id"])])
            delete.add((parent, nid))
        if rec["kind"] == "example_volume" and ("example_instance", rec.get("attached_to")) in by_id:
            parent = record_node_id(by_id[("example_instance", rec["attached_to"])])
            delete.add((nid, parent))
        default.add((parent, nid))
    return default, delete


def test_default_inventory_shape(store: ExampleStore) -> None:
    accounts = store.accounts()
    assert [a["id"] for a in accounts] == ["acc-1", "acc-2"]
    assert all(len(a["regions"]) == 2 for a in accounts)
    for acc in accounts:
        for reg in acc["regions"]:
            here = {k: store.resources(k, account=acc["id"], region=reg["id"]) for k in plugin_kinds()}
            assert len(here["example_network"]) == 2
            assert len(here["example_instance"]) == 3
            attached = [v for v in here["example_volume"] if v.get("attached_to")]
            assert sorted(v["attached_to"] for v in attached) == sorted(
                i["id"] for i in here["example_instance"]
            )
            assert len(here["example_volume"]) == 4
            assert len(here["example_custom_resource"]) == 1
            for rec in here["example_network"] + here["example_instance"] + here["example_volume"]:
                assert {"Name", "owner", "env"} <= rec["tags"].keys()
            expires = sorted(i["tags"]["expires"] for i in here["example_instance"] if "expires" in i["tags"])
            assert len(expires) == 2


def plugin_kinds() -> list[str]:
    return ["example_network", "example_instance", "example_volume", "example_custom_resource"]


def test_collect_yields_exactly_the_store(config: ExampleConfig, store: ExampleStore) -> None:
    got = collect_all(config)
    assert got.units == ["acc-1/us-west", "acc-1/us-east", "acc-2/us-west", "acc-2/us-east"]
    records = store.resources()
    assert len(records) == 40

    expected = {record_node_id(r): r for r in records}
    assert set(got.sink.nodes) == set(expected)
    for nid, node in got.sink.nodes.items():
        rec, reported = expected[nid], node["reported"]
        assert reported["kind"] == rec["kind"]
        assert reported["id"] == rec["id"]
        assert reported["name"] == rec["name"]
        assert reported.get("tags", {}) == rec["tags"]
        assert reported["ctime"] == rec["ctime"]
        for key in ("instance_status", "instance_cores", "volume_status", "volume_size", "attached_to"):
            if rec.get(key) is not None:
                assert reported[key] == rec[key], key
        assert node["metadata"]["python_type"].startswith("resoto_plugin_example.resources.")

    default, delete = expected_edges(store)
    assert {(f, t) for f, t, et in got.sink.edges if et == "default"} == default
    assert {(f, t) for f, t, et in got.sink.edges if et == "delete"} == delete
    assert len(got.sink.edges) == len(default) + len(delete)  # no duplicates
    assert got.sink.validate(got.region_ids) == []
    assert got.reporter.errors == []
    assert got.reporter.calls[("example", "ListResources")] == 4


def test_delete_edges_order_instance_before_volume_and_network(
    config: ExampleConfig, store: ExampleStore
) -> None:
    got = collect_all(config)
    # A -delete-> B: B goes first, so B is a predecessor of A.
    sorter: TopologicalSorter[str] = TopologicalSorter()
    for f, t, et in got.sink.edges:
        if et == "delete":
            sorter.add(f, t)
    order = {nid: i for i, nid in enumerate(sorter.static_order())}
    checked = 0
    for inst in store.resources("example_instance"):
        iid = record_node_id(inst)
        net = store.get("example_network", inst["network_id"])
        assert net is not None
        assert order[iid] < order[record_node_id(net)]
        for vol in store.resources("example_volume"):
            if vol.get("attached_to") == inst["id"]:
                assert order[iid] < order[record_node_id(vol)]
                checked += 1
    assert checked == 12


def test_collect_reflects_changes_in_the_store(config: ExampleConfig, store: ExampleStore) -> None:
    inst = store.resources("example_instance", account="acc-2", region="us-east")[0]
    store.delete("example_instance", inst["id"])
    got = collect_all(config)
    assert record_node_id(inst) not in got.sink.nodes
    default, delete = expected_edges(store)
    assert {(f, t) for f, t, et in got.sink.edges if et == "delete"} == delete
    assert {(f, t) for f, t, et in got.sink.edges if et == "default"} == default
    assert got.sink.validate(got.region_ids) == []
    # its volume was detached by the delete and now hangs below the region
    vol = next(
        v
        for v in store.resources("example_volume")
        if v["name"] == "vol-1" and v["account"] == "acc-2" and v["region"] == "us-east"
    )
    assert (region_node_id("acc-2", "us-east"), record_node_id(vol)) in default


def test_collect_filters_accounts_and_reports_unknown_ones(state_file: Path) -> None:
    cfg = ExampleConfig(state_file=str(state_file), accounts=["acc-2", "acc-9"])
    got = collect_all(cfg)
    assert got.units == ["acc-2/us-west", "acc-2/us-east"]
    assert {n["reported"]["id"].split("/")[0] for n in got.sink.nodes.values()} == {"acc-2"}
    assert [e[0] for e in got.reporter.errors] == [
        "configured account acc-9 does not exist in the example cloud"
    ]


def test_collect_skips_a_malformed_record_and_goes_on(config: ExampleConfig, store: ExampleStore) -> None:
    store.add(
        {
            "kind": "example_volume",
            "id": "acc-1/us-west/bad",
            "account": "acc-1",
            "region": "us-west",
            "volume_size": "not a number",
        }
    )
    got = collect_all(config)
    assert len(got.sink.nodes) == 40
    assert len(got.reporter.errors) == 1 and "acc-1/us-west/bad" in got.reporter.errors[0][0]


def test_zero_config_collects_the_default_inventory_in_memory(tmp_path: Path) -> None:
    got = collect_all(ExampleConfig())  # the kernel passes the defaults when no config is given
    on_disk = ExampleStore(tmp_path / "fresh.json")  # created from the same default inventory
    assert {record_node_id(r) for r in on_disk.resources()} == set(got.sink.nodes)
    assert got.sink.validate(got.region_ids) == []


def test_units_carry_account_and_region_models(config: ExampleConfig, store: ExampleStore) -> None:
    units = list(plugin.collection_units(config=config, reporter=RecordingReporter()))
    accounts = {a["id"]: a for a in store.accounts()}
    for unit in units:
        acc = accounts[unit.account.id]
        assert unit.account.kind == "example_account"
        assert unit.account.tags == acc["tags"]
        assert unit.region is not None and unit.region.kind == "example_region"
        assert unit.name == f"{unit.account.id}/{unit.region.id}"
        assert unit.region.id in [r["id"] for r in acc["regions"]]
        json.dumps(unit.payload)  # plain data, nothing secret
