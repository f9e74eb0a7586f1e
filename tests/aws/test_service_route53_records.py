"""Route 53 records (one node per value of a record set, alias targets included) against moto:
hung below their record set, carrying the set's name, type and TTL; neither deletable nor taggable."""

from __future__ import annotations

import pytest
from aws.support_aws import ACCOUNT, Collected, client, collect
from resoto_hookspecs import Location, NotSupported
from resoto_hookspecs.testing import PluginDriver
from resoto_plugin_aws import plugin
from resoto_plugin_aws.config import AwsConfig

CFG = AwsConfig(region=["us-east-1"], collect=["aws_route53_*"])
HERE = Location("aws", ACCOUNT, "global")


@pytest.fixture()
def zone(moto: str) -> Collected:
    r53 = client("route53")
    zone_id = r53.create_hosted_zone(Name="example.com", CallerReference="t")["HostedZone"]["Id"]
    changes = [
        {
            "Action": "CREATE",
            "ResourceRecordSet": {
                "Name": "www.example.com",
                "Type": "A",
                "TTL": 60,
                "ResourceRecords": [{"Value": "192.0.2.1"}, {"Value": "192.0.2.2"}],
            },
        },
        {
            "Action": "CREATE",
            "ResourceRecordSet": {
                "Name": "cdn.example.com",
                "Type": "A",
                "AliasTarget": {
                    "HostedZoneId": "Z2FDTNDATAQYW2",
                    "DNSName": "d111111abcdef8.cloudfront.net",
                    "EvaluateTargetHealth": False,
                },
            },
        },
    ]
    r53.change_resource_record_sets(HostedZoneId=zone_id, ChangeBatch={"Changes": changes})
    result = collect(CFG)
    assert not result.failures and result.reporter.errors == []
    return result


def test_one_record_per_value_below_its_set(zone: Collected) -> None:
    records = zone.by_id("aws_route53_resource_record")
    www = {rid: r for rid, r in records.items() if r["record_name"] == "www.example.com."}
    assert sorted(r["record_value"] for r in www.values()) == ["192.0.2.1", "192.0.2.2"]
    for rid, rec in www.items():
        assert (
            rec["record_type"] == "A"
            and rec["record_ttl"] == 60
            and rec["record_data"] == rec["record_value"]
        )
        assert zone.edge(
            zone.nid("aws_route53_resource_record_set", "www.example.com./A"),
            zone.nid("aws_route53_resource_record", rid),
        )
    (alias,) = [r for r in records.values() if r["record_name"] == "cdn.example.com."]
    assert alias["record_value"] == "d111111abcdef8.cloudfront.net"
    # the zone's own SOA and NS sets have records too
    assert {r["record_type"] for r in records.values()} >= {"SOA", "NS", "A"}


def test_records_are_neither_deleted_nor_tagged(zone: Collected) -> None:
    rid = next(iter(zone.by_id("aws_route53_resource_record")))
    res = zone.resource("aws_route53_resource_record", rid)
    with pytest.raises(NotSupported, match="cannot be deleted"):
        PluginDriver(plugin, CFG).delete_resource(resource=res, location=HERE)
    with pytest.raises(NotSupported, match="has no tags"):
        PluginDriver(plugin, CFG).update_tag(resource=res, location=HERE, key="k", value="v")
