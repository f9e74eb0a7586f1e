"""Plugins that raise, hang, return garbage or leak threads: the collect completes for the good ones."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from coresim import ThreadedCoreSimulator
from e2e.conftest import StartWorker
from resotoworker.collect import CollectEngine
from resotoworker.collect_report import CollectReport
from resotoworker.config import build_config
from resotoworker.plugins import build_plugin_host
from resotoworker.spool import AccountOutput
from support import PSK, free_port, worker_args

pytestmark = pytest.mark.faults

PLUGINS = Path(__file__).parent / "plugins"
FAULTY = ("faulty_raise", "faulty_hang", "faulty_garbage")


@pytest.fixture
def plugin_path(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.syspath_prepend(str(PLUGINS))
    yield
    hang = sys.modules.get("faulty_hang")
    if hang is not None:
        hang.RELEASE.set()  # let the hanging unit's thread end


def test_raising_hanging_and_garbage_plugins_do_not_stop_the_good_ones(plugin_path: None) -> None:
    host = build_plugin_host(enable={"example", *FAULTY}, modules=list(FAULTY))
    doc = {"resotoworker": {"collector": ["example", *FAULTY], "unit_timeout": 2}}
    config = build_config(doc, host)
    sent: dict[tuple[str, str], tuple[str, set[str]]] = {}

    async def send(output: AccountOutput) -> None:
        body = b"".join(output.chunks())
        lines = [json.loads(line) for line in body.decode().splitlines() if line.strip()]
        ids = {line["reported"]["id"] for line in lines if "reported" in line}
        sent[(output.cloud, output.account_id)] = (output.replace, ids)

    async def run() -> CollectReport:
        return await asyncio.wait_for(CollectEngine(host, config, send=send).run(), 60)

    started = time.monotonic()
    report = asyncio.run(run())
    assert time.monotonic() - started < 30

    assert set(sent) == {
        ("example", "acc-1"),
        ("example", "acc-2"),
        ("faulty_raise", "good"),
        ("faulty_garbage", "fine"),
    }
    assert all(replace == "account" for replace, _ in sent.values())
    assert {"good-i0", "good-i1", "good-i2"} <= sent[("faulty_raise", "good")][1]
    assert "fine-ok" in sent[("faulty_garbage", "fine")][1]
    status = {(u.cloud, u.name): u.status for u in report.units}
    assert status[("faulty_raise", "bad/r1")] == "failed"
    assert status[("faulty_hang", "stuck")] == "timeout"
    assert status[("faulty_garbage", "junk/r1")] == "failed"
    assert sum("invalid collection unit" in e for e in report.plugin_errors) == 4
    assert all(u.status == "complete" for u in report.units if u.cloud == "example")


def test_a_plugin_that_leaks_threads_neither_blocks_collects_nor_shutdown(
    core: ThreadedCoreSimulator, start_worker: StartWorker
) -> None:
    env = {"PYTHONPATH": str(PLUGINS)}
    args = [*worker_args(core.url, "w1", PSK, free_port()), "--plugin", "faulty_leak"]
    worker = start_worker(
        "w1", config={"resotoworker": {"collector": ["example", "faulty_leak"]}}, env=env, args=args
    )
    for _ in range(2):
        task = core.send_action("collect")
        assert core.wait_for_reply(task, timeout=60)["kind"] == "action_done"
        assert core.merge_count(task) == 3
    assert core.graph().find("faulty_leak_instance", "leaky-i0") is not None
    assert worker.stop(timeout=30) == 0  # raises if a non-daemon plugin thread holds the exit
