"""Cleanup planning (protocol §6, the ``cleanup_plan`` step): policies choose what to clean up.

:func:`run_cleanup_plan` searches the resources the core holds for this worker (with their
ancestors, for locations), decodes each into its plugin's class (:func:`build_candidates`), hands
the candidates to every plugin's ``plan_cleanup`` policy in a thread, drops the flags for protected
resources and non-candidates, and patches the chosen nodes with ``desired.clean``. The ``cleanup``
step (:mod:`resotoworker.cleanup`) deletes them later.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from resoto_hookspecs import BaseResource, CleanupCandidate, CleanupFlag

from resotoworker.config import WorkerConfig
from resotoworker.core_client import CoreClient
from resotoworker.errors import clip, describe_error
from resotoworker.feedback import Feedback
from resotoworker.nodes import (
    FetchedGraph,
    decode_resource,
    in_scope,
    patch_nodes,
    restricted_accounts,
    scope_filter,
)
from resotoworker.plugins import PluginHost
from resotoworker.reporters import LogReporter

log = logging.getLogger(__name__)


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


def has_cleanup_policies(host: PluginHost) -> bool:
    """Whether any installed plugin implements ``plan_cleanup`` (then the worker plans cleanups)."""
    return any("plan_cleanup" in p.hooks for p in host.plugins.values())


def plan_query(clouds: Sequence[str], restricted: Mapping[str, set[str]]) -> str:
    """The resources of this worker's clouds (and accounts) with their ancestors (for locations)."""
    return (
        f"{scope_filter(clouds, restricted)} and /metadata.protected != true and /metadata.cleaned != true "
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
        if location is None or not in_scope(location, clouds, restricted):
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
            log.debug("cleanup plan: node %s cannot be read as %s: %s", node_id, kind, describe_error(exc))
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


@dataclass
class _PolicyAnswer:
    """What one plugin's policy answered (its flags, or how it failed) and what it reported."""

    plugin: str
    flags: list[CleanupFlag] | BaseException
    messages: list[tuple[str, str]]
    """(level, message) the policy reported through its reporter, for the event loop to send."""


async def _ask_policy(
    host: PluginHost, config: WorkerConfig, plugin: str, cloud: str | None, candidates: list[CleanupCandidate]
) -> _PolicyAnswer:
    """Run one plugin's ``plan_cleanup`` in a thread; a failure is its answer, never raised."""
    messages: list[tuple[str, str]] = []
    reporter = LogReporter(
        plugin, topic="cleanup plan", forward=lambda level, text: messages.append((level, text))
    )
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
        return _PolicyAnswer(plugin, exc, messages)
    return _PolicyAnswer(plugin, flags, messages)


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
    restricted = restricted_accounts(clouds, accounts)
    graph_name = config.worker.graph
    lines = await core.search_graph(graph_name, plan_query(clouds, restricted))
    graph = FetchedGraph(lines, host.kind_classes())
    candidates = build_candidates(graph, host, clouds, restricted, config.worker.protect_tag)
    report.candidates = len(candidates)
    by_id = {c.node_id: c for c in candidates}
    answers = await asyncio.gather(
        *(_ask_policy(host, config, p.name, p.cloud.name if p.cloud else None, candidates) for p in policies)
    )
    chosen: dict[str, str] = {}
    for answer in answers:
        plugin = answer.plugin
        for level, message in answer.messages:
            if level == "error":
                report.errors.append(message)
            feedback.info(level, clip(message))
        if isinstance(answer.flags, BaseException):
            text = f"[{plugin}] cleanup plan: the policy failed: {describe_error(answer.flags)}; it flagged nothing"
            report.errors.append(text)
            feedback.info("error", clip(text))
            continue
        for flag in answer.flags:
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
    await patch_nodes(core, graph_name, changes)
    report.patched = len(changes)
    for (plugin, policy), count in sorted(report.flagged.items()):
        feedback.info("info", clip(f"[{plugin}] cleanup plan: policy {policy} flagged {count} resource(s)"))
    if not report.flagged:
        feedback.info(
            "info", f"cleanup plan: no policy flagged anything among {report.candidates} resource(s)"
        )
    log.info("%s", report.summary())
    return report
