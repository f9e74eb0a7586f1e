"""Logging: one JSON object per line by default (text on request), with secrets redacted.

Every secret the worker learns (the PSK, secrets in plugin config sections) is registered with
:func:`register_secret`; a filter on the root handler replaces it wherever it would appear: in the
message, its arguments and the formatted traceback.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
import time
from typing import Any

from resotoworker.errors import ConfigurationError
from resotoworker.values import parse_bool

_secrets: set[str] = set()
_secrets_lock = threading.Lock()
REDACTED = "***"
TRACE = 5


def register_secret(value: str | None) -> None:
    """Never log this value. Short values (under 4 characters) are ignored: they would mask too much."""
    if value and len(value) >= 4:
        with _secrets_lock:
            _secrets.add(value)


def redact(text: str) -> str:
    """Replace every registered secret in ``text``."""
    if not _secrets:
        return text
    with _secrets_lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text


class RedactingFilter(logging.Filter):
    """Renders the record's message once, redacted, so no handler can see a secret."""

    def filter(self, record: logging.LogRecord) -> bool:
        if _secrets:
            record.msg = redact(record.getMessage())
            record.args = None
            if record.exc_info and not record.exc_text:
                record.exc_text = logging.Formatter().formatException(record.exc_info)
            if record.exc_text:
                record.exc_text = redact(record.exc_text)
            record.exc_info = None if record.exc_text else record.exc_info
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line with the keys the reference worker uses."""

    def format(self, record: logging.LogRecord) -> str:
        doc: dict[str, Any] = {
            "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)),
            "level": record.levelname,
            "message": record.getMessage(),
            "logger": record.name,
            "pid": record.process,
            "thread": record.threadName,
            "process": "resotoworker",
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            doc["exception"] = record.exc_text
        if record.stack_info:
            doc["stack_info"] = self.formatStack(record.stack_info)
        return json.dumps(doc, ensure_ascii=False)


TEXT_FORMAT = "%(asctime)s|resotoworker|%(levelname)5s|%(process)d|%(threadName)10s  %(message)s"


def setup_logging(
    *, verbose: bool = False, quiet: bool = False, trace: bool = False, text: bool | None = None
) -> None:
    """Configure the root logger once. ``text=None`` reads ``RESOTO_LOG_TEXT``."""
    logging.addLevelName(TRACE, "TRACE")
    if text is None:
        raw = os.environ.get("RESOTO_LOG_TEXT", "") or "false"
        try:
            text = parse_bool(raw)
        except ValueError as exc:
            raise ConfigurationError(f"RESOTO_LOG_TEXT: {exc}") from None
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RedactingFilter())
    fmt = os.environ.get("RESOTO_LOG_FORMAT", TEXT_FORMAT)
    handler.setFormatter(logging.Formatter(fmt) if text else JsonFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    level = TRACE if trace else logging.DEBUG if verbose else logging.WARNING if quiet else logging.INFO
    root.setLevel(logging.WARNING if not (verbose or trace) else level)
    for name in ("resotoworker", "resoto_hookspecs", "resoto_plugin"):
        logging.getLogger(name).setLevel(level)
    # plugin packages log under their own module names
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("resoto_plugin_"):
            logging.getLogger(name).setLevel(level)
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)


def plugin_logger_level(name: str) -> None:
    """Give a plugin package's logger the kernel's level (called when the plugin is loaded)."""
    logging.getLogger(name).setLevel(logging.getLogger("resotoworker").getEffectiveLevel())
