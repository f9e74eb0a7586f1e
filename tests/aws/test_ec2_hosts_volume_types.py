"""EC2 dedicated hosts and volume types against moto.

A dedicated host is allocated, collected with its tags and fields, tagged, untagged and released
through ``delete_resource``. Volume types are computed from the volumes listed: one node per type in
use, with its count and total size, and an edge to every volume of that type.
"""

from __future__ import annotations

from typing import Any

from aws.support_aws import ACCOUNT, Collected, client, collect
from resoto_hookspecs import Location
from resoto_hookspecs.testing import PluginDriver
from resoto_plugin_aws import plugin
from resoto_plugin_aws.config import AwsConfig
from resoto_plugin_aws.registry import kind_of

REGION = "us-east-1"
HERE = Location("aws", ACCOUNT, REGION)


def resource(result: Collected, kind: str, rid: str) -> Any:
    reported = dict(result.by_id(kind)[rid])
    reported.pop("kind")
    found = kind_of(kind)
    assert found is not None
    return found.cls.model_validate(reported)


def test_dedicated_host_collected_tagged_and_released(moto: str) -> None:
    cfg = AwsConfig(region=[REGION], collect=["aws_ec2_host", "aws_ec2_instance"])
    ec2 = client("ec2")
    host = ec2.allocate_hosts(
        AvailabilityZone="us-east-1b",
        InstanceType="m5.large",
        Quantity=1,
        AutoPlacement="off",
        TagSpecifications=[{"ResourceType": "dedicated-host", "Tags": [{"Key": "owner", "Value": "tests"}]}],
    )["HostIds"][0]
    released = ec2.allocate_hosts(AvailabilityZone="us-east-1a", InstanceType="c5.large", Quantity=1)[
        "HostIds"
    ][0]
    ec2.release_hosts(HostIds=[released])

    result = collect(cfg)
    assert not result.failures and result.reporter.errors == []
    hosts = result.by_id("aws_ec2_host")
    assert set(hosts) == {host}  # the released one is gone for the user
    got = hosts[host]
    assert got["tags"] == {"owner": "tests"}
    assert (got["host_state"], got["availability_zone"], got["instance_type"], got["auto_placement"]) == (
        "available",
        "us-east-1b",
        "m5.large",
        "off",
    )
    assert got["arn"] == f"arn:aws:ec2:{REGION}:{ACCOUNT}:dedicated-host/{host}"
    assert got["ctime"] is not None

    res = resource(result, "aws_ec2_host", host)
    PluginDriver(plugin, cfg).update_tag(resource=res, location=HERE, key="team", value="compute")
    PluginDriver(plugin, cfg).delete_tag(resource=res, location=HERE, key="owner")
    current = PluginDriver(plugin, cfg).check_resource(resource=res, location=HERE)
    assert current is not None and current.tags == {"team": "compute"}

    PluginDriver(plugin, cfg).delete_resource(resource=res, location=HERE)
    assert ec2.describe_hosts(HostIds=[host])["Hosts"][0]["State"] == "released"
    assert PluginDriver(plugin, cfg).check_resource(resource=res, location=HERE) is None


def test_volume_types_in_use(moto: str) -> None:
    cfg = AwsConfig(region=[REGION], collect=["aws_ec2_volume", "aws_ec2_volume_type"])
    ec2 = client("ec2")
    gp3 = [
        ec2.create_volume(AvailabilityZone="us-east-1a", Size=size, VolumeType="gp3")["VolumeId"]
        for size in (10, 30)
    ]
    io1 = ec2.create_volume(AvailabilityZone="us-east-1a", Size=8, VolumeType="io1", Iops=100)["VolumeId"]

    result = collect(cfg)
    assert not result.failures and result.reporter.errors == []
    types = result.by_id("aws_ec2_volume_type")
    assert set(types) == {"gp3", "io1"}  # only the types in use, not every EBS type
    assert (
        types["gp3"]["volume_type"],
        types["gp3"]["volumes_in_use"],
        types["gp3"]["volume_size_total"],
    ) == (
        "gp3",
        2,
        40,
    )
    assert (types["io1"]["volumes_in_use"], types["io1"]["volume_size_total"]) == (1, 8)
    gp3_node = result.nid("aws_ec2_volume_type", "gp3")
    io1_node = result.nid("aws_ec2_volume_type", "io1")
    for vid in gp3:
        assert result.edge(gp3_node, result.nid("aws_ec2_volume", vid))
        assert not result.edge(io1_node, result.nid("aws_ec2_volume", vid))
    assert result.edge(io1_node, result.nid("aws_ec2_volume", io1))
    # computed from the volume listing: no API call of its own
    ec2_calls = {op: n for (service, op), n in result.reporter.calls.items() if service == "ec2"}
    ec2_calls.pop("DescribeRegions", None)  # account discovery
    assert ec2_calls == {"DescribeVolumes": 1}
    assert kind_of("aws_ec2_volume_type") is not None
    with_type = resource(result, "aws_ec2_volume_type", "gp3")
    assert not type(with_type).deletable and not type(with_type).taggable
