"""AWS Config configuration recorders."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import Call, Delete, Enrich, Kind, Link, Tagging, TagsAt, arn_name

SERVICE = "config"
GONE = ("NoSuchConfigurationRecorderException",)


class AwsConfigRecorder(AwsResource):
    kind: ClassVar[str] = "aws_config_recorder"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "management", "icon": "config"}
    role_arn: str | None = None
    recording: bool | None = None
    last_status: str | None = None
    last_error_code: str | None = None
    last_start_time: datetime | None = None
    last_stop_time: datetime | None = None
    all_supported: bool | None = None
    include_global_resource_types: bool | None = None
    resource_types: list[str] | None = None
    recording_frequency: str | None = None
    recording_scope: str | None = None
    service_principal: str | None = None


KINDS = [
    Kind(
        cls=AwsConfigRecorder,
        service=SERVICE,
        list=Call("DescribeConfigurationRecorders", "ConfigurationRecorders[]"),
        id="name",
        name="name",
        arn="arn",
        enrich=(
            # one call for all recorders of the region (a region holds one customer recorder)
            Enrich(
                "DescribeConfigurationRecorderStatus",
                {"ConfigurationRecorderNames": "name"},
                "ConfigurationRecordersStatus",
                "_status",
                batch=20,
                match="name",
                key="name",
                ignore=GONE,
            ),
            Enrich(
                "ListTagsForResource",
                {"ResourceArn": "arn"},
                "Tags",
                "_tags",
                ignore=("ResourceNotFoundException", "ValidationException"),
                when=lambda i: bool(i.get("arn")),
            ),
        ),
        tags=TagsAt("_tags"),
        fields={
            "role_arn": "roleARN",
            "recording": "_status.recording",
            "last_status": "_status.lastStatus",
            "last_error_code": "_status.lastErrorCode",
            "last_start_time": "_status.lastStartTime",
            "last_stop_time": "_status.lastStopTime",
            "all_supported": "recordingGroup.allSupported",
            "include_global_resource_types": "recordingGroup.includeGlobalResourceTypes",
            "resource_types": "recordingGroup.resourceTypes",
            "recording_frequency": "recordingMode.recordingFrequency",
            "recording_scope": "recordingScope",
            "service_principal": "servicePrincipal",
        },
        links=(Link("aws_iam_role", "roleARN", default="in", to_id=arn_name, global_=True),),
        get=Call(
            "DescribeConfigurationRecorders",
            "ConfigurationRecorders[]",
            item_args={"ConfigurationRecorderNames": "[id]"},
            gone=GONE,
        ),
        delete=Delete("DeleteConfigurationRecorder", {"ConfigurationRecorderName": "id"}, gone=GONE),
        tagging=Tagging(
            "TagResource", "UntagResource", {"ResourceArn": "arn"}, gone=("ResourceNotFoundException",)
        ),
    ),
]
