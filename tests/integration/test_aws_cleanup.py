"""AWS through the kernel: collect with the engine, delete with run_cleanup, tag with handle_task.

moto runs on 127.0.0.1 behind a recording proxy (``aws_recorder``): the plugin's boto3 clients reach
it through ``AWS_ENDPOINT_URL``, and the proxy's log gives the order of the calls the cleanup made.
"""

from __future__ import annotations

import os
import socket
import urllib.request
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from aws.conftest import ENV
from botocore.exceptions import ClientError
from integration.aws_recorder import RecordingProxy
from integration.support_integration import Stack, cloud_stack

REGION = "us-east-1"
AZ = "us-east-1a"
BUCKET = "t-integration-bucket"


@dataclass
class Aws:
    moto: str
    proxy: RecordingProxy


@pytest.fixture(scope="module")
def aws() -> Iterator[Aws]:
    """moto and the recording proxy in front of it; the process env points boto3 at the proxy."""
    saved = {k: os.environ.get(k) for k in [*ENV, "AWS_ENDPOINT_URL", "AWS_PROFILE", "AWS_SESSION_TOKEN"]}
    os.environ.update(ENV)
    os.environ.pop("AWS_PROFILE", None)
    os.environ.pop("AWS_SESSION_TOKEN", None)
    from moto.server import ThreadedMotoServer

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    moto = f"http://127.0.0.1:{port}"
    try:
        with RecordingProxy(moto) as proxy:
            os.environ["AWS_ENDPOINT_URL"] = proxy.url
            yield Aws(moto, proxy)
    finally:
        server.stop()
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@pytest.fixture
def clean_aws(aws: Aws) -> Aws:
    request = urllib.request.Request(f"{aws.moto}/moto-api/reset", method="POST")
    with urllib.request.urlopen(request, timeout=30) as answer:
        answer.read()
    from resoto_plugin_aws.sessions import SESSIONS

    SESSIONS.clear()
    aws.proxy.clear()
    return aws


def _ec2() -> Any:
    return boto3.client("ec2", region_name=REGION)


def _tags(name: str, **more: str) -> list[dict[str, Any]]:
    return [{"Key": k, "Value": v} for k, v in {"Name": name, **more}.items()]


def _seed() -> dict[str, str]:
    """VPC -> subnet -> instance (root volume + an attached extra volume, in group b); group b's
    ingress rule references group a. A second instance and a bucket stay out of the cleanup."""
    ec2 = _ec2()
    s: dict[str, str] = {}
    s["vpc"] = ec2.create_vpc(CidrBlock="10.7.0.0/16")["Vpc"]["VpcId"]
    s["subnet"] = ec2.create_subnet(VpcId=s["vpc"], CidrBlock="10.7.1.0/24", AvailabilityZone=AZ)["Subnet"][
        "SubnetId"
    ]
    s["sg_a"] = ec2.create_security_group(GroupName="t-sg-a", Description="a", VpcId=s["vpc"])["GroupId"]
    s["sg_b"] = ec2.create_security_group(GroupName="t-sg-b", Description="b", VpcId=s["vpc"])["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=s["sg_b"],
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 443,
                "ToPort": 443,
                "UserIdGroupPairs": [{"GroupId": s["sg_a"]}],
            }
        ],
    )
    ami = ec2.register_image(
        Name="t-integration-ami",
        RootDeviceName="/dev/xvda",
        BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 8}}],
    )["ImageId"]
    instance = ec2.run_instances(
        ImageId=ami,
        MinCount=1,
        MaxCount=1,
        SubnetId=s["subnet"],
        SecurityGroupIds=[s["sg_b"]],
        TagSpecifications=[{"ResourceType": "instance", "Tags": _tags("doomed")}],
    )["Instances"][0]
    s["instance"] = instance["InstanceId"]
    s["root"] = instance["BlockDeviceMappings"][0]["Ebs"]["VolumeId"]
    s["extra"] = ec2.create_volume(AvailabilityZone=AZ, Size=5)["VolumeId"]
    ec2.attach_volume(VolumeId=s["extra"], InstanceId=s["instance"], Device="/dev/sdg")
    s["spare"] = ec2.run_instances(
        ImageId=ami,
        MinCount=1,
        MaxCount=1,
        TagSpecifications=[{"ResourceType": "instance", "Tags": _tags("spare", env="dev")}],
    )["Instances"][0]["InstanceId"]
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket=BUCKET)
    s3.put_bucket_tagging(Bucket=BUCKET, Tagging={"TagSet": [{"Key": "env", "Value": "dev"}]})
    return s


@pytest.fixture
async def world(clean_aws: Aws, tmp_path: Path) -> AsyncIterator[tuple[Stack, dict[str, str]]]:
    seeded = _seed()
    section = {"region": [REGION]}  # the default config: moto's gaps are reported kind failures
    async with cloud_stack("aws", section, tmp_path) as stack:
        report = await stack.collect()
        assert report.errors == [], report.errors
        clean_aws.proxy.clear()
        yield stack, seeded


def _instance_state(instance_id: str) -> str:
    reservations = _ec2().describe_instances(InstanceIds=[instance_id])["Reservations"]
    return str(reservations[0]["Instances"][0]["State"]["Name"])


