"""The collect engine in-process and with process isolation (fork_process)."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from resotoworker.collect import CollectEngine
from resotoworker.collect_report import CollectReport
from resotoworker.config import build_config
from resotoworker.oneshot import collect_once
from resotoworker.plugins import build_plugin_host

PLUGINS = str(Path(__file__).parent / "plugins")


def _lines(path: Path) -> list[dict[str, Any]]:
    docs = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    for doc in docs:
        if isinstance(doc.get("metadata"), dict):
            doc["metadata"].pop("exported_at", None)
    return docs


def _run(doc: dict[str, Any], out: Path, modules: tuple[str, ...] = ()) -> CollectReport:
    host = build_plugin_host(
        enable={"example", *(m.rsplit(".", 1)[-1] for m in modules)}, modules=list(modules)
    )
    return asyncio.run(collect_once(host, build_config(doc, host), out))


def test_fork_process_sends_the_same_graph_as_threads(tmp_path: Path) -> None:
    base = {"resotoworker": {"collector": ["example"]}, "example": {"fail_regions": ["acc-2/us-east"]}}
    _run(base, tmp_path / "threads.ndjson")
    forked = _run(
        {**base, "resotoworker": {"collector": ["example"], "fork_process": True}}, tmp_path / "forked.ndjson"
    )
    key = lambda d: json.dumps(d, sort_keys=True)  # noqa: E731
    assert sorted(map(key, _lines(tmp_path / "threads.ndjson"))) == sorted(
        map(key, _lines(tmp_path / "forked.ndjson"))
    )
    assert {(a.account_id, a.replace) for a in forked.accounts} == {
        ("acc-1", "account"),
        ("acc-2", "regions"),
    }
    assert [u.status for u in forked.units if u.name == "acc-2/us-east"] == ["failed"]
    assert any("acc-2:us-east" in e for e in forked.errors)


def test_a_crashing_child_fails_only_its_account(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(PLUGINS)
    doc = {"resotoworker": {"collector": ["crashy"], "fork_process": True}}
    report = _run(doc, tmp_path / "out.ndjson", modules=("crashy",))
    assert [a.account_id for a in report.accounts] == ["good"]
    bad = [u for u in report.units if u.account == "bad"]
    assert bad and all(u.status == "failed" and "exit code 3" in (u.error or "") for u in bad)
    ids = {d["reported"]["id"] for d in _lines(tmp_path / "out.ndjson") if "reported" in d}
    assert {"good-i0", "good-i1", "good-i2"} <= ids and not any(i.startswith("bad-") for i in ids)


def test_report_counts_kinds_calls_and_units(tmp_path: Path) -> None:
    report = _run({"resotoworker": {"collector": ["example"]}}, tmp_path / "out.ndjson")
    written = [d for d in _lines(tmp_path / "out.ndjson") if "reported" in d]
    for (_cloud, kind), n in report.kinds.items():
        assert n == sum(1 for d in written if d["reported"]["kind"] == kind), kind
    assert sum(report.api_calls.values()) > 0
    text = report.summary()
    assert "slowest units" in text and "example_instance" in text
    assert all(u.complete for u in report.units)


def test_cancel_stops_waiting_units_and_sends_what_is_complete(tmp_path: Path) -> None:
    host = build_plugin_host(enable={"example"})
    config = build_config(
        {"resotoworker": {"collector": ["example"], "pool_size": 1}, "example": {"slow_seconds": 30}}, host
    )
    sent: list[str] = []

    async def send(output: Any) -> None:
        sent.append(output.account_id)

    async def main() -> CollectReport:
        engine = CollectEngine(host, config, send=send)
        task = asyncio.create_task(engine.run())
        await asyncio.sleep(0.5)
        engine.cancel()
        return await asyncio.wait_for(task, 10)

    report = asyncio.run(main())
    assert report.cancelled
    assert {u.status for u in report.units} <= {"cancelled"}
    assert sent == []  # nothing completed, so nothing may replace the core's data


assert sys  # used by monkeypatch via sys.path
