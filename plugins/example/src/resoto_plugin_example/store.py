"""The example cloud's state: where its resources live between calls, and between processes.

:class:`ExampleStore` plays the part of a cloud API. It keeps the document described in
:mod:`resoto_plugin_example.inventory` either

* in a JSON file (``ExampleStore("/path/state.json")``): every change is a read-modify-write under
  an exclusive ``flock`` on the sidecar ``<path>.lock`` and lands with an atomic ``os.replace``, so
  any number of threads and processes can share the file and readers never see a half-written one.
  A missing file is created from the default inventory on first use; or
* in memory (``ExampleStore(None)`` or ``""``): one default inventory per process, shared by every
  store object of that process and guarded by a lock.

It uses the standard library only, so tests and tools can import it without the plugin API.
"""

from __future__ import annotations

import contextlib
import copy
import fcntl
import json
import logging
import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, TypeVar

from resoto_plugin_example.inventory import RESOURCE_KIND_ORDER, default_inventory

log = logging.getLogger(__name__)

T = TypeVar("T")
Document = dict[str, Any]
Record = dict[str, Any]

DELETE_REFUSED = "delete refused by the example cloud"


class RecordNotFound(LookupError):
    """The store holds no resource of this kind and id."""

    def __init__(self, kind: str, rid: str) -> None:
        super().__init__(f"{kind} {rid} does not exist in the example cloud")
        self.kind = kind
        self.id = rid


class DeleteRefused(RuntimeError):
    """The record is marked ``fail_delete``: the example cloud refuses to delete it."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


class _Backend(Protocol):
    def read(self, fn: Callable[[Document], T]) -> T: ...

    def write(self, fn: Callable[[Document], T]) -> T: ...


class _MemoryBackend:
    """The per-process in-memory document."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._doc: Document | None = None

    def _document(self) -> Document:
        if self._doc is None:
            self._doc = default_inventory()
        return self._doc

    def read(self, fn: Callable[[Document], T]) -> T:
        with self._lock:
            return copy.deepcopy(fn(self._document()))

    def write(self, fn: Callable[[Document], T]) -> T:
        with self._lock:
            return copy.deepcopy(fn(self._document()))

    def reset(self, doc: Document | None) -> None:
        with self._lock:
            self._doc = doc


_memory = _MemoryBackend()


