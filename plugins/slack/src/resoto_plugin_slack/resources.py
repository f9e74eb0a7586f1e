"""The Slack resource kinds. Names and bases follow the reference model (``slack_*``).

Slack has no tags, so no kind is taggable. Only conversations can be "deleted", which means
archived; the workspace, its users and user groups cannot be removed through the Web API.
"""

from __future__ import annotations

from typing import Any, ClassVar

from resoto_hookspecs import BaseAccount, BaseGroup, BaseRegion, BaseResource, BaseUser


class SlackResource(BaseResource):
    """The base of every Slack kind (``slack_resource``)."""

    kind: ClassVar[str] = "slack_resource"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "misc", "icon": "resource", "name": "Slack Resource"}
    taggable: ClassVar[bool] = False
    deletable: ClassVar[bool] = False


class SlackTeam(SlackResource, BaseAccount):
    """A Slack workspace, collected as an account."""

    kind: ClassVar[str] = "slack_team"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "control", "icon": "account", "name": "Slack Team"}
    successor_kinds: ClassVar[dict[str, list[str]]] = {"default": ["slack_region"]}
    domain: str | None = None
    email_domain: str | None = None
    url: str | None = None
    icon: str | None = None
    enterprise_id: str | None = None
    enterprise_name: str | None = None
    is_verified: bool | None = None


class SlackRegion(SlackResource, BaseRegion):
    """A fixed grouping node below a workspace: ``members``, ``usergroups`` or ``conversations``."""

    kind: ClassVar[str] = "slack_region"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "control", "icon": "region", "name": "Slack Region"}
    successor_kinds: ClassVar[dict[str, list[str]]] = {
        "default": ["slack_conversation", "slack_usergroup", "slack_user"]
    }


class SlackUser(SlackResource, BaseUser):
    """A member of a workspace (people, guests and bots alike; deactivated ones too)."""

    kind: ClassVar[str] = "slack_user"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "access_control",
        "icon": "user",
        "name": "Slack User",
    }
    team_id: str | None = None
    real_name: str | None = None
    display_name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    title: str | None = None
    email: str | None = None
    phone: str | None = None
    tz: str | None = None
    tz_label: str | None = None
    tz_offset: int | None = None
    status_text: str | None = None
    status_emoji: str | None = None
    status_expiration: int | None = None
    is_admin: bool | None = None
    is_owner: bool | None = None
    is_primary_owner: bool | None = None
    is_restricted: bool | None = None
    is_ultra_restricted: bool | None = None
    is_bot: bool | None = None
    is_app_user: bool | None = None
    deleted: bool | None = None
    has_2fa: bool | None = None


class SlackUsergroup(SlackResource, BaseGroup):
    """A user group (``@handle``); its members are ``slack_user`` successors."""

    kind: ClassVar[str] = "slack_usergroup"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "access_control",
        "icon": "group",
        "name": "Slack User Group",
    }
    successor_kinds: ClassVar[dict[str, list[str]]] = {"default": ["slack_user"]}
    handle: str | None = None
    description: str | None = None
    is_external: bool | None = None
    auto_type: str | None = None
    created_by: str | None = None
    updated_by: str | None = None
    deleted_by: str | None = None
    user_count: int | None = None
    channels: list[str] | None = None


class SlackConversation(SlackResource, BaseResource):
    """A public or private channel. Deleting it archives it (``conversations.archive``)."""

    kind: ClassVar[str] = "slack_conversation"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "misc",
        "icon": "resource",
        "name": "Slack Conversation",
    }
    successor_kinds: ClassVar[dict[str, list[str]]] = {"default": ["slack_user"]}
    deletable: ClassVar[bool] = True
    creator: str | None = None
    is_private: bool | None = None
    is_archived: bool | None = None
    is_general: bool | None = None
    is_shared: bool | None = None
    is_ext_shared: bool | None = None
    is_org_shared: bool | None = None
    is_member: bool | None = None
    num_members: int | None = None
    topic: str | None = None
    topic_creator: str | None = None
    topic_last_set: int | None = None
    purpose: str | None = None
    purpose_creator: str | None = None
    purpose_last_set: int | None = None
    previous_names: list[str] | None = None


SLACK_KINDS: tuple[type[SlackResource], ...] = (
    SlackTeam,
    SlackRegion,
    SlackUser,
    SlackUsergroup,
    SlackConversation,
)
