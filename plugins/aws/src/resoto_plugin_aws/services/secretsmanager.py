"""Secrets Manager secrets (metadata only: secret values are never read)."""

from __future__ import annotations

from typing import ClassVar

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import Call, Delete, Kind, Link, Tagging, TagsAt, arn_name

SERVICE = "secretsmanager"
GONE = ("ResourceNotFoundException",)


class AwsSecretsmanagerSecret(AwsResource):
    kind: ClassVar[str] = "aws_secretsmanager_secret"
    description: str | None = None
    kms_key_id: str | None = None
    rotation_enabled: bool | None = None
    owning_service: str | None = None


KINDS = [
    Kind(
        cls=AwsSecretsmanagerSecret,
        service=SERVICE,
        list=Call("ListSecrets", "SecretList[]", page_size=100),
        id="Name",
        name="Name",
        arn="ARN",
        tags=TagsAt("Tags"),
        ctime="CreatedDate",
        fields={
            "mtime": "LastChangedDate",
            "atime": "LastAccessedDate",
            "description": "Description",
            "kms_key_id": "KmsKeyId",
            "rotation_enabled": "RotationEnabled",
            "owning_service": "OwningService",
        },
        links=(Link("aws_kms_key", "KmsKeyId", default="out", delete="in", to_id=arn_name),),
        get=Call("DescribeSecret", "@", item_args={"SecretId": "id"}, gone=GONE),
        delete=Delete("DeleteSecret", {"SecretId": "id"}, const={"RecoveryWindowInDays": 7}, gone=GONE),
        tagging=Tagging("TagResource", "UntagResource", {"SecretId": "id"}, gone=GONE),
    ),
]
