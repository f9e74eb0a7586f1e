"""Process isolation: run one function in a fresh child process and get its result back.

The child is spawned, not forked, so no lock or thread of the daemon is inherited. It gets the
parent's ``sys.path`` and log level, runs ``fn(job)`` and sends the result back through a pipe;
``fn``, ``job`` and the result must be picklable (``fn`` a module-level function). A leaking or
crashing SDK therefore cannot grow or take down the daemon: a child that raises, dies, hangs past
its timeout or is cancelled ends in :class:`IsolationError`, and the caller decides what that fails.
The collect engine uses it for ``resotoworker.fork_process`` (see :mod:`resotoworker.collect_units`).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import sys
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, TypeVar

log = logging.getLogger(__name__)

J = TypeVar("J")
R = TypeVar("R")


class IsolationError(Exception):
    """The child gave no result; the message says why (one line)."""


def _child(conn: Connection, fn: Callable[[Any], Any], job: Any, sys_path: list[str], log_level: int) -> None:
    sys.path[:] = sys_path
    from resotoworker.logs import setup_logging

    setup_logging(verbose=log_level <= logging.DEBUG, quiet=log_level >= logging.WARNING)
    try:
        answer: tuple[bool, Any] = (True, fn(job))
    except BaseException as exc:  # reported to the parent
        answer = (False, f"{type(exc).__name__}: {exc}")
    conn.send(answer)
    conn.close()


async def run_isolated(
    fn: Callable[[J], R], job: J, *, name: str, timeout: float, cancel: asyncio.Event
) -> R:
    """``fn(job)`` in a child process; kill it on ``cancel`` or after ``timeout`` seconds.

    :raises IsolationError: ``fn`` raised (``"<Type>: <message>"``), the child died, gave no result
        within ``timeout`` or was cancelled (``"cancelled"``).
    """
    ctx = multiprocessing.get_context("spawn")
    receiver, sender = ctx.Pipe(duplex=False)
    level = logging.getLogger("resotoworker").getEffectiveLevel()
    proc = ctx.Process(target=_child, args=(sender, fn, job, list(sys.path), level), name=name, daemon=True)
    proc.start()
    sender.close()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout

    async def died() -> IsolationError:
        await asyncio.to_thread(proc.join, 5)  # reap it, so its exit code is known
        return IsolationError(f"the child process died (exit code {proc.exitcode})")

    try:
        while True:
            if await asyncio.to_thread(receiver.poll, 0.2):
                try:
                    ok, value = receiver.recv()
                except (EOFError, OSError):
                    raise await died() from None
                if not ok:
                    raise IsolationError(value)
                result: R = value
                return result
            if not proc.is_alive() and not receiver.poll():
                raise await died()
            if cancel.is_set():
                raise IsolationError("cancelled")
            if loop.time() > deadline:
                raise IsolationError(f"the child process gave no result within {timeout:.0f} s")
    finally:
        if proc.is_alive():
            proc.kill()
        await asyncio.to_thread(proc.join, 5)
        receiver.close()
