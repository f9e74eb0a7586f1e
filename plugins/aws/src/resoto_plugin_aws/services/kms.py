"""KMS keys."""

from __future__ import annotations

from typing import ClassVar

from resoto_hookspecs import BaseAccessKey, NotSupported

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import Api, Call, Delete, Enrich, Kind, Tagging, TagsAt

SERVICE = "kms"
GONE = ("NotFoundException",)


class AwsKmsKey(AwsResource, BaseAccessKey):
    kind: ClassVar[str] = "aws_kms_key"
    key_state: str | None = None
    key_usage: str | None = None
    key_manager: str | None = None
    key_spec: str | None = None
    origin: str | None = None
    description: str | None = None
    enabled: bool | None = None
    deletion_date: str | None = None


def _schedule_deletion(ctx: Api, resource: AwsResource) -> None:
    assert isinstance(resource, AwsKmsKey)
    if resource.key_manager == "AWS":
        raise NotSupported("AWS-managed KMS keys cannot be deleted")
    if resource.key_state == "PendingDeletion":
        return
    ctx.call(SERVICE, "ScheduleKeyDeletion", KeyId=resource.id, PendingWindowInDays=7)


KINDS = [
    Kind(
        cls=AwsKmsKey,
        service=SERVICE,
        list=Call("ListKeys", "Keys[]", page_size=1000),
        id="KeyId",
        arn="KeyArn",
        enrich=(
            Enrich("DescribeKey", {"KeyId": "KeyId"}, "KeyMetadata", "_meta", ignore=GONE),
            Enrich(
                "ListResourceTags",
                {"KeyId": "KeyId"},
                "Tags",
                "_tags",
                ignore=(*GONE, "AccessDeniedException"),
                when=lambda i: (i.get("_meta") or {}).get("KeyManager") != "AWS",
                tagging_api="kms",
            ),
        ),
        tags=TagsAt("_tags", fmt="kms"),
        ctime="_meta.CreationDate",
        fields={
            "key_state": "_meta.KeyState",
            "key_usage": "_meta.KeyUsage",
            "key_manager": "_meta.KeyManager",
            "key_spec": "_meta.KeySpec",
            "origin": "_meta.Origin",
            "description": "_meta.Description",
            "enabled": "_meta.Enabled",
            "deletion_date": lambda i: (
                str(i["_meta"]["DeletionDate"]) if (i.get("_meta") or {}).get("DeletionDate") else None
            ),
            "access_key_status": "_meta.KeyState",
        },
        get=Call("DescribeKey", "KeyMetadata", item_args={"KeyId": "id"}, gone=GONE),
        delete=Delete("ScheduleKeyDeletion", {"KeyId": "id"}, const={"PendingWindowInDays": 7}, gone=GONE),
        delete_fn=_schedule_deletion,
        tagging=Tagging("TagResource", "UntagResource", {"KeyId": "id"}, fmt="kms", gone=GONE),
    ),
]
