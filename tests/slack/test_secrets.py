"""The bot token reaches no log record, no report and no graph node: at DEBUG, slack-sdk included."""

from __future__ import annotations

import dataclasses
import logging

import pytest
from fakes.slack import FakeSlack, generate_workspace
from fakes.slack.harness import OTHER_TOKEN, TOKEN, config_for, run_collect
from resoto_hookspecs import ConfigError, Location, ResourceGone, config_kinds
from resoto_hookspecs.testing import PluginDriver
from resoto_plugin_slack import plugin
from resoto_plugin_slack.config import SlackConfig
from resoto_plugin_slack.redact import REDACTED, SDK_LOGGER
from resoto_plugin_slack.resources import SlackConversation


def _logged_text(caplog: pytest.LogCaptureFixture) -> str:
    return caplog.text + "\n".join(r.getMessage() for r in caplog.records)


def test_token_is_in_no_log_record_of_a_whole_collect(
    fake: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    fake.tokens[OTHER_TOKEN] = generate_workspace(team_id="T0OTHER01", users=5, conversations=2)
    # a body that echoes the token: slack-sdk logs response bodies at DEBUG
    fake.fail("users.list", "internal_error", times=1, echo=f"Bearer {TOKEN}")
    fake.rate_limit("usergroups.list", times=1, retry_after=1)
    config = config_for(
        fake, bot_tokens=[OTHER_TOKEN, "xoxb-not-known-to-the-fake"], max_rate_limit_retries=2
    )
    collected = run_collect(config)
    ws = fake.tokens[TOKEN]
    target = next(c for c in ws.conversations if not c["is_archived"] and not c["is_general"])
    location = Location("slack", ws.id)
    resource = SlackConversation(id=target["id"], name=target["name"])
    unit = PluginDriver(plugin, config).unit(ws.id)
    plugin.delete_resource(resource=resource, location=location, config=config, unit=unit)
    with pytest.raises(ResourceGone):
        plugin.delete_resource(resource=resource, location=location, config=config, unit=unit)

    sdk_records = [r for r in caplog.records if r.name == SDK_LOGGER.name]
    assert any("Sending a request" in r.getMessage() for r in sdk_records), (
        "slack-sdk debug logging was not on"
    )
    assert any(REDACTED in r.getMessage() for r in sdk_records), (
        "the echoed token was not seen, so not redacted"
    )
    text = _logged_text(caplog)
    for secret in (TOKEN, OTHER_TOKEN, "xoxb-not-known-to-the-fake"):
        assert secret not in text
        assert all(secret not in m for m in collected.messages())
        for sink in collected.sinks.values():
            assert all(secret not in str(node) for node in sink.nodes.values())
        assert all(secret not in str(u) for u in collected.units)
    assert collected.reporter.errors  # the invalid token and the failed users.list were reported


def test_sdk_logger_redacts_tokens_whatever_logs_them(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    SlackConfig(bot_token="xoxb-5555-filter-test")  # a config alone does not register tokens
    SDK_LOGGER.debug("headers: %s", {"Authorization": "Bearer xoxb-5555-filter-test"})
    SDK_LOGGER.warning("failed", exc_info=ValueError("token xoxp-77-leaky in an exception"))
    text = _logged_text(caplog)
    assert "xoxb-5555-filter-test" not in text and "xoxp-77-leaky" not in text
    assert REDACTED in text


def test_config_never_shows_the_token() -> None:
    config = SlackConfig(bot_token=TOKEN, bot_tokens=[OTHER_TOKEN, TOKEN, " "])
    assert TOKEN not in repr(config) and TOKEN not in str(config.model_dump())
    assert [t.key for t in config.tokens()] == ["slack.bot_token", "slack.bot_tokens[0]"]
    info = plugin.cloud_info()
    assert info.name == "slack" and info.config is SlackConfig
    [section] = [k for k in config_kinds("slack", SlackConfig) if k["fqn"] == "slack"]
    props = {p["name"]: p["kind"] for p in section["properties"]}
    assert props["bot_token"] == "string" and props["bot_tokens"] == "string[]"
    assert props["include_archived"] == "boolean"


def test_a_unit_whose_token_moved_to_another_workspace_is_refused(fake: FakeSlack) -> None:
    """The unit names a token by its index; if the config changed since, nothing is archived."""
    fake.tokens[OTHER_TOKEN] = generate_workspace(team_id="T0OTHER01", users=2, conversations=2)
    config = config_for(fake, bot_tokens=[OTHER_TOKEN])
    ws = fake.tokens[TOKEN]
    unit = PluginDriver(plugin, config).unit(ws.id)
    moved = dataclasses.replace(unit, payload={"token_index": 1})  # now the other workspace's token
    target = next(c for c in ws.conversations if not c["is_archived"] and not c["is_general"])
    with pytest.raises(ConfigError, match="no longer belongs"):
        plugin.delete_resource(
            resource=SlackConversation(id=target["id"]),
            location=Location("slack", ws.id),
            config=config,
            unit=moved,
        )
    assert fake.calls_of("conversations.archive") == []
    plugin.delete_resource(
        resource=SlackConversation(id=target["id"]),
        location=Location("slack", ws.id),
        config=config,
        unit=unit,
    )
    assert ws.conversation(target["id"])["is_archived"] is True  # type: ignore[index]
