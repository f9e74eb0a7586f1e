"""EventBridge (botocore's ``events``) event buses and their rules, with the rules' targets.

Rules are listed per bus; AWS-managed rules (``ManagedBy``) are left out. One
``ListTargetsByRule`` per rule gives the edges to the Lambda functions, state machines, SNS topics
and SQS queues it sends to; a rule's targets are removed before it is deleted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from resoto_hookspecs import NotSupported

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import (
    Api,
    Call,
    Delete,
    Enrich,
    Json,
    Kind,
    Link,
    Tagging,
    TagsAt,
    arn_last,
    arn_name,
)

SERVICE = "events"
GONE = ("ResourceNotFoundException",)
TAGGING = Tagging("TagResource", "UntagResource", {"ResourceARN": "arn"}, gone=GONE)


def _tags(arn: str) -> Enrich:
    return Enrich(
        "ListTagsForResource", {"ResourceARN": arn}, "Tags", "_tags", ignore=GONE, tagging_api="events"
    )


class AwsEventBridgeEventBus(AwsResource):
    kind: ClassVar[str] = "aws_eventbridge_event_bus"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "management", "icon": "resource"}
    description: str | None = None
    policy: str | None = None


class AwsEventBridgeRule(AwsResource):
    kind: ClassVar[str] = "aws_eventbridge_rule"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "management", "icon": "resource"}
    rule_name: str | None = None
    event_bus_name: str | None = None
    rule_state: str | None = None
    event_pattern: str | None = None
    schedule_expression: str | None = None
    role_arn: str | None = None
    description: str | None = None
    target_arns: list[str] | None = None


def _prepare_rule(item: Json) -> None:
    item["_id"] = str(item.get("Arn") or "").split(":rule/", 1)[-1]


def _targets(service: str, to_id: Callable[[str], str | None]) -> Callable[[Json], list[str]]:
    def found(item: Json) -> list[str]:
        arns = [str(t.get("Arn") or "") for t in item.get("_targets") or []]
        return [i for a in arns if f":{service}:" in a and (i := to_id(a))]

    return found


def _function(arn: str) -> str | None:
    return arn.split(":function:", 1)[1].split(":", 1)[0] if ":function:" in arn else None


def _no_default_bus(ctx: Api, resource: AwsResource) -> None:
    if resource.id == "default":
        raise NotSupported("the default event bus cannot be deleted")
    ctx.call(SERVICE, "DeleteEventBus", Name=resource.id)


def _remove_targets(ctx: Api, resource: AwsResource) -> None:
    assert isinstance(resource, AwsEventBridgeRule)
    bus = {"EventBusName": resource.event_bus_name} if resource.event_bus_name else {}
    answer = ctx.call(SERVICE, "ListTargetsByRule", Rule=resource.rule_name, **bus)
    ids = [t["Id"] for t in answer.get("Targets") or []]
    if ids:
        ctx.call(SERVICE, "RemoveTargets", Rule=resource.rule_name, Ids=ids, Force=True, **bus)


KINDS = [
    Kind(
        cls=AwsEventBridgeEventBus,
        service=SERVICE,
        list=Call("ListEventBuses", "EventBuses[]", args={"Limit": 100}),  # NextToken followed by hand
        id="Name",
        name="Name",
        arn="Arn",
        ctime="CreationTime",
        enrich=(_tags("Arn"),),
        tags=TagsAt("_tags"),
        fields={"mtime": "LastModifiedTime", "description": "Description", "policy": "Policy"},
        get=Call("DescribeEventBus", "@", item_args={"Name": "id"}, gone=GONE),
        delete=Delete("DeleteEventBus", {"Name": "id"}, gone=GONE),
        delete_fn=_no_default_bus,
        tagging=TAGGING,
    ),
    Kind(
        cls=AwsEventBridgeRule,
        service=SERVICE,
        parent="aws_eventbridge_event_bus",
        list=Call("ListRules", "Rules[]", item_args={"EventBusName": "Name"}, page_size=100),
        prepare=_prepare_rule,
        skip=lambda i: bool(i.get("ManagedBy")),
        id="_id",
        name="Name",
        arn="Arn",
        enrich=(
            _tags("Arn"),
            Enrich(
                "ListTargetsByRule",
                {"Rule": "Name", "EventBusName": "EventBusName"},
                "Targets",
                "_targets",
                ignore=GONE,
            ),
        ),
        tags=TagsAt("_tags"),
        fields={
            "rule_name": "Name",
            "event_bus_name": "EventBusName",
            "rule_state": "State",
            "event_pattern": "EventPattern",
            "schedule_expression": "ScheduleExpression",
            "role_arn": "RoleArn",
            "description": "Description",
            "target_arns": "_targets[].Arn",
        },
        links=(
            Link("aws_eventbridge_event_bus", "_parent_id", default=None, delete="in"),
            Link("aws_iam_role", "RoleArn", to_id=arn_name, global_=True),
            Link("aws_lambda_function", _targets("lambda", _function), default="out"),
            Link("aws_sfn_state_machine", _targets("states", arn_last), default="out"),
            Link("aws_sns_topic", _targets("sns", lambda a: a), default="out"),
            Link("aws_sqs_queue", _targets("sqs", arn_last), default="out"),
        ),
        get=Call(
            "DescribeRule", "@", item_args={"Name": "rule_name", "EventBusName": "event_bus_name"}, gone=GONE
        ),
        pre_cleanup=_remove_targets,
        delete=Delete("DeleteRule", {"Name": "rule_name", "EventBusName": "event_bus_name"}, gone=GONE),
        tagging=TAGGING,
        cleanup_iam=("events:ListTargetsByRule", "events:RemoveTargets"),
    ),
]
