"""Soak: 200 collect cycles with the example plugin; memory, file descriptors and threads stay flat."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from coresim import ThreadedCoreSimulator
from e2e.conftest import StartWorker

from faults.helpers import assert_graph_matches_cloud

pytestmark = [pytest.mark.faults, pytest.mark.slow]

CYCLES = 200
BASELINE = 20


def _figures(pid: int) -> tuple[int, int, int]:
    """(RSS in KiB, open file descriptors, threads) of a process, from /proc."""
    rss = 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            rss = int(line.split()[1])
    return rss, len(os.listdir(f"/proc/{pid}/fd")), len(os.listdir(f"/proc/{pid}/task"))


def test_200_collects_keep_rss_fds_and_threads_flat(
    core: ThreadedCoreSimulator, start_worker: StartWorker, tmp_path: Path
) -> None:
    worker = start_worker("w1", config={"resotoworker": {"tempdir": str(tmp_path / "spool")}})
    assert worker.proc is not None
    pid = worker.proc.pid
    samples: dict[int, tuple[int, int, int]] = {}
    started = time.monotonic()
    for cycle in range(1, CYCLES + 1):
        task = core.send_action("collect")
        reply = core.wait_for_reply(task, timeout=60)
        assert reply["kind"] == "action_done", (cycle, reply)
        assert core.merge_count(task) == 2
        if cycle in (1, BASELINE, 50, 100, 150, CYCLES):
            time.sleep(0.5)  # let the last frames and the spool clean-up settle
            samples[cycle] = _figures(pid)
    elapsed = time.monotonic() - started

    print(f"\nsoak: {CYCLES} collects in {elapsed:.1f} s ({elapsed / CYCLES:.2f} s each)")
    for cycle, (rss, fds, threads) in sorted(samples.items()):
        print(f"soak: after cycle {cycle:>3}: RSS {rss / 1024:7.1f} MiB  fds {fds:3}  threads {threads:3}")
    rss20, fds20, threads20 = samples[BASELINE]
    rss_end, fds_end, threads_end = samples[CYCLES]
    print(f"soak: RSS change from cycle {BASELINE} to {CYCLES}: {100 * (rss_end - rss20) / rss20:+.1f} %")
    assert rss_end <= rss20 * 1.10, "RSS grew by more than 10 %"
    assert fds_end <= fds20 + 2, "file descriptors leak"
    assert threads_end <= threads20 + 2, "threads leak"
    assert_graph_matches_cloud(core, tmp_path / "w1-state.json")
    assert core.violations == []
    spool = [p for p in (tmp_path / "spool").rglob("*") if p.is_file() and not p.name.startswith(".")]
    assert spool == [], "spool files of finished collects remain"
    assert len(core.merges) == 2 * CYCLES
