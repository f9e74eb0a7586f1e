"""Cleanup and tagging call AWS the way collection does: every request waits on the (account,
region, service) limiter that collection uses, and is counted.

The limiter is held by the test (every permit taken), so a hook that goes through it cannot reach
moto until the test lets go; a hook that called its client directly would be done at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from aws.support_aws import ACCOUNT, client
from resoto_hookspecs import Location, ResourceGone
from resoto_hookspecs.testing import PluginDriver
from resoto_plugin_aws import plugin
from resoto_plugin_aws.calls import ACTION_CALLS
from resoto_plugin_aws.config import AwsConfig
from resoto_plugin_aws.registry import kind_of
from resoto_plugin_aws.sessions import limiter

REGION = "us-east-1"
CFG = AwsConfig(region=[REGION], max_concurrent_calls=1)
HERE = Location("aws", ACCOUNT, REGION)
HOLD = 0.6
"""Seconds the test holds the limiter."""


def vpc_resource(vpc_id: str) -> Any:
    kind = kind_of("aws_vpc")
    assert kind is not None
    return kind.cls.model_validate({"id": vpc_id, "name": vpc_id, "tags": {}})


def warmed_up(driver: PluginDriver, vpc_id: str) -> Any:
    """The VPC's resource, after one untimed hook call: account discovery, the kind definitions and
    the clients are ready, so what the test measures is the wait on the limiter alone."""
    resource = vpc_resource(vpc_id)
    found = driver.check_resource(resource=resource, location=HERE)
    assert found is not None and found.id == vpc_id
    return resource


def vpc_ids() -> set[str]:
    return {v["VpcId"] for v in client("ec2").describe_vpcs()["Vpcs"]}  # the test's own client: no limiter


@contextmanager
def limiter_held(service: str) -> Iterator[None]:
    """Take every permit of the plugin's limiter of (account, region, service) while inside."""
    sem = limiter(ACCOUNT, REGION, service, CFG.max_concurrent_calls)
    held = 0
    while sem.acquire(blocking=False):
        held += 1
    assert held >= 1
    try:
        yield
    finally:
        for _ in range(held):
            sem.release()


def started(hook: Callable[[], None]) -> tuple[threading.Thread, list[BaseException], list[float]]:
    """Run a hook in a thread (as the kernel's cleanup pool does); errors and the end time are kept."""
    errors: list[BaseException] = []
    ended: list[float] = []

    def run() -> None:
        try:
            hook()
        except BaseException as e:
            errors.append(e)
        ended.append(time.monotonic())

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, errors, ended


def test_delete_resource_waits_on_the_limiter_and_counts_its_call(moto: str) -> None:
    doomed = client("ec2").create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    driver = PluginDriver(plugin, CFG)
    resource = warmed_up(driver, doomed)
    before = ACTION_CALLS.calls[("ec2", "DeleteVpc")]

    with limiter_held("ec2"):
        released_at = time.monotonic() + HOLD
        thread, errors, ended = started(lambda: driver.delete_resource(resource=resource, location=HERE))
        thread.join(HOLD)
        assert thread.is_alive(), f"delete_resource did not wait on the limiter: {errors}"
        assert doomed in vpc_ids()  # nothing reached AWS yet
        assert ACTION_CALLS.calls[("ec2", "DeleteVpc")] == before
    thread.join(30)
    assert not thread.is_alive() and errors == []
    assert ended[0] >= released_at - 0.05
    assert doomed not in vpc_ids()
    assert ACTION_CALLS.calls[("ec2", "DeleteVpc")] == before + 1

    # a failed call is counted too, with its error code
    failed = ACTION_CALLS.call_errors[("ec2", "InvalidVpcID.NotFound")]
    with pytest.raises(ResourceGone):
        driver.delete_resource(resource=resource, location=HERE)
    assert ACTION_CALLS.calls[("ec2", "DeleteVpc")] == before + 2
    assert ACTION_CALLS.call_errors[("ec2", "InvalidVpcID.NotFound")] == failed + 1


def test_tagging_waits_on_the_limiter_and_counts_its_calls(moto: str) -> None:
    ec2 = client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.8.0.0/16")["Vpc"]["VpcId"]
    driver = PluginDriver(plugin, CFG)
    resource = warmed_up(driver, vpc)
    tagged = ACTION_CALLS.calls[("ec2", "CreateTags")]
    untagged = ACTION_CALLS.calls[("ec2", "DeleteTags")]

    def tags() -> dict[str, str]:
        answer = ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [vpc]}])
        return {t["Key"]: t["Value"] for t in answer["Tags"]}

    with limiter_held("ec2"):
        thread, errors, _ = started(
            lambda: driver.update_tag(resource=resource, location=HERE, key="owner", value="ops")
        )
        thread.join(HOLD)
        assert thread.is_alive(), f"update_tag did not wait on the limiter: {errors}"
        assert tags() == {}
    thread.join(30)
    assert errors == [] and tags() == {"owner": "ops"}
    driver.delete_tag(resource=resource, location=HERE, key="owner")
    assert tags() == {}
    assert ACTION_CALLS.calls[("ec2", "CreateTags")] == tagged + 1
    assert ACTION_CALLS.calls[("ec2", "DeleteTags")] == untagged + 1
