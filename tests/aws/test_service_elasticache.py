"""ElastiCache against moto: cache cluster, replication group and subnet group collected with
fields, tags and edges; tagged, untagged, checked and deleted (moto cannot delete subnet groups)."""

from __future__ import annotations

from typing import Any

import pytest
from aws.support_aws import ACCOUNT, Collected, client, collect
from resoto_hookspecs import Location
from resoto_hookspecs.testing import PluginDriver
from resoto_plugin_aws import plugin
from resoto_plugin_aws.config import AwsConfig
from resoto_plugin_aws.registry import kind_of

REGION = "us-east-1"
CFG = AwsConfig(
    region=[REGION], collect=["aws_elasticache_*", "aws_vpc", "aws_ec2_subnet", "aws_ec2_security_group"]
)
HERE = Location("aws", ACCOUNT, REGION)
TAGS = [{"Key": "owner", "Value": "tests"}]


def seed() -> dict[str, str]:
    ec2 = client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.6.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.6.1.0/24")["Subnet"]["SubnetId"]
    sg = ec2.create_security_group(GroupName="cache", Description="cache", VpcId=vpc)["GroupId"]
    ec = client("elasticache")
    ec.create_cache_subnet_group(
        CacheSubnetGroupName="cache-subnets", CacheSubnetGroupDescription="c", SubnetIds=[subnet], Tags=TAGS
    )
    ec.create_cache_cluster(
        CacheClusterId="sessions",
        Engine="redis",
        CacheNodeType="cache.t3.micro",
        NumCacheNodes=1,
        CacheSubnetGroupName="cache-subnets",
        SecurityGroupIds=[sg],
        Tags=[*TAGS, {"Key": "Name", "Value": "session-cache"}],
    )
    ec.create_replication_group(
        ReplicationGroupId="shop", ReplicationGroupDescription="shop cache", Engine="redis", Tags=TAGS
    )
    return {"vpc": vpc, "subnet": subnet, "sg": sg}


@pytest.fixture()
def seeded(moto: str) -> tuple[Collected, dict[str, str]]:
    ids = seed()
    result = collect(CFG)
    assert not result.failures
    assert result.reporter.errors == []
    return result, ids


def resource(result: Collected, kind: str, rid: str) -> Any:
    reported = dict(result.by_id(kind)[rid])
    reported.pop("kind")
    found = kind_of(kind)
    assert found is not None
    return found.cls.model_validate(reported)


def test_collected_with_fields_tags_and_edges(seeded: tuple[Collected, dict[str, str]]) -> None:
    result, ids = seeded
    cluster = result.by_id("aws_elasticache_cache_cluster")["sessions"]
    assert cluster["name"] == "session-cache"
    assert cluster["tags"] == {"owner": "tests", "Name": "session-cache"}
    assert cluster["engine"] == "redis" and cluster["cache_node_type"] == "cache.t3.micro"
    # moto leaves SecurityGroups out of DescribeCacheClusters (AWS sends them): no SG edge checked here
    assert cluster["arn"] == f"arn:aws:elasticache:{REGION}:{ACCOUNT}:cluster:sessions"
    group = result.by_id("aws_elasticache_replication_group")["shop"]
    assert group["tags"] == {"owner": "tests"} and group["description"] == "shop cache"
    subnets = result.by_id("aws_elasticache_subnet_group")["cache-subnets"]
    assert subnets["subnet_ids"] == [ids["subnet"]] and subnets["tags"] == {"owner": "tests"}

    c = result.nid("aws_elasticache_cache_cluster", "sessions")
    sng = result.nid("aws_elasticache_subnet_group", "cache-subnets")
    subnet = result.nid("aws_ec2_subnet", ids["subnet"])
    assert result.edge(sng, c) and result.edge(sng, c, "delete")
    assert result.edge(subnet, sng) and result.edge(subnet, sng, "delete")


@pytest.mark.parametrize(
    ("kind", "rid"),
    [
        ("aws_elasticache_cache_cluster", "sessions"),
        ("aws_elasticache_replication_group", "shop"),
        ("aws_elasticache_subnet_group", "cache-subnets"),
    ],
)
def test_tag_untag_check(seeded: tuple[Collected, dict[str, str]], kind: str, rid: str) -> None:
    result, _ = seeded
    res = resource(result, kind, rid)
    PluginDriver(plugin, CFG).update_tag(resource=res, location=HERE, key="team", value="web")
    PluginDriver(plugin, CFG).delete_tag(resource=res, location=HERE, key="owner")
    tags = client("elasticache").list_tags_for_resource(ResourceName=res.arn)["TagList"]
    assert {t["Key"]: t["Value"] for t in tags}.get("team") == "web" and "owner" not in {
        t["Key"] for t in tags
    }
    current = PluginDriver(plugin, CFG).check_resource(resource=res, location=HERE)
    assert current is not None and current.tags.get("team") == "web" and "owner" not in current.tags


def test_delete(seeded: tuple[Collected, dict[str, str]]) -> None:
    result, _ = seeded
    ec = client("elasticache")
    cluster = resource(result, "aws_elasticache_cache_cluster", "sessions")
    PluginDriver(plugin, CFG).delete_resource(resource=cluster, location=HERE)
    assert PluginDriver(plugin, CFG).check_resource(resource=cluster, location=HERE) is None
    group = resource(result, "aws_elasticache_replication_group", "shop")
    PluginDriver(plugin, CFG).delete_resource(resource=group, location=HERE)
    assert PluginDriver(plugin, CFG).check_resource(resource=group, location=HERE) is None
    assert [c["CacheClusterStatus"] for c in ec.describe_cache_clusters()["CacheClusters"]] == ["deleting"]
