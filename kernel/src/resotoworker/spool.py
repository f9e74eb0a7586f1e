"""On-disk spooling of collected graphs, and assembly of one account's merge stream.

Each collection unit writes its node lines and edges into its own files as it goes (a
:class:`UnitSink`), so memory stays flat however large the estate. When every unit of an account
has finished, :func:`assemble_account` writes the account's merge body: the hierarchy, the nodes of
the units that may be sent, then validated edges. What may be sent, and where the core's replace
starts, follows from the units' outcomes (the failure-scoped replace):

* every unit complete: ``replace`` on the account node; the core replaces the whole account.
* some units failed: ``replace`` on each region whose units all completed; failed regions, and
  units filed directly below the account, are not sent, so the core keeps their last good data.
  Edges into nodes the core keeps become deferred edges (resolved by the core by node id).
* nothing completed: nothing is sent for the account.
"""

from __future__ import annotations

import fcntl
import logging
import os
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from resoto_hookspecs import BaseRegion, Cloud, CollectionUnit, GraphRoot, MergeScope
from resoto_hookspecs.graph import (
    ROOT_ID,
    EdgeProblem,
    account_node_id,
    cloud_node_id,
    deferred_edge_line,
    edge_line,
    node_line,
    node_line_id,
    node_line_kind,
    region_node_id,
    validate_edges,
)

from resotoworker.carry import Carried

log = logging.getLogger(__name__)

PROCESS_DIR_PREFIX = "resoto-worker-"
OWNER_LOCK = ".owner.lock"
UNLOCKED_GRACE = 60.0  # a process directory without its lock file is only stale after this long


class AccountSpool:
    """The spool directory and the shared state of one account's units."""

    def __init__(self, directory: Path, cloud: str, account: MergeScope) -> None:
        self.directory = directory
        self.cloud = cloud
        self.account = account
        directory.mkdir(parents=True, exist_ok=True)
        self.units: list[UnitSink] = []

    def sink(self, unit: CollectionUnit) -> UnitSink:
        sink = UnitSink(self, unit, len(self.units))
        self.units.append(sink)
        return sink


class UnitSink:
    """A :class:`~resoto_hookspecs.GraphSink` that spools one unit's output to two files."""

    def __init__(self, account: AccountSpool, unit: CollectionUnit, index: int) -> None:
        self.account = account
        self.unit = unit
        self.nodes_path = account.directory / f"unit-{index}.nodes"
        self.edges_path = account.directory / f"unit-{index}.edges"
        self.refs_path = account.directory / f"unit-{index}.refs"
        self._nodes: Any = None
        self._edges: Any = None
        self._lock = threading.Lock()
        self.ids: set[str] = set()
        self.kinds: Counter[str] = Counter()
        self.kind_seconds: defaultdict[str, float] = defaultdict(float)
        self._last = 0.0
        self.nodes = 0
        self.edges = 0
        self.closed = False

    def summary(self) -> dict[str, Any]:
        """What the parent needs of a sink filled in a child process."""
        return {
            "ids": self.ids,
            "kinds": self.kinds,
            "kind_seconds": self.kind_seconds,
            "nodes": self.nodes,
            "edges": self.edges,
        }

    def restore(self, summary: dict[str, Any]) -> None:
        """Take over what a child process wrote into this sink's files."""
        self.closed = True
        self.ids, self.kinds, self.kind_seconds = summary["ids"], summary["kinds"], summary["kind_seconds"]
        self.nodes, self.edges = summary["nodes"], summary["edges"]

    def open(self) -> None:
        """Open the spool files; done when the unit starts, so idle units hold no file or buffer."""
        self._last = time.perf_counter()
        with self._lock:
            if self._nodes is None and not self.closed:
                self._nodes = open(self.nodes_path, "wb", buffering=1 << 16)  # noqa: SIM115  (closed in close())
                self._edges = open(self.edges_path, "w", buffering=1 << 16, encoding="utf-8")  # noqa: SIM115

    def add_node(self, nid: str, kind: str, line: bytes) -> None:
        with self._lock:
            if self.closed or self._nodes is None or nid in self.ids:
                return
            self._nodes.write(line)
            self.ids.add(nid)
            self.kinds[kind] += 1
            self.nodes += 1
            now = time.perf_counter()
            self.kind_seconds[kind] += now - self._last
            self._last = now

    def add_child(self, nid: str, kind: str, line: bytes, parent: str) -> None:
        """A node and the default edge from its parent, under one lock (the builder's fast path)."""
        with self._lock:
            if self.closed or self._nodes is None or nid in self.ids:
                return
            self._nodes.write(line)
            self._edges.write(f"{parent}\t{nid}\tdefault\n")
            self.ids.add(nid)
            kinds = self.kinds
            kinds[kind] = kinds.get(kind, 0) + 1
            self.nodes += 1
            self.edges += 1
            now = time.perf_counter()
            self.kind_seconds[kind] += now - self._last
            self._last = now

    def add_edge(self, from_id: str, to_id: str, edge_type: str) -> None:
        with self._lock:
            if self.closed or self._edges is None:
                return
            self._edges.write(f"{from_id}\t{to_id}\t{edge_type}\n")
            self.edges += 1

    def add_ref_edge(self, from_id: str, to_id: str, edge_type: str) -> None:
        """An edge to a node of another account or region (``GraphBuilder.ref``), decided at assembly."""
        with self._lock:
            if self.closed or self._edges is None:
                return
            with open(self.refs_path, "a", encoding="utf-8") as refs:  # rare: opened per edge
                refs.write(f"{from_id}\t{to_id}\t{edge_type}\n")
            self.edges += 1

    def close(self) -> None:
        with self._lock:
            if not self.closed:
                self.closed = True
                if self._nodes is not None:
                    self._nodes.close()
                    self._edges.close()

    def read_edges(self, path: Path | None = None) -> list[tuple[str, str, str]]:
        """The spooled edges (one unit's edges fit in memory; its nodes never have to)."""
        path = path or self.edges_path
        if not path.exists():
            return []
        with open(path, encoding="utf-8") as f:
            return [tuple(line.split("\t")) for line in f.read().splitlines()]  # type: ignore[misc]


