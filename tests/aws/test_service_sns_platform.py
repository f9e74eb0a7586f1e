"""SNS platform applications and endpoints against moto: collected with attributes and edges (an
endpoint goes before its application), both deleted. Neither has tags in SNS."""

from __future__ import annotations

from typing import Any

from aws.support_aws import ACCOUNT, Collected, client, collect, delete_order
from resoto_hookspecs import Location
from resoto_hookspecs.testing import PluginDriver
from resoto_plugin_aws import plugin
from resoto_plugin_aws.config import AwsConfig
from resoto_plugin_aws.registry import kind_of

REGION = "us-east-1"
CFG = AwsConfig(region=[REGION], collect=["aws_sns_*"])
HERE = Location("aws", ACCOUNT, REGION)


def resource(result: Collected, kind: str, rid: str) -> Any:
    reported = dict(result.by_id(kind)[rid])
    reported.pop("kind")
    found = kind_of(kind)
    assert found is not None
    return found.cls.model_validate(reported)


def test_platform_applications_and_endpoints(moto: str) -> None:
    sns = client("sns")
    topic = sns.create_topic(Name="push-events")["TopicArn"]
    app = sns.create_platform_application(
        Name="mobile", Platform="GCM", Attributes={"PlatformCredential": "key", "EventEndpointCreated": topic}
    )["PlatformApplicationArn"]
    endpoint = sns.create_platform_endpoint(
        PlatformApplicationArn=app, Token="device-token-1", CustomUserData="user-42"
    )["EndpointArn"]

    result = collect(CFG)
    assert not result.failures and result.reporter.errors == []
    found = result.by_id("aws_sns_platform_application")[app]
    assert (found["name"], found["platform"], found["event_endpoint_created"]) == ("mobile", "GCM", topic)
    ep = result.by_id("aws_sns_endpoint")[endpoint]
    assert ep["platform_application_arn"] == app and ep["enabled"] is True
    a = result.nid("aws_sns_platform_application", app)
    e = result.nid("aws_sns_endpoint", endpoint)
    t = result.nid("aws_sns_topic", topic)
    assert result.edge(a, e) and result.edge(a, e, "delete") and result.edge(a, t)
    assert delete_order({a, e}, result.sink.edges) == [e, a]

    for kind, rid in [("aws_sns_endpoint", endpoint), ("aws_sns_platform_application", app)]:
        PluginDriver(plugin, CFG).delete_resource(resource=resource(result, kind, rid), location=HERE)
    assert sns.list_platform_applications()["PlatformApplications"] == []
