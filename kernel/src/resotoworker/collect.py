"""The collect engine: runs every collector plugin's units and sends each account to a sink.

Units run in their own threads, bounded by three limits (``pool_size`` over everything,
``plugin_pool_size`` per plugin, ``account_pool_size`` per account), each with the
``unit_timeout``. A unit that fails, hangs or is denied affects only its own region's data (see
:mod:`resotoworker.spool`). An account is assembled and handed to the ``send`` callable as soon as
its last unit finishes, while other accounts are still collecting. The same engine serves the
daemon (send = merge into the core) and the one-shot mode (send = append to a file).
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from resoto_hookspecs import BaseAccount, CollectionUnit, ExpectedError, PluginError
from resoto_hookspecs.errors import error_line

from resotoworker import metrics
from resotoworker.carry import Carried
from resotoworker.collect_record import CollectRecorder, UnitReporter
from resotoworker.collect_report import CollectReport, context
from resotoworker.collect_units import UnitRunner
from resotoworker.config import WorkerConfig
from resotoworker.failures import group_messages, one_line
from resotoworker.feedback import Feedback, LogFeedback
from resotoworker.plugins import PluginHost
from resotoworker.spool import AccountOutput, AccountSpool, assemble_account, remove_tree

log = logging.getLogger(__name__)

CarryForward = Callable[[str, str, str | None, list[str]], Awaitable[Carried]]
"""Reads back the core's last known good nodes of (cloud, account, region, kinds)."""


