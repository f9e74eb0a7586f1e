"""The reporter for plugin work outside a collect: logs every report, forwards infos and errors."""

from __future__ import annotations

import logging

import pytest
from resoto_hookspecs import Reporter
from resotoworker.reporters import LogReporter


def test_infos_and_errors_are_logged_and_forwarded_skips_only_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    forwarded: list[tuple[str, str]] = []
    reporter = LogReporter(
        "p", topic="cleanup plan", forward=lambda level, text: forwarded.append((level, text))
    )
    assert isinstance(reporter, Reporter)
    with caplog.at_level(logging.INFO, logger="resotoworker.reporters"):
        reporter.info("looked at 3")
        reporter.error("cannot read x", kind="k")
        reporter.skip("not enabled", service="s")
        reporter.api_call("s", "List")
    assert forwarded == [
        ("info", "[p] cleanup plan: looked at 3"),
        ("error", "[p] cleanup plan: cannot read x"),
    ]
    assert [(r.levelno, r.getMessage()) for r in caplog.records] == [
        (logging.INFO, "[p] cleanup plan: looked at 3"),
        (logging.WARNING, "[p] cleanup plan: cannot read x"),
        (logging.INFO, "[p] cleanup plan: skipped s: not enabled"),
    ]


def test_without_a_topic_or_forward_it_only_logs(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="resotoworker.reporters"):
        LogReporter("aws").skip("denied")
        LogReporter("aws").error("boom")
    assert [r.getMessage() for r in caplog.records] == ["[aws] skipped: denied", "[aws] boom"]
