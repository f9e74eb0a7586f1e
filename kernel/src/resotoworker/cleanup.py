"""Cleanup: delete flagged resources in dependency order, and cleanup planning (protocol §6).

:func:`run_cleanup` serves the core's ``cleanup`` step. It fetches the nodes flagged with
``desired.clean`` (plus everything connected to them), picks the set to delete (flagged, not
protected, not cleaned, in this worker's clouds and accounts), orders it by the ``delete`` edges
(``A -delete-> B``: B goes first) into generations, checks the safety rails (dry run, blast-radius
caps, the re-check of each resource right before it goes), calls the owning plugin's
``pre_cleanup`` and ``delete_resource`` hooks in a bounded thread pool, and reports every touched
node back with ``PATCH /graph/{g}/nodes``.

:func:`run_cleanup_plan` serves the ``cleanup_plan`` step: it hands the resources the core holds for
this worker to every plugin's ``plan_cleanup`` policy and flags the chosen ones (``desired.clean``).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

from resoto_hookspecs import (
    BaseAccount,
    BaseCloud,
    BaseRegion,
    BaseResource,
    BaseZone,
    CleanupCandidate,
    CleanupFlag,
    Location,
    NotSupported,
    Reporter,
    ResourceGone,
)
from resoto_hookspecs.resources import NODE_ID_SLOT

from resotoworker import metrics
from resotoworker.collect import Feedback
from resotoworker.config import WorkerConfig
from resotoworker.core_client import CoreClient
from resotoworker.plugins import PluginHost

log = logging.getLogger(__name__)

DELETED = "deleted"
FAILED = "failed"
BLOCKED = "blocked"
SKIPPED = "skipped"

PATCH_BATCH = 2000
"""Lines per ``PATCH /graph/{g}/nodes`` request (the core limits the request size)."""
DRY_RUN_INFO_LINES = 1000
"""At most this many planned deletions are listed one by one as ``action_info`` in a dry run."""
MESSAGE_LIMIT = 500

STRUCTURAL_BASES: tuple[tuple[str, type[BaseResource]], ...] = (
    ("cloud", BaseCloud),
    ("account", BaseAccount),
    ("region", BaseRegion),
    ("zone", BaseZone),
)
"""Which base kinds make a node a cloud, account, region or zone for a resource's location."""


# ---------------------------------------------------------------------------------------------
# report types


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


@dataclass
class CleanupReport:
    """The result of one cleanup run.

    ``planned`` lists the resources the run meant to delete, in the order it deletes them
    (generation by generation). ``generations`` is the number of dependency layers; the resources of
    one layer are deleted in parallel.
    """

    planned: list[NodeOutcome] = field(default_factory=list)
    deleted: list[NodeOutcome] = field(default_factory=list)
    failed: list[NodeOutcome] = field(default_factory=list)
    blocked: list[NodeOutcome] = field(default_factory=list)
    skipped: list[NodeOutcome] = field(default_factory=list)
    dry_run: bool = True
    generations: int = 0
    aborted_reason: str | None = None
    fetched_nodes: int = 0
    duration: float = 0.0
    errors: list[str] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        if self.aborted_reason is not None:
            return "aborted"
        if self.dry_run:
            return "dry_run"
        return "failed" if self.failed or self.blocked else "done"

    def summary(self) -> str:
        if self.aborted_reason is not None:
            return f"cleanup aborted: {self.aborted_reason}"
        if self.dry_run:
            return (
                f"cleanup dry run: would delete {len(self.planned)} resource(s) in "
                f"{self.generations} generation(s); {len(self.skipped)} skipped"
            )
        return (
            f"cleanup: {len(self.deleted)} deleted, {len(self.failed)} failed, {len(self.blocked)} blocked, "
            f"{len(self.skipped)} skipped, {self.generations} generation(s), {self.duration:.1f} s"
        )