class CollectEngine:
    """One collect run. Create, ``await run()``, and ``cancel()`` to stop it early."""

    def __init__(
        self,
        host: PluginHost,
        config: WorkerConfig,
        *,
        send: Callable[[AccountOutput], Awaitable[None]],
        feedback: Feedback | None = None,
        task_id: str = "oneshot",
        spool_root: Path | None = None,
        carry: CarryForward | None = None,
    ) -> None:
        self.host = host
        self.config = config
        self.send = send
        self.task_id = task_id
        self.recorder = CollectRecorder(feedback or LogFeedback())
        self.report = self.recorder.report
        self.failures = self.recorder.failures
        self._spool_root = spool_root
        self._carry = carry
        self._cancel = asyncio.Event()
        self._units = UnitRunner(host, config, self.recorder, self._cancel)

    def cancel(self) -> None:
        """Stop: running units are told to stop, waiting units never start; what is complete is sent."""
        self.report.cancelled = True
        self._cancel.set()
        self._units.cancel_running()

    # -- the run ------------------------------------------------------------------------------

    def collectors(self) -> list[str]:
        """Names of the plugins this collect runs (``resotoworker.collector``, or all collectors)."""
        wanted = self.config.worker.collector
        available = {p.cloud.name: p.name for p in self.host.collectors() if p.cloud}
        if not wanted:
            return list(available.values())
        result = []
        for cloud in wanted:
            if cloud in available:
                result.append(available[cloud])
            else:
                broken = self.host.problem_of(cloud)
                if broken is not None:
                    text = error_line(
                        f"[{cloud}] collector {cloud!r} is installed but failed to load: {broken}"
                    )
                else:
                    text = f"[{cloud}] collector {cloud!r} is configured but no installed plugin collects it"
                self.report.plugin_errors.append(text)
                self.recorder.say("error", text)
        return result

    async def run(self) -> CollectReport:
        self.recorder.bind(asyncio.get_running_loop())
        started = time.monotonic()
        worker = self.config.worker
        root = Path(
            tempfile.mkdtemp(prefix=f"resoto-{_safe(self.task_id)}-", dir=worker.tempdir or self._spool_root)
        )
        progress_task = asyncio.create_task(self.recorder.progress_loop(worker.progress_interval))
        global_sem = asyncio.Semaphore(worker.pool_size)
        send_sem = asyncio.Semaphore(worker.graph_sender_pool_size)
        try:
            plugins = self.collectors()
            unit_lists = await asyncio.gather(*(self._units_of(p) for p in plugins))
            account_tasks: list[asyncio.Task[None]] = []
            for plugin, units in zip(plugins, unit_lists, strict=True):
                plugin_sem = asyncio.Semaphore(worker.plugin_pool_size)
                by_account: dict[str, list[CollectionUnit]] = {}
                for unit in units:
                    by_account.setdefault(unit.account.id, []).append(unit)
                for idx, (account_id, acc_units) in enumerate(by_account.items()):
                    cloud = acc_units[0].cloud
                    spool = AccountSpool(root / f"{_safe(plugin)}-{idx}", cloud, acc_units[0].account)
                    for unit in acc_units:
                        leaf = unit.region.id if unit.region else unit.account.id
                        self.recorder.set_progress(cloud, acc_units[0].account.name or account_id, leaf, 0)
                    account_tasks.append(
                        asyncio.create_task(
                            self._run_account(
                                plugin, spool, acc_units, global_sem, plugin_sem, send_sem, root
                            )
                        )
                    )
            if account_tasks:
                await asyncio.gather(*account_tasks)
        finally:
            progress_task.cancel()
            try:
                await progress_task
            except asyncio.CancelledError:
                pass
            if self.recorder.progress_pending:
                self.recorder.flush_progress()
            if not worker.debug_dump_json:
                await asyncio.to_thread(remove_tree, root)
            else:
                log.info("spooled graph files kept in %s", root)
        self.report.duration = time.monotonic() - started
        self.report.failures = self.failures.all()
        self._record_metrics()
        return self.report

    def _record_metrics(self) -> None:
        for u in self.report.units:
            metrics.UNITS.labels(u.cloud, u.status).inc()
        if self.report.accounts:  # the gauge shows the last collect: kinds that vanished go too
            metrics.RESOURCES.clear()
        for (cloud, kind), n in self.report.kinds.items():
            metrics.RESOURCES.labels(cloud, kind).set(n)
        for acc in self.report.accounts:
            for kind, seconds in acc.kind_seconds.items():
                metrics.KIND_SECONDS.labels(acc.cloud, kind).inc(seconds)

    async def _units_of(self, plugin: str) -> list[CollectionUnit]:
        record = self.host.plugins[plugin]
        cloud = record.cloud.name if record.cloud else plugin
        cfg = self.config.for_cloud(cloud)
        reporter = UnitReporter(self.recorder, cloud, None, None)
        try:
            units = await asyncio.wait_for(
                asyncio.to_thread(self.host.hooks(plugin).collection_units, config=cfg, reporter=reporter),
                timeout=self.config.worker.unit_timeout,
            )
        except ExpectedError as exc:
            reporter.skip(str(exc), service=exc.service, complete=exc.complete)
            return []
        except Exception as exc:
            text = error_line(f"[{cloud}] could not determine what to collect: {type(exc).__name__}: {exc}")
            verbose = log.isEnabledFor(logging.DEBUG) and not isinstance(exc, TimeoutError | PluginError)
            log.error("%s", text, exc_info=verbose)
            self.report.plugin_errors.append(text)
            self.recorder.emit("error", text)
            return []
        seen: set[str] = set()
        result = []
        for unit in units:
            if not isinstance(unit, CollectionUnit) or unit.cloud != cloud:
                text = error_line(f"[{cloud}] plugin returned an invalid collection unit {unit!r}; ignored")
                self.report.plugin_errors.append(text)
                self.recorder.say("error", text)
                continue
            name = unit.name or f"{unit.account.id}/{unit.region.id if unit.region else '-'}"
            if name in seen:
                text = f"[{cloud}] duplicate collection unit {name!r}; ignored"
                self.report.plugin_errors.append(text)
                continue
            seen.add(name)
            result.append(
                unit
                if unit.name
                else CollectionUnit(unit.cloud, unit.account, unit.region, name, unit.payload)
            )
        self.host.units.remember(result)  # the action hooks get the unit of a resource's account
        return result

    async def _run_account(
        self,
        plugin: str,
        spool: AccountSpool,
        units: list[CollectionUnit],
        global_sem: asyncio.Semaphore,
        plugin_sem: asyncio.Semaphore,
        send_sem: asyncio.Semaphore,
        root: Path,
    ) -> None:
        if self.config.worker.fork_process:
            async with plugin_sem, global_sem:
                outcomes = await self._units.collect_forked(plugin, spool, units)
        else:
            outcomes = await self._units.collect_units(plugin, spool, units, plugin_sem, global_sem)
        complete = {i: o.complete for i, o in enumerate(outcomes)}
        withheld: dict[str | None, set[str]] = {}
        for index, unit in enumerate(units):
            region = unit.region.id if unit.region else None
            kinds = set(self.failures.withheld(spool.cloud, unit.account.id, region))
            outcomes[index].withheld = sorted(kinds)
            if kinds and complete[index]:
                withheld.setdefault(region, set()).update(kinds)
        carried = await self._carry_forward(spool, units, withheld, complete)
        self._report_failures(spool)
        async with send_sem:
            try:
                out_path = root / f"{spool.directory.name}.ndjson"
                output = await asyncio.to_thread(
                    assemble_account, spool, complete, out_path, withheld, carried
                )
                if output is None:
                    text = f"{context(spool.cloud, spool.account.id)} nothing could be collected; the core keeps its data"
                    self.report.account_errors.append(text)
                    self.recorder.say("error", text)
                    return
                for problem in output.problems:
                    text = f"{context(spool.cloud, spool.account.id)} graph: dropped edge {problem.from_id} -> {problem.to_id}: {problem.reason}"
                    self.report.errors.append(text)
                    self.recorder.say("error", text)
                await self.send(output)
                self.report.accounts.append(output)
            except Exception as exc:
                text = error_line(
                    f"{context(spool.cloud, spool.account.id)} sending the graph failed: {type(exc).__name__}: {exc}"
                )
                log.error("%s", text, exc_info=log.isEnabledFor(logging.DEBUG))
                self.report.account_errors.append(text)
                self.recorder.emit("error", text)

    async def _carry_forward(
        self,
        spool: AccountSpool,
        units: list[CollectionUnit],
        withheld: dict[str | None, set[str]],
        complete: dict[int, bool],
    ) -> dict[str | None, Carried]:
        """The core's last known good nodes of each region's withheld kinds (daemon mode).

        Without a way to read them back (one-shot mode) nothing is carried: the output holds what
        was read. When the read-back fails, the regions concerned are withheld whole instead, so
        the core keeps their data as it is.
        """
        carry = self._carry
        if carry is None or not withheld:
            return {}
        if not isinstance(spool.account, BaseAccount):
            # a cloud-level scope (an organisation and its folders): the read-back is scoped by
            # account, so its regions with a withheld kind are not replaced at all this time
            for index, unit in enumerate(units):
                if (unit.region.id if unit.region else None) in withheld:
                    complete[index] = False
            return {}
        cloud, account = spool.cloud, spool.account.id
        regions = sorted(withheld, key=lambda r: r or "")
        answers = await asyncio.gather(
            *(carry(cloud, account, r, sorted(withheld[r])) for r in regions), return_exceptions=True
        )
        carried: dict[str | None, Carried] = {}
        for region, answer in zip(regions, answers, strict=True):
            prefix = context(cloud, account, region)
            if isinstance(answer, BaseException):
                text = (
                    f"{prefix} could not read back the last known data of {', '.join(sorted(withheld[region]))} "
                    f"from the core ({type(answer).__name__}: {one_line(str(answer), 160)}); "
                    "the region is not replaced"
                )
                self.report.errors.append(text)
                self.recorder.say("error", text)
                for index, unit in enumerate(units):
                    if (unit.region.id if unit.region else None) == region:
                        complete[index] = False
                continue
            carried[region] = answer
            for kind, count in sorted(answer.expired.items()):
                text = (
                    f"{prefix} {kind}: {count} stale node(s) dropped: last read {answer.oldest.get(kind)}, "
                    f"longer ago than stale_max_age ({self.config.worker.stale_max_age})"
                )
                self.report.expired.append(text)
                self.recorder.say("warning", text)
        return carried

    def _report_failures(self, spool: AccountSpool) -> None:
        """Send the account's kind failures to the core: one ``action_info`` per service and error code."""
        mine = [f for f in self.failures.all() if f.cloud == spool.cloud and f.account == spool.account.id]
        for level, text in group_messages(mine, carried=self._carry is not None):
            self.recorder.say(level, text)


def _safe(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in text)[:60]
