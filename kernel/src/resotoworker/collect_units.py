"""Running the collection units of one account: in threads of this process, or in a child process.

Each unit runs the plugin's ``collect`` hook in its own thread, bounded by ``account_pool_size`` (and
the plugin and global semaphores the engine passes in) and by ``unit_timeout``; what it reports goes
to the :class:`~resotoworker.collect_record.CollectRecorder`, what it builds to the account's spool.
With ``fork_process`` the whole account runs in a child (:mod:`resotoworker.isolation`) that sends
back per unit its outcome and a summary of its spool.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from resoto_hookspecs import (
    CollectionCancelled,
    CollectionUnit,
    ExpectedError,
    GraphBuilder,
    MergeScope,
    PluginConfig,
)
from resoto_hookspecs.errors import error_line

from resotoworker.collect_record import CollectRecorder, UnitReporter
from resotoworker.collect_report import UnitOutcome, context
from resotoworker.config import WorkerConfig, build_config
from resotoworker.failures import KindFailure
from resotoworker.isolation import IsolationError, run_isolated
from resotoworker.plugins import PluginHost, build_plugin_host
from resotoworker.spool import AccountSpool

log = logging.getLogger(__name__)


@dataclass
class ForkJob:
    """One account to collect in a child process (``fork_process``)."""

    plugin: str
    modules: list[str]
    document: dict[str, Any]
    spool_dir: str
    cloud: str
    account: MergeScope
    units: list[CollectionUnit]


@dataclass
class ForkResult:
    """What the child sends back: per unit its outcome and spool summary, and what it recorded."""

    outcomes: list[UnitOutcome] = field(default_factory=list)
    sinks: list[dict[str, Any]] = field(default_factory=list)
    infos: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    skips: list[str] = field(default_factory=list)
    api_calls: Counter[tuple[str, str]] = field(default_factory=Counter)
    api_errors: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    failures: list[KindFailure] = field(default_factory=list)


class _BufferFeedback:
    def __init__(self) -> None:
        self.infos: list[tuple[str, str]] = []

    def info(self, level: str, message: str) -> None:
        self.infos.append((level, message))

    def progress(self, tree: dict[str, Any]) -> None:
        pass


def collect_in_child(job: ForkJob) -> ForkResult:
    """The child process's side of ``fork_process``: load the plugin, collect the units, summarise."""
    host = build_plugin_host(enable={job.plugin}, modules=job.modules)
    if job.plugin not in host.plugins:
        raise RuntimeError(f"plugin {job.plugin} cannot be loaded in the child process")
    config = build_config(job.document, host)
    feedback = _BufferFeedback()
    recorder = CollectRecorder(feedback)
    runner = UnitRunner(host, config, recorder, asyncio.Event())
    spool = AccountSpool(Path(job.spool_dir), job.cloud, job.account)
    outcomes = asyncio.run(runner.collect_units(job.plugin, spool, job.units))
    report = recorder.report
    return ForkResult(
        outcomes=outcomes,
        sinks=[sink.summary() for sink in spool.units],
        infos=feedback.infos,
        errors=report.errors,
        skips=report.skips,
        api_calls=report.api_calls,
        api_errors=report.api_errors,
        failures=recorder.failures.all(),
    )