@dataclass
class PlanReport:
    """The result of one cleanup planning run."""

    candidates: int = 0
    flagged: dict[tuple[str, str], int] = field(default_factory=dict)
    """(plugin, policy) -> how many resources that policy flagged."""
    flagged_ids: list[str] = field(default_factory=list)
    """Every node id flagged by some policy (each once), in the order first flagged."""
    patched: int = 0
    refused: int = 0
    """Flags that were dropped: protected resources, or ids that are not candidates."""
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        per = ", ".join(f"{policy} ({plugin}): {n}" for (plugin, policy), n in sorted(self.flagged.items()))
        return f"cleanup plan: {len(self.flagged_ids)} of {self.candidates} resource(s) flagged" + (
            f" [{per}]" if per else ""
        )


# ---------------------------------------------------------------------------------------------
# the fetched graph


def _json_list(values: Iterable[str]) -> str:
    return "[" + ", ".join(json.dumps(v) for v in values) + "]"


def _restricted_accounts(
    clouds: Sequence[str], accounts: Mapping[str, set[str]] | None
) -> dict[str, set[str]]:
    """cloud -> the accounts to restrict to; a cloud without a known, non-empty set is not restricted."""
    if accounts is None:
        return {}
    return {c: set(accounts[c]) for c in clouds if accounts.get(c)}


