"""Tag tasks and task descriptions, with frames built the way the core builds them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from kernel.test_cleanup_support import GRAPH, World, example_world, tag_frame
from resotoworker.plugins import build_plugin_host
from resotoworker.tasks import handle_task, task_descriptions

INST = "example_instance"
RID = "acc-1/us-west/inst-2"
SAMPLES = Path("/work/shared/wire-samples/frames")


async def _run(world: World, frame: Any, held: dict[str, set[str]] | None = None) -> dict[str, Any] | None:
    return await handle_task(world.host, world.config(), frame, held)


def _store_result(world: World, reply: dict[str, Any]) -> dict[str, Any]:
    """What the core does with a done reply of a tag task: store data as the node (validates it)."""
    return world.sim.graphs[GRAPH].update_node_from_result(reply["data"])


async def test_tag_update_reaches_the_cloud_and_returns_the_node(tmp_path: Path) -> None:
    async with example_world(tmp_path) as world:
        nid = world.node_id(INST, RID)
        before = world.node(nid)
        reply = await _run(world, tag_frame(world, nid, {"update": {"owner": "alice", "cost": "42"}}))
        assert reply is not None and reply["result"] == "done", reply
        assert reply["task_id"] == "t-1"
        data = reply["data"]
        # the shape of the reference reply: id, reported, metadata, usage
        sample = json.loads((SAMPLES / "tag-result-done.json").read_text())["data"]
        assert set(data) == set(sample)
        assert data["id"] == nid
        assert data["reported"]["tags"] == {**before["reported"]["tags"], "owner": "alice", "cost": "42"}
        assert {k: v for k, v in data["reported"].items() if k != "tags"} == {
            k: v for k, v in before["reported"].items() if k != "tags"
        }
        assert data["metadata"]["python_type"] == before["metadata"]["python_type"]
        assert world.store.get(INST, RID)["tags"]["owner"] == "alice"  # type: ignore[index]
        assert [(e["op"], e["key"], e["value"]) for e in world.store.tag_log()] == [
            ("update", "owner", "alice"),
            ("update", "cost", "42"),
        ]
        stored = _store_result(world, reply)
        assert stored["reported"]["tags"]["cost"] == "42"


async def test_key_only_update_and_delete(tmp_path: Path) -> None:
    async with example_world(tmp_path) as world:
        nid = world.node_id(INST, RID)
        reply = await _run(world, tag_frame(world, nid, {"update": {"reviewed": None}}))
        assert reply is not None and reply["result"] == "done", reply
        assert reply["data"]["reported"]["tags"]["reviewed"] is None
        assert world.store.get(INST, RID)["tags"]["reviewed"] is None  # type: ignore[index]
        _store_result(world, reply)

        reply = await _run(world, tag_frame(world, nid, {"delete": ["owner", "reviewed"]}, task_id="t-2"))
        assert reply is not None and reply["result"] == "done", reply
        tags = reply["data"]["reported"]["tags"]
        assert "owner" not in tags and "reviewed" not in tags and "Name" in tags
        cloud_tags = world.store.get(INST, RID)["tags"]  # type: ignore[index]
        assert "owner" not in cloud_tags and "reviewed" not in cloud_tags
        assert [e["op"] for e in world.store.tag_log()] == ["update", "delete", "delete"]


async def test_the_sample_frame_without_a_node_gets_an_error(tmp_path: Path) -> None:
    async with example_world(tmp_path) as world:
        frame = (SAMPLES / "tag-task-without-node.json").read_text()  # as text, like the websocket gives it
        reply = await _run(world, frame)
        assert reply == {
            "task_id": "763f9a30-8bc8-4251-abe1-8e9bc9695b68",
            "result": "error",
            "error": "tag task without a node: nothing to tag",
        }


async def test_kind_without_tags_gets_an_error_and_the_cloud_is_untouched(tmp_path: Path) -> None:
    async with example_world(tmp_path) as world:
        nid = world.node_id("example_custom_resource", "acc-1/us-west/custom-1")
        reply = await _run(world, tag_frame(world, nid, {"update": {"owner": "alice"}}))
        assert reply is not None and reply["result"] == "error"
        assert reply["error"] == "kind example_custom_resource cannot be tagged"
        assert world.store.tag_log() == []


async def test_resource_that_no_longer_exists_gets_an_error(tmp_path: Path) -> None:
    async with example_world(tmp_path) as world:
        nid = world.node_id(INST, RID)
        world.store.delete(INST, RID)
        reply = await _run(world, tag_frame(world, nid, {"delete": ["owner"]}))
        assert reply is not None and reply["result"] == "error"
        assert reply["error"] == f"resource no longer exists: {INST} {RID}"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("not an object", "data must be a JSON object"),
        ({"update": {"owner": 7}}, "update must map tag keys to string values"),
        ({"update": ["owner"]}, "update must map tag keys to string values"),
        ({"delete": "owner"}, "delete must be a list of tag keys"),
        ({"delete": [""]}, "delete must be a list of tag keys"),
        ({}, "neither update nor delete"),
    ],
)
async def test_malformed_data_gets_an_error(tmp_path: Path, data: Any, expected: str) -> None:
    async with example_world(tmp_path) as world:
        nid = world.node_id(INST, RID)
        frame = tag_frame(world, nid, {})
        frame["data"] = data if not isinstance(data, dict) else {**data, "node": frame["data"]["node"]}
        reply = await _run(world, frame)
        assert reply is not None and reply["result"] == "error"
        assert expected in reply["error"]
        assert world.store.tag_log() == []


async def test_unknown_task_unknown_kind_foreign_account_and_no_task_id(tmp_path: Path) -> None:
    async with example_world(tmp_path) as world:
        nid = world.node_id(INST, RID)
        reply = await _run(world, {"task_id": "x", "task_name": "frobnicate", "attrs": {}, "data": {}})
        assert reply == {
            "task_id": "x",
            "result": "error",
            "error": "this worker has no handler for task frobnicate",
        }

        frame = tag_frame(world, nid, {"update": {"a": "b"}})
        frame["data"]["node"]["reported"]["kind"] = "example_teapot"
        reply = await _run(world, frame)
        assert (
            reply is not None
            and reply["error"] == "unknown kind example_teapot: plugin example does not know it"
        )

        reply = await _run(world, tag_frame(world, nid, {"update": {"a": "b"}}), held={"example": {"acc-2"}})
        assert (
            reply is not None
            and reply["error"] == "account acc-1 of cloud example is not held by this worker"
        )
        reply = await _run(world, tag_frame(world, nid, {"update": {"a": "b"}}), held={"example": {"acc-1"}})
        assert reply is not None and reply["result"] == "done"

        assert await _run(world, {"task_name": "tag", "data": {}}) is None
        assert await _run(world, "not json") is None


async def test_a_reply_over_4_mib_becomes_an_error(tmp_path: Path) -> None:
    async with example_world(tmp_path) as world:
        nid = world.node_id(INST, RID)
        frame = tag_frame(world, nid, {"update": {"a": "b"}})
        frame["data"]["node"]["reported"]["blob"] = "x" * (4 * 1024 * 1024)
        reply = await _run(world, frame)
        assert reply is not None and reply["result"] == "error"
        assert "more than the 4194304 bytes" in reply["error"]


async def test_task_descriptions_name_the_held_accounts(tmp_path: Path) -> None:
    async with example_world(tmp_path) as world:
        config = world.config()
        assert task_descriptions(world.host, config, None) == [
            {
                "name": "tag",
                "info": "Tag a resource",
                "description": "Update or delete a tag of a resource in example",
                "filter": {"cloud": ["example"]},
                "expect_node_result": True,
                "args_description": {},
                "allowed_on_kind": None,
            }
        ]
        held = task_descriptions(world.host, config, {"example": {"acc-2", "acc-1"}})
        assert [d["filter"] for d in held] == [{"cloud": ["example"], "account": ["acc-1", "acc-2"]}]
        # an empty set is "not known yet": no account restriction
        assert task_descriptions(world.host, config, {"example": set()})[0]["filter"] == {
            "cloud": ["example"]
        }

        # no collector configured that is installed: still one entry (the core rejects an empty list)
        other = build_plugin_host(enable={"example"})
        cfg = world.config(collector=["aws"])
        entries = task_descriptions(other, cfg, None)
        assert len(entries) == 1 and entries[0]["name"] == "tag"
        assert entries[0]["filter"] == {"cloud": ["example"]}
        nothing = build_plugin_host(enable=set())
        assert len(task_descriptions(nothing, cfg, None)) == 1
