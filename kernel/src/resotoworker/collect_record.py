"""What a collect learns while it runs: errors, skips, kind failures, API calls and progress.

:class:`CollectRecorder` is the one place these land, from any thread: each is recorded in the
:class:`~resotoworker.collect_report.CollectReport`, logged once and forwarded to the
:class:`~resotoworker.feedback.Feedback` (the core, in the daemon). :class:`UnitReporter` is the
:class:`~resoto_hookspecs.Reporter` a plugin gets for one unit; it reports into the recorder.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

from resoto_hookspecs.errors import error_line

from resotoworker import metrics
from resotoworker.collect_report import CollectReport, context
from resotoworker.failures import DENIED, FAILED, LOG_LEVELS, NOT_THERE, FailureLog, KindFailure
from resotoworker.feedback import Feedback

log = logging.getLogger(__name__)


class CollectRecorder:
    """The report, the kind failures and the progress of one collect (thread-safe).

    Messages reach the feedback on the event loop given to :meth:`bind`; before that (or after the
    loop closed) they are only recorded and logged.
    """

    def __init__(self, feedback: Feedback) -> None:
        self.feedback = feedback
        self.report = CollectReport()
        self.failures = FailureLog()
        self._lock = threading.Lock()
        self._skips_seen: set[tuple[str, str | None, str | None, str]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._progress: dict[str, dict[tuple[str, str], tuple[int, int]]] = {}
        self._progress_dirty: set[str] = set()
        self._progress_wakeup = asyncio.Event()

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """Deliver feedback on ``loop`` (the first loop bound stays)."""
        if self._loop is None:
            self._loop = loop

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

    def emit(self, level: str, message: str) -> None:
        self._call_in_loop(self.feedback.info, level, error_line(message))

    def say(self, level: str, message: str) -> None:
        """Log ``message`` once and send it to the core."""
        message = error_line(message)
        log.log(LOG_LEVELS.get(level, logging.INFO), "%s", message)
        self.emit(level, message)

    def record_error(self, text: str) -> None:
        text = error_line(text)
        with self._lock:
            self.report.errors.append(text)
        log.error("%s", text)
        self.emit("error", text)

    def record_kind_failure(self, failure: KindFailure) -> None:
        self.failures.record(failure)  # logged there, once; sent to the core grouped per account

    def record_skip(
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
        self.emit("info", text)

    def record_call(self, cloud: str, service: str, error: str | None) -> None:
        with self._lock:
            self.report.api_calls[(cloud, service)] += 1
            if error:
                self.report.api_errors[(cloud, service, error)] += 1
        metrics.API_CALLS.labels(cloud, service).inc()
        if error:
            metrics.API_ERRORS.labels(cloud, service, error).inc()

    def absorb(
        self,
        errors: list[str],
        skips: list[str],
        api_calls: Counter[tuple[str, str]],
        api_errors: Counter[tuple[str, str, str]],
    ) -> None:
        """Add what a child process recorded (see :mod:`resotoworker.collect_units`)."""
        with self._lock:
            self.report.errors.extend(error_line(e) for e in errors)
            self.report.skips.extend(error_line(s) for s in skips)
            self.report.api_calls.update(api_calls)
            self.report.api_errors.update(api_errors)

    # -- progress -----------------------------------------------------------------------------

    def set_progress(self, cloud: str, account: str, leaf: str, current: int) -> None:
        self._progress.setdefault(cloud, {})[(account, leaf)] = (current, 1)
        self._progress_dirty.add(cloud)
        self._progress_wakeup.set()

    def flush_progress(self) -> None:
        for cloud in sorted(self._progress_dirty):
            parts = [
                {"kind": "progress", "name": leaf, "path": [account], "current": cur, "total": total}
                for (account, leaf), (cur, total) in sorted(self._progress[cloud].items())
            ]
            self.feedback.progress({"kind": "tree", "name": cloud, "parts": parts})
        self._progress_dirty.clear()

    @property
    def progress_pending(self) -> bool:
        return bool(self._progress_dirty)

    async def progress_loop(self, interval: float) -> None:
        """Send the progress tree of each cloud that changed, at most every ``interval`` seconds."""
        while True:
            await self._progress_wakeup.wait()
            self._progress_wakeup.clear()
            self.flush_progress()
            await asyncio.sleep(interval)


class UnitReporter:
    """The :class:`~resoto_hookspecs.Reporter` handed to a plugin for one unit (thread-safe).

    A report naming a kind is a kind failure (see :mod:`resotoworker.failures`): ``error(kind=K)``
    withholds K in this unit's region (failed), ``skip(kind=K)`` withholds it (denied) or, with
    ``complete=True``, records it as not there. Only an ``error`` without a kind makes the whole
    unit incomplete.
    """

    def __init__(
        self, recorder: CollectRecorder, cloud: str, account: str | None, region: str | None
    ) -> None:
        self._recorder = recorder
        self._cloud = cloud
        self._account = account
        self._region = region
        self._prefix = context(cloud, account, region)
        self.incomplete = False

    def info(self, message: str) -> None:
        self._recorder.say("info", f"{self._prefix} {message}")

    def _kind_failure(
        self, kind: str, cls: str, message: str, service: str | None, code: str | None, seconds: float | None
    ) -> None:
        self._recorder.record_kind_failure(
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
        self._recorder.record_error(text)

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
        self._recorder.record_skip(self._cloud, self._prefix, reason, kind, service, complete)

    def api_call(self, service: str, operation: str, *, error: str | None = None) -> None:
        self._recorder.record_call(self._cloud, service, error)
