"""Slack through the kernel: collect with the engine, archive channels with run_cleanup, tag tasks refused."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from fakes.slack import FakeSlack, FakeWorkspace, generate_workspace
from fakes.slack.harness import TOKEN
from integration.support_integration import Stack, cloud_stack

CONVERSATION = "slack_conversation"
USER = "slack_user"


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack({TOKEN: generate_workspace()}) as server:
        yield server


@pytest.fixture
def ws(fake: FakeSlack) -> FakeWorkspace:
    return fake.tokens[TOKEN]


@pytest.fixture
async def stack(fake: FakeSlack, tmp_path: Path) -> AsyncIterator[Stack]:
    section: dict[str, Any] = {"bot_token": TOKEN, "base_url": fake.base_url}
    async with cloud_stack("slack", section, tmp_path) as stack:
        report = await stack.collect()
        assert report.errors == [], report.errors
        yield stack


def _open_channels(ws: FakeWorkspace) -> list[dict[str, Any]]:
    return [c for c in ws.conversations if not c["is_archived"] and not c["is_general"]]


def _no_token_anywhere(stack: Stack) -> None:
    texts = [m for _, m in stack.feedback.messages] + [json.dumps(line) for line in stack.sim.patch_lines]
    assert not any(TOKEN in t for t in texts)


async def test_cleanup_archives_a_flagged_channel(fake: FakeSlack, ws: FakeWorkspace, stack: Stack) -> None:
    target, other = _open_channels(ws)[:2]
    [nid] = stack.flag((CONVERSATION, target["id"]))

    report = await stack.cleanup(cleanup_dry_run=False)

    assert report.outcome == "done", (report.summary(), stack.feedback.texts("error"))
    assert [o.node_id for o in report.deleted] == [nid]
    assert [c.params["channel"] for c in fake.calls_of("conversations.archive")] == [target["id"]]
    assert ws.conversation(target["id"])["is_archived"] is True  # type: ignore[index]
    assert ws.conversation(other["id"])["is_archived"] is False  # type: ignore[index]
    assert stack.cleaned(nid)
    assert stack.node(nid)["metadata"]["event_log"][-1]["msg"] == "Successfully cleaned up"
    assert not stack.cleaned(stack.find(CONVERSATION, other["id"]))
    assert [line["id"] for line in stack.sim.patch_lines] == [nid]
    _no_token_anywhere(stack)

    # a second run finds nothing left to do: the cleaned node is not searched for again
    again = await stack.cleanup(cleanup_dry_run=False)
    assert again.planned == [] and again.deleted == []
    assert len(fake.calls_of("conversations.archive")) == 1


async def test_flagged_user_and_general_are_reported_and_the_channel_still_goes(
    fake: FakeSlack, ws: FakeWorkspace, stack: Stack
) -> None:
    user = next(u for u in ws.users if not u["deleted"] and not u.get("is_bot"))
    general = next(c for c in ws.conversations if c["is_general"])
    channel = _open_channels(ws)[0]
    user_id, general_id, channel_id = stack.flag(
        (USER, user["id"]), (CONVERSATION, general["id"]), (CONVERSATION, channel["id"])
    )

    report = await stack.cleanup(cleanup_dry_run=False)

    assert [o.node_id for o in report.deleted] == [channel_id]
    assert ws.conversation(channel["id"])["is_archived"] is True  # type: ignore[index]
    # the user: not deletable, skipped before any call, with the reason in the graph and the feedback
    skipped = {o.node_id: o.reason or "" for o in report.skipped}
    assert skipped[user_id] == f"kind {USER} cannot be deleted"
    assert any(user["id"] in m and "cannot be deleted" in m for m in stack.feedback.texts("info"))
    # #general: the plugin says it cannot be deleted (NotSupported): skipped with the reason, not a failure
    assert set(skipped) == {user_id, general_id} and report.failed == []
    assert "cannot be deleted" in skipped[general_id] and "general" in skipped[general_id]
    assert ws.conversation(general["id"])["is_archived"] is False  # type: ignore[index]
    archived = [(c.params["channel"], c.error) for c in fake.calls_of("conversations.archive")]
    assert sorted(archived) == sorted([(channel["id"], None), (general["id"], "cant_archive_general")])

    by_id = {line["id"]: line["metadata"] for line in stack.sim.patch_lines}
    assert set(by_id) == {user_id, general_id, channel_id}
    assert by_id[channel_id]["cleaned"] is True
    assert "cleaned" not in by_id[user_id] and "cleaned" not in by_id[general_id]
    assert "cannot be deleted" in by_id[user_id]["event_log"][-1]["msg"]
    assert not stack.cleaned(user_id) and not stack.cleaned(general_id)
    assert stack.sim.violations == []
    _no_token_anywhere(stack)


async def test_tag_task_on_slack_gets_a_clear_error_reply(
    fake: FakeSlack, ws: FakeWorkspace, stack: Stack
) -> None:
    channel = _open_channels(ws)[0]
    nid = stack.find(CONVERSATION, channel["id"])
    before = [len(fake.calls), dict(stack.node(nid)["reported"])]

    reply = await stack.tag(nid, update={"owner": "me"})
    assert reply["result"] == "error"
    assert reply["error"] == f"kind {CONVERSATION} cannot be tagged"
    reply = await stack.tag(stack.find(USER, ws.users[1]["id"]), delete=["owner"], task_id="tag-2")
    assert reply == {"task_id": "tag-2", "result": "error", "error": f"kind {USER} cannot be tagged"}
    assert [len(fake.calls), stack.node(nid)["reported"]] == before  # no API call, nothing stored
