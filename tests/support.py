"""Helpers shared by the test suites: free ports and running the real worker process."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORKER_BIN = str(Path(sys.executable).parent / "resotoworker")
PSK = "e2e-pre-shared-key-7f3a"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(
    predicate: Callable[[], Any], timeout: float = 20.0, interval: float = 0.05, what: str = ""
) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what or predicate}")
        time.sleep(interval)


class WorkerProcess:
    """The real ``resotoworker`` console script, started as a subprocess."""

    def __init__(self, args: Sequence[str], log_path: Path, env: dict[str, str] | None = None) -> None:
        self.args = list(args)
        self.log_path = log_path
        self.env = {**os.environ, **(env or {})}
        self.proc: subprocess.Popen[bytes] | None = None
        self.web_port: int | None = None

    def start(self) -> WorkerProcess:
        log = open(self.log_path, "ab")  # noqa: SIM115  (owned by the process)
        self.proc = subprocess.Popen([WORKER_BIN, *self.args], stdout=log, stderr=log, env=self.env)
        log.close()
        return self

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 10.0) -> int:
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
                raise AssertionError(f"worker did not exit within {timeout} s of signal {sig}") from None
        return int(self.proc.returncode)

    def kill9(self) -> None:
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait(5)

    def log_text(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""

    def log_records(self) -> list[dict[str, Any]]:
        records = []
        for line in self.log_text().splitlines():
            line = line.strip()
            if line.startswith("{"):
                try:
                    records.append(json.loads(line))
                except ValueError:
                    pass
        return records

    def info(self) -> dict[str, Any]:
        """The worker's ``/info`` (its web server listens on 127.0.0.1 in the tests)."""
        assert self.web_port is not None
        with urllib.request.urlopen(f"http://127.0.0.1:{self.web_port}/info", timeout=10) as resp:
            return dict(json.loads(resp.read()))

    def wait_config(self, revision: str, timeout: float = 60.0) -> None:
        """Until the worker runs with config ``revision`` (what the core answered to set_config)."""

        def applied() -> bool:
            try:
                return self.info().get("config_revision") == revision
            except OSError:
                return False

        wait_for(applied, timeout, what=f"the worker to apply config revision {revision}")

    def wait_log(self, needle: str, timeout: float = 20.0) -> None:
        wait_for(lambda: needle in self.log_text(), timeout, what=f"log line containing {needle!r}")


def run_worker(
    args: Sequence[str], env: dict[str, str] | None = None, timeout: float = 120
) -> tuple[int, str, str]:
    """Run the ``resotoworker`` console script to its end: ``(exit code, stdout, stderr)``."""
    proc = subprocess.run(
        [WORKER_BIN, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )
    return proc.returncode, proc.stdout, proc.stderr


def the_error_line(stderr: str) -> str:
    """The one ``resotoworker: error:`` line; fails when there is none, several, or a traceback."""
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.startswith("resotoworker: error:")]
    assert len(lines) == 1, stderr
    return lines[0]


@contextmanager
def moto_server() -> Iterator[str]:
    """A moto server on 127.0.0.1 (a free port), as its URL."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def fake_distribution(
    root: Path, dist: str, version: str, entry_points: dict[str, str], modules: dict[str, str]
) -> None:
    """A distribution as an installer leaves it on sys.path: a .dist-info directory and modules."""
    info = root / f"{dist.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n")
    lines = "\n".join(f"{name} = {target}" for name, target in entry_points.items())
    (info / "entry_points.txt").write_text(f"[resoto.plugins]\n{lines}\n")
    for module, source in modules.items():
        (root / f"{module}.py").write_text(textwrap.dedent(source))


def worker_args(
    core_url: str, sid: str, psk: str | None, web_port: int, extra: Sequence[str] = ()
) -> list[str]:
    args = ["--resotocore-uri", core_url, "--subscriber-id", sid]
    if psk:
        args += ["--psk", psk]
    args += ["--override", "resotoworker.web_host=127.0.0.1", f"resotoworker.web_port={web_port}", *extra]
    return args
