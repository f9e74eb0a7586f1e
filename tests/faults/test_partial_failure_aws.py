"""AWS: one denied or failing kind never empties or freezes its region (issue 16).

The real daemon, the core simulator, moto and the fault proxy in between, which answers one chosen
API with access denied or with HTTP 500 every time. Collect; delete a resource in moto; restart the
worker; deny one kind; collect: the denied kind's nodes are still in the core with
``metadata.stale`` and ``metadata.last_seen``, the deleted resource is gone, everything else is
there, and the failure reached the core as ``action_info``. Then a kind that answers 500 every
time: the same, at the cost of a few calls. Readable again: the marker is gone.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from coresim import ThreadedCoreSimulator

from faults.aws_proxy import AwsFaultProxy, FaultPlan
from faults.conftest import StartWorker
from faults.test_aws_throttling import moto_url

__all__ = ["moto_url"]

REGION = "us-east-1"
AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_EC2_METADATA_DISABLED": "true",
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
}
CONFIG = {"resotoworker": {"collector": ["aws"]}, "aws": {"region": [REGION]}}


@pytest.fixture
def proxy(moto_url: str) -> Iterator[AwsFaultProxy]:
    with AwsFaultProxy(moto_url) as running:
        yield running


def _client(moto_url: str, service: str) -> Any:
    return boto3.client(
        service,
        endpoint_url=moto_url,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def _ids(core: ThreadedCoreSimulator, kind: str) -> dict[str, dict[str, Any]]:
    return {n["reported"]["id"]: n for n in core.graph().by_kind(kind)}


def _collect(core: ThreadedCoreSimulator) -> str:
    task = core.send_action("collect")
    assert core.wait_for_reply(task, timeout=240)["kind"] == "action_done"
    return task


def _infos(core: ThreadedCoreSimulator, task: str, kind: str) -> list[dict[str, Any]]:
    return [i["data"] for i in core.infos(task) if kind in i["data"]["message"]]


def test_denied_and_failing_kinds_are_carried_forward_stale(
    core: ThreadedCoreSimulator, start_worker: StartWorker, proxy: AwsFaultProxy, moto_url: str
) -> None:
    ec2, sns, sqs = (_client(moto_url, s) for s in ("ec2", "sns", "sqs"))
    volumes = {ec2.create_volume(AvailabilityZone=f"{REGION}a", Size=s)["VolumeId"] for s in (1, 2)}
    topics = [sns.create_topic(Name=f"partial-{n}")["TopicArn"] for n in ("gone", "kept")]
    queues = {sqs.create_queue(QueueName=f"partial-{n}")["QueueUrl"] for n in ("a", "b")}
    env = {**AWS_ENV, "AWS_ENDPOINT_URL": proxy.url}

    worker = start_worker("w1", config=CONFIG, env=env)
    _collect(core)
    assert volumes <= set(_ids(core, "aws_ec2_volume"))
    assert set(topics) <= {n["reported"].get("arn") for n in core.graph().by_kind("aws_sns_topic")}
    region = core.graph().find("aws_region", REGION)
    assert region is not None
    read_at = region["metadata"]["exported_at"]
    before = {n["id"] for n in core.graph().nodes.values()}

    # the cloud changes; the worker restarts (nothing local survives) and may no longer read volumes
    sns.delete_topic(TopicArn=topics[0])
    worker.stop()
    proxy.set_plan(FaultPlan(operations={"ec2:DescribeVolumes": "denied"}))
    start_worker("w1", config=CONFIG, env=env)
    denied = _collect(core)
    held = _ids(core, "aws_ec2_volume")
    assert volumes <= set(held), "the denied kind's nodes stay"
    for vid in volumes:
        assert held[vid]["metadata"]["stale"] is True
        assert held[vid]["metadata"]["last_seen"] == read_at
    arns = {n["reported"].get("arn") for n in core.graph().by_kind("aws_sns_topic")}
    assert topics[0] not in arns, "the resource deleted in the cloud is gone"
    assert topics[1] in arns
    after = {n["id"] for n in core.graph().nodes.values()}
    gone = before - after
    assert len(gone) == 1, f"only the deleted topic left the core: {gone}"
    stale = {n["reported"]["kind"] for n in core.graph().nodes.values() if n["metadata"].get("stale")}
    # volume types are computed from the volumes: withheld with them, in the same report line
    assert stale == {"aws_ec2_volume", "aws_ec2_volume_type"}
    infos = _infos(core, denied, "aws_ec2_volume")
    assert len(infos) == 1 and infos[0]["level"] == "warning", infos
    assert "aws_ec2_volume_type" in infos[0]["message"]
    assert "UnauthorizedOperation" in infos[0]["message"] and "withheld" in infos[0]["message"]
    assert infos[0]["message"].startswith(f"[aws:123456789012:{REGION}]") and len(infos[0]["message"]) <= 500

    # volumes are readable again; listing queues answers 500 every time
    proxy.set_plan(FaultPlan(operations={"sqs:ListQueues": "server_error"}))
    proxy.reset_stats()
    failing = _collect(core)
    assert not any(n["metadata"].get("stale") for n in _ids(core, "aws_ec2_volume").values())
    held_queues = {
        n["reported"].get("url") or n["reported"]["id"]: n for n in core.graph().by_kind("aws_sqs_queue")
    }
    assert len(held_queues) >= len(queues)
    assert all(n["metadata"]["stale"] is True for n in held_queues.values())
    infos = _infos(core, failing, "aws_sqs_queue")
    assert len(infos) == 1 and infos[0]["level"] == "error", infos
    assert proxy.stats()["by_operation"]["sqs:ListQueues"] <= 3, "5xx retries are bounded"

    # everything readable: no marker left
    proxy.set_plan(FaultPlan())
    _collect(core)
    assert not any(n["metadata"].get("stale") for n in core.graph().nodes.values())
    assert len(_ids(core, "aws_sqs_queue")) == len(queues)
    assert core.violations == [] and core.errors == []
