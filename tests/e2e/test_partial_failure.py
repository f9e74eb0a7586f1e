"""One kind that cannot be read never empties or freezes its region (issue 16), with the example cloud.

The real daemon against the core simulator: a denied or failing kind is withheld in its account and
region only; the core's last known nodes of it are carried forward with ``metadata.stale`` and
``metadata.last_seen``, read back from the core (so a restarted worker carries them too); everything
else is replaced, so a deleted resource leaves; the kind loses the marker once it reads again; and
carried data older than ``resotoworker.stale_max_age`` is dropped and reported.
"""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from coresim import ThreadedCoreSimulator
from e2e.conftest import StartWorker
from e2e.test_collect_e2e import _reconfigure
from resoto_plugin_example.store import ExampleStore
from resotoworker.carry import parse_time
from support import WORKER_BIN

KINDS = {"example_instance", "example_volume", "example_network", "example_custom_resource"}
SCOPE = "acc-1/us-east"


def _nodes(core: ThreadedCoreSimulator) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (n["reported"]["kind"], n["reported"]["id"]): n
        for n in core.graph().nodes.values()
        if n["reported"]["kind"] in KINDS
    }


def _collect(core: ThreadedCoreSimulator) -> str:
    task = core.send_action("collect")
    assert core.wait_for_reply(task, timeout=60)["kind"] == "action_done"
    return task


def _in_scope(record: dict[str, Any], kind: str | None = None) -> bool:
    return (
        record["account"] == "acc-1"
        and record["region"] == "us-east"
        and (kind is None or record["kind"] == kind)
    )


@pytest.mark.parametrize(
    ("fault", "fork"), [("deny_kinds", False), ("fail_kinds", False), ("deny_kinds", True)]
)
def test_a_withheld_kind_is_carried_forward_stale_and_the_rest_is_replaced(
    core: ThreadedCoreSimulator, start_worker: StartWorker, tmp_path: Path, fault: str, fork: bool
) -> None:
    fork_cfg = {"resotoworker": {"fork_process": fork}}
    worker = start_worker("w1", config=fork_cfg)
    first = _collect(core)
    store = ExampleStore(str(tmp_path / "w1-state.json"))
    everything = {(r["kind"], r["id"]) for r in store.resources()}
    assert set(_nodes(core)) == everything
    first_seen = core.graph().find("example_region", "us-east")
    assert first_seen is not None and "exported_at" in first_seen["metadata"]

    # the cloud changes: a volume and an instance go in the region whose volumes become unreadable
    # (the instance had volumes attached: their carried nodes lose their parent and hang below the region)
    volumes = [r for r in store.resources("example_volume") if _in_scope(r)]
    instance = next(r for r in store.resources("example_instance") if _in_scope(r))
    gone_volume = next(v for v in volumes if v.get("attached_to") != instance["id"])
    store.delete("example_volume", gone_volume["id"])
    store.delete("example_instance", instance["id"])

    # a restarted worker (nothing local survives) now cannot read the volumes of acc-1/us-east
    worker.stop()
    worker = start_worker("w1", config={**fork_cfg, "example": {fault: [f"{SCOPE}/example_volume"]}})
    second = _collect(core)
    held = _nodes(core)
    assert ("example_instance", instance["id"]) not in held, "the region's other kinds were replaced"
    stale = {k: n for k, n in held.items() if n["metadata"].get("stale")}
    assert set(stale) == {("example_volume", v["id"]) for v in volumes}, "the volumes are carried"
    for node in stale.values():
        assert node["metadata"]["last_seen"] == first_seen["metadata"]["exported_at"]
    rest = everything - {("example_instance", instance["id"])}
    assert rest <= set(held)
    assert not any(n["metadata"].get("stale") for k, n in held.items() if k not in stale)
    # carried volumes keep their edges to what is still there
    graph = core.graph()
    for node in stale.values():
        assert graph.parents(node["id"]), "a carried node stays in the tree"
    infos = [i["data"] for i in core.infos(second)]
    withheld = [i for i in infos if "example_volume" in i["message"] and "withheld" in i["message"]]
    assert len(withheld) == 1, infos
    assert withheld[0]["level"] == ("warning" if fault == "deny_kinds" else "error")
    assert ("AccessDenied" if fault == "deny_kinds" else "InternalError") in withheld[0]["message"]
    assert "[example:acc-1:us-east]" in withheld[0]["message"] and len(withheld[0]["message"]) <= 500
    # only acc-1/us-east was affected: the same kind elsewhere is fresh
    assert any(k[0] == "example_volume" and not n["metadata"].get("stale") for k, n in held.items())
    # the search the worker used is scoped by cloud, account, region and kind
    assert any("is(example_volume)" in q and '"acc-1"' in q and '"us-east"' in q for q in core.search_queries)

    # readable again: the marker goes, the deleted volume goes
    _reconfigure(core, worker, {"example": {fault: []}})
    _collect(core)
    held = _nodes(core)
    assert ("example_volume", gone_volume["id"]) not in held
    assert not any(n["metadata"].get("stale") for n in held.values())
    assert set(held) == {(r["kind"], r["id"]) for r in store.resources()}
    assert core.violations == [] and core.errors == []
    assert first != second


