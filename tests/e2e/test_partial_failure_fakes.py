"""GCP and Slack: a denied or failing kind is carried forward stale, the rest replaced (issue 16).

The real daemon against the core simulator and the HTTP fakes of the GCP REST APIs and the Slack Web
API (``tests/fakes``). Collect; delete a resource in the fake; restart the worker; make one kind's
list call answer 403 (GCP) or ``missing_scope`` (Slack); collect: that kind's nodes are still in
the core with ``metadata.stale`` and ``metadata.last_seen``, the deleted resource is gone, the rest
is there, and the failure reached the core as ``action_info``. Then the same kind answers 500
(GCP) or another error (Slack) every time; readable again, the marker is gone.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from coresim import ThreadedCoreSimulator
from e2e.conftest import StartWorker
from fakes.gcp import FakeGcp
from fakes.slack import FakeSlack, FakeWorkspace, generate_workspace
from fakes.slack.harness import TOKEN
from integration.test_gcp_cleanup import PROJECT, REGION, ZONE, _section
from integration.test_gcp_cleanup import fake as gcp_fake

__all__ = ["gcp_fake"]


def _collect(core: ThreadedCoreSimulator) -> str:
    task = core.send_action("collect")
    assert core.wait_for_reply(task, timeout=120)["kind"] == "action_done"
    return task


def _stale_kinds(core: ThreadedCoreSimulator) -> set[str]:
    return {n["reported"]["kind"] for n in core.graph().nodes.values() if n["metadata"].get("stale")}


def _ids(core: ThreadedCoreSimulator, kind: str) -> set[str]:
    return {n["reported"]["id"] for n in core.graph().by_kind(kind)}


def _withheld_info(core: ThreadedCoreSimulator, task: str, kind: str) -> dict[str, Any]:
    infos = [
        i["data"]
        for i in core.infos(task)
        if kind in i["data"]["message"] and "withheld" in i["data"]["message"]
    ]
    assert len(infos) >= 1, [i["data"]["message"] for i in core.infos(task)]
    assert all(len(i["message"]) <= 500 for i in infos)
    return infos[0]


def _gcp_fault(fake: FakeGcp, prefix: str | None, status: int = 0) -> None:
    with fake._lock:
        fake.faults.clear()
    if prefix is not None:
        fake.fail(prefix, status, count=1_000_000)


def test_gcp_denied_and_failing_kind(
    core: ThreadedCoreSimulator, start_worker: StartWorker, gcp_fake: FakeGcp
) -> None:
    gcp = gcp_fake  # two stacks (network, subnetwork, disk, instance) in one project and region
    config = {"resotoworker": {"collector": ["gcp"]}, "gcp": _section(gcp)}
    worker = start_worker("w1", config=config)
    _collect(core)
    disks = _ids(core, "gcp_disk")
    assert len(disks) == 2
    region = core.graph().find("gcp_region", REGION)
    assert region is not None
    read_at = region["metadata"]["exported_at"]
    vm_b = f"zones/{ZONE}/instances/vm-b"
    assert vm_b in _ids(core, "gcp_instance")

    # the instance goes; the restarted worker may no longer list disks
    with gcp._lock:
        del gcp.compute.resources[(PROJECT, f"zones/{ZONE}", "instances", "vm-b")]
    worker.stop()
    _gcp_fault(gcp, f"/compute/v1/projects/{PROJECT}/aggregated/disks", 403)
    start_worker("w1", config=config)
    denied = _collect(core)
    assert _ids(core, "gcp_disk") == disks
    assert _stale_kinds(core) == {"gcp_disk"}
    for node in core.graph().by_kind("gcp_disk"):
        assert node["metadata"]["last_seen"] == read_at
    assert vm_b not in _ids(core, "gcp_instance") and f"zones/{ZONE}/instances/vm-a" in _ids(
        core, "gcp_instance"
    )
    assert _withheld_info(core, denied, "gcp_disk")["level"] == "warning"

    _gcp_fault(gcp, f"/compute/v1/projects/{PROJECT}/aggregated/disks", 500)
    failing = _collect(core)
    assert _ids(core, "gcp_disk") == disks and _stale_kinds(core) == {"gcp_disk"}
    assert _withheld_info(core, failing, "gcp_disk")["level"] == "error"

    _gcp_fault(gcp, None)
    _collect(core)
    assert _stale_kinds(core) == set()
    assert _ids(core, "gcp_disk") == disks
    assert core.violations == [] and core.errors == []


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack({TOKEN: generate_workspace()}) as server:
        yield server


def test_slack_missing_scope_and_failing_kind(
    core: ThreadedCoreSimulator, start_worker: StartWorker, slack: FakeSlack
) -> None:
    ws: FakeWorkspace = slack.tokens[TOKEN]
    config = {
        "resotoworker": {"collector": ["slack"]},
        "slack": {"bot_token": TOKEN, "base_url": slack.base_url},
    }
    worker = start_worker("w1", config=config)
    _collect(core)
    groups = _ids(core, "slack_usergroup")
    assert groups and len(groups) == len(ws.usergroups)
    team = core.graph().find("slack_team", ws.id)
    assert team is not None
    read_at = team["metadata"]["exported_at"]
    conversations = _ids(core, "slack_conversation")
    gone = next(c for c in reversed(ws.conversations) if c["id"] in conversations)
    ws.conversations.remove(gone)  # deleted in Slack

    worker.stop()
    slack.fail("usergroups.list", "missing_scope", needed="usergroups:read", provided="users:read")
    start_worker("w1", config=config)
    denied = _collect(core)
    assert _ids(core, "slack_usergroup") == groups
    assert _stale_kinds(core) == {"slack_usergroup"}
    for node in core.graph().by_kind("slack_usergroup"):
        assert node["metadata"]["last_seen"] == read_at
    assert gone["id"] not in _ids(core, "slack_conversation")
    assert _ids(core, "slack_conversation") == conversations - {gone["id"]}
    info = _withheld_info(core, denied, "slack_usergroup")
    assert info["level"] == "warning" and "missing_scope" in info["message"]

    slack.fail("usergroups.list", "internal_error")
    failing = _collect(core)
    assert _ids(core, "slack_usergroup") == groups and _stale_kinds(core) == {"slack_usergroup"}
    assert _withheld_info(core, failing, "slack_usergroup")["level"] == "error"

    slack.fail("usergroups.list", "internal_error", times=0)
    _collect(core)
    assert _stale_kinds(core) == set()
    assert core.violations == [] and core.errors == []
