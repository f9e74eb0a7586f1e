"""Tag tasks on the work queue, through the real resotoworker process and the core simulator."""

from __future__ import annotations

from pathlib import Path

from coresim import ThreadedCoreSimulator
from e2e.conftest import StartWorker
from e2e.test_cleanup_e2e import collected_worker, node_id

INST = "example_instance"
RID = "acc-2/us-east/inst-3"


def test_update_key_only_update_and_delete_reach_the_cloud_and_the_core(
    core: ThreadedCoreSimulator, start_worker: StartWorker, tmp_path: Path
) -> None:
    store = collected_worker(core, start_worker, tmp_path)
    nid = node_id(core, INST, RID)

    reply = core.tag_node(nid, update={"owner": "alice"})
    assert reply["result"] == "done", reply
    assert "core_error" not in reply, reply  # the simulator stored the returned node
    assert reply["data"]["id"] == nid and reply["data"]["reported"]["tags"]["owner"] == "alice"
    assert store.get(INST, RID)["tags"]["owner"] == "alice"  # type: ignore[index]

    reply = core.tag_node(nid, update={"reviewed": None})
    assert reply["result"] == "done" and "core_error" not in reply, reply
    assert reply["data"]["reported"]["tags"]["reviewed"] is None
    assert "reviewed" in store.get(INST, RID)["tags"]  # type: ignore[index]
    assert store.get(INST, RID)["tags"]["reviewed"] is None  # type: ignore[index]

    reply = core.tag_node(nid, delete=["env"])
    assert reply["result"] == "done" and "core_error" not in reply, reply
    assert "env" not in reply["data"]["reported"]["tags"]
    assert "env" not in store.get(INST, RID)["tags"]  # type: ignore[index]

    # the core now holds the node the worker returned: all three changes
    tags = core.graph().nodes[nid]["reported"]["tags"]
    assert tags["owner"] == "alice" and tags["reviewed"] is None and "env" not in tags
    assert [(e["op"], e["key"]) for e in store.tag_log()] == [
        ("update", "owner"),
        ("update", "reviewed"),
        ("delete", "env"),
    ]
    assert core.violations == []


def test_bad_tag_tasks_get_error_replies(
    core: ThreadedCoreSimulator, start_worker: StartWorker, tmp_path: Path
) -> None:
    store = collected_worker(core, start_worker, tmp_path)

    # a kind that cannot be tagged
    custom = node_id(core, "example_custom_resource", "acc-1/us-west/custom-1")
    reply = core.tag_node(custom, update={"owner": "alice"})
    assert reply["result"] == "error" and reply["error"] == "kind example_custom_resource cannot be tagged", (
        reply
    )

    # a resource that no longer exists in the cloud
    nid = node_id(core, INST, RID)
    store.delete(INST, RID)
    reply = core.tag_node(nid, update={"owner": "alice"})
    assert reply["result"] == "error" and "resource no longer exists" in reply["error"], reply

    # malformed data: a value that is not a string, and a task without a node
    other = node_id(core, INST, "acc-1/us-west/inst-1")
    attrs, node = core.sim.graphs["resoto"].tag_task(other)
    reply = core.submit_task("tag", attrs, {"update": {"owner": 42}, "node": node})
    assert reply["result"] == "error" and "malformed tag task" in reply["error"], reply
    reply = core.tag_node(other, update={"owner": "alice"}, with_node=False)
    assert reply["result"] == "error" and reply["error"] == "tag task without a node: nothing to tag", reply

    assert store.tag_log() == []
    assert core.graph().nodes[other]["reported"]["tags"].get("owner") != "alice"
