"""The graph builder plugins stream their resources into.

A :class:`GraphBuilder` belongs to one collection unit. ``add`` turns a resource into its node line
right away and hands it to a :class:`GraphSink` (the kernel's sink spools to disk), so a plugin never
holds a whole cloud in memory. ``add_edge`` connects two nodes. Node ids are derived from the
resource's kind, cloud, account, region and id, so any unit can refer to a node another unit of the
same account produces (``builder.node_id(...)``), and ids stay stable from run to run.

What it validates: unknown edge types, self-loops and edges from resources that were never added are
reported and dropped at once; edges to nodes that never arrive and cycles over one edge type are
found when the account is complete (:func:`validate_edges`), and only the offending edges go.

Testing a plugin without the kernel::

    sink = MemorySink()
    builder = GraphBuilder(unit, sink, RecordingReporter())
    plugin.collect(unit=unit, config=cfg, builder=builder, reporter=builder.reporter)
    problems = sink.validate()
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from resoto_hookspecs.context import CollectionUnit, RecordingReporter, Reporter
from resoto_hookspecs.errors import CollectionCancelled
from resoto_hookspecs.resources import NODE_ID_SLOT, BaseResource, PhantomResource

log = logging.getLogger(__name__)

MAX_LINE_BYTES = 4 * 1024 * 1024
"""The largest node line sent to the core. The core reads ndjson with a 5 MiB buffer; we keep clear of it."""


class EdgeType(StrEnum):
    """The two edge types the core knows. ``A -delete-> B`` means B must be deleted before A."""

    default = "default"
    delete = "delete"


EDGE_TYPES = frozenset(e.value for e in EdgeType)


def node_id(kind: str, cloud: str, account: str | None, region: str | None, resource_id: str) -> str:
    """The stable node id of a resource: URL-safe base64 of a 16-byte BLAKE2b over its identity."""
    key = f"{kind}\x1f{cloud}\x1f{account or ''}\x1f{region or ''}\x1f{resource_id}".encode()
    return _b64(hashlib.blake2b(key, digest_size=16).digest())[:22].decode()


_b64 = base64.urlsafe_b64encode

ROOT_ID = "root"
"""The node id of the graph root every merge starts from."""


def cloud_node_id(cloud: str) -> str:
    """The node id of a cloud (the kernel writes the cloud node above every account)."""
    return node_id("cloud", cloud, None, None, cloud)


def account_node_id(cloud: str, account: BaseResource) -> str:
    """The node id of an account (or other merge scope) of ``cloud``."""
    return node_id(type(account).kind, cloud, account.id, None, account.id)


def region_node_id(cloud: str, account_id: str, region: BaseResource) -> str:
    """The node id of a region of the account ``account_id``."""
    return node_id(type(region).kind, cloud, account_id, region.id, region.id)


_metadata_cache: dict[tuple[type[BaseResource], bool], bytes] = {}
_kind_suffix: dict[type[BaseResource], bytes] = {}


def python_type(cls: type[Any]) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _metadata_json(cls: type[BaseResource], protected: bool) -> bytes:
    cached = _metadata_cache.get((cls, protected))
    if cached is None:
        phantom = issubclass(cls, PhantomResource)
        md = {"python_type": python_type(cls), "cleaned": False, "phantom": phantom, "protected": protected}
        cached = json.dumps(md, separators=(",", ":")).encode()
        _metadata_cache[(cls, protected)] = cached
    return cached


def reported_json(resource: BaseResource) -> bytes:
    """The ``reported`` section of a resource: its fields without nulls, plus ``kind``."""
    cls = type(resource)
    suffix = _kind_suffix.get(cls)
    if suffix is None:
        suffix = _kind_suffix[cls] = b',"kind":' + json.dumps(cls.kind).encode() + b"}"
    return resource.__pydantic_serializer__.to_json(resource, exclude_none=True)[:-1] + suffix


def node_line(
    nid: str, resource: BaseResource, *, protected: bool = False, extra_metadata: dict[str, Any] | None = None
) -> bytes:
    """One ndjson node line as the core's merge endpoint reads it (protocol §5.3), ending in ``\\n``."""
    if extra_metadata:
        md = json.loads(_metadata_json(type(resource), protected))
        md.update(extra_metadata)
        metadata = json.dumps(md, separators=(",", ":")).encode()
    else:
        metadata = _metadata_json(type(resource), protected)
    return b'{"id":"%s","reported":%s,"metadata":%s,"usage":{}}\n' % (
        nid.encode(),
        reported_json(resource),
        metadata,
    )


