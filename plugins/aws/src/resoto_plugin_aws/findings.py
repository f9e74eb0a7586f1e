"""The active GuardDuty and Inspector findings of one region unit, by the ARN of the resource they name.

Findings are not nodes: :func:`read_findings` reads them once per region unit (through the unit's
:class:`~resoto_plugin_aws.calls.ApiContext`, so every call is limited and counted) and keeps a
compact :class:`~resoto_plugin_aws.resources.AwsFinding` per finding; the collector attaches them to
the resources whose ``arn`` they name.

- GuardDuty: ``ListDetectors``, then per detector the ids of its findings that are not archived
  (``ListFindings``, 50 a page) and, per page of ids, ``GetFindings``.
- Inspector: ``ListFindings`` of the ``ACTIVE`` findings, 100 a page.

Keys are ARNs only (an EC2 instance id becomes the instance's ARN), so a name such as ``prod``
never lands on an unrelated kind with the same id. Each source is all or nothing: one that fails
contributes no finding and its gap is reported once per unit (the resources are sent without
findings). Inspector answers ``AccessDeniedException`` "... not enabled ..." when it is switched
off: a normal state, logged at debug level only. GuardDuty switched off has no detector.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from resoto_hookspecs.errors import CollectionCancelled

from resoto_plugin_aws.calls import ApiContext
from resoto_plugin_aws.errors import describe, error_code
from resoto_plugin_aws.resources import AwsFinding
from resoto_plugin_aws.spec import Json

log = logging.getLogger(__name__)

FindingIndex = dict[str, list[AwsFinding]]
"""Resource ARN -> the findings that name it."""

_NOT_ARCHIVED = {"Criterion": {"service.archived": {"Eq": ["false"]}}}
_ACTIVE = {"findingStatus": [{"comparison": "EQUALS", "value": "ACTIVE"}]}

# GuardDuty ``Resource`` paths that hold an ARN (the output shape's ``...Arn`` members that name a resource)
_GUARDDUTY_ARNS = (
    ("EksClusterDetails", "Arn"),
    ("EcsClusterDetails", "Arn"),
    ("LambdaDetails", "FunctionArn"),
    ("RdsDbInstanceDetails", "DbInstanceArn"),
    ("EbsSnapshotDetails", "SnapshotArn"),
    ("Ec2ImageDetails", "ImageArn"),
    ("RecoveryPointDetails", "RecoveryPointArn"),
)


def guardduty_severity(score: float | None) -> str:
    """GuardDuty's 0-10 severity score as a label: low below 4, medium below 7, high below 9, else critical."""
    if score is None or score < 4:
        return "low"
    return "medium" if score < 7 else "high" if score < 9 else "critical"


