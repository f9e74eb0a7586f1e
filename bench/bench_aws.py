#!/usr/bin/env python3
"""Benchmark the AWS collection against a local moto server at several seed sizes.

    .venv/bin/python bench/bench_aws.py --sizes 1,5,10 [--json results.json] [--driver worker|hooks]

What it does, all on 127.0.0.1:

1. starts ``moto_server`` (``MOTO_EC2_LOAD_DEFAULT_AMIS=false``) from the venv on a free port, and
   in front of it a counting reverse proxy (``tests/faults/aws_proxy.py`` with no faults) in its own
   process, so every API call the collector makes is counted by service and operation;
2. per size: resets moto, seeds it with ``bench/seed_aws.py``, then runs one collection in a fresh
   process and measures wall time and peak RSS (``getrusage(RUSAGE_CHILDREN)`` of a small wrapper
   process whose only child is the collector, cross-checked by polling the process tree with
   psutil);
3. counts nodes, edges and kinds in the output ndjson, and prints a table, with the seconds the
   collector lost to kinds it could not read (moto lacks some APIs: they are reported, not
   excluded; the collect runs with the default config).

Drivers: ``worker`` (default) runs the real one-shot worker, ``resotoworker --collect-once``;
``hooks`` calls the AWS plugin's hooks directly (``collection_units`` + ``collect`` on a thread
pool into a file sink), for measuring the plugin without the kernel.

``--profile DIR`` additionally records a py-spy flame graph (SVG) and a ``--format raw`` profile
of the largest size into DIR.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
REGIONS = ("us-east-1", "us-west-2", "eu-central-1")
REFERENCE = {  # Resoto 3.9.0 against the shared seed: seconds, MiB, nodes
    1: (11.3, 312, 355),
    5: (20.9, 341, 1523),
    10: (39.9, 348, 2968),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                answer.read()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not come up") from None
            time.sleep(0.1)


def fake_aws_env(endpoint: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_ENDPOINT_URL=endpoint,
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_EC2_METADATA_DISABLED="true",
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_DEFAULT_REGION=REGIONS[0],
    )
    return env


class Background:
    """A helper server process started by the benchmark and always stopped again."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], log: Path) -> None:
        self.name = name
        self._log = open(log, "wb")  # noqa: SIM115  (closed in stop)
        self.process = subprocess.Popen(argv, env=env, stdout=self._log, stderr=subprocess.STDOUT)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


@dataclass
class RunResult:
    size: int
    driver: str
    seeded: int
    seed_seconds: float
    wall: float
    peak_rss_mib: float
    peak_tree_rss_mib: float
    nodes: int
    edges: int
    kinds: int
    resource_nodes: int
    api_calls: int | None
    calls_per_second: float | None
    exit_code: int
    worker_errors: int
    failing_kinds: int = 0
    seconds_lost: float = 0.0
    missing: dict[str, int] = field(default_factory=dict)
    kind_counts: dict[str, int] = field(default_factory=dict)
    calls_by_operation: dict[str, int] = field(default_factory=dict)


# -- measuring a child process ------------------------------------------------------------------


def measure_main(argv: list[str]) -> int:
    """``bench_aws.py --measure OUT.json -- CMD...``: run CMD, write wall time and its peak RSS."""
    out, cmd = argv[0], argv[2:]
    started = time.perf_counter()
    completed = subprocess.run(cmd, check=False)
    wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    Path(out).write_text(
        json.dumps({"wall": wall, "maxrss_kib": usage.ru_maxrss, "rc": completed.returncode}),
        encoding="utf-8",
    )
    return 0


def poll_tree_rss(pid: int, stop: threading.Event, peak: list[int]) -> None:
    """Sample the summed RSS of ``pid`` and its descendants (minus the wrapper itself) every 50 ms."""
    import psutil

    try:
        wrapper = psutil.Process(pid)
    except psutil.Error:
        return
    while not stop.is_set():
        total = 0
        try:
            for child in wrapper.children(recursive=True):
                try:
                    total += child.memory_info().rss
                except psutil.Error:
                    pass
        except psutil.Error:
            return
        peak[0] = max(peak[0], total)
        stop.wait(0.05)


