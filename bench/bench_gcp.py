"""GCP one-shot collect of the HTTP fake's seeded organisation (3 projects, every kind present).

Runs the real worker, ``resotoworker --collect-once``, against the fake on 127.0.0.1 with the
default configuration (only the endpoints point at the fake) and prints wall time, peak RSS of the
worker process, nodes, edges and kinds. ``--repeat N`` runs it N times.

    .venv/bin/python bench/bench_gcp.py
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
VENV_BIN = Path(sys.executable).parent


def main() -> int:
    from fakes.gcp import FakeGcp
    from fakes.gcp.world import seed

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument(
        "--worker",
        default=str(VENV_BIN / "resotoworker"),
        help="the resotoworker executable (another checkout's)",
    )
    args = parser.parse_args()
    with FakeGcp() as fake, tempfile.TemporaryDirectory() as tmp:
        seed(fake)
        config = Path(tmp) / "config.json"
        section = {
            "service_account": [""],
            "anonymous_credentials": True,
            "api_endpoint": fake.api_endpoints(),
        }
        config.write_text(
            json.dumps({"resotoworker": {"collector": ["gcp"]}, "gcp": section}), encoding="utf-8"
        )
        for run in range(args.repeat):
            out = Path(tmp) / f"graph-{run}.ndjson"
            before = len(fake.requests)
            started = time.perf_counter()
            cmd = [
                args.worker,
                "--collect-once",
                "--config",
                str(config),
                "--output",
                str(out),
            ]
            rc = subprocess.run(cmd, check=False, capture_output=True, text=True)
            wall = time.perf_counter() - started
            peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            lines = [json.loads(line) for line in out.read_text().splitlines() if line.strip()]
            kinds = Counter(n["reported"]["kind"] for n in lines if "reported" in n)
            edges = sum(1 for n in lines if "from" in n)
            print(
                json.dumps(
                    {
                        "run": run,
                        "exit_code": rc.returncode,
                        "wall_s": round(wall, 2),
                        "peak_rss_mib": round(peak_mib, 1),
                        "nodes": sum(kinds.values()),
                        "edges": edges,
                        "kinds": len(kinds),
                        "gcp_kinds": len([k for k in kinds if k.startswith("gcp_")]),
                        "api_requests": len(fake.requests) - before,
                    }
                )
            )
            if rc.returncode != 0:
                print(rc.stderr[-2000:], file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
