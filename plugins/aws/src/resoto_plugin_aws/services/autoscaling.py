"""Auto Scaling groups."""

from __future__ import annotations

from typing import ClassVar

from resoto_hookspecs import BaseAutoscalingGroup

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import Api, Call, Delete, Json, Kind, Link, TagsAt

SERVICE = "autoscaling"


class AwsAutoscalingGroup(AwsResource, BaseAutoscalingGroup):
    kind: ClassVar[str] = "aws_autoscaling_group"
    desired_capacity: int | None = None
    launch_template_id: str | None = None
    launch_configuration_name: str | None = None
    subnet_ids: list[str] | None = None
    instance_ids: list[str] | None = None
    target_group_arns: list[str] | None = None
    health_check_type: str | None = None
    group_status: str | None = None


def _subnets(item: Json) -> list[str]:
    return [s for s in str(item.get("VPCZoneIdentifier") or "").split(",") if s]


def _template_id(item: Json) -> str | None:
    lt = item.get("LaunchTemplate") or (item.get("MixedInstancesPolicy") or {}).get("LaunchTemplate", {}).get(
        "LaunchTemplateSpecification"
    )
    return lt.get("LaunchTemplateId") if lt else None


def _tag_asg(ctx: Api, resource: AwsResource, key: str, value: str | None, untag: bool = False) -> None:
    tag = {"ResourceId": resource.id, "ResourceType": "auto-scaling-group", "Key": key}
    if untag:
        ctx.call(SERVICE, "DeleteTags", Tags=[tag])
    else:
        ctx.call(
            SERVICE, "CreateOrUpdateTags", Tags=[{**tag, "Value": value or "", "PropagateAtLaunch": False}]
        )


KINDS = [
    Kind(
        cls=AwsAutoscalingGroup,
        service=SERVICE,
        list=Call("DescribeAutoScalingGroups", "AutoScalingGroups[]", page_size=100),
        id="AutoScalingGroupName",
        name="AutoScalingGroupName",
        arn="AutoScalingGroupARN",
        tags=TagsAt("Tags"),
        ctime="CreatedTime",
        fields={
            "min_size": "MinSize",
            "max_size": "MaxSize",
            "desired_capacity": "DesiredCapacity",
            "launch_template_id": _template_id,
            "launch_configuration_name": "LaunchConfigurationName",
            "subnet_ids": _subnets,
            "instance_ids": "Instances[].InstanceId",
            "target_group_arns": "TargetGroupARNs",
            "health_check_type": "HealthCheckType",
            "group_status": "Status",
        },
        links=(
            Link("aws_ec2_instance", "Instances[].InstanceId", default="out", delete="in"),
            Link("aws_ec2_launch_template", _template_id, default="out", delete="in"),
            Link("aws_ec2_subnet", _subnets, default="in", delete="in"),
        ),
        get=Call(
            "DescribeAutoScalingGroups", "AutoScalingGroups[]", item_args={"AutoScalingGroupNames": "[id]"}
        ),
        delete=Delete("DeleteAutoScalingGroup", {"AutoScalingGroupName": "id"}, const={"ForceDelete": True}),
        tag_fn=_tag_asg,
        tag_iam=("autoscaling:CreateOrUpdateTags", "autoscaling:DeleteTags"),
    ),
]
