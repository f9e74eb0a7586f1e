"""How API errors are classified: transient (retried), service disabled, forbidden, gone."""

from __future__ import annotations

from typing import Any

import requests
from google.api_core import exceptions as gexc
from google.api_core.exceptions import RetryError
from google.api_core.retry import Retry
from resoto_hookspecs.errors import error_line

from resoto_plugin_gcp.config import GcpConfig

TRANSIENT = (
    gexc.TooManyRequests,
    gexc.InternalServerError,
    gexc.BadGateway,
    gexc.ServiceUnavailable,
    gexc.GatewayTimeout,
    gexc.DeadlineExceeded,
    requests.exceptions.ConnectionError,
    requests.exceptions.ChunkedEncodingError,
    ConnectionResetError,
)

DISABLED_REASONS = frozenset({"SERVICE_DISABLED", "accessNotConfigured", "API_DISABLED"})


def unwrap(exc: BaseException) -> BaseException:
    """The last underlying error of a retry that gave up (``RetryError``), else the error itself."""
    while isinstance(exc, RetryError) and exc.cause is not None:
        exc = exc.cause
    return exc


def is_transient(exc: BaseException) -> bool:
    """429, 5xx and dropped connections: worth another try after a backoff."""
    return isinstance(exc, TRANSIENT)


def make_retry(config: GcpConfig) -> Retry:
    """The retry policy passed to every client call (list pages, gets, deletes, label updates)."""
    return Retry(
        predicate=is_transient,
        initial=config.retry_initial_delay,
        maximum=max(config.retry_initial_delay, 30.0),
        multiplier=2.0,
        timeout=config.retry_deadline,
    )


def _reasons(exc: gexc.GoogleAPICallError) -> set[str]:
    reasons: set[str] = set()
    if exc.reason:
        reasons.add(exc.reason)
    for err in exc.errors or ():
        if isinstance(err, dict) and isinstance(err.get("reason"), str):
            reasons.add(err["reason"])
        reason = getattr(err, "reason", None)
        if isinstance(reason, str):
            reasons.add(reason)
    return reasons


def is_service_disabled(exc: BaseException) -> bool:
    """A 403 that says the API is not enabled in the project (``SERVICE_DISABLED``/``accessNotConfigured``)."""
    exc = unwrap(exc)
    return isinstance(exc, gexc.Forbidden) and bool(_reasons(exc) & DISABLED_REASONS)


def is_forbidden(exc: BaseException) -> bool:
    """A 403 (or 401) for anything but a disabled API: the credential lacks a permission."""
    exc = unwrap(exc)
    return isinstance(exc, (gexc.Forbidden, gexc.Unauthorized)) and not is_service_disabled(exc)


def is_not_found(exc: BaseException) -> bool:
    return isinstance(unwrap(exc), gexc.NotFound)


def error_code(exc: BaseException) -> str:
    """A short code for ``reporter.api_call(..., error=...)``."""
    exc = unwrap(exc)
    if isinstance(exc, gexc.GoogleAPICallError):
        reasons = sorted(_reasons(exc))
        code = str(exc.code) if exc.code is not None else type(exc).__name__
        return f"{code}:{reasons[0]}" if reasons else code
    return type(exc).__name__


def short_message(exc: BaseException, limit: int = 300) -> str:
    """The error's message without the response body's details, as one bounded report line (an
    HTML error page, as a proxy may answer, reduced to its title)."""
    gave_up = isinstance(exc, RetryError)
    exc = unwrap(exc)
    msg: Any = getattr(exc, "message", None) or str(exc)
    if gave_up:
        msg = f"{msg} (retries exhausted)"
    return error_line(str(msg), limit)