def _time(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")) if value else None
    except ValueError:
        return None


def _arn(partition: str, service: str, region: str, account: str, rest: str) -> str:
    return f"arn:{partition}:{service}:{region}:{account}:{rest}"


def _guardduty_keys(ctx: ApiContext, finding: Json) -> set[str]:
    resource = finding.get("Resource") or {}
    where = (
        finding.get("Partition") or ctx.partition,
        finding.get("Region") or ctx.region,
        finding.get("AccountId") or ctx.account,
    )
    keys = {str(v) for part, key in _GUARDDUTY_ARNS if (v := (resource.get(part) or {}).get(key))}
    if instance := (resource.get("InstanceDetails") or {}).get("InstanceId"):
        keys.add(_arn(where[0], "ec2", where[1], where[2], f"instance/{instance}"))
    eks = resource.get("EksClusterDetails") or {}
    if eks.get("Name") and not eks.get("Arn"):
        keys.add(_arn(where[0], "eks", where[1], where[2], f"cluster/{eks['Name']}"))
    rds = resource.get("RdsDbInstanceDetails") or {}
    if rds.get("DbInstanceIdentifier") and not rds.get("DbInstanceArn"):
        keys.add(_arn(where[0], "rds", where[1], where[2], f"db:{rds['DbInstanceIdentifier']}"))
    for volumes in ("ScannedVolumeDetails", "SkippedVolumeDetails"):
        for volume in (resource.get("EbsVolumeDetails") or {}).get(volumes) or []:
            if volume.get("VolumeArn"):
                keys.add(str(volume["VolumeArn"]))
    return keys


def _guardduty(ctx: ApiContext) -> Iterator[tuple[set[str], AwsFinding]]:
    for page in ctx.pages("guardduty", "ListDetectors", {}, page_size=50):
        for detector in page.get("DetectorIds") or []:
            args = {"DetectorId": detector, "FindingCriteria": _NOT_ARCHIVED}
            for ids_page in ctx.pages("guardduty", "ListFindings", args, page_size=50):
                ids = ids_page.get("FindingIds") or []
                for start in range(0, len(ids), 50):
                    answer = ctx.call(
                        "guardduty", "GetFindings", DetectorId=detector, FindingIds=ids[start : start + 50]
                    )
                    for f in answer.get("Findings") or []:
                        yield (
                            _guardduty_keys(ctx, f),
                            AwsFinding(
                                source="guardduty",
                                id=str(f.get("Id")),
                                title=f.get("Title"),
                                severity=guardduty_severity(f.get("Severity")),
                                type=f.get("Type"),
                                updated_at=_time(f.get("UpdatedAt")),
                            ),
                        )


def _inspector_key(ctx: ApiContext, finding: Json, resource: Json) -> str | None:
    rid = str(resource.get("id") or "")
    if rid.startswith("i-"):
        partition = resource.get("partition") or ctx.partition
        region = resource.get("region") or ctx.region
        return _arn(partition, "ec2", region, finding.get("awsAccountId") or ctx.account, f"instance/{rid}")
    if rid.startswith("arn:") and ":lambda:" in rid and rid.count(":") > 6:
        return ":".join(rid.split(":")[:7])  # a function version or alias names the function
    if rid.startswith("arn:") and ":ecr:" in rid and "/sha256:" in rid:
        return rid.split("/sha256:")[0]  # an image names its repository
    return rid or None


def _inspector(ctx: ApiContext) -> Iterator[tuple[set[str], AwsFinding]]:
    for page in ctx.pages("inspector2", "ListFindings", {"filterCriteria": _ACTIVE}, page_size=100):
        for f in page.get("findings") or []:
            keys = {k for r in f.get("resources") or [] if (k := _inspector_key(ctx, f, r))}
            yield (
                keys,
                AwsFinding(
                    source="inspector",
                    id=str(f.get("findingArn")),
                    title=f.get("title"),
                    severity=str(f.get("severity") or "untriaged").lower(),
                    type=f.get("type"),
                    updated_at=_time(f.get("updatedAt")),
                ),
            )


def _inspector_off(exc: BaseException) -> bool:
    """Inspector is not enabled in this account and region (it says so in an access-denied answer)."""
    return error_code(exc) == "AccessDeniedException" and "not enabled" in str(exc).lower()


SOURCES: tuple[tuple[str, str, Callable[[ApiContext], Iterator[tuple[set[str], AwsFinding]]]], ...] = (
    ("guardduty", "GuardDuty findings", _guardduty),
    ("inspector2", "Inspector findings", _inspector),
)


def read_findings(ctx: ApiContext) -> FindingIndex:
    """Resource ARN -> the active findings of every source that could be read in ``ctx``'s region.

    Never raises but :class:`CollectionCancelled`: a source that fails is reported once
    (``report_gap``) and contributes nothing.
    """
    index: FindingIndex = {}
    for service, what, read in SOURCES:
        found: FindingIndex = {}
        try:
            for keys, finding in read(ctx):
                for key in keys:
                    found.setdefault(key, []).append(finding)
        except CollectionCancelled:
            raise
        except Exception as e:  # a findings source costs only its findings
            if service == "inspector2" and _inspector_off(e):
                log.debug("%s/%s: Inspector is not enabled: %s", ctx.account, ctx.region, describe(e))
            else:
                log.debug("%s/%s: %s not read", ctx.account, ctx.region, what, exc_info=e)
                ctx.report_gap(e, kind="resources", service=service, what=what)
            continue
        for key, findings in found.items():
            index.setdefault(key, []).extend(findings)
    return index
