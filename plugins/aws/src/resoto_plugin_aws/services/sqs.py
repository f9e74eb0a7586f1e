"""SQS queues."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, ClassVar

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import Call, Delete, Enrich, Json, Kind, Link, Tagging, TagsAt, arn_name

SERVICE = "sqs"
GONE = ("AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist")


class AwsSqsQueue(AwsResource):
    kind: ClassVar[str] = "aws_sqs_queue"
    queue_url: str | None = None
    queue_type: str | None = None
    visibility_timeout: int | None = None
    message_retention_period: int | None = None
    maximum_message_size: int | None = None
    delay_seconds: int | None = None
    approximate_messages: int | None = None
    approximate_messages_not_visible: int | None = None
    kms_master_key_id: str | None = None
    redrive_policy: str | None = None


def _prepare(item: Json) -> None:
    item["_name"] = str(item["QueueUrl"]).rstrip("/").rsplit("/", 1)[-1]


def _attr(name: str, conv: type = int) -> Callable[[Json], Any]:
    def get(item: Json) -> Any:
        value = (item.get("_attrs") or {}).get(name)
        if value is None:
            return None
        return int(float(value)) if conv is int else conv(value)

    return get


def _epoch(name: str) -> Callable[[Json], datetime | None]:
    def get(item: Json) -> datetime | None:
        value = (item.get("_attrs") or {}).get(name)
        return datetime.fromtimestamp(float(value), tz=UTC) if value else None

    return get


KINDS = [
    Kind(
        cls=AwsSqsQueue,
        service=SERVICE,
        list=Call("ListQueues", "QueueUrls[]", page_size=1000, wrap="QueueUrl"),
        prepare=_prepare,
        id="_name",
        name="_name",
        arn="_attrs.QueueArn",
        enrich=(
            Enrich(
                "GetQueueAttributes",
                {"QueueUrl": "QueueUrl"},
                "Attributes",
                "_attrs",
                const={"AttributeNames": ["All"]},
                ignore=GONE,
            ),
            Enrich(
                "ListQueueTags", {"QueueUrl": "QueueUrl"}, "Tags", "_tags", ignore=GONE, tagging_api="sqs"
            ),
        ),
        tags=TagsAt("_tags", fmt="map"),
        fields={
            "ctime": _epoch("CreatedTimestamp"),
            "mtime": _epoch("LastModifiedTimestamp"),
            "queue_url": "QueueUrl",
            "queue_type": lambda i: "fifo" if str(i["QueueUrl"]).endswith(".fifo") else "standard",
            "visibility_timeout": _attr("VisibilityTimeout"),
            "message_retention_period": _attr("MessageRetentionPeriod"),
            "maximum_message_size": _attr("MaximumMessageSize"),
            "delay_seconds": _attr("DelaySeconds"),
            "approximate_messages": _attr("ApproximateNumberOfMessages"),
            "approximate_messages_not_visible": _attr("ApproximateNumberOfMessagesNotVisible"),
            "kms_master_key_id": _attr("KmsMasterKeyId", str),
            "redrive_policy": _attr("RedrivePolicy", str),
        },
        links=(Link("aws_kms_key", "_attrs.KmsMasterKeyId", default="out", delete="in", to_id=arn_name),),
        get=Call("GetQueueUrl", "QueueUrl", item_args={"QueueName": "id"}, wrap="QueueUrl", gone=GONE),
        delete=Delete("DeleteQueue", {"QueueUrl": "queue_url"}, gone=GONE),
        tagging=Tagging("TagQueue", "UntagQueue", {"QueueUrl": "queue_url"}, fmt="map", gone=GONE),
    ),
]
