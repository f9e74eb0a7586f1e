"""Glacier vaults and their jobs (the account is ``-``: the caller's own).

Jobs (retrievals and inventories, kept by Glacier for about a day after they complete) are listed
per vault; they can be neither deleted nor tagged.
"""

from __future__ import annotations

from typing import Any, ClassVar

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import Call, Delete, Enrich, Kind, Link, Tagging, TagsAt, arn_name

SERVICE = "glacier"
GONE = ("ResourceNotFoundException",)
ACCOUNT = {"accountId": "-"}


class AwsGlacierVault(AwsResource):
    kind: ClassVar[str] = "aws_glacier_vault"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "storage", "icon": "bucket"}
    number_of_archives: int | None = None
    size_in_bytes: int | None = None
    last_inventory_date: str | None = None


class AwsGlacierJob(AwsResource):
    kind: ClassVar[str] = "aws_glacier_job"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "storage", "icon": "job"}
    deletable: ClassVar[bool] = False
    taggable: ClassVar[bool] = False
    vault_arn: str | None = None
    job_action: str | None = None
    job_status: str | None = None
    job_completed: bool | None = None
    job_completion_date: str | None = None
    job_tier: str | None = None
    archive_id: str | None = None
    archive_size_in_bytes: int | None = None
    inventory_size_in_bytes: int | None = None
    sns_topic: str | None = None
    output_bucket: str | None = None


KINDS = [
    Kind(
        cls=AwsGlacierVault,
        service=SERVICE,
        list=Call("ListVaults", "VaultList[]", args=ACCOUNT, page_size=1000),
        id="VaultName",
        name="VaultName",
        arn="VaultARN",
        enrich=(
            Enrich(
                "ListTagsForVault", {"vaultName": "VaultName"}, "Tags", "_tags", const=ACCOUNT, ignore=GONE
            ),
        ),
        tags=TagsAt("_tags", fmt="map"),
        fields={
            "ctime": "CreationDate",  # an ISO string in this API: the model parses it
            "number_of_archives": "NumberOfArchives",
            "size_in_bytes": "SizeInBytes",
            "last_inventory_date": "LastInventoryDate",
        },
        get=Call("DescribeVault", "@", args=ACCOUNT, item_args={"vaultName": "id"}, gone=GONE),
        delete=Delete("DeleteVault", {"vaultName": "id"}, const=ACCOUNT, gone=GONE),
        tagging=Tagging(
            "AddTagsToVault", "RemoveTagsFromVault", {"vaultName": "id"}, fmt="map", const=ACCOUNT, gone=GONE
        ),
    ),
    Kind(
        cls=AwsGlacierJob,
        service=SERVICE,
        parent="aws_glacier_vault",
        list=Call(
            "ListJobs", "JobList[]", args=ACCOUNT, item_args={"vaultName": "VaultName"}, page_size=1000
        ),
        id="JobId",
        name="JobDescription",
        fields={
            "ctime": "CreationDate",  # ISO strings, like the vault's
            "vault_arn": "VaultARN",
            "job_action": "Action",
            "job_status": "StatusCode",
            "job_completed": "Completed",
            "job_completion_date": "CompletionDate",
            "job_tier": "Tier",
            "archive_id": "ArchiveId",
            "archive_size_in_bytes": "ArchiveSizeInBytes",
            "inventory_size_in_bytes": "InventorySizeInBytes",
            "sns_topic": "SNSTopic",
            "output_bucket": "OutputLocation.S3.BucketName",
        },
        links=(
            Link("aws_kms_key", "OutputLocation.S3.Encryption.KMSKeyId", default="out", to_id=arn_name),
            Link("aws_sns_topic", "SNSTopic", default="out"),
            Link("aws_s3_bucket", "OutputLocation.S3.BucketName", default="out", global_=True),
        ),
    ),
]
