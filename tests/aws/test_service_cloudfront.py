"""CloudFront against moto (global unit): distributions with tags and edges to their function,
S3 bucket (moto drops function associations and origin access control ids, so those edges are
not seen); functions, public keys, origin access controls; tag, delete.

moto has no cache/origin-request/response-headers policies, field-level encryption configs and
profiles or real-time log configs (404): those kinds are covered by the definitions check only.
"""

from __future__ import annotations

from typing import Any

from aws.support_aws import ACCOUNT, Collected, client, collect
from resoto_hookspecs import Location
from resoto_hookspecs.graph import node_id
from resoto_hookspecs.testing import PluginDriver
from resoto_plugin_aws import plugin
from resoto_plugin_aws.config import AwsConfig
from resoto_plugin_aws.registry import kind_of
from resoto_plugin_aws.spec import search

CFG = AwsConfig(
    region=["us-east-1"],
    collect=[
        "aws_cloudfront_distribution",
        "aws_cloudfront_function",
        "aws_cloudfront_public_key",
        "aws_cloudfront_origin_access_control",
        "aws_s3_bucket",
    ],
)
GLOBAL = Location("aws", ACCOUNT, "global")
PEM = (
    "-----BEGIN PUBLIC KEY-----\n"
    "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo\n"
    "-----END PUBLIC KEY-----\n"
)


def seed() -> dict[str, str]:
    client("s3").create_bucket(Bucket="site-assets")
    cf = client("cloudfront")
    fn = cf.create_function(
        Name="rewrite",
        FunctionConfig={"Comment": "rewrite urls", "Runtime": "cloudfront-js-2.0"},
        FunctionCode=b"function handler(event) { return event.request; }",
    )["FunctionSummary"]
    oac = cf.create_origin_access_control(
        OriginAccessControlConfig={
            "Name": "assets-oac",
            "SigningProtocol": "sigv4",
            "SigningBehavior": "always",
            "OriginAccessControlOriginType": "s3",
        }
    )["OriginAccessControl"]["Id"]
    key = cf.create_public_key(
        PublicKeyConfig={"CallerReference": "k1", "Name": "signer", "EncodedKey": PEM, "Comment": "signing"}
    )["PublicKey"]["Id"]
    config = {
        "CallerReference": "d1",
        "Comment": "site",
        "Enabled": True,
        "Origins": {
            "Quantity": 1,
            "Items": [
                {
                    "Id": "assets",
                    "DomainName": "site-assets.s3.us-east-1.amazonaws.com",
                    "S3OriginConfig": {"OriginAccessIdentity": ""},
                    "OriginAccessControlId": oac,
                }
            ],
        },
        "DefaultCacheBehavior": {
            "TargetOriginId": "assets",
            "ViewerProtocolPolicy": "redirect-to-https",
            "MinTTL": 0,
            "FunctionAssociations": {
                "Quantity": 1,
                "Items": [
                    {"FunctionARN": fn["FunctionMetadata"]["FunctionARN"], "EventType": "viewer-request"}
                ],
            },
        },
    }
    dist = cf.create_distribution_with_tags(
        DistributionConfigWithTags={
            "DistributionConfig": config,
            "Tags": {"Items": [{"Key": "team", "Value": "web"}]},
        }
    )["Distribution"]
    return {"dist": dist["Id"], "dist_arn": dist["ARN"], "oac": oac, "key": key}


def resource(result: Collected, kind: str, rid: str) -> Any:
    reported = dict(result.by_id(kind)[rid])
    reported.pop("kind")
    found = kind_of(kind)
    assert found is not None
    return found.cls.model_validate(reported)


def tags(arn: str) -> dict[str, str]:
    items = client("cloudfront").list_tags_for_resource(Resource=arn)["Tags"].get("Items") or []
    return {t["Key"]: t["Value"] for t in items}


