"""HTTP 429 with Retry-After: the plugin waits as told, counts the waits, and gets the data."""

from __future__ import annotations

from fakes.slack import FakeSlack
from fakes.slack.harness import TOKEN, config_for, run_collect


def test_retry_after_is_honoured_and_the_data_arrives(fake: FakeSlack) -> None:
    fake.rate_limit("users.list", times=1, retry_after=1)
    fake.rate_limit("conversations.members", times=1, retry_after=1)
    collected = run_collect(config_for(fake, page_limit=20))
    assert not collected.failures and not collected.reporter.errors
    assert len(collected.sink().by_kind("slack_user")) == len(fake.tokens[TOKEN].users)

    for method in ("users.list", "conversations.members"):
        calls = fake.calls_of(method)
        assert calls[0].status == 429 and calls[1].status == 200
        assert calls[1].params == calls[0].params  # the same request again
        assert calls[1].at - calls[0].at >= 1.0, f"{method}: retried after {calls[1].at - calls[0].at:.2f} s"
    assert collected.reporter.call_errors[("slack", "ratelimited")] == 2
    assert collected.reporter.calls[("slack", "users.list")] == 4  # 3 pages of 20 plus the wait


def test_rate_limit_beyond_the_retry_cap_is_an_error_not_a_crash(fake: FakeSlack) -> None:
    fake.rate_limit("conversations.list", times=5, retry_after=1)
    collected = run_collect(config_for(fake, max_rate_limit_retries=0))
    assert not collected.failures
    [(message, kind, _)] = collected.reporter.errors
    assert kind == "slack_conversation" and "ratelimited" in message
    assert collected.sink().by_kind("slack_user")  # the rest of the workspace was collected
    assert len(fake.calls_of("conversations.list")) == 1