def edge_line(from_id: str, to_id: str, edge_type: str = "default") -> bytes:
    """One ndjson edge line; ``edge_type`` is written only for non-default edges, like the core expects."""
    if edge_type == "default":
        return b'{"from":"%s","to":"%s"}\n' % (from_id.encode(), to_id.encode())
    return b'{"from":"%s","to":"%s","edge_type":"%s"}\n' % (
        from_id.encode(),
        to_id.encode(),
        edge_type.encode(),
    )


def deferred_edge_line(from_id: str, to_id: str, edge_type: str = "default") -> bytes:
    """One ndjson deferred edge (protocol §5.3): the core resolves both ends by node id against the
    graph it holds, so an edge may point at a node this merge does not send."""
    return (
        json.dumps(
            {
                "from_selector": {"node_id": from_id},
                "to_selector": {"node_id": to_id},
                "edge_type": edge_type,
            },
            separators=(",", ":"),
        ).encode()
        + b"\n"
    )


def node_line_id(line: bytes) -> str:
    """The node id of a line written by :func:`node_line` (it starts with ``{"id":"<id>"``)."""
    return line[7 : line.index(b'"', 7)].decode()


def node_line_kind(line: bytes) -> str:
    """The kind of a line written by :func:`node_line` (``""`` when it has none)."""
    kind_at = line.rfind(b',"kind":"')
    return line[kind_at + 9 : line.index(b'"', kind_at + 9)].decode() if kind_at > 0 else ""


class GraphSink(Protocol):
    """Where a builder's output goes. The kernel's sink spools to disk; :class:`MemorySink` keeps it."""

    def add_node(self, nid: str, kind: str, line: bytes) -> None:
        """Take one node line. Called once per node; must be thread-safe."""

    def add_edge(self, from_id: str, to_id: str, edge_type: str) -> None:
        """Take one edge. Must be thread-safe."""

    # A sink may also offer ``add_child(nid, kind, line, parent_id)``: a node and the default edge
    # from its parent in one call. The builder uses it when present (the kernel's spool does).
    # And ``add_ref_edge(from_id, to_id, edge_type)``: an edge with an endpoint from
    # ``GraphBuilder.ref``; when that endpoint is not part of the merge, the edge is deferred.


