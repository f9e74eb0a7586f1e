"""The AWS base kinds: ``aws_resource``, ``aws_account`` and ``aws_region``.

Every AWS kind subclasses :class:`AwsResource` (plus the matching cloud-independent base kind), so
every node carries its ``arn`` when AWS has one, and the GuardDuty and Inspector findings that name
it (:class:`AwsFinding`, a nested kind: findings are attached, not made nodes).
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from resoto_hookspecs import BaseAccount, BaseRegion, BaseResource, KindModel
from resoto_hookspecs.resources import UtcDatetime


class AwsFinding(KindModel):
    """A compact summary of one active GuardDuty or Inspector finding about a resource."""

    kind: ClassVar[str] = "aws_finding"

    source: Literal["guardduty", "inspector"]
    id: str
    """GuardDuty's finding id; Inspector's finding ARN."""
    title: str | None = None
    severity: str
    """``low``, ``medium``, ``high`` or ``critical`` (GuardDuty's 0-10 score mapped at 4, 7 and 9);
    Inspector's own label in lower case (which adds ``informational`` and ``untriaged``)."""
    type: str | None = None
    updated_at: UtcDatetime | None = None


class AwsResource(BaseResource):
    """The base of every AWS kind (core kind ``aws_resource``)."""

    kind: ClassVar[str] = "aws_resource"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "misc", "icon": "resource", "name": "AWS Resource"}

    arn: str | None = None
    findings: list[AwsFinding] | None = None


class AwsAccount(BaseAccount, AwsResource):
    """One AWS account (the kernel writes the node; the plugin hands it over in each unit)."""

    kind: ClassVar[str] = "aws_account"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "control", "icon": "account", "name": "AWS Account"}
    taggable: ClassVar[bool] = False
    deletable: ClassVar[bool] = False

    partition: str | None = None
    account_alias: str | None = None
    org_id: str | None = None


class AwsRegion(BaseRegion, AwsResource):
    """One AWS region, or the pseudo-region ``global`` that holds the account's global resources."""

    kind: ClassVar[str] = "aws_region"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "control", "icon": "region", "name": "AWS Region"}
    taggable: ClassVar[bool] = False
    deletable: ClassVar[bool] = False

    opt_in_status: str | None = None


GLOBAL_REGION = "global"
"""The id of the region node below which global resources (IAM, S3, Route 53, ...) hang."""
