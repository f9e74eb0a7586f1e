"""AWS Backup: vaults and their recovery points, plans, jobs (backup, copy, restore), protected
resources, audit frameworks, legal holds, report plans and restore testing plans.

Tags: one ``ListTags`` per taggable item (the list calls carry none). Recovery points are listed per
vault. A recovery point, job or protected resource is linked to the resource it protects where that
resource is a kind this plugin collects (EC2, EBS, RDS, Aurora, DynamoDB, EFS, S3).
"""

from __future__ import annotations

from typing import Any, ClassVar

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import (
    Call,
    Delete,
    Enrich,
    Kind,
    Link,
    Tagging,
    TagsAt,
    arn_last,
    arn_name,
    as_text,
)

SERVICE = "backup"
GONE = ("ResourceNotFoundException",)
TAGGING = Tagging("TagResource", "UntagResource", {"ResourceArn": "arn"}, fmt="map", keys_arg="TagKeyList")
TAGS = TagsAt("_tags", fmt="map")
META: dict[str, Any] = {"group": "storage", "icon": "backup"}  # vaults and recovery points

_PROTECTED = (
    ("EC2", "aws_ec2_instance", arn_name, False),
    ("EBS", "aws_ec2_volume", arn_name, False),
    ("RDS", "aws_rds_instance", arn_last, False),
    ("Aurora", "aws_rds_cluster", arn_last, False),
    ("DynamoDB", "aws_dynamodb_table", arn_name, False),
    ("EFS", "aws_efs_file_system", arn_name, False),
    ("S3", "aws_s3_bucket", arn_last, True),
)


def _protected_links(arn_path: str, type_path: str = "ResourceType") -> tuple[Link, ...]:
    """Edges from the protected resource (by its ARN) to this item, for the kinds the plugin collects."""
    return tuple(
        Link(
            kind,
            arn_path,
            default="in",
            to_id=to_id,
            global_=global_,
            when=lambda i, rtype=rtype: i.get(type_path) == rtype,  # type: ignore[misc]
        )
        for rtype, kind, to_id, global_ in _PROTECTED
    )


def _tags(arn_path: str) -> Enrich:
    return Enrich(
        "ListTags",
        {"ResourceArn": arn_path},
        "Tags",
        "_tags",
        ignore=(*GONE, "InvalidParameterValueException"),
    )


def _kms(path: str) -> Link:
    return Link("aws_kms_key", path, default="out", to_id=arn_name)


def _role(path: str) -> Link:
    return Link("aws_iam_role", path, default="in", to_id=arn_name, global_=True)


def _vault(path: str) -> Link:
    """The vault an item came from, by the vault's ARN (``...:backup-vault:<name>``)."""
    return Link("aws_backup_vault", path, default="in", to_id=arn_last)


class AwsBackupVault(AwsResource):
    kind: ClassVar[str] = "aws_backup_vault"
    kind_metadata: ClassVar[dict[str, Any]] = META
    vault_type: str | None = None
    vault_state: str | None = None
    encryption_key_arn: str | None = None
    number_of_recovery_points: int | None = None
    locked: bool | None = None
    min_retention_days: int | None = None
    max_retention_days: int | None = None


class AwsBackupRecoveryPoint(AwsResource):
    kind: ClassVar[str] = "aws_backup_recovery_point"
    kind_metadata: ClassVar[dict[str, Any]] = META
    backup_vault_name: str | None = None
    resource_arn: str | None = None
    resource_type: str | None = None
    status: str | None = None
    backup_size_in_bytes: int | None = None
    encryption_key_arn: str | None = None
    is_encrypted: bool | None = None
    completion_date: str | None = None
    delete_after_days: int | None = None


class AwsBackupPlan(AwsResource):
    kind: ClassVar[str] = "aws_backup_plan"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "storage", "icon": "config"}
    version_id: str | None = None
    last_execution_date: str | None = None


class AwsBackupJob(AwsResource):
    kind: ClassVar[str] = "aws_backup_job"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "storage", "icon": "job"}
    deletable: ClassVar[bool] = False
    taggable: ClassVar[bool] = False
    state: str | None = None
    status_message: str | None = None
    resource_arn: str | None = None
    resource_type: str | None = None
    backup_vault_name: str | None = None
    recovery_point_arn: str | None = None
    backup_size_in_bytes: int | None = None
    percent_done: str | None = None


