"""Nodes the core holds, as cleanup, cleanup planning and tag tasks read and write them.

The core answers a graph search with node and edge lines (protocol §6). :class:`FetchedGraph` holds
such an answer and finds each node's location (cloud, account, region, zone) over the ``default``
edges and its delete dependencies over the ``delete`` edges; :func:`location_from_ancestors` reads a
location from the ``ancestors`` section a task's node carries; :func:`decode_resource` turns a node
into its plugin's model. :func:`scope_filter` limits a search to this worker's clouds and accounts,
and :func:`patch_nodes` sends node changes back in requests the core accepts.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from resoto_hookspecs import BaseAccount, BaseCloud, BaseRegion, BaseResource, BaseZone, Location
from resoto_hookspecs.resources import NODE_ID_SLOT

from resotoworker.core_client import CoreClient

PATCH_BATCH = 2000
"""Lines per ``PATCH /graph/{g}/nodes`` request (the core limits the request size)."""

STRUCTURAL_BASES: tuple[tuple[str, type[BaseResource]], ...] = (
    ("cloud", BaseCloud),
    ("account", BaseAccount),
    ("region", BaseRegion),
    ("zone", BaseZone),
)
"""Which base kinds make a node a cloud, account, region or zone for a resource's location."""


# ---------------------------------------------------------------------------------------------
# searching and patching


def _json_list(values: Iterable[str]) -> str:
    return "[" + ", ".join(json.dumps(v) for v in values) + "]"


def restricted_accounts(
    clouds: Sequence[str], accounts: Mapping[str, set[str]] | None
) -> dict[str, set[str]]:
    """cloud -> the accounts to restrict to; a cloud without a known, non-empty set is not restricted."""
    if accounts is None:
        return {}
    return {c: set(accounts[c]) for c in clouds if accounts.get(c)}


def scope_filter(clouds: Sequence[str], restricted: Mapping[str, set[str]]) -> str:
    """The search clauses that limit a search to this worker's clouds (and accounts, when known)."""
    text = f"/ancestors.cloud.reported.id in {_json_list(clouds)}"
    if clouds and all(c in restricted for c in clouds):
        text += (
            f" and /ancestors.account.reported.id in {_json_list(sorted(set().union(*restricted.values())))}"
        )
    return text


def in_scope(location: Location, clouds: Sequence[str], restricted: Mapping[str, set[str]]) -> bool:
    """Whether a node at ``location`` belongs to this worker's clouds (and accounts, when known)."""
    if location.cloud not in clouds:
        return False
    allowed = restricted.get(location.cloud)
    return allowed is None or location.account in allowed


async def patch_nodes(core: CoreClient, graph: str, changes: Sequence[dict[str, Any]]) -> None:
    """Send node changes (``{"id": ..., "desired"/"metadata": ...}``), :data:`PATCH_BATCH` at a time."""
    for start in range(0, len(changes), PATCH_BATCH):
        await core.patch_nodes(graph, list(changes[start : start + PATCH_BATCH]))


# ---------------------------------------------------------------------------------------------
# the fetched graph


