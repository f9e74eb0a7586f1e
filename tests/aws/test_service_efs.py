"""EFS access points and mount targets against moto: collected with tags and edges (both go before
their file system); access point tagged and untagged; both deleted."""

from __future__ import annotations

from typing import Any

from aws.support_aws import ACCOUNT, Collected, client, collect, delete_order
from resoto_hookspecs import Location
from resoto_hookspecs.testing import PluginDriver
from resoto_plugin_aws import plugin
from resoto_plugin_aws.config import AwsConfig
from resoto_plugin_aws.registry import kind_of

REGION = "us-east-1"
CFG = AwsConfig(region=[REGION], collect=["aws_efs_*", "aws_ec2_subnet", "aws_ec2_network_interface"])
HERE = Location("aws", ACCOUNT, REGION)


def resource(result: Collected, kind: str, rid: str) -> Any:
    reported = dict(result.by_id(kind)[rid])
    reported.pop("kind")
    found = kind_of(kind)
    assert found is not None
    return found.cls.model_validate(reported)


def test_access_points_and_mount_targets(moto: str) -> None:
    ec2 = client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.5.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.5.1.0/24", AvailabilityZone="us-east-1a")["Subnet"][
        "SubnetId"
    ]
    efs = client("efs")
    fs = efs.create_file_system(CreationToken="shared", Tags=[{"Key": "Name", "Value": "shared"}])[
        "FileSystemId"
    ]
    mt = efs.create_mount_target(FileSystemId=fs, SubnetId=subnet)["MountTargetId"]
    ap = efs.create_access_point(
        FileSystemId=fs,
        RootDirectory={"Path": "/data"},
        PosixUser={"Uid": 1000, "Gid": 1000},
        Tags=[{"Key": "owner", "Value": "tests"}],
    )["AccessPointId"]

    result = collect(CFG)
    assert not result.failures and result.reporter.errors == []
    point = result.by_id("aws_efs_access_point")[ap]
    assert point["tags"] == {"owner": "tests"}
    assert (point["file_system_id"], point["root_directory_path"], point["posix_user_uid"]) == (
        fs,
        "/data",
        1000,
    )
    target = result.by_id("aws_efs_mount_target")[mt]
    assert (target["file_system_id"], target["subnet_id"]) == (fs, subnet)
    f = result.nid("aws_efs_file_system", fs)
    a = result.nid("aws_efs_access_point", ap)
    m = result.nid("aws_efs_mount_target", mt)
    s = result.nid("aws_ec2_subnet", subnet)
    assert result.edge(f, a) and result.edge(f, a, "delete")
    assert result.edge(f, m) and result.edge(f, m, "delete")
    assert result.edge(s, m) and result.edge(s, m, "delete")
    order = delete_order({f, a, m, s}, result.sink.edges)
    assert (
        order.index(a) < order.index(f)
        and order.index(m) < order.index(f)
        and order.index(m) < order.index(s)
    )

    point_res = resource(result, "aws_efs_access_point", ap)
    PluginDriver(plugin, CFG).update_tag(resource=point_res, location=HERE, key="team", value="data")
    PluginDriver(plugin, CFG).delete_tag(resource=point_res, location=HERE, key="owner")
    assert efs.list_tags_for_resource(ResourceId=ap)["Tags"] == [{"Key": "team", "Value": "data"}]
    current = PluginDriver(plugin, CFG).check_resource(resource=point_res, location=HERE)
    assert current is not None and current.tags == {"team": "data"}

    for kind, rid in [("aws_efs_access_point", ap), ("aws_efs_mount_target", mt)]:
        res = resource(result, kind, rid)
        PluginDriver(plugin, CFG).delete_resource(resource=res, location=HERE)
        assert PluginDriver(plugin, CFG).check_resource(resource=res, location=HERE) is None, kind
    assert efs.describe_mount_targets(FileSystemId=fs)["MountTargets"] == []
