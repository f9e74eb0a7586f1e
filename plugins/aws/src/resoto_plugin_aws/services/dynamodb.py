"""DynamoDB tables and global tables."""

from __future__ import annotations

from typing import ClassVar

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import Call, Delete, Enrich, Kind, Link, Tagging, TagsAt, arn_name

SERVICE = "dynamodb"
GONE = ("ResourceNotFoundException", "TableNotFoundException")


class AwsDynamodbTable(AwsResource):
    kind: ClassVar[str] = "aws_dynamodb_table"
    table_status: str | None = None
    item_count: int | None = None
    table_size_bytes: int | None = None
    billing_mode: str | None = None
    read_capacity: int | None = None
    write_capacity: int | None = None
    kms_key_arn: str | None = None
    stream_arn: str | None = None
    deletion_protection: bool | None = None


class AwsDynamodbGlobalTable(AwsResource):
    kind: ClassVar[str] = "aws_dynamodb_global_table"
    deletable: ClassVar[bool] = False
    taggable: ClassVar[bool] = False
    replica_regions: list[str] | None = None


KINDS = [
    Kind(
        cls=AwsDynamodbTable,
        service=SERVICE,
        list=Call("ListTables", "TableNames[]", page_size=100, wrap="TableName"),
        id="TableName",
        name="TableName",
        arn="_t.TableArn",
        enrich=(
            Enrich("DescribeTable", {"TableName": "TableName"}, "Table", "_t", ignore=GONE),
            Enrich(
                "ListTagsOfResource",
                {"ResourceArn": "_t.TableArn"},
                "Tags",
                "_tags",
                ignore=GONE,
                when=lambda i: bool(i.get("_t")),
                tagging_api="dynamodb",
            ),
        ),
        tags=TagsAt("_tags"),
        ctime="_t.CreationDateTime",
        fields={
            "table_status": "_t.TableStatus",
            "item_count": "_t.ItemCount",
            "table_size_bytes": "_t.TableSizeBytes",
            "billing_mode": "_t.BillingModeSummary.BillingMode",
            "read_capacity": "_t.ProvisionedThroughput.ReadCapacityUnits",
            "write_capacity": "_t.ProvisionedThroughput.WriteCapacityUnits",
            "kms_key_arn": "_t.SSEDescription.KMSMasterKeyArn",
            "stream_arn": "_t.LatestStreamArn",
            "deletion_protection": "_t.DeletionProtectionEnabled",
        },
        links=(
            Link(
                "aws_kms_key", "_t.SSEDescription.KMSMasterKeyArn", default="out", delete="in", to_id=arn_name
            ),
        ),
        get=Call("DescribeTable", "Table", item_args={"TableName": "id"}, wrap=None, gone=GONE),
        delete=Delete("DeleteTable", {"TableName": "id"}, gone=GONE),
        tagging=Tagging("TagResource", "UntagResource", {"ResourceArn": "arn"}, gone=GONE),
    ),
    Kind(
        cls=AwsDynamodbGlobalTable,
        service=SERVICE,
        list=Call("ListGlobalTables", "GlobalTables[]", args={"Limit": 100}),
        id="GlobalTableName",
        name="GlobalTableName",
        arn="arn:{partition}:dynamodb::{account}:global-table/{id}",
        fields={"replica_regions": "ReplicationGroup[].RegionName"},
    ),
]
