"""docs/try-daemon-mode.md as written: tools/coresim.py, a worker against it, /health, a collect from the prompt."""

from __future__ import annotations

import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from support import ROOT, WorkerProcess, free_port, wait_for

pytestmark = pytest.mark.slow


def health(port: int) -> int | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as resp:
            return int(resp.status)
    except OSError:
        return None


def test_the_documented_daemon_walkthrough(tmp_path: Path) -> None:
    core_port, web_port = free_port(), free_port()
    out = (tmp_path / "coresim.out").open("wb")
    sim = subprocess.Popen(
        [sys.executable, str(ROOT / "tools" / "coresim.py"), "--port", str(core_port)],
        stdin=subprocess.PIPE,
        stdout=out,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
    )
    out.close()
    printed = tmp_path / "coresim.out"
    worker = None
    try:
        wait_for(lambda: b"coresim>" in printed.read_bytes(), 60, what="the simulator's prompt")
        text = printed.read_text()
        assert f"listening on http://127.0.0.1:{core_port}" in text
        assert "--psk" in text and "resotoworker.collector=example" in text  # the command it suggests
        worker = WorkerProcess(
            [
                "--resotocore-uri",
                f"http://127.0.0.1:{core_port}",
                "--psk",
                "changeme",  # the simulator's default, as the page says
                "--log-format",
                "text",
                "--override",
                "resotoworker.collector=example",
                "resotoworker.web_host=127.0.0.1",
                f"resotoworker.web_port={web_port}",
            ],
            tmp_path / "worker.log",
        ).start()
        wait_for(lambda: health(web_port) == 200, 120, what="/health to answer 200")
        assert sim.stdin is not None
        sim.stdin.write(b"collect\nworkers\nquit\n")
        sim.stdin.flush()
        sim.stdin.close()
        assert sim.wait(300) == 0
        text = printed.read_text()
        assert "collect done" in text, text[-2000:]
        assert "example_instance" in text and "example_account" in text
        assert "resoto.worker-collector" in text  # the connected subscriber
    finally:
        if worker is not None and worker.alive:
            worker.stop()
        if sim.poll() is None:
            sim.kill()
            sim.wait(10)
