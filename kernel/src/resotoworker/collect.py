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
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from resoto_hookspecs import (
    BaseAccount,
    CollectionCancelled,
    CollectionUnit,
    ExpectedError,
    GraphBuilder,
    PluginConfig,
    PluginError,
)
from resoto_hookspecs.errors import error_line

from resotoworker import metrics
from resotoworker.carry import Carried
from resotoworker.config import WorkerConfig
from resotoworker.failures import (
    DENIED,
    FAILED,
    LOG_LEVELS,
    NOT_THERE,
    FailureLog,
    KindFailure,
    group_messages,
    one_line,
    summary_lines,
)
from resotoworker.plugins import PluginHost
from resotoworker.spool import AccountOutput, AccountSpool, assemble_account, remove_tree

log = logging.getLogger(__name__)

CarryForward = Callable[[str, str, str | None, list[str]], Awaitable[Carried]]
"""Reads back the core's last known good nodes of (cloud, account, region, kinds)."""


class Feedback(Protocol):
    """Where the engine reports while it works: the daemon forwards it to the core."""

    def info(self, level: str, message: str) -> None: ...

    def progress(self, tree: dict[str, Any]) -> None: ...


class LogFeedback:
    """Feedback for the one-shot mode: the engine logs every problem itself, so nothing more to do."""

    def info(self, level: str, message: str) -> None:
        log.debug("%s: %s", level, message)  # the engine logged it already

    def progress(self, tree: dict[str, Any]) -> None:
        log.debug("progress %s", tree)


@dataclass
class UnitOutcome:
    plugin: str
    cloud: str
    account: str
    region: str | None
    name: str
    status: str = "pending"  # complete | partial | denied | failed | timeout | cancelled | pending
    error: str | None = None
    duration: float = 0.0
    nodes: int = 0
    edges: int = 0
    withheld: list[str] = field(default_factory=list)  # kinds that could not be read

    @property
    def complete(self) -> bool:
        return self.status == "complete"


