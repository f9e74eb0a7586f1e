"""Service quotas: which resources count against which quota.

moto does not implement ``ListServiceQuotas`` (HTTP 500): the list call is covered by the
definitions check; the matching of quotas to the resources they limit is tested here.
"""

from __future__ import annotations

import fnmatch

import pytest
from resoto_plugin_aws.services.servicequotas import (
    ID_PATHS,
    QUOTAS,
    instance_families,
    instance_family,
    volume_type_of,
)


@pytest.mark.parametrize(
    ("quota", "families"),
    [
        (
            "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances",
            {"a", "c", "d", "h", "i", "m", "r", "t", "z"},
        ),
        ("Running On-Demand G and VT instances", {"g", "vt"}),
        ("Running On-Demand High Memory instances", {"u"}),
        ("Running On-Demand Inf instances", {"inf"}),
        ("Running Dedicated mac1 Hosts", set()),
    ],
)
def test_instance_families_of_a_quota(quota: str, families: set[str]) -> None:
    assert instance_families(quota) == families


@pytest.mark.parametrize(
    ("instance_type", "family"),
    [
        ("m5.large", "m"),
        ("inf2.xlarge", "inf"),
        ("u-6tb1.metal", "u"),
        ("g4dn.xlarge", "g"),
        ("vt1.3xlarge", "vt"),
    ],
)
def test_instance_family(instance_type: str, family: str) -> None:
    assert instance_family(instance_type) == family


def test_volume_type_of_a_storage_quota() -> None:
    assert volume_type_of("Storage for General Purpose SSD (gp3) volumes, in TiB") == "gp3"
    assert volume_type_of("Storage for Magnetic (standard) volumes, in TiB") == "standard"
    assert volume_type_of("Number of EBS snapshots") is None


def _targets(
    quota_name: str, service_code: str, items: dict[str, list[dict[str, str]]]
) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for t in QUOTAS:
        if t.service_code == service_code and fnmatch.fnmatchcase(quota_name, t.pattern):
            key = ID_PATHS[t.kind]
            out[t.kind] = [i[key] for i in items.get(t.kind, []) if t.select(quota_name, i)]
    return out


def test_quotas_select_the_resources_they_limit() -> None:
    items = {
        "aws_ec2_instance_type": [{"InstanceType": "t3.micro"}, {"InstanceType": "g5.xlarge"}],
        "aws_ec2_volume": [
            {"VolumeId": "vol-1", "VolumeType": "gp3"},
            {"VolumeId": "vol-2", "VolumeType": "io2"},
        ],
        "aws_alb": [
            {"LoadBalancerName": "web", "Type": "application"},
            {"LoadBalancerName": "tcp", "Type": "network"},
        ],
        "aws_vpc": [{"VpcId": "vpc-1"}],
    }
    standard = "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances"
    assert _targets(standard, "ec2", items) == {"aws_ec2_instance_type": ["t3.micro"]}
    assert _targets("Running On-Demand G and VT instances", "ec2", items) == {
        "aws_ec2_instance_type": ["g5.xlarge"]
    }
    gp3 = "Storage for General Purpose SSD (gp3) volumes, in TiB"
    assert _targets(gp3, "ebs", items) == {"aws_ec2_volume": ["vol-1"]}
    assert _targets("Application Load Balancers per Region", "elasticloadbalancing", items) == {
        "aws_alb": ["web"]
    }
    assert _targets("Network Load Balancers per Region", "elasticloadbalancing", items) == {
        "aws_alb": ["tcp"]
    }
    assert _targets("VPCs per Region", "vpc", items) == {"aws_vpc": ["vpc-1"]}
    assert _targets("Rules per security group", "vpc", items) == {}
