"""S3 account settings (the account-wide public access block).

moto cannot serve this kind over HTTP: the S3 Control client sends every request to
``<account-id>.<endpoint host>``, which does not resolve for 127.0.0.1. So the item mapping is tested
here with the items function fed S3 Control's answers (shaped as botocore parses them), and its paths
are checked against botocore's model; the kind stays in ``NO_MOTO``.
"""

from __future__ import annotations

from typing import Any

import pytest
from aws.support_aws import NO_MOTO
from aws.test_definitions import op_model, walk
from botocore.exceptions import ClientError
from resoto_plugin_aws.convert import to_resource
from resoto_plugin_aws.iam_policy import collect_actions
from resoto_plugin_aws.registry import kind_of
from resoto_plugin_aws.spec import Kind

ACCOUNT = "123456789012"


class AnswersContext:
    """Stands in for the unit context: records the calls and answers (or raises) as told."""

    def __init__(self, answer: dict[str, Any] | None = None, error: str | None = None) -> None:
        self.account = ACCOUNT
        self.calls: list[tuple[str, str, dict[str, Any]]] = []
        self._answer = answer
        self._error = error

    def call(self, service: str, op: str, **args: Any) -> dict[str, Any]:
        self.calls.append((service, op, args))
        if self._error:
            raise ClientError({"Error": {"Code": self._error, "Message": "x"}}, op)
        assert self._answer is not None
        return self._answer


def settings_kind() -> Kind:
    kind = kind_of("aws_s3_account_settings")
    assert kind is not None and kind.items is not None
    return kind


def collect_one(ctx: AnswersContext) -> Any:
    kind = settings_kind()
    assert kind.items is not None
    items = list(kind.items(ctx))  # type: ignore[arg-type]
    assert len(items) == 1
    resource = to_resource(kind, items[0], "aws", "global", ACCOUNT)
    assert resource is not None
    return resource


def test_public_access_block_mapped() -> None:
    ctx = AnswersContext(
        {
            "PublicAccessBlockConfiguration": {
                "BlockPublicAcls": True,
                "IgnorePublicAcls": False,
                "BlockPublicPolicy": True,
                "RestrictPublicBuckets": False,
            }
        }
    )
    res = collect_one(ctx)
    assert ctx.calls == [("s3control", "GetPublicAccessBlock", {"AccountId": ACCOUNT})]
    assert (res.id, res.name) == ("s3_account_settings", "s3_account_settings")
    assert (
        res.block_public_acls,
        res.ignore_public_acls,
        res.block_public_policy,
        res.restrict_public_buckets,
        res.public_access_block_configured,
    ) == (True, False, True, False, True)


def test_no_public_access_block_means_nothing_blocked() -> None:
    res = collect_one(AnswersContext(error="NoSuchPublicAccessBlockConfiguration"))
    assert res.public_access_block_configured is False
    assert not any(
        [res.block_public_acls, res.ignore_public_acls, res.block_public_policy, res.restrict_public_buckets]
    )


def test_other_errors_are_not_swallowed() -> None:
    kind = settings_kind()
    assert kind.items is not None
    with pytest.raises(ClientError):
        kind.items(AnswersContext(error="AccessDenied"))  # type: ignore[arg-type]


def test_paths_match_botocore_and_policy_names_the_action() -> None:
    kind = settings_kind()
    op = op_model("s3control", "GetPublicAccessBlock")
    assert "AccountId" in op.input_shape.members
    shape = walk(op.output_shape, "PublicAccessBlockConfiguration")
    for key in ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"):
        walk(shape, key)
    assert kind.global_ and not kind.cls.deletable and not kind.cls.taggable
    assert "s3:GetAccountPublicAccessBlock" in collect_actions()
    assert "aws_s3_account_settings" in NO_MOTO
