"""In-memory graph storage with the core's merge (replace) semantics, node patching and search."""

from __future__ import annotations

import copy
import json
import logging
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from coresim.model import Model, ModelError
from coresim.query import EDGE_TYPES, QueryError, execute, parse_query
from coresim.util import deep_merge

log = logging.getLogger(__name__)

Edge = tuple[str, str, str]  # from, to, edge_type
ROOT_ID = "root"
PATCH_KEYS = {"id", "revision", "reported", "desired", "metadata"}
PATCH_SECTIONS = ("reported", "desired", "metadata")
ANCESTOR_KINDS = ("cloud", "account", "region", "zone")


class MergeError(ValueError):
    """The merge body is invalid; nothing was applied."""


class PatchError(ValueError):
    """A PATCH /nodes body is invalid; nothing was applied."""


@dataclass
class MergeResult:
    nodes_created: int = 0
    nodes_updated: int = 0
    nodes_deleted: int = 0
    edges_created: int = 0
    edges_updated: int = 0
    edges_deleted: int = 0

    def to_json(self) -> dict[str, int]:
        return dict(self.__dict__)


@dataclass
class _ParsedMerge:
    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    deferred: list[tuple[dict[str, Any], dict[str, Any], str]] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)


@dataclass
class GraphView:
    """A snapshot of a stored graph, for assertions in tests."""

    name: str
    nodes: dict[str, dict[str, Any]]
    edges: set[Edge]
    _kind_is: Callable[[str, str], bool] = field(repr=False)

    def by_kind(self, kind: str) -> list[dict[str, Any]]:
        """All nodes whose reported.kind is `kind` or inherits from it, sorted by id."""
        return [
            n for _, n in sorted(self.nodes.items()) if self._kind_is(n["reported"].get("kind", ""), kind)
        ]

    def find(self, kind: str | None = None, id: str | None = None) -> dict[str, Any] | None:
        """The first node with the given kind (or subkind) and/or reported id."""
        for node in self.by_kind(kind) if kind else [n for _, n in sorted(self.nodes.items())]:
            if id is None or node["reported"].get("id") == id:
                return node
        return None

    def reported_ids(self, kind: str) -> set[str]:
        return {n["reported"].get("id") for n in self.by_kind(kind)}

    def children(self, node_id: str, edge_type: str = "default") -> list[str]:
        return sorted(t for f, t, et in self.edges if f == node_id and et == edge_type)

    def parents(self, node_id: str, edge_type: str = "default") -> list[str]:
        return sorted(f for f, t, et in self.edges if t == node_id and et == edge_type)

    def ancestors(self, node_id: str) -> list[str]:
        """Ids of all ancestors over default edges, nearest first."""
        result: list[str] = []
        seen = {node_id}
        queue = deque([node_id])
        while queue:
            for parent in self.parents(queue.popleft()):
                if parent not in seen:
                    seen.add(parent)
                    result.append(parent)
                    queue.append(parent)
        return result

    def descendants(self, node_id: str) -> list[str]:
        result: list[str] = []
        seen = {node_id}
        queue = deque([node_id])
        while queue:
            for child in self.children(queue.popleft()):
                if child not in seen:
                    seen.add(child)
                    result.append(child)
                    queue.append(child)
        return result


