"""ECS: clusters, services, tasks, container instances, task definitions, capacity providers.

ECS list calls return ARNs only; the details (tags included) come from the batch describe calls:
``DescribeClusters`` (100 per call), ``DescribeServices`` (10), ``DescribeTasks`` (100) and
``DescribeContainerInstances`` (100), made per cluster. Only task definitions need one
``DescribeTaskDefinition`` each. ECS tags are ``[{"key", "value"}]``: ``prepare`` turns them into the
usual ``_tags`` list, and tagging is hand-written (``TagResource``/``UntagResource`` on the ARN).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import Api, Call, Delete, Json, Kind, Link, TagsAt, UnitApi, arn_name

SERVICE = "ecs"
GONE = ("ClusterNotFoundException", "ServiceNotFoundException", "ServiceNotActiveException")
TAGS = TagsAt("_tags")
INCLUDE_TAGS = {"include": ["TAGS"]}


class AwsEcsCluster(AwsResource):
    kind: ClassVar[str] = "aws_ecs_cluster"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "compute", "icon": "cluster"}
    cluster_status: str | None = None
    registered_container_instances_count: int | None = None
    running_tasks_count: int | None = None
    pending_tasks_count: int | None = None
    active_services_count: int | None = None
    capacity_providers: list[str] | None = None


class AwsEcsService(AwsResource):
    kind: ClassVar[str] = "aws_ecs_service"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "compute", "icon": "service"}
    cluster_arn: str | None = None
    service_status: str | None = None
    desired_count: int | None = None
    running_count: int | None = None
    pending_count: int | None = None
    launch_type: str | None = None
    scheduling_strategy: str | None = None
    task_definition: str | None = None
    role_arn: str | None = None
    subnet_ids: list[str] | None = None
    security_group_ids: list[str] | None = None
    target_group_arns: list[str] | None = None
    load_balancer_names: list[str] | None = None


class AwsEcsTask(AwsResource):
    kind: ClassVar[str] = "aws_ecs_task"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "compute", "icon": "job"}
    cluster_arn: str | None = None
    task_definition_arn: str | None = None
    container_instance_arn: str | None = None
    last_status: str | None = None
    desired_status: str | None = None
    launch_type: str | None = None
    capacity_provider_name: str | None = None
    cpu: str | None = None
    memory: str | None = None
    group: str | None = None
    started_by: str | None = None


class AwsEcsContainerInstance(AwsResource):
    kind: ClassVar[str] = "aws_ecs_container_instance"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "compute", "icon": "instance"}
    cluster_arn: str | None = None
    ec2_instance_id: str | None = None
    container_instance_status: str | None = None
    agent_connected: bool | None = None
    running_tasks_count: int | None = None
    pending_tasks_count: int | None = None
    capacity_provider_name: str | None = None


class AwsEcsTaskDefinition(AwsResource):
    kind: ClassVar[str] = "aws_ecs_task_definition"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "compute", "icon": "template"}
    family: str | None = None
    revision: int | None = None
    task_definition_status: str | None = None
    cpu: str | None = None
    memory: str | None = None
    network_mode: str | None = None
    requires_compatibilities: list[str] | None = None
    task_role_arn: str | None = None
    execution_role_arn: str | None = None
    container_images: list[str] | None = None


class AwsEcsCapacityProvider(AwsResource):
    kind: ClassVar[str] = "aws_ecs_capacity_provider"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "compute", "icon": "provider"}
    capacity_provider_status: str | None = None
    auto_scaling_group_arn: str | None = None
    managed_scaling_status: str | None = None
    managed_termination_protection: str | None = None


# -- listing ------------------------------------------------------------------------------------


def _ecs_tags(item: Json) -> None:
    """``tags: [{key, value}]`` -> ``_tags: [{Key, Value}]`` (list answers, describe answers and ``get``)."""
    item["_tags"] = [{"Key": t.get("key"), "Value": t.get("value")} for t in item.get("tags") or []]


def _task_prepare(item: Json) -> None:
    _ecs_tags(item)
    item["_name"] = arn_name(str(item.get("taskArn") or "")) or None


def _task_definition_prepare(item: Json) -> None:
    _ecs_tags(item)
    td = item.get("taskDefinition") or {}
    item["_id"] = arn_name(str(td.get("taskDefinitionArn") or "")) or None


def _arns(ctx: UnitApi, op: str, result: str, extra: Json | None = None) -> list[str]:
    return [
        str(i["arn"]) for i in ctx.list_items(SERVICE, Call(op, result, page_size=100, wrap="arn"), extra)
    ]


def _clusters(ctx: UnitApi) -> Iterator[Json]:
    arns = _arns(ctx, "ListClusters", "clusterArns[]")
    for start in range(0, len(arns), 100):
        answer = ctx.call(SERVICE, "DescribeClusters", clusters=arns[start : start + 100], **INCLUDE_TAGS)
        yield from answer.get("clusters") or []


def _per_cluster(list_op: str, list_result: str, describe_op: str, arg: str, result: str, batch: int) -> Any:
    """Items of a per-cluster kind: list the ARNs in each cluster, describe them in batches."""

    def items(ctx: UnitApi) -> Iterator[Json]:
        for cluster in ctx.items("aws_ecs_cluster"):
            cluster_arn = cluster["clusterArn"]
            arns = _arns(ctx, list_op, list_result, {"cluster": cluster_arn})
            for start in range(0, len(arns), batch):
                answer = ctx.call(
                    SERVICE,
                    describe_op,
                    cluster=cluster_arn,
                    **{arg: arns[start : start + batch]},
                    **INCLUDE_TAGS,
                )
                for item in answer.get(result) or []:
                    yield {**item, "_cluster": cluster_arn, "_parent_id": cluster["clusterName"]}

    return items


def _task_definitions(ctx: UnitApi) -> Iterator[Json]:
    for arn in _arns(ctx, "ListTaskDefinitions", "taskDefinitionArns[]", {"status": "ACTIVE"}):
        yield ctx.call(SERVICE, "DescribeTaskDefinition", taskDefinition=arn, **INCLUDE_TAGS)


def _capacity_providers(ctx: UnitApi) -> Iterator[Json]:
    """DescribeCapacityProviders has no botocore paginator: follow nextToken here."""
    token: str | None = None
    while True:
        page = ctx.call(
            SERVICE,
            "DescribeCapacityProviders",
            maxResults=10,
            **INCLUDE_TAGS,
            **({"nextToken": token} if token else {}),
        )
        yield from page.get("capacityProviders") or []
        token = page.get("nextToken")
        if not token:
            return


# -- tagging ------------------------------------------------------------------------------------


def _tag(ctx: Api, resource: AwsResource, key: str, value: str | None, untag: bool = False) -> None:
    if untag:
        ctx.call(SERVICE, "UntagResource", resourceArn=resource.arn, tagKeys=[key])
    else:
        ctx.call(SERVICE, "TagResource", resourceArn=resource.arn, tags=[{"key": key, "value": value or ""}])


TAG_IAM = ("ecs:TagResource", "ecs:UntagResource")


def _target_group_name(arn: str) -> str | None:
    """``...:targetgroup/<name>/<id>`` -> ``<name>``."""
    parts = arn.split("/")
    return parts[-2] if len(parts) >= 3 else None


CLUSTER = Link("aws_ecs_cluster", "_cluster", default=None, delete="in", to_id=arn_name)
VPC_CONFIG = "networkConfiguration.awsvpcConfiguration"


KINDS = [
    Kind(
        cls=AwsEcsCluster,
        service=SERVICE,
        list=None,
        items=_clusters,
        id="clusterName",
        name="clusterName",
        arn="clusterArn",
        tags=TAGS,
        prepare=_ecs_tags,
        skip=lambda i: i.get("status") == "INACTIVE",
        fields={
            "cluster_status": "status",
            "registered_container_instances_count": "registeredContainerInstancesCount",
            "running_tasks_count": "runningTasksCount",
            "pending_tasks_count": "pendingTasksCount",
            "active_services_count": "activeServicesCount",
            "capacity_providers": "capacityProviders",
        },
        links=(Link("aws_ecs_capacity_provider", "capacityProviders", default="out"),),
        get=Call(
            "DescribeClusters", "clusters[]", args=INCLUDE_TAGS, item_args={"clusters": "[arn]"}, gone=GONE
        ),
        delete=Delete("DeleteCluster", {"cluster": "arn"}, gone=GONE),
        tag_fn=_tag,
        iam=("ecs:ListClusters", "ecs:DescribeClusters"),
        tag_iam=TAG_IAM,
    ),
    Kind(
        cls=AwsEcsService,
        service=SERVICE,
        list=None,
        items=_per_cluster("ListServices", "serviceArns[]", "DescribeServices", "services", "services", 10),
        parent="aws_ecs_cluster",
        id="serviceArn",
        name="serviceName",
        arn="serviceArn",
        tags=TAGS,
        ctime="createdAt",
        prepare=_ecs_tags,
        skip=lambda i: i.get("status") == "INACTIVE",
        fields={
            "cluster_arn": "clusterArn",
            "service_status": "status",
            "desired_count": "desiredCount",
            "running_count": "runningCount",
            "pending_count": "pendingCount",
            "launch_type": "launchType",
            "scheduling_strategy": "schedulingStrategy",
            "task_definition": "taskDefinition",
            "role_arn": "roleArn",
            "subnet_ids": f"{VPC_CONFIG}.subnets",
            "security_group_ids": f"{VPC_CONFIG}.securityGroups",
            "target_group_arns": "loadBalancers[].targetGroupArn",
            "load_balancer_names": "loadBalancers[].loadBalancerName",
        },
        links=(
            CLUSTER,
            Link("aws_ecs_task_definition", "taskDefinition", default="out", delete="in", to_id=arn_name),
            Link(
                "aws_alb_target_group",
                "loadBalancers[].targetGroupArn",
                default="in",
                delete="in",
                to_id=_target_group_name,
            ),
            Link("aws_elb", "loadBalancers[].loadBalancerName", default="in", delete="in"),
            Link("aws_ec2_subnet", f"{VPC_CONFIG}.subnets", default="in", delete="in"),
            Link("aws_ec2_security_group", f"{VPC_CONFIG}.securityGroups", default="in", delete="in"),
            Link("aws_ecs_capacity_provider", "capacityProviderStrategy[].capacityProvider", default="out"),
            Link("aws_iam_role", "roleArn", default="in", to_id=arn_name, global_=True),
        ),
        get=Call(
            "DescribeServices",
            "services[]",
            args=INCLUDE_TAGS,
            item_args={"cluster": "cluster_arn", "services": "[arn]"},
            gone=GONE,
        ),
        delete=Delete(
            "DeleteService", {"cluster": "cluster_arn", "service": "arn"}, const={"force": True}, gone=GONE
        ),
        tag_fn=_tag,
        iam=("ecs:ListServices", "ecs:DescribeServices"),
        tag_iam=TAG_IAM,
    ),
    Kind(
        cls=AwsEcsContainerInstance,
        service=SERVICE,
        list=None,
        items=_per_cluster(
            "ListContainerInstances",
            "containerInstanceArns[]",
            "DescribeContainerInstances",
            "containerInstances",
            "containerInstances",
            100,
        ),
        parent="aws_ecs_cluster",
        id="containerInstanceArn",
        name="ec2InstanceId",
        arn="containerInstanceArn",
        tags=TAGS,
        ctime="registeredAt",
        prepare=_ecs_tags,
        fields={
            "cluster_arn": "_cluster",
            "ec2_instance_id": "ec2InstanceId",
            "container_instance_status": "status",
            "agent_connected": "agentConnected",
            "running_tasks_count": "runningTasksCount",
            "pending_tasks_count": "pendingTasksCount",
            "capacity_provider_name": "capacityProviderName",
        },
        links=(
            CLUSTER,
            # deregister the container instance before its EC2 instance goes
            Link("aws_ec2_instance", "ec2InstanceId", default="out", delete="in"),
            Link("aws_ecs_capacity_provider", "capacityProviderName", default="in"),
        ),
        get=Call(
            "DescribeContainerInstances",
            "containerInstances[]",
            args=INCLUDE_TAGS,
            item_args={"cluster": "cluster_arn", "containerInstances": "[arn]"},
            gone=GONE,
        ),
        delete=Delete(
            "DeregisterContainerInstance",
            {"cluster": "cluster_arn", "containerInstance": "arn"},
            const={"force": True},
            gone=GONE,
        ),
        tag_fn=_tag,
        iam=("ecs:ListContainerInstances", "ecs:DescribeContainerInstances"),
        tag_iam=TAG_IAM,
    ),
    Kind(
        cls=AwsEcsTask,
        service=SERVICE,
        list=None,
        items=_per_cluster("ListTasks", "taskArns[]", "DescribeTasks", "tasks", "tasks", 100),
        parent="aws_ecs_cluster",
        id="taskArn",
        arn="taskArn",
        tags=TAGS,
        ctime="createdAt",
        prepare=_task_prepare,
        skip=lambda i: i.get("lastStatus") in ("STOPPED", "DELETED"),
        fields={
            "name": "_name",
            "cluster_arn": "clusterArn",
            "task_definition_arn": "taskDefinitionArn",
            "container_instance_arn": "containerInstanceArn",
            "last_status": "lastStatus",
            "desired_status": "desiredStatus",
            "launch_type": "launchType",
            "capacity_provider_name": "capacityProviderName",
            "cpu": "cpu",
            "memory": "memory",
            "group": "group",
            "started_by": "startedBy",
        },
        links=(
            CLUSTER,
            Link("aws_ecs_task_definition", "taskDefinitionArn", default="in", to_id=arn_name),
            Link("aws_ecs_container_instance", "containerInstanceArn", default="in", delete="in"),
            Link("aws_ecs_capacity_provider", "capacityProviderName", default="in"),
        ),
        get=Call(
            "DescribeTasks",
            "tasks[]",
            args=INCLUDE_TAGS,
            item_args={"cluster": "cluster_arn", "tasks": "[arn]"},
            gone=GONE,
        ),
        delete=Delete("StopTask", {"cluster": "cluster_arn", "task": "arn"}, gone=GONE),
        tag_fn=_tag,
        iam=("ecs:ListTasks", "ecs:DescribeTasks"),
        tag_iam=TAG_IAM,
    ),
    Kind(
        cls=AwsEcsTaskDefinition,
        service=SERVICE,
        list=None,
        items=_task_definitions,
        id="_id",
        name="_id",
        arn="taskDefinition.taskDefinitionArn",
        tags=TAGS,
        ctime="taskDefinition.registeredAt",
        prepare=_task_definition_prepare,
        skip=lambda i: (
            (i.get("taskDefinition") or {}).get("status") != "ACTIVE"
        ),  # deregistered ones stay readable
        fields={
            "family": "taskDefinition.family",
            "revision": "taskDefinition.revision",
            "task_definition_status": "taskDefinition.status",
            "cpu": "taskDefinition.cpu",
            "memory": "taskDefinition.memory",
            "network_mode": "taskDefinition.networkMode",
            "requires_compatibilities": "taskDefinition.requiresCompatibilities",
            "task_role_arn": "taskDefinition.taskRoleArn",
            "execution_role_arn": "taskDefinition.executionRoleArn",
            "container_images": "taskDefinition.containerDefinitions[].image",
        },
        links=(
            Link("aws_iam_role", "taskDefinition.taskRoleArn", default="in", to_id=arn_name, global_=True),
            Link(
                "aws_iam_role", "taskDefinition.executionRoleArn", default="in", to_id=arn_name, global_=True
            ),
        ),
        get=Call(
            "DescribeTaskDefinition",
            "@",
            args=INCLUDE_TAGS,
            item_args={"taskDefinition": "arn"},
            gone=("ClientException",),
        ),
        delete=Delete("DeregisterTaskDefinition", {"taskDefinition": "arn"}, gone=("ClientException",)),
        tag_fn=_tag,
        iam=("ecs:ListTaskDefinitions", "ecs:DescribeTaskDefinition"),
        tag_iam=TAG_IAM,
    ),
    Kind(
        cls=AwsEcsCapacityProvider,
        service=SERVICE,
        list=None,
        items=_capacity_providers,
        id="name",
        name="name",
        arn="capacityProviderArn",
        tags=TAGS,
        prepare=_ecs_tags,
        # FARGATE and FARGATE_SPOT are AWS-managed providers without an Auto Scaling group
        skip=lambda i: not i.get("autoScalingGroupProvider") or i.get("status") == "INACTIVE",
        fields={
            "capacity_provider_status": "status",
            "auto_scaling_group_arn": "autoScalingGroupProvider.autoScalingGroupArn",
            "managed_scaling_status": "autoScalingGroupProvider.managedScaling.status",
            "managed_termination_protection": "autoScalingGroupProvider.managedTerminationProtection",
        },
        links=(
            Link(
                "aws_autoscaling_group",
                "autoScalingGroupProvider.autoScalingGroupArn",
                default="out",
                delete="in",
                to_id=arn_name,
            ),
        ),
        get=Call(
            "DescribeCapacityProviders",
            "capacityProviders[]",
            args=INCLUDE_TAGS,
            item_args={"capacityProviders": "[id]"},
            gone=GONE,
        ),
        delete=Delete("DeleteCapacityProvider", {"capacityProvider": "id"}, gone=GONE),
        tag_fn=_tag,
        iam=("ecs:DescribeCapacityProviders",),
        tag_iam=TAG_IAM,
    ),
]
