"""The values the kernel hands to hooks: collection units, locations, the reporter, plugin config."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, ClassVar, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict

from resoto_hookspecs.resources import (
    BaseAccount,
    BaseOrganizationalRoot,
    BaseOrganizationalUnit,
    BaseRegion,
    BaseResource,
)

MergeScope = BaseAccount | BaseOrganizationalRoot | BaseOrganizationalUnit
"""What a collection unit's ``account`` may be: the node one merge replaces.

Usually an account (a project, a workspace). Nodes shared by several accounts of a cloud (an
organisation and its folders or organizational units) get their own unit whose ``account`` is the
organisation root (or the outermost readable unit): they form their own merge with their own
replace, directly below the cloud, and reach the accounts below them with ``GraphBuilder.ref``.
"""


class PluginConfig(BaseModel):
    """Base class of a plugin's config section.

    The section's name in the worker's config document is the plugin's cloud name (see
    :class:`CloudInfo`). Fields need defaults so a fresh worker can write a complete document to the
    core; secrets use ``pydantic.SecretStr`` so they never reach a log. Field descriptions become the
    config model's descriptions and the generated operator reference.
    """

    model_config = ConfigDict(extra="ignore", validate_assignment=True)

    restart_required: ClassVar[frozenset[str]] = frozenset()
    """Keys whose change needs a restart of the worker rather than a reload."""


@dataclass(frozen=True)
class CloudInfo:
    """Who a plugin is: the cloud it serves and its config model.

    :param name: The cloud's name (``aws``); it is the ``cloud`` node's id, the tag-task filter and the
        config section name.
    :param config: The plugin's config section model, or ``None`` when it has no settings.
    :param description: One line for ``--list-plugins`` and ``/info``.
    """

    name: str
    config: type[PluginConfig] | None = None
    description: str = ""


@dataclass(frozen=True)
class Location:
    """Where a resource lives: the ids of its cloud, account, region and zone (``None`` when absent)."""

    cloud: str
    account: str | None = None
    region: str | None = None
    zone: str | None = None

    def path(self) -> list[str]:
        """The non-empty parts, outermost first (used as context in reports)."""
        return [p for p in (self.cloud, self.account, self.region, self.zone) if p]


@dataclass(frozen=True)
class CollectionUnit:
    """One independently schedulable piece of a collection (e.g. one account in one region).

    The kernel schedules units over bounded pools and decides from their outcome what the core may
    replace: a region whose units all succeeded is replaced; a failed unit's old data stays.

    :param cloud: The plugin's cloud name.
    :param account: The account node this unit belongs to; all units with the same account id are
        sent to the core together as one merge. A cloud-level scope (see :data:`MergeScope`) uses
        the organisation root instead.
    :param region: The region node the unit's resources hang below, or ``None`` for resources that
        hang directly below the account. Several units may share a region.
    :param name: Unique within the plugin and stable across runs, e.g. ``"123456789012/us-east-1"``.
    :param payload: Plugin-private data the ``collect`` hook needs (e.g. which credentials to use).
        Must be picklable when the kernel isolates plugins in processes.
    """

    cloud: str
    account: MergeScope
    region: BaseRegion | None = None
    name: str = ""
    payload: Any = None

    @property
    def location(self) -> Location:
        return Location(self.cloud, self.account.id, self.region.id if self.region else None)


def _empty() -> Mapping[str, Any]:
    return MappingProxyType({})


@runtime_checkable
class Reporter(Protocol):
    """How a plugin reports while it works. The kernel passes one in, bound to a unit or resource.

    Every method is thread-safe and never blocks on the network: the kernel forwards what matters to
    the core (``action_info``), to the logs and to ``/metrics``. Messages must not contain secrets.
    """

    def info(self, message: str) -> None:
        """An informational message (logged; sent to the core at level ``info``)."""

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
        """A failure that lost data; the unit goes on.

        The kind is the unit of failure. With ``kind`` (and ``incomplete=True``, the default) only
        that kind in the unit's account and region is withheld: every other kind is sent and
        replaces what the core held, and the core's last known nodes of ``kind`` are carried
        forward, marked ``metadata.stale``. Report each kind that could not be read, including the
        kinds computed from it. Without ``kind``, the whole unit counts as incomplete: the core
        keeps the last good data of the unit's region. Pass ``incomplete=False`` for problems that
        lost nothing the core should keep (a malformed field that was left out).

        :param code: The cloud's error code (``InternalError``, ``403``): failures are reported to
            the core grouped per service and code. Optional.
        :param seconds: What trying to read the kind cost (retries included), for the collect
            report's "seconds lost to failing kinds". Optional.
        """

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
        """An expected, quiet skip of ``kind``: access denied, or the service is not there.

        ``complete=True``: the data is known to be absent (the service or API is not enabled or
        does not exist here); the kind counts as read and empty, reported at info level.
        ``complete=False``: the credential may not read it; the kind is withheld like a failed one
        (its last known nodes are carried forward, marked stale), reported as a warning. A skip
        without ``kind`` is only reported. To keep the core's old data for the whole unit instead,
        raise :class:`~resoto_hookspecs.errors.AccessDenied` from ``collect``.
        """

    def api_call(self, service: str, operation: str, *, error: str | None = None) -> None:
        """Count one cloud API call (and its error code, if it failed) for the collect report."""


class RecordingReporter:
    """A :class:`Reporter` that keeps everything in memory: for plugin tests without the kernel."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.infos: list[str] = []
        self.errors: list[tuple[str, str | None, str | None]] = []
        self.skips: list[tuple[str, str | None, str | None, bool]] = []
        self.calls: Counter[tuple[str, str]] = Counter()
        self.call_errors: Counter[tuple[str, str]] = Counter()
        self.codes: list[tuple[str | None, str]] = []
        self.incomplete = False

    def info(self, message: str) -> None:
        with self._lock:
            self.infos.append(message)

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
        with self._lock:
            self.errors.append((message, kind, service))
            self.incomplete = self.incomplete or incomplete
            if code is not None:
                self.codes.append((kind, code))

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
        with self._lock:
            self.skips.append((reason, kind, service, complete))
            if code is not None:
                self.codes.append((kind, code))

    def api_call(self, service: str, operation: str, *, error: str | None = None) -> None:
        with self._lock:
            self.calls[(service, operation)] += 1
            if error:
                self.call_errors[(service, error)] += 1


