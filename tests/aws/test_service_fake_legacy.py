"""Kinds of Resoto 3.9.0 that moto cannot list, read through real botocore clients from HTTP fakes
whose answers botocore's validator checked against the service models:

* CloudFront streaming distributions (rest-xml): collected with tags, tagged, untagged, disabled
  and deleted by ETag;
* Glacier jobs (rest-json; moto has jobs but no vault tags, so the vaults they hang below cannot be
  listed there): collected below their vault with the KMS key edge;
* SSM resource compliance summaries (json): collected with the managed instance edge.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from aws.fake_service import serving
from aws.support_aws import ACCOUNT, client, collect
from resoto_hookspecs import Location
from resoto_hookspecs.testing import PluginDriver
from resoto_plugin_aws import plugin
from resoto_plugin_aws.config import AwsConfig

REGION = "us-east-1"
WHEN = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


STREAMING_ARN = f"arn:aws:cloudfront::{ACCOUNT}:streaming-distribution/EDFDVBD632BHDS5"
STREAMING = {
    "Id": "EDFDVBD632BHDS5",
    "ARN": STREAMING_ARN,
    "Status": "Deployed",
    "LastModifiedTime": WHEN,
    "DomainName": "s5c39gqb8ow64r.cloudfront.net",
    "S3Origin": {"DomainName": "media.s3.amazonaws.com", "OriginAccessIdentity": ""},
    "Aliases": {"Quantity": 1, "Items": ["rtmp.example.com"]},
    "TrustedSigners": {"Enabled": False, "Quantity": 0},
    "Comment": "old player",
    "PriceClass": "PriceClass_100",
    "Enabled": True,
}
STREAMING_CONFIG = {
    "CallerReference": "ref",
    "S3Origin": {"DomainName": "media.s3.amazonaws.com", "OriginAccessIdentity": ""},
    "Comment": "old player",
    "TrustedSigners": {"Enabled": False, "Quantity": 0},
    "Enabled": True,
}


def test_cloudfront_streaming_distribution(moto: str, monkeypatch: pytest.MonkeyPatch) -> None:
    full = {
        "Id": STREAMING["Id"],
        "ARN": STREAMING_ARN,
        "Status": "Deployed",
        "DomainName": STREAMING["DomainName"],
        "ActiveTrustedSigners": {"Enabled": False, "Quantity": 0},
        "StreamingDistributionConfig": STREAMING_CONFIG,
    }
    answers = {
        "ListStreamingDistributions": {
            "StreamingDistributionList": {
                "Marker": "",
                "MaxItems": 100,
                "IsTruncated": False,
                "Quantity": 1,
                "Items": [STREAMING],
            }
        },
        "ListTagsForResource": {"Tags": {"Items": [{"Key": "owner", "Value": "tests"}]}},
        "TagResource": {},
        "UntagResource": {},
        "GetStreamingDistributionConfig": {"StreamingDistributionConfig": STREAMING_CONFIG, "ETag": "E1"},
        "UpdateStreamingDistribution": {"StreamingDistribution": full, "ETag": "E2"},
        "GetStreamingDistribution": {"StreamingDistribution": full, "ETag": "E2"},
        "DeleteStreamingDistribution": {},
    }
    cfg = AwsConfig(region=[REGION], collect=["aws_cloudfront_streaming_distribution"])
    here = Location("aws", ACCOUNT, "global")
    with serving(monkeypatch, "cloudfront", answers) as fake:
        result = collect(cfg)
        assert not result.failures and result.reporter.errors == []
        found = result.by_id("aws_cloudfront_streaming_distribution")["EDFDVBD632BHDS5"]
        assert found["arn"] == STREAMING_ARN and found["tags"] == {"owner": "tests"}
        assert found["aliases"] == ["rtmp.example.com"] and found["enabled"] is True
        assert found["s3_origin_domain"] == "media.s3.amazonaws.com"
        res = result.resource("aws_cloudfront_streaming_distribution", "EDFDVBD632BHDS5")
        PluginDriver(plugin, cfg).update_tag(resource=res, location=here, key="team", value="media")
        PluginDriver(plugin, cfg).delete_tag(resource=res, location=here, key="owner")
        (tagged,) = fake.calls("TagResource")
        assert "<Key>team</Key><Value>media</Value>" in tagged["_body"]
        assert STREAMING_ARN in tagged["_query"].replace("%3A", ":").replace("%2F", "/")
        (untagged,) = fake.calls("UntagResource")
        assert "<Key>owner</Key>" in untagged["_body"]
        PluginDriver(plugin, cfg).pre_cleanup(resource=res, location=here)
        PluginDriver(plugin, cfg).delete_resource(resource=res, location=here)
        (update,) = fake.calls("UpdateStreamingDistribution")
        assert "<Enabled>false</Enabled>" in update["_body"]
        (deleted,) = fake.calls("DeleteStreamingDistribution")
        assert deleted["_path"] == "/2020-05-31/streaming-distribution/EDFDVBD632BHDS5"


def test_glacier_jobs_below_their_vault(moto: str, monkeypatch: pytest.MonkeyPatch) -> None:
    key = client("kms").create_key()["KeyMetadata"]["Arn"]  # in moto: the edge's other end
    vault_arn = f"arn:aws:glacier:{REGION}:{ACCOUNT}:vaults/archive"
    job = {
        "JobId": "JOB1",
        "JobDescription": "monthly inventory",
        "Action": "InventoryRetrieval",
        "VaultARN": vault_arn,
        "CreationDate": "2024-05-01T12:00:00.000Z",
        "Completed": True,
        "StatusCode": "Succeeded",
        "InventorySizeInBytes": 2048,
        "Tier": "Standard",
        "OutputLocation": {
            "S3": {
                "BucketName": "inventories",
                "Prefix": "archive/",
                "Encryption": {
                    "EncryptionType": "aws:kms",
                    "KMSKeyId": key,
                },
            }
        },
    }
    answers = {
        "ListVaults": {"VaultList": [{"VaultARN": vault_arn, "VaultName": "archive", "NumberOfArchives": 3}]},
        "ListTagsForVault": {"Tags": {}},
        "ListJobs": {"JobList": [job]},
    }
    cfg = AwsConfig(region=[REGION], collect=["aws_glacier_*", "aws_kms_key"])
    with serving(monkeypatch, "glacier", answers) as fake:
        result = collect(cfg)
        assert not result.failures and result.reporter.errors == []
        found = result.by_id("aws_glacier_job")["JOB1"]
        assert found["name"] == "monthly inventory" and found["job_status"] == "Succeeded"
        assert found["job_completed"] is True and found["output_bucket"] == "inventories"
        assert found["ctime"].startswith("2024-05-01T12:00:00")
        vault = result.nid("aws_glacier_vault", "archive")
        assert result.edge(vault, result.nid("aws_glacier_job", "JOB1"))
        assert [c["_path"] for c in fake.calls("ListJobs")] == ["/-/vaults/archive/jobs"]
        assert result.edge(
            result.nid("aws_glacier_job", "JOB1"), result.nid("aws_kms_key", key.rsplit("/")[-1])
        )


def test_ssm_resource_compliance(moto: str, monkeypatch: pytest.MonkeyPatch) -> None:
    summary = {
        "ComplianceType": "Patch",
        "ResourceType": "ManagedInstance",
        "ResourceId": "i-0123456789abcdef0",
        "Status": "NON_COMPLIANT",
        "OverallSeverity": "CRITICAL",
        "ExecutionSummary": {"ExecutionTime": WHEN, "ExecutionId": "exec-1", "ExecutionType": "Command"},
        "CompliantSummary": {"CompliantCount": 40},
        "NonCompliantSummary": {"NonCompliantCount": 2},
    }
    answers = {"ListResourceComplianceSummaries": {"ResourceComplianceSummaryItems": [summary]}}
    cfg = AwsConfig(region=[REGION], collect=["aws_ssm_resource_compliance"])
    with serving(monkeypatch, "ssm", answers):
        result = collect(cfg)
        assert not result.failures and result.reporter.errors == []
        (found,) = result.by_id("aws_ssm_resource_compliance").values()
        assert found["id"] == "ManagedInstance/i-0123456789abcdef0/Patch"
        assert found["compliance_status"] == "NON_COMPLIANT" and found["non_compliant_count"] == 2
        assert found["overall_severity"] == "CRITICAL" and found["compliant_count"] == 40
        assert found["ctime"].startswith("2024-05-01T12:00:00")
