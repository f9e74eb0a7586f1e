"""Process isolation for the collect engine (``resotoworker.fork_process``).

Each account is collected in a fresh child process (spawned, not forked, so no lock or thread of the
daemon is inherited). The child loads the same plugins, runs the account's units into the spool
directory the parent gave it, and sends back only small summaries: per unit its outcome and the ids,
kinds and counts of what it spooled, plus the reports the plugin made. A leaking or crashing SDK
therefore cannot grow or take down the daemon; a child that dies fails only its account's units.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import sys
from collections import Counter
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from resoto_hookspecs import CollectionUnit, MergeScope

log = logging.getLogger(__name__)


@dataclass
class ForkJob:
    plugin: str
    modules: list[str]
    document: dict[str, Any]
    spool_dir: str
    cloud: str
    account: MergeScope
    units: list[CollectionUnit]
    sys_path: list[str] = field(default_factory=lambda: list(sys.path))
    log_level: int = field(default_factory=lambda: logging.getLogger("resotoworker").getEffectiveLevel())


@dataclass
class ForkResult:
    outcomes: list[Any] = field(default_factory=list)
    sinks: list[dict[str, Any]] = field(default_factory=list)
    infos: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    skips: list[str] = field(default_factory=list)
    api_calls: Counter[tuple[str, str]] = field(default_factory=Counter)
    api_errors: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    failures: list[Any] = field(default_factory=list)
    error: str | None = None


class _BufferFeedback:
    def __init__(self) -> None:
        self.infos: list[tuple[str, str]] = []

    def info(self, level: str, message: str) -> None:
        self.infos.append((level, message))

    def progress(self, tree: dict[str, Any]) -> None:
        pass


def _child(conn: Connection, job: ForkJob) -> None:
    sys.path[:] = job.sys_path
    from resotoworker.logs import setup_logging

    setup_logging(verbose=job.log_level <= logging.DEBUG, quiet=job.log_level >= logging.WARNING)
    result = ForkResult()
    try:
        from resotoworker.collect import CollectEngine
        from resotoworker.config import build_config
        from resotoworker.plugins import build_plugin_host
        from resotoworker.spool import AccountSpool

        host = build_plugin_host(enable={job.plugin}, modules=job.modules)
        if job.plugin not in host.plugins:
            raise RuntimeError(f"plugin {job.plugin} cannot be loaded in the child process")
        config = build_config(job.document, host)
        feedback = _BufferFeedback()

        async def noop(_: Any) -> None:
            return None

        engine = CollectEngine(host, config, send=noop, feedback=feedback)
        spool = AccountSpool(Path(job.spool_dir), job.cloud, job.account)
        result.outcomes = asyncio.run(engine.collect_units(job.plugin, spool, job.units))
        result.sinks = [sink.summary() for sink in spool.units]
        result.infos = feedback.infos
        result.errors = engine.report.errors
        result.skips = engine.report.skips
        result.api_calls = engine.report.api_calls
        result.api_errors = engine.report.api_errors
        result.failures = engine.failures.all()
    except BaseException as exc:  # reported to the parent, which fails the account's units
        result.error = f"{type(exc).__name__}: {exc}"
    conn.send(result)
    conn.close()


async def run_forked(job: ForkJob, timeout: float, cancel: asyncio.Event) -> ForkResult:
    """Run one account in a child process; kill it on ``cancel`` or after ``timeout`` seconds."""
    ctx = multiprocessing.get_context("spawn")
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(
        target=_child, args=(sender, job), name=f"collect-{job.cloud}-{job.account.id}", daemon=True
    )
    proc.start()
    sender.close()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout

    async def died() -> ForkResult:
        await asyncio.to_thread(proc.join, 5)  # reap it, so its exit code is known
        return ForkResult(error=f"the child process died (exit code {proc.exitcode})")

    try:
        while True:
            if await asyncio.to_thread(receiver.poll, 0.2):
                try:
                    result: ForkResult = receiver.recv()
                    return result
                except (EOFError, OSError):
                    return await died()
            if not proc.is_alive() and not receiver.poll():
                return await died()
            if cancel.is_set():
                return ForkResult(error="cancelled")
            if loop.time() > deadline:
                return ForkResult(error=f"the child process gave no result within {timeout:.0f} s")
    finally:
        if proc.is_alive():
            proc.kill()
        await asyncio.to_thread(proc.join, 5)
        receiver.close()
