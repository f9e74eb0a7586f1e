"""Web API objects (user, user group, conversation) to resource models."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from resoto_plugin_slack.resources import SlackConversation, SlackUser, SlackUsergroup


def _time(value: Any) -> datetime | None:
    """A Unix timestamp from the API (int, float or numeric string; 0 means unset)."""
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    return datetime.fromtimestamp(seconds, UTC) if seconds > 0 else None


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _text(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


def user_from(u: dict[str, Any]) -> SlackUser:
    profile: dict[str, Any] = u.get("profile") or {}
    return SlackUser(
        id=str(u["id"]),
        name=str(u.get("name") or u["id"]),
        mtime=_time(u.get("updated")),
        team_id=_text(u.get("team_id")),
        real_name=_text(u.get("real_name") or profile.get("real_name")),
        display_name=_text(profile.get("display_name")),
        first_name=_text(profile.get("first_name")),
        last_name=_text(profile.get("last_name")),
        title=_text(profile.get("title")),
        email=_text(profile.get("email")),
        phone=_text(profile.get("phone")),
        tz=_text(u.get("tz")),
        tz_label=_text(u.get("tz_label")),
        tz_offset=_int(u.get("tz_offset")),
        status_text=_text(profile.get("status_text")),
        status_emoji=_text(profile.get("status_emoji")),
        status_expiration=_int(profile.get("status_expiration")) or None,
        is_admin=u.get("is_admin"),
        is_owner=u.get("is_owner"),
        is_primary_owner=u.get("is_primary_owner"),
        is_restricted=u.get("is_restricted"),
        is_ultra_restricted=u.get("is_ultra_restricted"),
        is_bot=u.get("is_bot"),
        is_app_user=u.get("is_app_user"),
        deleted=u.get("deleted"),
        has_2fa=u.get("has_2fa"),
    )


def usergroup_from(g: dict[str, Any]) -> SlackUsergroup:
    prefs: dict[str, Any] = g.get("prefs") or {}
    return SlackUsergroup(
        id=str(g["id"]),
        name=str(g.get("name") or g.get("handle") or g["id"]),
        ctime=_time(g.get("date_create")),
        mtime=_time(g.get("date_update")),
        handle=_text(g.get("handle")),
        description=_text(g.get("description")),
        is_external=g.get("is_external"),
        auto_type=_text(g.get("auto_type")),
        created_by=_text(g.get("created_by")),
        updated_by=_text(g.get("updated_by")),
        deleted_by=_text(g.get("deleted_by")),
        user_count=_int(g.get("user_count")),
        channels=[str(c) for c in prefs.get("channels") or []] or None,
    )


def conversation_from(c: dict[str, Any]) -> SlackConversation:
    topic: dict[str, Any] = c.get("topic") or {}
    purpose: dict[str, Any] = c.get("purpose") or {}
    return SlackConversation(
        id=str(c["id"]),
        name=str(c.get("name") or c["id"]),
        ctime=_time(c.get("created")),
        creator=_text(c.get("creator")),
        is_private=c.get("is_private"),
        is_archived=c.get("is_archived"),
        is_general=c.get("is_general"),
        is_shared=c.get("is_shared"),
        is_ext_shared=c.get("is_ext_shared"),
        is_org_shared=c.get("is_org_shared"),
        is_member=c.get("is_member"),
        num_members=_int(c.get("num_members")),
        topic=_text(topic.get("value")),
        topic_creator=_text(topic.get("creator")),
        topic_last_set=_int(topic.get("last_set")) or None,
        purpose=_text(purpose.get("value")),
        purpose_creator=_text(purpose.get("creator")),
        purpose_last_set=_int(purpose.get("last_set")) or None,
        previous_names=[str(n) for n in c.get("previous_names") or []] or None,
    )
