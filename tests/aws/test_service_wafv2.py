"""WAFv2 web ACLs against moto: CloudFront-scoped ones collected in the global unit with their
details and tags; both scopes tagged, untagged and deleted with a fresh lock token.

moto does not implement ``ListResourcesForWebACL`` (HTTP 500), which the regional kind calls per
ACL for its load balancer and user pool edges: a collection of regional ACLs is covered by the
definitions check only (``check_resource`` of a regional ACL too); its tag and delete calls are
tested here.
"""

from __future__ import annotations

from typing import Any

from aws.support_aws import ACCOUNT, client, collect
from resoto_hookspecs import Location
from resoto_hookspecs.graph import node_id
from resoto_hookspecs.testing import PluginDriver
from resoto_plugin_aws import plugin
from resoto_plugin_aws.config import AwsConfig
from resoto_plugin_aws.convert import to_resource
from resoto_plugin_aws.registry import kind_of

REGION = "us-east-1"
CFG = AwsConfig(region=[REGION], collect=["aws_waf_cloudfront_web_acl"])
GLOBAL = Location("aws", ACCOUNT, "global")
HERE = Location("aws", ACCOUNT, REGION)
VISIBILITY = {"SampledRequestsEnabled": False, "CloudWatchMetricsEnabled": False, "MetricName": "m"}


def create(scope: str, name: str, tags: list[dict[str, str]]) -> dict[str, Any]:
    rule = {
        "Name": "block-bad-ips",
        "Priority": 0,
        "Statement": {
            "ManagedRuleGroupStatement": {
                "VendorName": "AWS",
                "Name": "AWSManagedRulesAmazonIpReputationList",
            }
        },
        "OverrideAction": {"None": {}},
        "VisibilityConfig": VISIBILITY,
    }
    summary: dict[str, Any] = client("wafv2").create_web_acl(
        Name=name,
        Scope=scope,
        DefaultAction={"Allow": {}},
        Description=f"{name} acl",
        Rules=[rule],
        VisibilityConfig=VISIBILITY,
        Tags=tags,
    )["Summary"]
    return summary


def tags(arn: str) -> dict[str, str]:
    answer = client("wafv2").list_tags_for_resource(ResourceARN=arn)
    return {t["Key"]: t["Value"] for t in answer["TagInfoForResource"]["TagList"]}


def test_cloudfront_acls_are_collected_in_the_global_unit(moto: str) -> None:
    edge = create("CLOUDFRONT", "edge", [{"Key": "team", "Value": "cdn"}])
    result = collect(CFG)
    assert not result.failures
    assert not result.reporter.errors
    acls = result.by_id("aws_waf_cloudfront_web_acl")
    assert set(acls) == {edge["Id"]}
    acl = acls[edge["Id"]]
    assert acl["name"] == "edge"
    assert acl["arn"] == edge["ARN"]
    assert acl["tags"] == {"team": "cdn"}
    assert acl["scope"] == "CLOUDFRONT"
    assert acl["default_action"] == "Allow"
    assert acl["rule_names"] == ["block-bad-ips"]
    assert acl["description"] == "edge acl"
    nid = result.nid("aws_waf_cloudfront_web_acl", edge["Id"])
    assert nid == node_id("aws_waf_cloudfront_web_acl", "aws", ACCOUNT, "global", edge["Id"])
    kind = kind_of("aws_waf_cloudfront_web_acl")
    regional = kind_of("aws_waf_web_acl")
    assert kind is not None and regional is not None and issubclass(kind.cls, regional.cls)


def _regional(summary: dict[str, Any]) -> Any:
    kind = kind_of("aws_waf_web_acl")
    assert kind is not None
    item = {**summary, "_scope": "REGIONAL"}
    found = to_resource(kind, item, "aws", REGION, ACCOUNT)
    assert found is not None
    return found


def test_tag_untag_and_delete_both_scopes(moto: str) -> None:
    edge = create("CLOUDFRONT", "edge", [{"Key": "team", "Value": "cdn"}])
    result = collect(CFG)
    reported = dict(result.by_id("aws_waf_cloudfront_web_acl")[edge["Id"]])
    reported.pop("kind")
    kind = kind_of("aws_waf_cloudfront_web_acl")
    assert kind is not None
    acl = kind.cls.model_validate(reported)
    PluginDriver(plugin, CFG).update_tag(resource=acl, location=GLOBAL, key="owner", value="ana")
    PluginDriver(plugin, CFG).delete_tag(resource=acl, location=GLOBAL, key="team")
    assert tags(edge["ARN"]) == {"owner": "ana"}
    # the tag change moved the lock token on: delete reads the current one
    assert PluginDriver(plugin, CFG).check_resource(resource=acl, location=GLOBAL) is not None
    PluginDriver(plugin, CFG).delete_resource(resource=acl, location=GLOBAL)
    assert client("wafv2").list_web_acls(Scope="CLOUDFRONT")["WebACLs"] == []

    app = create("REGIONAL", "app", [{"Key": "team", "Value": "web"}])
    regional = _regional(app)
    PluginDriver(plugin, CFG).update_tag(resource=regional, location=HERE, key="owner", value="bo")
    assert tags(app["ARN"]) == {"team": "web", "owner": "bo"}
    client("wafv2").update_web_acl(
        Name="app",
        Scope="REGIONAL",
        Id=app["Id"],
        LockToken=client("wafv2").get_web_acl(Name="app", Scope="REGIONAL", Id=app["Id"])["LockToken"],
        DefaultAction={"Block": {}},
        VisibilityConfig=VISIBILITY,
    )
    PluginDriver(plugin, CFG).delete_resource(resource=regional, location=HERE)
    assert client("wafv2").list_web_acls(Scope="REGIONAL")["WebACLs"] == []
    assert PluginDriver(plugin, CFG).check_resource(resource=acl, location=GLOBAL) is None
