"""AWS Backup: vaults, plans and report plans against moto; the kinds moto does not serve (recovery
points, jobs, protected resources, frameworks, legal holds, restore testing plans) against an HTTP
fake of the Backup REST API whose answers are checked against botocore's Backup model."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from aws.support_aws import ACCOUNT, Collected, as_resource, canned_fakes, client, collect
from fakes.aws.canned import CannedFake
from resoto_hookspecs import Location
from resoto_hookspecs.testing import PluginDriver
from resoto_plugin_aws import plugin
from resoto_plugin_aws.config import AwsConfig
from resoto_plugin_aws.registry import kind_of

REGION = "us-east-1"
HERE = Location("aws", ACCOUNT, REGION)
MOTO_KINDS = ["aws_backup_vault", "aws_backup_plan", "aws_backup_report_plan"]
ALL = AwsConfig(region=[REGION], collect=["aws_backup_*"])


# -- moto -----------------------------------------------------------------------------------------


@pytest.fixture()
def in_moto(moto: str) -> Collected:
    b = client("backup")
    b.create_backup_vault(BackupVaultName="vault-a", BackupVaultTags={"owner": "tests"})
    plan = b.create_backup_plan(
        BackupPlan={
            "BackupPlanName": "daily",
            "Rules": [{"RuleName": "r", "TargetBackupVaultName": "vault-a"}],
        },
        BackupPlanTags={"owner": "tests"},
    )
    b.create_report_plan(
        ReportPlanName="weekly",
        ReportDeliveryChannel={"S3BucketName": "reports"},
        ReportSetting={"ReportTemplate": "BACKUP_JOB_REPORT"},
    )
    report = b.describe_report_plan(ReportPlanName="weekly")["ReportPlan"]["ReportPlanArn"]
    b.tag_resource(ResourceArn=report, Tags={"owner": "tests"})
    result = collect(AwsConfig(region=[REGION], collect=MOTO_KINDS))
    assert not result.failures and result.reporter.errors == []
    result.plan_id = plan["BackupPlanId"]  # type: ignore[attr-defined]
    return result


def test_moto_collected_with_tags(in_moto: Collected) -> None:
    vault = in_moto.by_id("aws_backup_vault")["vault-a"]
    assert vault["tags"] == {"owner": "tests"}
    assert vault["arn"].endswith(":backup-vault:vault-a") and "ctime" in vault
    plan = in_moto.by_id("aws_backup_plan")[in_moto.plan_id]  # type: ignore[attr-defined]
    assert plan["name"] == "daily" and plan["tags"] == {"owner": "tests"}
    report = in_moto.by_id("aws_backup_report_plan")["weekly"]
    assert report["tags"] == {"owner": "tests"}
    assert report["report_template"] == "BACKUP_JOB_REPORT" and report["s3_bucket_name"] == "reports"


@pytest.mark.parametrize("kind", MOTO_KINDS)
def test_moto_tag_untag(in_moto: Collected, kind: str) -> None:
    (rid,) = in_moto.by_id(kind)
    res = as_resource(in_moto, kind, rid)
    PluginDriver(plugin, ALL).update_tag(resource=res, location=HERE, key="team", value="dr")
    PluginDriver(plugin, ALL).delete_tag(resource=res, location=HERE, key="owner")
    assert client("backup").list_tags(ResourceArn=res.arn)["Tags"] == {"team": "dr"}


def test_moto_delete(in_moto: Collected) -> None:
    b = client("backup")
    for kind in ("aws_backup_report_plan", "aws_backup_plan", "aws_backup_vault"):
        (rid,) = in_moto.by_id(kind)
        PluginDriver(plugin, ALL).delete_resource(resource=as_resource(in_moto, kind, rid), location=HERE)
    assert b.list_report_plans()["ReportPlans"] == []
    assert b.list_backup_plans()["BackupPlansList"] == []
    assert b.list_backup_vaults()["BackupVaultList"] == []
    gone = as_resource(in_moto, "aws_backup_vault", "vault-a")
    assert PluginDriver(plugin, ALL).check_resource(resource=gone, location=HERE) is None


# -- the HTTP fake --------------------------------------------------------------------------------

ARN = f"arn:aws:backup:{REGION}:{ACCOUNT}"
VAULT_ARN = f"{ARN}:backup-vault:vault-a"
KEY_ARN = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/k-1"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/backup-role"
VOLUME_ARN = f"arn:aws:ec2:{REGION}:{ACCOUNT}:volume/vol-1"
RP_ARN = f"arn:aws:ec2:{REGION}::snapshot/snap-1"
RP2_ARN = "arn:aws:ec2:us-west-2::snapshot/snap-2"
T0 = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC).timestamp()
TAGS = {
    VAULT_ARN: {"owner": "tests"},
    RP_ARN: {"owner": "tests"},
    f"{ARN}:framework:fw-1": {"owner": "tests"},
    f"{ARN}:legal-hold:lh-1": {"owner": "tests"},
    f"{ARN}:restore-testing-plan:rtp": {"owner": "tests"},
    f"{ARN}:backup-plan:p-1": {"owner": "tests"},
    f"{ARN}:report-plan:weekly": {"owner": "tests"},
}
FAKE_IDS = {
    "aws_backup_vault": "vault-a",
    "aws_backup_recovery_point": RP_ARN,
    "aws_backup_plan": "p-1",
    "aws_backup_job": "job-1",
    "aws_backup_copy_job": "copy-1",
    "aws_backup_restore_job": "restore-1",
    "aws_backup_protected_resource": VOLUME_ARN,
    "aws_backup_framework": "fw-1",
    "aws_backup_legal_hold": "lh-1",
    "aws_backup_report_plan": "weekly",
    "aws_backup_restore_testing_plan": "rtp",
}


def _list_tags(params: dict[str, Any]) -> dict[str, Any]:
    return {"Tags": TAGS.get(params["ResourceArn"], {})}


@pytest.fixture()
def fake(moto_endpoint: str) -> Iterator[CannedFake]:
    for opened in canned_fakes("backup"):
        f = opened["backup"]
        f.on(
            "ListBackupVaults",
            {
                "BackupVaultList": [
                    {
                        "BackupVaultName": "vault-a",
                        "BackupVaultArn": VAULT_ARN,
                        "CreationDate": T0,
                        "EncryptionKeyArn": KEY_ARN,
                        "NumberOfRecoveryPoints": 1,
                        "Locked": False,
                        "VaultType": "BACKUP_VAULT",
                    }
                ]
            },
        )
        f.on(
            "ListRecoveryPointsByBackupVault",
            lambda r: {
                "RecoveryPoints": [
                    {
                        "RecoveryPointArn": RP_ARN,
                        "BackupVaultName": r["BackupVaultName"],
                        "BackupVaultArn": VAULT_ARN,
                        "ResourceArn": VOLUME_ARN,
                        "ResourceType": "EBS",
                        "ResourceName": "data",
                        "IamRoleArn": ROLE_ARN,
                        "Status": "COMPLETED",
                        "CreationDate": T0,
                        "CompletionDate": T0 + 60,
                        "BackupSizeInBytes": 1024,
                        "EncryptionKeyArn": KEY_ARN,
                        "IsEncrypted": True,
                        "Lifecycle": {"DeleteAfterDays": 35},
                    }
                ]
            },
        )
        f.on(
            "ListBackupPlans",
            {
                "BackupPlansList": [
                    {
                        "BackupPlanId": "p-1",
                        "BackupPlanArn": f"{ARN}:backup-plan:p-1",
                        "BackupPlanName": "daily",
                        "VersionId": "v1",
                        "CreationDate": T0,
                    }
                ]
            },
        )
        f.on(
            "ListBackupJobs",
            {
                "BackupJobs": [
                    {
                        "BackupJobId": "job-1",
                        "BackupVaultName": "vault-a",
                        "BackupVaultArn": VAULT_ARN,
                        "RecoveryPointArn": RP_ARN,
                        "ResourceArn": VOLUME_ARN,
                        "ResourceType": "EBS",
                        "State": "COMPLETED",
                        "CreationDate": T0,
                        "IamRoleArn": ROLE_ARN,
                        "BackupSizeInBytes": 1024,
                    }
                ]
            },
        )
        f.on(
            "ListCopyJobs",
            {
                "CopyJobs": [
                    {
                        "CopyJobId": "copy-1",
                        "SourceBackupVaultArn": VAULT_ARN,
                        "SourceRecoveryPointArn": RP_ARN,
                        "DestinationBackupVaultArn": "arn:aws:backup:us-west-2:1:backup-vault:dr",
                        "DestinationRecoveryPointArn": RP2_ARN,
                        "ResourceArn": VOLUME_ARN,
                        "ResourceType": "EBS",
                        "State": "RUNNING",
                        "CreationDate": T0,
                    }
                ]
            },
        )
        f.on(
            "ListRestoreJobs",
            {
                "RestoreJobs": [
                    {
                        "RestoreJobId": "restore-1",
                        "RecoveryPointArn": RP_ARN,
                        "BackupVaultArn": VAULT_ARN,
                        "Status": "COMPLETED",
                        "CreatedResourceArn": f"arn:aws:ec2:{REGION}:{ACCOUNT}:volume/vol-9",
                        "ResourceType": "EBS",
                        "CreationDate": T0,
                    }
                ]
            },
        )
        f.on(
            "ListProtectedResources",
            {
                "Results": [
                    {
                        "ResourceArn": VOLUME_ARN,
                        "ResourceType": "EBS",
                        "ResourceName": "data",
                        "LastBackupTime": T0,
                        "LastBackupVaultArn": VAULT_ARN,
                        "LastRecoveryPointArn": RP_ARN,
                    }
                ]
            },
        )
        f.on(
            "ListFrameworks",
            {
                "Frameworks": [
                    {
                        "FrameworkName": "fw-1",
                        "FrameworkArn": f"{ARN}:framework:fw-1",
                        "NumberOfControls": 3,
                        "CreationTime": T0,
                        "DeploymentStatus": "COMPLETED",
                    }
                ]
            },
        )
        f.on(
            "ListLegalHolds",
            {
                "LegalHolds": [
                    {
                        "LegalHoldId": "lh-1",
                        "LegalHoldArn": f"{ARN}:legal-hold:lh-1",
                        "Title": "audit 2026",
                        "Status": "ACTIVE",
                        "CreationDate": T0,
                    }
                ]
            },
        )
        f.on(
            "ListReportPlans",
            {
                "ReportPlans": [
                    {
                        "ReportPlanName": "weekly",
                        "ReportPlanArn": f"{ARN}:report-plan:weekly",
                        "ReportSetting": {"ReportTemplate": "BACKUP_JOB_REPORT"},
                        "ReportDeliveryChannel": {"S3BucketName": "reports"},
                        "CreationTime": T0,
                    }
                ]
            },
        )
        f.on(
            "ListRestoreTestingPlans",
            {
                "RestoreTestingPlans": [
                    {
                        "RestoreTestingPlanName": "rtp",
                        "RestoreTestingPlanArn": f"{ARN}:restore-testing-plan:rtp",
                        "ScheduleExpression": "cron(0 1 ? * * *)",
                        "CreationTime": T0,
                    }
                ]
            },
        )
        f.on("ListTags", _list_tags)
        for op in ("TagResource", "UntagResource", "DeleteRecoveryPoint", "DeleteFramework"):
            f.on(op, {})
        f.on("DeleteRestoreTestingPlan", {})
        yield f


@pytest.fixture()
def from_fake(fake: CannedFake) -> Collected:
    result = collect(ALL)
    assert not result.failures and result.reporter.errors == []
    return result


def test_fake_every_kind_collected(from_fake: Collected) -> None:
    for kind, rid in FAKE_IDS.items():
        found = from_fake.by_id(kind)
        assert rid in found, kind
        if kind_of(kind).cls.taggable:  # type: ignore[union-attr]
            assert found[rid]["tags"] == {"owner": "tests"}, kind
    rp = from_fake.by_id("aws_backup_recovery_point")[RP_ARN]
    assert rp["backup_vault_name"] == "vault-a" and rp["delete_after_days"] == 35
    assert rp["completion_date"].startswith("2026-01-02T03:05:05")
    assert from_fake.by_id("aws_backup_legal_hold")["lh-1"]["name"] == "audit 2026"


def test_fake_edges(from_fake: Collected) -> None:
    n = from_fake.nid
    vault, rp = n("aws_backup_vault", "vault-a"), n("aws_backup_recovery_point", RP_ARN)
    assert from_fake.edge(vault, rp) and from_fake.edge(vault, rp, "delete")
    assert from_fake.edge(n("aws_backup_job", "job-1"), rp)
    assert from_fake.edge(rp, n("aws_backup_copy_job", "copy-1"))
    assert from_fake.edge(rp, n("aws_backup_restore_job", "restore-1"))
    assert from_fake.edge(n("aws_backup_protected_resource", VOLUME_ARN), rp)
    assert from_fake.edge(vault, n("aws_backup_job", "job-1"))


def test_fake_edges_to_key_and_volume(moto: str, fake: CannedFake) -> None:
    """A vault and recovery point link to the KMS key and the EBS volume collected from moto."""
    key = client("kms").create_key()["KeyMetadata"]
    volume = client("ec2").create_volume(AvailabilityZone=f"{REGION}a", Size=1)["VolumeId"]
    volume_arn = f"arn:aws:ec2:{REGION}:{ACCOUNT}:volume/{volume}"
    fake.on(
        "ListBackupVaults",
        {
            "BackupVaultList": [
                {"BackupVaultName": "vault-a", "BackupVaultArn": VAULT_ARN, "EncryptionKeyArn": key["Arn"]}
            ]
        },
    )
    fake.on(
        "ListRecoveryPointsByBackupVault",
        {
            "RecoveryPoints": [
                {
                    "RecoveryPointArn": RP_ARN,
                    "BackupVaultName": "vault-a",
                    "ResourceArn": volume_arn,
                    "ResourceType": "EBS",
                    "EncryptionKeyArn": key["Arn"],
                }
            ]
        },
    )
    result = collect(
        AwsConfig(
            region=[REGION],
            collect=["aws_backup_vault", "aws_backup_recovery_point", "aws_kms_key", "aws_ec2_volume"],
        )
    )
    assert not result.failures and result.reporter.errors == []
    n = result.nid
    vault, rp = n("aws_backup_vault", "vault-a"), n("aws_backup_recovery_point", RP_ARN)
    kms = n("aws_kms_key", key["KeyId"])
    assert result.edge(vault, kms) and result.edge(rp, kms)
    assert result.edge(n("aws_ec2_volume", volume), rp)


DELETABLE = {
    "aws_backup_recovery_point": (
        "DeleteRecoveryPoint",
        {"BackupVaultName": "vault-a", "RecoveryPointArn": RP_ARN},
    ),
    "aws_backup_framework": ("DeleteFramework", {"FrameworkName": "fw-1"}),
    "aws_backup_restore_testing_plan": ("DeleteRestoreTestingPlan", {"RestoreTestingPlanName": "rtp"}),
}


@pytest.mark.parametrize("kind", sorted(DELETABLE))
def test_fake_delete(fake: CannedFake, from_fake: Collected, kind: str) -> None:
    op, labels = DELETABLE[kind]
    PluginDriver(plugin, ALL).delete_resource(
        resource=as_resource(from_fake, kind, FAKE_IDS[kind]), location=HERE
    )
    assert fake.calls(op) == [labels]


@pytest.mark.parametrize(
    "kind",
    [
        "aws_backup_recovery_point",
        "aws_backup_framework",
        "aws_backup_legal_hold",
        "aws_backup_restore_testing_plan",
    ],
)
def test_fake_tag_untag(fake: CannedFake, from_fake: Collected, kind: str) -> None:
    res = as_resource(from_fake, kind, FAKE_IDS[kind])
    PluginDriver(plugin, ALL).update_tag(resource=res, location=HERE, key="team", value="dr")
    PluginDriver(plugin, ALL).delete_tag(resource=res, location=HERE, key="owner")
    assert fake.calls("TagResource") == [{"ResourceArn": res.arn, "Tags": {"team": "dr"}}]
    assert fake.calls("UntagResource") == [{"ResourceArn": res.arn, "TagKeyList": ["owner"]}]


def test_jobs_cannot_be_deleted_or_tagged(from_fake: Collected) -> None:
    for kind in (
        "aws_backup_job",
        "aws_backup_copy_job",
        "aws_backup_restore_job",
        "aws_backup_protected_resource",
    ):
        res = as_resource(from_fake, kind, FAKE_IDS[kind])
        with pytest.raises(Exception, match="cannot be deleted"):
            PluginDriver(plugin, ALL).delete_resource(resource=res, location=HERE)
        with pytest.raises(Exception, match="no tags"):
            PluginDriver(plugin, ALL).update_tag(resource=res, location=HERE, key="a", value="b")
