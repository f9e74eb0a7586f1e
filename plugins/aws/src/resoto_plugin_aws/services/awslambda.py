"""Lambda functions."""

from __future__ import annotations

from typing import ClassVar

from resoto_hookspecs import BaseServerlessFunction

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import Call, Delete, Enrich, Kind, Link, Tagging, TagsAt, arn_name

SERVICE = "lambda"
GONE = ("ResourceNotFoundException",)


class AwsLambdaFunction(AwsResource, BaseServerlessFunction):
    kind: ClassVar[str] = "aws_lambda_function"
    runtime: str | None = None
    handler: str | None = None
    role: str | None = None
    memory_size: int | None = None
    timeout: int | None = None
    code_size: int | None = None
    package_type: str | None = None
    architectures: list[str] | None = None
    vpc_id: str | None = None
    subnet_ids: list[str] | None = None
    security_group_ids: list[str] | None = None
    kms_key_arn: str | None = None
    description: str | None = None
    function_state: str | None = None


KINDS = [
    Kind(
        cls=AwsLambdaFunction,
        service=SERVICE,
        list=Call("ListFunctions", "Functions[]", page_size=50),
        id="FunctionName",
        name="FunctionName",
        arn="FunctionArn",
        enrich=(
            Enrich(
                "ListTags", {"Resource": "FunctionArn"}, "Tags", "_tags", ignore=GONE, tagging_api="lambda"
            ),
        ),
        tags=TagsAt("_tags", fmt="map"),
        fields={
            "mtime": "LastModified",
            "runtime": "Runtime",
            "handler": "Handler",
            "role": "Role",
            "memory_size": "MemorySize",
            "timeout": "Timeout",
            "code_size": "CodeSize",
            "package_type": "PackageType",
            "architectures": "Architectures",
            "vpc_id": "VpcConfig.VpcId",
            "subnet_ids": "VpcConfig.SubnetIds",
            "security_group_ids": "VpcConfig.SecurityGroupIds",
            "kms_key_arn": "KMSKeyArn",
            "description": "Description",
            "function_state": "State",
        },
        links=(
            Link("aws_iam_role", "Role", default="in", to_id=arn_name, global_=True),
            Link("aws_vpc", "VpcConfig.VpcId", default="in", delete="in"),
            Link("aws_ec2_subnet", "VpcConfig.SubnetIds", default="in", delete="in"),
            Link("aws_ec2_security_group", "VpcConfig.SecurityGroupIds", default="in", delete="in"),
            Link("aws_kms_key", "KMSKeyArn", default="out", delete="in", to_id=arn_name),
        ),
        get=Call("GetFunctionConfiguration", "@", item_args={"FunctionName": "id"}, gone=GONE),
        delete=Delete("DeleteFunction", {"FunctionName": "id"}, gone=GONE),
        tagging=Tagging("TagResource", "UntagResource", {"Resource": "arn"}, fmt="map", gone=GONE),
    ),
]
