"""Exceptions a plugin raises to tell the kernel what went wrong.

Anything else a hook raises is treated as an unexpected failure of that unit or resource: logged with
its traceback, reported to the core, and isolated from the rest of the work.
"""

from __future__ import annotations


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