class AwsBackupCopyJob(AwsResource):
    kind: ClassVar[str] = "aws_backup_copy_job"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "storage", "icon": "job"}
    deletable: ClassVar[bool] = False
    taggable: ClassVar[bool] = False
    state: str | None = None
    resource_arn: str | None = None
    resource_type: str | None = None
    source_recovery_point_arn: str | None = None
    destination_recovery_point_arn: str | None = None
    destination_backup_vault_arn: str | None = None
    backup_size_in_bytes: int | None = None


class AwsBackupRestoreJob(AwsResource):
    kind: ClassVar[str] = "aws_backup_restore_job"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "storage", "icon": "job"}
    deletable: ClassVar[bool] = False
    taggable: ClassVar[bool] = False
    status: str | None = None
    recovery_point_arn: str | None = None
    created_resource_arn: str | None = None
    resource_type: str | None = None
    backup_size_in_bytes: int | None = None
    percent_done: str | None = None


class AwsBackupProtectedResource(AwsResource):
    kind: ClassVar[str] = "aws_backup_protected_resource"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "storage", "icon": "resource"}
    deletable: ClassVar[bool] = False
    taggable: ClassVar[bool] = False
    resource_type: str | None = None
    last_backup_time: str | None = None
    last_backup_vault_arn: str | None = None
    last_recovery_point_arn: str | None = None


class AwsBackupFramework(AwsResource):
    kind: ClassVar[str] = "aws_backup_framework"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "management", "icon": "config"}
    description: str | None = None
    number_of_controls: int | None = None
    deployment_status: str | None = None


class AwsBackupLegalHold(AwsResource):
    kind: ClassVar[str] = "aws_backup_legal_hold"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "storage", "icon": "config"}
    deletable: ClassVar[bool] = False  # a legal hold can be cancelled, not deleted
    status: str | None = None
    description: str | None = None
    cancellation_date: str | None = None


class AwsBackupReportPlan(AwsResource):
    kind: ClassVar[str] = "aws_backup_report_plan"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "management", "icon": "config"}
    description: str | None = None
    report_template: str | None = None
    s3_bucket_name: str | None = None
    deployment_status: str | None = None


class AwsBackupRestoreTestingPlan(AwsResource):
    kind: ClassVar[str] = "aws_backup_restore_testing_plan"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "storage", "icon": "config"}
    schedule_expression: str | None = None
    schedule_expression_timezone: str | None = None
    start_window_hours: int | None = None
    last_execution_time: str | None = None


