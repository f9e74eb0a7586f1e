"""The kernel's one small error hierarchy, and how a failure becomes one line a user reads.

Every message is safe to log: no secret ever goes in.
"""

from __future__ import annotations


class WorkerError(Exception):
    """Base of every error the kernel raises on purpose. ``hint`` says what an operator can do."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint

    def __str__(self) -> str:
        base = super().__str__()
        return f"{base} ({self.hint})" if self.hint else base


class ConfigurationError(WorkerError):
    """A flag, environment variable, config value or override cannot be used."""

    exit_code = 2


class CoreUnavailable(WorkerError):
    """The core did not answer (not reachable, not ready, or answering 5xx)."""


class AuthenticationError(WorkerError):
    """The core refused our token (401/403): usually a wrong or missing PSK."""


class TlsError(WorkerError):
    """The TLS bootstrap failed: the CA fingerprint did not match, or a certificate could not be used."""


class CoreRequestError(WorkerError):
    """The core answered a request with an unexpected status."""

    def __init__(self, message: str, *, status: int | None = None, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.status = status


class ProtocolError(WorkerError):
    """A message from the core does not have the shape the protocol says."""


class PluginLoadError(WorkerError):
    """A plugin could not be loaded; the others still are."""


MESSAGE_LIMIT = 500
"""The longest message sent to the core as ``action_info``."""


def describe_error(exc: BaseException) -> str:
    """``Type: first line of the message`` (just ``Type`` when the message is empty)."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def clip(text: str) -> str:
    """The text, cut to :data:`MESSAGE_LIMIT` characters (ending in ``...`` when cut)."""
    return text if len(text) <= MESSAGE_LIMIT else text[: MESSAGE_LIMIT - 3] + "..."