@dataclass
class AccountOutput:
    """One account's merge body, ready to send: the concatenation of ``parts``, in order.

    The parts are a small head (the hierarchy), the units' own spool files of node lines, and the
    validated edges, so no node line is copied again before it is sent.
    """

    cloud: str
    account_id: str
    account_name: str
    head_path: Path  # the hierarchy lines; the whole body is `parts` (see `chunks()`)
    nodes: int
    edges: int
    replace: str  # "account", "regions" or "none"
    regions_replaced: list[str] = field(default_factory=list)
    regions_kept: list[str] = field(default_factory=list)
    problems: list[EdgeProblem] = field(default_factory=list)
    kinds: Counter[str] = field(default_factory=Counter)
    kind_seconds: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))
    deferred_edges: int = 0
    parts: list[Path] = field(default_factory=list)
    carried: Counter[str] = field(default_factory=Counter)  # kind -> stale nodes carried forward

    def chunks(self, size: int = 1 << 18) -> Iterator[bytes]:
        """The merge body, read part by part."""
        for part in self.parts:
            with open(part, "rb") as f:
                while chunk := f.read(size):
                    yield chunk

    @property
    def size(self) -> int:
        return sum(p.stat().st_size for p in self.parts)


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def assemble_account(
    spool: AccountSpool,
    complete: dict[int, bool],
    out_path: Path,
    withheld: dict[str | None, set[str]] | None = None,
    carried: dict[str | None, Carried] | None = None,
) -> AccountOutput | None:
    """Write the merge body of one finished account to ``out_path``.

    :param spool: The account's spool; every unit sink must be closed.
    :param complete: For each unit index, whether the unit completed.
    :param withheld: Per region id (``None``: below the account), the kinds that could not be read:
        what the units spooled of them is left out, with the edges to it.
    :param carried: Per region id, the core's last known good nodes of the withheld kinds, sent
        instead (marked stale), with their edges to nodes that are still there.
    :returns: What was written, or ``None`` when nothing may be sent.
    """
    cloud, account = spool.cloud, spool.account
    withheld = {r: k for r, k in (withheld or {}).items() if k}
    carried = carried or {}
    sinks = spool.units
    account_complete = bool(sinks) and all(complete.get(s_idx, False) for s_idx in range(len(sinks)))
    region_units: dict[str, list[UnitSink]] = {}
    regions: dict[str, BaseRegion] = {}
    for sink in sinks:
        if sink.unit.region is not None:
            region_units.setdefault(sink.unit.region.id, []).append(sink)
            regions[sink.unit.region.id] = sink.unit.region
    index = {id(s): i for i, s in enumerate(sinks)}
    regions_ok = {
        rid: all(complete.get(index[id(s)], False) for s in units) for rid, units in region_units.items()
    }
    if account_complete:
        send = list(sinks)
        replace_regions: list[str] = []
    else:
        send = [s for s in sinks if s.unit.region is not None and regions_ok[s.unit.region.id]]
        replace_regions = [rid for rid, ok in regions_ok.items() if ok]
    if not send:
        return None
    kept_regions = [rid for rid, ok in regions_ok.items() if not ok]

    acc_id = account_node_id(cloud, account)
    cld_id = cloud_node_id(cloud)
    sent_regions = [rid for rid in regions if account_complete or regions_ok[rid]]
    reg_ids = {rid: region_node_id(cloud, account.id, regions[rid]) for rid in sent_regions}
    sent_keys = {s.unit.region.id if s.unit.region is not None else None for s in send}

    node_ids: set[str] = {ROOT_ID, cld_id, acc_id, *reg_ids.values()}
    held_ids: set[str] = set()  # produced by units that are not sent: the core keeps them
    for sink in sinks:
        (node_ids if sink in send else held_ids).update(sink.ids)
    held_ids -= node_ids

    output = AccountOutput(
        cloud=cloud,
        account_id=account.id,
        account_name=account.name,
        head_path=out_path,
        nodes=0,
        edges=0,
        replace="account" if account_complete else "regions",
        regions_replaced=sorted(replace_regions),
        regions_kept=sorted(kept_regions),
    )
    exported_at = _now()
    output.parts.append(out_path)
    with open(out_path, "wb") as out:
        out.write(node_line(ROOT_ID, GraphRoot(id="root", name="root")))
        out.write(node_line(cld_id, Cloud(id=cloud, name=cloud)))
        acc_md: dict[str, Any] = {"exported_at": exported_at}
        if account_complete:
            acc_md["replace"] = True
        out.write(node_line(acc_id, account, extra_metadata=acc_md))
        output.nodes = 3
        for rid in sent_regions:
            reg_md: dict[str, Any] = {"exported_at": exported_at}
            if not account_complete:
                reg_md["replace"] = True
            out.write(node_line(reg_ids[rid], regions[rid], extra_metadata=reg_md))
            output.nodes += 1
    written: set[str] = set()
    dropped: set[str] = set()  # spooled nodes of withheld kinds: not sent
    for sink in send:
        if not sink.nodes:
            continue
        key = sink.unit.region.id if sink.unit.region is not None else None
        skip_kinds = withheld.get(key, set()) & set(sink.kinds)
        if written.isdisjoint(sink.ids) and not skip_kinds:
            output.parts.append(sink.nodes_path)  # sent as spooled: no copy
            output.nodes += sink.nodes
            output.kinds.update(sink.kinds)
            written |= sink.ids
        else:  # filtered: nodes another unit sent already, or of a withheld kind
            filtered = sink.nodes_path.with_suffix(".unique")
            with open(filtered, "wb") as out:
                output.nodes += _copy_new_nodes(sink, written, out, output.kinds, skip_kinds, dropped)
            output.parts.append(filtered)
        for kind, secs in sink.kind_seconds.items():
            output.kind_seconds[kind] += secs
    node_ids -= dropped
    carried_ids: dict[str, str] = {}  # carried node -> the node it hangs below if its parent is gone
    carried_path = out_path.with_suffix(".carried.ndjson")
    carried_edges: list[tuple[str, str, str]] = []
    with open(carried_path, "wb") as out:
        for key, found in carried.items():
            if key not in sent_keys:
                continue
            anchor = reg_ids.get(key, acc_id) if key is not None else acc_id
            for line, nid in zip(found.lines, found.line_ids, strict=True):
                if nid in node_ids:
                    continue  # read fresh after all (by another unit): the fresh node wins
                out.write(line)
                carried_ids[nid] = anchor
                output.nodes += 1
            output.carried.update(found.kinds)
            carried_edges.extend(found.edges)
    output.parts.append(carried_path)
    node_ids |= carried_ids.keys()
    hierarchy = [(ROOT_ID, cld_id, "default"), (cld_id, acc_id, "default")]
    hierarchy += [(acc_id, reg_ids[rid], "default") for rid in sent_regions]
    edges: list[tuple[str, str, str]] = []
    deferred: list[tuple[str, str, str]] = []
    for sink in send:
        sink_edges = sink.read_edges()
        if dropped:  # edges to nodes of withheld kinds go with them (or come back with the carried ones)
            sink_edges = [e for e in sink_edges if e[0] not in dropped and e[1] not in dropped]
        if not held_ids:  # the usual case: every node of the account is sent
            edges.extend(sink_edges)
            continue
        for edge in sink_edges:
            f, t, _ = edge
            if (f in node_ids) != (t in node_ids) and (f in held_ids or t in held_ids):
                deferred.append(edge)
            else:
                edges.append(edge)
    for sink in send:  # edges to other accounts and regions: deferred unless the merge holds both ends
        for edge in sink.read_edges(sink.refs_path):
            if edge[0] in dropped or edge[1] in dropped:
                continue  # from or to a node of a withheld kind that is not sent
            (edges if edge[0] in node_ids and edge[1] in node_ids else deferred).append(edge)
    if carried_ids:
        # a carried node keeps its edges to nodes still there; one whose parent is gone hangs
        # below its region, so the merge stays one tree
        edges.extend(e for e in carried_edges if e[0] in node_ids and e[1] in node_ids)
        has_parent = {t for f, t, et in edges if et == "default" and t in carried_ids}
        edges.extend((anchor, nid, "default") for nid, anchor in carried_ids.items() if nid not in has_parent)
    kept, problems = validate_edges(node_ids, hierarchy + edges)
    output.problems = problems
    edges_path = out_path.with_suffix(".edges.ndjson")
    output.parts.append(edges_path)
    with open(edges_path, "wb", buffering=1 << 20) as out:
        for f, t, et in kept:
            out.write(edge_line(f, t, et))
        output.edges = len(kept)
        for f, t, et in deferred:
            out.write(deferred_edge_line(f, t, et))
        output.deferred_edges = len(deferred)
    return output


