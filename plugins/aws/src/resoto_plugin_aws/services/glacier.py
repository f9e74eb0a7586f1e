"""Glacier vaults (the account is ``-``: the caller's own)."""

from __future__ import annotations

from typing import Any, ClassVar

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import Call, Delete, Enrich, Kind, Tagging, TagsAt

SERVICE = "glacier"
GONE = ("ResourceNotFoundException",)
ACCOUNT = {"accountId": "-"}


class AwsGlacierVault(AwsResource):
    kind: ClassVar[str] = "aws_glacier_vault"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "storage", "icon": "bucket"}
    number_of_archives: int | None = None
    size_in_bytes: int | None = None
    last_inventory_date: str | None = None


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
]
