"""Delete in dependency order (from the delete edges the collection emitted), pre_cleanup, check, tag."""

from __future__ import annotations

from typing import Any

import pytest
from aws.seed_small import REGION, seed_all, seed_network
from aws.support_aws import ACCOUNT, Collected, client, collect, delete_order
from botocore.exceptions import ClientError
from resoto_hookspecs import Location, NotSupported, ResourceGone
from resoto_hookspecs.testing import PluginDriver
from resoto_plugin_aws import plugin
from resoto_plugin_aws.config import AwsConfig
from resoto_plugin_aws.registry import kind_of

CFG = AwsConfig(region=[REGION])


def resource_of(result: Collected, nid: str) -> Any:
    """The resource object the core would hand back: the node's reported section, parsed by its class."""
    reported = dict(result.sink.nodes[nid]["reported"])
    kind = kind_of(reported.pop("kind"))
    assert kind is not None
    return kind.cls.model_validate(reported)


def location(result: Collected, nid: str, kind: str) -> Location:
    k = kind_of(kind)
    assert k is not None
    return Location("aws", ACCOUNT, "global" if k.global_ else REGION)


def cleanup(result: Collected, doomed: list[tuple[str, str]]) -> list[str]:
    """pre_cleanup every doomed resource, then delete them in the order the delete edges ask for.

    Returns the ids in deletion order.
    """
    nids = {result.nid(kind, rid): kind for kind, rid in doomed}
    order = delete_order(set(nids), result.sink.edges)
    for nid in order:
        PluginDriver(plugin, CFG).pre_cleanup(
            resource=resource_of(result, nid), location=location(result, nid, nids[nid])
        )
    for nid in order:
        try:
            PluginDriver(plugin, CFG).delete_resource(
                resource=resource_of(result, nid), location=location(result, nid, nids[nid])
            )
        except ResourceGone:  # e.g. an access key that went with its user's pre_cleanup: the kernel skips it
            pass
    ids = {nid: result.sink.nodes[nid]["reported"]["id"] for nid in order}
    return [ids[n] for n in order]


def test_delete_vpc_subnet_instance_volume_in_order(moto: str) -> None:
    s = seed_network()
    ec2 = client("ec2")
    ami = ec2.register_image(
        Name="t-ami-x",
        RootDeviceName="/dev/xvda",
        BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 8}}],
    )["ImageId"]
    inst = ec2.run_instances(
        ImageId=ami, MinCount=1, MaxCount=1, SubnetId=s["subnet"], SecurityGroupIds=[s["sg_b"]]
    )["Instances"][0]["InstanceId"]
    vol = ec2.create_volume(AvailabilityZone="us-east-1a", Size=5)["VolumeId"]
    ec2.attach_volume(VolumeId=vol, InstanceId=inst, Device="/dev/sdg")
    # the NAT gateway, endpoint, peering and flow log of seed_network are left out of the cleanup: remove them
    ec2.delete_nat_gateway(NatGatewayId=s["nat"])
    ec2.delete_vpc_endpoints(VpcEndpointIds=[s["endpoint"]])
    ec2.delete_vpc_peering_connection(VpcPeeringConnectionId=s["peering"])
    ec2.delete_flow_logs(FlowLogIds=[s["flow_log"]])
    result = collect(CFG)
    doomed = [
        ("aws_vpc", s["vpc"]),
        ("aws_ec2_subnet", s["subnet"]),
        ("aws_ec2_subnet", s["subnet2"]),
        ("aws_ec2_instance", inst),
        ("aws_ec2_volume", vol),
        ("aws_ec2_security_group", s["sg_a"]),
        ("aws_ec2_security_group", s["sg_b"]),
        ("aws_ec2_internet_gateway", s["igw"]),
        ("aws_ec2_route_table", s["rt"]),
        ("aws_ec2_network_acl", s["acl"]),
    ]
    order = cleanup(result, doomed)
    at = {rid: i for i, rid in enumerate(order)}
    assert at[inst] < at[vol]
    assert at[inst] < at[s["subnet"]] < at[s["vpc"]]
    assert at[s["subnet2"]] < at[s["vpc"]]
    assert at[inst] < at[s["sg_b"]] < at[s["sg_a"]] < at[s["vpc"]]
    assert at[s["igw"]] < at[s["vpc"]] and at[s["rt"]] < at[s["vpc"]]
    assert [v for v in ec2.describe_vpcs()["Vpcs"] if v["VpcId"] == s["vpc"]] == []
    assert [v for v in ec2.describe_volumes()["Volumes"] if v["VolumeId"] == vol] == []
    states = [
        i["State"]["Name"]
        for r in ec2.describe_instances(InstanceIds=[inst])["Reservations"]
        for i in r["Instances"]
    ]
    assert states == ["terminated"]
    # the instance is gone for the plugin now
    rid = result.nid("aws_ec2_instance", inst)
    assert (
        PluginDriver(plugin, CFG).check_resource(
            resource=resource_of(result, rid), location=location(result, rid, "aws_ec2_instance")
        )
        is None
    )