class UnitRunner:
    """Runs collection units for one collect; ``cancel`` (set by the engine) stops them."""

    def __init__(
        self, host: PluginHost, config: WorkerConfig, recorder: CollectRecorder, cancel: asyncio.Event
    ) -> None:
        self.host = host
        self.config = config
        self.recorder = recorder
        self._cancel = cancel
        self._builders: set[GraphBuilder] = set()

    def cancel_running(self) -> None:
        """Tell every running unit's builder to stop."""
        for builder in list(self._builders):
            builder.cancel_event.set()

    async def collect_units(
        self,
        plugin: str,
        spool: AccountSpool,
        units: list[CollectionUnit],
        plugin_sem: asyncio.Semaphore | None = None,
        global_sem: asyncio.Semaphore | None = None,
    ) -> list[UnitOutcome]:
        """Collect the units of one account into its spool (in this process)."""
        self.recorder.bind(asyncio.get_running_loop())
        account_sem = asyncio.Semaphore(self.config.worker.account_pool_size)
        plugin_sem = plugin_sem or asyncio.Semaphore(self.config.worker.plugin_pool_size)
        global_sem = global_sem or asyncio.Semaphore(self.config.worker.pool_size)
        sinks = [spool.sink(u) for u in units]
        return list(
            await asyncio.gather(
                *(self._run_unit(plugin, sink, account_sem, plugin_sem, global_sem) for sink in sinks)
            )
        )

    async def collect_forked(
        self, plugin: str, spool: AccountSpool, units: list[CollectionUnit]
    ) -> list[UnitOutcome]:
        """Collect the units of one account in a child process (``fork_process``)."""
        job = ForkJob(
            plugin=plugin,
            modules=self.host.modules,
            document=self.config.document,
            spool_dir=str(spool.directory),
            cloud=spool.cloud,
            account=spool.account,
            units=units,
        )
        waves = -(-len(units) // self.config.worker.account_pool_size)
        timeout = self.config.worker.unit_timeout * waves + 60
        error: str | None = None
        try:
            result = await run_isolated(
                collect_in_child,
                job,
                name=f"collect-{spool.cloud}-{spool.account.id}",
                timeout=timeout,
                cancel=self._cancel,
            )
        except IsolationError as exc:
            result, error = ForkResult(), str(exc)
        sinks = [spool.sink(u) for u in units]
        outcomes: list[UnitOutcome] = []
        for index, (sink, unit) in enumerate(zip(sinks, units, strict=True)):
            region = unit.region.id if unit.region else None
            if error is None and index < len(result.outcomes):
                outcome = result.outcomes[index]
                sink.restore(result.sinks[index])
            else:
                outcome = UnitOutcome(plugin, unit.cloud, unit.account.id, region, unit.name, status="failed")
                outcome.error = error or "no result from the child process"
                sink.closed = True
            outcomes.append(outcome)
            self.recorder.report.units.append(outcome)
            self.recorder.set_progress(
                unit.cloud, unit.account.name or unit.account.id, region or unit.account.id, 1
            )
        if error is not None:
            if self._cancel.is_set():
                for o in outcomes:
                    o.status = "cancelled"
            else:
                self.recorder.record_error(
                    f"{context(spool.cloud, spool.account.id)} collect failed: {error}; the core keeps this account's data"
                )
        for level, message in result.infos:
            self.recorder.emit(level, message)
        self.recorder.failures.extend(result.failures)
        self.recorder.absorb(result.errors, result.skips, result.api_calls, result.api_errors)
        return outcomes

    async def _run_unit(
        self,
        plugin: str,
        sink: Any,
        account_sem: asyncio.Semaphore,
        plugin_sem: asyncio.Semaphore,
        global_sem: asyncio.Semaphore,
    ) -> UnitOutcome:
        unit: CollectionUnit = sink.unit
        region = unit.region.id if unit.region else None
        outcome = UnitOutcome(plugin, unit.cloud, unit.account.id, region, unit.name)
        self.recorder.report.units.append(outcome)
        try:
            async with account_sem, plugin_sem, global_sem:
                if self._cancel.is_set():
                    outcome.status = "cancelled"
                    return outcome
                await self._execute(plugin, unit, sink, outcome)
        finally:
            sink.close()
            outcome.nodes, outcome.edges = sink.nodes, sink.edges
            self.recorder.set_progress(
                unit.cloud, unit.account.name or unit.account.id, region or unit.account.id, 1
            )
        return outcome

    async def _execute(self, plugin: str, unit: CollectionUnit, sink: Any, outcome: UnitOutcome) -> None:
        loop = asyncio.get_running_loop()
        cfg: PluginConfig | None = self.config.for_cloud(unit.cloud)
        reporter = UnitReporter(
            self.recorder, unit.cloud, unit.account.id, unit.region.id if unit.region else None
        )
        builder = GraphBuilder(unit, sink, reporter)
        self._builders.add(builder)
        sink.open()
        future: asyncio.Future[None] = loop.create_future()

        def settle(exc: BaseException | None) -> None:
            if not future.done():
                if exc is None:
                    future.set_result(None)
                else:
                    future.set_exception(exc)

        def target() -> None:
            error: BaseException | None = None
            try:
                self.host.hooks(plugin).collect(unit=unit, config=cfg, builder=builder, reporter=reporter)
            except BaseException as exc:  # delivered to the event loop below
                error = exc
            try:
                loop.call_soon_threadsafe(settle, error)
            except RuntimeError:
                pass

        started = time.monotonic()
        thread = threading.Thread(target=target, name=f"collect:{unit.cloud}:{unit.name}", daemon=True)
        thread.start()
        cancel_wait: asyncio.Future[Any] = asyncio.ensure_future(self._cancel.wait())
        try:
            waiters: set[asyncio.Future[Any]] = {future, cancel_wait}
            done, _ = await asyncio.wait(
                waiters,
                timeout=self.config.worker.unit_timeout,
                return_when=asyncio.FIRST_COMPLETED,
            )
        finally:
            cancel_wait.cancel()
        outcome.duration = time.monotonic() - started
        prefix = context(unit.cloud, unit.account.id, unit.region.id if unit.region else None)
        if future in done:
            exc = future.exception()
            if exc is None and reporter.incomplete:
                outcome.status = "partial"
                outcome.error = "the plugin reported lost data; the core keeps this region's data"
            elif exc is None:
                outcome.status = "complete"
            elif isinstance(exc, CollectionCancelled):
                outcome.status = "cancelled"
            elif isinstance(exc, ExpectedError):
                reporter.skip(str(exc), service=exc.service, complete=exc.complete)
                outcome.status = "complete" if exc.complete else "denied"
                outcome.error = str(exc)
            else:
                outcome.status = "failed"
                outcome.error = error_line(f"{type(exc).__name__}: {exc}")
                log.debug("%s collect failed", prefix, exc_info=exc)  # the traceback, with --verbose
                self.recorder.record_error(
                    f"{prefix} collect failed: {outcome.error}; the core keeps this region's data"
                )
        else:
            builder.cancel_event.set()
            future.cancel()
            if self._cancel.is_set():
                outcome.status = "cancelled"
            else:
                outcome.status = "timeout"
                outcome.error = f"no result within {self.config.worker.unit_timeout} s"
                self.recorder.record_error(
                    f"{prefix} collect timed out after {self.config.worker.unit_timeout} s; the core keeps this region's data"
                )
        self._builders.discard(builder)
