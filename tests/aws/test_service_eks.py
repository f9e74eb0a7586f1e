"""EKS against moto: a cluster and its node group collected with fields, tags and edges (the node
group goes before its cluster); tagged, untagged, checked and deleted."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws.support_aws import ACCOUNT, Collected, client, collect, delete_order
from resoto_hookspecs import Location
from resoto_hookspecs.testing import PluginDriver
from resoto_plugin_aws import plugin
from resoto_plugin_aws.config import AwsConfig
from resoto_plugin_aws.registry import kind_of

REGION = "us-east-1"
CFG = AwsConfig(
    region=[REGION],
    collect=["aws_eks_*", "aws_vpc", "aws_ec2_subnet", "aws_ec2_security_group", "aws_iam_role"],
)
HERE = Location("aws", ACCOUNT, REGION)


def seed() -> dict[str, str]:
    ec2 = client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.8.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.8.1.0/24")["Subnet"]["SubnetId"]
    sg = ec2.create_security_group(GroupName="k8s", Description="eks", VpcId=vpc)["GroupId"]
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole"}]}
    role = client("iam").create_role(RoleName="eks-role", AssumeRolePolicyDocument=json.dumps(trust))["Role"][
        "Arn"
    ]
    eks = client("eks")
    eks.create_cluster(
        name="prod",
        version="1.29",
        roleArn=role,
        resourcesVpcConfig={"subnetIds": [subnet], "securityGroupIds": [sg]},
        tags={"owner": "tests", "Name": "k8s-prod"},
    )
    eks.create_nodegroup(
        clusterName="prod",
        nodegroupName="workers",
        subnets=[subnet],
        nodeRole=role,
        instanceTypes=["m5.large"],
        scalingConfig={"minSize": 1, "maxSize": 3, "desiredSize": 2},
        tags={"owner": "tests"},
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


def test_cluster_and_nodegroup_are_collected(seeded: tuple[Collected, dict[str, str]]) -> None:
    result, ids = seeded
    cluster = result.by_id("aws_eks_cluster")["prod"]
    assert cluster["name"] == "k8s-prod"
    assert cluster["tags"] == {"owner": "tests", "Name": "k8s-prod"}
    assert cluster["cluster_version"] == "1.29"
    assert cluster["subnet_ids"] == [ids["subnet"]]
    assert cluster["arn"].endswith(":cluster/prod")
    assert "ctime" in cluster
    ng = result.by_id("aws_eks_nodegroup")["prod/workers"]
    assert ng["name"] == "workers" and ng["cluster_name"] == "prod"
    assert ng["tags"] == {"owner": "tests"}
    assert ng["instance_types"] == ["m5.large"]
    assert (ng["min_size"], ng["max_size"], ng["desired_size"]) == (1, 3, 2)

    c = result.nid("aws_eks_cluster", "prod")
    n = result.nid("aws_eks_nodegroup", "prod/workers")
    subnet = result.nid("aws_ec2_subnet", ids["subnet"])
    sg = result.nid("aws_ec2_security_group", ids["sg"])
    role = result.nid("aws_iam_role", "eks-role")
    assert result.edge(c, n) and result.edge(c, n, "delete")
    assert (
        result.edge(subnet, c, "delete")
        and result.edge(sg, c)
        and result.edge(role, c)
        and result.edge(role, n)
    )
    assert delete_order({c, n, subnet}, result.sink.edges) == [n, c, subnet]


def test_tag_untag_check(seeded: tuple[Collected, dict[str, str]]) -> None:
    """moto tags clusters only (node group tagging is checked by the botocore-model test)."""
    result, _ = seeded
    res = resource(result, "aws_eks_cluster", "prod")
    PluginDriver(plugin, CFG).update_tag(resource=res, location=HERE, key="team", value="k8s")
    PluginDriver(plugin, CFG).delete_tag(resource=res, location=HERE, key="owner")
    tags = client("eks").list_tags_for_resource(resourceArn=res.arn)["tags"]
    assert tags.get("team") == "k8s" and "owner" not in tags
    current = PluginDriver(plugin, CFG).check_resource(resource=res, location=HERE)
    assert current is not None and current.tags.get("team") == "k8s"
    ng = resource(result, "aws_eks_nodegroup", "prod/workers")
    current = PluginDriver(plugin, CFG).check_resource(resource=ng, location=HERE)
    assert current is not None and current.id == "prod/workers" and current.tags == {"owner": "tests"}


def test_delete_nodegroup_then_cluster(seeded: tuple[Collected, dict[str, str]]) -> None:
    result, _ = seeded
    eks = client("eks")
    ng = resource(result, "aws_eks_nodegroup", "prod/workers")
    PluginDriver(plugin, CFG).delete_resource(resource=ng, location=HERE)
    assert eks.list_nodegroups(clusterName="prod")["nodegroups"] == []
    assert PluginDriver(plugin, CFG).check_resource(resource=ng, location=HERE) is None
    cluster = resource(result, "aws_eks_cluster", "prod")
    PluginDriver(plugin, CFG).delete_resource(resource=cluster, location=HERE)
    assert eks.list_clusters()["clusters"] == []
    assert PluginDriver(plugin, CFG).check_resource(resource=cluster, location=HERE) is None
