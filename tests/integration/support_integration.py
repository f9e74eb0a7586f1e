"""Helpers for the kernel + cloud plugin integration tests (this module holds no tests).

:func:`cloud_stack` gives a test the real pieces for one cloud: the plugin loaded through
:func:`build_plugin_host`, an in-process core simulator holding the plugin's model, and a real
:class:`CoreClient` against it. :meth:`Stack.collect` runs the kernel's one-shot collect (the
:class:`~resotoworker.collect.CollectEngine` behind ``--collect-once``) with the given config
document and merges its output into the simulator, so node ids are exactly the ones a worker sends.
:meth:`Stack.cleanup` runs the kernel's cleanup, :meth:`Stack.tag` answers a tag task frame built
the way the core builds it.
"""

from __future__ import annotations

import copy
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coresim import CoreSimulator
from kernel.test_cleanup_support import GRAPH, RecordingFeedback
from resotoworker.cleanup import CleanupReport, run_cleanup
from resotoworker.collect_report import CollectReport
from resotoworker.config import WorkerConfig, build_config
from resotoworker.core_client import CoreClient
from resotoworker.oneshot import collect_once
from resotoworker.plugins import PluginHost, build_plugin_host
from resotoworker.tasks import handle_task
from support import PSK

__all__ = ["GRAPH", "RecordingFeedback", "Stack", "cloud_stack"]


@dataclass
class Stack:
    """One cloud's plugin, the core simulator and a client, wired like the daemon wires them."""

    cloud: str
    sim: CoreSimulator
    core: CoreClient
    host: PluginHost
    section: dict[str, Any]
    """The cloud's section of the config document (e.g. what ``gcp`` holds)."""
    work_dir: Path
    feedback: RecordingFeedback = field(default_factory=RecordingFeedback)
    collects: int = 0

    def config(self, **worker: Any) -> WorkerConfig:
        doc = {
            "resotoworker": {"collector": [self.cloud], "cleanup": True, **worker},
            self.cloud: copy.deepcopy(self.section),
        }
        return build_config(doc, self.host)

    async def collect(self) -> CollectReport:
        """A one-shot collect through the kernel's engine; its output is merged into the simulator."""
        self.collects += 1
        out = self.work_dir / f"collect-{self.collects}.ndjson"
        report = await collect_once(self.host, self.config(), out, self.feedback)
        lines = [json.loads(line) for line in out.read_text().splitlines() if line.strip()]
        assert lines, f"the collect produced nothing: {report.errors}"
        self.sim.merge_graph(lines, GRAPH)
        return report

    def find(self, kind: str, rid: str) -> str:
        """The node id of the one stored node of ``kind`` with reported id ``rid``."""
        matches = [n["id"] for n in self.sim.graph(GRAPH).by_kind(kind) if n["reported"].get("id") == rid]
        assert len(matches) == 1, f"{kind} {rid}: {len(matches)} nodes"
        return str(matches[0])

    def node(self, node_id: str) -> dict[str, Any]:
        node: dict[str, Any] = self.sim.graph(GRAPH).nodes[node_id]
        return node

    def flag(self, *resources: tuple[str, str]) -> list[str]:
        ids = [self.find(kind, rid) for kind, rid in resources]
        for nid in ids:
            self.sim.flag_clean(nid, GRAPH)
        return ids

    def cleaned(self, node_id: str) -> bool:
        return (self.node(node_id).get("metadata") or {}).get("cleaned") is True

    async def cleanup(self, **worker: Any) -> CleanupReport:
        return await run_cleanup(
            self.host,
            self.config(**worker),
            self.core,
            self.feedback,
            clouds=[self.cloud],
            accounts=None,
        )

    def tag_frame(
        self,
        node_id: str,
        update: dict[str, str | None] | None = None,
        delete: list[str] | None = None,
        task_id: str = "tag-1",
    ) -> dict[str, Any]:
        """A tag task frame for a stored node: attrs and ancestors as the core builds them."""
        attrs, node = self.sim.graphs[GRAPH].tag_task(node_id)
        data: dict[str, Any] = {"node": node}
        if update is not None:
            data["update"] = update
        if delete is not None:
            data["delete"] = delete
        return {"task_id": task_id, "task_name": "tag", "attrs": attrs, "data": data}

    async def tag(
        self,
        node_id: str,
        update: dict[str, str | None] | None = None,
        delete: list[str] | None = None,
        task_id: str = "tag-1",
    ) -> dict[str, Any]:
        """Answer a tag task; a ``done`` reply's node is stored in the simulator, as the core does."""
        frame = self.tag_frame(node_id, update, delete, task_id)
        reply = await handle_task(self.host, self.config(), frame, None)
        assert reply is not None and reply["task_id"] == task_id
        if reply["result"] == "done":
            self.sim.graphs[GRAPH].update_node_from_result(reply["data"])
        return reply


@asynccontextmanager
async def cloud_stack(cloud: str, section: dict[str, Any], work_dir: Path) -> AsyncIterator[Stack]:
    host = build_plugin_host(enable={cloud})
    work_dir.mkdir(parents=True, exist_ok=True)
    async with CoreSimulator(psk=PSK, preload_model=True) as sim:
        sim.update_model(host.model(), GRAPH)
        core = CoreClient(sim.url, PSK, retries=0)
        try:
            yield Stack(cloud, sim, core, host, section, work_dir)
        finally:
            await core.close()