def _copy_new_nodes(
    sink: UnitSink,
    written: set[str],
    out: Any,
    kinds: Counter[str],
    skip_kinds: set[str] | frozenset[str] = frozenset(),
    dropped: set[str] | None = None,
) -> int:
    """Copy the sink's node lines that are not in ``written`` and not of ``skip_kinds``.

    Adds the copied ids to ``written`` and the ids left out for their kind to ``dropped``.
    """
    count = 0
    with open(sink.nodes_path, "rb") as src:
        for line in src:
            nid = node_line_id(line)
            if nid in written:
                continue
            kind = node_line_kind(line)
            if kind in skip_kinds:
                if dropped is not None:
                    dropped.add(nid)
                continue
            out.write(line)
            written.add(nid)
            count += 1
            if kind:
                kinds[kind] += 1
    return count


def remove_tree(path: Path) -> None:
    """Remove a spool directory; errors are logged, never raised."""
    if not path.exists():
        return
    for root, dirs, files in os.walk(path, topdown=False):
        for name in files:
            try:
                os.unlink(os.path.join(root, name))
            except OSError as exc:
                log.warning("could not remove spool file %s: %s", name, exc)
        for name in dirs:
            try:
                os.rmdir(os.path.join(root, name))
            except OSError:
                pass
    try:
        os.rmdir(path)
    except OSError as exc:
        log.warning("could not remove spool directory %s: %s", path, exc)


