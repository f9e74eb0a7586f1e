"""The README's run command: the Quick start demo completes, and Ctrl-C leaves no process behind (issue 10)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from aws.support_aws import moto_gaps
from support import ROOT, wait_for

QUICKSTART = ROOT / "tools" / "quickstart.py"


def _start(tmp_path: Path) -> tuple[subprocess.Popen[str], Path]:
    log = tmp_path / "quickstart.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, str(QUICKSTART)],
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # its own process group, like a terminal's foreground job
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    return proc, log


@pytest.mark.slow
def test_quickstart_collects_aws_and_example_and_writes_the_graph(tmp_path: Path) -> None:
    proc, log = _start(tmp_path)
    assert proc.wait(300) == 0, log.read_text()
    text = log.read_text()
    assert "aws" in text and "example" in text and "resotocore" in text
    graph = ROOT / "out" / "graph.ndjson"
    kinds = {
        json.loads(line)["reported"]["kind"]
        for line in graph.read_text().splitlines()
        if '"reported"' in line
    }
    assert {"aws_ec2_instance", "aws_vpc", "aws_s3_bucket", "example_instance"} <= kinds
    # the default config: what the emulator cannot serve ends the summary, each kind named once
    block = text[text.index("could not be read (") :].split("graph written to")[0].splitlines()[1:]
    named = [line.split()[1] for line in block if line.strip().startswith(("failed", "denied", "not-there"))]
    assert named and len(named) == len(set(named))
    assert set(named) <= moto_gaps() and not set(named) & kinds


@pytest.mark.slow
def test_ctrl_c_during_the_quickstart_leaves_no_process_behind(tmp_path: Path) -> None:
    proc, log = _start(tmp_path)
    parent = psutil.Process(proc.pid)
    # wait until the emulator runs and the worker started: then every process of the demo exists
    wait_for(
        lambda: "collecting" in log.read_text() or proc.poll() is not None, timeout=120, what="the collect"
    )
    family = [parent, *parent.children(recursive=True)]
    assert len(family) >= 2, "the emulator and the worker run as child processes"
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal sends to the foreground job on Ctrl-C
    proc.wait(30)
    time.sleep(0.5)
    alive = [p for p in family if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    assert alive == [], f"left behind: {[(p.pid, p.name()) for p in alive]}"
