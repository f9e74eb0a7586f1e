"""What a cleanup deletes, and in which order (protocol §6): the first half of a cleanup run.

:func:`fetch_flagged` searches the nodes flagged with ``desired.clean`` (plus everything connected to
them, and every delete edge leaving them). :func:`order_deletions` picks the delete set (flagged,
not protected, not cleaned, in this worker's clouds and accounts), decodes each node with its
plugin's class (a node that cannot be deleted is skipped right away) and orders the set by the
``delete`` edges into generations (``A -delete-> B``: B goes first). :mod:`resotoworker.cleanup`
runs the result.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from resoto_hookspecs import BaseResource, Location

from resotoworker.core_client import CoreClient
from resotoworker.errors import describe_error
from resotoworker.nodes import FetchedGraph, decode_resource, in_scope, scope_filter
from resotoworker.plugins import PluginHost

log = logging.getLogger(__name__)

DELETED = "deleted"
FAILED = "failed"
BLOCKED = "blocked"
SKIPPED = "skipped"


@dataclass
class NodeOutcome:
    """What happened (or would happen) to one node of the delete set."""

    node_id: str
    kind: str
    resource_id: str
    location: Location
    generation: int = 0
    outcome: str = ""
    reason: str | None = None

    @property
    def context(self) -> str:
        return "[" + ":".join(self.location.path()) + "]"

    def describe(self) -> str:
        return f"{self.kind} {self.resource_id} {self.context}"

    def to_json(self) -> dict[str, Any]:
        return {
            "node_id": self.node_id,
            "kind": self.kind,
            "id": self.resource_id,
            "location": self.location.path(),
            "generation": self.generation,
            "outcome": self.outcome,
            "reason": self.reason,
        }


# ---------------------------------------------------------------------------------------------
# fetching the flagged nodes


def flagged_query(clouds: Sequence[str], restricted: Mapping[str, set[str]]) -> str:
    """The flagged nodes of this worker's clouds (and accounts) and everything connected to them."""
    return (
        "/desired.clean == true and /metadata.cleaned != true and /metadata.protected!=true and "
        f"{scope_filter(clouds, restricted)} <-default,delete[0:]->"
    )


def delete_edge_query(clouds: Sequence[str], restricted: Mapping[str, set[str]]) -> str:
    """Every delete edge leaving a flagged node (depth 1).

    A graph database that visits each node once per traversal returns only the edges it walked,
    so the combined ``<-default,delete[0:]->`` answer can miss a delete edge between two flagged
    nodes whose target it reached over a default edge first. This second search asks for exactly
    the edges the ordering depends on.
    """
    return (
        "/desired.clean == true and /metadata.cleaned != true and /metadata.protected!=true and "
        f"{scope_filter(clouds, restricted)} -delete->"
    )


async def fetch_flagged(
    core: CoreClient,
    graph_name: str,
    clouds: Sequence[str],
    restricted: Mapping[str, set[str]],
    kind_classes: Mapping[str, type[BaseResource]],
) -> FetchedGraph:
    """The flagged nodes with their surroundings and delete edges, in one :class:`FetchedGraph`."""
    lines = await core.search_graph(graph_name, flagged_query(clouds, restricted))
    graph = FetchedGraph(lines, kind_classes)
    extra = await core.search_graph(graph_name, delete_edge_query(clouds, restricted))
    for line in extra:
        if line.get("type") == "node" and isinstance(line.get("id"), str) and line["id"] not in graph.nodes:
            graph.nodes[line["id"]] = dict(line)
    graph.add_edges(line for line in extra if line.get("type") == "edge")
    return graph


# ---------------------------------------------------------------------------------------------
# ordering


def generations(
    members: Iterable[str], deps: Mapping[str, Iterable[str]]
) -> tuple[list[list[str]], list[str]]:
    """Kahn layers of ``members``: a node comes after every member it depends on.

    ``deps[a]`` holds the nodes ``a`` points to with a delete edge; dependencies outside
    ``members`` are ignored. Returns the layers (each sorted) and the members that sit on or behind
    a dependency cycle (sorted), which never become ready.
    """
    nodes = set(members)
    waiting: dict[str, int] = {}
    dependents: dict[str, list[str]] = defaultdict(list)
    for node in nodes:
        inside = {d for d in deps.get(node, ()) if d in nodes and d != node}
        waiting[node] = len(inside)
        for dep in inside:
            dependents[dep].append(node)
    layer = sorted(n for n, count in waiting.items() if count == 0)
    layers: list[list[str]] = []
    done = 0
    while layer:
        layers.append(layer)
        done += len(layer)
        following: list[str] = []
        for node in layer:
            for dependent in dependents.get(node, ()):
                waiting[dependent] -= 1
                if waiting[dependent] == 0:
                    following.append(dependent)
        layer = sorted(following)
    stuck = sorted(n for n, count in waiting.items() if count > 0) if done < len(nodes) else []
    return layers, stuck


