"""Two workers with disjoint accounts against one core: tags and deletions land on the right one."""

from __future__ import annotations

from pathlib import Path

from coresim import ThreadedCoreSimulator
from e2e.conftest import StartWorker
from e2e.test_cleanup_e2e import deleted, flag, node_id, run_action
from resoto_plugin_example.store import ExampleStore
from support import wait_for

VOL = "example_volume"
INST = "example_instance"


def test_tag_tasks_and_deletions_reach_the_worker_holding_the_account(
    core: ThreadedCoreSimulator, start_worker: StartWorker, tmp_path: Path
) -> None:
    cleanup = {"cleanup": True, "cleanup_dry_run": False}
    # each worker has its own copy of the example cloud, so its logs show exactly what it did
    start_worker("w1", config={"resotoworker": cleanup, "example": {"accounts": ["acc-1"]}})
    start_worker("w2", config={"resotoworker": cleanup, "example": {"accounts": ["acc-2"]}})
    stores = {sid: ExampleStore(str(tmp_path / f"{sid}-state.json")) for sid in ("w1", "w2")}

    run_action(core, "collect", replies=2)
    owner = {
        n["reported"]["id"]: n["reported"]["id"].split("/")[0]
        for n in core.graph().nodes.values()
        if n["reported"]["kind"] == INST
    }
    assert set(owner.values()) == {"acc-1", "acc-2"}  # both accounts arrived, one from each worker

    # after the collect, each worker announces the accounts it holds in its tag filter
    def filters() -> list[dict[str, list[str]]]:
        return sorted(
            (d["filter"] for descriptions in core.workers for d in descriptions if d["name"] == "tag"),
            key=lambda f: f.get("account", []),
        )

    wait_for(
        lambda: (
            filters()
            == [{"cloud": ["example"], "account": ["acc-1"]}, {"cloud": ["example"], "account": ["acc-2"]}]
        ),
        timeout=30,
        what="both workers to name their accounts in the tag filter",
    )

    for account, sid, other in (("acc-1", "w1", "w2"), ("acc-2", "w2", "w1")):
        for region in ("us-west", "us-east"):
            rid = f"{account}/{region}/inst-3"
            reply = core.tag_node(node_id(core, INST, rid), update={"handled": sid})
            assert reply["result"] == "done", reply
            assert stores[sid].get(INST, rid)["tags"]["handled"] == sid  # type: ignore[index]
            assert "handled" not in stores[other].get(INST, rid)["tags"]  # type: ignore[index]
    for sid, account in (("w1", "acc-1"), ("w2", "acc-2")):
        assert {e["id"].split("/")[0] for e in stores[sid].tag_log()} == {account}
        assert len(stores[sid].tag_log()) == 2

    targets = [
        (VOL, f"{acc}/{region}/vol-4") for acc in ("acc-1", "acc-2") for region in ("us-west", "us-east")
    ]
    flag(core, *targets)
    run_action(core, "cleanup", replies=2)
    assert sorted(deleted(stores["w1"])) == sorted(t for t in targets if t[1].startswith("acc-1/"))
    assert sorted(deleted(stores["w2"])) == sorted(t for t in targets if t[1].startswith("acc-2/"))
    assert all(core.graph().nodes[node_id(core, *t)]["metadata"].get("cleaned") is True for t in targets)
    assert core.violations == []
