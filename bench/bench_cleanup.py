#!/usr/bin/env python3
"""Cleanup benchmark: 10,000 flagged example resources in a chain-and-fan-out dependency shape.

The example cloud (in-memory store) holds ``--chains`` chains of ``--length`` instances; instance
k+1 of a chain depends on instance k (``inst[k+1] -delete-> inst[k]``: k goes first), and every
chain instance has ``--fan`` volumes that depend on it (``vol -delete-> inst``). Every resource is
flagged ``desired.clean`` in an in-process core simulator, and ``run_cleanup`` (dry run off, both
caps open) deletes them all through the real example plugin. With the defaults:
100 chains x 25 x (1 + 3) = 10,000 resources in 26 generations.

Prints the wall time of the cleanup run (search, plan, re-checks, pre_cleanup, deletes, PATCH), the
number of parallel generations and the deletes per second.

    .venv/bin/python bench/bench_cleanup.py [--chains 100] [--length 25] [--fan 3] [--pool-size 16]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

ACCOUNT = "acc-1"
REGION = "us-west"
PSK = "bench-psk"


class QuietFeedback:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def info(self, level: str, message: str) -> None:
        if level == "error":
            self.errors.append(message)

    def progress(self, tree: dict[str, Any]) -> None:
        pass


def _time_core_calls(core: Any) -> list[float]:
    """Wrap the client's search and PATCH calls to add up their wall time: [seconds]."""
    spent = [0.0]
    for name in ("search_graph", "patch_nodes"):
        original = getattr(core, name)

        async def timed(*args: Any, _original: Any = original, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return await _original(*args, **kwargs)
            finally:
                spent[0] += time.perf_counter() - started

        setattr(core, name, timed)
    return spent


def build(
    chains: int, length: int, fan: int
) -> tuple[dict[str, Any], list[dict[str, Any]], list[tuple[str, str, str]]]:
    """The example cloud's document, and the graph (nodes, edges) the core holds for it."""
    from resoto_plugin_example.inventory import empty_document

    doc = empty_document()
    doc["accounts"].append(
        {"id": ACCOUNT, "name": "Bench", "tags": {}, "regions": [{"id": REGION, "name": REGION, "tags": {}}]}
    )
    nodes: list[dict[str, Any]] = [
        {"id": "root", "reported": {"id": "root", "kind": "graph_root", "name": "root", "tags": {}}},
        {"id": "cloud", "reported": {"id": "example", "kind": "cloud", "name": "example", "tags": {}}},
        {
            "id": "account",
            "reported": {"id": ACCOUNT, "kind": "example_account", "name": "Bench", "tags": {}},
        },
        {"id": "region", "reported": {"id": REGION, "kind": "example_region", "name": REGION, "tags": {}}},
    ]
    edges: list[tuple[str, str, str]] = [
        ("root", "cloud", "default"),
        ("cloud", "account", "default"),
        ("account", "region", "default"),
    ]

    def add(kind: str, rid: str) -> str:
        record = {"kind": kind, "id": rid, "name": rid, "account": ACCOUNT, "region": REGION, "tags": {}}
        doc["resources"][kind][rid] = record
        nid = f"n-{rid}"
        reported = {"id": rid, "kind": kind, "name": rid, "tags": {}}
        nodes.append({"id": nid, "reported": reported, "desired": {"clean": True}, "metadata": {}})
        edges.append(("region", nid, "default"))
        return nid

    for c in range(chains):
        previous: str | None = None
        for k in range(length):
            inst = add("example_instance", f"c{c}-i{k}")
            if previous is not None:
                edges.append((inst, previous, "delete"))
            previous = inst
            for f in range(fan):
                vol = add("example_volume", f"c{c}-i{k}-v{f}")
                edges.append((vol, inst, "delete"))
    return doc, nodes, edges


async def bench(args: argparse.Namespace) -> None:
    from coresim import CoreSimulator
    from resoto_plugin_example.store import ExampleStore
    from resotoworker.cleanup import run_cleanup
    from resotoworker.config import build_config
    from resotoworker.core_client import CoreClient
    from resotoworker.plugins import build_plugin_host

    doc, nodes, edges = build(args.chains, args.length, args.fan)
    resources = len(nodes) - 4
    store = ExampleStore(None)  # the per-process in-memory example cloud
    store.replace(doc)
    host = build_plugin_host(enable={"example"})
    config = build_config(
        {
            "resotoworker": {
                "collector": ["example"],
                "cleanup": True,
                "cleanup_dry_run": args.dry_run,
                "cleanup_pool_size": args.pool_size,
                "cleanup_max_deletions": resources,
                "cleanup_max_percent": 100,
            },
            "example": {"state_file": ""},
        },
        host,
    )
    feedback = QuietFeedback()
    async with CoreSimulator(psk=PSK) as sim:
        sim.load_graph(nodes, edges)
        core = CoreClient(sim.url, PSK)
        in_core = _time_core_calls(core)
        try:
            started = time.perf_counter()
            report = await run_cleanup(host, config, core, feedback, clouds=["example"])
            wall = time.perf_counter() - started
        finally:
            await core.close()
        patched = len(sim.patch_lines)
    left = len(store.resources())
    print(f"resources flagged     {resources:,} ({args.chains} chains x {args.length} x (1 + {args.fan}))")
    print(f"generations           {report.generations}")
    print(
        f"planned / deleted     {len(report.planned):,} / {len(report.deleted):,} (dry run: {report.dry_run})"
    )
    print(f"failed/blocked/skip   {len(report.failed)} / {len(report.blocked)} / {len(report.skipped)}")
    print(f"left in the cloud     {left:,}")
    print(f"PATCH lines           {patched:,}")
    print(f"pool size             {args.pool_size}")
    print(f"wall time             {wall:.2f} s ({len(report.deleted) / wall:,.0f} deletes/s)")
    print(f"  of it in core calls {in_core[0]:.2f} s (search + PATCH, answered by the in-process simulator)")
    if feedback.errors:
        print(f"errors                {len(feedback.errors)} (first: {feedback.errors[0]})")
    if not args.dry_run and (left or len(report.deleted) != resources):
        raise SystemExit("cleanup did not delete everything")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--chains", type=int, default=100)
    parser.add_argument("--length", type=int, default=25)
    parser.add_argument("--fan", type=int, default=3)
    parser.add_argument("--pool-size", type=int, default=16)
    parser.add_argument("--dry-run", action="store_true", help="plan and report only")
    asyncio.run(bench(parser.parse_args()))


if __name__ == "__main__":
    main()
