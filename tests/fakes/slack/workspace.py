"""Deterministic fake workspaces, shaped like the Web API's team, user, user group and channel objects."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

EPOCH = 1_600_000_000
TIME_ZONES = [
    ("Europe/Berlin", "Central European Time", 3600),
    ("America/New_York", "Eastern Standard Time", -18000),
    ("Asia/Tokyo", "Japan Standard Time", 32400),
    ("America/Los_Angeles", "Pacific Standard Time", -28800),
]


@dataclass
class FakeWorkspace:
    """The state of one workspace. Tests read it to know what a collect must return."""

    team: dict[str, Any]
    users: list[dict[str, Any]]
    usergroups: list[dict[str, Any]]
    conversations: list[dict[str, Any]]
    members: dict[str, list[str]] = field(default_factory=dict)
    """Conversation id to the ids of its members, in the order the API pages them."""

    @property
    def id(self) -> str:
        return str(self.team["id"])

    def conversation(self, cid: str) -> dict[str, Any] | None:
        return next((c for c in self.conversations if c["id"] == cid), None)


def _user(rng: random.Random, team_id: str, i: int) -> dict[str, Any]:
    uid = f"U{i:08d}"
    first, last = f"First{i}", f"Last{i}"
    tz, tz_label, tz_offset = TIME_ZONES[i % len(TIME_ZONES)]
    bot = i % 97 == 5
    status = [("In a meeting", ":spiral_calendar_pad:"), ("Vacationing", ":palm_tree:"), ("", "")][i % 3]
    return {
        "id": uid,
        "team_id": team_id,
        "name": f"user{i}",
        "deleted": i % 53 == 7,
        "color": f"{rng.randrange(0x1000000):06x}",
        "real_name": f"{first} {last}",
        "tz": tz,
        "tz_label": tz_label,
        "tz_offset": tz_offset,
        "profile": {
            "title": "Engineer" if i % 2 else "",
            "phone": "",
            "skype": "",
            "real_name": f"{first} {last}",
            "real_name_normalized": f"{first} {last}",
            "display_name": f"u{i}",
            "display_name_normalized": f"u{i}",
            "status_text": status[0],
            "status_emoji": status[1],
            "status_expiration": 0,
            "avatar_hash": f"g{i:011x}",
            "email": None if bot else f"user{i}@example.com",
            "first_name": first,
            "last_name": last,
            "image_24": f"https://avatars.example.com/{uid}_24.png",
            "image_72": f"https://avatars.example.com/{uid}_72.png",
            "team": team_id,
        },
        "is_admin": i % 50 == 1,
        "is_owner": i == 1,
        "is_primary_owner": i == 1,
        "is_restricted": i % 41 == 3,
        "is_ultra_restricted": i % 83 == 3,
        "is_bot": bot,
        "is_app_user": False,
        "updated": EPOCH + i * 60,
        "is_email_confirmed": not bot,
        "has_2fa": i % 4 == 0,
    }


def _conversation(rng: random.Random, i: int, creator: str, members: int, archived: bool) -> dict[str, Any]:
    private = i % 5 == 4
    general = i == 0
    name = "general" if general else f"channel-{i:04d}"
    return {
        "id": f"C{i:08d}" if not private else f"G{i:08d}",
        "name": name,
        "is_channel": not private,
        "is_group": private,
        "is_im": False,
        "is_mpim": False,
        "is_private": private,
        "created": EPOCH + i * 3600,
        "is_archived": archived,
        "is_general": general,
        "unlinked": 0,
        "name_normalized": name,
        "is_shared": False,
        "is_org_shared": False,
        "is_ext_shared": i % 31 == 2,
        "is_pending_ext_shared": False,
        "pending_shared": [],
        "is_member": True,
        "creator": creator,
        "topic": {"value": f"Topic of {name}", "creator": creator, "last_set": EPOCH + i * 3600 + 60},
        "purpose": {"value": f"Purpose of {name}", "creator": creator, "last_set": EPOCH + i * 3600},
        "previous_names": [f"old-{name}"] if i % 17 == 3 else [],
        "num_members": members,
    }


def generate_workspace(
    *,
    users: int = 50,
    usergroups: int = 5,
    conversations: int = 20,
    archived_every: int = 10,
    team_id: str = "T0000FAKE",
    seed: int = 1,
) -> FakeWorkspace:
    """A workspace of the given size; the same arguments always give the same workspace.

    Conversation 0 is ``#general`` with every user (so its member list spans several pages);
    every ``archived_every``-th other conversation is archived; every fifth is private; some
    conversations hold several hundred members.
    """
    rng = random.Random(seed)
    team = {
        "id": team_id,
        "name": f"Fake Team {team_id}",
        "domain": f"fake-{team_id.lower()}",
        "email_domain": "example.com",
        "icon": {
            "image_34": "https://avatars.example.com/team_34.png",
            "image_132": "https://avatars.example.com/team_132.png",
            "image_default": True,
        },
        "avatar_base_url": "https://avatars.example.com/",
        "is_verified": False,
        "url": f"https://fake-{team_id.lower()}.slack.com/",
    }
    user_objs = [_user(rng, team_id, i) for i in range(users)]
    ids = [u["id"] for u in user_objs]
    groups: list[dict[str, Any]] = []
    for g in range(usergroups):
        size = min(len(ids), rng.randrange(0, 60) if g % 10 else 300)
        member_ids = sorted(rng.sample(ids, size))
        groups.append(
            {
                "id": f"S{g:08d}",
                "team_id": team_id,
                "is_usergroup": True,
                "is_subteam": True,
                "name": f"Group {g}",
                "description": f"The people of group {g}",
                "handle": f"group-{g}",
                "is_external": False,
                "date_create": EPOCH + g * 86400,
                "date_update": EPOCH + g * 86400 + 3600,
                "date_delete": 0,
                "auto_type": "admin" if g == 0 else None,
                "created_by": ids[g % len(ids)] if ids else "USLACKBOT",
                "updated_by": ids[(g + 1) % len(ids)] if ids else "USLACKBOT",
                "deleted_by": None,
                "prefs": {"channels": [], "groups": []},
                "user_count": size,
                "users": member_ids,
            }
        )
    convs: list[dict[str, Any]] = []
    members: dict[str, list[str]] = {}
    for i in range(conversations):
        if i == 0:
            member_ids = list(ids)
        else:
            size = rng.choice([0, 3, 10, 25, 60, 150, 250, 450])
            member_ids = sorted(rng.sample(ids, min(size, len(ids))))
        archived = i > 0 and archived_every > 0 and i % archived_every == 0
        creator = ids[i % len(ids)] if ids else "USLACKBOT"
        conv = _conversation(rng, i, creator, len(member_ids), archived)
        convs.append(conv)
        members[conv["id"]] = member_ids
    return FakeWorkspace(team=team, users=user_objs, usergroups=groups, conversations=convs, members=members)