def run_measured(cmd: list[str], env: dict[str, str], log: Path, cwd: Path) -> dict[str, Any]:
    result_file = cwd / "measure.json"
    wrapper = [sys.executable, str(Path(__file__).resolve()), "--measure", str(result_file), "--", *cmd]
    with open(log, "wb") as out:
        process = subprocess.Popen(wrapper, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=cwd)
        stop, peak = threading.Event(), [0]
        poller = threading.Thread(target=poll_tree_rss, args=(process.pid, stop, peak), daemon=True)
        poller.start()
        process.wait()
        stop.set()
        poller.join()
    measured: dict[str, Any] = json.loads(result_file.read_text(encoding="utf-8"))
    measured["tree_peak_bytes"] = peak[0]
    return measured


# -- the hooks driver ---------------------------------------------------------------------------


def hooks_main(argv: list[str]) -> int:
    """``bench_aws.py --hooks-run OUT REGIONS``: collect through the plugin's hooks into OUT."""
    from concurrent.futures import ThreadPoolExecutor

    from resoto_hookspecs import GraphBuilder, RecordingReporter
    from resoto_plugin_aws import plugin

    out, regions = Path(argv[0]), argv[1].split(",")
    no_collect = [k for k in (argv[2] if len(argv) > 2 else "").split(",") if k]
    lock = threading.Lock()
    sink_file = open(out, "wb")  # noqa: SIM115

    class FileSink:
        def add_node(self, nid: str, kind: str, line: bytes) -> None:
            with lock:
                sink_file.write(line)

        def add_edge(self, from_id: str, to_id: str, edge_type: str) -> None:
            with lock:
                sink_file.write(json.dumps({"from": from_id, "to": to_id, "edge_type": edge_type}).encode())
                sink_file.write(b"\n")

    info = plugin.cloud_info()
    config = info.config(region=regions, no_collect=no_collect) if info.config else None  # type: ignore[call-arg]
    reporter = RecordingReporter()
    units = list(plugin.collection_units(config=config, reporter=reporter))
    sink = FileSink()

    def one(unit: Any) -> None:
        builder = GraphBuilder(unit, sink, reporter)
        plugin.collect(unit=unit, config=config, builder=builder, reporter=reporter)

    with ThreadPoolExecutor(max_workers=8) as pool:
        for future in [pool.submit(one, u) for u in units]:
            try:
                future.result()
            except Exception as exc:
                print(f"error: unit failed: {exc}", file=sys.stderr)
    sink_file.close()
    for message, kind, service in reporter.errors:
        print(f"error: {message} ({kind}, {service})", file=sys.stderr)
    print(f"api calls reported by the plugin: {sum(reporter.calls.values())}", file=sys.stderr)
    return 0


# -- reading the output -------------------------------------------------------------------------

STRUCTURE_KINDS = frozenset({"graph_root", "cloud", "aws_account", "aws_region"})


def read_graph(path: Path) -> tuple[Counter[str], int]:
    kinds: Counter[str] = Counter()
    edges = 0
    if not path.exists():
        return kinds, 0
    with open(path, "rb") as fh:
        for raw in fh:
            if not raw.strip():
                continue
            line = json.loads(raw)
            if "reported" in line:
                kinds[line["reported"]["kind"]] += 1
            elif "from" in line:
                edges += 1
    return kinds, edges


# -- the benchmark ------------------------------------------------------------------------------


