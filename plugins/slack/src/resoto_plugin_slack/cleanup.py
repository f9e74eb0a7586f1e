"""Cleanup and tagging: archiving conversations is the only change Slack allows us.

Decision on channels that are already archived: ``delete_resource`` raises ``ResourceGone`` and
``check_resource`` returns ``None``. Archiving is this plugin's "delete", so an archived channel is
already in the state a delete would produce; the kernel reports it as skipped (someone else got
there first), not as a failure and not as something this run changed.
"""

from __future__ import annotations

import logging

from resoto_hookspecs import BaseResource, CollectionUnit, Location, NotSupported, ResourceGone

from resoto_plugin_slack.client import SlackCallFailed
from resoto_plugin_slack.config import SlackConfig
from resoto_plugin_slack.convert import conversation_from
from resoto_plugin_slack.resources import SlackConversation, SlackRegion, SlackTeam, SlackUser, SlackUsergroup
from resoto_plugin_slack.workspace import api_for_unit

log = logging.getLogger(__name__)

GONE_ERRORS = frozenset({"channel_not_found", "already_archived", "is_archived"})

_NOT_DELETABLE = {
    SlackTeam: "a Slack workspace cannot be deleted through the Web API",
    SlackRegion: "slack_region is a grouping node of the workspace, not something that exists in Slack",
    SlackUser: "Slack users cannot be deleted; an admin can deactivate them in the admin console or via SCIM",
    SlackUsergroup: "Slack user groups cannot be deleted through the Web API (only disabled by an admin)",
}


def _team(resource: BaseResource, location: Location) -> str:
    if location.account:
        return location.account
    raise NotSupported(f"{type(resource).kind} {resource.id}: no workspace (account) in its location")


def refuse_delete(resource: BaseResource) -> None:
    """Raise the clear ``NotSupported`` for every kind that cannot be deleted."""
    for cls, why in _NOT_DELETABLE.items():
        if isinstance(resource, cls):
            raise NotSupported(f"{type(resource).kind} {resource.id}: {why}")
    if not isinstance(resource, SlackConversation):
        raise NotSupported(f"{type(resource).kind} {resource.id}: not a Slack kind this plugin can delete")


def archive_conversation(
    resource: BaseResource, location: Location, config: SlackConfig, unit: CollectionUnit | None
) -> None:
    """Archive a channel (``conversations.archive``): this plugin's delete.

    :raises ResourceGone: The channel no longer exists or is archived already.
    :raises NotSupported: The channel cannot be archived (``#general``) or the kind cannot be deleted.
    """
    refuse_delete(resource)
    api = api_for_unit(config, unit, _team(resource, location))
    try:
        api.call("conversations.archive", channel=resource.id)
    except SlackCallFailed as e:
        if e.error in GONE_ERRORS:
            raise ResourceGone(f"slack_conversation {resource.id}: {e.error}") from None
        if e.error == "cant_archive_general":
            raise NotSupported(
                f"slack_conversation {resource.id}: the workspace's general channel cannot be archived"
            ) from None
        raise
    log.info(
        "slack workspace %s: archived conversation %s (%s)", location.account, resource.id, resource.name
    )


def check_conversation(
    resource: BaseResource, location: Location, config: SlackConfig, unit: CollectionUnit | None
) -> BaseResource | None:
    """Re-read a channel before archiving it; ``None`` when it is gone or archived already."""
    refuse_delete(resource)
    api = api_for_unit(config, unit, _team(resource, location))
    try:
        answer = api.call("conversations.info", channel=resource.id)
    except SlackCallFailed as e:
        if e.error in GONE_ERRORS:
            return None
        raise
    current = conversation_from(answer["channel"])
    return None if current.is_archived else current


def refuse_tags(resource: BaseResource) -> None:
    raise NotSupported(f"{type(resource).kind} {resource.id}: Slack has no tags, so nothing can be tagged")
