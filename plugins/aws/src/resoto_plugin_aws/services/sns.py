"""SNS topics, subscriptions, platform applications and their endpoints."""

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


class AwsSnsPlatformApplication(AwsResource):
    kind: ClassVar[str] = "aws_sns_platform_application"
    taggable: ClassVar[bool] = False  # SNS tags topics only
    platform: str | None = None
    enabled: bool | None = None
    event_endpoint_created: str | None = None
    event_delivery_failure: str | None = None


class AwsSnsEndpoint(AwsResource):
    kind: ClassVar[str] = "aws_sns_endpoint"
    taggable: ClassVar[bool] = False
    platform_application_arn: str | None = None
    enabled: bool | None = None
    custom_user_data: str | None = None


def _platform(arn: str) -> str | None:
    """``arn:aws:sns:r:a:app/GCM/<name>`` -> ``GCM``."""
    parts = arn.split("/")
    return parts[-2] if len(parts) >= 3 else None


def _attr(name: str) -> Callable[[Json], str | None]:
    return lambda item: (item.get("Attributes") or {}).get(name) or None


def _enabled(item: Json) -> bool | None:
    value = (item.get("Attributes") or {}).get("Enabled")
    return None if value is None else str(value).lower() == "true"


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
            Enrich(
                "ListTagsForResource",
                {"ResourceArn": "TopicArn"},
                "Tags",
                "_tags",
                ignore=GONE,
                tagging_api="sns",
            ),
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
    Kind(
        cls=AwsSnsPlatformApplication,
        service=SERVICE,
        list=Call("ListPlatformApplications", "PlatformApplications[]"),
        id="PlatformApplicationArn",
        arn="PlatformApplicationArn",
        prepare=lambda i: i.update(_name=arn_name(str(i["PlatformApplicationArn"]))),
        fields={
            "name": "_name",
            "platform": lambda i: _platform(str(i["PlatformApplicationArn"])),
            "enabled": _enabled,
            "event_endpoint_created": _attr("EventEndpointCreated"),
            "event_delivery_failure": _attr("EventDeliveryFailure"),
        },
        links=(
            Link("aws_sns_topic", _attr("EventEndpointCreated"), default="out"),
            Link("aws_sns_topic", _attr("EventDeliveryFailure"), default="out"),
        ),
        delete=Delete("DeletePlatformApplication", {"PlatformApplicationArn": "id"}, gone=GONE),
    ),
    Kind(
        cls=AwsSnsEndpoint,
        service=SERVICE,
        parent="aws_sns_platform_application",
        list=Call(
            "ListEndpointsByPlatformApplication",
            "Endpoints[]",
            item_args={"PlatformApplicationArn": "PlatformApplicationArn"},
        ),
        id="EndpointArn",
        arn="EndpointArn",
        prepare=lambda i: i.update(_name=arn_last(str(i["EndpointArn"]).rsplit("/", 1)[-1])),
        fields={
            "name": "_name",
            "platform_application_arn": "_parent_id",
            "enabled": _enabled,
            "custom_user_data": _attr("CustomUserData"),
        },
        # the application can only be deleted once its endpoints are gone
        links=(Link("aws_sns_platform_application", "_parent_id", default=None, delete="in"),),
        delete=Delete("DeleteEndpoint", {"EndpointArn": "id"}, gone=GONE),
    ),
]
