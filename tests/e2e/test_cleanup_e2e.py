"""Cleanup through the real resotoworker process and the core simulator (issue 5, "Done when").

Each test starts a worker, lets it collect the example cloud into the simulator, flags resources in
the simulator's graph the way a user (or ``cleanup_plan``) would, sends the ``cleanup`` action, and
then checks the example cloud's delete log, the simulator's graph and the worker's action_info lines.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from coresim import ThreadedCoreSimulator
from e2e.conftest import StartWorker
from resoto_plugin_example.inventory import EXPIRED
from resoto_plugin_example.store import ExampleStore
from support import wait_for

INST = "example_instance"
VOL = "example_volume"
NET = "example_network"
# inst-2 of a region runs alone in net-2 and has vol-2 attached: volume and network go after it
TRIO = [(INST, "acc-1/us-west/inst-2"), (VOL, "acc-1/us-west/vol-2"), (NET, "acc-1/us-west/net-2")]
SPARE = (VOL, "acc-1/us-east/vol-4")  # an unattached volume, independent of the trio


def collected_worker(
    core: ThreadedCoreSimulator, start_worker: StartWorker, tmp_path: Path, sid: str = "w1", **sections: Any
) -> ExampleStore:
    """Start a worker with the given config sections, collect once, return its example cloud."""
    start_worker(sid, config=sections)
    task = core.send_action("collect")
    reply = core.wait_for_reply(task, timeout=60)
    assert reply["kind"] == "action_done", reply
    return ExampleStore(str(tmp_path / f"{sid}-state.json"))


def node_id(core: ThreadedCoreSimulator, kind: str, rid: str) -> str:
    found = core.graph().find(kind, rid)
    assert found is not None, f"{kind} {rid} is not in the core's graph"
    return str(found["id"])


def flag(core: ThreadedCoreSimulator, *resources: tuple[str, str]) -> list[str]:
    ids = [node_id(core, kind, rid) for kind, rid in resources]
    for nid in ids:
        core.flag_clean(nid)
    return ids


def run_action(
    core: ThreadedCoreSimulator, action: str, replies: int = 1
) -> tuple[str, list[dict[str, Any]]]:
    """Send an action, wait for ``replies`` answers, return the task id and its action_info data."""
    task = core.send_action(action)
    wait_for(lambda: len(core.replies(task)) >= replies, timeout=60, what=f"{action} replies")
    assert all(r["kind"] == "action_done" for r in core.replies(task)), core.replies(task)
    return task, [i["data"] for i in core.infos(task)]


def deleted(store: ExampleStore) -> list[tuple[str, str]]:
    return [(d["kind"], d["id"]) for d in store.deleted_log()]


def cleaned(core: ThreadedCoreSimulator, nid: str) -> bool:
    return (core.graph().nodes[nid].get("metadata") or {}).get("cleaned") is True


def test_real_run_deletes_in_dependency_order_and_leaves_protected_alone(
    core: ThreadedCoreSimulator, start_worker: StartWorker, tmp_path: Path
) -> None:
    store = collected_worker(
        core, start_worker, tmp_path, resotoworker={"cleanup": True, "cleanup_dry_run": False}
    )
    ids = flag(core, *TRIO)
    protected = flag(core, (VOL, "acc-1/us-west/vol-4"))[0]
    core.set_protected(protected)

    run_action(core, "cleanup")

    log = deleted(store)
    assert sorted(log) == sorted(TRIO)
    assert log[0] == TRIO[0], "the instance goes first: its volume and its network depend on it"
    assert store.get(VOL, "acc-1/us-west/vol-4") is not None
    assert all(cleaned(core, nid) for nid in ids)
    assert not cleaned(core, protected)
    assert core.violations == [] and core.errors == []


def test_dry_run_is_the_default_and_reports_the_planned_deletions_in_order(
    core: ThreadedCoreSimulator, start_worker: StartWorker, tmp_path: Path
) -> None:
    store = collected_worker(core, start_worker, tmp_path, resotoworker={"cleanup": True})
    flag(core, *TRIO)

    _, infos = run_action(core, "cleanup")

    assert deleted(store) == []
    assert store.get(*TRIO[0]) is not None
    assert core.patch_lines == []
    planned = [i["message"] for i in infos if "would delete" in i["message"] and "/3 " in i["message"]]
    assert len(planned) == 3, infos
    assert f"1/3 (generation 1): {TRIO[0][0]} {TRIO[0][1]}" in planned[0]
    assert {p.split(": ", 2)[-1].split(" [")[0] for p in planned[1:]} == {f"{k} {r}" for k, r in TRIO[1:]}
    assert all("generation 2" in p for p in planned[1:])


def test_failing_delete_blocks_its_dependents_and_the_rest_proceeds(
    core: ThreadedCoreSimulator, start_worker: StartWorker, tmp_path: Path
) -> None:
    store = collected_worker(
        core, start_worker, tmp_path, resotoworker={"cleanup": True, "cleanup_dry_run": False}
    )
    store.set_fields(*TRIO[0], fail_delete=True)
    ids = flag(core, *TRIO, SPARE)

    _, infos = run_action(core, "cleanup")

    assert deleted(store) == [SPARE]
    assert cleaned(core, ids[3]) and not any(cleaned(core, nid) for nid in ids[:3])
    errors = [i["message"] for i in infos if i["level"] == "error"]
    assert any(TRIO[0][1] in e and "delete refused" in e for e in errors), errors
    for kind, rid in TRIO[1:]:
        assert any(f"{kind} {rid} blocked" in e and TRIO[0][1] in e for e in errors), errors
    events = {nid: core.graph().nodes[nid]["metadata"]["event_log"][-1]["msg"] for nid in ids}
    assert "delete refused" in events[ids[0]]
    assert events[ids[1]].startswith("Cleanup blocked") and events[ids[2]].startswith("Cleanup blocked")


def test_plan_above_max_deletions_deletes_nothing(
    core: ThreadedCoreSimulator, start_worker: StartWorker, tmp_path: Path
) -> None:
    store = collected_worker(
        core,
        start_worker,
        tmp_path,
        resotoworker={"cleanup": True, "cleanup_dry_run": False, "cleanup_max_deletions": 2},
    )
    flag(core, *TRIO)
    _, infos = run_action(core, "cleanup")
    assert deleted(store) == []
    assert any(i["level"] == "error" and "cleanup_max_deletions=2" in i["message"] for i in infos), infos


def test_resources_changed_between_plan_and_delete_are_skipped(
    core: ThreadedCoreSimulator, start_worker: StartWorker, tmp_path: Path
) -> None:
    store = collected_worker(
        core, start_worker, tmp_path, resotoworker={"cleanup": True, "cleanup_dry_run": False}
    )
    gone, guarded = (VOL, "acc-2/us-west/vol-4"), (INST, "acc-2/us-east/inst-3")
    ids = flag(core, gone, guarded, SPARE)
    store.delete(*gone)  # deleted behind the core's back
    store.update_tag(*guarded, "resoto:protect", None)  # protected after it was flagged

    _, infos = run_action(core, "cleanup")

    assert deleted(store) == [gone, SPARE]  # the manual delete, then the one that was still there
    assert store.get(*guarded) is not None
    messages = [i["message"] for i in infos]
    assert any(gone[1] in m and "skipped: no longer exists" in m for m in messages), messages
    assert any(guarded[1] in m and "skipped: newly protected" in m for m in messages), messages
    assert not cleaned(core, ids[0]) and not cleaned(core, ids[1]) and cleaned(core, ids[2])


def test_expiry_policy_flags_the_expired_and_the_following_cleanup_deletes_them(
    core: ThreadedCoreSimulator, start_worker: StartWorker, tmp_path: Path
) -> None:
    store = collected_worker(
        core, start_worker, tmp_path, resotoworker={"cleanup": True, "cleanup_dry_run": False}
    )
    expired = {(INST, r["id"]) for r in store.resources(INST) if r["tags"].get("expires") == EXPIRED}
    assert expired

    _, infos = run_action(core, "cleanup_plan")

    flagged = {
        (n["reported"]["kind"], n["reported"]["id"])
        for n in core.graph().nodes.values()
        if (n.get("desired") or {}).get("clean") is True
    }
    assert flagged == expired
    assert any(f"policy expired flagged {len(expired)}" in i["message"] for i in infos), infos

    run_action(core, "cleanup")
    assert set(deleted(store)) == expired
    assert all(store.get(*resource) is None for resource in expired)
