"""AWS Batch compute environments and job queues (both list calls carry their tags).

Both must be disabled before they can be deleted (``pre_cleanup``), and a job queue goes before the
compute environments it feeds.
"""

from __future__ import annotations

from typing import Any, ClassVar

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import Api, Call, Delete, Kind, Link, Tagging, TagsAt, arn_name

SERVICE = "batch"
TAGGING = Tagging(
    "TagResource", "UntagResource", {"resourceArn": "arn"}, tags_arg="tags", fmt="map", keys_arg="tagKeys"
)
CR = "computeResources"


class AwsBatchComputeEnvironment(AwsResource):
    kind: ClassVar[str] = "aws_batch_compute_environment"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "compute", "icon": "resource"}
    compute_environment_type: str | None = None
    compute_environment_state: str | None = None
    compute_environment_status: str | None = None
    compute_resource_type: str | None = None
    min_vcpus: int | None = None
    max_vcpus: int | None = None
    instance_types: list[str] | None = None
    subnet_ids: list[str] | None = None
    security_group_ids: list[str] | None = None
    service_role: str | None = None
    ecs_cluster_arn: str | None = None


class AwsBatchJobQueue(AwsResource):
    kind: ClassVar[str] = "aws_batch_job_queue"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "compute", "icon": "queue"}
    job_queue_state: str | None = None
    job_queue_status: str | None = None
    job_queue_priority: int | None = None
    compute_environment_arns: list[str] | None = None
    scheduling_policy_arn: str | None = None


def _disable(op: str, arg: str) -> Any:
    def disable(ctx: Api, resource: AwsResource) -> None:
        state = getattr(resource, "compute_environment_state", None) or getattr(
            resource, "job_queue_state", None
        )
        if state != "DISABLED":
            ctx.call(SERVICE, op, **{arg: resource.arn or resource.id, "state": "DISABLED"})

    return disable


KINDS = [
    Kind(
        cls=AwsBatchComputeEnvironment,
        service=SERVICE,
        list=Call("DescribeComputeEnvironments", "computeEnvironments[]", page_size=100),
        id="computeEnvironmentName",
        name="computeEnvironmentName",
        arn="computeEnvironmentArn",
        tags=TagsAt("tags", fmt="map"),
        fields={
            "compute_environment_type": "type",
            "compute_environment_state": "state",
            "compute_environment_status": "status",
            "compute_resource_type": f"{CR}.type",
            "min_vcpus": f"{CR}.minvCpus",
            "max_vcpus": f"{CR}.maxvCpus",
            "instance_types": f"{CR}.instanceTypes",
            "subnet_ids": f"{CR}.subnets",
            "security_group_ids": f"{CR}.securityGroupIds",
            "service_role": "serviceRole",
            "ecs_cluster_arn": "ecsClusterArn",
        },
        links=(
            Link("aws_ec2_subnet", f"{CR}.subnets", delete="in"),
            Link("aws_ec2_security_group", f"{CR}.securityGroupIds", delete="in"),
            Link("aws_iam_role", "serviceRole", to_id=arn_name, global_=True),
            Link("aws_ecs_cluster", "ecsClusterArn", default="out", to_id=arn_name),
        ),
        get=Call(
            "DescribeComputeEnvironments", "computeEnvironments[]", item_args={"computeEnvironments": "[arn]"}
        ),
        pre_cleanup=_disable("UpdateComputeEnvironment", "computeEnvironment"),
        delete=Delete("DeleteComputeEnvironment", {"computeEnvironment": "arn"}),
        tagging=TAGGING,
        cleanup_iam=("batch:UpdateComputeEnvironment",),
    ),
    Kind(
        cls=AwsBatchJobQueue,
        service=SERVICE,
        list=Call("DescribeJobQueues", "jobQueues[]", page_size=100),
        id="jobQueueName",
        name="jobQueueName",
        arn="jobQueueArn",
        tags=TagsAt("tags", fmt="map"),
        fields={
            "job_queue_state": "state",
            "job_queue_status": "status",
            "job_queue_priority": "priority",
            "compute_environment_arns": "computeEnvironmentOrder[].computeEnvironment",
            "scheduling_policy_arn": "schedulingPolicyArn",
        },
        links=(
            Link(
                "aws_batch_compute_environment",
                "computeEnvironmentOrder[].computeEnvironment",
                delete="in",
                to_id=arn_name,
            ),
        ),
        get=Call("DescribeJobQueues", "jobQueues[]", item_args={"jobQueues": "[arn]"}),
        pre_cleanup=_disable("UpdateJobQueue", "jobQueue"),
        delete=Delete("DeleteJobQueue", {"jobQueue": "arn"}),
        tagging=TAGGING,
        cleanup_iam=("batch:UpdateJobQueue",),
    ),
]
