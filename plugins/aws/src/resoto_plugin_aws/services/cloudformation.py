"""CloudFormation stacks."""

from __future__ import annotations

from typing import ClassVar

from resoto_hookspecs import BaseStack

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import Call, Delete, Json, Kind, Link, TagsAt, arn_name

SERVICE = "cloudformation"


class AwsCloudformationStack(AwsResource, BaseStack):
    kind: ClassVar[str] = "aws_cloudformation_stack"
    taggable: ClassVar[bool] = False  # stack tags change only through an UpdateStack of the whole stack
    stack_id: str | None = None
    description: str | None = None
    role_arn: str | None = None
    termination_protection: bool | None = None
    parent_id: str | None = None


def _params(item: Json) -> dict[str, str | None]:
    return {
        str(p["ParameterKey"]): p.get("ParameterValue")
        for p in item.get("Parameters") or []
        if "ParameterKey" in p
    }


KINDS = [
    Kind(
        cls=AwsCloudformationStack,
        service=SERVICE,
        list=Call("DescribeStacks", "Stacks[]"),
        id="StackName",
        name="StackName",
        arn="StackId",
        tags=TagsAt("Tags"),
        ctime="CreationTime",
        skip=lambda i: i.get("StackStatus") == "DELETE_COMPLETE",
        fields={
            "mtime": "LastUpdatedTime",
            "stack_status": "StackStatus",
            "stack_status_reason": "StackStatusReason",
            "stack_parameters": _params,
            "stack_id": "StackId",
            "description": "Description",
            "role_arn": "RoleARN",
            "termination_protection": "EnableTerminationProtection",
            "parent_id": "ParentId",
        },
        links=(Link("aws_iam_role", "RoleARN", default="in", to_id=arn_name, global_=True),),
        get=Call("DescribeStacks", "Stacks[]", item_args={"StackName": "id"}, gone=("ValidationError",)),
        delete=Delete("DeleteStack", {"StackName": "id"}),
    ),
]
