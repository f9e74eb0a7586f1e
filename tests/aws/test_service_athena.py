"""Athena work groups and data catalogs: collected with fields, tags and edges; tag, delete.

Since botocore 1.44 Athena speaks rest-json (``GET /workgroups``), which moto does not serve (it
answers only Athena's former JSON-RPC ``POST /``). Athena is therefore read from an HTTP fake built on
botocore's own Athena model (``fakes/aws/restjson.py``: requests routed and decoded by the model, every
answer validated against the operation's output shape), reached by the real client through
``AWS_ENDPOINT_URL_ATHENA``; S3 and KMS, which the edges point to, come from moto.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from aws.support_aws import ACCOUNT, Collected, client, collect
from fakes.aws.athena import AthenaBackend
from fakes.aws.restjson import RestJsonFake
from resoto_hookspecs import Location, NotSupported
from resoto_hookspecs.testing import PluginDriver
from resoto_plugin_aws import plugin
from resoto_plugin_aws.config import AwsConfig
from resoto_plugin_aws.registry import kind_of

REGION = "us-east-1"
CFG = AwsConfig(region=[REGION], collect=["aws_athena_*", "aws_s3_bucket", "aws_kms_key"])
HERE = Location("aws", ACCOUNT, REGION)


@pytest.fixture()
def athena(moto: str) -> Iterator[RestJsonFake]:
    fake = AthenaBackend(ACCOUNT, REGION).fake()
    with fake.serve() as url:
        saved = os.environ.get("AWS_ENDPOINT_URL_ATHENA")
        os.environ["AWS_ENDPOINT_URL_ATHENA"] = url
        try:
            yield fake
        finally:
            if saved is None:
                os.environ.pop("AWS_ENDPOINT_URL_ATHENA", None)
            else:
                os.environ["AWS_ENDPOINT_URL_ATHENA"] = saved
    assert not fake.invalid, f"the fake produced bodies AWS could not send: {fake.invalid}"


def seed() -> dict[str, str]:
    client("s3").create_bucket(Bucket="athena-results")
    key = client("kms").create_key(Description="athena")["KeyMetadata"]
    athena = client("athena")
    athena.create_work_group(
        Name="analysts",
        Description="ad-hoc queries",
        Configuration={
            "ResultConfiguration": {
                "OutputLocation": "s3://athena-results/analysts/",
                "EncryptionConfiguration": {"EncryptionOption": "SSE_KMS", "KmsKey": key["Arn"]},
            },
            "EnforceWorkGroupConfiguration": True,
            "BytesScannedCutoffPerQuery": 10_000_000,
        },
        Tags=[{"Key": "team", "Value": "data"}, {"Key": "Name", "Value": "analysts"}],
    )
    athena.create_data_catalog(
        Name="sales",
        Type="HIVE",
        Description="sales metastore",
        Parameters={"metadata-function": "arn:aws:lambda:us-east-1:123456789012:function:hive"},
        Tags=[{"Key": "team", "Value": "sales"}],
    )
    return {"key": key["KeyId"]}


def resource(result: Collected, kind: str, rid: str) -> Any:
    reported = dict(result.by_id(kind)[rid])
    reported.pop("kind")
    found = kind_of(kind)
    assert found is not None
    return found.cls.model_validate(reported)


def athena_tags(arn: str) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in client("athena").list_tags_for_resource(ResourceARN=arn)["Tags"]}


def test_work_groups_and_catalogs_are_collected(athena: RestJsonFake) -> None:
    ids = seed()
    result = collect(CFG)
    assert not result.failures
    assert not result.reporter.errors
    groups = result.by_id("aws_athena_work_group")
    assert "analysts" in groups
    wg = groups["analysts"]
    assert wg["tags"] == {"team": "data", "Name": "analysts"}
    assert wg["arn"] == f"arn:aws:athena:{REGION}:{ACCOUNT}:workgroup/analysts"
    assert wg["description"] == "ad-hoc queries"
    assert wg["output_location"] == "s3://athena-results/analysts/"
    assert wg["encryption_option"] == "SSE_KMS"
    assert wg["enforce_work_group_configuration"] is True
    assert wg["bytes_scanned_cutoff_per_query"] == 10_000_000
    catalogs = result.by_id("aws_athena_data_catalog")
    assert set(catalogs) == {"sales"}, "the built-in AwsDataCatalog is left out"
    assert catalogs["sales"]["catalog_type"] == "HIVE"
    assert catalogs["sales"]["tags"] == {"team": "sales"}
    assert catalogs["sales"]["description"] == "sales metastore"
    wg_nid = result.nid("aws_athena_work_group", "analysts")
    assert result.edge(wg_nid, result.nid("aws_s3_bucket", "athena-results"))
    assert result.edge(wg_nid, result.nid("aws_kms_key", ids["key"]))
    assert result.reporter.calls[("athena", "ListTagsForResource")] >= 2


def test_tag_untag_and_delete(athena: RestJsonFake) -> None:
    seed()
    result = collect(CFG)
    wg = resource(result, "aws_athena_work_group", "analysts")
    catalog = resource(result, "aws_athena_data_catalog", "sales")
    PluginDriver(plugin, CFG).update_tag(resource=wg, location=HERE, key="owner", value="ana")
    PluginDriver(plugin, CFG).delete_tag(resource=wg, location=HERE, key="team")
    assert athena_tags(wg.arn) == {"Name": "analysts", "owner": "ana"}
    PluginDriver(plugin, CFG).update_tag(resource=catalog, location=HERE, key="tier", value="gold")
    assert athena_tags(catalog.arn) == {"team": "sales", "tier": "gold"}

    PluginDriver(plugin, CFG).delete_resource(resource=wg, location=HERE)
    assert "analysts" not in [g["Name"] for g in client("athena").list_work_groups()["WorkGroups"]]
    PluginDriver(plugin, CFG).delete_resource(resource=catalog, location=HERE)
    assert "sales" not in [
        c["CatalogName"] for c in client("athena").list_data_catalogs()["DataCatalogsSummary"]
    ]
    assert athena.calls.count("DeleteWorkGroup") == 1 and athena.calls.count("DeleteDataCatalog") == 1


def test_primary_work_group_is_not_deleted(athena: RestJsonFake) -> None:
    result = collect(CFG)
    groups = result.by_id("aws_athena_work_group")
    if "primary" not in groups:
        pytest.fail(f"moto's default work group was not collected: {sorted(groups)}")
    with pytest.raises(NotSupported):
        PluginDriver(plugin, CFG).delete_resource(
            resource=resource(result, "aws_athena_work_group", "primary"), location=HERE
        )
    assert "primary" in [g["Name"] for g in client("athena").list_work_groups()["WorkGroups"]]


def test_work_groups_are_read_across_pages(athena: RestJsonFake) -> None:
    """ListWorkGroups has no botocore paginator: the plugin follows NextToken itself (50 per page)."""
    for i in range(60):
        client("athena").create_work_group(Name=f"wg-{i:02d}")
    result = collect(CFG)
    assert set(result.by_id("aws_athena_work_group")) == {"primary", *(f"wg-{i:02d}" for i in range(60))}
    assert athena.calls.count("ListWorkGroups") == 2


def test_the_fake_refuses_a_body_aws_could_not_send() -> None:
    """The fake checks what it answers against botocore's output shape (so it can catch a bad fake)."""
    fake = RestJsonFake("athena", {"GetWorkGroup": lambda p: {"WorkGroup": {"State": "ENABLED"}}})
    with pytest.raises(AssertionError, match="Name"):
        fake.answer("GET", "/workgroups/x", {}, b"")
