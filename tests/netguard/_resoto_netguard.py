"""Keeps the test suite on 127.0.0.1: blocks and records every other network use.

Installed in the pytest process by ``tests/conftest.py`` and in every Python subprocess the
tests start (worker daemons, moto servers, fakes) through ``sitecustomize`` on ``PYTHONPATH``; a
subprocess started with an environment of the test's own making gets the guard put back into it
(:func:`keep_guard`), so no test can start an unguarded child.
An audit hook sees each name lookup and each connect or send; one whose host is not a loopback
address (or ``localhost``) is refused with :class:`PermissionError` and written to the log
file, which the session checks when it ends.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import sys
from typing import Any

ENV = "RESOTO_TEST_NETGUARD"
"""Environment variable holding the path of the violation log; the guard is off without it."""

current_test = ""
"""The test running in this process, named in each log line (set by the suite's conftest)."""

_LOOKUPS = {"socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex"}
_ADDRESSED = {"socket.connect", "socket.sendto"}


def is_local(host: Any) -> bool:
    """Whether ``host`` (a name, an address or ``None``) stays on this machine."""
    if host is None or host in ("", b""):
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def _offending(event: str, args: tuple[Any, ...]) -> str | None:
    if event in _LOOKUPS:
        return None if is_local(args[0]) else f"{event} {args[0]!r}"
    if event in _ADDRESSED:
        sock, address = args[0], args[1]
        if getattr(sock, "family", None) not in (socket.AF_INET, socket.AF_INET6):
            return None
        if isinstance(address, tuple) and address and not is_local(address[0]):
            return f"{event} {address[0]!r}"
    return None


GUARD_DIR = os.path.dirname(os.path.abspath(__file__))
"""The directory whose ``sitecustomize`` installs the guard in a Python subprocess."""


def keep_guard(env: Any, log_path: str) -> None:
    """Put the guard into the environment a subprocess is started with, when a test built that
    environment itself (``env=``) and left the guard out: its Python children are guarded too."""
    if not isinstance(env, dict):
        return
    env.setdefault(ENV, log_path)
    parts = [p for p in str(env.get("PYTHONPATH") or "").split(os.pathsep) if p]
    if GUARD_DIR not in parts:
        env["PYTHONPATH"] = os.pathsep.join([GUARD_DIR, *parts])


def install(log_path: str) -> None:
    """Install the guard in this process, logging refusals to ``log_path``."""

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event == "subprocess.Popen":  # (executable, args, cwd, env), before the child starts
            keep_guard(args[3], log_path)
            return
        if event not in _LOOKUPS and event not in _ADDRESSED:
            return
        what = _offending(event, args)
        if what is None:
            return
        where = current_test or " ".join(sys.argv[:2])
        line = f"pid {os.getpid()} ({where}): {what}\n"
        with open(log_path, "a", encoding="utf-8") as log:
            log.write(line)
        raise PermissionError(f"the test suite stays on 127.0.0.1: {what} refused")

    sys.addaudithook(hook)