@dataclass
class CollectReport:
    """What a collect did: per unit, per account, per kind and per API."""

    started: float = field(default_factory=time.time)
    duration: float = 0.0
    units: list[UnitOutcome] = field(default_factory=list)
    accounts: list[AccountOutput] = field(default_factory=list)
    account_errors: list[str] = field(default_factory=list)
    plugin_errors: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    skips: list[str] = field(default_factory=list)
    api_calls: Counter[tuple[str, str]] = field(default_factory=Counter)
    api_errors: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    failures: list[KindFailure] = field(default_factory=list)
    expired: list[str] = field(default_factory=list)
    cancelled: bool = False

    @property
    def nothing_collected(self) -> bool:
        return not self.accounts

    @property
    def withheld(self) -> list[KindFailure]:
        """The kind failures that withheld a kind (denied or failed)."""
        return [f for f in self.failures if f.withheld]

    @property
    def kinds(self) -> Counter[tuple[str, str]]:
        result: Counter[tuple[str, str]] = Counter()
        for acc in self.accounts:
            for kind, n in acc.kinds.items():
                result[(acc.cloud, kind)] += n
        return result

    def summary(self) -> str:
        """A plain-text table: per cloud and account, then the slowest units and API calls.

        An account's error count is what is listed below about it: the errors that name it, plus
        the (region, kind) pairs it could not read (counted in "could not be read (N)").
        """
        lines = []
        problems = self.plugin_errors + self.account_errors + self.errors
        rows = [
            ("cloud", "account", "units ok/all", "nodes", "edges", "kinds", "errors", "replace", "seconds")
        ]
        by_account: dict[tuple[str, str], list[UnitOutcome]] = {}
        for u in self.units:
            by_account.setdefault((u.cloud, u.account), []).append(u)
        sent = {(a.cloud, a.account_id): a for a in self.accounts}
        for (cloud, account), units in sorted(by_account.items()):
            acc = sent.get((cloud, account))
            ok = sum(1 for u in units if u.complete)
            errors = sum(1 for e in problems if _about(e, cloud, account)) + len(
                {(f.region, f.kind) for f in self.withheld if f.cloud == cloud and f.account == account}
            )
            rows.append(
                (
                    cloud,
                    acc.account_name if acc and acc.account_name != account else account,
                    f"{ok}/{len(units)}",
                    str(acc.nodes if acc else 0),
                    str(acc.edges if acc else 0),
                    str(len(acc.kinds) if acc else 0),
                    str(errors),
                    acc.replace if acc else "not sent",
                    f"{max((u.duration for u in units), default=0):.1f}",
                )
            )
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        for i, row in enumerate(rows):
            lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
            if i == 0:
                lines.append("  ".join("-" * w for w in widths))
        total_nodes = sum(a.nodes for a in self.accounts)
        lines.append(f"total: {total_nodes} nodes in {len(self.accounts)} account(s), {self.duration:.2f} s")
        if self.kinds:
            seconds: defaultdict[tuple[str, str], float] = defaultdict(float)
            for acc in self.accounts:
                for kind, secs in acc.kind_seconds.items():
                    seconds[(acc.cloud, kind)] += secs
            lines.append("")
            lines.append("kinds:     count   seconds")
            for (cloud, kind), n in sorted(self.kinds.items(), key=lambda kv: (-kv[1], kv[0])):
                lines.append(f"  {n:>12}  {seconds[(cloud, kind)]:8.2f}  {kind} ({cloud})")
        slow = sorted(self.units, key=lambda u: -u.duration)[:5]
        if slow:
            lines.append("")
            lines.append("slowest units:")
            for u in slow:
                lines.append(f"  {u.duration:8.2f} s  {u.cloud}/{u.name}  {u.status}")
        if self.api_calls:
            lines.append("")
            lines.append("API calls:")
            for (cloud, service), n in sorted(self.api_calls.items(), key=lambda kv: -kv[1]):
                errs = sum(c for (cl, sv, _), c in self.api_errors.items() if cl == cloud and sv == service)
                # every error answer, handled (a skip) or not; the failures among them are listed under errors
                lines.append(
                    f"  {n:>6}  {cloud}/{service}" + (f"  ({errs} answered with an error)" if errs else "")
                )
        if problems:
            lines.append("")
            lines.append(f"errors ({len(problems)}):")
            lines.extend(f"  {error_line(e)}" for e in problems[:50])
            if len(problems) > 50:
                lines.append(f"  ... and {len(problems) - 50} more")
        if self.skips:
            lines.append("")
            lines.append(f"skipped ({len(self.skips)}):")
            lines.extend(f"  {s}" for s in self.skips[:20])
        lines.extend(self.failure_summary())
        return "\n".join(lines)

    def failure_summary(self) -> list[str]:
        """The block of what could not be read: per class and kind, the regions and the first message."""
        rows = summary_lines(self.failures)
        if not rows:
            return []
        withheld = len({(f.cloud, f.kind) for f in self.withheld})
        pairs = len({(f.cloud, f.account, f.region, f.kind) for f in self.withheld})
        absent = len({(f.cloud, f.kind) for f in self.failures if not f.withheld})
        # pairs: what the summary table counts as errors besides the listed ones
        head = f"could not be read ({pairs}): {withheld} kind(s) left out (denied or failed)"
        if absent:
            head += f", {absent} kind(s) not there (empty)"
        lost = self.seconds_lost
        tail = (
            [f"  seconds lost to failing kinds: {lost:.2f} (summed over regions, retries included)"]
            if lost
            else []
        )
        return ["", head + ":", *rows, *(f"  {e}" for e in self.expired), *tail]

    @property
    def seconds_lost(self) -> float:
        """What trying to read the kinds that failed cost, summed (as their plugins reported it)."""
        return sum(f.seconds for f in self.failures)


def _context(cloud: str, account: str | None = None, region: str | None = None) -> str:
    return "[" + ":".join(p for p in (cloud, account, region) if p) + "]"


