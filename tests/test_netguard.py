"""The suite's network guard refuses and records non-loopback hosts, in subprocesses too."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from _resoto_netguard import ENV, _offending, is_local

TESTS = Path(__file__).parent

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


def _named_hosts() -> set[str]:
    """Every non-loopback host a URL in the tests' sources and fixtures names."""
    hosts = set()
    for path in TESTS.rglob("*"):
        if path.suffix not in (".py", ".json", ".ndjson") or not path.is_file():
            continue
        for url in re.findall(r"https?://[^\s\"'<>`]+", path.read_text(encoding="utf-8", errors="replace")):
            try:
                host = urlsplit(url.replace("{", "").replace("}", "")).hostname
            except ValueError:  # a bracketed template such as http://[{host}]:{port}
                continue
            if host and "." in host and not is_local(host):
                hosts.add(host)
    return hosts


REACH = """
import sys, urllib.error, urllib.request
for host in sys.argv[1:]:
    try:
        urllib.request.urlopen(f"https://{host}/", timeout=5)
        print(host, "reached")
    except urllib.error.URLError as e:
        print(host, "refused" if isinstance(e.reason, PermissionError) else f"failed {e.reason!r}")
"""


def test_no_host_the_tests_name_is_ever_reached(tmp_path: Path) -> None:
    """The outside hosts the fakes and fixtures write into answers (GCP's console and API hosts,
    S3 Control's account host, the throttling error's type URL) are refused before any name lookup,
    in a Python subprocess whose environment a test built without the guard."""
    hosts = _named_hosts()
    assert {
        "internal.amazon.com",
        "123456789012.s3-control.us-east-1.amazonaws.com",
        "console.developers.google.com",
        "container.googleapis.com",
    } <= hosts
    log = tmp_path / "violations.log"
    env = {k: v for k, v in os.environ.items() if k not in (ENV, "PYTHONPATH")}
    env[ENV] = str(log)  # its own log: these refusals are the test's, not offences of the session
    out = subprocess.run(
        [sys.executable, "-c", REACH, *sorted(hosts)], env=env, capture_output=True, text=True, check=True
    )
    answers = dict(line.split(" ", 1) for line in out.stdout.splitlines())
    assert answers == {host: "refused" for host in hosts}
    logged = log.read_text(encoding="utf-8")
    assert all(f"socket.getaddrinfo {host!r}" in logged for host in hosts)
