"""Service quotas of the services this plugin collects, linked to what they limit.

Per region one ``ListServiceQuotas`` (paged by 100) for each of ``ec2``, ``ebs``, ``vpc`` and
``elasticloadbalancing``; only the quotas named in :data:`QUOTAS` are kept. Each quota links to the
resources of the region that count against it (``quota -> instance type``, ``quota -> vpc``, ...),
so the kind is computed after those kinds. The IAM prefix of this service is ``servicequotas``.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import ClassVar

from resoto_hookspecs import BaseQuota

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import Call, Json, Kind, Link, UnitApi

SERVICE = "service-quotas"
_FAMILY = re.compile(r"^[a-z]+")
_VOLUME_TYPE = re.compile(r"\((gp2|gp3|io1|io2|st1|sc1|standard)\)|\b(Magnetic)\b")


@dataclass(frozen=True)
class QuotaTarget:
    """Quotas of one service whose name matches ``pattern`` limit resources of ``kind``."""

    service_code: str
    pattern: str
    kind: str
    select: Callable[[str, Json], bool] = lambda quota_name, item: True


def instance_families(quota_name: str) -> set[str]:
    """The instance families an on-demand quota covers.

    ``Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances`` -> ``{a, c, d, ...}``,
    ``Running On-Demand G and VT instances`` -> ``{g, vt}``, ``... High Memory instances`` -> ``{u}``.
    """
    m = re.match(r"Running On-Demand (.+) instances$", quota_name)
    if not m:
        return set()
    what = m.group(1)
    inner = re.search(r"\(([^)]*)\)", what)
    if inner:
        return {p.strip().lower() for p in inner.group(1).split(",") if p.strip()}
    if what.lower() == "high memory":
        return {"u"}
    return {p.strip().lower() for p in what.split(" and ") if p.strip()}


def instance_family(instance_type: str) -> str:
    """``m5.large`` -> ``m``, ``inf2.xlarge`` -> ``inf``, ``u-6tb1.metal`` -> ``u``."""
    m = _FAMILY.match(instance_type.split(".", 1)[0].lower())
    return m.group(0) if m else ""


def volume_type_of(quota_name: str) -> str | None:
    """``Storage for General Purpose SSD (gp3) volumes, in TiB`` -> ``gp3``; Magnetic -> ``standard``."""
    m = _VOLUME_TYPE.search(quota_name)
    if not m:
        return None
    return m.group(1) or "standard"


QUOTAS = (
    QuotaTarget(
        "ec2",
        "Running On-Demand * instances",
        "aws_ec2_instance_type",
        lambda q, i: instance_family(str(i.get("InstanceType", ""))) in instance_families(q),
    ),
    QuotaTarget("ec2", "EC2-VPC Elastic IPs", "aws_ec2_elastic_ip"),
    QuotaTarget(
        "ebs",
        "Storage for * volumes*",
        "aws_ec2_volume",
        lambda q, i: i.get("VolumeType") == volume_type_of(q),
    ),
    QuotaTarget("ebs", "Number of EBS snapshots", "aws_ec2_snapshot"),
    QuotaTarget("vpc", "VPCs per Region", "aws_vpc"),
    QuotaTarget("vpc", "Internet gateways per Region", "aws_ec2_internet_gateway"),
    QuotaTarget("vpc", "Network interfaces per Region", "aws_ec2_network_interface"),
    QuotaTarget(
        "elasticloadbalancing",
        "Application Load Balancers per Region",
        "aws_alb",
        lambda q, i: i.get("Type") == "application",
    ),
    QuotaTarget(
        "elasticloadbalancing",
        "Network Load Balancers per Region",
        "aws_alb",
        lambda q, i: i.get("Type") == "network",
    ),
    QuotaTarget("elasticloadbalancing", "Classic Load Balancers per Region", "aws_elb"),
    QuotaTarget("elasticloadbalancing", "Target Groups per Region", "aws_alb_target_group"),
)
"""The quotas kept, and which resources count against each."""

ID_PATHS = {
    "aws_ec2_instance_type": "InstanceType",
    "aws_ec2_elastic_ip": "AllocationId",
    "aws_ec2_volume": "VolumeId",
    "aws_ec2_snapshot": "SnapshotId",
    "aws_vpc": "VpcId",
    "aws_ec2_internet_gateway": "InternetGatewayId",
    "aws_ec2_network_interface": "NetworkInterfaceId",
    "aws_alb": "LoadBalancerName",
    "aws_elb": "LoadBalancerName",
    "aws_alb_target_group": "TargetGroupName",
}
"""The id key of each target kind's raw item (as its own definition reads it)."""

TARGET_KINDS = tuple(dict.fromkeys(t.kind for t in QUOTAS))
SERVICE_CODES = tuple(dict.fromkeys(t.service_code for t in QUOTAS))


class AwsServiceQuota(AwsResource, BaseQuota):
    kind: ClassVar[str] = "aws_service_quota"
    taggable: ClassVar[bool] = False
    deletable: ClassVar[bool] = False
    quota_code: str | None = None
    quota_name: str | None = None
    service_code: str | None = None
    service_name: str | None = None
    unit: str | None = None
    adjustable: bool | None = None
    global_quota: bool | None = None
    applied_at_level: str | None = None


def _quotas(ctx: UnitApi) -> Iterator[Json]:
    for code in SERVICE_CODES:
        targets = [t for t in QUOTAS if t.service_code == code]
        call = Call("ListServiceQuotas", "Quotas[]", args={"ServiceCode": code}, page_size=100)
        for item in ctx.list_items(SERVICE, call):
            name = str(item.get("QuotaName") or "")
            matching = [t for t in targets if fnmatch.fnmatchcase(name, t.pattern)]
            if not matching:
                continue
            for target in matching:
                key = ID_PATHS[target.kind]
                ids = [str(i[key]) for i in ctx.items(target.kind) if i.get(key) and target.select(name, i)]
                item.setdefault(f"_{target.kind}", []).extend(ids)
            yield item


KINDS = [
    Kind(
        cls=AwsServiceQuota,
        service=SERVICE,
        list=None,
        items=_quotas,
        after=TARGET_KINDS,
        id="QuotaCode",
        name="QuotaName",
        arn="QuotaArn",
        fields={
            "quota": "Value",
            "quota_type": "ServiceCode",
            "quota_code": "QuotaCode",
            "quota_name": "QuotaName",
            "service_code": "ServiceCode",
            "service_name": "ServiceName",
            "unit": "Unit",
            "adjustable": "Adjustable",
            "global_quota": "GlobalQuota",
            "applied_at_level": "QuotaAppliedAtLevel",
        },
        links=tuple(Link(kind, f"_{kind}", default="out") for kind in TARGET_KINDS),
        # the IAM prefix of Service Quotas is "servicequotas"
        iam=("servicequotas:ListServiceQuotas",),
    ),
]
