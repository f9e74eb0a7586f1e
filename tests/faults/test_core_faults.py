"""Core faults: 5xx answers, cut and failed merges, dropped websockets and restarts of the core.

Every test runs the real ``resotoworker`` process against the core simulator and asserts on what the
simulator stores (graph, merges, replies) and on what the example cloud holds.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from coresim import ThreadedCoreSimulator
from e2e.conftest import StartWorker
from resoto_plugin_example.store import ExampleStore, seed_default
from support import wait_for

from faults.helpers import (
    EXAMPLE_KINDS,
    account_subtree,
    applied_merges,
    assert_graph_matches_cloud,
    done_replies,
    stored_resources,
)

pytestmark = pytest.mark.faults

ACCOUNTS = 2


def _collect(core: ThreadedCoreSimulator, timeout: float = 60) -> str:
    task = core.send_action("collect")
    reply = core.wait_for_reply(task, timeout=timeout)
    assert reply["kind"] == "action_done", reply
    return task


def _settled_replies(core: ThreadedCoreSimulator, task: str, quiet: float = 1.5) -> list[dict[str, object]]:
    """The task's replies once no new one arrived for ``quiet`` seconds (a late duplicate would show)."""
    core.wait_for_reply(task, timeout=60)
    seen = -1
    while True:
        replies = core.replies(task)
        if len(replies) == seen:
            return replies
        seen = len(replies)
        time.sleep(quiet)


def test_5xx_on_graph_creation_model_and_merge_are_retried(
    core: ThreadedCoreSimulator, start_worker: StartWorker, tmp_path: Path
) -> None:
    start_worker("w1")
    core.set_fault(r"^/graph/resoto$", status=500, times=2, method="POST")
    core.set_fault(r"^/graph/resoto/model$", status=503, times=2, method="PATCH")
    core.set_fault(r"^/graph/resoto/merge$", status=500, times=1, method="POST")
    core.set_fault(r"^/graph/resoto/merge$", status=503, times=1, method="POST")

    task = _collect(core)

    statuses = {
        path: [r.status for r in core.requests_to(path)]
        for path in (r"^/graph/resoto$", r"^/graph/resoto/model$", r"^/graph/resoto/merge$")
    }
    assert statuses[r"^/graph/resoto$"] == [500, 500, 200]
    assert statuses[r"^/graph/resoto/model$"] == [503, 503, 200]
    assert sorted(statuses[r"^/graph/resoto/merge$"], key=str) == sorted([500, 503, 204, 204], key=str)
    assert core.merge_count(task) == ACCOUNTS
    assert_graph_matches_cloud(core, tmp_path / "w1-state.json")
    assert len(core.replies(task)) == 1


