"""Cleanup (protocol §6, the ``cleanup`` step): delete flagged resources within the safety rails.

:func:`run_cleanup` fetches and orders the delete set (:mod:`resotoworker.cleanup_order`), checks the
safety rails (dry run, blast-radius caps, the re-check of each resource right before it goes), calls
the owning plugin's ``pre_cleanup`` and ``delete_resource`` hooks in a bounded thread pool,
generation by generation, and reports every touched node back with ``PATCH /graph/{g}/nodes``.
Which resources get flagged is the ``cleanup_plan`` step's business (:mod:`resotoworker.cleanup_plan`).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from resoto_hookspecs import BaseResource, NotSupported, ResourceGone

from resotoworker import metrics
from resotoworker.cleanup_order import (
    BLOCKED,
    DELETED,
    FAILED,
    SKIPPED,
    DeleteItem,
    DeletePlan,
    NodeOutcome,
    Target,
    fetch_flagged,
    order_deletions,
)
from resotoworker.config import WorkerConfig
from resotoworker.core_client import CoreClient
from resotoworker.errors import clip, describe_error
from resotoworker.feedback import Feedback
from resotoworker.nodes import patch_nodes, restricted_accounts
from resotoworker.plugins import PluginHost

log = logging.getLogger(__name__)

DRY_RUN_INFO_LINES = 1000
"""At most this many planned deletions are listed one by one as ``action_info`` in a dry run."""

Stop = tuple[str, str | None]
"""``(outcome, reason)``: how a hook call ended a node's run."""
R = TypeVar("R")


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


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class _Cleanup:
    """One cleanup run; see :func:`run_cleanup`."""

    def __init__(
        self,
        host: PluginHost,
        config: WorkerConfig,
        core: CoreClient,
        feedback: Feedback,
        clouds: Sequence[str],
    ) -> None:
        self.host = host
        self.config = config
        self.worker = config.worker
        self.core = core
        self.feedback = feedback
        self.clouds = list(dict.fromkeys(clouds))
        self.report = CleanupReport(dry_run=self.worker.cleanup_dry_run)
        self.events: dict[str, list[dict[str, Any]]] = defaultdict(list)

    # -- feedback ---------------------------------------------------------------------------

    def _error(self, text: str) -> None:
        text = clip(text)
        self.report.errors.append(text)
        log.error("%s", text)
        self.feedback.info("error", text)

    def _info(self, text: str) -> None:
        log.info("%s", text)
        self.feedback.info("info", clip(text))

    def _event(self, item: DeleteItem, msg: str, exc: str | None = None) -> None:
        self.events[item.outcome.node_id].append({"timestamp": _now(), "msg": msg, "exception": exc})

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

    def _hook_args(self, item: DeleteItem, target: Target) -> dict[str, Any]:
        """The arguments every action hook gets for this item, the unit of its account included."""
        location = item.outcome.location
        config = self.config.for_cloud(location.cloud)
        unit = self.host.unit_for(target.plugin, location, config)
        return {"resource": target.resource, "location": location, "config": config, "unit": unit}

    def _recheck(self, item: DeleteItem, target: Target) -> Stop | None:
        """Ask the plugin for the resource as the cloud has it now; ``(outcome, reason)`` to stop."""
        if "check_resource" not in self.host.plugins[target.plugin].hooks:
            return None
        current = self.host.hooks(target.plugin).check_resource(**self._hook_args(item, target))
        if current is None:
            return SKIPPED, "no longer exists"
        if isinstance(current, BaseResource):
            if current.id != target.resource.id:
                return SKIPPED, f"no longer matches: the cloud answered with id {current.id}"
            if self.worker.protect_tag and self.worker.protect_tag in (current.tags or {}):
                return SKIPPED, f"newly protected by the tag {self.worker.protect_tag}"
        return None

    def _prepare(self, item: DeleteItem, target: Target) -> Stop | None:
        """Thread: re-check, then ``pre_cleanup``. ``(outcome, reason)`` when the node must not go."""
        try:
            stop = self._recheck(item, target)
            if stop is not None:
                return stop
            if "pre_cleanup" in self.host.plugins[target.plugin].hooks:
                self.host.hooks(target.plugin).pre_cleanup(**self._hook_args(item, target))
        except ResourceGone:
            return SKIPPED, "no longer exists"
        except Exception as exc:
            log.debug("pre_cleanup of %s failed", item.outcome.describe(), exc_info=True)
            return FAILED, f"pre_cleanup failed: {describe_error(exc)}"
        return None

    def _delete(self, item: DeleteItem, target: Target) -> Stop:
        """Thread: re-check right before the delete, then ``delete_resource``."""
        try:
            stop = self._recheck(item, target)
            if stop is not None:
                return stop
            self.host.hooks(target.plugin).delete_resource(**self._hook_args(item, target))
        except ResourceGone:
            return SKIPPED, "no longer exists"
        except NotSupported as exc:
            return SKIPPED, f"cannot be deleted: {describe_error(exc)}"
        except Exception as exc:
            log.debug("delete of %s failed", item.outcome.describe(), exc_info=True)
            return FAILED, f"delete failed: {describe_error(exc)}"
        return DELETED, None

    # -- recording outcomes ---------------------------------------------------------------------

    def _settle(self, item: DeleteItem, outcome: str, reason: str | None) -> None:
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

    # -- the run --------------------------------------------------------------------------------

    async def run(self, plan: DeletePlan) -> CleanupReport:
        report = self.report
        report.generations = len(plan.layers)
        early = [i for i in plan.items.values() if i.outcome.outcome == SKIPPED]
        doomed = plan.expected_blocked()
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
            await self._delete_all(plan, pool)
        await self._send_changes()
        return report

    def _report_dry_run(self, plan: DeletePlan, early: list[DeleteItem], doomed: dict[str, str]) -> None:
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
        self,
        pool: ThreadPoolExecutor,
        work: list[tuple[DeleteItem, Target]],
        fn: Callable[[DeleteItem, Target], R],
    ) -> list[R]:
        loop = asyncio.get_running_loop()
        return list(await asyncio.gather(*(loop.run_in_executor(pool, fn, i, t) for i, t in work)))

    async def _prepare_all(self, plan: DeletePlan, pool: ThreadPoolExecutor) -> None:
        todo = [
            (item, item.target)
            for layer in plan.layers
            for item in (plan.items[nid] for nid in layer)
            if not item.outcome.outcome and item.target is not None
        ]
        for item, _ in todo:
            self._event(item, "Trying to clean up")
        results = await self._run_threads(pool, todo, self._prepare)
        for (item, _), stop in zip(todo, results, strict=True):
            if stop is not None:
                self._settle(item, *stop)

    async def _delete_all(self, plan: DeletePlan, pool: ThreadPoolExecutor) -> None:
        for layer in plan.layers:
            ready: list[tuple[DeleteItem, Target]] = []
            for node_id in layer:
                item = plan.items[node_id]
                if item.outcome.outcome or item.target is None:
                    continue  # already settled (skipped or failed while preparing)
                other = plan.blocker(item)
                if other is not None:
                    self._settle(
                        item,
                        BLOCKED,
                        f"depends on {other.outcome.kind} {other.outcome.resource_id}, which was not deleted "
                        f"({other.outcome.outcome}: {other.outcome.reason})",
                    )
                else:
                    ready.append((item, item.target))
            results = await self._run_threads(pool, ready, self._delete)
            for (item, _), (outcome, reason) in zip(ready, results, strict=True):
                self._settle(item, outcome, reason)

    async def _send_changes(self) -> None:
        cleaned = {o.node_id for o in self.report.deleted}
        lines: list[dict[str, Any]] = []
        for node_id, events in self.events.items():
            metadata: dict[str, Any] = {"event_log": events}
            if node_id in cleaned:
                metadata = {"cleaned": True, "event_log": events}
            lines.append({"id": node_id, "metadata": metadata})
        await patch_nodes(self.core, self.worker.graph, lines)


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
    run = _Cleanup(host, config, core, feedback, clouds)
    restricted = restricted_accounts(run.clouds, accounts)
    try:
        graph = await fetch_flagged(core, config.worker.graph, run.clouds, restricted, host.kind_classes())
        run.report.fetched_nodes = len(graph.nodes)
        plan = order_deletions(graph, host, run.clouds, restricted, config.worker.protect_tag)
        report = await run.run(plan)
    except Exception:
        metrics.CLEANUPS.labels("error").inc()
        raise
    finally:
        run.report.duration = time.monotonic() - started
        metrics.CLEANUP_SECONDS.observe(run.report.duration)
    metrics.CLEANUPS.labels(report.outcome).inc()
    log.info("%s", report.summary())
    if not report.dry_run and report.aborted_reason is None and report.planned:
        feedback.info("info", clip(report.summary()))
    return report
