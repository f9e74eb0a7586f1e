"""Kind failures: grouping for the core, the one-shot summary, read-back of stale data, durations."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from resotoworker.carry import format_time, read_back, scope_query
from resotoworker.config import WorkerSection, parse_duration
from resotoworker.failures import (
    DENIED,
    FAILED,
    NOT_THERE,
    FailureLog,
    KindFailure,
    group_messages,
    summary_lines,
)


def _failure(
    kind: str, cls: str = FAILED, region: str = "us-east-1", code: str = "InternalError"
) -> KindFailure:
    return KindFailure("aws", "123", region, kind, cls, f"listing {kind} failed", "ec2", code, 0.5)


def test_messages_are_grouped_per_service_and_code_and_fit_500_chars() -> None:
    many = [_failure(f"aws_ec2_kind_number_{i:03d}") for i in range(60)]
    other = [_failure("aws_ec2_volume", DENIED, code="UnauthorizedOperation")]
    gone = [_failure("aws_ec2_host", NOT_THERE, code="OptInRequired")]
    messages = group_messages(many + other + gone)
    assert len(messages) == 3
    levels = sorted(level for level, _ in messages)
    assert levels == ["error", "info", "warning"]
    failed = next(text for level, text in messages if level == "error")
    assert len(failed) <= 500 and "more" in failed and failed.startswith("[aws:123:us-east-1] failed: ec2")
    assert "aws_ec2_kind_number_000" in failed
    denied = next(text for level, text in messages if level == "warning")
    assert "UnauthorizedOperation" in denied and "aws_ec2_volume" in denied and "stale" in denied
    assert "left out" in group_messages(other, carried=False)[0][1]


def test_a_kind_keeps_its_most_severe_failure_and_the_summary_counts_regions() -> None:
    log = FailureLog()
    assert log.record(_failure("aws_ec2_volume", NOT_THERE))
    assert log.record(_failure("aws_ec2_volume", FAILED))
    assert not log.record(_failure("aws_ec2_volume", DENIED))
    log.record(_failure("aws_ec2_volume", FAILED, region="eu-central-1"))
    assert set(log.withheld("aws", "123", "us-east-1")) == {"aws_ec2_volume"}
    rows = summary_lines(log.all())
    assert len(rows) == 1 and "2 region(s)" in rows[0] and "1.0 s" in rows[0]


def test_read_back_marks_stale_keeps_last_seen_and_expires_old_data() -> None:
    now = 1_700_000_000.0
    queries: list[str] = []
    fresh_at = format_time(now - 3600)
    old_at = format_time(now - 3 * 86400)

    async def search(query: str) -> list[dict[str, Any]]:
        queries.append(query)
        if query.startswith("(is(account)"):
            return [
                {
                    "id": "r",
                    "reported": {"id": "us-east-1", "kind": "aws_region"},
                    "metadata": {"exported_at": fresh_at},
                }
            ]
        nodes = [
            {
                "id": "v1",
                "reported": {"id": "vol-1", "kind": "aws_ec2_volume"},
                "metadata": {"python_type": "x"},
            },
            {
                "id": "v2",
                "reported": {"id": "vol-2", "kind": "aws_ec2_volume"},
                "metadata": {"stale": True, "last_seen": old_at},
            },
        ]
        if "<-" in query:
            return [*nodes, {"type": "edge", "from": "i1", "to": "v1", "edge_type": "default"}]
        return nodes

    carried = asyncio.run(
        read_back(search, "aws", "123", "us-east-1", ["aws_ec2_volume"], max_age=86400, now=now)
    )
    assert carried.line_ids == ["v1"]
    assert b'"stale":true' in carried.lines[0] and fresh_at.encode() in carried.lines[0]
    assert carried.expired == {"aws_ec2_volume": 1} and carried.oldest["aws_ec2_volume"] == old_at
    assert carried.edges == [("i1", "v1", "default")]
    assert queries[0] == scope_query("aws", "123", "us-east-1", ["aws_ec2_volume"])
    assert '/ancestors.region.reported.id == "us-east-1"' in queries[0] and "is(aws_ec2_volume)" in queries[0]


@pytest.mark.parametrize(
    ("text", "seconds"), [("24h", 86400), ("90m", 5400), ("1d12h", 129600), ("3600", 3600), ("2w", 1209600)]
)
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


def test_a_bad_stale_max_age_is_refused() -> None:
    with pytest.raises(ValueError, match="not a duration"):
        WorkerSection(stale_max_age="soon")
    assert WorkerSection().stale_max_age_seconds == 86400
