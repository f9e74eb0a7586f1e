"""Cleanup: the expiry policy, and preparing, re-checking and deleting resources in the store."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime

from resoto_hookspecs import BaseResource, CleanupCandidate, CleanupFlag, NotSupported, ResourceGone

from resoto_plugin_example.collector import CLOUD
from resoto_plugin_example.resources import KIND_CLASSES, ExampleVolume, resource_from_record
from resoto_plugin_example.store import ExampleStore, RecordNotFound

log = logging.getLogger(__name__)

EXPIRY_POLICY = "expired"
EXPIRES_TAG = "expires"


def parse_expires(value: str | None) -> datetime | None:
    """Read an ``expires`` tag: ISO 8601 (``2020-01-01T00:00:00Z`` or a date); naive means UTC.

    Returns ``None`` for a missing or unreadable value: a policy must not guess.
    """
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when


def plan_expired(
    candidates: Sequence[CleanupCandidate], now: datetime | None = None
) -> Iterator[CleanupFlag]:
    """Flag this cloud's candidates whose ``expires`` tag lies in the past; never protected ones.

    Candidates of other clouds are left to their own plugins' policies.
    """
    now = now or datetime.now(UTC)
    for c in candidates:
        if c.protected or c.location.cloud != CLOUD:
            continue
        expires = parse_expires(c.resource.tags.get(EXPIRES_TAG))
        if expires is not None and expires < now:
            yield CleanupFlag(c.node_id, EXPIRY_POLICY, f"{EXPIRES_TAG} {expires.isoformat()} is past")


def _known_kind(resource: BaseResource) -> str:
    kind = resource.kind
    if kind not in KIND_CLASSES:
        raise NotSupported(f"the example cloud has no kind {kind}")
    return kind


def pre_cleanup(resource: BaseResource, store: ExampleStore) -> None:
    """Detach an attached volume (it becomes ``available``); other kinds need nothing."""
    kind = _known_kind(resource)
    record = store.get(kind, resource.id)
    if record is None:
        raise ResourceGone(f"{kind} {resource.id} no longer exists")
    if kind == ExampleVolume.kind and record.get("attached_to"):
        try:
            store.set_fields(kind, resource.id, attached_to=None, volume_status="available")
        except RecordNotFound as e:
            raise ResourceGone(str(e)) from e
        log.debug("example cloud: detached volume %s", resource.id)


def check_resource(resource: BaseResource, store: ExampleStore) -> BaseResource | None:
    """The resource as the store has it now, or ``None`` when it is gone."""
    record = store.get(_known_kind(resource), resource.id)
    return resource_from_record(record) if record is not None else None


def delete_resource(resource: BaseResource, store: ExampleStore) -> None:
    """Delete it from the store (which logs the delete)."""
    kind = _known_kind(resource)
    if not KIND_CLASSES[kind].deletable:
        raise NotSupported(f"{kind} cannot be deleted")
    try:
        store.delete(kind, resource.id)
    except RecordNotFound as e:
        raise ResourceGone(str(e)) from e