def test_carried_data_older_than_stale_max_age_is_dropped_and_reported(
    core: ThreadedCoreSimulator, start_worker: StartWorker, tmp_path: Path
) -> None:
    max_age = 15  # long enough for two collects on a loaded machine, short enough to wait for
    worker = start_worker("w1", config={"resotoworker": {"stale_max_age": f"{max_age}s"}})
    _collect(core)
    region = core.graph().find("example_region", "us-east")
    assert region is not None
    read_at = parse_time(region["metadata"]["exported_at"])
    assert read_at is not None
    store = ExampleStore(str(tmp_path / "w1-state.json"))
    volumes = {("example_volume", r["id"]) for r in store.resources("example_volume") if _in_scope(r)}
    _reconfigure(core, worker, {"example": {"deny_kinds": [f"{SCOPE}/example_volume"]}})
    _collect(core)
    held = _nodes(core)
    assert volumes <= set(held) and all(held[v]["metadata"]["stale"] for v in volumes)
    time.sleep(max(0.0, read_at + max_age + 1.5 - time.time()))
    third = _collect(core)
    held = _nodes(core)
    assert not volumes & set(held), "carried data past stale_max_age is dropped"
    infos = [i["data"] for i in core.infos(third)]
    dropped = [i for i in infos if "stale node(s) dropped" in i["message"]]
    assert dropped and "example_volume" in dropped[0]["message"] and f"{max_age}s" in dropped[0]["message"]
    assert dropped[0]["level"] == "warning"
    assert core.violations == []


def test_one_shot_writes_what_it_read_names_the_withheld_kind_and_strict_exits_3(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    out = tmp_path / "graph.ndjson"
    base = [
        WORKER_BIN,
        "--collect-once",
        "--output",
        str(out),
        "--override",
        "resotoworker.collector=example",
        f"example.state_file={state}",
        f"example.deny_kinds={SCOPE}/example_volume",
    ]
    done = subprocess.run(base, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    summary = done.stdout[done.stdout.index("could not be read (") :]
    assert summary.count("example_volume (example)") == 1 and "denied" in summary
    kinds = {
        (line["reported"]["kind"], line["reported"]["id"])
        for line in map(json.loads, out.read_text().splitlines())
        if "reported" in line
    }
    records = ExampleStore(str(state)).resources()
    assert kinds & {("example_volume", r["id"]) for r in records if _in_scope(r)} == set()
    assert {(r["kind"], r["id"]) for r in records if not _in_scope(r, "example_volume")} <= kinds
    strict = subprocess.run([*base, "--strict"], capture_output=True, text=True, timeout=120, check=False)
    assert strict.returncode == 3, strict.stderr[-2000:]
    assert "--strict" in strict.stderr and "Traceback" not in strict.stderr