class GraphStore:
    def __init__(self, name: str, model: Model) -> None:
        self.name = name
        self.model = model
        self.nodes: dict[str, dict[str, Any]] = {}
        self.edges: set[Edge] = set()
        self._out: dict[tuple[str, str], set[str]] = {}
        self._in: dict[tuple[str, str], set[str]] = {}
        # edges created from deferred edge lines -> origin (the replace nodes of the merge that sent them)
        self.deferred_edges: dict[Edge, str] = {}
        # origin -> the deferred edge lines of its last merge (selectors, with that merge's id renaming)
        self.pending_deferred: dict[
            str, list[tuple[dict[str, Any], dict[str, Any], str, Callable[[str], str]]]
        ] = {}
        self._revision = 0
        self._put_node(ROOT_ID, {"id": ROOT_ID, "kind": "graph_root", "name": ROOT_ID}, {}, {}, None)

    # ------------------------------------------------------------------ low level
    def _next_revision(self) -> str:
        self._revision += 1
        return f"_rev{self._revision}"

    def _put_node(
        self,
        node_id: str,
        reported: dict[str, Any],
        metadata: dict[str, Any],
        desired: dict[str, Any],
        usage: dict[str, Any] | None,
    ) -> None:
        node: dict[str, Any] = {
            "id": node_id,
            "revision": self._next_revision(),
            "reported": reported,
            "desired": desired,
            "metadata": metadata,
        }
        if usage:
            node["usage"] = usage
        self.nodes[node_id] = node

    def _add_edge(self, edge: Edge) -> bool:
        if edge in self.edges:
            return False
        self.edges.add(edge)
        self._out.setdefault((edge[0], edge[2]), set()).add(edge[1])
        self._in.setdefault((edge[1], edge[2]), set()).add(edge[0])
        return True

    def _remove_edge(self, edge: Edge) -> None:
        if edge in self.edges:
            self.edges.discard(edge)
            self._out.get((edge[0], edge[2]), set()).discard(edge[1])
            self._in.get((edge[1], edge[2]), set()).discard(edge[0])
        self.deferred_edges.pop(edge, None)

    def _remove_node(self, node_id: str) -> int:
        removed = 0
        for edge_type in EDGE_TYPES:
            for other in list(self._out.get((node_id, edge_type), ())):
                self._remove_edge((node_id, other, edge_type))
                removed += 1
            for other in list(self._in.get((node_id, edge_type), ())):
                self._remove_edge((other, node_id, edge_type))
                removed += 1
        self.nodes.pop(node_id, None)
        return removed

    # ------------------------------------------------------------------ GraphLike (queries)
    def node_json(self, node_id: str) -> dict[str, Any] | None:
        node = self.nodes.get(node_id)
        if node is None:
            return None
        return {
            "id": node_id,
            "type": "node",
            "revision": node["revision"],
            "reported": node["reported"],
            "desired": node.get("desired") or {},
            "metadata": node.get("metadata") or {},
        }

    def kind_is(self, kind: str, base: str) -> bool:
        return kind == base or self.model.is_a(kind, base)

    def neighbours(self, node_id: str, edge_type: str, outbound: bool) -> Iterable[str]:
        return (self._out if outbound else self._in).get((node_id, edge_type), set())

    def ancestor(self, node_id: str, kind: str) -> str | None:
        """Nearest ancestor over default edges (excluding the node itself) whose kind is `kind` or a subkind."""
        seen = {node_id}
        queue = deque([node_id])
        while queue:
            for parent in sorted(self._in.get((queue.popleft(), "default"), ())):
                if parent in seen:
                    continue
                seen.add(parent)
                parent_kind = self.nodes.get(parent, {}).get("reported", {}).get("kind", "")
                if self.kind_is(parent_kind, kind):
                    return parent
                queue.append(parent)
        return None

    def ancestor_json(self, node_id: str, kind: str) -> dict[str, Any] | None:
        found = self.ancestor(node_id, kind)
        return None if found is None else self.node_json(found)

    def view(self) -> GraphView:
        return GraphView(self.name, copy.deepcopy(self.nodes), set(self.edges), self.kind_is)

    # ------------------------------------------------------------------ search
    def search(self, text: str, section: str | None = "reported") -> list[dict[str, Any]]:
        """Run a query; result lines: nodes then edges (raises QueryError)."""
        query = parse_query(text)
        node_ids, edges = execute(self, query, sorted(self.nodes), section)
        lines: list[dict[str, Any]] = [n for n in (self.node_json(i) for i in node_ids) if n is not None]
        lines.extend({"type": "edge", "from": f, "to": t, "edge_type": et} for f, t, et in edges)
        return lines

    def tag_task(self, node_id: str) -> tuple[dict[str, str], dict[str, Any]]:
        """attrs and node (with ancestors) of a tag task for this node, built like the core does."""
        node = self.node_json(node_id)
        if node is None:
            raise KeyError(node_id)
        attrs: dict[str, str] = {}
        ancestors: dict[str, Any] = {}
        for kind in ANCESTOR_KINDS:
            found = self.ancestor(node_id, kind)
            if found is None:
                continue
            stored = self.nodes[found]
            ancestors[kind] = {
                "reported": copy.deepcopy(stored["reported"]),
                "metadata": copy.deepcopy(stored.get("metadata") or {}),
            }
            value = stored["reported"].get("id")
            if value:
                attrs[kind] = value
        full = copy.deepcopy(node)
        full["ancestors"] = ancestors
        return attrs, full

    # ------------------------------------------------------------------ merge
    def merge(self, items: Iterable[Any], *, on_warning: Callable[[str], None] | None = None) -> MergeResult:
        """Validate a whole merge body and apply it atomically (raises MergeError, applying nothing)."""
        parsed = self._parse(items)
        for dup in parsed.duplicates:
            if on_warning:
                on_warning(f"merge: node {dup} sent more than once (last one wins)")
        root = self._check_structure(parsed)
        replace_owner = self._replace_subtrees(parsed, root)
        return self._apply(parsed, root, replace_owner)

    def _parse(self, items: Iterable[Any]) -> _ParsedMerge:
        parsed = _ParsedMerge()
        for index, item in enumerate(items):
            where = f"line {index + 1}"
            if not isinstance(item, dict):
                raise MergeError(f"{where}: expected a JSON object, got {json.dumps(item)[:100]}")
            if "id" in item and "reported" in item:
                node_id = item["id"]
                if not isinstance(node_id, str) or not node_id:
                    raise MergeError(f"{where}: node id must be a non-empty string")
                for section in ("metadata", "desired", "usage"):
                    if section in item and item[section] is not None and not isinstance(item[section], dict):
                        raise MergeError(f"{where}: node {node_id}: {section} must be a JSON object")
                if "replace" in item and not isinstance(item["replace"], bool):
                    raise MergeError(f"{where}: node {node_id}: replace must be a boolean")
                if "search" in item and not isinstance(item["search"], str):
                    raise MergeError(f"{where}: node {node_id}: search must be a string")
                try:
                    self.model.check_node(item["reported"])
                except ModelError as ex:
                    raise MergeError(f"{where}: node {node_id}: {ex}") from ex
                if node_id in parsed.nodes:
                    parsed.duplicates.append(node_id)
                parsed.nodes[node_id] = item
            elif "from" in item and "to" in item:
                edge_type = item.get("edge_type") or "default"
                if edge_type not in EDGE_TYPES:
                    raise MergeError(
                        f"{where}: unknown edge type {edge_type!r} (known: {', '.join(EDGE_TYPES)})"
                    )
                if not isinstance(item["from"], str) or not isinstance(item["to"], str):
                    raise MergeError(f"{where}: edge from/to must be strings")
                parsed.edges.append((item["from"], item["to"], edge_type))
            elif "from_selector" in item and "to_selector" in item:
                edge_type = item.get("edge_type") or "default"
                if edge_type not in EDGE_TYPES:
                    raise MergeError(f"{where}: unknown edge type {edge_type!r} in deferred edge")
                for key in ("from_selector", "to_selector"):
                    self._check_selector(item[key], f"{where}: {key}")
                parsed.deferred.append((item["from_selector"], item["to_selector"], edge_type))
            else:
                raise MergeError(f"{where}: Don't know how to handle this line: {json.dumps(item)[:200]}")
        for src, dst, edge_type in parsed.edges:
            for end in (src, dst):
                if end not in parsed.nodes:
                    raise MergeError(
                        f"Edge {src} -> {dst} ({edge_type}): node {end} was used in an edge definition "
                        "but not provided as node in this merge"
                    )
        return parsed

    @staticmethod
    def _check_selector(selector: Any, where: str) -> None:
        if not isinstance(selector, dict):
            raise MergeError(f"{where}: selector must be a JSON object")
        if isinstance(selector.get("node_id"), str):
            return
        criteria = selector.get("search_criteria")
        if isinstance(criteria, str):
            try:
                parse_query(criteria)
            except QueryError as ex:
                raise MergeError(f"{where}: can not parse search_criteria: {ex}") from ex
            return
        raise MergeError(f"{where}: selector needs node_id or search_criteria")

    def _check_structure(self, parsed: _ParsedMerge) -> str:
        if not parsed.nodes:
            raise MergeError("The merge contains no nodes")
        incoming = {t for _, t, _ in parsed.edges}
        roots = sorted(n for n in parsed.nodes if n not in incoming)
        if len(roots) != 1:
            raise MergeError(
                f"Given subgraph has {'no' if not roots else 'more than one'} root: {roots[:10]}"
            )
        root = roots[0]
        graph_roots = sorted(
            n for n, item in parsed.nodes.items() if item["reported"].get("kind") == "graph_root"
        )
        if graph_roots != [root]:
            raise MergeError(
                f"The graph needs exactly one node of kind graph_root as its root; root: {root}, "
                f"graph_root nodes: {graph_roots[:10]}"
            )
        for edge_type in EDGE_TYPES:
            cycle = _find_cycle([(f, t) for f, t, et in parsed.edges if et == edge_type])
            if cycle:
                raise MergeError(
                    f"The graph is not acyclic: {edge_type} edges form a cycle: {' -> '.join(cycle)}"
                )
        return root

    def _replace_subtrees(self, parsed: _ParsedMerge, root: str) -> dict[str, str]:
        """Map every node below a replace node to that replace node."""
        children: dict[str, list[str]] = {}
        for f, t, et in parsed.edges:
            if et == "default":
                children.setdefault(f, []).append(t)

        def is_replace(node_id: str) -> bool:
            item = parsed.nodes[node_id]
            return bool((item.get("metadata") or {}).get("replace")) or item.get("replace") is True

        replace_nodes = [n for n in parsed.nodes if is_replace(n)]
        if not replace_nodes:
            raise MergeError("No replace node found: at least one node needs metadata.replace=true")
        owner: dict[str, str] = {}
        for replace_node in replace_nodes:
            seen = {replace_node}
            queue = deque([replace_node])
            while queue:
                current = queue.popleft()
                if current in owner and owner[current] != replace_node:
                    raise MergeError(
                        f"Nodes are referenced in more than one merge node: {current} is below "
                        f"{owner[current]} and {replace_node}"
                    )
                owner[current] = replace_node
                for child in children.get(current, []):
                    if child not in seen:
                        seen.add(child)
                        queue.append(child)
        if root in owner:
            raise MergeError("The root node can not be part of a replace subtree")
        return owner

    def _stored_subtree(self, replace_node: str, body_subtree: set[str]) -> set[str]:
        """What the store holds below a replace node: reachable over (non-deferred) default edges.

        The walk does not enter another stored replace node unless this merge sends it below replace_node.
        """
        if replace_node not in self.nodes:
            return set()
        seen = {replace_node}
        queue = deque([replace_node])
        while queue:
            current = queue.popleft()
            for child in self._out.get((current, "default"), ()):
                if child in seen or (current, child, "default") in self.deferred_edges:
                    continue
                if (
                    child not in body_subtree
                    and (self.nodes[child].get("metadata") or {}).get("replace") is True
                ):
                    continue
                seen.add(child)
                queue.append(child)
        return seen

    def _apply(self, parsed: _ParsedMerge, body_root: str, owner: dict[str, str]) -> MergeResult:
        result = MergeResult()

        def rename(node_id: str) -> str:
            return ROOT_ID if node_id == body_root else node_id

        sent_ids = {rename(n) for n in parsed.nodes}
        sent_edges = {(rename(f), rename(t), et) for f, t, et in parsed.edges}
        body_subtrees: dict[str, set[str]] = {}
        for node_id, replace_node in owner.items():
            body_subtrees.setdefault(replace_node, set()).add(node_id)
        # 1. delete what the replace subtrees held before and was not sent again
        delete_nodes: set[str] = set()
        delete_edges: set[Edge] = set()
        for replace_node, body_subtree in body_subtrees.items():
            stored = self._stored_subtree(replace_node, body_subtree)
            delete_nodes |= stored - sent_ids
            for node_id in stored:
                for edge_type in EDGE_TYPES:
                    for other in self._out.get((node_id, edge_type), ()):
                        edge = (node_id, other, edge_type)
                        if edge not in sent_edges and edge not in self.deferred_edges:
                            delete_edges.add(edge)
        for edge in delete_edges:
            self._remove_edge(edge)
            result.edges_deleted += 1
        for node_id in delete_nodes:
            result.edges_deleted += self._remove_node(node_id)
            result.nodes_deleted += 1
        # 2. upsert nodes
        for raw_id, item in parsed.nodes.items():
            node_id = rename(raw_id)
            reported = copy.deepcopy(item["reported"])
            if node_id == ROOT_ID:
                reported.setdefault("id", ROOT_ID)
            metadata = copy.deepcopy(item.get("metadata") or {})
            if item.get("replace") is True:
                metadata["replace"] = True
            usage = copy.deepcopy(item.get("usage") or {})
            stored_node = self.nodes.get(node_id)
            if stored_node is None:
                self._put_node(node_id, reported, metadata, copy.deepcopy(item.get("desired") or {}), usage)
                result.nodes_created += 1
                continue
            if (stored_node.get("metadata") or {}).get("protected") is True:
                metadata["protected"] = True
            desired = deep_merge(stored_node.get("desired") or {}, item.get("desired") or {})
            before = (
                stored_node["reported"],
                stored_node.get("metadata") or {},
                stored_node.get("desired") or {},
                stored_node.get("usage") or {},
            )
            if before != (reported, metadata, desired, usage):
                self._put_node(node_id, reported, metadata, desired, usage)
                result.nodes_updated += 1
        # 3. upsert edges
        for edge in sorted(sent_edges):
            self.deferred_edges.pop(edge, None)  # sent explicitly now: a regular edge
            if self._add_edge(edge):
                result.edges_created += 1
        # 4. deferred edges, resolved against the whole stored graph, replacing the ones of the same origin.
        # Like the core (which resolves a collect's deferred edges once all its merges are in), an edge
        # whose endpoint arrives with a later merge (another account) is not lost: the selectors of
        # every origin stay pending and are resolved again after each merge.
        origin = ",".join(sorted(body_subtrees))
        self.pending_deferred[origin] = [(f, t, et, rename) for f, t, et in parsed.deferred]
        created = self._resolve_deferred(origin)
        for edge in [e for e, o in self.deferred_edges.items() if o == origin and e not in created]:
            self._remove_edge(edge)
            result.edges_deleted += 1
        for other in sorted(self.pending_deferred):
            for edge in sorted(created if other == origin else self._resolve_deferred(other)):
                if edge in self.edges and edge not in self.deferred_edges:
                    continue  # already there as a regular edge
                self.deferred_edges.setdefault(edge, other)
                if self._add_edge(edge):
                    result.edges_created += 1
        return result

    def _resolve_deferred(self, origin: str) -> set[Edge]:
        created: set[Edge] = set()
        for from_sel, to_sel, edge_type, rename in self.pending_deferred.get(origin, []):
            for src in self._select(from_sel, rename):
                for dst in self._select(to_sel, rename):
                    if src != dst:
                        created.add((src, dst, edge_type))
        return created

    def _select(self, selector: dict[str, Any], rename: Callable[[str], str]) -> list[str]:
        if isinstance(selector.get("node_id"), str):
            node_id = rename(selector["node_id"])
            return [node_id] if node_id in self.nodes else []
        try:
            node_ids, _ = execute(self, parse_query(selector["search_criteria"]), sorted(self.nodes), None)
        except QueryError as ex:
            log.warning("deferred edge: can not run search_criteria: %s", ex)
            return []
        return node_ids

    # ------------------------------------------------------------------ direct manipulation
    def load(self, nodes: Iterable[dict[str, Any]], edges: Iterable[Any] = ()) -> None:
        """Put nodes/edges into the graph directly (no validation). Nodes: {id, reported, desired?, metadata?}."""
        for node in nodes:
            self._put_node(
                node["id"],
                copy.deepcopy(node.get("reported") or {}),
                copy.deepcopy(node.get("metadata") or {}),
                copy.deepcopy(node.get("desired") or {}),
                copy.deepcopy(node.get("usage") or {}),
            )
        for edge in edges:
            if isinstance(edge, dict):
                self._add_edge((edge["from"], edge["to"], edge.get("edge_type") or "default"))
            else:
                src, dst, *rest = edge
                self._add_edge((src, dst, rest[0] if rest else "default"))

    def update_sections(self, node_id: str, **sections: dict[str, Any]) -> dict[str, Any]:
        node = self.nodes[node_id]
        for section, value in sections.items():
            node[section] = deep_merge(node.get(section) or {}, value)
        node["revision"] = self._next_revision()
        return node

    # ------------------------------------------------------------------ PATCH /nodes and task results
    def patch_nodes(self, items: list[Any]) -> list[dict[str, Any]]:
        """Validate all lines, then deep-merge the sections into the stored nodes (raises PatchError)."""
        seen: set[str] = set()
        for index, item in enumerate(items):
            where = f"line {index + 1}"
            if not isinstance(item, dict):
                raise PatchError(f"{where}: expected a JSON object")
            extra = set(item) - PATCH_KEYS
            if extra:
                raise PatchError(
                    f"{where}: keys not allowed: {sorted(extra)} (allowed: {sorted(PATCH_KEYS)})"
                )
            node_id = item.get("id")
            if not isinstance(node_id, str) or not node_id:
                raise PatchError(f"{where}: id is required")
            if node_id in seen:
                raise PatchError(f"{where}: node {node_id} is patched more than once")
            seen.add(node_id)
            if not any(s in item for s in PATCH_SECTIONS):
                raise PatchError(f"{where}: node {node_id}: at least one of {PATCH_SECTIONS} is required")
            for section in PATCH_SECTIONS:
                if section in item and not isinstance(item[section], dict):
                    raise PatchError(f"{where}: node {node_id}: {section} must be a JSON object")
            if "reported" in item and node_id in self.nodes:
                merged = deep_merge(self.nodes[node_id]["reported"], item["reported"])
                try:
                    self.model.check_node(merged)
                except ModelError as ex:
                    raise PatchError(f"{where}: node {node_id}: {ex}") from ex
        updated: list[dict[str, Any]] = []
        for item in items:
            if item["id"] not in self.nodes:
                log.info("patch nodes: unknown node %s skipped", item["id"])
                continue
            node = self.update_sections(item["id"], **{s: item[s] for s in PATCH_SECTIONS if s in item})
            updated.append(
                {
                    "id": node["id"],
                    "reported": node["reported"],
                    "desired": node.get("desired") or {},
                    "metadata": node.get("metadata") or {},
                    "revision": node["revision"],
                }
            )
        return updated

    def update_node_from_result(self, data: Any) -> dict[str, Any]:
        """Store a node returned by a tag (or other node result) task (raises ValueError)."""
        if (
            not isinstance(data, dict)
            or not isinstance(data.get("id"), str)
            or not isinstance(data.get("reported"), dict)
        ):
            raise ValueError(f"task result is not a node with id and reported: {json.dumps(data)[:200]}")
        node_id = data["id"]
        stored = self.nodes.get(node_id)
        if stored is None:
            raise ValueError(f"node {node_id} does not exist")
        try:
            self.model.check_node(data["reported"])
        except ModelError as ex:
            raise ValueError(f"node {node_id}: {ex}") from ex
        stored["reported"] = copy.deepcopy(data["reported"])
        if isinstance(data.get("metadata"), dict):
            metadata = copy.deepcopy(data["metadata"])
            if (stored.get("metadata") or {}).get("protected") is True:
                metadata["protected"] = True
            stored["metadata"] = metadata
        if isinstance(data.get("desired"), dict):
            stored["desired"] = deep_merge(stored.get("desired") or {}, data["desired"])
        stored["revision"] = self._next_revision()
        result = self.node_json(node_id)
        assert result is not None
        return result


def _find_cycle(edges: list[tuple[str, str]]) -> list[str] | None:
    graph: dict[str, list[str]] = {}
    for src, dst in edges:
        graph.setdefault(src, []).append(dst)
    state: dict[str, int] = {}
    for start in sorted(graph):
        if state.get(start):
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        path: list[str] = []
        while stack:
            node, idx = stack.pop()
            if idx == 0:
                if state.get(node) == 1:
                    return [*path[path.index(node) :], node]
                if state.get(node) == 2:
                    continue
                state[node] = 1
                path.append(node)
            succ = graph.get(node, [])
            if idx < len(succ):
                stack.append((node, idx + 1))
                nxt = succ[idx]
                if state.get(nxt) == 1:
                    return [*path[path.index(nxt) :], nxt]
                if state.get(nxt) != 2:
                    stack.append((nxt, 0))
            else:
                state[node] = 2
                path.pop()
    return None
