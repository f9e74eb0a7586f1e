"""Elastic Beanstalk applications against moto: collected with their fields; deleted.

moto implements neither ``DescribeEnvironmentResources`` (HTTP 500) nor ``TerminateEnvironment``:
``aws_beanstalk_environment`` is covered by the definitions check only; moto keeps no tags on
applications (its ``UpdateTagsForResource`` knows environments only), so application tagging is too.
"""

from __future__ import annotations

from typing import Any

from aws.support_aws import ACCOUNT, Collected, client, collect
from resoto_hookspecs import Location
from resoto_hookspecs.testing import PluginDriver
from resoto_plugin_aws import plugin
from resoto_plugin_aws.config import AwsConfig
from resoto_plugin_aws.registry import kind_of

REGION = "us-east-1"
CFG = AwsConfig(region=[REGION], collect=["aws_beanstalk_application"])
HERE = Location("aws", ACCOUNT, REGION)


def seed() -> None:
    eb = client("elasticbeanstalk")
    eb.create_application(
        ApplicationName="shop", Description="the shop", Tags=[{"Key": "team", "Value": "web"}]
    )
    eb.create_application(ApplicationName="blog")


def resource(result: Collected, kind: str, rid: str) -> Any:
    reported = dict(result.by_id(kind)[rid])
    reported.pop("kind")
    found = kind_of(kind)
    assert found is not None
    return found.cls.model_validate(reported)


def test_applications_are_collected(moto: str) -> None:
    seed()
    result = collect(CFG)
    assert not result.failures
    assert not result.reporter.errors
    apps = result.by_id("aws_beanstalk_application")
    assert set(apps) == {"shop", "blog"}
    shop = apps["shop"]
    assert shop["arn"] == f"arn:aws:elasticbeanstalk:{REGION}:{ACCOUNT}:application/shop"
    assert shop["name"] == "shop"
    assert result.reporter.calls[("elasticbeanstalk", "ListTagsForResource")] == 2


def test_delete(moto: str) -> None:
    seed()
    result = collect(CFG)
    app = resource(result, "aws_beanstalk_application", "shop")
    assert PluginDriver(plugin, CFG).check_resource(resource=app, location=HERE) is not None
    PluginDriver(plugin, CFG).delete_resource(resource=app, location=HERE)
    names = [a["ApplicationName"] for a in client("elasticbeanstalk").describe_applications()["Applications"]]
    assert names == ["blog"]
    assert PluginDriver(plugin, CFG).check_resource(resource=app, location=HERE) is None
