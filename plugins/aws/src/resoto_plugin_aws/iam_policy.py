"""The least-privilege IAM policy, derived from the kind definitions.

``policy_document(include_cleanup, include_tagging)`` is what ``resotoworker --print-iam-policy aws``
prints: every API call that collection makes (list, enrichment, account and region discovery,
GuardDuty and Inspector findings),
plus, on request, what cleanup and tagging call.
"""

from __future__ import annotations

from typing import Any

from resoto_plugin_aws.registry import all_kinds
from resoto_plugin_aws.spec import TAGGING_API

IAM_PREFIX = {
    "lambda": "lambda",
    "elbv2": "elasticloadbalancing",
    "elb": "elasticloadbalancing",
    "logs": "logs",
    "cloudwatch": "cloudwatch",
    "opensearch": "es",
    "service-quotas": "servicequotas",
    "bedrock-agent": "bedrock",
    "efs": "elasticfilesystem",
    "stepfunctions": "states",
    "docdb": "rds",  # DocumentDB and Neptune are authorized as RDS actions
    "neptune": "rds",
    TAGGING_API: "tag",
}
"""botocore service names whose IAM prefix differs from the name."""

S3_ACTIONS = {
    "ListBuckets": "ListAllMyBuckets",
    "GetBucketTagging": "GetBucketTagging",
    "GetBucketLocation": "GetBucketLocation",
    "PutBucketTagging": "PutBucketTagging",
    "DeleteBucketTagging": "PutBucketTagging",
    "DeleteBucket": "DeleteBucket",
}
"""S3 operations whose IAM action is named differently."""

DISCOVERY = (
    "sts:GetCallerIdentity",
    "iam:ListAccountAliases",
    "ec2:DescribeRegions",
    "organizations:ListAccounts",
)

FINDINGS = (
    "guardduty:ListDetectors",
    "guardduty:ListFindings",
    "guardduty:GetFindings",
    "inspector2:ListFindings",
)
"""What :func:`resoto_plugin_aws.findings.read_findings` calls (``aws.findings``, on by default)."""


def action(service: str, op: str) -> str:
    """The IAM action of a botocore operation (``lambda``/``ListFunctions`` -> ``lambda:ListFunctions``)."""
    if service == "s3":
        return f"s3:{S3_ACTIONS.get(op, op)}"
    if service == "lambda" and op == "ListFunctions":
        return "lambda:ListFunctions"
    if service == "s3control" and op == "GetPublicAccessBlock":
        return "s3:GetAccountPublicAccessBlock"
    if service == "apigateway":  # API Gateway's IAM actions are the HTTP verbs of its REST API
        verb = next((v for p, v in _APIGATEWAY_VERBS if op.startswith(p)), "POST")
        return f"apigateway:{verb}"
    return f"{IAM_PREFIX.get(service, service)}:{op}"


_APIGATEWAY_VERBS = (
    ("Get", "GET"),
    ("Delete", "DELETE"),
    ("Untag", "DELETE"),
    ("Tag", "PUT"),
    ("Put", "PUT"),
    ("Update", "PATCH"),
)


def collect_actions() -> set[str]:
    out = set(DISCOVERY) | set(FINDINGS)
    for kind in all_kinds().values():
        if kind.list is not None:
            out.add(action(kind.service, kind.list.op))
        for enrich in kind.enrich:
            out.add(action(kind.service, enrich.op))
            if enrich.tagging_api:
                out.add(action(TAGGING_API, "GetResources"))
        out.update(kind.iam)
    return out


def cleanup_actions() -> set[str]:
    out: set[str] = set()
    for kind in all_kinds().values():
        if kind.get is not None:
            out.add(action(kind.service, kind.get.op))
        if kind.delete is not None:
            out.add(action(kind.service, kind.delete.op))
        out.update(kind.cleanup_iam)
    return out


def tagging_actions() -> set[str]:
    out: set[str] = set()
    for kind in all_kinds().values():
        if kind.tagging is not None:
            out.add(action(kind.service, kind.tagging.tag_op))
            out.add(action(kind.service, kind.tagging.untag_op))
        out.update(kind.tag_iam)
    return out


def policy_document(include_cleanup: bool = False, include_tagging: bool = False) -> dict[str, Any]:
    """The IAM policy document (``Version`` 2012-10-17) the plugin needs."""
    statements: list[dict[str, Any]] = [
        {"Sid": "ResotoCollect", "Effect": "Allow", "Action": sorted(collect_actions()), "Resource": "*"}
    ]
    if include_cleanup:
        statements.append(
            {"Sid": "ResotoCleanup", "Effect": "Allow", "Action": sorted(cleanup_actions()), "Resource": "*"}
        )
    if include_tagging:
        statements.append(
            {"Sid": "ResotoTagging", "Effect": "Allow", "Action": sorted(tagging_actions()), "Resource": "*"}
        )
    return {"Version": "2012-10-17", "Statement": statements}