class FetchedGraph:
    """The nodes and edges of a graph search, with location lookups over the default edges."""

    def __init__(self, lines: Iterable[Mapping[str, Any]], kind_classes: Mapping[str, type[BaseResource]]):
        self.nodes: dict[str, dict[str, Any]] = {}
        self.parents: dict[str, list[str]] = defaultdict(list)
        self.delete_deps: dict[str, set[str]] = defaultdict(set)
        """node -> the nodes it points to with a delete edge (they must go first)."""
        self._kind_classes = kind_classes
        self._roles: dict[str, str | None] = {}
        self._ancestry: dict[str, dict[str, tuple[int, str]]] = {}
        edges: list[Mapping[str, Any]] = []
        for line in lines:
            if line.get("type") == "edge" or ("from" in line and "to" in line and "id" not in line):
                edges.append(line)
            elif isinstance(line.get("id"), str) and isinstance(line.get("reported"), dict):
                self.nodes[line["id"]] = dict(line)
        self.add_edges(edges)

    def add_edges(self, edges: Iterable[Mapping[str, Any]]) -> None:
        for edge in edges:
            src, dst = edge.get("from"), edge.get("to")
            if not isinstance(src, str) or not isinstance(dst, str):
                continue
            if src not in self.nodes or dst not in self.nodes:
                continue  # an edge with an unknown endpoint is skipped, like the reference does
            if (edge.get("edge_type") or "default") == "delete":
                self.delete_deps[src].add(dst)
            elif src not in self.parents[dst]:
                self.parents[dst].append(src)

    def kind(self, node_id: str) -> str:
        return str(self.nodes[node_id]["reported"].get("kind", ""))

    def role(self, node_id: str) -> str | None:
        """``cloud``, ``account``, ``region`` or ``zone`` when the node is one, else ``None``."""
        if node_id not in self._roles:
            self._roles[node_id] = structural_role(self.kind(node_id), self._kind_classes)
        return self._roles[node_id]

    def ancestry(self, node_id: str) -> dict[str, str]:
        """role -> reported id of the nearest ancestor with that role, over all default parents."""
        return {role: rid for role, (_, rid) in self._nearest(node_id).items()}

    def _nearest(self, node_id: str) -> dict[str, tuple[int, str]]:
        """role -> (distance, reported id), computed bottom-up without recursion and memoised."""
        memo = self._ancestry
        stack: list[tuple[str, bool]] = [(node_id, False)]
        open_nodes: set[str] = set()
        while stack:
            nid, expanded = stack.pop()
            if nid in memo:
                continue
            parents = self.parents.get(nid, [])
            if not expanded:
                open_nodes.add(nid)
                stack.append((nid, True))
                stack.extend((p, False) for p in parents if p not in memo and p not in open_nodes)
                continue
            result: dict[str, tuple[int, str]] = {}
            for parent in parents:  # a parent still open sits on a cycle: it adds only itself
                found = {role: (d + 1, rid) for role, (d, rid) in memo.get(parent, {}).items()}
                if (role := self.role(parent)) is not None:
                    found[role] = (1, str(self.nodes[parent]["reported"].get("id")))
                for role, (distance, rid) in found.items():
                    if role not in result or distance < result[role][0]:
                        result[role] = (distance, rid)
            memo[nid] = result
            open_nodes.discard(nid)
        return memo[node_id]

    def location(self, node_id: str) -> Location | None:
        node = self.nodes[node_id]
        found = location_from_ancestors(node.get("ancestors"))
        if found is not None:
            return found
        ancestry = self.ancestry(node_id)
        cloud = ancestry.get("cloud")
        if cloud is None:
            return None
        return Location(cloud, ancestry.get("account"), ancestry.get("region"), ancestry.get("zone"))


def structural_role(kind: str, kind_classes: Mapping[str, type[BaseResource]]) -> str | None:
    """Whether a kind is a cloud, account, region or zone (by its class, or by its name)."""
    cls = kind_classes.get(kind)
    if cls is not None:
        for role, base in STRUCTURAL_BASES:
            if issubclass(cls, base):
                return role
        return None
    if kind in ("cloud", "account", "region", "zone"):
        return kind
    if kind.endswith("_account"):
        return "account"
    if kind.endswith("_region"):
        return "region"
    return None


# ---------------------------------------------------------------------------------------------
# one node


def location_from_ancestors(ancestors: Any) -> Location | None:
    """The location from a node's ``ancestors`` section (as the core sends it in tasks), if any."""
    if not isinstance(ancestors, Mapping):
        return None

    def rid(role: str) -> str | None:
        value = ancestors.get(role)
        if isinstance(value, Mapping) and isinstance(value.get("reported"), Mapping):
            found = value["reported"].get("id")
            return str(found) if found is not None else None
        return None

    cloud = rid("cloud")
    if cloud is None:
        return None
    return Location(cloud, rid("account"), rid("region"), rid("zone"))


def decode_resource(node: Mapping[str, Any], cls: type[BaseResource]) -> BaseResource:
    """The plugin's model of a node's ``reported`` section (raises pydantic's ValidationError)."""
    resource = cls.model_validate(node.get("reported") or {})
    resource.__dict__[NODE_ID_SLOT] = node.get("id")
    return resource