class GraphBuilder:
    """Streams one collection unit's nodes and edges into a sink.

    Resources added without a parent hang below the unit's region (or its account when the unit has
    no region); the kernel writes the cloud, account and region nodes itself. Thread-safe: a plugin
    may add from several threads of one unit.

    :param unit: The collection unit being collected.
    :param sink: Where node lines and edges go.
    :param reporter: Where problems are reported (defaults to a :class:`RecordingReporter`).
    :param max_line_bytes: Node lines above this are trimmed to their essentials, or dropped.
    """

    def __init__(
        self,
        unit: CollectionUnit,
        sink: GraphSink,
        reporter: Reporter | None = None,
        *,
        max_line_bytes: int = MAX_LINE_BYTES,
    ) -> None:
        self.unit = unit
        self.reporter: Reporter = reporter if reporter is not None else RecordingReporter()
        self._sink = sink
        self._add_child: Any = getattr(sink, "add_child", None)
        self._max_line = max_line_bytes
        self.cloud = unit.cloud
        self.account_id = unit.account.id
        self.region_id = unit.region.id if unit.region is not None else None
        self.account_node_id = account_node_id(self.cloud, unit.account)
        self.region_node_id = (
            region_node_id(self.cloud, self.account_id, unit.region) if unit.region is not None else None
        )
        self.root_node_id = self.region_node_id or self.account_node_id
        self.nodes_added = 0
        self.edges_added = 0
        self.dropped = 0
        self._refs: set[str] = set()
        self._refs_lock = threading.Lock()
        self._add_ref_edge: Any = getattr(sink, "add_ref_edge", None)
        self.cancel_event = threading.Event()
        """Set by the kernel when the unit is cancelled. Long waits should use ``cancel_event.wait(t)``."""

    @property
    def cancelled(self) -> bool:
        """True once the kernel cancelled this unit; further ``add`` calls raise ``CollectionCancelled``."""
        return self.cancel_event.is_set()

    def check_cancelled(self) -> None:
        """Raise :class:`CollectionCancelled` if the kernel cancelled this unit."""
        if self.cancel_event.is_set():
            raise CollectionCancelled(f"unit {self.unit.name} was cancelled")

    _SAME = object()

    def node_id(self, kind: str | type[BaseResource], resource_id: str, *, region: Any = _SAME) -> str:
        """The node id of a resource of this account, whether or not it was added yet.

        :param kind: The kind name or resource class.
        :param resource_id: The resource's ``id``.
        :param region: The region id the resource is filed under; defaults to this unit's region.
            Pass ``None`` for resources filed directly below the account.
        """
        kind_name = kind if isinstance(kind, str) else kind.kind
        region_id = self.region_id if region is GraphBuilder._SAME else region
        return node_id(kind_name, self.cloud, self.account_id, region_id, resource_id)

    def ref(
        self,
        kind: str | type[BaseResource],
        resource_id: str,
        *,
        account: str | None = None,
        region: Any = _SAME,
    ) -> str:
        """The node id of a resource in another account or region of this cloud, to draw edges to.

        Edges to a reference that the account's merge does not hold (another account, a region
        that was not collected) are sent as deferred edges the core resolves against the graph it
        holds, instead of being dropped; an edge to a node the merge holds is a regular edge.

        :param kind: The kind name or resource class.
        :param resource_id: The resource's ``id``.
        :param account: Its account id; ``None``: this unit's account.
        :param region: Its region id (``None``: filed directly below its account); defaults to this
            unit's region.
        """
        kind_name = kind if isinstance(kind, str) else kind.kind
        region_id = self.region_id if region is GraphBuilder._SAME else region
        nid = node_id(kind_name, self.cloud, account or self.account_id, region_id, resource_id)
        with self._refs_lock:
            self._refs.add(nid)
        return nid

    def add(
        self,
        resource: BaseResource,
        *,
        parent: BaseResource | str | None = None,
        protected: bool = False,
        region: Any = _SAME,
    ) -> str:
        """Add a resource as a node and connect it below ``parent``. Returns its node id.

        :param resource: The resource; its class's ``kind`` names the node's kind.
        :param parent: The node it hangs below (a resource added before, or a node id). Defaults to
            the unit's region, or the account when the unit has no region. A parent resource that
            was never added is reported, and the node hangs below the default instead.
        :param protected: Mark the node protected: cleanup never touches it.
        :param region: The region id to file it under for its node id (see :meth:`node_id`).
        """
        if self.cancel_event.is_set():
            raise CollectionCancelled(f"unit {self.unit.name} was cancelled")
        kind = type(resource).kind
        region_id = self.region_id if region is GraphBuilder._SAME else region
        nid = node_id(kind, self.cloud, self.account_id, region_id, resource.id)
        resource.__dict__[NODE_ID_SLOT] = nid
        line: bytes | None = node_line(nid, resource, protected=protected)
        assert line is not None
        if len(line) > self._max_line:
            line = self._trim(nid, resource, protected, len(line))
            if line is None:
                return nid
        parent_id: str | None
        if parent is None:
            parent_id = self.root_node_id
        else:
            parent_id = parent if isinstance(parent, str) else parent.__dict__.get(NODE_ID_SLOT)
            if parent_id is None:
                # a parent resource that was never added: keep the node connected below the unit's root
                self.reporter.error(
                    f"graph: parent of node {resource.id} ({kind}) was never added; hung below the unit instead",
                    kind=kind,
                    incomplete=False,
                )
                parent_id = self.root_node_id
        if self._add_child is not None:  # one call for the node and its parent edge
            self._add_child(nid, kind, line, parent_id)
        else:
            self._sink.add_node(nid, kind, line)
            self._sink.add_edge(parent_id, nid, "default")
        self.nodes_added += 1
        self.edges_added += 1
        return nid

    def add_edge(
        self,
        source: BaseResource | str,
        target: BaseResource | str,
        edge_type: EdgeType | str = EdgeType.default,
    ) -> bool:
        """Connect two nodes. Returns ``False`` (and reports why) when the edge was dropped.

        :param source: A resource added before, or a node id (see :meth:`node_id`).
        :param target: A resource added before, or a node id. It may be produced later by another
            unit of the same account; an endpoint that never arrives is dropped at the end.
        :param edge_type: ``default`` (ownership, dependency) or ``delete`` (source is deleted after target).
        """
        if self.cancel_event.is_set():
            raise CollectionCancelled(f"unit {self.unit.name} was cancelled")
        et = edge_type.value if isinstance(edge_type, EdgeType) else str(edge_type)
        if et not in EDGE_TYPES:
            self._drop(f"unknown edge type {et!r}")
            return False
        src = self._resolve(source)
        dst = self._resolve(target)
        if src is None or dst is None:
            self._drop("edge from or to a resource that was never added")
            return False
        if src == dst:
            self._drop(f"self-loop on node {src}")
            return False
        if self._add_ref_edge is not None and (src in self._refs or dst in self._refs):
            self._add_ref_edge(src, dst, et)  # may leave the merge: the sink decides at the end
        else:
            self._sink.add_edge(src, dst, et)
        self.edges_added += 1
        return True

    def _resolve(self, ref: BaseResource | str) -> str | None:
        return ref if isinstance(ref, str) else ref.__dict__.get(NODE_ID_SLOT)

    def _drop(self, why: str) -> None:
        self.dropped += 1
        self.reporter.error(f"graph: dropped an edge: {why}", incomplete=False)

    def _trim(self, nid: str, resource: BaseResource, protected: bool, size: int) -> bytes | None:
        keep = {"id", "name", "tags", "ctime", "mtime", "atime"}
        trimmed = type(resource).model_construct(**{k: getattr(resource, k) for k in keep})
        line = node_line(nid, trimmed, protected=protected, extra_metadata={"trimmed": True})
        if len(line) <= self._max_line:
            self.reporter.error(
                f"graph: node {resource.id} ({type(resource).kind}) was {size} bytes; sent trimmed to its essentials",
                kind=type(resource).kind,
                incomplete=False,
            )
            return line
        self.dropped += 1
        self.reporter.error(
            f"graph: node {resource.id} ({type(resource).kind}) is {size} bytes even trimmed; not sent",
            kind=type(resource).kind,
            incomplete=False,
        )
        return None


