"""ECS against moto: clusters, services, tasks, container instances and task definitions collected with
tags and edges from the batch describe calls; tagged, untagged and deleted.

moto's DescribeCapacityProviders fails without explicit names (HTTP 500), so capacity providers are
not collected here: their delete and tag calls are checked against moto directly. moto keeps no
tags on container instances, so their tagging is checked by the botocore-model test only.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws.support_aws import ACCOUNT, Collected, client, collect, delete_order
from aws.test_definitions import op_model, walk
from resoto_hookspecs import Location, RecordingReporter
from resoto_hookspecs.testing import PluginDriver
from resoto_plugin_aws import plugin
from resoto_plugin_aws.config import AwsConfig
from resoto_plugin_aws.registry import kind_of
from resoto_plugin_aws.spec import Kind

REGION = "us-east-1"
CFG = AwsConfig(
    region=[REGION],
    collect=[
        "aws_ecs_cluster",
        "aws_ecs_service",
        "aws_ecs_task",
        "aws_ecs_container_instance",
        "aws_ecs_task_definition",
        "aws_ec2_instance",
        "aws_ec2_subnet",
        "aws_ec2_security_group",
        "aws_alb_target_group",
        "aws_iam_role",
    ],
)
HERE = Location("aws", ACCOUNT, REGION)
TAGS = [{"key": "owner", "value": "tests"}, {"key": "Name", "value": "nice"}]


def seed() -> dict[str, str]:
    ec2 = client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.7.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.7.1.0/24")["Subnet"]["SubnetId"]
    sg = ec2.create_security_group(GroupName="svc", Description="ecs", VpcId=vpc)["GroupId"]
    image = ec2.register_image(Name="ecs-ami", RootDeviceName="/dev/xvda")["ImageId"]
    instance = ec2.run_instances(
        ImageId=image, MinCount=1, MaxCount=1, InstanceType="t3.micro", SubnetId=subnet
    )["Instances"][0]["InstanceId"]
    tg = client("elbv2").create_target_group(Name="web-tg", Protocol="HTTP", Port=80, VpcId=vpc)[
        "TargetGroups"
    ][0]
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole"}]}
    role = client("iam").create_role(RoleName="task-role", AssumeRolePolicyDocument=json.dumps(trust))["Role"]

    ecs = client("ecs")
    cluster = ecs.create_cluster(clusterName="web", tags=TAGS)["cluster"]["clusterArn"]
    td = ecs.register_task_definition(
        family="web-app",
        taskRoleArn=role["Arn"],
        containerDefinitions=[{"name": "app", "image": "nginx:1.25", "memory": 128}],
        tags=[{"key": "owner", "value": "tests"}],
    )["taskDefinition"]["taskDefinitionArn"]
    doc = json.dumps({"instanceId": instance, "region": REGION, "accountId": ACCOUNT})
    ci = ecs.register_container_instance(cluster="web", instanceIdentityDocument=doc)["containerInstance"][
        "containerInstanceArn"
    ]
    service = ecs.create_service(
        cluster="web",
        serviceName="web-svc",
        taskDefinition="web-app",
        desiredCount=1,
        loadBalancers=[{"targetGroupArn": tg["TargetGroupArn"], "containerName": "app", "containerPort": 80}],
        networkConfiguration={"awsvpcConfiguration": {"subnets": [subnet], "securityGroups": [sg]}},
        tags=TAGS,
    )["service"]["serviceArn"]
    task = ecs.start_task(
        cluster="web",
        taskDefinition="web-app",
        containerInstances=[ci],
        tags=[{"key": "owner", "value": "tests"}],
    )["tasks"][0]["taskArn"]
    return {
        "cluster": cluster,
        "td": td,
        "ci": ci,
        "service": service,
        "task": task,
        "instance": instance,
        "subnet": subnet,
        "sg": sg,
    }


@pytest.fixture()
def seeded(moto: str) -> tuple[Collected, dict[str, str]]:
    ids = seed()
    result = collect(CFG, RecordingReporter())
    assert not result.failures
    assert result.reporter.errors == []
    return result, ids


def resource(result: Collected, kind: str, rid: str) -> Any:
    reported = dict(result.by_id(kind)[rid])
    reported.pop("kind")
    found = kind_of(kind)
    assert found is not None
    return found.cls.model_validate(reported)


def test_kinds_are_collected_with_fields_and_tags(seeded: tuple[Collected, dict[str, str]]) -> None:
    result, ids = seeded
    cluster = result.by_id("aws_ecs_cluster")["web"]
    assert cluster["arn"] == ids["cluster"]
    assert cluster["tags"] == {"owner": "tests", "Name": "nice"}
    assert cluster["name"] == "web"
    service = result.by_id("aws_ecs_service")[ids["service"]]
    assert service["name"] == "web-svc"
    assert service["tags"] == {"owner": "tests", "Name": "nice"}
    assert service["desired_count"] == 1
    assert service["task_definition"] == ids["td"]
    assert service["subnet_ids"] == [ids["subnet"]]
    # moto sends no createdAt for services (AWS does): ctime is not checked here
    td = result.by_id("aws_ecs_task_definition")["web-app:1"]
    assert td["family"] == "web-app" and td["revision"] == 1
    assert td["container_images"] == ["nginx:1.25"]
    assert td["tags"] == {"owner": "tests"}
    ci = result.by_id("aws_ecs_container_instance")[ids["ci"]]
    assert ci["ec2_instance_id"] == ids["instance"]
    assert ci["cluster_arn"] == ids["cluster"]
    task = result.by_id("aws_ecs_task")[ids["task"]]
    assert task["task_definition_arn"] == ids["td"]
    assert task["name"] == ids["task"].rsplit("/", 1)[-1]
    assert task["tags"] == {"owner": "tests"}


def test_edges_and_delete_order(seeded: tuple[Collected, dict[str, str]]) -> None:
    result, ids = seeded
    cluster = result.nid("aws_ecs_cluster", "web")
    service = result.nid("aws_ecs_service", ids["service"])
    task = result.nid("aws_ecs_task", ids["task"])
    ci = result.nid("aws_ecs_container_instance", ids["ci"])
    td = result.nid("aws_ecs_task_definition", "web-app:1")
    instance = result.nid("aws_ec2_instance", ids["instance"])
    tg = result.nid("aws_alb_target_group", "web-tg")
    subnet = result.nid("aws_ec2_subnet", ids["subnet"])
    sg = result.nid("aws_ec2_security_group", ids["sg"])
    role = result.nid("aws_iam_role", "task-role")
    for child in (service, task, ci):
        assert result.edge(cluster, child) and result.edge(cluster, child, "delete")
    assert result.edge(service, td) and result.edge(td, service, "delete")
    assert result.edge(td, task)
    assert result.edge(ci, task) and result.edge(ci, task, "delete")
    assert result.edge(ci, instance) and result.edge(instance, ci, "delete")
    assert result.edge(tg, service) and result.edge(tg, service, "delete")
    assert result.edge(subnet, service) and result.edge(sg, service, "delete")
    assert result.edge(role, td)
    order = delete_order({cluster, service, task, ci, td, instance}, result.sink.edges)
    assert order.index(task) < order.index(ci) < order.index(instance)
    assert order.index(service) < order.index(td) and order.index(service) < order.index(cluster)
    assert order[-1] in (cluster, instance, td)


def test_only_batch_describe_calls(seeded: tuple[Collected, dict[str, str]]) -> None:
    calls = seeded[0].reporter.calls
    assert calls[("ecs", "DescribeClusters")] == 1
    assert calls[("ecs", "DescribeServices")] == 1
    assert calls[("ecs", "DescribeTasks")] == 1
    assert calls[("ecs", "DescribeContainerInstances")] == 1


@pytest.mark.parametrize(
    ("kind", "key"),
    [
        ("aws_ecs_cluster", "web"),
        ("aws_ecs_service", "service"),
        ("aws_ecs_task", "task"),
        ("aws_ecs_task_definition", "web-app:1"),
    ],
)
def test_tag_untag_and_check(seeded: tuple[Collected, dict[str, str]], kind: str, key: str) -> None:
    result, ids = seeded
    res = resource(result, kind, ids.get(key, key))
    PluginDriver(plugin, CFG).update_tag(resource=res, location=HERE, key="team", value="ops")
    PluginDriver(plugin, CFG).delete_tag(resource=res, location=HERE, key="owner")
    tags = client("ecs").list_tags_for_resource(resourceArn=res.arn)["tags"]
    assert {t["key"]: t["value"] for t in tags}.get("team") == "ops"
    assert "owner" not in {t["key"] for t in tags}
    current = PluginDriver(plugin, CFG).check_resource(resource=res, location=HERE)
    assert current is not None and current.tags.get("team") == "ops" and "owner" not in current.tags


def test_delete_in_order(seeded: tuple[Collected, dict[str, str]]) -> None:
    result, ids = seeded
    ecs = client("ecs")
    for kind, key in [
        ("aws_ecs_task", "task"),
        ("aws_ecs_service", "service"),
        ("aws_ecs_container_instance", "ci"),
        ("aws_ecs_task_definition", "web-app:1"),
        ("aws_ecs_cluster", "web"),
    ]:
        res = resource(result, kind, ids.get(key, key))
        PluginDriver(plugin, CFG).delete_resource(resource=res, location=HERE)
        assert PluginDriver(plugin, CFG).check_resource(resource=res, location=HERE) is None, kind
    assert ecs.list_task_definitions(status="ACTIVE")["taskDefinitionArns"] == []
    assert [c["status"] for c in ecs.describe_clusters(clusters=["web"])["clusters"]] in ([], ["INACTIVE"])


def test_capacity_provider_delete_and_tag(moto: str) -> None:
    asg = client("autoscaling")
    client("ec2").create_launch_template(
        LaunchTemplateName="cp-lt", LaunchTemplateData={"ImageId": "ami-12345678", "InstanceType": "t3.micro"}
    )
    asg.create_auto_scaling_group(
        AutoScalingGroupName="cp-asg",
        LaunchTemplate={"LaunchTemplateName": "cp-lt"},
        MinSize=0,
        MaxSize=1,
        AvailabilityZones=["us-east-1a"],
    )
    asg_arn = asg.describe_auto_scaling_groups()["AutoScalingGroups"][0]["AutoScalingGroupARN"]
    ecs = client("ecs")
    cp = ecs.create_capacity_provider(name="cp", autoScalingGroupProvider={"autoScalingGroupArn": asg_arn})[
        "capacityProvider"
    ]
    cls = kind_of("aws_ecs_capacity_provider")
    assert cls is not None
    res = cls.cls(id="cp", arn=cp["capacityProviderArn"])
    PluginDriver(plugin, CFG).update_tag(resource=res, location=HERE, key="team", value="ops")
    tags = ecs.list_tags_for_resource(resourceArn=cp["capacityProviderArn"])["tags"]
    assert tags == [{"key": "team", "value": "ops"}]
    PluginDriver(plugin, CFG).delete_resource(resource=res, location=HERE)
    assert ecs.describe_capacity_providers(capacityProviders=["cp"])["capacityProviders"] == []


ECS_ITEMS = {
    "aws_ecs_cluster": ("DescribeClusters", "clusters[]"),
    "aws_ecs_service": ("DescribeServices", "services[]"),
    "aws_ecs_task": ("DescribeTasks", "tasks[]"),
    "aws_ecs_container_instance": ("DescribeContainerInstances", "containerInstances[]"),
    "aws_ecs_task_definition": ("DescribeTaskDefinition", "@"),
    "aws_ecs_capacity_provider": ("DescribeCapacityProviders", "capacityProviders[]"),
}


@pytest.mark.parametrize("name", sorted(ECS_ITEMS))
def test_item_paths_match_botocore(name: str) -> None:
    """The items functions yield describe answers: check the definitions' paths against their shapes."""
    kind: Kind | None = kind_of(name)
    assert kind is not None
    op, result = ECS_ITEMS[name]
    item = walk(op_model("ecs", op).output_shape, result)
    paths = [kind.id, kind.name, kind.ctime, kind.arn, "tags"]
    paths += [p for p in kind.fields.values() if isinstance(p, str)]
    paths += [link.path for link in kind.links if isinstance(link.path, str)]
    for path in paths:
        if path:
            walk(item, path)
