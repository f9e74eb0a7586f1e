"""Step Functions state machines (botocore's ``stepfunctions``), with their role and log groups.

The list call carries neither tags nor the role: one ``DescribeStateMachine`` and one
``ListTagsForResource`` per state machine.
"""

from __future__ import annotations

from typing import Any, ClassVar

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import Call, Delete, Enrich, Json, Kind, Link, Tagging, TagsAt, arn_name

SERVICE = "stepfunctions"
GONE = ("StateMachineDoesNotExist",)


class AwsSfnStateMachine(AwsResource):
    kind: ClassVar[str] = "aws_sfn_state_machine"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "compute", "icon": "resource"}
    state_machine_type: str | None = None
    state_machine_status: str | None = None
    role_arn: str | None = None
    logging_level: str | None = None
    tracing_enabled: bool | None = None
    description: str | None = None


def _log_groups(item: Json) -> list[str]:
    """``arn:aws:logs:r:a:log-group:NAME:*`` -> ``NAME``."""
    out = []
    for dest in ((item.get("_d") or {}).get("loggingConfiguration") or {}).get("destinations") or []:
        arn = str((dest.get("cloudWatchLogsLogGroup") or {}).get("logGroupArn") or "")
        if ":log-group:" in arn:
            out.append(arn.split(":log-group:", 1)[1].split(":", 1)[0])
    return out


KINDS = [
    Kind(
        cls=AwsSfnStateMachine,
        service=SERVICE,
        list=Call("ListStateMachines", "stateMachines[]", page_size=1000),
        id="name",
        name="name",
        arn="stateMachineArn",
        ctime="creationDate",
        enrich=(
            Enrich("DescribeStateMachine", {"stateMachineArn": "stateMachineArn"}, "@", "_d", ignore=GONE),
            Enrich(
                "ListTagsForResource",
                {"resourceArn": "stateMachineArn"},
                "tags",
                "_tags",
                ignore=GONE,
                tagging_api="states",
            ),
        ),
        tags=TagsAt("_tags", fmt="lower"),
        fields={
            "state_machine_type": "type",
            "state_machine_status": "_d.status",
            "role_arn": "_d.roleArn",
            "logging_level": "_d.loggingConfiguration.level",
            "tracing_enabled": "_d.tracingConfiguration.enabled",
            "description": "_d.description",
        },
        links=(
            Link("aws_iam_role", "_d.roleArn", to_id=arn_name, global_=True),
            Link("aws_cloudwatch_log_group", _log_groups, default="out"),
        ),
        get=Call("DescribeStateMachine", "@", item_args={"stateMachineArn": "arn"}, gone=GONE),
        delete=Delete("DeleteStateMachine", {"stateMachineArn": "arn"}, gone=GONE),
        tagging=Tagging(
            "TagResource",
            "UntagResource",
            {"resourceArn": "arn"},
            tags_arg="tags",
            fmt="lower",
            keys_arg="tagKeys",
        ),
    ),
]
