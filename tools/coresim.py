#!/usr/bin/env python3
"""Start the core simulator of the tests on 127.0.0.1, and drive a worker from the keyboard.

    .venv/bin/python tools/coresim.py [--port 8900] [--psk changeme] [--collect-every SECONDS]

It plays resotocore's side of the protocol (the same simulator the end-to-end tests use, from
``tests/coresim``): configs, the action and task channels, model and graph merges. Start a worker
against it in another terminal (the script prints the command), then type at its prompt:

    collect     send a collect action to every connected worker and wait for the answer
    graph       how many nodes of each kind the simulator holds
    config      the config documents the simulator holds (one per worker subscriber id)
    workers     the connected subscribers
    quit        stop (Ctrl-D and Ctrl-C too)

An empty line repeats ``collect``. Only for trying things out: it keeps everything in memory.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from coresim.threaded import ThreadedCoreSimulator  # noqa: E402  (lives in tests/, put on the path above)

HELP = "commands: collect (or an empty line), graph, config, workers, quit"


def graph_summary(core: ThreadedCoreSimulator) -> str:
    kinds = Counter(str(n.get("reported", {}).get("kind", "?")) for n in core.graph().nodes.values())
    if not kinds:
        return "the graph is empty (no collect has reached the simulator yet)"
    lines = [f"{sum(kinds.values())} nodes, {len(core.graph().edges)} edges"]
    lines += [f"  {count:6d}  {kind}" for kind, count in sorted(kinds.items())]
    return "\n".join(lines)


def collect(core: ThreadedCoreSimulator, timeout: float) -> str:
    if not core.connected_subscribers:
        return "no worker is connected yet: start one (see above) and wait until /health says ok"
    started = time.monotonic()
    task = core.send_action("collect")
    try:
        reply = core.wait_for_reply(task, timeout=timeout)
    except TimeoutError:
        return f"no answer to collect {task} within {timeout:.0f} s"
    took = time.monotonic() - started
    outcome = "done" if reply.get("kind") == "action_done" else f"failed: {reply.get('data', reply)}"
    return f"collect {outcome} in {took:.1f} s\n{graph_summary(core)}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tools/coresim.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8900, help="port on 127.0.0.1 (default 8900)")
    parser.add_argument("--psk", default="changeme", help="pre-shared key the worker must use ('' for none)")
    parser.add_argument(
        "--collect-every", type=float, default=0, metavar="SECONDS", help="send collect on a timer"
    )
    parser.add_argument("--timeout", type=float, default=600, help="seconds to wait for a collect's answer")
    args = parser.parse_args(argv)
    core = ThreadedCoreSimulator(psk=args.psk or None, port=args.port, preload_model=True)
    try:
        core.start()
    except OSError as e:
        print(
            f"tools/coresim.py: cannot listen on 127.0.0.1:{args.port}: {e.strerror} (try --port)",
            file=sys.stderr,
        )
        return 1
    psk = f' --psk "{args.psk}"' if args.psk else ""
    print(f"resotocore simulator listening on {core.url}")
    print("start a worker against it in another terminal, e.g.:")
    print(f"  .venv/bin/resotoworker --resotocore-uri {core.url}{psk} --log-format text \\")
    print(
        "    --override resotoworker.collector=example resotoworker.web_host=127.0.0.1 resotoworker.web_port=9956"
    )
    print("  curl http://127.0.0.1:9956/health")
    print(HELP, flush=True)
    stop = threading.Event()
    if args.collect_every > 0:

        def timer() -> None:
            while not stop.wait(args.collect_every):
                print(collect(core, args.timeout), flush=True)

        threading.Thread(target=timer, name="collect-timer", daemon=True).start()
    try:
        while True:
            try:
                line = input("coresim> ").strip().lower()
            except EOFError:
                break
            if line in ("", "collect"):
                print(collect(core, args.timeout))
            elif line == "graph":
                print(graph_summary(core))
            elif line == "config":
                ids = sorted(core.sim.configs)  # one config per worker, named by its --subscriber-id
                print(
                    json.dumps({cid: core.get_config(cid) for cid in ids}, indent=2)
                    if ids
                    else "no config yet"
                )
            elif line == "workers":
                print(", ".join(core.connected_subscribers) or "none connected")
            elif line in ("quit", "exit", "q"):
                break
            else:
                print(HELP)
    except KeyboardInterrupt:
        print()
    finally:
        stop.set()
        core.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