@dataclass(frozen=True)
class CleanupCandidate:
    """A resource the core holds, as a cleanup policy (``plan_cleanup``) sees it.

    Frozen: several policies read the same candidates in parallel threads, so a policy must not
    change a candidate (nor its ``resource``); it answers with :class:`CleanupFlag` values instead.

    :param node_id: The core's node id.
    :param resource: The resource, as its plugin's class.
    :param location: Its cloud, account, region and zone.
    :param protected: Protected (``metadata.protected`` or the protection tag): never flagged.
    :param metadata: The node's ``metadata`` section, read-only.
    :param desired: The node's ``desired`` section, read-only: ``desired.get("clean") is True``
        when the resource is already flagged for cleanup.
    """

    node_id: str
    resource: BaseResource
    location: Location
    protected: bool = False
    metadata: Mapping[str, Any] = field(default_factory=_empty)
    desired: Mapping[str, Any] = field(default_factory=_empty)

    @property
    def flagged(self) -> bool:
        """Whether the core already holds ``desired.clean = true`` for it."""
        return self.desired.get("clean") is True


@dataclass(frozen=True)
class CleanupFlag:
    """A cleanup policy's decision: flag this node for cleanup (``desired.clean = true``).

    :param node_id: The core's node id (``CleanupCandidate.node_id``).
    :param policy: The policy's name, for the report (``expired``, ``unused-volume``).
    :param reason: Why, in a few words (``expires 2024-01-01 is past``).
    """

    node_id: str
    policy: str
    reason: str = ""
