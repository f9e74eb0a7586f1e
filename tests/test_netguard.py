"""The suite's network guard refuses and records non-loopback hosts, in subprocesses too."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from _resoto_netguard import ENV, _offending, is_local

PROBE = """
import socket
for host in ("127.0.0.1", "localhost", "::1", "123456789012.127.0.0.1", "example.com"):
    try:
        socket.getaddrinfo(host, 443)
        print(host, "resolved")
    except PermissionError:
        print(host, "refused")
    except OSError:
        print(host, "failed")
"""


def test_loopback_is_local_and_names_are_not() -> None:
    assert is_local("127.0.0.1") and is_local("::1") and is_local("localhost") and is_local(None)
    assert not is_local("10.0.0.1")
    assert not is_local("123456789012.127.0.0.1")
    assert not is_local("sts.amazonaws.com")


def test_connect_to_a_remote_address_is_an_offence() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        assert _offending("socket.connect", (sock, ("127.0.0.1", 80))) is None
        assert _offending("socket.connect", (sock, ("192.0.2.1", 80))) == "socket.connect '192.0.2.1'"


def test_a_subprocess_is_guarded_and_its_refusals_are_logged(tmp_path: Path) -> None:
    log = tmp_path / "violations.log"
    env = {**os.environ, ENV: str(log)}
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True)
    lines = dict(line.rsplit(" ", 1) for line in out.stdout.splitlines())
    assert lines["127.0.0.1"] == "resolved" and lines["localhost"] == "resolved"
    assert lines["123456789012.127.0.0.1"] == "refused" and lines["example.com"] == "refused"
    logged = log.read_text(encoding="utf-8")
    assert "'example.com'" in logged and "'123456789012.127.0.0.1'" in logged
    assert "'localhost'" not in logged