async def test_cleanup_deletes_vpc_subnet_instance_volumes_and_groups_in_order(
    clean_aws: Aws, world: tuple[Stack, dict[str, str]]
) -> None:
    stack, s = world
    doomed = {
        "vpc": ("aws_vpc", s["vpc"]),
        "subnet": ("aws_ec2_subnet", s["subnet"]),
        "instance": ("aws_ec2_instance", s["instance"]),
        "root": ("aws_ec2_volume", s["root"]),
        "extra": ("aws_ec2_volume", s["extra"]),
        "sg_a": ("aws_ec2_security_group", s["sg_a"]),
        "sg_b": ("aws_ec2_security_group", s["sg_b"]),
    }
    ids = dict(zip(doomed, stack.flag(*doomed.values()), strict=True))

    # 2 of the 3 volumes is above the default 50 % blast-radius cap (the kernel tests cover that rail)
    report = await stack.cleanup(cleanup_dry_run=False, cleanup_max_percent=100)

    assert report.outcome == "done", (report.summary(), stack.feedback.texts("error"))
    gone = {o.node_id for o in report.deleted} | {
        o.node_id for o in report.skipped if o.reason == "no longer exists"
    }
    assert gone == set(ids.values())
    # the root volume goes with its instance (DeleteOnTermination) or is deleted after it
    assert {o.node_id for o in report.deleted} >= set(ids.values()) - {ids["root"]}

    # with boto3: everything flagged is gone, the spare instance and the bucket are not
    ec2 = _ec2()
    assert [v for v in ec2.describe_vpcs()["Vpcs"] if v["VpcId"] == s["vpc"]] == []
    assert [n for n in ec2.describe_subnets()["Subnets"] if n["SubnetId"] == s["subnet"]] == []
    volumes = {v["VolumeId"] for v in ec2.describe_volumes()["Volumes"]}
    assert s["root"] not in volumes and s["extra"] not in volumes
    groups = {g["GroupId"] for g in ec2.describe_security_groups()["SecurityGroups"]}
    assert s["sg_a"] not in groups and s["sg_b"] not in groups
    assert _instance_state(s["instance"]) == "terminated"
    assert _instance_state(s["spare"]) == "running"

    # the order, from the calls moto answered
    proxy = clean_aws.proxy
    [terminate] = proxy.find("TerminateInstances", s["instance"])
    [delete_extra] = proxy.find("DeleteVolume", s["extra"])
    [delete_subnet] = proxy.find("DeleteSubnet", s["subnet"])
    [delete_vpc] = proxy.find("DeleteVpc", s["vpc"])
    [delete_a] = proxy.find("DeleteSecurityGroup", s["sg_a"])
    [delete_b] = proxy.find("DeleteSecurityGroup", s["sg_b"])
    revoke_b = proxy.find("RevokeSecurityGroupIngress", s["sg_b"])
    assert terminate < delete_extra
    assert all(terminate < i for i in proxy.find("DeleteVolume", s["root"]))
    assert terminate < delete_subnet < delete_vpc
    assert terminate < delete_b  # the instance used group b
    assert revoke_b and revoke_b[0] < delete_a  # b's rule referencing a is revoked before a goes
    assert delete_a < delete_vpc and delete_b < delete_vpc
    assert proxy.find("TerminateInstances", s["spare"]) == []
    assert proxy.find("DeleteVpc", ok=False) == [delete_vpc]  # no refused first attempt

    # the core simulator holds the outcome
    for name, nid in ids.items():
        assert stack.cleaned(nid), name
    assert not stack.cleaned(stack.find("aws_ec2_instance", s["spare"]))
    assert stack.sim.violations == []


async def test_tag_update_and_delete_on_an_instance(
    clean_aws: Aws, world: tuple[Stack, dict[str, str]]
) -> None:
    stack, s = world
    nid = stack.find("aws_ec2_instance", s["spare"])

    def tags() -> dict[str, str]:
        found = _ec2().describe_tags(Filters=[{"Name": "resource-id", "Values": [s["spare"]]}])["Tags"]
        return {t["Key"]: t["Value"] for t in found}

    assert tags() == {"Name": "spare", "env": "dev"}
    reply = await stack.tag(nid, update={"owner": "team-x"})
    assert reply["result"] == "done", reply
    assert tags() == {"Name": "spare", "env": "dev", "owner": "team-x"}
    assert reply["data"]["reported"]["tags"] == {"Name": "spare", "env": "dev", "owner": "team-x"}

    reply = await stack.tag(nid, delete=["env"], task_id="tag-2")
    assert reply["result"] == "done", reply
    assert tags() == {"Name": "spare", "owner": "team-x"}
    assert stack.node(nid)["reported"]["tags"] == {"Name": "spare", "owner": "team-x"}
    # the other instance kept its tags
    other = _ec2().describe_tags(Filters=[{"Name": "resource-id", "Values": [s["instance"]]}])["Tags"]
    assert {t["Key"]: t["Value"] for t in other} == {"Name": "doomed"}


async def test_tag_update_and_delete_on_a_bucket(clean_aws: Aws, world: tuple[Stack, dict[str, str]]) -> None:
    stack, _ = world
    nid = stack.find("aws_s3_bucket", BUCKET)
    s3 = boto3.client("s3", region_name=REGION)

    def tags() -> dict[str, str]:
        try:
            found = s3.get_bucket_tagging(Bucket=BUCKET)["TagSet"]
        except ClientError as exc:
            assert exc.response["Error"]["Code"] == "NoSuchTagSet"
            return {}
        return {t["Key"]: t["Value"] for t in found}

    reply = await stack.tag(nid, update={"owner": "team-x", "cost": "42"})
    assert reply["result"] == "done", reply
    assert tags() == {"env": "dev", "owner": "team-x", "cost": "42"}
    assert reply["data"]["reported"]["tags"] == {"env": "dev", "owner": "team-x", "cost": "42"}

    reply = await stack.tag(nid, delete=["env", "cost"], task_id="tag-2")
    assert reply["result"] == "done", reply
    assert tags() == {"owner": "team-x"}
    assert stack.node(nid)["reported"]["tags"] == {"owner": "team-x"}
