"""Tags through the Resource Groups Tagging API: one paged ``tag:GetResources`` per unit instead of
one tags call per resource, for the kinds whose tags enrichment names a ``tagging_api`` service.

The oracle is the per-item path. The same moto account is collected twice with the default
config: once as it is, once through a fault proxy that denies ``tag:GetResources`` (an operator
whose IAM policy predates it). Every node of those kinds carries the same tags both times, the
first collection makes no per-item tags call for a kind the Tagging API answers, and the second
makes one per item.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any, cast

import pytest
from aws import seed_small, test_service_data, test_service_sagemaker
from aws import test_service_workflows as workflows
from aws.support_aws import Collected, client, collect
from faults.aws_proxy import AwsFaultProxy, FaultPlan
from resoto_plugin_aws.config import AwsConfig
from resoto_plugin_aws.convert import parse_tags, tags_as, tags_from_index
from resoto_plugin_aws.iam_policy import policy_document
from resoto_plugin_aws.registry import all_kinds
from resoto_plugin_aws.sessions import SESSIONS
from resoto_plugin_aws.spec import Enrich, Kind, TagFormat, TagsAt

REGION = "us-east-1"
CONFIG = AwsConfig(region=[REGION])


def _tags_enrich(kind: Kind) -> Enrich | None:
    return next((e for e in kind.enrich if e.tagging_api), None)


BATCHED = {name: k for name, k in all_kinds().items() if _tags_enrich(k) is not None}


def _seed() -> None:
    seed_small.seed_all()
    workflows.seed()
    test_service_data.seed()
    test_service_sagemaker.seed()
    client("acm").request_certificate(DomainName="example.com", Tags=[{"Key": "owner", "Value": "tests"}])
    sqs = client("sqs")
    sqs.create_queue(QueueName="never-tagged")
    was = sqs.create_queue(QueueName="was-tagged", tags={"gone": "soon"})["QueueUrl"]
    sqs.untag_queue(QueueUrl=was, TagKeys=["gone"])


@pytest.fixture()
def both(moto: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Collected, Collected]]:
    _seed()
    batched = collect(CONFIG)
    with AwsFaultProxy(moto, plan=FaultPlan(operations={"tagging:GetResources": "denied"})) as proxy:
        monkeypatch.setitem(os.environ, "AWS_ENDPOINT_URL", proxy.url)
        SESSIONS.clear()
        per_item = collect(CONFIG)
        denied = proxy.stats()["injected"]
    SESSIONS.clear()
    assert denied, "the proxy denied tag:GetResources"
    yield batched, per_item


def _tags_by_node(result: Collected) -> dict[str, dict[str, Any]]:
    return {
        f"{kind}/{rid}": node.get("tags", {}) for kind in BATCHED for rid, node in result.by_id(kind).items()
    }


def test_the_tagging_api_answers_what_the_per_item_calls_answer(both: tuple[Collected, Collected]) -> None:
    batched, per_item = both
    assert batched.failures == per_item.failures == {}
    tags = _tags_by_node(batched)
    assert tags == _tags_by_node(per_item)
    assert tags["aws_sqs_queue/t-queue"] == {"Name": "t-queue", "owner": "tests"}
    assert tags["aws_sqs_queue/never-tagged"] == {}
    assert tags["aws_sqs_queue/was-tagged"] == {}
    assert batched.reporter.calls[("resourcegroupstaggingapi", "GetResources")] >= 1


ANSWERED_BY_MOTO = {
    ("sqs", "ListQueueTags"),
    ("sns", "ListTagsForResource"),
    ("cloudwatch", "ListTagsForResource"),
    ("logs", "ListTagsLogGroup"),
    ("dynamodb", "ListTagsOfResource"),
    ("kms", "ListResourceTags"),
    ("lambda", "ListTags"),
    ("glue", "GetTags"),
    ("stepfunctions", "ListTagsForResource"),
    ("acm", "ListTagsForCertificate"),
}
"""Tags calls of kinds whose every tagged resource moto's Tagging API names (SageMaker's and
EventBridge's calls are shared with kinds it does not name: those still read per item)."""


def test_the_tagging_api_replaces_per_item_calls(both: tuple[Collected, Collected]) -> None:
    batched, per_item = both
    calls = {(k.service, e.op) for k in BATCHED.values() if (e := _tags_enrich(k)) is not None}
    assert calls >= ANSWERED_BY_MOTO
    for call in sorted(calls):
        oracle = per_item.reporter.calls[call]
        assert oracle > 0, f"nothing seeded is tagged through {call}"
        expected = 0 if call in ANSWERED_BY_MOTO else oracle - 1
        assert batched.reporter.calls[call] <= expected, call


def test_definitions_store_the_answer_where_the_kind_reads_its_tags() -> None:
    assert BATCHED
    for name, kind in BATCHED.items():
        enrich = _tags_enrich(kind)
        assert enrich is not None and kind.tags is not None and kind.arn is not None, name
        assert kind.tags.path == enrich.into, name
        assert not enrich.batch, name


def test_the_iam_policy_allows_it() -> None:
    assert "tag:GetResources" in policy_document()["Statement"][0]["Action"]


class _Answered:
    """A unit whose Tagging API answer is given (what ``UnitContext.tag_index`` returns)."""

    def __init__(self, index: dict[str, list[dict[str, str]]] | None) -> None:
        self.index = index

    def tag_index(self) -> dict[str, list[dict[str, str]]] | None:
        return self.index


SQS = BATCHED["aws_sqs_queue"]
ARN = "arn:aws:sqs:us-east-1:123456789012:"


def _queues(*names: str | None) -> list[dict[str, Any]]:
    return [{"_attrs": {"QueueArn": ARN + n} if n else {}} for n in names]


def test_an_answer_naming_one_item_gives_the_others_no_tags() -> None:
    enrich = _tags_enrich(SQS)
    assert enrich is not None
    items = _queues("a", "b")
    answer = _Answered({ARN + "a": [{"Key": "k", "Value": "v"}], ARN + "other": []})
    assert tags_from_index(cast(Any, answer), SQS, enrich, items)
    assert [i["_tags"] for i in items] == [{"k": "v"}, {}]  # SQS reads a map


@pytest.mark.parametrize(
    "answer, names",
    [
        pytest.param(None, ("a",), id="no answer (denied, failed, or re-reading one resource)"),
        pytest.param({ARN + "other": []}, ("a", "b"), id="names none of the items"),
        pytest.param({ARN + "a": []}, ("a", None), id="an item without an ARN"),
    ],
)
def test_otherwise_the_items_are_read_one_by_one(
    answer: dict[str, list[dict[str, str]]] | None, names: tuple[str | None, ...]
) -> None:
    enrich = _tags_enrich(SQS)
    assert enrich is not None
    items = _queues(*names)
    assert not tags_from_index(cast(Any, _Answered(answer)), SQS, enrich, items)
    assert all("_tags" not in i for i in items)


@pytest.mark.parametrize(
    "fmt, shaped",
    [
        ("map", {"k": "v"}),
        ("list", [{"Key": "k", "Value": "v"}]),
        ("kms", [{"TagKey": "k", "TagValue": "v"}]),
        ("lower", [{"key": "k", "value": "v"}]),
    ],
)
def test_answers_take_the_shape_the_kind_reads(fmt: TagFormat, shaped: Any) -> None:
    assert tags_as(fmt, [{"Key": "k", "Value": "v"}]) == shaped
    assert parse_tags(TagsAt("_tags", fmt=fmt), {"_tags": shaped}) == {"k": "v"}