class UnitReporter:
    """The :class:`~resoto_hookspecs.Reporter` handed to a plugin for one unit (thread-safe).

    A report naming a kind is a kind failure (see :mod:`resotoworker.failures`): ``error(kind=K)``
    withholds K in this unit's region (failed), ``skip(kind=K)`` withholds it (denied) or, with
    ``complete=True``, records it as not there. Only an ``error`` without a kind makes the whole
    unit incomplete.
    """

    def __init__(self, engine: CollectEngine, cloud: str, account: str | None, region: str | None) -> None:
        self._engine = engine
        self._cloud = cloud
        self._account = account
        self._region = region
        self._prefix = _context(cloud, account, region)
        self.incomplete = False

    def info(self, message: str) -> None:
        self._engine._say("info", f"{self._prefix} {message}")

    def _kind_failure(
        self, kind: str, cls: str, message: str, service: str | None, code: str | None, seconds: float | None
    ) -> None:
        self._engine._record_kind_failure(
            KindFailure(
                self._cloud,
                self._account or "",
                self._region,
                kind,
                cls,
                message,
                service,
                code,
                seconds or 0.0,
            )
        )

    def error(
        self,
        message: str,
        *,
        kind: str | None = None,
        service: str | None = None,
        incomplete: bool = True,
        code: str | None = None,
        seconds: float | None = None,
    ) -> None:
        if kind and incomplete and self._account is not None:
            self._kind_failure(kind, FAILED, message, service, code, seconds)
            return
        self.incomplete = self.incomplete or incomplete
        what = ", ".join(
            p for p in (f"kind {kind}" if kind else "", f"service {service}" if service else "") if p
        )
        text = f"{self._prefix} {message}" + (f" ({what})" if what else "")
        self._engine._record_error(text)

    def skip(
        self,
        reason: str,
        *,
        kind: str | None = None,
        service: str | None = None,
        complete: bool = False,
        code: str | None = None,
        seconds: float | None = None,
    ) -> None:
        if kind and self._account is not None:
            self._kind_failure(kind, NOT_THERE if complete else DENIED, reason, service, code, seconds)
            return
        self._engine._record_skip(self._cloud, self._prefix, reason, kind, service, complete)

    def api_call(self, service: str, operation: str, *, error: str | None = None) -> None:
        self._engine._record_call(self._cloud, service, error)


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
        self.feedback = feedback or LogFeedback()
        self.task_id = task_id
        self.report = CollectReport()
        self._spool_root = spool_root
        self._carry = carry
        self.failures = FailureLog()
        self._lock = threading.Lock()
        self._skips_seen: set[tuple[str, str | None, str | None, str]] = set()
        self._cancel = asyncio.Event()
        self._builders: set[GraphBuilder] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._progress: dict[str, dict[tuple[str, str], tuple[int, int]]] = {}
        self._progress_dirty: set[str] = set()
        self._progress_wakeup = asyncio.Event()

    # -- reporting (any thread) ------------------------------------------------------------------

    def _call_in_loop(self, fn: Callable[..., None], *args: Any) -> None:
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            running: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        try:
            if running is loop:
                fn(*args)
            else:
                loop.call_soon_threadsafe(fn, *args)
        except RuntimeError:  # loop closed while a straggling thread reports
            pass

    def _emit(self, level: str, message: str) -> None:
        self._call_in_loop(self.feedback.info, level, error_line(message))

    def _say(self, level: str, message: str) -> None:
        """Log ``message`` once and send it to the core."""
        message = error_line(message)
        log.log(LOG_LEVELS.get(level, logging.INFO), "%s", message)
        self._emit(level, message)

    def _record_error(self, text: str) -> None:
        text = error_line(text)
        with self._lock:
            self.report.errors.append(text)
        log.error("%s", text)
        self._emit("error", text)

    def _record_kind_failure(self, failure: KindFailure) -> None:
        self.failures.record(failure)  # logged there, once; sent to the core grouped per account

    def _record_skip(
        self, cloud: str, prefix: str, reason: str, kind: str | None, service: str | None, complete: bool
    ) -> None:
        key = (cloud, service, kind, reason)
        with self._lock:
            if key in self._skips_seen:
                return
            self._skips_seen.add(key)
            what = service or kind or ""
            text = error_line(f"{prefix} skipped {what}: {reason}")
            if not complete:
                text += " (data may be missing)"
            self.report.skips.append(text)
        log.info("%s", text)
        self._emit("info", text)

    def _record_call(self, cloud: str, service: str, error: str | None) -> None:
        with self._lock:
            self.report.api_calls[(cloud, service)] += 1
            if error:
                self.report.api_errors[(cloud, service, error)] += 1
        metrics.API_CALLS.labels(cloud, service).inc()
        if error:
            metrics.API_ERRORS.labels(cloud, service, error).inc()

    # -- progress -----------------------------------------------------------------------------

    def _set_progress(self, cloud: str, account: str, leaf: str, current: int) -> None:
        self._progress.setdefault(cloud, {})[(account, leaf)] = (current, 1)
        self._progress_dirty.add(cloud)
        self._progress_wakeup.set()

    def _flush_progress(self) -> None:
        for cloud in sorted(self._progress_dirty):
            parts = [
                {"kind": "progress", "name": leaf, "path": [account], "current": cur, "total": total}
                for (account, leaf), (cur, total) in sorted(self._progress[cloud].items())
            ]
            self.feedback.progress({"kind": "tree", "name": cloud, "parts": parts})
        self._progress_dirty.clear()

    async def _progress_loop(self) -> None:
        interval = self.config.worker.progress_interval
        while True:
            await self._progress_wakeup.wait()
            self._progress_wakeup.clear()
            self._flush_progress()
            await asyncio.sleep(interval)

    # -- control ------------------------------------------------------------------------------

    def cancel(self) -> None:
        """Stop: running units are told to stop, waiting units never start; what is complete is sent."""
        self.report.cancelled = True
        self._cancel.set()
        for builder in list(self._builders):
            builder.cancel_event.set()

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
                self._say("error", text)
        return result

    async def run(self) -> CollectReport:
        self._loop = asyncio.get_running_loop()
        started = time.monotonic()
        worker = self.config.worker
        root = Path(
            tempfile.mkdtemp(prefix=f"resoto-{_safe(self.task_id)}-", dir=worker.tempdir or self._spool_root)
        )
        progress_task = asyncio.create_task(self._progress_loop())
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
                        self._set_progress(cloud, acc_units[0].account.name or account_id, leaf, 0)
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
            if self._progress_dirty:
                self._flush_progress()
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
        reporter = UnitReporter(self, cloud, None, None)
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
            self._emit("error", text)
            return []
        seen: set[str] = set()
        result = []
        for unit in units:
            if not isinstance(unit, CollectionUnit) or unit.cloud != cloud:
                text = error_line(f"[{cloud}] plugin returned an invalid collection unit {unit!r}; ignored")
                self.report.plugin_errors.append(text)
                self._say("error", text)
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
                outcomes = await self._collect_forked(plugin, spool, units)
        else:
            outcomes = await self.collect_units(plugin, spool, units, plugin_sem, global_sem)
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
                    text = f"{_context(spool.cloud, spool.account.id)} nothing could be collected; the core keeps its data"
                    self.report.account_errors.append(text)
                    self._say("error", text)
                    return
                for problem in output.problems:
                    text = f"{_context(spool.cloud, spool.account.id)} graph: dropped edge {problem.from_id} -> {problem.to_id}: {problem.reason}"
                    self.report.errors.append(text)
                    self._say("error", text)
                await self.send(output)
                self.report.accounts.append(output)
            except Exception as exc:
                text = error_line(
                    f"{_context(spool.cloud, spool.account.id)} sending the graph failed: {type(exc).__name__}: {exc}"
                )
                log.error("%s", text, exc_info=log.isEnabledFor(logging.DEBUG))
                self.report.account_errors.append(text)
                self._emit("error", text)

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
            prefix = _context(cloud, account, region)
            if isinstance(answer, BaseException):
                text = (
                    f"{prefix} could not read back the last known data of {', '.join(sorted(withheld[region]))} "
                    f"from the core ({type(answer).__name__}: {one_line(str(answer), 160)}); "
                    "the region is not replaced"
                )
                self.report.errors.append(text)
                self._say("error", text)
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
                self._say("warning", text)
        return carried

    def _report_failures(self, spool: AccountSpool) -> None:
        """Send the account's kind failures to the core: one ``action_info`` per service and error code."""
        mine = [f for f in self.failures.all() if f.cloud == spool.cloud and f.account == spool.account.id]
        for level, text in group_messages(mine, carried=self._carry is not None):
            self._say(level, text)

    async def collect_units(
        self,
        plugin: str,
        spool: AccountSpool,
        units: list[CollectionUnit],
        plugin_sem: asyncio.Semaphore | None = None,
        global_sem: asyncio.Semaphore | None = None,
    ) -> list[UnitOutcome]:
        """Collect the units of one account into its spool (in this process)."""
        if self._loop is None:
            self._loop = asyncio.get_running_loop()
        account_sem = asyncio.Semaphore(self.config.worker.account_pool_size)
        plugin_sem = plugin_sem or asyncio.Semaphore(self.config.worker.plugin_pool_size)
        global_sem = global_sem or asyncio.Semaphore(self.config.worker.pool_size)
        sinks = [spool.sink(u) for u in units]
        return list(
            await asyncio.gather(
                *(self._run_unit(plugin, sink, account_sem, plugin_sem, global_sem) for sink in sinks)
            )
        )

    async def _collect_forked(
        self, plugin: str, spool: AccountSpool, units: list[CollectionUnit]
    ) -> list[UnitOutcome]:
        """Collect the units of one account in a child process (``fork_process``)."""
        from resotoworker.isolation import ForkJob, run_forked

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
        result = await run_forked(job, timeout, self._cancel)
        sinks = [spool.sink(u) for u in units]
        outcomes: list[UnitOutcome] = []
        for index, (sink, unit) in enumerate(zip(sinks, units, strict=True)):
            region = unit.region.id if unit.region else None
            if result.error is None and index < len(result.outcomes):
                outcome = result.outcomes[index]
                sink.restore(result.sinks[index])
            else:
                outcome = UnitOutcome(plugin, unit.cloud, unit.account.id, region, unit.name, status="failed")
                outcome.error = result.error or "no result from the child process"
                sink.closed = True
            outcomes.append(outcome)
            self.report.units.append(outcome)
            self._set_progress(unit.cloud, unit.account.name or unit.account.id, region or unit.account.id, 1)
        if result.error is not None:
            if self._cancel.is_set():
                for o in outcomes:
                    o.status = "cancelled"
            else:
                self._record_error(
                    f"{_context(spool.cloud, spool.account.id)} collect failed: {result.error}; the core keeps this account's data"
                )
        for level, message in result.infos:
            self._emit(level, message)
        self.failures.extend(result.failures)
        with self._lock:
            self.report.errors.extend(error_line(e) for e in result.errors)
            self.report.skips.extend(error_line(s) for s in result.skips)
            self.report.api_calls.update(result.api_calls)
            self.report.api_errors.update(result.api_errors)
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
        self.report.units.append(outcome)
        try:
            async with account_sem, plugin_sem, global_sem:
                if self._cancel.is_set():
                    outcome.status = "cancelled"
                    return outcome
                await self._execute(plugin, unit, sink, outcome)
        finally:
            sink.close()
            outcome.nodes, outcome.edges = sink.nodes, sink.edges
            self._set_progress(unit.cloud, unit.account.name or unit.account.id, region or unit.account.id, 1)
        return outcome

    async def _execute(self, plugin: str, unit: CollectionUnit, sink: Any, outcome: UnitOutcome) -> None:
        assert self._loop is not None
        cfg: PluginConfig | None = self.config.for_cloud(unit.cloud)
        reporter = UnitReporter(self, unit.cloud, unit.account.id, unit.region.id if unit.region else None)
        builder = GraphBuilder(unit, sink, reporter)
        self._builders.add(builder)
        sink.open()
        future: asyncio.Future[None] = self._loop.create_future()
        loop = self._loop

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
        prefix = _context(unit.cloud, unit.account.id, unit.region.id if unit.region else None)
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
                self._record_error(
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
                self._record_error(
                    f"{prefix} collect timed out after {self.config.worker.unit_timeout} s; the core keeps this region's data"
                )
        self._builders.discard(builder)


def _about(text: str, cloud: str, account: str) -> bool:
    """Whether a report line is about this account (it starts with its context, see :func:`_context`)."""
    return text.startswith((f"[{cloud}:{account}]", f"[{cloud}:{account}:"))


def _safe(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in text)[:60]
