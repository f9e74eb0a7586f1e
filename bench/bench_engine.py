#!/usr/bin/env python3
"""Collect engine benchmark: a synthetic plugin through the full engine into a local sink.

Default: 200 accounts x 5 regions x 1,000 resources = one million resource nodes (plus the
hierarchy), every account assembled, validated and streamed to a file, like the one-shot mode.
Prints wall time, nodes per second and peak RSS of this process.

    .venv/bin/python bench/bench_engine.py [--accounts 200] [--regions 5] [--per-region 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--accounts", type=int, default=200)
    parser.add_argument("--regions", type=int, default=5)
    parser.add_argument("--per-region", type=int, default=1000)
    parser.add_argument("--pool-size", type=int, default=8)
    parser.add_argument("--fork-process", action="store_true")
    args = parser.parse_args()
    os.environ["SYNTH_ACCOUNTS"] = str(args.accounts)
    os.environ["SYNTH_REGIONS"] = str(args.regions)
    os.environ["SYNTH_PER_REGION"] = str(args.per_region)

    from resotoworker.config import build_config
    from resotoworker.oneshot import collect_once
    from resotoworker.plugins import build_plugin_host
    from resotoworker.tuning import tune_process

    tune_process()  # as the resotoworker process does
    host = build_plugin_host(entry_points=False, modules=["synthetic_plugin"])
    doc = {
        "resotoworker": {
            "collector": ["synth"],
            "pool_size": args.pool_size,
            "plugin_pool_size": args.pool_size,
            "fork_process": args.fork_process,
        }
    }
    config = build_config(doc, host)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "graph.ndjson"
        started = time.perf_counter()
        report = asyncio.run(collect_once(host, config, out))
        wall = time.perf_counter() - started
        size = out.stat().st_size
    nodes = sum(a.nodes for a in report.accounts)
    edges = sum(a.edges for a in report.accounts)
    resources = sum(n for (_, kind), n in report.kinds.items())
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"accounts            {len(report.accounts)}")
    print(f"resource nodes      {resources:,}")
    print(f"nodes sent          {nodes:,} (with hierarchy)")
    print(f"edges sent          {edges:,}")
    print(f"output              {size / 1e6:,.1f} MB")
    print(f"wall time           {wall:.2f} s")
    print(f"nodes per second    {nodes / wall:,.0f}")
    print(
        f"peak RSS            {peak_mb:.0f} MB"
        + (f" (largest child {children_mb:.0f} MB)" if args.fork_process else "")
    )
    print(
        f"errors              {len(report.errors) + len(report.plugin_errors) + len(report.account_errors)}"
    )


if __name__ == "__main__":
    main()