def test_distribution_and_parts_are_collected_globally(moto: str) -> None:
    ids = seed()
    result = collect(CFG)
    assert not result.failures
    assert not result.reporter.errors
    dists = result.by_id("aws_cloudfront_distribution")
    assert set(dists) == {ids["dist"]}
    dist = dists[ids["dist"]]
    assert dist["tags"] == {"team": "web"}
    assert dist["arn"] == ids["dist_arn"]
    assert dist["enabled"] is True
    assert dist["comment"] == "site"
    assert dist["origin_domains"] == ["site-assets.s3.us-east-1.amazonaws.com"]
    assert dist["domain_name"].endswith(".cloudfront.net")
    functions = result.by_id("aws_cloudfront_function")
    assert set(functions) == {"rewrite"}
    assert functions["rewrite"]["runtime"] == "cloudfront-js-2.0"
    assert functions["rewrite"]["comment"] == "rewrite urls"
    keys = result.by_id("aws_cloudfront_public_key")
    assert keys[ids["key"]]["name"] == "signer"
    oacs = result.by_id("aws_cloudfront_origin_access_control")
    assert oacs[ids["oac"]]["signing_behavior"] == "always"

    dist_nid = result.nid("aws_cloudfront_distribution", ids["dist"])
    assert dist_nid == node_id("aws_cloudfront_distribution", "aws", ACCOUNT, "global", ids["dist"])
    # moto drops function associations and origin access control ids from what it stores,
    # so those edges are not seen here (their paths are checked against botocore's model)
    assert result.edge(dist_nid, result.nid("aws_s3_bucket", "site-assets"))
    assert result.reporter.calls[("cloudfront", "ListTagsForResource")] == 1


def test_tag_untag_and_delete(moto: str) -> None:
    ids = seed()
    result = collect(CFG)
    cf = client("cloudfront")
    dist = resource(result, "aws_cloudfront_distribution", ids["dist"])
    PluginDriver(plugin, CFG).update_tag(resource=dist, location=GLOBAL, key="owner", value="ana")
    PluginDriver(plugin, CFG).delete_tag(resource=dist, location=GLOBAL, key="team")
    assert tags(ids["dist_arn"]) == {"owner": "ana"}
    assert PluginDriver(plugin, CFG).check_resource(resource=dist, location=GLOBAL) is not None
    PluginDriver(plugin, CFG).pre_cleanup(resource=dist, location=GLOBAL)
    assert cf.get_distribution_config(Id=ids["dist"])["DistributionConfig"]["Enabled"] is False
    PluginDriver(plugin, CFG).delete_resource(resource=dist, location=GLOBAL)
    assert cf.list_distributions()["DistributionList"].get("Items", []) == []
    assert PluginDriver(plugin, CFG).check_resource(resource=dist, location=GLOBAL) is None

    for kind, rid in [
        ("aws_cloudfront_function", "rewrite"),
        ("aws_cloudfront_origin_access_control", ids["oac"]),
        ("aws_cloudfront_public_key", ids["key"]),
    ]:
        PluginDriver(plugin, CFG).delete_resource(resource=resource(result, kind, rid), location=GLOBAL)
    assert cf.list_functions()["FunctionList"].get("Items", []) == []
    assert cf.list_origin_access_controls()["OriginAccessControlList"].get("Items", []) == []
    assert cf.list_public_keys()["PublicKeyList"].get("Items", []) == []


def test_references_of_a_distribution_summary() -> None:
    """What moto drops: the ids a real ListDistributions summary names, per link of the definition."""
    kind = kind_of("aws_cloudfront_distribution")
    assert kind is not None
    fn_arn = f"arn:aws:cloudfront::{ACCOUNT}:function/rewrite"
    item = {
        "Origins": {"Items": [{"DomainName": "logs.s3.amazonaws.com", "OriginAccessControlId": "E2OAC"}]},
        "DefaultCacheBehavior": {
            "CachePolicyId": "cp-1",
            "FunctionAssociations": {"Items": [{"FunctionARN": fn_arn, "EventType": "viewer-request"}]},
            "RealtimeLogConfigArn": f"arn:aws:cloudfront::{ACCOUNT}:realtime-log-config/rt",
        },
        "CacheBehaviors": {"Items": [{"CachePolicyId": "cp-2", "FieldLevelEncryptionId": "fle-1"}]},
        "WebACLId": f"arn:aws:wafv2:us-east-1:{ACCOUNT}:global/webacl/edge/acl-1",
    }
    found: dict[str, Any] = {}
    for link in kind.links:
        value = link.path(item) if callable(link.path) else None
        if value is None:
            value = search(str(link.path), item)
        values = value if isinstance(value, list) else [value]
        found[link.kind] = sorted(link.to_id(v) if link.to_id else v for v in values if v)
    assert found["aws_cloudfront_cache_policy"] == ["cp-1", "cp-2"]
    assert found["aws_cloudfront_function"] == ["rewrite"]
    assert found["aws_cloudfront_realtime_log_config"] == ["rt"]
    assert found["aws_cloudfront_field_level_encryption_config"] == ["fle-1"]
    assert found["aws_cloudfront_origin_access_control"] == ["E2OAC"]
    assert found["aws_waf_cloudfront_web_acl"] == ["acl-1"]
    assert found["aws_s3_bucket"] == ["logs"]
