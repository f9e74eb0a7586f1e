#!/usr/bin/env python3
"""The Quick start demo: a real one-shot collect of AWS (a local emulator) and the example cloud.

Started by ``python3 tools/dev.py run`` inside the project's virtualenv. It

1. starts a local AWS emulator (a moto server on 127.0.0.1, a development dependency),
2. seeds it with a small multi-region account (bench/seed_aws.py, size 1),
3. runs ``resotoworker --collect-once`` with the AWS and example plugins against it, in the
   default configuration, showing progress, printing the summary table and writing the graph to
   out/graph.ndjson; the summary ends with one short block of what could not be read (the
   emulator lacks some APIs, as a real account has denied or missing ones),
4. says how to connect the same worker to a real resotocore,

and stops the emulator on exit, Ctrl-C included. Nothing leaves this machine: the AWS SDK only
talks to the emulator on 127.0.0.1, with fake credentials.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
REGIONS = ["us-east-1", "us-west-2", "eu-central-1"]


def say(text: str) -> None:
    print(f"==> {text}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def moto_server() -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "MOTO_EC2_LOAD_DEFAULT_AMIS": "false"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        start_new_session=True,  # Ctrl-C reaches us; we stop it ourselves, always
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(url + "/moto-api/", timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("the AWS emulator (moto) did not start") from None
                time.sleep(0.2)
        yield url
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)


def main() -> int:
    out = ROOT / "out" / "graph.ndjson"
    started = time.monotonic()
    worker: subprocess.Popen[bytes] | None = None
    try:
        say("starting a local AWS emulator (moto) on 127.0.0.1")
        with moto_server() as endpoint:
            os.environ.update(
                {
                    "AWS_ENDPOINT_URL": endpoint,
                    "AWS_ACCESS_KEY_ID": "testing",
                    "AWS_SECRET_ACCESS_KEY": "testing",
                    "AWS_DEFAULT_REGION": "us-east-1",
                    "AWS_EC2_METADATA_DISABLED": "true",
                }
            )
            sys.path.insert(0, str(ROOT / "bench"))
            from seed_aws import seed

            say("seeding it with a small account in 3 regions")
            counts = seed(endpoint, 1, REGIONS)
            say(f"created {sum(counts.values())} resources of {len(counts)} types")
            with tempfile.TemporaryDirectory(prefix="resoto-quickstart-") as tmp:
                config = Path(tmp) / "config.json"
                config.write_text(
                    json.dumps(
                        {
                            "resotoworker": {"collector": ["aws", "example"]},
                            # the default config: kinds the emulator cannot serve are reported at
                            # the end, as a real account's denied or missing APIs would be
                            "aws": {"region": REGIONS},
                        }
                    )
                )
                say("collecting AWS and the example cloud (resotoworker --collect-once)")
                cmd = [
                    str(BIN / "resotoworker"),
                    "--collect-once",
                    "--config",
                    str(config),
                    "--output",
                    str(out),
                    "--log-format",
                    "text",
                ]
                log = out.parent / "worker.log"
                log.parent.mkdir(parents=True, exist_ok=True)
                with open(log, "w") as log_file:  # progress and summary on the terminal, the log in a file
                    worker = subprocess.Popen(cmd, stderr=log_file)
                    code = worker.wait()
        if code != 0:
            say(f"the collect ended with exit code {code}")
            return code
        say(
            f"done in {time.monotonic() - started:.1f} s; the graph is in {out.relative_to(ROOT)}, the log in out/worker.log"
        )
        print(
            "\nTo run the same worker next to a real resotocore (it then waits for the core's collect and\n"
            "cleanup actions and tag tasks instead of collecting once):\n\n"
            "    .venv/bin/resotoworker --resotocore-uri https://<core>:8900 --psk <pre-shared key>\n\n"
            "Its config (collectors, AWS accounts and regions, cleanup) then lives in the core under the\n"
            "subscriber id; see docs/operator-guide.md.",
            flush=True,
        )
        return 0
    except KeyboardInterrupt:
        if worker is not None and worker.poll() is None:
            worker.send_signal(signal.SIGINT)
            try:
                worker.wait(5)
            except subprocess.TimeoutExpired:
                worker.kill()
        say("interrupted; the emulator is stopped")
        return 130


if __name__ == "__main__":
    sys.exit(main())