def test_merge_cut_off_halfway_is_retried_and_stored_once(
    core: ThreadedCoreSimulator, start_worker: StartWorker, tmp_path: Path
) -> None:
    state = tmp_path / "w1-state.json"
    seed_default(state, accounts=ACCOUNTS, regions=2, networks=4, instances=150)
    start_worker("w1")
    first = _collect(core)
    body_sizes = [sum(len(line) + 1 for line in m.lines) for m in core.merges if m.task_id == first]
    assert len(body_sizes) == ACCOUNTS and min(body_sizes) > 2 * 65536  # big enough to cut in the middle

    # the cloud changes, then both accounts' merges are cut off in the middle of the body
    store = ExampleStore(str(state))
    gone = [r for r in store.resources() if r["kind"] == "example_instance"][:5]
    for record in gone:
        store.delete(record["kind"], record["id"])
    core.cut_merge_after(min(body_sizes) // 2, times=ACCOUNTS)
    second = _collect(core)

    merges = [m for m in core.merges if m.task_id == second]
    cut = [m for m in merges if m.error and "cut" in m.error]
    assert len(cut) == ACCOUNTS and not any(m.applied for m in cut)
    assert core.merge_count(second) == ACCOUNTS
    assert_graph_matches_cloud(core, state)
    assert not {(r["kind"], r["id"]) for r in gone} & set(stored_resources(core))
    assert len(core.replies(second)) == 1


@pytest.mark.slow
def test_failed_merge_leaves_the_account_intact_and_the_action_answered(
    core: ThreadedCoreSimulator, start_worker: StartWorker, tmp_path: Path
) -> None:
    state = tmp_path / "w1-state.json"
    # one account's graph at a time, so a run of faults hits one account's every attempt
    start_worker("w1", config={"resotoworker": {"graph_sender_pool_size": 1}})
    _collect(core)
    before = {acc: account_subtree(core, acc) for acc in ("acc-1", "acc-2")}

    store = ExampleStore(str(state))
    for acc in ("acc-1", "acc-2"):  # both accounts change in the cloud
        victim = next(r for r in store.resources() if r["kind"] == "example_volume" and r["account"] == acc)
        store.delete("example_volume", victim["id"])
    core.set_fault(r"^/graph/resoto/merge$", status=500, times=6, method="POST")  # 1 try + 5 retries
    task = core.send_action("collect")
    core.wait_for_reply(task, timeout=120)

    assert len(_settled_replies(core, task)) == 1
    assert core.merge_count(task) == 1
    after = {acc: account_subtree(core, acc) for acc in ("acc-1", "acc-2")}
    unchanged = [acc for acc in after if after[acc] == before[acc]]
    replaced = [acc for acc in after if after[acc] != before[acc]]
    assert len(unchanged) == 1 and len(replaced) == 1, "one account failed, the other was replaced"
    store_now = ExampleStore(str(state))
    expected = {(r["kind"], r["id"]) for r in store_now.resources() if r["account"] == replaced[0]}
    stored = {(n["kind"], n["id"]) for n in after[replaced[0]].values() if n["kind"] in EXAMPLE_KINDS}
    assert stored == expected
    assert len(core.requests_to(r"^/graph/resoto/merge$")) == ACCOUNTS + 6 + 1


def test_websockets_dropped_during_a_collect_one_graph_one_answer(
    core: ThreadedCoreSimulator, start_worker: StartWorker, tmp_path: Path
) -> None:
    start_worker("w1", config={"example": {"slow_seconds": 2.0}})
    task = core.send_action("collect")
    wait_for(lambda: core.progress(task), timeout=60, what="the collect to run")
    core.drop_websockets()
    wait_for(lambda: "w1-collector" not in core.connected_subscribers, timeout=60)
    wait_for(lambda: "w1-collector" in core.connected_subscribers, timeout=60, what="reconnect")
    core.resend_action(task)  # a second replay while the collect still runs
    replies = _settled_replies(core, task)

    assert [r["kind"] for r in replies] == ["action_done"]
    replayed = [f for f in core.frames_on("handle", "out") if task in f.data and '"action"' in f.data]
    assert len(replayed) >= 3, "the simulator replayed the unanswered action after the reconnect"
    assert core.merge_count(task) == ACCOUNTS
    assert applied_merges(core, task) == ACCOUNTS
    assert_graph_matches_cloud(core, tmp_path / "w1-state.json")


@pytest.mark.parametrize(
    "offline", [pytest.param("socket_closed_at_once", marks=pytest.mark.slow), "registration_fails"]
)
def test_collect_finishing_while_disconnected_is_answered_once_despite_the_replay(
    core: ThreadedCoreSimulator, start_worker: StartWorker, tmp_path: Path, offline: str
) -> None:
    start_worker("w1", config={"example": {"slow_seconds": 1.0}})
    task = core.send_action("collect")
    wait_for(lambda: core.progress(task), timeout=60, what="the collect to run")
    # the next reconnects fail, so the collect ends while the worker is offline; on the reconnect the
    # simulator replays the unanswered action while the worker sends its queued answer
    if offline == "socket_closed_at_once":
        core.set_ws_fault("handle", times=4)
    else:
        core.set_fault(r"^/subscriber/w1-collector/", status=500, times=4, method="POST")
    core.drop_websockets(channel="handle")
    wait_for(lambda: core.merge_count(task) == ACCOUNTS, timeout=30, what="the merges")
    assert "w1-collector" not in core.connected_subscribers
    wait_for(lambda: "w1-collector" in core.connected_subscribers, timeout=30, what="reconnect")
    replies = _settled_replies(core, task, quiet=2.0)

    assert [r["kind"] for r in replies] == ["action_done"]
    assert core.pending_actions("w1-collector") == []
    assert applied_merges(core, task) == ACCOUNTS
    assert_graph_matches_cloud(core, tmp_path / "w1-state.json")


def test_websockets_dropped_during_a_tag_task(
    core: ThreadedCoreSimulator, start_worker: StartWorker, tmp_path: Path
) -> None:
    start_worker("w1")
    _collect(core)
    node = core.graph().find("example_instance", "acc-1/us-west/inst-1")
    assert node is not None
    result: dict[str, object] = {}

    def tag() -> None:
        result.update(core.tag_node(node["id"], {"faults": "dropped"}, timeout=30))

    tagger = threading.Thread(target=tag)
    tagger.start()
    core.drop_websockets()
    tagger.join(45)

    assert result.get("result") == "done", result
    record = ExampleStore(str(tmp_path / "w1-state.json")).get("example_instance", "acc-1/us-west/inst-1")
    assert record is not None and record["tags"]["faults"] == "dropped"
    assert core.graph().nodes[node["id"]]["reported"]["tags"]["faults"] == "dropped"
    wait_for(lambda: "w1-collector" in core.connected_subscribers, timeout=60, what="reconnect")
    assert _collect(core)


def test_core_restart_while_idle(
    core: ThreadedCoreSimulator, start_worker: StartWorker, tmp_path: Path
) -> None:
    worker = start_worker("w1")
    core.restart(keep_state=True)
    wait_for(lambda: "w1-collector" in core.connected_subscribers, timeout=60, what="reconnect")
    wait_for(lambda: core.workers, timeout=60, what="work queue reconnect")
    task = _collect(core)
    assert core.merge_count(task) == ACCOUNTS and worker.alive
    assert_graph_matches_cloud(core, tmp_path / "w1-state.json")


@pytest.mark.slow
def test_core_restart_in_the_middle_of_a_collect(
    core: ThreadedCoreSimulator, start_worker: StartWorker, tmp_path: Path
) -> None:
    start_worker("w1", config={"example": {"slow_seconds": 2.0}})
    task = core.send_action("collect")
    wait_for(lambda: core.progress(task), timeout=60, what="the collect to run")
    core.restart(keep_state=True)
    replies = _settled_replies(core, task, quiet=2.0)
    assert [r["kind"] for r in replies] == ["action_done"]
    assert core.merge_count(task) == ACCOUNTS
    assert_graph_matches_cloud(core, tmp_path / "w1-state.json")
    assert done_replies(core, _collect(core))


@pytest.mark.slow
def test_websockets_dropped_during_a_cleanup_one_answer_nothing_deleted_twice(
    core: ThreadedCoreSimulator, start_worker: StartWorker, tmp_path: Path
) -> None:
    state = tmp_path / "w1-state.json"
    seed_default(state, accounts=1, regions=2, networks=2, instances=120)
    cleanup = {
        "cleanup": True,
        "cleanup_dry_run": False,
        "cleanup_max_deletions": 100_000,
        "cleanup_max_percent": 100,
        "cleanup_pool_size": 2,
    }
    start_worker("w1", config={"resotoworker": cleanup})
    _collect(core)
    store = ExampleStore(str(state))
    everything = {(r["kind"], r["id"]) for r in store.resources()}
    flagged = set()
    for node in core.graph().by_kind("example_instance"):
        core.flag_clean(node["id"])
        flagged.add(("example_instance", node["reported"]["id"]))

    task = core.send_action("cleanup")
    wait_for(lambda: store.deleted_log(), timeout=60, interval=0.01, what="the first deletion")
    core.drop_websockets()
    assert len(store.deleted_log()) < len(flagged), "dropped in the middle of the cleanup"
    replies = _settled_replies(core, task, quiet=2.0)

    assert [r["kind"] for r in replies] == ["action_done"]
    deleted = [(d["kind"], d["id"]) for d in store.deleted_log()]
    assert len(deleted) == len(set(deleted)), "nothing is deleted twice"
    assert set(deleted) == flagged
    assert {(r["kind"], r["id"]) for r in store.resources()} == everything - flagged