def test_referenced_security_group_waits_for_the_referencing_one(moto: str) -> None:
    s = seed_network()
    result = collect(CFG)
    a, b = result.nid("aws_ec2_security_group", s["sg_a"]), result.nid("aws_ec2_security_group", s["sg_b"])
    assert delete_order({a, b}, result.sink.edges) == [b, a]
    ec2 = client("ec2")
    order = cleanup(result, [("aws_ec2_security_group", s["sg_b"]), ("aws_ec2_security_group", s["sg_a"])])
    assert order == [s["sg_b"], s["sg_a"]]
    left = {g["GroupId"] for g in ec2.describe_security_groups()["SecurityGroups"]}
    assert s["sg_a"] not in left and s["sg_b"] not in left


def test_pre_cleanup_and_delete_of_other_kinds(moto: str) -> None:
    s = seed_all()
    result = collect(CFG)
    doomed = [
        ("aws_iam_user", "t-user"),
        ("aws_iam_access_key", s["access_key"]),
        ("aws_iam_group", "t-group"),
        ("aws_iam_role", "t-role"),
        ("aws_iam_instance_profile", "t-profile"),
        ("aws_iam_policy", "t-policy"),
        ("aws_s3_bucket", "t-bucket"),
        ("aws_lambda_function", "t-fn"),
        ("aws_sqs_queue", "t-queue"),
        ("aws_sns_topic", s["topic"]),
        ("aws_sns_subscription", s["subscription"]),
        ("aws_dynamodb_table", "t-table"),
        ("aws_cloudwatch_alarm", "t-alarm"),
        ("aws_cloudwatch_log_group", "t-logs"),
        ("aws_route53_zone", s["zone"]),
        ("aws_route53_resource_record_set", "www.t.example.com./A"),
        ("aws_alb", "t-alb"),
        ("aws_alb_target_group", "t-tg"),
        ("aws_elb", "t-elb"),
        ("aws_autoscaling_group", "t-asg"),
        ("aws_ec2_launch_template", s["lt"]),
        ("aws_ec2_elastic_ip", s["eip"]),
        ("aws_ec2_snapshot", s["snapshot"]),
        ("aws_kms_key", s["kms"]),
        ("aws_rds_instance", "t-db"),
        ("aws_ec2_keypair", "t-key"),
        ("aws_cloudformation_stack", "t-stack"),
        ("aws_kinesis_stream", "t-stream"),
        ("aws_ecr_repository", "t-repo"),
        ("aws_efs_file_system", s["efs"]),
    ]
    cleanup(result, doomed)
    assert client("iam").list_users()["Users"] == []
    assert client("iam").list_roles()["Roles"] == []
    assert [b["Name"] for b in client("s3").list_buckets()["Buckets"] if b["Name"] == "t-bucket"] == []
    assert client("lambda").list_functions()["Functions"] == []
    assert client("sqs").list_queues().get("QueueUrls", []) == []
    assert client("sns").list_topics()["Topics"] == []
    assert client("dynamodb").list_tables()["TableNames"] == []
    assert client("cloudwatch").describe_alarms()["MetricAlarms"] == []
    assert client("logs").describe_log_groups()["logGroups"] == []
    assert client("route53").list_hosted_zones()["HostedZones"] == []
    assert client("elbv2").describe_load_balancers()["LoadBalancers"] == []
    assert client("elb").describe_load_balancers()["LoadBalancerDescriptions"] == []
    assert client("autoscaling").describe_auto_scaling_groups()["AutoScalingGroups"] == []
    assert client("kms").describe_key(KeyId=s["kms"])["KeyMetadata"]["KeyState"] == "PendingDeletion"
    assert [
        i for i in client("rds").describe_db_instances()["DBInstances"] if i["DBInstanceStatus"] != "deleted"
    ] == []
    assert client("ec2").describe_key_pairs()["KeyPairs"] == []
    assert client("kinesis").list_streams()["StreamNames"] == []
    assert client("ecr").describe_repositories()["repositories"] == []
    assert client("efs").describe_file_systems()["FileSystems"] == []
    stacks = client("cloudformation").describe_stacks()["Stacks"]
    assert [st["StackName"] for st in stacks if st["StackStatus"] != "DELETE_COMPLETE"] == []


