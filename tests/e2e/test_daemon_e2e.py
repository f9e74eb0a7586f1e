"""The daemon against the core simulator: protocol conformance end to end (issue 3)."""

from __future__ import annotations

import json
import os
import signal
import time
import urllib.request
from pathlib import Path

from coresim import ThreadedCoreSimulator
from e2e.conftest import StartWorker
from resoto_plugin_example.store import ExampleStore
from support import PSK, WorkerProcess, free_port, wait_for, worker_args


def _example_resources(path: Path) -> set[tuple[str, str]]:
    store = ExampleStore(str(path))
    return {(r["kind"], r["id"]) for r in store.resources()}


def test_collect_registers_model_merges_each_account_and_finishes(
    core: ThreadedCoreSimulator, start_worker: StartWorker, tmp_path: Path
) -> None:
    start_worker("w1")
    task = core.send_action("collect")
    reply = core.wait_for_reply(task, timeout=90)
    assert reply["kind"] == "action_done" and reply["data"]["task"] == task
    assert core.violations == [] and core.errors == []

    # the model: our kinds merged (PATCH), never replaced
    model_calls = core.requests_to(r"^/graph/resoto/model$")
    assert model_calls and all(r.method == "PATCH" for r in model_calls)
    assert "example_instance" in core.model().kinds

    # one merge per account, with the documented headers and line format
    merges = [m for m in core.merges if m.headers.get("Resoto-Worker-Task-Id") == task]
    store = ExampleStore(str(tmp_path / "w1-state.json"))
    assert len(merges) == len(store.accounts())
    for merge in merges:
        assert merge.headers["Content-Type"] == "application/x-ndjson"
        assert merge.wait_for_result is False and merge.applied
        lines = [json.loads(line) for line in merge.lines]
        nodes = [line for line in lines if "reported" in line]
        edges = [line for line in lines if "from" in line]
        assert lines.index(nodes[-1]) < lines.index(edges[0]), "node lines come before edge lines"
        assert int(merge.headers["Resoto-Worker-Nodes"]) == len(nodes)
        replace = [n for n in nodes if n["metadata"].get("replace")]
        assert [n["reported"]["kind"] for n in replace] == ["example_account"]
        assert all(set(n) >= {"id", "reported", "metadata", "usage"} for n in nodes)

    # action_done only after the last merge arrived
    done_frame = next(
        f for f in core.frames_on("handle", "in") if json.loads(f.data).get("kind") == "action_done"
    )
    assert max(m.t for m in merges) <= done_frame.t

    # what the core holds equals what the example cloud holds
    graph = core.graph()
    collected = {
        (n["reported"]["kind"], n["reported"]["id"])
        for n in graph.nodes.values()
        if n["reported"]["kind"]
        in {"example_instance", "example_volume", "example_network", "example_custom_resource"}
    }
    assert collected == _example_resources(tmp_path / "w1-state.json")
    assert len(core.replies(task)) == 1


def test_duplicate_and_replayed_collect_runs_once(
    core: ThreadedCoreSimulator, start_worker: StartWorker
) -> None:
    start_worker("w1", config={"example": {"slow_seconds": 1.0}})
    task = core.send_action("collect")
    time.sleep(0.3)
    core.resend_action(task)  # while running: ignored
    core.wait_for_reply(task, timeout=90)
    core.resend_action(task)  # after done: the stored answer again, no second run
    wait_for(lambda: len(core.replies(task)) >= 2, timeout=60)
    assert core.merge_count(task) == 2  # two accounts, merged once each
    assert all(r["kind"] == "action_done" for r in core.replies(task))


def test_websockets_dropped_while_idle_reconnect_and_serve(
    core: ThreadedCoreSimulator, start_worker: StartWorker
) -> None:
    worker = start_worker("w1")
    core.drop_websockets()
    wait_for(lambda: "w1-collector" not in core.connected_subscribers, timeout=60)
    wait_for(lambda: "w1-collector" in core.connected_subscribers, timeout=60, what="reconnect")
    task = core.send_action("collect")
    assert core.wait_for_reply(task, timeout=90)["kind"] == "action_done"
    assert worker.alive


