"""With 20% of AWS calls throttled, a one-shot collect of the bench seed still yields every resource.

A moto server (subprocess), the fault proxy in front of it, ``bench/seed_aws.py`` at size 1, and the
real worker (``resotoworker --collect-once``) run twice: once through the proxy without faults, once
with 20% of every service's calls throttled. The throttled graph must hold the same nodes as the
clean one and at least what the seed created of every kind the AWS plugin declares.
"""

from __future__ import annotations

import importlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aws.support_aws import moto_gaps

from faults.aws_proxy import AwsFaultProxy, FaultPlan, FaultRule

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
REGIONS = ["us-east-1", "us-west-2", "eu-central-1"]

pytestmark = [pytest.mark.slow, pytest.mark.faults]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def moto_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    log = open(tmp_path_factory.mktemp("moto") / "moto.log", "wb")  # noqa: SIM115
    env = dict(os.environ, MOTO_EC2_LOAD_DEFAULT_AMIS="false")
    server = subprocess.Popen(
        [str(VENV_BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)], env=env, stdout=log, stderr=log
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url + "/moto-api/", timeout=2) as answer:
                    answer.read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(60)  # moto's shutdown can take long on a loaded machine
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


@pytest.fixture(scope="module")
def seeded(moto_url: str) -> dict[str, int]:
    seed = _bench("seed_aws").seed
    counts: dict[str, int] = seed(moto_url, 1, REGIONS, do_reset=True)
    return counts


def _bench(module: str) -> Any:
    """A module of bench/ (the seeder, the benchmark's helpers)."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        return importlib.import_module(module)
    finally:
        sys.path.remove(str(ROOT / "bench"))


def collect(endpoint: str, workdir: Path) -> tuple[float, Counter[str], set[str], str]:
    """Run the one-shot worker; returns wall seconds, nodes per kind, node ids and its log."""
    workdir.mkdir(parents=True, exist_ok=True)
    config = workdir / "config.json"
    # the default config, as in bench/bench_aws.py: the kinds moto cannot serve fail and are reported
    aws = {"region": REGIONS}
    config.write_text(json.dumps({"resotoworker": {"collector": ["aws"]}, "aws": aws}))
    output = workdir / "graph.ndjson"
    env = _bench("bench_aws").fake_aws_env(endpoint)  # the same environment the benchmark gives the worker
    cmd = [
        str(VENV_BIN / "resotoworker"),
        "--collect-once",
        "--config",
        str(config),
        "--output",
        str(output),
        "--override",
        "resotoworker.collector=aws",
    ]
    started = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600, check=False)
    wall = time.perf_counter() - started
    log = done.stdout + done.stderr
    assert done.returncode == 0, log[-4000:]
    kinds: Counter[str] = Counter()
    ids: set[str] = set()
    for raw in output.read_text().splitlines():
        line = json.loads(raw)
        if "reported" in line:
            kinds[line["reported"]["kind"]] += 1
            ids.add(line["id"])
    return wall, kinds, ids, log


def test_collect_completes_with_twenty_percent_throttling(
    moto_url: str, seeded: dict[str, int], tmp_path: Path
) -> None:
    from resoto_plugin_aws import plugin

    declared = {cls.kind for cls in plugin.resource_kinds()}
    expected = {kind: n for kind, n in seeded.items() if kind in declared and kind not in moto_gaps()}
    assert expected, "the AWS plugin declares none of the seeded kinds"

    with AwsFaultProxy(moto_url) as proxy:
        clean_wall, clean_kinds, clean_ids, _ = collect(proxy.url, tmp_path / "clean")
        clean_calls = proxy.stats()["requests"]

        proxy.set_plan(FaultPlan(default=FaultRule(throttle=0.2), seed=2024))
        proxy.reset_stats()
        wall, kinds, ids, log = collect(proxy.url, tmp_path / "throttled")
        stats = proxy.stats()

    throttled = stats["injected"]
    print(
        f"\nclean: {clean_wall:.1f} s, {clean_calls} calls; throttled 20%: {wall:.1f} s, "
        f"{stats['requests']} requests, {throttled} throttled; extra time {wall - clean_wall:+.1f} s"
    )
    assert throttled >= 0.1 * stats["requests"], stats
    short = {k: (kinds.get(k, 0), n) for k, n in expected.items() if kinds.get(k, 0) < n}
    assert not short, f"kinds below the seeded count (found, seeded): {short}\n{log[-3000:]}"
    missing = clean_ids - ids
    assert not missing, f"{len(missing)} nodes of the clean run are missing under throttling"
    assert kinds == clean_kinds
