"""Bad input: property-based garbage on the actions, work-queue and events sockets, and in the config.

Frames are injected through the simulator's open websockets (:mod:`faults.inject`). After every
batch the worker must still answer the next valid collect; every malformed action that carries a
task and a step gets exactly one ``action_error``; every malformed task with a ``task_id`` gets an
``error`` reply.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from coresim import ThreadedCoreSimulator
from e2e.conftest import StartWorker
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import wait_for

from faults.helpers import frames_json
from faults.inject import send_raw

pytestmark = pytest.mark.faults

EXAMPLES = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    database=None,
)
HANDLED = {"collect", "cleanup", "cleanup_plan"}
OVERSIZED = 4 * 1024 * 1024 + 4096

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
not_json = st.text(max_size=200).filter(lambda t: not _parses(t))


def _parses(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


@st.composite
def truncated(draw: st.DrawFn, frames: st.SearchStrategy[str]) -> str:
    text = draw(frames)
    cut = draw(st.integers(min_value=1, max_value=max(1, len(text) - 1)))
    return text[:cut]


def _garbage(shaped: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Arbitrary JSON, frames of the right shape with wrong types, non-JSON and truncated frames."""
    return st.one_of(json_values.map(json.dumps), shaped, not_json, truncated(shaped))


action_shaped = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["action", "action_abort"]) | json_values,
        "message_type": json_values,
        "data": json_values,
    }
).map(json.dumps)


@st.composite
def answerable_action(draw: st.DrawFn) -> tuple[str, str]:
    """A malformed action that can still be answered: (task id, frame)."""
    task = f"bad-{uuid.uuid4()}"
    message_type = draw(json_values.filter(lambda v: not (isinstance(v, str) and v in HANDLED)))
    data = draw(st.dictionaries(st.text(max_size=8), json_values, max_size=4))
    data.update({"task": task, "step": draw(st.text(max_size=30))})
    return task, json.dumps({"kind": "action", "message_type": message_type, "data": data})


task_shaped = st.fixed_dictionaries(
    {"task_name": json_values, "data": json_values, "attrs": json_values}, optional={"task_id": json_values}
).map(json.dumps)


@st.composite
def answerable_task(draw: st.DrawFn) -> tuple[str, str]:
    """A malformed task with a task_id: (task id, frame)."""
    task_id = f"bad-{uuid.uuid4()}"
    frame = {
        "task_id": task_id,
        "task_name": draw(st.sampled_from(["tag"]) | json_values),
        "data": draw(json_values),
        "attrs": draw(json_values),
    }
    return task_id, json.dumps(frame)


event_shaped = st.fixed_dictionaries(
    {
        "kind": st.just("event") | json_values,
        "message_type": st.just("config-updated") | json_values,
        "data": json_values,
    }
).map(json.dumps)


def _still_serves(core: ThreadedCoreSimulator, sid: str = "w1") -> None:
    wait_for(lambda: f"{sid}-collector" in core.connected_subscribers, timeout=30, what="actions connection")
    task = core.send_action("collect")
    assert core.wait_for_reply(task, timeout=60)["kind"] == "action_done"
    assert len(core.replies(task)) == 1


def _task_replies(core: ThreadedCoreSimulator) -> dict[str, list[dict[str, Any]]]:
    replies: dict[str, list[dict[str, Any]]] = {}
    for frame in frames_json(core, "work_queue", "in"):
        if isinstance(frame, dict) and isinstance(frame.get("task_id"), str):
            replies.setdefault(frame["task_id"], []).append(frame)
    return replies


def test_garbage_on_the_actions_socket(core: ThreadedCoreSimulator, start_worker: StartWorker) -> None:
    worker = start_worker("w1")
    answerable: list[str] = []

    @EXAMPLES
    @given(garbage=_garbage(action_shaped), action=answerable_action())
    def throw(garbage: str, action: tuple[str, str]) -> None:
        assert send_raw(core, "handle", garbage) == 1
        task, frame = action
        assert send_raw(core, "handle", frame) == 1
        answerable.append(task)

    throw()
    for task in answerable:
        wait_for(lambda task=task: core.replies(task), timeout=30, what=f"an answer to {task}")
    _still_serves(core)
    for task in answerable:
        assert [r["kind"] for r in core.replies(task)] == ["action_error"], task
        assert core.replies(task)[0]["data"]["task"] == task
    assert worker.alive


def test_garbage_on_the_work_queue_socket(core: ThreadedCoreSimulator, start_worker: StartWorker) -> None:
    worker = start_worker("w1")
    answerable: list[str] = []

    @EXAMPLES
    @given(garbage=_garbage(task_shaped), task=answerable_task())
    def throw(garbage: str, task: tuple[str, str]) -> None:
        assert send_raw(core, "work_queue", garbage) == 1
        task_id, frame = task
        assert send_raw(core, "work_queue", frame) == 1
        answerable.append(task_id)

    throw()
    wait_for(lambda: set(answerable) <= set(_task_replies(core)), timeout=30, what="the error replies")
    replies = _task_replies(core)
    for task_id in answerable:
        assert [r["result"] for r in replies[task_id]] == ["error"], replies[task_id]
        assert isinstance(replies[task_id][0]["error"], str) and replies[task_id][0]["error"]
    _still_serves(core)
    # the queue still serves real tasks too
    node = core.graph().find("example_instance", "acc-1/us-west/inst-1")
    assert node is not None
    assert core.tag_node(node["id"], {"after": "garbage"})["result"] == "done"
    assert worker.alive


def test_garbage_on_the_events_socket(core: ThreadedCoreSimulator, start_worker: StartWorker) -> None:
    worker = start_worker("w1")

    @EXAMPLES
    @given(garbage=_garbage(event_shaped))
    def throw(garbage: str) -> None:
        assert send_raw(core, "events", garbage) == 1

    throw()
    _still_serves(core)
    # the events channel still works: a config change reaches the worker (one account from now on)
    config = core.get_config("w1")
    assert config is not None
    config["example"]["accounts"] = ["acc-1"]
    worker.wait_config(core.set_config("w1", config))
    task = core.send_action("collect")
    assert core.wait_for_reply(task, timeout=60)["kind"] == "action_done"
    assert core.merge_count(task) == 1
    assert worker.alive


def test_oversized_frames_on_every_socket(core: ThreadedCoreSimulator, start_worker: StartWorker) -> None:
    worker = start_worker("w1")
    pad = "x" * OVERSIZED
    big_action = f"bad-{uuid.uuid4()}"
    big_task = f"bad-{uuid.uuid4()}"
    send_raw(core, "handle", json.dumps({"kind": "action", "message_type": "collect", "data": {"pad": pad}}))
    send_raw(
        core,
        "handle",
        json.dumps(
            {"kind": "action", "message_type": "nope", "data": {"task": big_action, "step": "s", "pad": pad}}
        ),
    )
    send_raw(core, "work_queue", json.dumps({"task_id": big_task, "task_name": "tag", "data": {"pad": pad}}))
    send_raw(
        core, "events", json.dumps({"kind": "event", "message_type": "config-updated", "data": {"pad": pad}})
    )
    send_raw(core, "handle", pad)

    wait_for(lambda: core.replies(big_action), timeout=30, what="the answer to the oversized action")
    wait_for(lambda: big_task in _task_replies(core), timeout=30, what="the answer to the oversized task")
    _still_serves(core)
    assert [r["kind"] for r in core.replies(big_action)] == ["action_error"]
    assert [r["result"] for r in _task_replies(core)[big_task]] == ["error"]
    assert worker.alive
