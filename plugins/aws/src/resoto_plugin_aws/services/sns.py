"""SNS topics and subscriptions."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import Call, Delete, Enrich, Json, Kind, Link, Tagging, TagsAt, arn_last, arn_name

SERVICE = "sns"
GONE = ("NotFound", "NotFoundException")


class AwsSnsTopic(AwsResource):
    kind: ClassVar[str] = "aws_sns_topic"
    display_name: str | None = None
    owner: str | None = None
    subscriptions_confirmed: int | None = None
    subscriptions_pending: int | None = None
    kms_master_key_id: str | None = None
    fifo_topic: bool | None = None


class AwsSnsSubscription(AwsResource):
    kind: ClassVar[str] = "aws_sns_subscription"
    taggable: ClassVar[bool] = False
    topic_arn: str | None = None
    protocol: str | None = None
    endpoint: str | None = None
    owner: str | None = None


def _attr_int(name: str) -> Callable[[Json], int | None]:
    def get(item: Json) -> int | None:
        value = (item.get("_attrs") or {}).get(name)
        return int(value) if value is not None else None

    return get


KINDS = [
    Kind(
        cls=AwsSnsTopic,
        service=SERVICE,
        list=Call("ListTopics", "Topics[]"),
        id="TopicArn",
        name=None,
        arn="TopicArn",
        prepare=lambda i: i.update(_name=arn_last(str(i["TopicArn"]))),
        enrich=(
            Enrich("GetTopicAttributes", {"TopicArn": "TopicArn"}, "Attributes", "_attrs", ignore=GONE),
            Enrich("ListTagsForResource", {"ResourceArn": "TopicArn"}, "Tags", "_tags", ignore=GONE),
        ),
        tags=TagsAt("_tags"),
        fields={
            "name": "_name",
            "display_name": "_attrs.DisplayName",
            "owner": "_attrs.Owner",
            "subscriptions_confirmed": _attr_int("SubscriptionsConfirmed"),
            "subscriptions_pending": _attr_int("SubscriptionsPending"),
            "kms_master_key_id": "_attrs.KmsMasterKeyId",
            "fifo_topic": lambda i: (i.get("_attrs") or {}).get("FifoTopic") == "true",
        },
        links=(Link("aws_kms_key", "_attrs.KmsMasterKeyId", default="out", delete="in", to_id=arn_name),),
        get=Call("GetTopicAttributes", "Attributes", item_args={"TopicArn": "id"}, gone=GONE),
        delete=Delete("DeleteTopic", {"TopicArn": "id"}, gone=GONE),
        tagging=Tagging("TagResource", "UntagResource", {"ResourceArn": "id"}, gone=GONE),
    ),
    Kind(
        cls=AwsSnsSubscription,
        service=SERVICE,
        list=Call("ListSubscriptions", "Subscriptions[]"),
        id="SubscriptionArn",
        arn="SubscriptionArn",
        skip=lambda i: not str(i.get("SubscriptionArn", "")).startswith("arn:"),
        fields={"topic_arn": "TopicArn", "protocol": "Protocol", "endpoint": "Endpoint", "owner": "Owner"},
        links=(
            Link("aws_sns_topic", "TopicArn", default="in", delete="in"),
            Link(
                "aws_sqs_queue",
                "Endpoint",
                default="out",
                to_id=arn_last,
                when=lambda i: i.get("Protocol") == "sqs",
            ),
            Link(
                "aws_lambda_function",
                "Endpoint",
                default="out",
                to_id=arn_last,
                when=lambda i: i.get("Protocol") == "lambda",
            ),
        ),
        get=Call("GetSubscriptionAttributes", "Attributes", item_args={"SubscriptionArn": "id"}, gone=GONE),
        delete=Delete("Unsubscribe", {"SubscriptionArn": "id"}, gone=GONE),
    ),
]