@dataclass(frozen=True)
class EdgeProblem:
    """An edge that :func:`validate_edges` dropped, and why."""

    from_id: str
    to_id: str
    edge_type: str
    reason: str


def validate_edges(
    node_ids: set[str] | frozenset[str], edges: Iterable[tuple[str, str, str]]
) -> tuple[list[tuple[str, str, str]], list[EdgeProblem]]:
    """Check a complete account's edges. Returns the edges to keep and the problems found.

    Drops duplicates silently, and reports: an endpoint that is not a node, an unknown edge type, and
    the edges that close a cycle among the edges of one type (the rest of the cycle stays).
    """
    problems: list[EdgeProblem] = []
    seen: set[tuple[str, str, str]] = set()
    by_type: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    kept: list[tuple[str, str, str]] = []
    for edge in edges:
        f, t, et = edge
        if edge in seen:
            continue
        seen.add(edge)
        if et not in EDGE_TYPES:
            problems.append(EdgeProblem(f, t, et, f"unknown edge type {et!r}"))
        elif f not in node_ids or t not in node_ids:
            missing = f if f not in node_ids else t
            problems.append(EdgeProblem(f, t, et, f"endpoint {missing} was never sent as a node"))
        else:
            kept.append(edge)
            by_type[et][f].append(t)
    back: set[tuple[str, str, str]] = set()
    for et, adjacency in by_type.items():
        if _acyclic(adjacency):  # the common case, checked cheaply; the search below names the edges
            continue
        for f, t in _back_edges(adjacency):
            back.add((f, t, et))
            problems.append(EdgeProblem(f, t, et, f"closes a cycle over {et} edges"))
    if back:
        kept = [e for e in kept if e not in back]
    return kept, problems


