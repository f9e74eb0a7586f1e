"""CloudWatch alarms, CloudWatch Logs log groups and metric filters."""

from __future__ import annotations

from typing import Any, ClassVar

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import Call, Delete, Enrich, Json, Kind, Link, Tagging, TagsAt, arn_name

CW = "cloudwatch"
LOGS = "logs"


class AwsCloudwatchAlarm(AwsResource):
    kind: ClassVar[str] = "aws_cloudwatch_alarm"
    namespace: str | None = None
    metric_name: str | None = None
    state_value: str | None = None
    state_reason: str | None = None
    dimensions: dict[str, str] | None = None
    threshold: float | None = None
    comparison_operator: str | None = None
    actions_enabled: bool | None = None
    alarm_actions: list[str] | None = None


class AwsCloudwatchLogGroup(AwsResource):
    kind: ClassVar[str] = "aws_cloudwatch_log_group"
    retention_in_days: int | None = None
    stored_bytes: int | None = None
    metric_filter_count: int | None = None
    kms_key_id: str | None = None


class AwsCloudwatchMetricFilter(AwsResource):
    kind: ClassVar[str] = "aws_cloudwatch_metric_filter"
    taggable: ClassVar[bool] = False
    log_group_name: str | None = None
    filter_pattern: str | None = None
    metric_names: list[str] | None = None


def _dimensions(item: Json) -> dict[str, str]:
    return {str(d["Name"]): str(d["Value"]) for d in item.get("Dimensions") or [] if "Name" in d}


def _alarm_instances(item: Json) -> list[str]:
    return [str(d["Value"]) for d in item.get("Dimensions") or [] if d.get("Name") == "InstanceId"]


def _group_arn(item: Json) -> Any:
    arn = str(item.get("arn") or "")
    return arn[:-2] if arn.endswith(":*") else arn or None


def _delete_metric_filter(ctx: Any, resource: AwsResource) -> None:
    assert isinstance(resource, AwsCloudwatchMetricFilter)
    ctx.call(LOGS, "DeleteMetricFilter", logGroupName=resource.log_group_name, filterName=resource.name)


KINDS = [
    Kind(
        cls=AwsCloudwatchAlarm,
        service=CW,
        list=Call("DescribeAlarms", "MetricAlarms[]", page_size=100),
        id="AlarmName",
        name="AlarmName",
        arn="AlarmArn",
        enrich=(
            Enrich(
                "ListTagsForResource",
                {"ResourceARN": "AlarmArn"},
                "Tags",
                "_tags",
                ignore=("ResourceNotFoundException",),
                tagging_api="cloudwatch",
            ),
        ),
        tags=TagsAt("_tags"),
        fields={
            "mtime": "StateUpdatedTimestamp",
            "namespace": "Namespace",
            "metric_name": "MetricName",
            "state_value": "StateValue",
            "state_reason": "StateReason",
            "dimensions": _dimensions,
            "threshold": "Threshold",
            "comparison_operator": "ComparisonOperator",
            "actions_enabled": "ActionsEnabled",
            "alarm_actions": "AlarmActions",
        },
        links=(Link("aws_ec2_instance", _alarm_instances, default="in", delete="in"),),
        get=Call("DescribeAlarms", "MetricAlarms[]", item_args={"AlarmNames": "[id]"}),
        delete=Delete("DeleteAlarms", {"AlarmNames": "[id]"}),
        tagging=Tagging(
            "TagResource", "UntagResource", {"ResourceARN": "arn"}, gone=("ResourceNotFoundException",)
        ),
    ),
    Kind(
        cls=AwsCloudwatchLogGroup,
        service=LOGS,
        list=Call("DescribeLogGroups", "logGroups[]", page_size=50),
        id="logGroupName",
        name="logGroupName",
        arn="arn",
        ctime="creationTime",
        enrich=(
            Enrich(
                "ListTagsLogGroup",
                {"logGroupName": "logGroupName"},
                "tags",
                "_tags",
                ignore=("ResourceNotFoundException",),
                tagging_api="logs",
            ),
        ),
        tags=TagsAt("_tags", fmt="map"),
        fields={
            "arn": _group_arn,
            "retention_in_days": "retentionInDays",
            "stored_bytes": "storedBytes",
            "metric_filter_count": "metricFilterCount",
            "kms_key_id": "kmsKeyId",
        },
        links=(Link("aws_kms_key", "kmsKeyId", default="out", delete="in", to_id=arn_name),),
        get=Call("DescribeLogGroups", "logGroups[]", item_args={"logGroupNamePrefix": "id"}),
        delete=Delete("DeleteLogGroup", {"logGroupName": "id"}, gone=("ResourceNotFoundException",)),
        tagging=Tagging(
            "TagLogGroup",
            "UntagLogGroup",
            {"logGroupName": "id"},
            tags_arg="tags",
            fmt="map",
            keys_arg="tags",
            gone=("ResourceNotFoundException",),
        ),
    ),
    Kind(
        cls=AwsCloudwatchMetricFilter,
        service=LOGS,
        list=Call("DescribeMetricFilters", "metricFilters[]", page_size=50),
        prepare=lambda i: i.update(_id=f"{i.get('logGroupName')}/{i.get('filterName')}"),
        id="_id",
        name="filterName",
        ctime="creationTime",
        fields={
            "log_group_name": "logGroupName",
            "filter_pattern": "filterPattern",
            "metric_names": "metricTransformations[].metricName",
        },
        links=(Link("aws_cloudwatch_log_group", "logGroupName", default="in", delete="in"),),
        delete=Delete("DeleteMetricFilter", {"logGroupName": "log_group_name", "filterName": "name"}),
        delete_fn=_delete_metric_filter,
    ),
]
