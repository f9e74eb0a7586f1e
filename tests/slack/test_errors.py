"""ok:false answers: rejected tokens fail clearly, missing scopes skip a kind, nothing crashes."""

from __future__ import annotations

import pytest
from fakes.slack import FakeSlack, generate_workspace
from fakes.slack.harness import OTHER_TOKEN, TOKEN, config_for, run_collect
from resoto_hookspecs import ConfigError, GraphBuilder, MemorySink, NotAvailable, RecordingReporter
from resoto_plugin_slack import plugin
from resoto_plugin_slack.config import SlackConfig


def test_invalid_token_is_reported_and_the_others_collected(fake: FakeSlack) -> None:
    # OTHER_TOKEN is unknown to the fake: auth.test answers invalid_auth
    collected = run_collect(config_for(fake, bot_tokens=[OTHER_TOKEN]))
    assert [u.account.id for u in collected.units] == [fake.tokens[TOKEN].id]
    assert not collected.failures
    assert len(collected.sink().by_kind("slack_user")) == len(fake.tokens[TOKEN].users)
    [(message, _, service)] = collected.reporter.errors
    assert "slack.bot_tokens[0]" in message and "invalid_auth" in message and service == "slack"
    assert OTHER_TOKEN not in message and "xoxb" not in message
    assert any(c.error == "invalid_auth" for c in fake.calls_of("auth.test"))


def test_token_revoked_after_discovery_fails_only_its_unit(fake: FakeSlack) -> None:
    second = generate_workspace(team_id="T0SECOND1", users=10, conversations=3)
    fake.tokens[OTHER_TOKEN] = second
    config = config_for(fake, bot_tokens=[OTHER_TOKEN])
    reporter = RecordingReporter()
    units = list(plugin.collection_units(config=config, reporter=reporter))
    assert len(units) == 2
    fake.revoke(OTHER_TOKEN)
    outcomes: dict[str, Exception | None] = {}
    for unit in units:
        try:
            plugin.collect(
                unit=unit,
                config=config,
                builder=GraphBuilder(unit, MemorySink(), reporter),
                reporter=reporter,
            )
            outcomes[unit.account.id] = None
        except Exception as e:
            outcomes[unit.account.id] = e
    assert outcomes[fake.tokens[TOKEN].id] is None
    failure = outcomes["T0SECOND1"]
    assert isinstance(failure, ConfigError)
    assert "slack.bot_tokens[0]" in str(failure) and "invalid_auth" in str(failure)
    assert OTHER_TOKEN not in str(failure)


def test_revoked_token_mid_collect_fails_the_unit(fake: FakeSlack) -> None:
    fake.fail("conversations.list", "token_revoked")
    collected = run_collect(config_for(fake))
    failure = collected.failures[fake.tokens[TOKEN].id]
    assert isinstance(failure, ConfigError) and "token_revoked" in str(failure)


def test_missing_scope_skips_one_kind_and_keeps_the_rest(fake: FakeSlack) -> None:
    fake.fail(
        "usergroups.list", "missing_scope", needed="usergroups:read", provided="users:read,channels:read"
    )
    collected = run_collect(config_for(fake))
    assert not collected.failures
    [(reason, kind, service, complete)] = collected.reporter.skips
    assert kind == "slack_usergroup" and service == "slack" and complete is False
    assert "usergroups:read" in reason
    sink = collected.sink()
    assert sink.by_kind("slack_usergroup") == []
    assert len(sink.by_kind("slack_user")) == len(fake.tokens[TOKEN].users)
    assert sink.by_kind("slack_conversation")
    assert collected.reporter.call_errors[("slack", "missing_scope")] == 1


def test_missing_scope_for_members_keeps_the_conversations(fake: FakeSlack) -> None:
    fake.fail("conversations.members", "missing_scope", needed="channels:read")
    collected = run_collect(config_for(fake))
    assert not collected.failures
    assert [s[1] for s in collected.reporter.skips] == ["slack_conversation"]
    assert len(fake.calls_of("conversations.members")) == 1  # a scope is missing for all: asked once
    sink = collected.sink()
    assert len(sink.by_kind("slack_conversation")) == sum(
        1 for c in fake.tokens[TOKEN].conversations if not c["is_archived"]
    )


def test_other_errors_are_reported_not_raised(fake: FakeSlack) -> None:
    fake.fail("conversations.members", "internal_error", times=2)
    fake.fail("users.list", "fatal_error")
    collected = run_collect(config_for(fake))
    assert not collected.failures
    messages = [e[0] for e in collected.reporter.errors]
    kinds = [e[1] for e in collected.reporter.errors]
    assert kinds.count("slack_user") == 1 and "fatal_error" in messages[kinds.index("slack_user")]
    members_error = messages[kinds.index("slack_conversation")]
    assert "members of 2 conversations" in members_error and "internal_error" in members_error
    # without users there is no member edge to a user that was never sent
    assert collected.sink().validate([collected.builders[collected.units[0].name].account_node_id]) == []


def test_unreachable_api_is_reported_not_raised() -> None:
    config = SlackConfig.model_validate(
        {"bot_token": TOKEN, "base_url": "http://127.0.0.1:9/api/", "max_connection_retries": 0, "timeout": 2}
    )
    reporter = RecordingReporter()
    assert list(plugin.collection_units(config=config, reporter=reporter)) == []
    assert "connection_error" in reporter.errors[0][0]


def test_no_token_configured_is_quiet() -> None:
    with pytest.raises(NotAvailable):
        list(plugin.collection_units(config=SlackConfig(), reporter=RecordingReporter()))
