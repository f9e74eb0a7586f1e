"""ACM certificates and the API Gateway domain names that use them, against moto: collected with
tags and the certificate -> domain edge, tagged, untagged and deleted.

moto keeps no tags on API Gateway domain names (``TagResource`` on their ARN answers 404), so their
tags are read from, and their tag calls sent to, an HTTP fake of API Gateway.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from aws.fake_service import FakeService, serving
from aws.support_aws import ACCOUNT, Collected, client, collect
from resoto_hookspecs import Location
from resoto_hookspecs.testing import PluginDriver
from resoto_plugin_aws import plugin
from resoto_plugin_aws.config import AwsConfig

REGION = "us-east-1"
CFG = AwsConfig(region=[REGION], collect=["aws_acm_certificate", "aws_apigateway_domain_name"])
HERE = Location("aws", ACCOUNT, REGION)
DOMAIN = "api.example.com"


@pytest.fixture()
def seeded(moto: str) -> tuple[Collected, str]:
    acm = client("acm")
    cert = acm.request_certificate(
        DomainName="example.com", SubjectAlternativeNames=[DOMAIN], Tags=[{"Key": "owner", "Value": "tests"}]
    )["CertificateArn"]
    client("apigateway").create_domain_name(
        domainName=DOMAIN, regionalCertificateArn=cert, endpointConfiguration={"types": ["REGIONAL"]}
    )
    result = collect(CFG)
    assert not result.failures and result.reporter.errors == []
    return result, cert


def test_certificate_and_domain_collected(seeded: tuple[Collected, str]) -> None:
    result, cert = seeded
    cert_id = cert.rsplit("/", 1)[-1]
    found = result.by_id("aws_acm_certificate")[cert_id]
    assert found["arn"] == cert and found["name"] == "example.com"
    assert found["tags"] == {"owner": "tests"}
    assert (
        found["certificate_status"] == "PENDING_VALIDATION" and found["certificate_type"] == "AMAZON_ISSUED"
    )
    domain = result.by_id("aws_apigateway_domain_name")[DOMAIN]
    assert domain["arn"] == f"arn:aws:apigateway:{REGION}::/domainnames/{DOMAIN}"
    assert domain["endpoint_types"] == ["REGIONAL"] and domain["regional_certificate_arn"] == cert
    assert result.edge(
        result.nid("aws_acm_certificate", cert_id), result.nid("aws_apigateway_domain_name", DOMAIN)
    )


def test_certificate_tag_untag_delete(seeded: tuple[Collected, str]) -> None:
    result, cert = seeded
    res = result.resource("aws_acm_certificate", cert.rsplit("/", 1)[-1])
    PluginDriver(plugin, CFG).update_tag(resource=res, location=HERE, key="team", value="web")
    PluginDriver(plugin, CFG).delete_tag(resource=res, location=HERE, key="owner")
    assert client("acm").list_tags_for_certificate(CertificateArn=cert)["Tags"] == [
        {"Key": "team", "Value": "web"}
    ]
    current = PluginDriver(plugin, CFG).check_resource(resource=res, location=HERE)
    assert current is not None and current.tags == {"team": "web"}
    PluginDriver(plugin, CFG).delete_resource(resource=res, location=HERE)
    assert PluginDriver(plugin, CFG).check_resource(resource=res, location=HERE) is None


def test_domain_delete(seeded: tuple[Collected, str]) -> None:
    result, _ = seeded
    res = result.resource("aws_apigateway_domain_name", DOMAIN)
    PluginDriver(plugin, CFG).delete_resource(resource=res, location=HERE)
    assert PluginDriver(plugin, CFG).check_resource(resource=res, location=HERE) is None
    assert client("apigateway").get_domain_names()["items"] == []


@pytest.fixture()
def fake_apigateway(moto: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeService]:
    item = {
        "domainName": DOMAIN,
        "certificateUploadDate": datetime(2024, 1, 2, tzinfo=UTC),
        "domainNameStatus": "AVAILABLE",
        "tags": {"owner": "tests"},
    }
    answers = {"GetDomainNames": {"items": [item]}, "TagResource": {}, "UntagResource": {}}
    with serving(monkeypatch, "apigateway", answers) as fake:
        yield fake


def test_domain_tags_read_and_changed(fake_apigateway: FakeService) -> None:
    result = collect(AwsConfig(region=[REGION], collect=["aws_apigateway_domain_name"]))
    assert not result.failures and result.reporter.errors == []
    found = result.by_id("aws_apigateway_domain_name")[DOMAIN]
    assert found["tags"] == {"owner": "tests"} and found["domain_name_status"] == "AVAILABLE"
    res = result.resource("aws_apigateway_domain_name", DOMAIN)
    PluginDriver(plugin, CFG).update_tag(resource=res, location=HERE, key="team", value="web")
    PluginDriver(plugin, CFG).delete_tag(resource=res, location=HERE, key="owner")
    arn_path = f"/tags/arn:aws:apigateway:{REGION}::/domainnames/{DOMAIN}"
    (tagged,) = fake_apigateway.calls("TagResource")
    assert tagged["_path"] == arn_path and tagged["tags"] == {"team": "web"}
    (untagged,) = fake_apigateway.calls("UntagResource")
    assert untagged["_path"] == arn_path and untagged["_query"] == "tagKeys=owner"
