"""Elastic Beanstalk applications and environments.

Environments are listed once per region; one ``DescribeEnvironmentResources`` per environment
names the instances, Auto Scaling groups, load balancers and queues it runs on. Tags need one
``ListTagsForResource`` per application or environment.
"""

from __future__ import annotations

from typing import Any, ClassVar

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import Call, Delete, Enrich, Json, Kind, Link, Tagging, TagsAt, arn_name

SERVICE = "elasticbeanstalk"
GONE = ("ResourceNotFoundException", "InvalidParameterValue")
TAGGING = Tagging(
    "UpdateTagsForResource",
    "UpdateTagsForResource",
    {"ResourceArn": "arn"},
    tags_arg="TagsToAdd",
    keys_arg="TagsToRemove",
    gone=("ResourceNotFoundException",),
)


def _tags(arn: str) -> Enrich:
    return Enrich("ListTagsForResource", {"ResourceArn": arn}, "ResourceTags", "_tags", ignore=GONE)


class AwsBeanstalkApplication(AwsResource):
    kind: ClassVar[str] = "aws_beanstalk_application"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "compute", "icon": "application"}
    description: str | None = None
    versions: list[str] | None = None
    configuration_templates: list[str] | None = None


class AwsBeanstalkEnvironment(AwsResource):
    kind: ClassVar[str] = "aws_beanstalk_environment"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "compute", "icon": "environment"}
    application_name: str | None = None
    environment_name: str | None = None
    version_label: str | None = None
    solution_stack_name: str | None = None
    platform_arn: str | None = None
    description: str | None = None
    endpoint_url: str | None = None
    cname: str | None = None
    status: str | None = None
    health: str | None = None
    health_status: str | None = None
    tier: str | None = None
    instance_ids: list[str] | None = None
    autoscaling_groups: list[str] | None = None
    load_balancers: list[str] | None = None
    queues: list[str] | None = None


def _lbs(item: Json, arns: bool) -> list[str]:
    """Beanstalk names an ALB/NLB by its ARN and a classic ELB by its name."""
    names = [
        str(lb.get("Name")) for lb in ((item.get("_res") or {}).get("LoadBalancers") or []) if lb.get("Name")
    ]
    if arns:
        return [n.split("/")[-2] for n in names if n.startswith("arn:") and n.count("/") >= 2]
    return [n for n in names if not n.startswith("arn:")]


KINDS = [
    Kind(
        cls=AwsBeanstalkApplication,
        service=SERVICE,
        list=Call("DescribeApplications", "Applications[]"),
        id="ApplicationName",
        name="ApplicationName",
        arn="ApplicationArn",
        ctime="DateCreated",
        enrich=(_tags("ApplicationArn"),),
        tags=TagsAt("_tags"),
        fields={
            "mtime": "DateUpdated",
            "description": "Description",
            "versions": "Versions",
            "configuration_templates": "ConfigurationTemplates",
        },
        get=Call("DescribeApplications", "Applications[]", item_args={"ApplicationNames": "[id]"}),
        delete=Delete("DeleteApplication", {"ApplicationName": "id"}, gone=GONE),
        tagging=TAGGING,
    ),
    Kind(
        cls=AwsBeanstalkEnvironment,
        service=SERVICE,
        list=Call("DescribeEnvironments", "Environments[]", args={"IncludeDeleted": False}, page_size=1000),
        skip=lambda i: i.get("Status") in ("Terminated",),
        id="EnvironmentId",
        name="EnvironmentName",
        arn="EnvironmentArn",
        ctime="DateCreated",
        enrich=(
            _tags("EnvironmentArn"),
            Enrich(
                "DescribeEnvironmentResources",
                {"EnvironmentId": "EnvironmentId"},
                "EnvironmentResources",
                "_res",
                ignore=GONE,
            ),
        ),
        tags=TagsAt("_tags"),
        fields={
            "mtime": "DateUpdated",
            "application_name": "ApplicationName",
            "environment_name": "EnvironmentName",
            "version_label": "VersionLabel",
            "solution_stack_name": "SolutionStackName",
            "platform_arn": "PlatformArn",
            "description": "Description",
            "endpoint_url": "EndpointURL",
            "cname": "CNAME",
            "status": "Status",
            "health": "Health",
            "health_status": "HealthStatus",
            "tier": "Tier.Name",
            "instance_ids": "_res.Instances[].Id",
            "autoscaling_groups": "_res.AutoScalingGroups[].Name",
            "load_balancers": "_res.LoadBalancers[].Name",
            "queues": "_res.Queues[].Name",
        },
        links=(
            # the application goes last: its environments are terminated first
            Link("aws_beanstalk_application", "ApplicationName", default="in", delete="in"),
            Link("aws_ec2_instance", "_res.Instances[].Id", default="out"),
            Link("aws_autoscaling_group", "_res.AutoScalingGroups[].Name", default="out"),
            Link("aws_alb", lambda i: _lbs(i, arns=True), default="out"),
            Link("aws_elb", lambda i: _lbs(i, arns=False), default="out"),
            Link("aws_sqs_queue", "_res.Queues[].Name", default="out"),
            Link("aws_iam_role", "OperationsRole", default="in", to_id=arn_name, global_=True),
        ),
        get=Call("DescribeEnvironments", "Environments[]", item_args={"EnvironmentIds": "[id]"}),
        delete=Delete("TerminateEnvironment", {"EnvironmentId": "id"}, gone=GONE),
        tagging=TAGGING,
    ),
]