def test_wrong_psk_is_reported_retried_and_recovers_after_core_restart(tmp_path: Path) -> None:
    port = free_port()
    web = free_port()
    config = {"resotoworker": {"collector": ["example"]}, "example": {"state_file": str(tmp_path / "s.json")}}
    worker: WorkerProcess | None = None
    try:
        with ThreadedCoreSimulator(psk="the-core-has-another-key", port=port) as sim:
            sim.set_config("w1", config)
            worker = WorkerProcess(worker_args(sim.url, "w1", PSK, web), tmp_path / "w.log").start()
            wait_for(lambda: len(sim.requests_to(r"^/config/w1")) >= 3, timeout=30, what="config retries")
            worker.wait_log("check --psk")
            requests = sim.requests_to(r"^/config/w1")
            assert {r.status for r in requests} == {401}
            times = [r.t for r in requests]
            assert times[2] - times[1] >= (times[1] - times[0]) * 0.4, "retries back off"
            assert worker.alive
        # the core comes back (same address) with the key the worker has
        with ThreadedCoreSimulator(psk=PSK, port=port) as sim:
            sim.set_config("w1", config)
            wait_for(
                lambda: "w1-collector" in sim.connected_subscribers,
                timeout=60,
                what="reconnect with the right key",
            )
            task = sim.send_action("collect")
            assert sim.wait_for_reply(task, timeout=90)["kind"] == "action_done"
            assert worker.alive
            assert worker.stop() == 0
    finally:
        if worker is not None and worker.alive:
            worker.stop()
    assert PSK not in worker.log_text()


def test_health_metrics_info_and_prompt_sigterm(
    core: ThreadedCoreSimulator, start_worker: StartWorker
) -> None:
    worker = start_worker("w1")
    base = f"http://127.0.0.1:{worker.web_port}"
    wait_for(lambda: _get(base + "/health")[0] == 200, timeout=60, what="healthy")
    status, body = _get(base + "/health")
    assert body.strip() == "ok"
    task = core.send_action("collect")
    core.wait_for_reply(task, timeout=90)
    status, metrics_text = _get(base + "/metrics")
    assert status == 200
    assert 'resoto_collects_total{outcome="done"} 1.0' in metrics_text
    assert 'resoto_collected_resources{cloud="example",kind="example_instance"}' in metrics_text
    status, info = _get(base + "/info")
    doc = json.loads(info)
    assert doc["active_collectors"] == ["example"]
    assert any(p["name"] == "example" and p["version"] for p in doc["plugins"])

    # the core goes away: health says what is down
    core.stop()
    wait_for(lambda: _get(base + "/health")[0] == 503, timeout=60, what="unhealthy")
    assert "CoreActions" in _get(base + "/health")[1]
    core.start()

    assert worker.stop(signal.SIGTERM, timeout=30) == 0  # raises if it takes longer


def test_override_changes_effective_config_but_not_the_stored_one(
    core: ThreadedCoreSimulator, start_worker: StartWorker
) -> None:
    start_worker("w1", extra=["resotoworker.graph=othergraph"])
    stored = core.get_config("w1")
    assert stored is not None and stored["resotoworker"]["graph"] == "resoto"
    task = core.send_action("collect")
    assert core.wait_for_reply(task, timeout=90)["kind"] == "action_done"
    assert core.requests_to(r"^/graph/othergraph/merge") and not core.requests_to(r"^/graph/resoto/merge")


def test_every_flag_from_the_environment(
    core: ThreadedCoreSimulator, start_worker: StartWorker, tmp_path: Path
) -> None:
    web = free_port()
    env = {
        "RESOTOWORKER_RESOTOCORE_URI": core.url,
        "RESOTOWORKER_PSK": PSK,
        "RESOTOWORKER_SUBSCRIBER_ID": "envworker",
        "RESOTOWORKER_OVERRIDE0": "resotoworker.web_host=127.0.0.1",
        "RESOTOWORKER_OVERRIDE1": f"resotoworker.web_port={web}",
        "RESOTOWORKER_VERBOSE": "yes",
        "RESOTOWORKER_LOG_FORMAT": "text",
    }
    worker = start_worker("envworker", env=env, args=[])
    assert worker.alive
    wait_for(lambda: _get(f"http://127.0.0.1:{web}/health")[0] == 200, timeout=60)
    text = worker.log_text()
    assert "|resotoworker|DEBUG|" in text  # verbose and text format came from the environment
    assert not text.lstrip().startswith("{")


def test_idle_timeout_exits_with_1(core: ThreadedCoreSimulator, start_worker: StartWorker) -> None:
    idle = start_worker(
        "w2", args=[*worker_args(core.url, "w2", PSK, free_port()), "--idle-timeout", "2"], wait=False
    )
    assert idle.proc is not None
    assert idle.proc.wait(30) == 1


def test_core_never_ready_exits_1_with_a_clear_error(tmp_path: Path) -> None:
    port = free_port()
    worker = WorkerProcess(
        [
            "--resotocore-uri",
            f"http://127.0.0.1:{port}",
            "--psk",
            PSK,
            "--override",
            "resotoworker.web_port=0",
        ],
        tmp_path / "w.log",
        env={"RESOTOWORKER_READY_TIMEOUT": "2"},
    ).start()
    assert worker.proc is not None
    assert worker.proc.wait(30) == 1
    assert "not ready" in worker.log_text()


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()
    except OSError:
        return 0, ""


assert os  # keep import for env helpers