TAG_CASES = [
    ("aws_ec2_instance", "instance"),
    ("aws_ec2_volume", "volume"),
    ("aws_vpc", "vpc"),
    ("aws_ec2_security_group", "sg_a"),
    ("aws_ec2_keypair", "t-key"),
    ("aws_iam_user", "t-user"),
    ("aws_iam_role", "t-role"),
    ("aws_iam_policy", "t-policy"),
    ("aws_iam_instance_profile", "t-profile"),
    ("aws_s3_bucket", "t-bucket"),
    ("aws_lambda_function", "t-fn"),
    ("aws_sqs_queue", "t-queue"),
    ("aws_sns_topic", "topic"),
    ("aws_dynamodb_table", "t-table"),
    ("aws_rds_instance", "t-db"),
    ("aws_alb", "t-alb"),
    ("aws_alb_target_group", "t-tg"),
    ("aws_elb", "t-elb"),
    ("aws_autoscaling_group", "t-asg"),
    ("aws_cloudwatch_alarm", "t-alarm"),
    ("aws_cloudwatch_log_group", "t-logs"),
    ("aws_kms_key", "kms"),
    ("aws_route53_zone", "zone"),
    ("aws_kinesis_stream", "t-stream"),
    ("aws_secretsmanager_secret", "t-secret"),
    ("aws_ecr_repository", "t-repo"),
    ("aws_efs_file_system", "efs"),
    ("aws_cloud_trail", "t-trail"),
]


@pytest.fixture(scope="module")
def seeded_for_tags(moto_endpoint: str) -> tuple[Collected, dict[str, Any]]:
    import urllib.request

    urllib.request.urlopen(urllib.request.Request(f"{moto_endpoint}/moto-api/reset", method="POST")).read()
    s = seed_all()
    return collect(CFG), s


@pytest.mark.parametrize(("kind", "key"), TAG_CASES)
def test_tag_and_untag(seeded_for_tags: tuple[Collected, dict[str, Any]], kind: str, key: str) -> None:
    result, s = seeded_for_tags
    nid = result.nid(kind, s.get(key, key))
    res, loc = resource_of(result, nid), location(result, nid, kind)
    PluginDriver(plugin, CFG).update_tag(resource=res, location=loc, key="cleanup", value="soon")
    now = PluginDriver(plugin, CFG).check_resource(resource=res, location=loc)
    assert now is not None and now.tags.get("cleanup") == "soon"
    assert now.tags.get("owner") in ("tests", None)  # other tags survive (ASGs carry no owner check)
    PluginDriver(plugin, CFG).delete_tag(resource=res, location=loc, key="cleanup")
    now = PluginDriver(plugin, CFG).check_resource(resource=res, location=loc)
    assert now is not None and "cleanup" not in now.tags


def test_untaggable_and_undeletable_kinds_say_so(seeded_for_tags: tuple[Collected, dict[str, Any]]) -> None:
    result, _ = seeded_for_tags
    nid = result.nid("aws_iam_group", "t-group")
    with pytest.raises(NotSupported):
        PluginDriver(plugin, CFG).update_tag(
            resource=resource_of(result, nid),
            location=location(result, nid, "aws_iam_group"),
            key="a",
            value="b",
        )
    nid = result.nid("aws_ec2_instance_type", "t3.micro")
    with pytest.raises(NotSupported):
        PluginDriver(plugin, CFG).delete_resource(
            resource=resource_of(result, nid),
            location=location(result, nid, "aws_ec2_instance_type"),
        )


def test_deleting_a_gone_resource_says_gone(moto: str) -> None:
    ec2 = client("ec2")
    vol = ec2.create_volume(AvailabilityZone="us-east-1a", Size=5)["VolumeId"]
    result = collect(AwsConfig(region=[REGION], collect=["aws_ec2_volume"]))
    ec2.delete_volume(VolumeId=vol)
    nid = result.nid("aws_ec2_volume", vol)
    with pytest.raises(ResourceGone):
        PluginDriver(plugin, CFG).delete_resource(
            resource=resource_of(result, nid), location=location(result, nid, "aws_ec2_volume")
        )
    with pytest.raises(ClientError):
        ec2.delete_volume(VolumeId=vol)
