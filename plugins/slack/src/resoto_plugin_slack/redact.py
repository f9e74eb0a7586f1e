"""Keeps bot tokens out of log records, whoever emits them.

slack-sdk already masks the ``Authorization`` header in its debug lines, but it logs request and
response details freely; every :class:`~slack_sdk.WebClient` of this plugin logs through
:data:`SDK_LOGGER`, whose filter replaces any configured token by a placeholder.
"""

from __future__ import annotations

import logging
import re
import threading

REDACTED = "xox?-(redacted)"
_TOKEN_SHAPE = re.compile(r"xox[a-z]-[A-Za-z0-9-]+")


class TokenRedactingFilter(logging.Filter):
    """Rewrites a record's message when it contains a known token or anything shaped like one."""

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._secrets: frozenset[str] = frozenset()

    def remember(self, secret: str) -> None:
        """Redact this value from now on."""
        if secret:
            with self._lock:
                self._secrets = self._secrets | {secret}

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, REDACTED)
        return _TOKEN_SHAPE.sub(REDACTED, text)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is not ours to fix; keep the raw message
            message = str(record.msg)
        cleaned = self.redact(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            exc_text = str(record.exc_info[1])
            if self.redact(exc_text) != exc_text:
                record.exc_info = None
                record.exc_text = None
                record.msg = f"{record.msg} (exception details withheld: they contained a token)"
        return True


REDACTOR = TokenRedactingFilter()

SDK_LOGGER = logging.getLogger("resoto_plugin_slack.sdk")
"""The logger every WebClient of this plugin writes to (child of the plugin's package logger)."""
SDK_LOGGER.addFilter(REDACTOR)