def _scope_filter(clouds: Sequence[str], restricted: Mapping[str, set[str]]) -> str:
    """The search clauses that limit a search to this worker's clouds (and accounts, when known)."""
    text = f"/ancestors.cloud.reported.id in {_json_list(clouds)}"
    if clouds and all(c in restricted for c in clouds):
        text += (
            f" and /ancestors.account.reported.id in {_json_list(sorted(set().union(*restricted.values())))}"
        )
    return text


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


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _describe_error(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _clip(text: str) -> str:
    return text if len(text) <= MESSAGE_LIMIT else text[: MESSAGE_LIMIT - 3] + "..."


# ---------------------------------------------------------------------------------------------
# planning the deletion order


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


@dataclass
class _Item:
    """One node of the delete set while the run works on it."""

    outcome: NodeOutcome
    plugin: str | None
    resource: BaseResource | None
    blocks: bool = False
    """True once the node is resolved in a way that keeps its dependents from going."""


@dataclass
class _Plan:
    items: dict[str, _Item]
    layers: list[list[str]]
    stuck: list[str]


class _Cleanup:
    """One cleanup run; see :func:`run_cleanup`."""

    def __init__(
        self,
        host: PluginHost,
        config: WorkerConfig,
        core: CoreClient,
        feedback: Feedback,
        clouds: Sequence[str],
        accounts: Mapping[str, set[str]] | None,
    ) -> None:
        self.host = host
        self.config = config
        self.worker = config.worker
        self.core = core
        self.feedback = feedback
        self.clouds = list(dict.fromkeys(clouds))
        self.restricted = _restricted_accounts(self.clouds, accounts)
        self.report = CleanupReport(dry_run=self.worker.cleanup_dry_run)
        self.kind_classes = host.kind_classes()
        self.events: dict[str, list[dict[str, Any]]] = defaultdict(list)

    # -- feedback ---------------------------------------------------------------------------

    def _error(self, text: str) -> None:
        text = _clip(text)
        self.report.errors.append(text)
        log.error("%s", text)
        self.feedback.info("error", text)

    def _info(self, text: str) -> None:
        log.info("%s", text)
        self.feedback.info("info", _clip(text))

    def _event(self, item: _Item, msg: str, exc: str | None = None) -> None:
        self.events[item.outcome.node_id].append({"timestamp": _now(), "msg": msg, "exception": exc})

    # -- fetch --------------------------------------------------------------------------------

    def search_query(self) -> str:
        return (
            "/desired.clean == true and /metadata.cleaned != true and /metadata.protected!=true and "
            f"{_scope_filter(self.clouds, self.restricted)} <-default,delete[0:]->"
        )

    def delete_edge_query(self) -> str:
        """Every delete edge leaving a flagged node (depth 1).

        A graph database that visits each node once per traversal returns only the edges it walked,
        so the combined ``<-default,delete[0:]->`` answer can miss a delete edge between two flagged
        nodes whose target it reached over a default edge first. This second search asks for exactly
        the edges the ordering depends on.
        """
        return (
            "/desired.clean == true and /metadata.cleaned != true and /metadata.protected!=true and "
            f"{_scope_filter(self.clouds, self.restricted)} -delete->"
        )

    async def fetch(self) -> FetchedGraph:
        graph_name = self.worker.graph
        lines = await self.core.search_graph(graph_name, self.search_query())
        graph = FetchedGraph(lines, self.kind_classes)
        extra = await self.core.search_graph(graph_name, self.delete_edge_query())
        for line in extra:
            if (
                line.get("type") == "node"
                and isinstance(line.get("id"), str)
                and line["id"] not in graph.nodes
            ):
                graph.nodes[line["id"]] = dict(line)
        graph.add_edges(line for line in extra if line.get("type") == "edge")
        self.report.fetched_nodes = len(graph.nodes)
        return graph

    # -- plan ---------------------------------------------------------------------------------

    def plan(self, graph: FetchedGraph) -> _Plan:
        items: dict[str, _Item] = {}
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
            if location is None or location.cloud not in self.clouds:
                log.debug("cleanup: %s %s is not in this worker's clouds", kind, node_id)
                continue
            allowed = self.restricted.get(location.cloud)
            if allowed is not None and location.account not in allowed:
                log.debug("cleanup: %s %s is in account %s, not held here", kind, node_id, location.account)
                continue
            rid = str(node["reported"].get("id", node_id))
            outcome = NodeOutcome(node_id, kind, rid, location)
            items[node_id] = self._prepare_item(node, outcome)
        layers, stuck = generations(items, graph.delete_deps)
        for number, layer in enumerate(layers):
            for node_id in layer:
                items[node_id].outcome.generation = number
        return _Plan(items, layers, stuck)

    def _prepare_item(self, node: Mapping[str, Any], outcome: NodeOutcome) -> _Item:
        """Decode the node with its plugin's class; a node that cannot be deleted is skipped now."""
        item = _Item(outcome, None, None)
        plugin = self.host.by_cloud(outcome.location.cloud)
        if plugin is None:
            return self._resolve_early(item, f"no installed plugin serves cloud {outcome.location.cloud}")
        item.plugin = plugin.name
        cls = next((c for c in plugin.kinds if c.kind == outcome.kind), None)
        if cls is None:
            return self._resolve_early(item, f"plugin {plugin.name} does not know kind {outcome.kind}")
        if not cls.deletable:
            return self._resolve_early(item, f"kind {outcome.kind} cannot be deleted")
        if "delete_resource" not in plugin.hooks:
            return self._resolve_early(item, f"plugin {plugin.name} cannot delete resources")
        try:
            item.resource = decode_resource(node, cls)
        except Exception as exc:
            return self._resolve_early(item, f"cannot read the node as {cls.kind}: {_describe_error(exc)}")
        tags = item.resource.tags or {}
        if self.worker.protect_tag and self.worker.protect_tag in tags:
            return self._resolve_early(item, f"protected by the tag {self.worker.protect_tag}")
        return item

    @staticmethod
    def _resolve_early(item: _Item, reason: str) -> _Item:
        item.outcome.outcome = SKIPPED
        item.outcome.reason = reason
        item.blocks = True
        return item

    # -- safety rails -------------------------------------------------------------------------

    async def blast_radius(self, planned: list[NodeOutcome]) -> str | None:
        """Why the plan is too big to run, or ``None`` when it is within both caps."""
        limit = self.worker.cleanup_max_deletions
        if len(planned) > limit:
            return (
                f"the plan deletes {len(planned)} resources, more than cleanup_max_deletions={limit}; "
                "nothing was deleted"
            )
        max_percent = self.worker.cleanup_max_percent
        if max_percent >= 100:
            return None
        per_group = Counter((o.location.cloud, o.location.account, o.kind) for o in planned)
        for (cloud, account, kind), count in sorted(per_group.items(), key=lambda x: tuple(map(str, x[0]))):
            total = max(await self.count_kind(cloud, account, kind), count)
            percent = 100.0 * count / total
            if percent > max_percent:
                where = f"account {account}" if account else f"cloud {cloud}"
                return (
                    f"the plan deletes {count} of {total} {kind} resources in {where} ({percent:.0f}%), "
                    f"more than cleanup_max_percent={max_percent:g}%; nothing was deleted"
                )
        return None

    async def count_kind(self, cloud: str, account: str | None, kind: str) -> int:
        """How many nodes of ``kind`` the core holds in this account (or cloud, without an account).

        A plain search without traversal: the core answers with exactly the matching nodes.
        """
        query = f"is({kind}) and /ancestors.cloud.reported.id == {json.dumps(cloud)}"
        if account is not None:
            query += f" and /ancestors.account.reported.id == {json.dumps(account)}"
        lines = await self.core.search_graph(self.worker.graph, query)
        return sum(1 for line in lines if line.get("type", "node") == "node" and "id" in line)

    # -- hooks in threads -----------------------------------------------------------------------

    def _target(self, item: _Item) -> dict[str, Any]:
        """The arguments every action hook gets for this item, the unit of its account included."""
        assert item.plugin is not None and item.resource is not None
        location = item.outcome.location
        config = self.config.for_cloud(location.cloud)
        unit = self.host.unit_for(item.plugin, location, config)
        return {"resource": item.resource, "location": location, "config": config, "unit": unit}

    def _recheck(self, item: _Item) -> tuple[str, str] | None:
        """Ask the plugin for the resource as the cloud has it now; ``(outcome, reason)`` to stop."""
        assert item.plugin is not None and item.resource is not None
        if "check_resource" not in self.host.plugins[item.plugin].hooks:
            return None
        current = self.host.hooks(item.plugin).check_resource(**self._target(item))
        if current is None:
            return SKIPPED, "no longer exists"
        if isinstance(current, BaseResource):
            if current.id != item.resource.id:
                return SKIPPED, f"no longer matches: the cloud answered with id {current.id}"
            if self.worker.protect_tag and self.worker.protect_tag in (current.tags or {}):
                return SKIPPED, f"newly protected by the tag {self.worker.protect_tag}"
        return None

    def _prepare(self, item: _Item) -> tuple[str, str] | None:
        """Thread: re-check, then ``pre_cleanup``. ``(outcome, reason)`` when the node must not go."""
        try:
            stop = self._recheck(item)
            if stop is not None:
                return stop
            assert item.plugin is not None
            if "pre_cleanup" in self.host.plugins[item.plugin].hooks:
                self.host.hooks(item.plugin).pre_cleanup(**self._target(item))
        except ResourceGone:
            return SKIPPED, "no longer exists"
        except Exception as exc:
            log.debug("pre_cleanup of %s failed", item.outcome.describe(), exc_info=True)
            return FAILED, f"pre_cleanup failed: {_describe_error(exc)}"
        return None

    def _delete(self, item: _Item) -> tuple[str, str | None]:
        """Thread: re-check right before the delete, then ``delete_resource``."""
        try:
            stop = self._recheck(item)
            if stop is not None:
                return stop
            assert item.plugin is not None
            self.host.hooks(item.plugin).delete_resource(**self._target(item))
        except ResourceGone:
            return SKIPPED, "no longer exists"
        except NotSupported as exc:
            return SKIPPED, f"cannot be deleted: {_describe_error(exc)}"
        except Exception as exc:
            log.debug("delete of %s failed", item.outcome.describe(), exc_info=True)
            return FAILED, f"delete failed: {_describe_error(exc)}"
        return DELETED, None

    # -- recording outcomes ---------------------------------------------------------------------

    def _settle(self, item: _Item, outcome: str, reason: str | None) -> None:
        item.outcome.outcome = outcome
        item.outcome.reason = reason
        # a resource that is gone no longer holds anything up; anything else left standing does
        item.blocks = outcome != DELETED and not (outcome == SKIPPED and reason == "no longer exists")
        cloud = item.outcome.location.cloud
        metrics.CLEANED.labels(cloud, outcome).inc()
        target = {
            DELETED: self.report.deleted,
            FAILED: self.report.failed,
            BLOCKED: self.report.blocked,
            SKIPPED: self.report.skipped,
        }[outcome]
        target.append(item.outcome)
        if outcome == DELETED:
            self._event(item, "Successfully cleaned up")
            log.info("cleanup: deleted %s", item.outcome.describe())
        elif outcome == FAILED:
            self._event(item, f"Cleanup failed: {reason}", reason)
            self._error(
                f"{item.outcome.context} cleanup: {item.outcome.kind} {item.outcome.resource_id}: {reason}"
            )
        elif outcome == BLOCKED:
            self._event(item, f"Cleanup blocked: {reason}")
            self._error(
                f"{item.outcome.context} cleanup: {item.outcome.kind} {item.outcome.resource_id} "
                f"blocked: {reason}"
            )
        else:
            self._event(item, f"Cleanup skipped: {reason}")
            self._info(
                f"{item.outcome.context} cleanup: {item.outcome.kind} {item.outcome.resource_id} "
                f"skipped: {reason}"
            )

    def _blocker(self, item: _Item, plan: _Plan, deps: Mapping[str, Iterable[str]]) -> str | None:
        for dep in sorted(deps.get(item.outcome.node_id, ())):
            other = plan.items.get(dep)
            if other is not None and other.blocks:
                state = other.outcome.outcome
                return (
                    f"depends on {other.outcome.kind} {other.outcome.resource_id}, which was not deleted "
                    f"({state}: {other.outcome.reason})"
                )
        return None

    # -- the run --------------------------------------------------------------------------------

    async def run(self) -> CleanupReport:
        graph = await self.fetch()
        plan = self.plan(graph)
        report = self.report
        report.generations = len(plan.layers)
        early = [i for i in plan.items.values() if i.outcome.outcome == SKIPPED]
        doomed = self._expected_blocked(plan, graph.delete_deps)
        report.planned = [
            plan.items[nid].outcome
            for layer in plan.layers
            for nid in layer
            if plan.items[nid].outcome.outcome != SKIPPED and nid not in doomed
        ]
        if not plan.items:
            log.info("cleanup: nothing is flagged for cleanup in %s", ", ".join(self.clouds) or "no cloud")
            return report
        report.aborted_reason = await self.blast_radius(report.planned)
        if report.dry_run:
            self._report_dry_run(plan, early, doomed)
            if report.aborted_reason is not None:
                self._error(f"cleanup dry run: a real run would be aborted: {report.aborted_reason}")
            return report
        if report.aborted_reason is not None:
            self._error(f"cleanup aborted: {report.aborted_reason}")
            return report
        for item in sorted(early, key=lambda i: i.outcome.node_id):
            self._settle(item, SKIPPED, item.outcome.reason)
        for node_id in plan.stuck:
            item = plan.items[node_id]
            if item.outcome.outcome != SKIPPED:
                self._settle(item, BLOCKED, "part of (or behind) a cycle of delete dependencies")
        with ThreadPoolExecutor(self.worker.cleanup_pool_size, thread_name_prefix="cleanup") as pool:
            await self._prepare_all(plan, pool)
            await self._delete_all(plan, graph.delete_deps, pool)
        await self._send_changes()
        return report

    @staticmethod
    def _expected_blocked(plan: _Plan, deps: Mapping[str, Iterable[str]]) -> dict[str, str]:
        """Nodes that cannot go because something they depend on is skipped from the start."""
        doomed: dict[str, str] = {}
        for layer in plan.layers:
            for node_id in layer:
                for dep in sorted(deps.get(node_id, ())):
                    other = plan.items.get(dep)
                    if other is not None and (other.blocks or dep in doomed):
                        doomed[node_id] = f"depends on {other.outcome.describe()}, which would not be deleted"
                        break
        return doomed

    def _report_dry_run(self, plan: _Plan, early: list[_Item], doomed: Mapping[str, str]) -> None:
        planned = self.report.planned
        self._info(
            f"cleanup dry run (cleanup_dry_run is true): would delete {len(planned)} resource(s) "
            f"in {self.report.generations} generation(s), in this order"
        )
        for index, outcome in enumerate(planned, start=1):
            text = (
                f"cleanup dry run: would delete {index}/{len(planned)} (generation {outcome.generation + 1}): "
                + (outcome.describe())
            )
            if index <= DRY_RUN_INFO_LINES:
                self._info(text)
            else:
                log.info("%s", text)
        if len(planned) > DRY_RUN_INFO_LINES:
            self._info(
                f"cleanup dry run: {len(planned) - DRY_RUN_INFO_LINES} more planned deletions in the log"
            )
        for item in early:
            self.report.skipped.append(item.outcome)
            self._info(f"cleanup dry run: would skip {item.outcome.describe()}: {item.outcome.reason}")
        for node_id, reason in doomed.items():
            self._info(f"cleanup dry run: would block {plan.items[node_id].outcome.describe()}: {reason}")
        for node_id in plan.stuck:
            self._error(f"cleanup dry run: {plan.items[node_id].outcome.describe()} sits on a delete cycle")

    async def _run_threads(
        self, pool: ThreadPoolExecutor, items: list[_Item], fn: Callable[[_Item], Any]
    ) -> list[Any]:
        loop = asyncio.get_running_loop()
        return list(await asyncio.gather(*(loop.run_in_executor(pool, fn, item) for item in items)))

    async def _prepare_all(self, plan: _Plan, pool: ThreadPoolExecutor) -> None:
        todo = [
            plan.items[nid] for layer in plan.layers for nid in layer if not plan.items[nid].outcome.outcome
        ]
        for item in todo:
            self._event(item, "Trying to clean up")
        results = await self._run_threads(pool, todo, self._prepare)
        for item, stop in zip(todo, results, strict=True):
            if stop is not None:
                self._settle(item, *stop)

    async def _delete_all(
        self, plan: _Plan, deps: Mapping[str, Iterable[str]], pool: ThreadPoolExecutor
    ) -> None:
        for layer in plan.layers:
            ready: list[_Item] = []
            for node_id in layer:
                item = plan.items[node_id]
                if item.outcome.outcome:
                    continue  # already settled (skipped or failed while preparing)
                reason = self._blocker(item, plan, deps)
                if reason is not None:
                    self._settle(item, BLOCKED, reason)
                else:
                    ready.append(item)
            results = await self._run_threads(pool, ready, self._delete)
            for item, (outcome, reason) in zip(ready, results, strict=True):
                self._settle(item, outcome, reason)

    async def _send_changes(self) -> None:
        cleaned = {o.node_id for o in self.report.deleted}
        lines: list[dict[str, Any]] = []
        for node_id, events in self.events.items():
            metadata: dict[str, Any] = {"event_log": events}
            if node_id in cleaned:
                metadata = {"cleaned": True, "event_log": events}
            lines.append({"id": node_id, "metadata": metadata})
        for start in range(0, len(lines), PATCH_BATCH):
            await self.core.patch_nodes(self.worker.graph, lines[start : start + PATCH_BATCH])


async def run_cleanup(
    host: PluginHost,
    config: WorkerConfig,
    core: CoreClient,
    feedback: Feedback,
    *,
    clouds: list[str],
    accounts: dict[str, set[str]] | None = None,
) -> CleanupReport:
    """Run one cleanup: delete what is flagged, in dependency order, within the safety rails.

    :param clouds: The clouds this worker collects; nothing else is touched.
    :param accounts: cloud -> the account ids this worker holds; ``None`` (or a cloud without a
        known set) does not restrict by account.
    :returns: The report; it is also logged, sent as ``action_info`` lines and as node changes.
    :raises WorkerError: The core could not be searched or patched (the daemon replies
        ``action_error``).
    """
    started = time.monotonic()
    if not config.worker.cleanup:
        report = CleanupReport(dry_run=config.worker.cleanup_dry_run, aborted_reason="cleanup is disabled")
        log.info("cleanup is disabled (resotoworker.cleanup is false): nothing to do")
        return report
    if not clouds:
        log.info("cleanup: this worker collects no cloud: nothing to do")
        return CleanupReport(dry_run=config.worker.cleanup_dry_run)
    run = _Cleanup(host, config, core, feedback, clouds, accounts)
    try:
        report = await run.run()
    except Exception:
        metrics.CLEANUPS.labels("error").inc()
        raise
    finally:
        run.report.duration = time.monotonic() - started
        metrics.CLEANUP_SECONDS.observe(run.report.duration)
    metrics.CLEANUPS.labels(report.outcome).inc()
    log.info("%s", report.summary())
    if not report.dry_run and report.aborted_reason is None and report.planned:
        feedback.info("info", _clip(report.summary()))
    return report


def has_cleanup_policies(host: PluginHost) -> bool:
    """Whether any installed plugin implements ``plan_cleanup`` (then the worker plans cleanups)."""
    return any("plan_cleanup" in p.hooks for p in host.plugins.values())


# ---------------------------------------------------------------------------------------------
# cleanup planning


class _PolicyReporter(Reporter):
    """The Reporter handed to ``plan_cleanup``: collects messages for the event loop to send."""

    def __init__(self, plugin: str) -> None:
        self.prefix = f"[{plugin}]"
        self.messages: list[tuple[str, str]] = []

    def info(self, message: str) -> None:
        self.messages.append(("info", f"{self.prefix} cleanup plan: {message}"))

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
        self.messages.append(("error", f"{self.prefix} cleanup plan: {message}"))

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
        log.debug("%s cleanup plan skip: %s", self.prefix, reason)

    def api_call(self, service: str, operation: str, *, error: str | None = None) -> None:
        return None


def plan_query(clouds: Sequence[str], restricted: Mapping[str, set[str]]) -> str:
    """The resources of this worker's clouds (and accounts) with their ancestors (for locations)."""
    return (
        f"{_scope_filter(clouds, restricted)} and /metadata.protected != true and /metadata.cleaned != true "
        "<-default[0:]-"
    )


def build_candidates(
    graph: FetchedGraph,
    host: PluginHost,
    clouds: Sequence[str],
    restricted: Mapping[str, set[str]],
    protect_tag: str,
) -> list[CleanupCandidate]:
    """One candidate per resource node of this worker's clouds and accounts that its plugin can read."""
    result: list[CleanupCandidate] = []
    classes: dict[str, dict[str, type[BaseResource]]] = {}
    for node_id in sorted(graph.nodes):
        node = graph.nodes[node_id]
        kind = graph.kind(node_id)
        if kind == "graph_root" or graph.role(node_id) == "cloud":
            continue
        metadata = node.get("metadata") or {}
        if metadata.get("cleaned") is True:
            continue
        location = graph.location(node_id)
        if location is None or location.cloud not in clouds:
            continue
        allowed = restricted.get(location.cloud)
        if allowed is not None and location.account not in allowed:
            continue
        if location.cloud not in classes:
            plugin = host.by_cloud(location.cloud)
            classes[location.cloud] = {c.kind: c for c in plugin.kinds} if plugin else {}
        cls = classes[location.cloud].get(kind)
        if cls is None:
            log.debug("cleanup plan: no class for kind %s (node %s)", kind, node_id)
            continue
        try:
            resource = decode_resource(node, cls)
        except Exception as exc:
            log.debug("cleanup plan: node %s cannot be read as %s: %s", node_id, kind, _describe_error(exc))
            continue
        protected = metadata.get("protected") is True or bool(protect_tag and protect_tag in resource.tags)
        result.append(
            CleanupCandidate(
                node_id,
                resource,
                location,
                protected,
                MappingProxyType(dict(metadata)),
                MappingProxyType(dict(node.get("desired") or {})),
            )
        )
    return result


async def run_cleanup_plan(
    host: PluginHost,
    config: WorkerConfig,
    core: CoreClient,
    feedback: Feedback,
    *,
    clouds: list[str],
    accounts: dict[str, set[str]] | None = None,
) -> PlanReport:
    """Run every cleanup policy over the resources the core holds for this worker; flag the chosen.

    Protected resources (``metadata.protected`` or the ``protect_tag``) are never flagged, whatever a
    policy returns. Flags become ``{"id": ..., "desired": {"clean": true}}`` node changes.
    """
    report = PlanReport()
    policies = [p for p in host.plugins.values() if "plan_cleanup" in p.hooks]
    if not policies or not clouds:
        return report
    restricted = _restricted_accounts(clouds, accounts)
    graph_name = config.worker.graph
    kind_classes = host.kind_classes()
    lines = await core.search_graph(graph_name, plan_query(clouds, restricted))
    graph = FetchedGraph(lines, kind_classes)
    candidates = build_candidates(graph, host, clouds, restricted, config.worker.protect_tag)
    report.candidates = len(candidates)
    by_id = {c.node_id: c for c in candidates}

    async def one(
        plugin: str, cloud: str | None
    ) -> tuple[str, list[CleanupFlag] | BaseException, _PolicyReporter]:
        reporter = _PolicyReporter(plugin)
        plugin_config = config.for_cloud(cloud) if cloud else None
        try:
            flags = await asyncio.to_thread(
                host.hooks(plugin).plan_cleanup,
                candidates=candidates,
                config=plugin_config,
                reporter=reporter,
            )
        except Exception as exc:
            log.error("cleanup policy of plugin %s failed", plugin, exc_info=True)
            return plugin, exc, reporter
        return plugin, flags, reporter

    answers = await asyncio.gather(*(one(p.name, p.cloud.name if p.cloud else None) for p in policies))
    chosen: dict[str, str] = {}
    for plugin, flags, reporter in answers:
        for level, message in reporter.messages:
            if level == "error":
                report.errors.append(message)
            feedback.info(level, _clip(message))
        if isinstance(flags, BaseException):
            text = f"[{plugin}] cleanup plan: the policy failed: {_describe_error(flags)}; it flagged nothing"
            report.errors.append(text)
            feedback.info("error", _clip(text))
            continue
        for flag in flags:
            candidate = by_id.get(flag.node_id)
            if candidate is None or candidate.protected:
                report.refused += 1
                log.info(
                    "cleanup plan: %s flag for %s dropped (%s)",
                    flag.policy,
                    flag.node_id,
                    "protected" if candidate else "not a candidate",
                )
                continue
            key = (plugin, flag.policy)
            report.flagged[key] = report.flagged.get(key, 0) + 1
            if flag.node_id not in chosen:
                chosen[flag.node_id] = flag.policy
                report.flagged_ids.append(flag.node_id)
            log.debug("cleanup plan: %s flags %s: %s", flag.policy, flag.node_id, flag.reason)
    changes = [
        {"id": node_id, "desired": {"clean": True}}
        for node_id in report.flagged_ids
        if (graph.nodes[node_id].get("desired") or {}).get("clean") is not True
    ]
    for start in range(0, len(changes), PATCH_BATCH):
        await core.patch_nodes(graph_name, changes[start : start + PATCH_BATCH])
    report.patched = len(changes)
    for (plugin, policy), count in sorted(report.flagged.items()):
        feedback.info("info", _clip(f"[{plugin}] cleanup plan: policy {policy} flagged {count} resource(s)"))
    if not report.flagged:
        feedback.info(
            "info", f"cleanup plan: no policy flagged anything among {report.candidates} resource(s)"
        )
    log.info("%s", report.summary())
    return report
