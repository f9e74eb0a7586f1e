"""Archiving channels through the cleanup hooks; everything else refuses clearly."""

from __future__ import annotations

import pytest
from fakes.slack import FakeSlack
from fakes.slack.harness import OTHER_TOKEN, TOKEN, config_for, run_collect
from resoto_hookspecs import (
    BaseResource,
    CollectionUnit,
    ConfigError,
    Location,
    NotSupported,
    RecordingReporter,
    ResourceGone,
)
from resoto_hookspecs.testing import PluginDriver, plugin_hooks
from resoto_plugin_slack import plugin
from resoto_plugin_slack.config import SlackConfig
from resoto_plugin_slack.resources import SLACK_KINDS, SlackConversation


def _unit(config: SlackConfig, team_id: str) -> CollectionUnit:
    """The unit the worker passes to the action hooks for a workspace."""
    return PluginDriver(plugin, config).unit(team_id)


def _collected_resources(fake: FakeSlack) -> dict[str, BaseResource]:
    """The resources as the core would hand them back: rebuilt from the collected node lines."""
    by_kind = {cls.kind: cls for cls in SLACK_KINDS}
    collected = run_collect(config_for(fake))
    return {
        node["reported"]["id"]: by_kind[node["reported"]["kind"]].model_validate(node["reported"])
        for node in collected.sink().nodes.values()
    }


def test_archiving_a_channel_through_the_cleanup_hooks(fake: FakeSlack) -> None:
    ws = fake.tokens[TOKEN]
    target = next(c for c in ws.conversations if not c["is_archived"] and not c["is_general"])
    resource = _collected_resources(fake)[target["id"]]
    location = Location("slack", ws.id, "conversations")
    config = config_for(fake, bot_tokens=[OTHER_TOKEN])  # a token of no workspace is passed over
    hook = plugin_hooks(plugin)
    unit = _unit(config, ws.id)

    checked = hook.check_resource(resource=resource, location=location, config=config, unit=unit)
    assert isinstance(checked, SlackConversation) and checked.id == target["id"] and not checked.is_archived
    hook.delete_resource(resource=resource, location=location, config=config, unit=unit)
    assert ws.conversation(target["id"])["is_archived"] is True  # type: ignore[index]
    assert [c.params["channel"] for c in fake.calls_of("conversations.archive")] == [target["id"]]

    # archived already: the check says gone, a second archive is ResourceGone
    assert hook.check_resource(resource=resource, location=location, config=config, unit=unit) is None
    with pytest.raises(ResourceGone, match="already_archived"):
        hook.delete_resource(resource=resource, location=location, config=config, unit=unit)


def test_missing_channel_is_gone(fake: FakeSlack) -> None:
    resource = SlackConversation(id="C404404404", name="nope")
    location = Location("slack", fake.tokens[TOKEN].id)
    config = config_for(fake)
    unit = _unit(config, location.account or "")
    assert plugin.check_resource(resource=resource, location=location, config=config, unit=unit) is None
    with pytest.raises(ResourceGone):
        plugin.delete_resource(resource=resource, location=location, config=config, unit=unit)


def test_general_channel_cannot_be_archived(fake: FakeSlack) -> None:
    ws = fake.tokens[TOKEN]
    general = SlackConversation(id=ws.conversations[0]["id"], name="general")
    config = config_for(fake)
    with pytest.raises(NotSupported, match="general"):
        plugin.delete_resource(
            resource=general, location=Location("slack", ws.id), config=config, unit=_unit(config, ws.id)
        )
    assert ws.conversations[0]["is_archived"] is False


def test_users_groups_and_workspace_cannot_be_deleted(fake: FakeSlack) -> None:
    ws = fake.tokens[TOKEN]
    resources = _collected_resources(fake)
    location = Location("slack", ws.id)
    for rid, why in (
        (ws.users[3]["id"], "deactivate"),
        (ws.usergroups[0]["id"], "user groups"),
        ("members", "grouping"),
    ):
        with pytest.raises(NotSupported, match=why):
            plugin.delete_resource(
                resource=resources[rid], location=location, config=config_for(fake), unit=None
            )
    team = plugin.collection_units(config=config_for(fake), reporter=RecordingReporter())
    with pytest.raises(NotSupported, match="workspace"):
        plugin.delete_resource(
            resource=next(iter(team)).account, location=location, config=config_for(fake), unit=None
        )
    assert fake.calls_of("conversations.archive") == []


def test_nothing_can_be_tagged(fake: FakeSlack) -> None:
    location = Location("slack", fake.tokens[TOKEN].id)
    for cls in SLACK_KINDS:
        resource = cls(id="X1")
        with pytest.raises(NotSupported, match="no tags"):
            plugin_hooks(plugin).update_tag(
                resource=resource,
                location=location,
                config=config_for(fake),
                key="owner",
                value="me",
                unit=None,
            )
        with pytest.raises(NotSupported, match="no tags"):
            plugin_hooks(plugin).delete_tag(
                resource=resource, location=location, config=config_for(fake), key="owner", unit=None
            )


def test_channel_of_an_unconfigured_workspace(fake: FakeSlack) -> None:
    resource = SlackConversation(id="C00000001", name="x")
    with pytest.raises(ConfigError, match="T0NOTOURS"):
        plugin.delete_resource(
            resource=resource, location=Location("slack", "T0NOTOURS"), config=config_for(fake), unit=None
        )
    assert fake.calls_of("conversations.archive") == []
