"""``resotoworker --print-iam-policy aws`` prints the policy the AWS plugin derives from its definitions."""

from __future__ import annotations

import json
import subprocess

from resoto_plugin_aws.iam_policy import policy_document
from support import WORKER_BIN


def _printed(*args: str) -> dict[str, object]:
    result = subprocess.run(
        [WORKER_BIN, "--print-iam-policy", "aws", *args], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    doc: dict[str, object] = json.loads(result.stdout)
    return doc


def test_collect_policy_is_the_plugins_policy_and_read_only() -> None:
    doc = _printed()
    assert doc == policy_document()
    actions = [a for s in doc["Statement"] for a in s["Action"]]  # type: ignore[attr-defined]
    assert "ec2:DescribeInstances" in actions
    assert not any(
        a.split(":")[1].startswith(("Delete", "Terminate", "Create", "Tag", "Untag")) for a in actions
    )


def test_with_cleanup_adds_delete_and_tag_actions() -> None:
    doc = _printed("--with-cleanup")
    actions = {a for s in doc["Statement"] for a in s["Action"]}  # type: ignore[attr-defined]
    assert {"ec2:TerminateInstances", "ec2:DeleteVolume", "ec2:CreateTags", "ec2:DeleteTags"} <= actions


def test_unknown_cloud_is_a_clear_error() -> None:
    result = subprocess.run(
        [WORKER_BIN, "--print-iam-policy", "nocloud"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "nocloud" in result.stderr
