"""Athena work groups and data catalogs against moto: collected with fields, tags and edges; tag, delete."""

from __future__ import annotations

from typing import Any

import pytest
from aws.support_aws import ACCOUNT, Collected, client, collect
from resoto_hookspecs import Location, NotSupported
from resoto_plugin_aws import plugin
from resoto_plugin_aws.config import AwsConfig
from resoto_plugin_aws.registry import kind_of

REGION = "us-east-1"
CFG = AwsConfig(region=[REGION], collect=["aws_athena_*", "aws_s3_bucket", "aws_kms_key"])
HERE = Location("aws", ACCOUNT, REGION)


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


def test_work_groups_and_catalogs_are_collected(moto: str) -> None:
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


def test_tag_untag_and_delete(moto: str) -> None:
    seed()
    result = collect(CFG)
    wg = resource(result, "aws_athena_work_group", "analysts")
    catalog = resource(result, "aws_athena_data_catalog", "sales")
    plugin.update_tag(resource=wg, location=HERE, config=CFG, key="owner", value="ana")
    plugin.delete_tag(resource=wg, location=HERE, config=CFG, key="team")
    assert athena_tags(wg.arn) == {"Name": "analysts", "owner": "ana"}
    plugin.update_tag(resource=catalog, location=HERE, config=CFG, key="tier", value="gold")
    assert athena_tags(catalog.arn) == {"team": "sales", "tier": "gold"}

    # moto does not implement DeleteDataCatalog: the catalog's delete call is checked by test_definitions only
    plugin.delete_resource(resource=wg, location=HERE, config=CFG)
    assert "analysts" not in [g["Name"] for g in client("athena").list_work_groups()["WorkGroups"]]


def test_primary_work_group_is_not_deleted(moto: str) -> None:
    result = collect(CFG)
    groups = result.by_id("aws_athena_work_group")
    if "primary" not in groups:
        pytest.fail(f"moto's default work group was not collected: {sorted(groups)}")
    with pytest.raises(NotSupported):
        plugin.delete_resource(
            resource=resource(result, "aws_athena_work_group", "primary"), location=HERE, config=CFG
        )
    assert "primary" in [g["Name"] for g in client("athena").list_work_groups()["WorkGroups"]]