KINDS = [
    Kind(
        cls=AwsBackupVault,
        service=SERVICE,
        list=Call("ListBackupVaults", "BackupVaultList[]", page_size=1000),
        id="BackupVaultName",
        name="BackupVaultName",
        arn="BackupVaultArn",
        ctime="CreationDate",
        enrich=(_tags("BackupVaultArn"),),
        tags=TAGS,
        fields={
            "vault_type": "VaultType",
            "vault_state": "VaultState",
            "encryption_key_arn": "EncryptionKeyArn",
            "number_of_recovery_points": "NumberOfRecoveryPoints",
            "locked": "Locked",
            "min_retention_days": "MinRetentionDays",
            "max_retention_days": "MaxRetentionDays",
        },
        links=(_kms("EncryptionKeyArn"),),
        get=Call("DescribeBackupVault", "@", item_args={"BackupVaultName": "id"}, gone=GONE),
        delete=Delete("DeleteBackupVault", {"BackupVaultName": "id"}, gone=GONE),
        tagging=TAGGING,
    ),
    Kind(
        cls=AwsBackupRecoveryPoint,
        service=SERVICE,
        parent="aws_backup_vault",
        list=Call(
            "ListRecoveryPointsByBackupVault",
            "RecoveryPoints[]",
            page_size=1000,
            item_args={"BackupVaultName": "BackupVaultName"},
        ),
        id="RecoveryPointArn",
        name="ResourceName",
        arn="RecoveryPointArn",
        ctime="CreationDate",
        enrich=(_tags("RecoveryPointArn"),),
        tags=TAGS,
        fields={
            "backup_vault_name": "BackupVaultName",
            "resource_arn": "ResourceArn",
            "resource_type": "ResourceType",
            "status": "Status",
            "backup_size_in_bytes": "BackupSizeInBytes",
            "encryption_key_arn": "EncryptionKeyArn",
            "is_encrypted": "IsEncrypted",
            "completion_date": as_text("CompletionDate"),
            "delete_after_days": "Lifecycle.DeleteAfterDays",
        },
        links=(
            Link("aws_backup_vault", "BackupVaultName", default=None, delete="in"),  # below its vault
            _kms("EncryptionKeyArn"),
            _role("IamRoleArn"),
            *_protected_links("ResourceArn"),
        ),
        get=Call(
            "DescribeRecoveryPoint",
            "@",
            item_args={"BackupVaultName": "backup_vault_name", "RecoveryPointArn": "id"},
            gone=GONE,
        ),
        delete=Delete(
            "DeleteRecoveryPoint",
            {"BackupVaultName": "backup_vault_name", "RecoveryPointArn": "id"},
            gone=GONE,
        ),
        tagging=TAGGING,
    ),
    Kind(
        cls=AwsBackupPlan,
        service=SERVICE,
        list=Call("ListBackupPlans", "BackupPlansList[]", page_size=1000),
        id="BackupPlanId",
        name="BackupPlanName",
        arn="BackupPlanArn",
        ctime="CreationDate",
        enrich=(_tags("BackupPlanArn"),),
        tags=TAGS,
        fields={"version_id": "VersionId", "last_execution_date": as_text("LastExecutionDate")},
        get=Call("GetBackupPlan", "@", item_args={"BackupPlanId": "id"}, gone=GONE),
        delete=Delete("DeleteBackupPlan", {"BackupPlanId": "id"}, gone=GONE),
        tagging=TAGGING,
    ),
    Kind(
        cls=AwsBackupJob,
        service=SERVICE,
        list=Call("ListBackupJobs", "BackupJobs[]", page_size=1000),
        id="BackupJobId",
        name="BackupJobId",
        ctime="CreationDate",
        arn="arn:{partition}:backup:{region}:{account}:backup-job:{id}",
        fields={
            "state": "State",
            "status_message": "StatusMessage",
            "resource_arn": "ResourceArn",
            "resource_type": "ResourceType",
            "backup_vault_name": "BackupVaultName",
            "recovery_point_arn": "RecoveryPointArn",
            "backup_size_in_bytes": "BackupSizeInBytes",
            "percent_done": "PercentDone",
        },
        links=(
            Link("aws_backup_vault", "BackupVaultName", default="in"),
            Link("aws_backup_recovery_point", "RecoveryPointArn", default="out"),
            _role("IamRoleArn"),
            *_protected_links("ResourceArn"),
        ),
    ),
    Kind(
        cls=AwsBackupCopyJob,
        service=SERVICE,
        list=Call("ListCopyJobs", "CopyJobs[]", page_size=1000),
        id="CopyJobId",
        name="CopyJobId",
        ctime="CreationDate",
        arn="arn:{partition}:backup:{region}:{account}:copy-job:{id}",
        fields={
            "state": "State",
            "resource_arn": "ResourceArn",
            "resource_type": "ResourceType",
            "source_recovery_point_arn": "SourceRecoveryPointArn",
            "destination_recovery_point_arn": "DestinationRecoveryPointArn",
            "destination_backup_vault_arn": "DestinationBackupVaultArn",
            "backup_size_in_bytes": "BackupSizeInBytes",
        },
        links=(
            Link("aws_backup_recovery_point", "SourceRecoveryPointArn", default="in"),
            _vault("SourceBackupVaultArn"),
            _role("IamRoleArn"),
        ),
    ),
    Kind(
        cls=AwsBackupRestoreJob,
        service=SERVICE,
        list=Call("ListRestoreJobs", "RestoreJobs[]", page_size=1000),
        id="RestoreJobId",
        name="RestoreJobId",
        ctime="CreationDate",
        arn="arn:{partition}:backup:{region}:{account}:restore-job:{id}",
        fields={
            "status": "Status",
            "recovery_point_arn": "RecoveryPointArn",
            "created_resource_arn": "CreatedResourceArn",
            "resource_type": "ResourceType",
            "backup_size_in_bytes": "BackupSizeInBytes",
            "percent_done": "PercentDone",
        },
        links=(
            Link("aws_backup_recovery_point", "RecoveryPointArn", default="in"),
            _vault("BackupVaultArn"),
            _role("IamRoleArn"),
        ),
    ),
    Kind(
        cls=AwsBackupProtectedResource,
        service=SERVICE,
        list=Call("ListProtectedResources", "Results[]", page_size=1000),
        id="ResourceArn",
        name="ResourceName",
        arn="ResourceArn",
        fields={
            "resource_type": "ResourceType",
            "last_backup_time": as_text("LastBackupTime"),
            "last_backup_vault_arn": "LastBackupVaultArn",
            "last_recovery_point_arn": "LastRecoveryPointArn",
        },
        links=(
            Link("aws_backup_recovery_point", "LastRecoveryPointArn", default="out"),
            _vault("LastBackupVaultArn"),
            *_protected_links("ResourceArn"),
        ),
    ),
    Kind(
        cls=AwsBackupFramework,
        service=SERVICE,
        list=Call("ListFrameworks", "Frameworks[]"),
        id="FrameworkName",
        name="FrameworkName",
        arn="FrameworkArn",
        ctime="CreationTime",
        enrich=(_tags("FrameworkArn"),),
        tags=TAGS,
        fields={
            "description": "FrameworkDescription",
            "number_of_controls": "NumberOfControls",
            "deployment_status": "DeploymentStatus",
        },
        get=Call("DescribeFramework", "@", item_args={"FrameworkName": "id"}, gone=GONE),
        delete=Delete("DeleteFramework", {"FrameworkName": "id"}, gone=GONE),
        tagging=TAGGING,
    ),
    Kind(
        cls=AwsBackupLegalHold,
        service=SERVICE,
        list=Call("ListLegalHolds", "LegalHolds[]", page_size=1000),
        id="LegalHoldId",
        name="Title",
        arn="LegalHoldArn",
        ctime="CreationDate",
        enrich=(_tags("LegalHoldArn"),),
        tags=TAGS,
        fields={
            "status": "Status",
            "description": "Description",
            "cancellation_date": as_text("CancellationDate"),
        },
        get=Call("GetLegalHold", "@", item_args={"LegalHoldId": "id"}, gone=GONE),
        tagging=TAGGING,
    ),
    Kind(
        cls=AwsBackupReportPlan,
        service=SERVICE,
        list=Call("ListReportPlans", "ReportPlans[]"),
        id="ReportPlanName",
        name="ReportPlanName",
        arn="ReportPlanArn",
        ctime="CreationTime",
        enrich=(_tags("ReportPlanArn"),),
        tags=TAGS,
        fields={
            "description": "ReportPlanDescription",
            "report_template": "ReportSetting.ReportTemplate",
            "s3_bucket_name": "ReportDeliveryChannel.S3BucketName",
            "deployment_status": "DeploymentStatus",
        },
        # no edge to the report bucket: it is often another account's (a dangling edge is an error)
        get=Call("DescribeReportPlan", "ReportPlan", item_args={"ReportPlanName": "id"}, gone=GONE),
        delete=Delete("DeleteReportPlan", {"ReportPlanName": "id"}, gone=GONE),
        tagging=TAGGING,
    ),
    Kind(
        cls=AwsBackupRestoreTestingPlan,
        service=SERVICE,
        list=Call("ListRestoreTestingPlans", "RestoreTestingPlans[]", page_size=1000),
        id="RestoreTestingPlanName",
        name="RestoreTestingPlanName",
        arn="RestoreTestingPlanArn",
        ctime="CreationTime",
        enrich=(_tags("RestoreTestingPlanArn"),),
        tags=TAGS,
        fields={
            "schedule_expression": "ScheduleExpression",
            "schedule_expression_timezone": "ScheduleExpressionTimezone",
            "start_window_hours": "StartWindowHours",
            "last_execution_time": as_text("LastExecutionTime"),
        },
        get=Call(
            "GetRestoreTestingPlan",
            "RestoreTestingPlan",
            item_args={"RestoreTestingPlanName": "id"},
            gone=GONE,
        ),
        delete=Delete("DeleteRestoreTestingPlan", {"RestoreTestingPlanName": "id"}, gone=GONE),
        tagging=TAGGING,
    ),
]
