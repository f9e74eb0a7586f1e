"""Collection: split the example cloud into units and stream one unit's resources into the graph."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from typing import Any

from resoto_hookspecs import CollectionUnit, GraphBuilder, Reporter
from resoto_hookspecs.graph import EdgeType

from resoto_plugin_example.config import ExampleConfig
from resoto_plugin_example.resources import (
    KIND_CLASSES,
    ExampleAccount,
    ExampleInstance,
    ExampleNetwork,
    ExampleRegion,
    ExampleVolume,
    resource_from_record,
)
from resoto_plugin_example.store import ExampleStore, select

log = logging.getLogger(__name__)

CLOUD = "example"
SERVICE = "example"

_release = threading.Event()


def release_waits() -> None:
    """End every wait of ``hang_regions`` / ``slow_seconds`` now (tests call this when done)."""
    _release.set()


def rearm_waits() -> None:
    """Make ``hang_regions`` / ``slow_seconds`` wait again after :func:`release_waits`."""
    _release.clear()


def wait_interruptibly(seconds: float, cancel: threading.Event | None = None) -> bool:
    """Sleep up to ``seconds``. Returns ``False`` when cut short.

    A wait ends early when ``cancel`` is set (the kernel's per-unit ``builder.cancel_event``: unit
    timeout, abort, shutdown), when :func:`release_waits` is called, or when the main thread has
    finished (the interpreter is shutting down), so a hanging unit never holds a process for an hour.
    """
    deadline = time.monotonic() + seconds
    main = threading.main_thread()
    wake = cancel if cancel is not None else _release

    def interrupted() -> bool:
        return _release.is_set() or (cancel is not None and cancel.is_set()) or not main.is_alive()

    while (remaining := deadline - time.monotonic()) > 0:
        if interrupted():
            return False
        wake.wait(min(remaining, 0.05))
    return True


COLLECT_OPERATIONS = ("ListAccounts", "ListResources")
CHANGE_OPERATIONS = ("DetachVolume", "DeleteResource", "TagResource", "UntagResource")


def access_policy(include_cleanup: bool) -> dict[str, Any]:
    """The operations the plugin calls, in the shape of a minimal policy document.

    The example cloud has no access control; a real plugin returns its cloud's policy language here.
    """
    operations = [*COLLECT_OPERATIONS, *(CHANGE_OPERATIONS if include_cleanup else ())]
    return {"cloud": CLOUD, "allow": [f"{SERVICE}:{op}" for op in operations]}


def unit_name(account_id: str, region_id: str) -> str:
    return f"{account_id}/{region_id}"


def collection_units(config: ExampleConfig, reporter: Reporter) -> Iterator[CollectionUnit]:
    """One unit per account × region of the store, limited to ``config.accounts`` when set."""
    store = ExampleStore(config.state_file)
    accounts = store.accounts()
    reporter.api_call(SERVICE, "ListAccounts")
    known = {a["id"] for a in accounts}
    for missing in sorted(set(config.accounts) - known):
        reporter.error(f"configured account {missing} does not exist in the example cloud")
    for acc in accounts:
        if config.accounts and acc["id"] not in config.accounts:
            continue
        account = ExampleAccount.model_validate({k: v for k, v in acc.items() if k != "regions"})
        for reg in acc["regions"]:
            region = ExampleRegion.model_validate(reg)
            name = unit_name(account.id, region.id)
            yield CollectionUnit(
                CLOUD, account, region, name, payload={"account": account.id, "region": region.id}
            )


def _refused_kinds(
    config: ExampleConfig, account: str, region: str | None, kinds: set[str]
) -> dict[str, bool]:
    """The kinds ``deny_kinds`` (True) or ``fail_kinds`` (False) make unreadable in this unit."""
    from fnmatch import fnmatchcase

    refused: dict[str, bool] = {}
    for patterns, denied in ((config.fail_kinds, False), (config.deny_kinds, True)):
        for pattern in patterns:
            for kind in kinds | set(KIND_CLASSES):
                if fnmatchcase(f"{account}/{region}/{kind}", pattern):
                    refused[kind] = denied
    return refused


def collect(unit: CollectionUnit, config: ExampleConfig, builder: GraphBuilder, reporter: Reporter) -> None:
    """Stream one account × region: networks, their instances, volumes and custom resources.

    Default edges run region → network → instance → volume (an unattached volume hangs below the
    region). Delete edges say what must go first: ``volume -delete-> instance`` and
    ``network -delete-> instance``.
    """
    if unit.name in config.fail_regions:
        raise RuntimeError(f"collect of {unit.name} fails on purpose (example.fail_regions)")
    if unit.name in config.hang_regions:
        log.info("collect of %s hangs on purpose (example.hang_regions)", unit.name)
        if not wait_interruptibly(3600, builder.cancel_event):
            builder.check_cancelled()
            raise RuntimeError(f"collect of {unit.name} was interrupted while hanging")
    if config.slow_seconds and not wait_interruptibly(config.slow_seconds, builder.cancel_event):
        builder.check_cancelled()
        raise RuntimeError(f"collect of {unit.name} was interrupted while slow")

    payload: dict[str, Any] = unit.payload or {}
    account_id = payload.get("account", unit.account.id)
    region_id = payload.get("region", unit.region.id if unit.region else None)
    doc = ExampleStore(config.state_file).load()
    reporter.api_call(SERVICE, "ListResources")
    records = select(doc, account=account_id, region=region_id)
    present = {(r["kind"], r["id"]) for r in records}

    def node(kind: str, rid: str | None) -> str | None:
        return builder.node_id(kind, rid) if rid is not None and (kind, rid) in present else None

    refused = _refused_kinds(config, account_id, region_id, {r.get("kind", "") for r in records})
    for kind, denied in sorted(refused.items()):
        # how a plugin reports a kind it could not read: the kernel withholds just that kind here
        if denied:
            reporter.skip(
                f"{SERVICE}: access denied listing {kind}", kind=kind, service=SERVICE, code="AccessDenied"
            )
        else:
            reporter.error(
                f"listing {kind} failed: internal error", kind=kind, service=SERVICE, code="InternalError"
            )
    for rec in records:
        if rec.get("kind") in refused:
            continue
        try:
            resource = resource_from_record(rec)
        except (KeyError, ValueError) as e:  # unknown kind or a malformed record: skip just this one
            reporter.error(
                f"record {rec.get('id')} cannot be read: {e}", kind=rec.get("kind"), service=SERVICE
            )
            continue
        parent: str | None = None
        if isinstance(resource, ExampleInstance):
            parent = node(ExampleNetwork.kind, resource.network_id)
        elif isinstance(resource, ExampleVolume):
            parent = node(ExampleInstance.kind, resource.attached_to)
        builder.add(resource, parent=parent)
        if isinstance(resource, ExampleInstance) and parent is not None:
            builder.add_edge(parent, resource, EdgeType.delete)  # the network goes after its instances
        elif isinstance(resource, ExampleVolume) and parent is not None:
            builder.add_edge(resource, parent, EdgeType.delete)  # the volume goes after its instance
