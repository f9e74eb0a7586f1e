"""The reporter for plugin work outside a collect: discovering collection units, cleanup policies.

A collect hands each unit a reporter that feeds the collect report (:mod:`resotoworker.collect`).
Outside a collect there is no such report: :class:`LogReporter` logs what a plugin reports and, when
the caller asks for it, passes infos and errors on (the cleanup plan sends them to the core).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

log = logging.getLogger(__name__)


class LogReporter:
    """A :class:`~resoto_hookspecs.Reporter` that logs; thread-safe as long as ``forward`` is.

    :param plugin: The plugin's name: every message starts with ``[plugin]``.
    :param topic: What the plugin is doing (``cleanup plan``), put after the plugin's name.
    :param forward: Called with ``(level, message)`` (level ``info`` or ``error``) for every info
        and error, after it is logged. Skips are only logged.
    """

    def __init__(
        self, plugin: str, *, topic: str | None = None, forward: Callable[[str, str], None] | None = None
    ) -> None:
        self.prefix = f"[{plugin}]" if topic is None else f"[{plugin}] {topic}:"
        self._forward = forward

    def _say(self, level: str, message: str) -> None:
        text = f"{self.prefix} {message}"
        log.log(logging.WARNING if level == "error" else logging.INFO, "%s", text)
        if self._forward is not None:
            self._forward(level, text)

    def info(self, message: str) -> None:
        self._say("info", message)

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
        self._say("error", message)

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
        what = service or kind
        log.info("%s skipped%s: %s", self.prefix, f" {what}" if what else "", reason)

    def api_call(self, service: str, operation: str, *, error: str | None = None) -> None:
        return None
