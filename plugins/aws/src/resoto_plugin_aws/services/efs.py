"""EFS file systems."""

from __future__ import annotations

from typing import ClassVar

from resoto_hookspecs import BaseNetworkShare

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import Call, Delete, Kind, Link, Tagging, TagsAt, arn_name

SERVICE = "efs"
GONE = ("FileSystemNotFound",)


class AwsEfsFileSystem(AwsResource, BaseNetworkShare):
    kind: ClassVar[str] = "aws_efs_file_system"
    owner_id: str | None = None
    creation_token: str | None = None
    performance_mode: str | None = None
    throughput_mode: str | None = None
    number_of_mount_targets: int | None = None
    kms_key_id: str | None = None


KINDS = [
    Kind(
        cls=AwsEfsFileSystem,
        service=SERVICE,
        list=Call("DescribeFileSystems", "FileSystems[]", page_size=100),
        id="FileSystemId",
        arn="FileSystemArn",
        tags=TagsAt("Tags"),
        ctime="CreationTime",
        fields={
            "share_status": "LifeCycleState",
            "share_size": "SizeInBytes.Value",
            "share_encrypted": "Encrypted",
            "share_throughput": "ProvisionedThroughputInMibps",
            "owner_id": "OwnerId",
            "creation_token": "CreationToken",
            "performance_mode": "PerformanceMode",
            "throughput_mode": "ThroughputMode",
            "number_of_mount_targets": "NumberOfMountTargets",
            "kms_key_id": "KmsKeyId",
        },
        links=(Link("aws_kms_key", "KmsKeyId", default="out", delete="in", to_id=arn_name),),
        get=Call("DescribeFileSystems", "FileSystems[]", item_args={"FileSystemId": "id"}, gone=GONE),
        delete=Delete("DeleteFileSystem", {"FileSystemId": "id"}, gone=GONE),
        tagging=Tagging("TagResource", "UntagResource", {"ResourceId": "id"}, gone=GONE),
    ),
]
