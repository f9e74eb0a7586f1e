"""Fixtures for end-to-end tests: a core simulator and real worker processes attached to it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from coresim import ThreadedCoreSimulator
from support import PSK, WorkerProcess, free_port, wait_for, worker_args


@pytest.fixture
def core() -> Iterator[ThreadedCoreSimulator]:
    with ThreadedCoreSimulator(psk=PSK, preload_model=True) as sim:
        yield sim


StartWorker = Callable[..., WorkerProcess]


@pytest.fixture
def start_worker(core: ThreadedCoreSimulator, tmp_path: Path) -> Iterator[StartWorker]:
    """Start a worker attached to ``core``: ``start_worker(sid="w1", config={...}, extra=[...], env={...})``.

    The config is stored in the simulator under the subscriber id before the worker starts. The
    example cloud keeps its state in ``tmp_path/<sid>-state.json`` unless the config names a file.
    Every worker is stopped at the end, and its log must not contain the PSK.
    """
    workers: list[WorkerProcess] = []

    def start(
        sid: str = "w1",
        config: dict[str, Any] | None = None,
        extra: list[str] | None = None,
        env: dict[str, str] | None = None,
        psk: str | None = PSK,
        wait: bool = True,
        args: list[str] | None = None,
    ) -> WorkerProcess:
        doc = {
            "resotoworker": {"collector": ["example"]},
            "example": {"state_file": str(tmp_path / f"{sid}-state.json")},
        }
        for section, values in (config or {}).items():
            doc.setdefault(section, {}).update(values)
        core.set_config(sid, doc)
        listeners = core.event_listener_count
        port = free_port()
        argv = args if args is not None else worker_args(core.url, sid, psk, port, extra or [])
        worker = WorkerProcess(argv, tmp_path / f"{sid}-{len(workers)}.log", env)
        worker.web_port = port
        workers.append(worker)
        worker.start()
        if wait:
            wait_for(
                lambda: f"{sid}-collector" in core.connected_subscribers and worker.alive,
                timeout=30,
                what=f"worker {sid} to connect",
            )
            wait_for(lambda: len(core.workers) > 0, timeout=30, what="the work queue attach")
            # config changes made by the test from here on reach the worker as events
            wait_for(lambda: core.event_listener_count > listeners, timeout=30, what="the events listener")
        return worker

    yield start
    for worker in workers:
        if worker.alive:
            worker.stop()
        text = worker.log_text()
        assert PSK not in text, f"the PSK appeared in the log of {worker.args}"
