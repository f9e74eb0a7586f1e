"""Process faults: ``kill -9`` of the worker in the middle of a collect and of a cleanup, then a restart."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from coresim import ThreadedCoreSimulator
from e2e.conftest import StartWorker
from resoto_plugin_example.store import ExampleStore, seed_default
from support import wait_for

from faults.helpers import assert_graph_matches_cloud, spool_leftovers

pytestmark = [pytest.mark.faults, pytest.mark.slow]


def _spool_config(spool: Path, **example: object) -> dict[str, dict[str, object]]:
    return {"resotoworker": {"tempdir": str(spool)}, "example": dict(example)}


def test_kill_9_during_collect_then_restart(
    core: ThreadedCoreSimulator, start_worker: StartWorker, tmp_path: Path
) -> None:
    spool = tmp_path / "spool"
    state = tmp_path / "w1-state.json"
    seed_default(state, accounts=2, regions=3, instances=20)
    worker = start_worker("w1", config=_spool_config(spool, slow_seconds=3.0))
    task = core.send_action("collect")
    wait_for(lambda: any(p.endswith(".nodes") for p in spool_leftovers(spool)), timeout=60, what="spooling")
    worker.kill9()
    killed_run = [p.name for p in spool.iterdir()]
    assert killed_run, "the killed collect left its spool files behind"
    assert core.merge_count(task) == 0

    restarted = start_worker("w1", config=_spool_config(spool, slow_seconds=0.0))
    # the unanswered collect is replayed to the new process, which runs it
    assert core.wait_for_reply(task, timeout=60)["kind"] == "action_done"
    assert core.merge_count(task) == 2
    second = core.send_action("collect")
    assert core.wait_for_reply(second, timeout=60)["kind"] == "action_done"
    assert core.merge_count(second) == 2
    assert_graph_matches_cloud(core, state)

    assert not set(killed_run) & {p.name for p in spool.iterdir()}, "the killed run's spool files remain"
    # the live worker keeps only its own (empty) process directory; nothing when it is gone
    assert all(name.count("/") <= 1 for name in spool_leftovers(spool))
    assert restarted.stop() == 0
    assert spool_leftovers(spool) == []


def test_kill_9_during_cleanup_then_restart(
    core: ThreadedCoreSimulator, start_worker: StartWorker, tmp_path: Path
) -> None:
    state = tmp_path / "w1-state.json"
    seed_default(state, accounts=2, regions=2, networks=2, instances=250)
    cleanup = {
        "cleanup": True,
        "cleanup_dry_run": False,
        "cleanup_max_deletions": 100_000,
        "cleanup_max_percent": 100,
        "cleanup_pool_size": 4,
    }
    worker = start_worker("w1", config={"resotoworker": cleanup})
    collect = core.send_action("collect")
    assert core.wait_for_reply(collect, timeout=120)["kind"] == "action_done"

    # flag every other instance of acc-1 and every unattached volume; everything else must survive
    graph = core.graph()
    flagged: set[tuple[str, str]] = set()
    for node in graph.nodes.values():
        reported = node["reported"]
        kind, rid = reported.get("kind"), reported.get("id", "")
        pick = (
            kind == "example_instance" and rid.startswith("acc-1/") and int(rid.rsplit("-", 1)[1]) % 2 == 0
        ) or (kind == "example_volume" and not reported.get("attached_to") and rid.endswith(f"-{250 + 1}"))
        if pick:
            core.flag_clean(node["id"])
            flagged.add((kind, rid))
    store = ExampleStore(str(state))
    everything = {(r["kind"], r["id"]) for r in store.resources()}
    assert len(flagged) > 100 and flagged <= everything

    first = core.send_action("cleanup")
    wait_for(lambda: len(store.deleted_log()) >= 10, timeout=300, interval=0.01, what="deletions")
    worker.kill9()
    deleted_before = [(d["kind"], d["id"]) for d in store.deleted_log()]
    assert 0 < len(deleted_before) < len(flagged), "killed in the middle of the cleanup"
    assert set(deleted_before) <= flagged

    start_worker("w1", config={"resotoworker": cleanup})
    # the replayed (unanswered) cleanup runs again in the new process; then one more cleanup
    assert core.wait_for_reply(first, timeout=120)["kind"] in ("action_done", "action_error")
    second = core.send_action("cleanup")
    assert core.wait_for_reply(second, timeout=120)["kind"] == "action_done"

    deleted = [(d["kind"], d["id"]) for d in store.deleted_log()]
    twice = {key: n for key, n in Counter(deleted).items() if n > 1}
    assert not twice, f"deleted twice: {twice}"
    assert set(deleted) == flagged, "the next cleanup finished the job, and deleted nothing else"
    remaining = {(r["kind"], r["id"]) for r in store.resources()}
    assert remaining == everything - flagged
