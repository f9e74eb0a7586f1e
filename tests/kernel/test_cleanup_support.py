"""Helpers for the kernel's cleanup and tag-task tests (this module holds no tests).

:func:`example_world` gives a test the real pieces: an in-process core simulator whose graph holds
what a one-shot collect of the example cloud produced (the real ``resotoworker --collect-once``
process, so node ids are exactly the ones a worker sends), a real :class:`CoreClient` against it, the
real example plugin loaded through :func:`build_plugin_host`, and the example cloud's state file.
"""

from __future__ import annotations

import copy
import functools
import json
import subprocess
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coresim import CoreSimulator
from resoto_plugin_example.store import ExampleStore, seed_default
from resotoworker.config import WorkerConfig, build_config
from resotoworker.core_client import CoreClient
from resotoworker.plugins import PluginHost, build_plugin_host
from support import PSK, WORKER_BIN

GRAPH = "resoto"


@functools.cache
def collected(accounts: int = 2, regions: int = 2, networks: int = 2, instances: int = 3) -> tuple[str, str]:
    """(merge lines as ndjson, state document as JSON) of a one-shot collect of a fresh example cloud."""
    with tempfile.TemporaryDirectory(prefix="cleanup-seed-") as tmp:
        state = Path(tmp) / "state.json"
        seed_default(state, accounts=accounts, regions=regions, networks=networks, instances=instances)
        cfg = Path(tmp) / "config.json"
        cfg.write_text(
            json.dumps({"resotoworker": {"collector": ["example"]}, "example": {"state_file": str(state)}})
        )
        out = Path(tmp) / "graph.ndjson"
        subprocess.run(
            [
                WORKER_BIN,
                "--collect-once",
                "--config",
                str(cfg),
                "--output",
                str(out),
                "--enable-plugins",
                "example",
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        return out.read_text(), state.read_text()


class RecordingFeedback:
    """A :class:`~resotoworker.feedback.Feedback` that keeps every message."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, str]] = []

    def info(self, level: str, message: str) -> None:
        self.messages.append((level, message))

    def progress(self, tree: dict[str, Any]) -> None:
        pass

    def texts(self, level: str | None = None) -> list[str]:
        return [m for lv, m in self.messages if level is None or lv == level]


@dataclass
class World:
    sim: CoreSimulator
    core: CoreClient
    host: PluginHost
    state_file: Path
    feedback: RecordingFeedback = field(default_factory=RecordingFeedback)

    @property
    def store(self) -> ExampleStore:
        return ExampleStore(self.state_file)

    def config(self, **worker: Any) -> WorkerConfig:
        doc = {
            "resotoworker": {"collector": ["example"], "cleanup": True, **worker},
            "example": {"state_file": str(self.state_file)},
        }
        return build_config(doc, self.host)

    def node_id(self, kind: str, rid: str) -> str:
        found = self.sim.graph(GRAPH).find(kind, rid)
        assert found is not None, f"{kind} {rid} is not in the graph"
        return str(found["id"])

    def node(self, node_id: str) -> dict[str, Any]:
        return self.sim.graph(GRAPH).nodes[node_id]

    def flag(self, *resources: tuple[str, str]) -> list[str]:
        ids = [self.node_id(kind, rid) for kind, rid in resources]
        for nid in ids:
            self.sim.flag_clean(nid, GRAPH)
        return ids

    def deleted(self) -> list[tuple[str, str]]:
        return [(d["kind"], d["id"]) for d in self.store.deleted_log()]


@asynccontextmanager
async def example_world(tmp_path: Path, **shape: int) -> AsyncIterator[World]:
    lines_text, state_text = collected(**shape)
    tmp_path.mkdir(parents=True, exist_ok=True)
    state_file = tmp_path / "state.json"
    ExampleStore(state_file).replace(json.loads(state_text))
    host = build_plugin_host(enable={"example"})
    async with CoreSimulator(psk=PSK, preload_model=True) as sim:
        sim.update_model(host.model(), GRAPH)
        sim.merge_graph([json.loads(line) for line in lines_text.splitlines() if line.strip()], GRAPH)
        core = CoreClient(sim.url, PSK, retries=0)
        try:
            yield World(sim, core, host, state_file)
        finally:
            await core.close()


def tag_frame(world: World, node_id: str, data: dict[str, Any], task_id: str = "t-1") -> dict[str, Any]:
    """A tag task frame for a stored node, with attrs and ancestors built the way the core builds them."""
    attrs, node = world.sim.graphs[GRAPH].tag_task(node_id)
    return {
        "task_id": task_id,
        "task_name": "tag",
        "attrs": attrs,
        "data": {**copy.deepcopy(data), "node": node},
    }
