"""Assertion helpers of the fault-injection suite: what the example cloud holds, what the core stores."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

from coresim import ThreadedCoreSimulator
from resoto_plugin_example.store import ExampleStore

EXAMPLE_KINDS = frozenset(
    {"example_instance", "example_volume", "example_network", "example_custom_resource"}
)


def cloud_resources(state_file: Path) -> set[tuple[str, str]]:
    """(kind, id) of every resource the example cloud holds."""
    return {(r["kind"], r["id"]) for r in ExampleStore(str(state_file)).resources()}


def stored_resources(core: ThreadedCoreSimulator) -> Counter[tuple[str, str]]:
    """(kind, reported id) of every example resource in the core's graph, with how often it is stored."""
    return Counter(
        (n["reported"]["kind"], n["reported"]["id"])
        for n in core.graph().nodes.values()
        if n["reported"].get("kind") in EXAMPLE_KINDS
    )


def assert_graph_matches_cloud(core: ThreadedCoreSimulator, state_file: Path) -> None:
    stored = stored_resources(core)
    duplicated = {key: n for key, n in stored.items() if n > 1}
    assert not duplicated, f"stored more than once: {duplicated}"
    assert set(stored) == cloud_resources(state_file)


def account_subtree(core: ThreadedCoreSimulator, account_id: str) -> dict[str, dict[str, Any]]:
    """Every node below the example account ``account_id`` (id -> reported section)."""
    graph = core.graph()
    account = graph.find("example_account", account_id)
    assert account is not None, f"account {account_id} is not in the graph"
    return {nid: graph.nodes[nid]["reported"] for nid in graph.descendants(account["id"])}


def done_replies(core: ThreadedCoreSimulator, task: str) -> list[dict[str, Any]]:
    return [r for r in core.replies(task) if r["kind"] == "action_done"]


def applied_merges(core: ThreadedCoreSimulator, task: str) -> int:
    return sum(1 for m in core.merges if m.task_id == task and m.applied)


def spool_leftovers(directory: Path) -> list[str]:
    """Every file and directory below ``directory`` (relative paths), sorted."""
    if not directory.exists():
        return []
    found = []
    for root, dirs, files in os.walk(directory):
        for name in dirs + files:
            found.append(os.path.relpath(os.path.join(root, name), directory))
    return sorted(found)


def frames_json(core: ThreadedCoreSimulator, channel: str, direction: str) -> list[Any]:
    result = []
    for frame in core.frames_on(channel, direction):
        try:
            result.append(json.loads(frame.data))
        except ValueError:
            continue
    return result