def _acyclic(adjacency: dict[str, list[str]]) -> bool:
    """Whether the graph has no cycle: Kahn's algorithm, peeling off nodes without predecessors."""
    indegree: dict[str, int] = {}
    for children in adjacency.values():
        for child in children:
            indegree[child] = indegree.get(child, 0) + 1
    ready = [n for n in adjacency if n not in indegree]
    seen = 0
    while ready:
        node = ready.pop()
        for child in adjacency.get(node, ()):
            remaining = indegree[child] - 1
            indegree[child] = remaining
            if remaining == 0:
                seen += 1
                ready.append(child)
    return seen == len(indegree)


def _back_edges(adjacency: dict[str, list[str]]) -> Iterator[tuple[str, str]]:
    """Edges that close a cycle, found by an iterative depth-first search."""
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    for start in list(adjacency):
        if start in state:
            continue
        state[start] = 1
        stack: list[tuple[str, Iterator[str]]] = [(start, iter(adjacency.get(start, ())))]
        while stack:
            node, children = stack[-1]
            advanced = False
            for child in children:
                s = state.get(child)
                if s == 1:
                    yield node, child
                elif s is None:
                    state[child] = 1
                    stack.append((child, iter(adjacency.get(child, ()))))
                    advanced = True
                    break
            if not advanced:
                state[node] = 2
                stack.pop()


class MemorySink:
    """A :class:`GraphSink` that keeps everything in memory, parsed: for tests and small tools."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.nodes: dict[str, dict[str, Any]] = {}
        self.edges: list[tuple[str, str, str]] = []
        self.ref_edges: list[tuple[str, str, str]] = []
        """Edges to :meth:`GraphBuilder.ref` nodes: deferred unless both ends are in the merge."""

    def add_node(self, nid: str, kind: str, line: bytes) -> None:
        with self._lock:
            self.nodes[nid] = json.loads(line)

    def add_edge(self, from_id: str, to_id: str, edge_type: str) -> None:
        with self._lock:
            self.edges.append((from_id, to_id, edge_type))

    def add_ref_edge(self, from_id: str, to_id: str, edge_type: str) -> None:
        with self._lock:
            self.ref_edges.append((from_id, to_id, edge_type))

    def by_kind(self, kind: str) -> list[dict[str, Any]]:
        """The ``reported`` sections of every node of this kind."""
        return [n["reported"] for n in self.nodes.values() if n["reported"]["kind"] == kind]

    def validate(self, extra_node_ids: Iterable[str] = ()) -> list[EdgeProblem]:
        """Validate the edges against the nodes (plus ``extra_node_ids``, e.g. the unit's region)."""
        ids = set(self.nodes) | set(extra_node_ids)
        _, problems = validate_edges(ids, self.edges)
        return problems