class Bench:
    def __init__(self, args: argparse.Namespace, workdir: Path) -> None:
        self.args = args
        self.workdir = workdir
        self.helpers: list[Background] = []
        moto_port = free_port()
        self.moto_url = f"http://127.0.0.1:{moto_port}"
        env = dict(os.environ, MOTO_EC2_LOAD_DEFAULT_AMIS="false")
        self.helpers.append(
            Background(
                "moto",
                [str(VENV_BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(moto_port)],
                env,
                workdir / "moto.log",
            )
        )
        wait_http(self.moto_url + "/moto-api/")
        self.endpoint = self.moto_url
        self.proxy_url: str | None = None
        if not args.no_proxy:
            port = free_port()
            self.helpers.append(
                Background(
                    "proxy",
                    [
                        sys.executable,
                        str(ROOT / "tests" / "faults" / "aws_proxy.py"),
                        "--upstream",
                        self.moto_url,
                        "--port",
                        str(port),
                    ],
                    dict(os.environ),
                    workdir / "proxy.log",
                )
            )
            self.proxy_url = f"http://127.0.0.1:{port}"
            wait_http(self.proxy_url + "/__faults__/stats")
            self.endpoint = self.proxy_url

    def close(self) -> None:
        for helper in reversed(self.helpers):
            helper.stop()

    def proxy(self, what: str, method: str = "GET") -> dict[str, Any]:
        assert self.proxy_url is not None
        request = urllib.request.Request(f"{self.proxy_url}/__faults__/{what}", method=method)
        with urllib.request.urlopen(request, timeout=10) as answer:
            result: dict[str, Any] = json.load(answer)
            return result

    def seed(self, size: int) -> tuple[dict[str, int], float]:
        sys.path.insert(0, str(ROOT / "bench"))
        from seed_aws import seed

        started = time.perf_counter()
        counts = seed(self.moto_url, size, self.args.regions, do_reset=True)
        return counts, time.perf_counter() - started

    def aws_section(self) -> dict[str, Any]:
        section: dict[str, Any] = {"region": list(self.args.regions)}
        if self.args.no_collect:
            section["no_collect"] = self.args.no_collect
        return section

    def collect_command(self, rundir: Path, output: Path) -> list[str]:
        if self.args.driver == "hooks":
            return [
                sys.executable,
                str(Path(__file__).resolve()),
                "--hooks-run",
                str(output),
                ",".join(self.args.regions),
                ",".join(self.args.no_collect),
            ]
        config = rundir / "config.json"
        config.write_text(
            json.dumps({"resotoworker": {"collector": ["aws"]}, "aws": self.aws_section()}),
            encoding="utf-8",
        )
        return [
            str(VENV_BIN / "resotoworker"),
            "--collect-once",
            "--config",
            str(config),
            "--output",
            str(output),
            "--override",
            "resotoworker.collector=aws",
            *self.args.worker_arg,
        ]

    def run(self, size: int) -> RunResult:
        counts, seed_seconds = self.seed(size)
        rundir = self.workdir / f"size-{size}"
        rundir.mkdir(exist_ok=True)
        output = rundir / "graph.ndjson"
        if self.proxy_url:
            self.proxy("reset-stats", "POST")
        cmd = self.collect_command(rundir, output)
        measured = run_measured(cmd, fake_aws_env(self.endpoint), rundir / "collector.log", rundir)
        calls: dict[str, Any] = self.proxy("stats") if self.proxy_url else {}
        if self.args.profile and size == max(self.args.sizes):
            self.profile(cmd, rundir)
        kinds, edges = read_graph(output)
        log_text = (rundir / "collector.log").read_text(encoding="utf-8", errors="replace")
        errors = sum(1 for line in log_text.splitlines() if line.startswith("error:"))
        failing, lost = failure_figures(log_text)
        missing = {k: n - kinds.get(k, 0) for k, n in counts.items() if kinds.get(k, 0) < n}
        wall = float(measured["wall"])
        api_calls = int(calls["requests"]) if calls else None
        return RunResult(
            size=size,
            driver=self.args.driver,
            seeded=sum(counts.values()),
            seed_seconds=round(seed_seconds, 2),
            wall=round(wall, 2),
            peak_rss_mib=round(measured["maxrss_kib"] / 1024, 1),
            peak_tree_rss_mib=round(measured["tree_peak_bytes"] / 2**20, 1),
            nodes=sum(kinds.values()),
            edges=edges,
            kinds=len(set(kinds) - STRUCTURE_KINDS),
            resource_nodes=sum(n for k, n in kinds.items() if k not in STRUCTURE_KINDS),
            api_calls=api_calls,
            calls_per_second=round(api_calls / wall, 1) if api_calls is not None and wall > 0 else None,
            exit_code=int(measured["rc"]),
            worker_errors=errors,
            failing_kinds=failing,
            seconds_lost=lost,
            missing=missing,
            kind_counts=dict(sorted(kinds.items())),
            calls_by_operation=dict(
                sorted(calls.get("by_operation", {}).items(), key=lambda kv: (-kv[1], kv[0]))
            ),
        )

    def profile(self, cmd: list[str], rundir: Path) -> None:
        """Record py-spy profiles of one more collection (the seed is unchanged, so is the work)."""
        spy = shutil.which("py-spy", path=str(VENV_BIN)) or shutil.which("py-spy")
        if spy is None:
            print("py-spy not found; skipping --profile", file=sys.stderr)
            return
        target = Path(self.args.profile)
        target.mkdir(parents=True, exist_ok=True)
        env = fake_aws_env(self.endpoint)
        for fmt, name in (("flamegraph", "collect.svg"), ("raw", "collect.txt")):
            subprocess.run(
                [spy, "record", "--subprocesses", "--threads", "--rate", "200", "--format", fmt]
                + ["--output", str(target / name), "--", *cmd],
                env=env,
                cwd=rundir,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=False,
            )


def failure_figures(summary: str) -> tuple[int, float]:
    """From the one-shot summary: kinds left out (denied or failed), and the seconds they cost."""
    failing, lost = 0, 0.0
    for line in summary.splitlines():
        text = line.strip()
        if text.startswith("could not be read:"):
            failing = int(text.split()[4])
        elif text.startswith("seconds lost to failing kinds:"):
            lost = float(text.split(":")[1].split()[0])
    return failing, lost


def print_table(results: list[RunResult]) -> None:
    header = (
        f"{'N':>3} {'seeded':>7} {'wall s':>7} {'RSS MiB':>8} {'tree MiB':>8} {'nodes':>6} "
        f"{'edges':>6} {'kinds':>5} {'calls':>6} {'calls/s':>8} {'errors':>6} {'missing':>7} "
        f"{'failing':>7} {'lost s':>6}   reference"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        ref = REFERENCE.get(r.size)
        ref_text = f"{ref[0]} s / {ref[1]} MiB / {ref[2]} nodes" if ref else ""
        print(
            f"{r.size:>3} {r.seeded:>7} {r.wall:>7.2f} {r.peak_rss_mib:>8.1f} {r.peak_tree_rss_mib:>8.1f} "
            f"{r.nodes:>6} {r.edges:>6} {r.kinds:>5} {r.api_calls if r.api_calls is not None else '-':>6} "
            f"{r.calls_per_second if r.calls_per_second is not None else '-':>8} {r.worker_errors:>6} "
            f"{sum(r.missing.values()):>7} {r.failing_kinds:>7} {r.seconds_lost:>6.2f}   {ref_text}"
        )
    for r in results:
        if r.exit_code:
            print(f"N={r.size}: collector exited with {r.exit_code}")
        if r.missing:
            print(f"N={r.size}: fewer nodes than seeded: {r.missing}")
    print(
        "\nfailing = kinds the collector could not read (left out and reported, e.g. APIs moto lacks);"
        "\nlost s = seconds spent trying to read them, summed over regions and threads (retries included)"
    )
    if results and results[-1].calls_by_operation:
        print(f"\nbusiest API operations at N={results[-1].size}:")
        for op, n in list(results[-1].calls_by_operation.items())[:12]:
            print(f"  {n:6d}  {op}")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--measure":
        return measure_main(argv[1:])
    if argv and argv[0] == "--hooks-run":
        return hooks_main(argv[1:])
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="1,5,10", help="comma-separated seed sizes")
    parser.add_argument("--regions", default=",".join(REGIONS))
    parser.add_argument("--driver", choices=("worker", "hooks"), default="worker")
    parser.add_argument(
        "--worker-arg",
        action="append",
        default=[],
        help="extra argument for resotoworker (repeatable), e.g. --worker-arg=--enable-plugins --worker-arg=aws",
    )
    parser.add_argument(
        "--no-collect",
        default="",
        help="kinds to leave out (aws.no_collect); default: none, the default config",
    )
    parser.add_argument("--no-proxy", action="store_true", help="talk to moto directly (no call counts)")
    parser.add_argument(
        "--no-warmup",
        action="store_true",
        help="measure the first collect too: moto imports each service's backend on first use (seconds, once per "
        "server), so by default one unmeasured collect at the smallest size runs first",
    )
    parser.add_argument("--json", metavar="FILE", help="write all results here")
    parser.add_argument("--keep", metavar="DIR", help="keep outputs and logs in DIR")
    parser.add_argument("--profile", metavar="DIR", help="py-spy profiles of the largest size into DIR")
    args = parser.parse_args(argv)
    args.sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    args.no_collect = [k.strip() for k in args.no_collect.split(",") if k.strip()]
    args.regions = [r.strip() for r in args.regions.split(",") if r.strip()]
    workdir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-aws-"))
    workdir.mkdir(parents=True, exist_ok=True)
    bench = Bench(args, workdir)
    results: list[RunResult] = []
    try:
        if not args.no_warmup:
            print(
                "warm-up collect (not measured): moto loads each service's backend on first use",
                file=sys.stderr,
            )
            bench.run(min(args.sizes))
        for size in args.sizes:
            result = bench.run(size)
            results.append(result)
            print(
                f"N={size}: {result.wall:.2f} s, {result.peak_rss_mib:.0f} MiB, {result.nodes} nodes, "
                f"{result.api_calls} calls",
                file=sys.stderr,
            )
    finally:
        bench.close()
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    print_table(results)
    if args.json:
        Path(args.json).write_text(
            json.dumps([asdict(r) for r in results], indent=2) + "\n", encoding="utf-8"
        )
    return 0 if all(r.exit_code == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
