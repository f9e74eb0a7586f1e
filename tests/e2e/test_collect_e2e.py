"""The collect engine through the real worker process: failure-scoped replace, timeouts, abort, one-shot (issue 4)."""

from __future__ import annotations

import json
import subprocess
import time
from collections import Counter
from pathlib import Path
from typing import Any

from coresim import ThreadedCoreSimulator
from e2e.conftest import StartWorker
from resoto_plugin_example.store import ExampleStore
from support import WORKER_BIN, WorkerProcess, wait_for

RESOURCE_KINDS = {"example_instance", "example_volume", "example_network", "example_custom_resource"}


def _held(core: ThreadedCoreSimulator) -> set[tuple[str, str]]:
    return {
        (n["reported"]["kind"], n["reported"]["id"])
        for n in core.graph().nodes.values()
        if n["reported"]["kind"] in RESOURCE_KINDS
    }


def _reconfigure(core: ThreadedCoreSimulator, worker: WorkerProcess, change: dict[str, Any]) -> None:
    """Change the worker's config in the core and wait until the worker runs with it."""
    sid = "w1"
    doc = core.get_config(sid)
    assert doc is not None
    for section, values in change.items():
        doc.setdefault(section, {}).update(values)
    worker.wait_config(core.set_config(sid, doc))


def test_a_failing_region_keeps_its_old_data_and_the_rest_is_replaced(
    core: ThreadedCoreSimulator, start_worker: StartWorker, tmp_path: Path
) -> None:
    worker = start_worker("w1")
    first = core.send_action("collect")
    assert core.wait_for_reply(first, timeout=90)["kind"] == "action_done"
    store = ExampleStore(str(tmp_path / "w1-state.json"))
    assert _held(core) == {(r["kind"], r["id"]) for r in store.resources()}

    # the cloud changes in two regions; then one of them starts failing
    failing = store.resources("example_volume", account="acc-2", region="us-east")[0]
    healthy = store.resources("example_volume", account="acc-1", region="us-west")[0]
    store.delete("example_volume", failing["id"])
    store.delete("example_volume", healthy["id"])
    _reconfigure(core, worker, {"example": {"fail_regions": ["acc-2/us-east"]}})

    second = core.send_action("collect")
    reply = core.wait_for_reply(second, timeout=90)
    assert reply["kind"] == "action_done"
    held = _held(core)
    assert ("example_volume", healthy["id"]) not in held, "a fully collected region is replaced"
    assert ("example_volume", failing["id"]) in held, "the failed region keeps its last good data"
    others = {
        (r["kind"], r["id"])
        for r in store.resources()
        if not (r["account"] == "acc-2" and r["region"] == "us-east")
    }
    assert others <= held
    errors = [i["data"]["message"] for i in core.infos(second) if i["data"]["level"] == "error"]
    assert any("example:acc-2:us-east" in m for m in errors), errors
    assert core.violations == []


def test_a_hanging_unit_times_out_and_everything_else_arrives(
    core: ThreadedCoreSimulator, start_worker: StartWorker, tmp_path: Path
) -> None:
    start_worker(
        "w1", config={"example": {"hang_regions": ["acc-1/us-east"]}, "resotoworker": {"unit_timeout": 2}}
    )
    task = core.send_action("collect")
    # the hanging unit never ends by itself: an answer at all shows the unit timeout worked
    assert core.wait_for_reply(task, timeout=120)["kind"] == "action_done"
    store = ExampleStore(str(tmp_path / "w1-state.json"))
    expected = {
        (r["kind"], r["id"])
        for r in store.resources()
        if not (r["account"] == "acc-1" and r["region"] == "us-east")
    }
    assert expected <= _held(core)
    assert any("timed out" in i["data"]["message"] for i in core.infos(task))


def test_abort_stops_a_long_collect_within_seconds(
    core: ThreadedCoreSimulator, start_worker: StartWorker
) -> None:
    worker = start_worker("w1", config={"example": {"slow_seconds": 120}})
    task = core.send_action("collect")
    time.sleep(1.0)
    started = time.monotonic()
    core.abort_action(task)
    wait_for(lambda: core.replies(task), timeout=60, what="the answer after abort")
    # without the abort the collect runs for 120 s; the margin is for a loaded machine, not a figure
    assert time.monotonic() - started < 30
    assert worker.alive
    # the worker serves the next action normally
    _reconfigure(core, worker, {"example": {"slow_seconds": 0}})
    nxt = core.send_action("collect")
    assert core.wait_for_reply(nxt, timeout=90)["kind"] == "action_done"


def _normalise(lines: list[str]) -> Counter[str]:
    result: Counter[str] = Counter()
    for line in lines:
        doc = json.loads(line)
        if isinstance(doc.get("metadata"), dict):
            doc["metadata"].pop("exported_at", None)
        result[json.dumps(doc, sort_keys=True)] += 1
    return result


def test_one_shot_output_is_the_stream_the_daemon_sends(
    core: ThreadedCoreSimulator, start_worker: StartWorker, tmp_path: Path
) -> None:
    start_worker("w1")
    task = core.send_action("collect")
    assert core.wait_for_reply(task, timeout=90)["kind"] == "action_done"
    sent = [line for m in core.merges if m.task_id == task for line in m.lines if line.strip()]

    config = core.get_config("w1")
    cfg_file = tmp_path / "config.json"
    cfg_file.write_text(json.dumps(config))
    out = tmp_path / "graph.ndjson"
    result = subprocess.run(
        [WORKER_BIN, "--collect-once", "--config", str(cfg_file), "--output", str(out)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "example_instance" in result.stdout  # the summary table
    written = [line for line in out.read_text().splitlines() if line.strip()]
    assert _normalise(written) == _normalise(sent)
