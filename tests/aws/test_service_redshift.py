"""Redshift clusters against moto: collected with fields, tags and edges; tagged, untagged, deleted."""

from __future__ import annotations

import json
from typing import Any

from aws.support_aws import ACCOUNT, Collected, client, collect, delete_order
from resoto_hookspecs import Location
from resoto_hookspecs.testing import PluginDriver
from resoto_plugin_aws import plugin
from resoto_plugin_aws.config import AwsConfig
from resoto_plugin_aws.registry import kind_of

REGION = "us-east-1"
CFG = AwsConfig(
    region=[REGION],
    collect=["aws_redshift_*", "aws_vpc", "aws_ec2_security_group", "aws_kms_key", "aws_iam_role"],
)
HERE = Location("aws", ACCOUNT, REGION)


def seed() -> dict[str, str]:
    ec2 = client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.9.1.0/24", AvailabilityZone="us-east-1a")["Subnet"]
    sg = ec2.create_security_group(GroupName="warehouse", Description="redshift", VpcId=vpc)["GroupId"]
    key = client("kms").create_key(Description="warehouse")["KeyMetadata"]
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole"}]}
    role = client("iam").create_role(RoleName="warehouse-loader", AssumeRolePolicyDocument=json.dumps(trust))
    redshift = client("redshift")
    redshift.create_cluster_subnet_group(
        ClusterSubnetGroupName="warehouse-subnets", Description="dw", SubnetIds=[subnet["SubnetId"]]
    )
    redshift.create_cluster(
        ClusterIdentifier="warehouse",
        NodeType="ra3.xlplus",
        ClusterType="multi-node",
        NumberOfNodes=2,
        MasterUsername="admin",
        MasterUserPassword="Passw0rd-not-real",
        DBName="sales",
        ClusterSubnetGroupName="warehouse-subnets",
        VpcSecurityGroupIds=[sg],
        Encrypted=True,
        KmsKeyId=key["Arn"],
        IamRoles=[role["Role"]["Arn"]],
        Tags=[{"Key": "team", "Value": "bi"}, {"Key": "Name", "Value": "dw"}],
    )
    return {"vpc": vpc, "sg": sg, "key": key["KeyId"]}


def resource(result: Collected, kind: str, rid: str) -> Any:
    reported = dict(result.by_id(kind)[rid])
    reported.pop("kind")
    found = kind_of(kind)
    assert found is not None
    return found.cls.model_validate(reported)


def cluster_tags() -> dict[str, str]:
    cluster = client("redshift").describe_clusters(ClusterIdentifier="warehouse")["Clusters"][0]
    return {t["Key"]: t["Value"] for t in cluster["Tags"]}


def test_cluster_is_collected_with_fields_tags_and_edges(moto: str) -> None:
    ids = seed()
    result = collect(CFG)
    assert not result.failures
    assert not result.reporter.errors
    cluster = result.by_id("aws_redshift_cluster")["warehouse"]
    assert cluster["name"] == "dw"
    assert cluster["tags"] == {"team": "bi", "Name": "dw"}
    assert cluster["arn"] == f"arn:aws:redshift:{REGION}:{ACCOUNT}:cluster:warehouse"
    assert cluster["node_type"] == "ra3.xlplus"
    assert cluster["number_of_nodes"] == 2
    assert cluster["db_name"] == "sales"
    assert cluster["encrypted"] is True
    # moto leaves VpcId out of DescribeClusters (AWS sends it), so the VPC edge is not checked here
    assert cluster["cluster_subnet_group_name"] == "warehouse-subnets"
    assert cluster["endpoint_address"]
    assert "ctime" in cluster
    nid = result.nid("aws_redshift_cluster", "warehouse")
    sg = result.nid("aws_ec2_security_group", ids["sg"])
    key = result.nid("aws_kms_key", ids["key"])
    role = result.nid("aws_iam_role", "warehouse-loader")
    assert result.edge(sg, nid) and result.edge(sg, nid, "delete")
    assert result.edge(nid, key) and result.edge(key, nid, "delete")
    assert result.edge(role, nid)
    # cleanup order: the cluster goes before its security group and its KMS key
    assert delete_order({nid, sg, key}, result.sink.edges)[0] == nid


def test_tag_untag_check_and_delete(moto: str) -> None:
    seed()
    result = collect(CFG)
    cluster = resource(result, "aws_redshift_cluster", "warehouse")
    PluginDriver(plugin, CFG).update_tag(resource=cluster, location=HERE, key="owner", value="dana")
    PluginDriver(plugin, CFG).delete_tag(resource=cluster, location=HERE, key="team")
    assert cluster_tags() == {"Name": "dw", "owner": "dana"}
    current = PluginDriver(plugin, CFG).check_resource(resource=cluster, location=HERE)
    assert current is not None and current.tags == {"Name": "dw", "owner": "dana"}

    PluginDriver(plugin, CFG).delete_resource(resource=cluster, location=HERE)
    assert [c["ClusterIdentifier"] for c in client("redshift").describe_clusters()["Clusters"]] == []
    assert PluginDriver(plugin, CFG).check_resource(resource=cluster, location=HERE) is None
