"""A complete collect of a generated workspace over several pages, checked against the fake's state."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes.slack import FakeSlack, FakeWorkspace, generate_workspace
from fakes.slack.harness import TOKEN, Collected, config_for, run_collect
from resoto_hookspecs import resource_kinds
from resoto_hookspecs.graph import node_id
from resoto_plugin_slack import plugin
from resoto_plugin_slack.resources import SlackTeam

REFERENCE = Path("/work/shared/reference-model/resource-kinds.json")


@pytest.fixture(scope="module")
def big() -> Iterator[tuple[FakeSlack, FakeWorkspace, Collected, float]]:
    ws = generate_workspace(users=1000, usergroups=50, conversations=300, team_id="T0BIG0001")
    with FakeSlack({TOKEN: ws}, max_page=200) as server:
        started = time.monotonic()
        collected = run_collect(config_for(server, include_archived=True))
        yield server, ws, collected, time.monotonic() - started


def nid(ws: FakeWorkspace, kind: str, rid: str) -> str:
    return node_id(kind, "slack", ws.id, None, rid)


def test_big_workspace_is_collected_completely(
    big: tuple[FakeSlack, FakeWorkspace, Collected, float],
) -> None:
    server, ws, collected, elapsed = big
    assert not collected.failures
    assert collected.reporter.errors == [] and collected.reporter.skips == []
    assert [u.account.id for u in collected.units] == [ws.id]
    assert collected.units[0].region is None
    assert "xoxb" not in repr(collected.units[0].payload)
    sink = collected.sink()

    assert {u["id"] for u in sink.by_kind("slack_user")} == {u["id"] for u in ws.users}
    assert {g["id"] for g in sink.by_kind("slack_usergroup")} == {g["id"] for g in ws.usergroups}
    assert {c["id"] for c in sink.by_kind("slack_conversation")} == {c["id"] for c in ws.conversations}
    assert len(ws.users) == 1000 and len(ws.usergroups) == 50 and len(ws.conversations) == 300
    assert sorted(r["id"] for r in sink.by_kind("slack_region")) == ["conversations", "members", "usergroups"]

    # several pages happened for every paged method, and no page was asked for twice
    users_calls = server.calls_of("users.list")
    assert len(users_calls) == 5
    assert len({c.params.get("cursor") for c in users_calls}) == 5
    assert len(server.calls_of("conversations.list")) == 2

    # every edge the fake knows is there, and nothing else: usergroup -> user, conversation -> user
    edges = {(f, t) for f, t, et in sink.edges if et == "default"}
    expected_group_edges = {
        (nid(ws, "slack_usergroup", g["id"]), nid(ws, "slack_user", u))
        for g in ws.usergroups
        for u in g["users"]
    }
    expected_member_edges = {
        (nid(ws, "slack_conversation", c), nid(ws, "slack_user", u))
        for c, ms in ws.members.items()
        for u in ms
    }
    assert expected_group_edges and expected_member_edges
    member_or_group = {
        (f, t)
        for f, t in edges
        if f in sink.nodes and sink.nodes[f]["reported"]["kind"] in ("slack_usergroup", "slack_conversation")
    }
    assert member_or_group == expected_group_edges | expected_member_edges
    problems = sink.validate([collected.builders[ws.id].account_node_id])
    assert problems == []
    assert elapsed < 10, f"collect of 1,000 users took {elapsed:.1f} s"


def test_members_on_later_pages_are_read(big: tuple[FakeSlack, FakeWorkspace, Collected, float]) -> None:
    server, ws, collected, _ = big
    general = ws.conversations[0]
    assert general["is_general"] and len(ws.members[general["id"]]) == 1000
    pages = [c for c in server.calls_of("conversations.members") if c.params["channel"] == general["id"]]
    assert len(pages) == 5  # 1,000 members at 200 a page; the reference read only the first
    edges = set(collected.sink().edges)
    source = nid(ws, "slack_conversation", general["id"])
    for member in (ws.members[general["id"]][0], ws.members[general["id"]][950], ws.users[-1]["id"]):
        assert (source, nid(ws, "slack_user", member), "default") in edges
    big_channels = [cid for cid, ms in ws.members.items() if 200 < len(ms) < 1000]
    assert big_channels
    last = ws.members[big_channels[0]][-1]
    assert (nid(ws, "slack_conversation", big_channels[0]), nid(ws, "slack_user", last), "default") in edges


def test_properties_come_from_the_api_objects(big: tuple[FakeSlack, FakeWorkspace, Collected, float]) -> None:
    _, ws, collected, _ = big
    sink = collected.sink()
    users = {u["id"]: u for u in sink.by_kind("slack_user")}
    for raw in (ws.users[1], ws.users[7], ws.users[5], ws.users[999]):
        got = users[raw["id"]]
        assert got["name"] == raw["name"]
        assert got["real_name"] == raw["real_name"]
        assert got.get("email") == raw["profile"]["email"]
        assert got["tz"] == raw["tz"] and got["tz_offset"] == raw["tz_offset"]
        assert got.get("status_text") == (raw["profile"]["status_text"] or None)
        assert got.get("status_emoji") == (raw["profile"]["status_emoji"] or None)
        for flag in ("is_admin", "is_owner", "is_bot", "is_restricted", "is_ultra_restricted", "deleted"):
            assert got[flag] == raw[flag], flag
    assert users[ws.users[7]["id"]]["deleted"] is True
    assert users[ws.users[5]["id"]]["is_bot"] is True

    conversations = {c["id"]: c for c in sink.by_kind("slack_conversation")}
    for raw in ws.conversations[:12]:
        got = conversations[raw["id"]]
        assert got["name"] == raw["name"]
        assert got["topic"] == raw["topic"]["value"] and got["purpose"] == raw["purpose"]["value"]
        assert got["creator"] == raw["creator"]
        assert got["num_members"] == len(ws.members[raw["id"]])
        assert got["is_private"] == raw["is_private"] and got["is_archived"] == raw["is_archived"]
        assert got["ctime"].startswith("2020-09-")
    groups = {g["id"]: g for g in sink.by_kind("slack_usergroup")}
    assert groups[ws.usergroups[3]["id"]]["handle"] == ws.usergroups[3]["handle"]
    assert groups[ws.usergroups[3]["id"]]["user_count"] == len(ws.usergroups[3]["users"])
    team = collected.units[0].account
    assert isinstance(team, SlackTeam)
    assert team.name == ws.team["name"] and team.domain == ws.team["domain"]


def test_archived_conversations_only_when_asked(fake: FakeSlack) -> None:
    ws = fake.tokens[TOKEN]
    archived = {c["id"] for c in ws.conversations if c["is_archived"]}
    assert archived
    collected = run_collect(config_for(fake))
    got = {c["id"] for c in collected.sink().by_kind("slack_conversation")}
    assert got == {c["id"] for c in ws.conversations} - archived
    call = fake.calls_of("conversations.list")[0]
    assert call.params["exclude_archived"] in ("1", "true")
    assert set(call.params["types"].split(",")) == {"public_channel", "private_channel"}


def test_page_limit_is_sent(fake: FakeSlack) -> None:
    run_collect(config_for(fake, page_limit=7))
    calls = fake.calls_of("users.list")
    assert {c.params["limit"] for c in calls} == {"7"}
    assert len(calls) == -(-len(fake.tokens[TOKEN].users) // 7)


def test_several_tokens_are_several_accounts() -> None:
    one, two = (
        generate_workspace(team_id="T0ONE0001"),
        generate_workspace(team_id="T0TWO0002", users=30, seed=2),
    )
    other = "xoxb-9999-8888-Sec0ndW0rkspace"
    with FakeSlack({TOKEN: one, other: two}) as server:
        # the same token twice is still one workspace
        collected = run_collect(config_for(server, bot_tokens=[other, TOKEN]))
    assert sorted(u.account.id for u in collected.units) == ["T0ONE0001", "T0TWO0002"]
    assert len({u.name for u in collected.units}) == 2
    assert len(collected.sink("T0TWO0002").by_kind("slack_user")) == 30
    assert len(collected.sink("T0ONE0001").by_kind("slack_user")) == 50
    assert not collected.failures


def test_kinds_match_the_reference_model() -> None:
    reference = {k["fqn"]: k for k in json.loads(REFERENCE.read_text()) if k["fqn"].startswith("slack_")}
    ours = {k["fqn"]: k for k in resource_kinds(plugin.resource_kinds())}
    assert set(reference) <= set(ours)
    for name, ref in reference.items():
        assert ours[name]["bases"] == ref["bases"], name
        ref_succ = {k: v for k, v in (ref["successor_kinds"] or {}).items() if v}
        assert (ours[name]["successor_kinds"] or {}) == ref_succ, name
    for cls in plugin.resource_kinds():
        assert cls.taggable is False
        assert cls.deletable is (cls.kind == "slack_conversation")
