"""SSM documents and Glacier vaults against moto.

moto implements neither ``DescribeInstanceInformation`` (SSM managed instances) nor Glacier vault
tags: ``aws_ssm_instance`` is covered by the botocore-model test only, and for vaults only the delete
call is run against moto.
"""

from __future__ import annotations

import json

import pytest
from aws.support_aws import ACCOUNT, Collected, client, collect
from resoto_hookspecs import Location
from resoto_hookspecs.testing import PluginDriver
from resoto_plugin_aws import plugin
from resoto_plugin_aws.config import AwsConfig
from resoto_plugin_aws.registry import kind_of

REGION = "us-east-1"
CFG = AwsConfig(region=[REGION], collect=["aws_ssm_document"])
HERE = Location("aws", ACCOUNT, REGION)
CONTENT = json.dumps(
    {
        "schemaVersion": "2.2",
        "description": "say hi",
        "mainSteps": [{"action": "aws:runShellScript", "name": "hi", "inputs": {"runCommand": ["echo hi"]}}],
    }
)


@pytest.fixture()
def documents(moto: str) -> Collected:
    ssm = client("ssm")
    ssm.create_document(
        Content=CONTENT, Name="say-hi", DocumentType="Command", Tags=[{"Key": "owner", "Value": "tests"}]
    )
    result = collect(CFG)
    assert not result.failures and result.reporter.errors == []
    return result


def test_own_documents_are_collected_with_tags(documents: Collected) -> None:
    found = documents.by_id("aws_ssm_document")
    assert sorted(found) == ["say-hi"]  # AWS-owned documents are not listed
    doc = found["say-hi"]
    assert doc["tags"] == {"owner": "tests"}
    assert doc["document_type"] == "Command" and doc["schema_version"] == "2.2"
    assert doc["arn"] == f"arn:aws:ssm:{REGION}:{ACCOUNT}:document/say-hi"


def test_document_tag_untag_check_delete(documents: Collected) -> None:
    reported = dict(documents.by_id("aws_ssm_document")["say-hi"])
    reported.pop("kind")
    kind = kind_of("aws_ssm_document")
    assert kind is not None
    doc = kind.cls.model_validate(reported)
    ssm = client("ssm")
    PluginDriver(plugin, CFG).update_tag(resource=doc, location=HERE, key="team", value="ops")
    PluginDriver(plugin, CFG).delete_tag(resource=doc, location=HERE, key="owner")
    tags = ssm.list_tags_for_resource(ResourceType="Document", ResourceId="say-hi")["TagList"]
    assert tags == [{"Key": "team", "Value": "ops"}]
    current = PluginDriver(plugin, CFG).check_resource(resource=doc, location=HERE)
    assert current is not None and current.tags == {"team": "ops"}
    PluginDriver(plugin, CFG).delete_resource(resource=doc, location=HERE)
    assert PluginDriver(plugin, CFG).check_resource(resource=doc, location=HERE) is None


def test_vault_delete(moto: str) -> None:
    glacier = client("glacier")
    glacier.create_vault(vaultName="old-backups")
    kind = kind_of("aws_glacier_vault")
    assert kind is not None
    PluginDriver(plugin, CFG).delete_resource(resource=kind.cls(id="old-backups"), location=HERE)
    assert glacier.list_vaults()["VaultList"] == []