@dataclass(frozen=True)
class Target:
    """What the action hooks act on: the resource, decoded by the plugin that owns its cloud."""

    plugin: str
    resource: BaseResource


@dataclass
class DeleteItem:
    """One node of the delete set while the run works on it."""

    outcome: NodeOutcome
    target: Target | None
    """``None`` when the node cannot be deleted at all (it is skipped from the start)."""
    blocks: bool = False
    """True once the node is resolved in a way that keeps its dependents from going."""


@dataclass
class DeletePlan:
    """The delete set in generations; ``stuck`` nodes sit on (or behind) a delete cycle."""

    items: dict[str, DeleteItem]
    layers: list[list[str]]
    stuck: list[str]
    deps: Mapping[str, Iterable[str]]
    """node -> the nodes it points to with a delete edge."""

    def blocker(self, item: DeleteItem, *, expected: Mapping[str, str] | None = None) -> DeleteItem | None:
        """The first (by node id) item that ``item`` depends on and that keeps it from going.

        With ``expected`` (the nodes known to be blocked already), those count as blocking too.
        """
        for dep in sorted(self.deps.get(item.outcome.node_id, ())):
            other = self.items.get(dep)
            if other is not None and (other.blocks or (expected is not None and dep in expected)):
                return other
        return None

    def expected_blocked(self) -> dict[str, str]:
        """Nodes that cannot go because something they depend on is skipped from the start."""
        doomed: dict[str, str] = {}
        for layer in self.layers:
            for node_id in layer:
                other = self.blocker(self.items[node_id], expected=doomed)
                if other is not None:
                    doomed[node_id] = f"depends on {other.outcome.describe()}, which would not be deleted"
        return doomed


def order_deletions(
    graph: FetchedGraph,
    host: PluginHost,
    clouds: Sequence[str],
    restricted: Mapping[str, set[str]],
    protect_tag: str,
) -> DeletePlan:
    """The delete set of the fetched graph, decoded and in generations."""
    items: dict[str, DeleteItem] = {}
    for node_id, node in graph.nodes.items():
        desired = node.get("desired") or {}
        metadata = node.get("metadata") or {}
        if desired.get("clean") is not True or metadata.get("protected") is True:
            continue
        if metadata.get("cleaned") is True:
            continue
        kind = graph.kind(node_id)
        if kind == "graph_root":
            continue
        location = graph.location(node_id)
        if location is None or not in_scope(location, clouds, restricted):
            where = ":".join(location.path()) if location else "no known cloud"
            log.debug("cleanup: %s %s (%s) is not held by this worker", kind, node_id, where)
            continue
        rid = str(node["reported"].get("id", node_id))
        items[node_id] = _decode_item(host, node, NodeOutcome(node_id, kind, rid, location), protect_tag)
    layers, stuck = generations(items, graph.delete_deps)
    for number, layer in enumerate(layers):
        for node_id in layer:
            items[node_id].outcome.generation = number
    return DeletePlan(items, layers, stuck, graph.delete_deps)


def _decode_item(
    host: PluginHost, node: Mapping[str, Any], outcome: NodeOutcome, protect_tag: str
) -> DeleteItem:
    """Decode the node with its plugin's class; a node that cannot be deleted is skipped now."""
    plugin = host.by_cloud(outcome.location.cloud)
    if plugin is None:
        return _skipped(outcome, f"no installed plugin serves cloud {outcome.location.cloud}")
    cls = next((c for c in plugin.kinds if c.kind == outcome.kind), None)
    if cls is None:
        return _skipped(outcome, f"plugin {plugin.name} does not know kind {outcome.kind}")
    if not cls.deletable:
        return _skipped(outcome, f"kind {outcome.kind} cannot be deleted")
    if "delete_resource" not in plugin.hooks:
        return _skipped(outcome, f"plugin {plugin.name} cannot delete resources")
    try:
        resource = decode_resource(node, cls)
    except Exception as exc:
        return _skipped(outcome, f"cannot read the node as {cls.kind}: {describe_error(exc)}")
    if protect_tag and protect_tag in (resource.tags or {}):
        return _skipped(outcome, f"protected by the tag {protect_tag}")
    return DeleteItem(outcome, Target(plugin.name, resource))


def _skipped(outcome: NodeOutcome, reason: str) -> DeleteItem:
    outcome.outcome = SKIPPED
    outcome.reason = reason
    return DeleteItem(outcome, None, blocks=True)