class _FileBackend:
    """A JSON file shared by threads and processes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock_path = path.with_name(path.name + ".lock")

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        # flock locks belong to the open file description, so each call opens its own descriptor:
        # that excludes other threads of this process as well as other processes.
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing the last descriptor releases the lock

    def _load(self) -> Document | None:
        try:
            with self.path.open("rb") as f:
                doc: Document = json.load(f)
                return doc
        except FileNotFoundError:
            return None

    def _save(self, doc: Document) -> None:
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(doc, f, indent=1)
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    def read(self, fn: Callable[[Document], T]) -> T:
        doc = self._load()  # os.replace makes every read see one whole version: no lock needed
        if doc is None:
            doc = self.write(lambda d: d)
        return fn(doc)

    def write(self, fn: Callable[[Document], T]) -> T:
        with self._locked():
            doc = self._load()
            if doc is None:
                log.info("creating the example cloud's state file %s from the default inventory", self.path)
                doc = default_inventory()
            result = fn(doc)
            self._save(doc)
            return result

    def replace(self, doc: Document) -> None:
        with self._locked():
            self._save(doc)


class ExampleStore:
    """The example cloud's resources: read them, change them, and see what was changed.

    :param path: The JSON state file, or ``None`` / ``""`` for the per-process in-memory inventory.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path: Path | None = Path(path) if path else None
        self._backend: _Backend = _FileBackend(self.path) if self.path else _memory

    def __repr__(self) -> str:
        return f"ExampleStore({str(self.path) if self.path else None!r})"

    # -- reading ------------------------------------------------------------------------------

    def load(self) -> Document:
        """The whole document, as a fresh copy (creating the state file if needed)."""
        return self._backend.read(lambda doc: doc)

    def accounts(self) -> list[Record]:
        """The accounts, each with its ``regions``."""
        return self._backend.read(lambda doc: list(doc["accounts"]))

    def resources(
        self, kind: str | None = None, *, account: str | None = None, region: str | None = None
    ) -> list[Record]:
        """The resource records, optionally of one kind and in one account and region.

        Without ``kind``, every kind in the order networks, instances, volumes, custom resources.
        """
        return self._backend.read(lambda doc: select(doc, kind, account=account, region=region))

    def get(self, kind: str, rid: str) -> Record | None:
        """The record of one resource, or ``None`` when it does not exist."""

        def find(doc: Document) -> Record | None:
            rec: Record | None = doc["resources"].get(kind, {}).get(rid)
            return rec

        return self._backend.read(find)

    def deleted_log(self) -> list[Record]:
        """Every delete so far, in the order it happened: ``{"kind", "id", "account", "region", "at"}``."""
        return self._backend.read(lambda doc: list(doc["deleted"]))

    def tag_log(self) -> list[Record]:
        """Every tag change so far, in order: ``{"op", "kind", "id", "key", "value", "at"}``."""
        return self._backend.read(lambda doc: list(doc["tag_log"]))

    # -- changing -----------------------------------------------------------------------------

    def delete(self, kind: str, rid: str) -> Record:
        """Delete a resource and log it. Returns the deleted record.

        Deleting an instance detaches its volumes (they become ``available``), like a cloud that keeps
        volumes when their instance terminates.

        :raises RecordNotFound: It does not exist (any more).
        :raises DeleteRefused: Its record is marked ``fail_delete``.
        """

        def change(doc: Document) -> Record:
            rec = _find(doc, kind, rid)
            if rec.get("fail_delete"):
                raise DeleteRefused(DELETE_REFUSED)
            del doc["resources"][kind][rid]
            if kind == "example_instance":
                for vol in doc["resources"].get("example_volume", {}).values():
                    if vol.get("attached_to") == rid:
                        vol["attached_to"] = None
                        vol["volume_status"] = "available"
            doc["deleted"].append(
                {
                    "kind": kind,
                    "id": rid,
                    "account": rec.get("account"),
                    "region": rec.get("region"),
                    "at": _now(),
                }
            )
            return rec

        deleted = self._backend.write(change)
        log.debug("example cloud: deleted %s %s", kind, rid)
        return deleted

    def update_tag(self, kind: str, rid: str, key: str, value: str | None) -> Record:
        """Set a tag (``value=None``: a key-only tag) and log it. Returns the changed record.

        :raises RecordNotFound: It does not exist.
        """

        def change(doc: Document) -> Record:
            rec = _find(doc, kind, rid)
            rec.setdefault("tags", {})[key] = value
            doc["tag_log"].append(
                {"op": "update", "kind": kind, "id": rid, "key": key, "value": value, "at": _now()}
            )
            return rec

        return self._backend.write(change)

    def delete_tag(self, kind: str, rid: str, key: str) -> Record:
        """Remove a tag if it is there, and log it. Returns the changed record.

        :raises RecordNotFound: It does not exist.
        """

        def change(doc: Document) -> Record:
            rec = _find(doc, kind, rid)
            existed = key in rec.get("tags", {})
            rec.get("tags", {}).pop(key, None)
            doc["tag_log"].append(
                {"op": "delete", "kind": kind, "id": rid, "key": key, "existed": existed, "at": _now()}
            )
            return rec

        return self._backend.write(change)

    def set_fields(self, kind: str, rid: str, **fields: Any) -> Record:
        """Change fields of a record (a status, a link, or a test aid such as ``fail_delete=True``).

        :raises RecordNotFound: It does not exist.
        """

        def change(doc: Document) -> Record:
            rec = _find(doc, kind, rid)
            rec.update(fields)
            return rec

        return self._backend.write(change)

    def add(self, record: Record) -> Record:
        """Add (or overwrite) a record; it needs ``kind``, ``id``, ``account`` and ``region``."""
        missing = {"kind", "id", "account", "region"} - record.keys()
        if missing:
            raise ValueError(f"record lacks {sorted(missing)}")

        def change(doc: Document) -> Record:
            doc["resources"].setdefault(record["kind"], {})[record["id"]] = dict(record)
            return record

        return self._backend.write(change)

    def replace(self, doc: Document) -> None:
        """Replace the whole document (for tests and tools)."""
        if isinstance(self._backend, _FileBackend):
            self._backend.replace(doc)
        else:
            _memory.reset(copy.deepcopy(doc))


def select(
    doc: Document, kind: str | None = None, *, account: str | None = None, region: str | None = None
) -> list[Record]:
    """The records of a document, filtered like :meth:`ExampleStore.resources`."""
    kinds = (
        [kind]
        if kind
        else [*RESOURCE_KIND_ORDER, *(k for k in doc["resources"] if k not in RESOURCE_KIND_ORDER)]
    )
    return [
        rec
        for k in kinds
        for rec in doc["resources"].get(k, {}).values()
        if (account is None or rec.get("account") == account)
        and (region is None or rec.get("region") == region)
    ]


def _find(doc: Document, kind: str, rid: str) -> Record:
    rec: Record | None = doc["resources"].get(kind, {}).get(rid)
    if rec is None:
        raise RecordNotFound(kind, rid)
    return rec


def seed_default(
    path: str | os.PathLike[str] | None,
    accounts: int = 2,
    regions: int = 2,
    networks: int = 2,
    instances: int = 3,
) -> ExampleStore:
    """Write a fresh default inventory of this shape to ``path`` (overwriting it) and open it.

    With ``path=None`` the per-process in-memory inventory is reset to it instead.
    """
    store = ExampleStore(path)
    store.replace(
        default_inventory(accounts=accounts, regions=regions, networks=networks, instances=instances)
    )
    return store


def reset_memory_store() -> None:
    """Forget the in-memory inventory: the next use starts again from the default."""
    _memory.reset(None)
