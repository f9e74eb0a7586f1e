"""Exceptions a plugin raises to tell the kernel what went wrong.

Anything else a hook raises is treated as an unexpected failure of that unit or resource: logged with
its traceback, reported to the core, and isolated from the rest of the work.
"""

from __future__ import annotations

import html
import re


class PluginError(Exception):
    """Base class of the errors below. The message must never contain a secret."""


class ExpectedError(PluginError):
    """A failure the operator expects and does not need to act on: reported once, quietly.

    ``complete`` says whether the data is known to be absent (``True``: a service that is not enabled,
    a region that is not opted in; the kernel may replace what the core held) or merely unreadable
    (``False``: access denied; the kernel keeps the core's last known good data for that unit).
    """

    complete: bool = False

    def __init__(self, message: str, *, service: str | None = None, complete: bool | None = None) -> None:
        super().__init__(message)
        self.service = service
        if complete is not None:
            self.complete = complete


class AccessDenied(ExpectedError):
    """The credential may not read or change this. Data is not known to be absent."""

    complete = False


class NotAvailable(ExpectedError):
    """The service or region is not enabled or does not exist here: there is nothing to collect."""

    complete = True


class NotSupported(PluginError):
    """The operation is not possible for this kind (e.g. tagging a kind without tags, deleting a user)."""


class ResourceGone(PluginError):
    """The resource no longer exists in the cloud."""


class ConfigError(PluginError):
    """The plugin's configuration cannot work (missing credentials, bad value). Names the key, not the secret."""


class CollectionCancelled(PluginError):
    """Raised by the graph builder once the kernel cancelled the unit (timeout, abort, shutdown).

    Plugins need not catch it: let it propagate so the unit's thread ends promptly.
    """


# -- one line for a report ----------------------------------------------------------------------

LINE_LIMIT = 300
"""The longest line :func:`error_line` makes: a report line, a log message, a summary entry."""

_HTML_START = re.compile(r"<\s*(?:!doctype\s+html|html|head|body|title)\b[^<>]*>", re.IGNORECASE)
_TITLE = re.compile(r"<\s*(title|h1)\b[^>]*>(.*?)<\s*/\s*\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")


def html_title(page: str) -> str | None:
    """The text of an HTML page's ``<title>`` (else its first ``<h1>``), or ``None``."""
    found = {m.group(1).lower(): m.group(2) for m in reversed(list(_TITLE.finditer(page)))}
    raw = found.get("title") or found.get("h1")
    if raw is None:
        return None
    text = " ".join(html.unescape(_TAG.sub(" ", raw)).split())
    return text or None


def error_line(text: str, limit: int = LINE_LIMIT) -> str:
    """``text`` as one line of at most ``limit`` characters, for a report, a log or a summary.

    Whitespace (newlines included) collapses to single spaces. An HTML page in it, such as the
    error page a proxy, a load balancer or an emulator answers instead of the API's own format,
    is replaced by its title (``404 Not Found``), or by ``an HTML page`` when it has none. A
    line that is too long is cut at a word boundary and ends with ``…``.

    Example::

        error_line("An error occurred (404) when calling ListWorkGroups: <!doctype html>\\n"
                   "<title>404 Not Found</title><h1>Not Found</h1>...")
        # 'An error occurred (404) when calling ListWorkGroups: 404 Not Found (an HTML page)'
    """
    start = _HTML_START.search(text)
    if start is not None:
        title = html_title(text[start.start() :])
        page = f"{title} (an HTML page)" if title else "an HTML page"
        text = f"{text[: start.start()]}{page}"
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    cut = line[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit * 2 // 3:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"


def http_error_line(
    status: int | None,
    code: str | None = None,
    message: str | bytes | None = None,
    limit: int = LINE_LIMIT,
) -> str:
    """One line for an HTTP API's error answer: ``HTTP <status> <code>: <message>``.

    :param status: The HTTP status, if known.
    :param code: The service's error code (``ThrottlingException``, ``invalid_auth``); left out
        when it only repeats the status.
    :param message: The service's error message, or the raw body: an HTML page is reduced to its
        title, anything else to one bounded line (see :func:`error_line`).

    Example::

        http_error_line(404, "404", "<!doctype html><title>404 Not Found</title>...")
        # 'HTTP 404: 404 Not Found (an HTML page)'
    """
    if isinstance(message, bytes):
        message = message.decode("utf-8", errors="replace")
    head = " ".join(
        part
        for part in (f"HTTP {status}" if status else "", code if code and code != str(status) else "")
        if part
    )
    body = error_line(message or "", limit)
    line = f"{head}: {body}" if head and body else head or body or "no error message"
    return error_line(line, limit)
