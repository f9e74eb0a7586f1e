"""OpenSearch domains against moto: collected with details, tags and network/key/pool edges; tag, delete."""

from __future__ import annotations

from typing import Any

from aws.support_aws import ACCOUNT, Collected, client, collect
from resoto_hookspecs import Location
from resoto_hookspecs.testing import PluginDriver
from resoto_plugin_aws import plugin
from resoto_plugin_aws.config import AwsConfig
from resoto_plugin_aws.registry import kind_of

REGION = "us-east-1"
CFG = AwsConfig(
    region=[REGION],
    collect=[
        "aws_opensearch_domain",
        "aws_vpc",
        "aws_ec2_subnet",
        "aws_ec2_security_group",
        "aws_kms_key",
        "aws_cognito_user_pool",
    ],
)
HERE = Location("aws", ACCOUNT, REGION)


def seed() -> dict[str, str]:
    ec2 = client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.9.1.0/24")["Subnet"]["SubnetId"]
    sg = ec2.create_security_group(GroupName="search", Description="search", VpcId=vpc)["GroupId"]
    key = client("kms").create_key(Description="search")["KeyMetadata"]
    pool = client("cognito-idp").create_user_pool(PoolName="search-users")["UserPool"]["Id"]
    client("opensearch").create_domain(
        DomainName="logs",
        EngineVersion="OpenSearch_2.11",
        ClusterConfig={"InstanceType": "r6g.large.search", "InstanceCount": 2, "ZoneAwarenessEnabled": False},
        EBSOptions={"EBSEnabled": True, "VolumeType": "gp3", "VolumeSize": 20},
        VPCOptions={"SubnetIds": [subnet], "SecurityGroupIds": [sg]},
        EncryptionAtRestOptions={"Enabled": True, "KmsKeyId": key["Arn"]},
        NodeToNodeEncryptionOptions={"Enabled": True},
        CognitoOptions={
            "Enabled": True,
            "UserPoolId": pool,
            "IdentityPoolId": "us-east-1:pool",
            "RoleArn": f"arn:aws:iam::{ACCOUNT}:role/search",
        },
        TagList=[{"Key": "team", "Value": "obs"}],
    )
    client("opensearch").create_domain(DomainName="plain", EngineVersion="OpenSearch_2.11")
    return {"vpc": vpc, "subnet": subnet, "sg": sg, "key": key["KeyId"], "pool": pool}


def resource(result: Collected, rid: str) -> Any:
    reported = dict(result.by_id("aws_opensearch_domain")[rid])
    reported.pop("kind")
    found = kind_of("aws_opensearch_domain")
    assert found is not None
    return found.cls.model_validate(reported)


def tags(arn: str) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in client("opensearch").list_tags(ARN=arn)["TagList"]}


def test_domains_are_collected(moto: str) -> None:
    ids = seed()
    result = collect(CFG)
    assert not result.failures
    assert not result.reporter.errors
    domains = result.by_id("aws_opensearch_domain")
    assert set(domains) == {"logs", "plain"}
    logs = domains["logs"]
    assert logs["tags"] == {"team": "obs"}
    assert logs["arn"] == f"arn:aws:es:{REGION}:{ACCOUNT}:domain/logs"
    assert logs["engine_version"] == "OpenSearch_2.11"
    assert logs["instance_type"] == "r6g.large.search"
    assert logs["instance_count"] == 2
    assert logs["volume_size"] == 20
    assert logs["encryption_at_rest"] is True
    assert logs["subnet_ids"] == [ids["subnet"]]
    assert domains["plain"]["tags"] == {}
    nid = result.nid("aws_opensearch_domain", "logs")
    assert result.edge(result.nid("aws_ec2_subnet", ids["subnet"]), nid)
    assert result.edge(result.nid("aws_ec2_subnet", ids["subnet"]), nid, "delete")
    assert result.edge(result.nid("aws_ec2_security_group", ids["sg"]), nid)
    assert result.edge(nid, result.nid("aws_kms_key", ids["key"]))
    assert result.edge(nid, result.nid("aws_cognito_user_pool", ids["pool"]))
    # both domains are described in one call
    assert result.reporter.calls[("opensearch", "DescribeDomains")] == 1


def test_tag_untag_and_delete(moto: str) -> None:
    seed()
    result = collect(CFG)
    domain = resource(result, "logs")
    assert domain.arn
    PluginDriver(plugin, CFG).update_tag(resource=domain, location=HERE, key="owner", value="ops")
    PluginDriver(plugin, CFG).delete_tag(resource=domain, location=HERE, key="team")
    assert tags(domain.arn) == {"owner": "ops"}
    PluginDriver(plugin, CFG).delete_resource(resource=domain, location=HERE)
    names = [d["DomainName"] for d in client("opensearch").list_domain_names()["DomainNames"]]
    assert names == ["plain"]
    assert PluginDriver(plugin, CFG).check_resource(resource=domain, location=HERE) is None