class ProcessSpoolDir:
    """A directory for one worker process's spool files, locked for as long as the process lives.

    The lock (``flock`` on a file inside) goes away with the process however it ends, even by
    ``kill -9``, so :func:`remove_stale_spools` can tell the leftovers of a dead worker from the
    directories of live workers sharing the same temp directory.
    """

    def __init__(self, base: Path) -> None:
        base.mkdir(parents=True, exist_ok=True)
        self.base = base
        self.path = Path(tempfile.mkdtemp(prefix=f"{PROCESS_DIR_PREFIX}{os.getpid()}-", dir=base))
        self._lock_fd: int | None = os.open(self.path / OWNER_LOCK, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def release(self) -> None:
        """Remove the directory and everything in it (at a clean shutdown)."""
        remove_tree(self.path)
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None


def remove_stale_spools(base: Path) -> list[Path]:
    """Remove the process spool directories in ``base`` whose worker process is gone.

    Returns the removed directories. Directories of live workers (their lock is held) are left alone.
    """
    removed: list[Path] = []
    try:
        entries = list(base.iterdir())
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.startswith(PROCESS_DIR_PREFIX) or not entry.is_dir() or entry.is_symlink():
            continue
        lock = entry / OWNER_LOCK
        try:
            fd = os.open(lock, os.O_RDWR)
        except FileNotFoundError:
            # just being created by another process, or a leftover from before the lock existed
            try:
                if time.time() - entry.stat().st_mtime > UNLOCKED_GRACE:
                    remove_tree(entry)
                    removed.append(entry)
            except OSError:
                pass
            continue
        except OSError as exc:
            log.warning("cannot inspect spool directory %s: %s", entry, exc)
            continue
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # its worker is alive
            remove_tree(entry)
            removed.append(entry)
        finally:
            os.close(fd)
    for path in removed:
        log.info("removed the spool files of a worker that is gone: %s", path)
    return removed
