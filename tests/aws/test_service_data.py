"""Glue databases, jobs and crawlers, MSK clusters, Neptune clusters, Amazon MQ brokers, Batch compute
environments and job queues, and Transfer Family servers against moto: collected with tags and edges,
tagged, untagged and deleted."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from aws.support_aws import ACCOUNT, Collected, client, collect
from resoto_hookspecs import Location
from resoto_hookspecs.testing import PluginDriver
from resoto_plugin_aws import plugin
from resoto_plugin_aws.config import AwsConfig

REGION = "us-east-1"
KINDS = [
    "aws_glue_database",
    "aws_glue_job",
    "aws_glue_crawler",
    "aws_msk_cluster",
    "aws_neptune_cluster",
    "aws_mq_broker",
    "aws_batch_compute_environment",
    "aws_batch_job_queue",
    "aws_transfer_server",
]
CFG = AwsConfig(
    region=[REGION],
    collect=[
        *KINDS,
        "aws_rds_cluster",
        "aws_iam_role",
        "aws_vpc",
        "aws_ec2_subnet",
        "aws_ec2_security_group",
    ],
)
HERE = Location("aws", ACCOUNT, REGION)
TAGS = {"owner": "tests"}
TAG_LIST = [{"Key": "owner", "Value": "tests"}]
TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole"}]}


def seed() -> dict[str, str]:
    role = client("iam").create_role(RoleName="data", AssumeRolePolicyDocument=json.dumps(TRUST))["Role"][
        "Arn"
    ]
    ec2 = client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.9.{i}.0/24", AvailabilityZone=f"{REGION}{z}")["Subnet"][
            "SubnetId"
        ]
        for i, z in ((1, "a"), (2, "b"))
    ]
    sg = ec2.create_security_group(GroupName="data", Description="data", VpcId=vpc)["GroupId"]
    glue = client("glue")
    glue.create_database(DatabaseInput={"Name": "sales"}, Tags=TAGS)
    glue.create_job(
        Name="nightly", Role=role, Command={"Name": "glueetl", "ScriptLocation": "s3://etl/job.py"}, Tags=TAGS
    )
    glue.create_crawler(
        Name="discover",
        Role=role,
        DatabaseName="sales",
        Targets={"S3Targets": [{"Path": "s3://raw/"}]},
        Tags=TAGS,
    )
    msk = client("kafka").create_cluster_v2(
        ClusterName="events",
        Provisioned={
            "BrokerNodeGroupInfo": {
                "InstanceType": "kafka.m5.large",
                "ClientSubnets": subnets,
                "SecurityGroups": [sg],
            },
            "KafkaVersion": "3.5.1",
            "NumberOfBrokerNodes": 2,
        },
        Tags=TAGS,
    )["ClusterArn"]
    client("neptune").create_db_cluster(DBClusterIdentifier="graph", Engine="neptune", Tags=TAG_LIST)
    client("rds").create_db_cluster(
        DBClusterIdentifier="orders",
        Engine="aurora-postgresql",
        MasterUsername="admin",
        MasterUserPassword="password123",
    )
    broker = client("mq").create_broker(
        BrokerName="bus",
        DeploymentMode="SINGLE_INSTANCE",
        EngineType="ACTIVEMQ",
        EngineVersion="5.17.6",
        HostInstanceType="mq.t3.micro",
        PubliclyAccessible=False,
        AutoMinorVersionUpgrade=True,
        SubnetIds=subnets[:1],
        SecurityGroups=[sg],
        Users=[{"Username": "app", "Password": "a-long-password"}],
        Tags=TAGS,
    )["BrokerId"]
    batch = client("batch")
    env = batch.create_compute_environment(
        computeEnvironmentName="spot-pool",
        type="UNMANAGED",
        state="ENABLED",
        serviceRole=role,
        tags=TAGS,
    )["computeEnvironmentArn"]
    batch.create_job_queue(
        jobQueueName="jobs",
        state="ENABLED",
        priority=1,
        computeEnvironmentOrder=[{"order": 1, "computeEnvironment": env}],
        tags=TAGS,
    )
    server = client("transfer").create_server(LoggingRole=role, Tags=TAG_LIST)["ServerId"]
    return {"msk": msk, "broker": broker, "server": server, "sg": sg, "subnet": subnets[0]}


@pytest.fixture()
def seeded(moto: str) -> tuple[Collected, dict[str, str]]:
    ids = seed()
    result = collect(CFG)
    assert not result.failures and result.reporter.errors == []
    return result, ids


def ids(seeded_ids: dict[str, str]) -> dict[str, str]:
    return {
        "aws_glue_database": "sales",
        "aws_glue_job": "nightly",
        "aws_glue_crawler": "discover",
        "aws_msk_cluster": "events",
        "aws_neptune_cluster": "graph",
        "aws_mq_broker": seeded_ids["broker"],
        "aws_batch_compute_environment": "spot-pool",
        "aws_batch_job_queue": "jobs",
        "aws_transfer_server": seeded_ids["server"],
    }


def test_collected_with_tags_and_edges(seeded: tuple[Collected, dict[str, str]]) -> None:
    result, seeded_ids = seeded
    for kind, rid in ids(seeded_ids).items():
        found = result.by_id(kind)[rid]
        assert found["tags"] == TAGS, kind
        assert found["arn"].startswith("arn:aws:"), kind
    assert result.by_id("aws_glue_job")["nightly"]["arn"] == f"arn:aws:glue:{REGION}:{ACCOUNT}:job/nightly"
    assert result.by_id("aws_msk_cluster")["events"]["number_of_broker_nodes"] == 2
    assert result.by_id("aws_mq_broker")[seeded_ids["broker"]]["engine_type"] == "ACTIVEMQ"
    assert result.by_id("aws_neptune_cluster")["graph"]["cluster_engine"] == "neptune"
    # the RDS API lists the Neptune cluster too: it is collected once, as Neptune's
    assert set(result.by_id("aws_rds_cluster")) == {"orders"}
    nid = result.nid
    role = nid("aws_iam_role", "data")
    for kind, rid in (("aws_glue_job", "nightly"), ("aws_glue_crawler", "discover")):
        assert result.edge(role, nid(kind, rid)), kind
    assert result.edge(nid("aws_glue_crawler", "discover"), nid("aws_glue_database", "sales"))
    env, queue = nid("aws_batch_compute_environment", "spot-pool"), nid("aws_batch_job_queue", "jobs")
    assert result.edge(env, queue) and result.edge(env, queue, "delete")
    sg, subnet = nid("aws_ec2_security_group", seeded_ids["sg"]), nid("aws_ec2_subnet", seeded_ids["subnet"])
    for kind, rid in (("aws_msk_cluster", "events"), ("aws_mq_broker", seeded_ids["broker"])):
        assert result.edge(sg, nid(kind, rid)) and result.edge(sg, nid(kind, rid), "delete"), kind
        assert result.edge(subnet, nid(kind, rid)), kind


def _tags(kind: str, res: Any) -> dict[str, str]:
    readers: dict[str, Callable[[], Any]] = {
        "glue": lambda: client("glue").get_tags(ResourceArn=res.arn)["Tags"],
        "msk": lambda: client("kafka").list_tags_for_resource(ResourceArn=res.arn)["Tags"],
        "neptune": lambda: client("neptune").list_tags_for_resource(ResourceName=res.arn)["TagList"],
        "mq": lambda: client("mq").list_tags(ResourceArn=res.arn)["Tags"],
        "batch": lambda: client("batch").list_tags_for_resource(resourceArn=res.arn)["tags"],
    }
    raw = readers[kind.split("_")[1]]()
    return raw if isinstance(raw, dict) else {t["Key"]: t["Value"] for t in raw}


@pytest.mark.parametrize(
    "kind", [k for k in KINDS if k != "aws_transfer_server"]
)  # see test_service_fake_new
def test_tag_untag(seeded: tuple[Collected, dict[str, str]], kind: str) -> None:
    result, seeded_ids = seeded
    res = result.resource(kind, ids(seeded_ids)[kind])
    PluginDriver(plugin, CFG).update_tag(resource=res, location=HERE, key="team", value="data")
    PluginDriver(plugin, CFG).delete_tag(resource=res, location=HERE, key="owner")
    assert _tags(kind, res) == {"team": "data"}, kind


def test_delete(seeded: tuple[Collected, dict[str, str]]) -> None:
    result, seeded_ids = seeded
    order = [
        "aws_glue_crawler",
        "aws_glue_job",
        "aws_glue_database",
        "aws_msk_cluster",
        "aws_neptune_cluster",
        "aws_mq_broker",
        "aws_batch_job_queue",  # before the compute environment it feeds
        "aws_batch_compute_environment",
        "aws_transfer_server",
    ]
    for kind in order:
        res = result.resource(kind, ids(seeded_ids)[kind])
        PluginDriver(plugin, CFG).pre_cleanup(resource=res, location=HERE)
        PluginDriver(plugin, CFG).delete_resource(resource=res, location=HERE)
    after = collect(CFG)
    for kind in order:
        assert ids(seeded_ids)[kind] not in after.by_id(kind), kind
