"""SSM (Systems Manager): managed instances, the documents the account owns, and the compliance
summaries of its resources (one per resource and compliance type: patch, association, custom)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import Call, Delete, Json, Kind, Link, Tagging, TagsAt, arn_name

SERVICE = "ssm"
DOC_GONE = ("InvalidDocument",)


class AwsSsmInstance(AwsResource):
    kind: ClassVar[str] = "aws_ssm_instance"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "management", "icon": "instance"}
    taggable: ClassVar[bool] = False  # an EC2 instance's tags belong to EC2
    deletable: ClassVar[bool] = False
    ping_status: str | None = None
    last_ping: str | None = None
    agent_version: str | None = None
    platform_type: str | None = None
    platform_name: str | None = None
    platform_version: str | None = None
    resource_type: str | None = None
    ip_address: str | None = None
    computer_name: str | None = None
    iam_role: str | None = None


class AwsSsmDocument(AwsResource):
    kind: ClassVar[str] = "aws_ssm_document"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "management", "icon": "document"}
    document_type: str | None = None
    document_format: str | None = None
    document_version: str | None = None
    schema_version: str | None = None
    owner: str | None = None
    target_type: str | None = None
    platform_types: list[str] | None = None
    author: str | None = None


class AwsSsmResourceCompliance(AwsResource):
    kind: ClassVar[str] = "aws_ssm_resource_compliance"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "management", "icon": "resource"}
    taggable: ClassVar[bool] = False  # a summary, not a resource of its own
    deletable: ClassVar[bool] = False
    compliance_type: str | None = None
    resource_type: str | None = None
    resource_id: str | None = None
    compliance_status: str | None = None
    overall_severity: str | None = None
    execution_time: datetime | None = None
    execution_id: str | None = None
    execution_type: str | None = None
    compliant_count: int | None = None
    non_compliant_count: int | None = None


def _prepare_compliance(item: Json) -> None:
    item["_id"] = f"{item.get('ResourceType')}/{item.get('ResourceId')}/{item.get('ComplianceType')}"


def _on_instance(item: Json) -> bool:
    return item.get("ResourceType") == "ManagedInstance" and str(item.get("ResourceId", "")).startswith("i-")


KINDS = [
    Kind(
        cls=AwsSsmInstance,
        service=SERVICE,
        list=Call("DescribeInstanceInformation", "InstanceInformationList[]", page_size=50),
        id="InstanceId",
        name="ComputerName",
        ctime="RegistrationDate",
        arn="arn:{partition}:ssm:{region}:{account}:managed-instance/{id}",
        fields={
            "ping_status": "PingStatus",
            "last_ping": lambda i: str(i["LastPingDateTime"]) if i.get("LastPingDateTime") else None,
            "agent_version": "AgentVersion",
            "platform_type": "PlatformType",
            "platform_name": "PlatformName",
            "platform_version": "PlatformVersion",
            "resource_type": "ResourceType",
            "ip_address": "IPAddress",
            "computer_name": "ComputerName",
            "iam_role": "IamRole",
        },
        links=(
            Link(
                "aws_ec2_instance",
                "InstanceId",
                default="out",
                when=lambda i: str(i.get("InstanceId", "")).startswith("i-"),
            ),
            Link("aws_iam_role", "IamRole", default="in", to_id=arn_name, global_=True),
        ),
    ),
    Kind(
        cls=AwsSsmDocument,
        service=SERVICE,
        list=Call(
            "ListDocuments",
            "DocumentIdentifiers[]",
            args={"Filters": [{"Key": "Owner", "Values": ["Self"]}]},
            page_size=50,
        ),
        id="Name",
        name="Name",
        ctime="CreatedDate",
        arn="arn:{partition}:ssm:{region}:{account}:document/{id}",
        tags=TagsAt("Tags"),
        fields={
            "document_type": "DocumentType",
            "document_format": "DocumentFormat",
            "document_version": "DocumentVersion",
            "schema_version": "SchemaVersion",
            "owner": "Owner",
            "target_type": "TargetType",
            "platform_types": "PlatformTypes",
            "author": "Author",
        },
        get=Call("DescribeDocument", "Document", item_args={"Name": "id"}, gone=DOC_GONE),
        delete=Delete("DeleteDocument", {"Name": "id"}, gone=DOC_GONE),
        tagging=Tagging(
            "AddTagsToResource",
            "RemoveTagsFromResource",
            {"ResourceId": "id"},
            const={"ResourceType": "Document"},
            gone=DOC_GONE,
        ),
    ),
    Kind(
        cls=AwsSsmResourceCompliance,
        service=SERVICE,
        list=Call("ListResourceComplianceSummaries", "ResourceComplianceSummaryItems[]", page_size=50),
        prepare=_prepare_compliance,
        id="_id",
        name="ResourceId",
        ctime="ExecutionSummary.ExecutionTime",
        fields={
            "compliance_type": "ComplianceType",
            "resource_type": "ResourceType",
            "resource_id": "ResourceId",
            "compliance_status": "Status",
            "overall_severity": "OverallSeverity",
            "execution_time": "ExecutionSummary.ExecutionTime",
            "execution_id": "ExecutionSummary.ExecutionId",
            "execution_type": "ExecutionSummary.ExecutionType",
            "compliant_count": "CompliantSummary.CompliantCount",
            "non_compliant_count": "NonCompliantSummary.NonCompliantCount",
        },
        links=(
            Link("aws_ec2_instance", "ResourceId", default="out", when=_on_instance),
            Link(
                "aws_ssm_instance",
                "ResourceId",
                default="out",
                when=lambda i: i.get("ResourceType") == "ManagedInstance",
            ),
        ),
    ),
]
