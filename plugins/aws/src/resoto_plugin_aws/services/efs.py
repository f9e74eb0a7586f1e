"""EFS file systems, their access points and mount targets."""

from __future__ import annotations

from typing import Any, ClassVar

from resoto_hookspecs import BaseNetworkShare

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import Call, Delete, Kind, Link, Tagging, TagsAt, arn_name

SERVICE = "efs"
GONE = ("FileSystemNotFound",)
AP_GONE = ("AccessPointNotFound",)
MT_GONE = ("MountTargetNotFound",)


class AwsEfsFileSystem(AwsResource, BaseNetworkShare):
    kind: ClassVar[str] = "aws_efs_file_system"
    owner_id: str | None = None
    creation_token: str | None = None
    performance_mode: str | None = None
    throughput_mode: str | None = None
    number_of_mount_targets: int | None = None
    kms_key_id: str | None = None


class AwsEfsAccessPoint(AwsResource):
    kind: ClassVar[str] = "aws_efs_access_point"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "storage", "icon": "endpoint"}
    file_system_id: str | None = None
    access_point_status: str | None = None
    root_directory_path: str | None = None
    posix_user_uid: int | None = None
    posix_user_gid: int | None = None
    owner_id: str | None = None


class AwsEfsMountTarget(AwsResource):
    kind: ClassVar[str] = "aws_efs_mount_target"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "storage", "icon": "endpoint"}
    taggable: ClassVar[bool] = False  # mount targets have no tags
    file_system_id: str | None = None
    mount_target_status: str | None = None
    subnet_id: str | None = None
    vpc_id: str | None = None
    ip_address: str | None = None
    network_interface_id: str | None = None
    availability_zone: str | None = None
    owner_id: str | None = None


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
    Kind(
        cls=AwsEfsAccessPoint,
        service=SERVICE,
        list=Call("DescribeAccessPoints", "AccessPoints[]", page_size=100),
        id="AccessPointId",
        arn="AccessPointArn",
        tags=TagsAt("Tags"),
        skip=lambda i: i.get("LifeCycleState") in ("deleting", "deleted"),
        fields={
            "file_system_id": "FileSystemId",
            "access_point_status": "LifeCycleState",
            "root_directory_path": "RootDirectory.Path",
            "posix_user_uid": "PosixUser.Uid",
            "posix_user_gid": "PosixUser.Gid",
            "owner_id": "OwnerId",
        },
        # the file system can only go once its access points are gone
        links=(Link("aws_efs_file_system", "FileSystemId", default="in", delete="in"),),
        get=Call("DescribeAccessPoints", "AccessPoints[]", item_args={"AccessPointId": "id"}, gone=AP_GONE),
        delete=Delete("DeleteAccessPoint", {"AccessPointId": "id"}, gone=AP_GONE),
        tagging=Tagging("TagResource", "UntagResource", {"ResourceId": "id"}, gone=AP_GONE),
    ),
    Kind(
        cls=AwsEfsMountTarget,
        service=SERVICE,
        parent="aws_efs_file_system",
        list=Call(
            "DescribeMountTargets",
            "MountTargets[]",
            item_args={"FileSystemId": "FileSystemId"},
            page_size=100,
        ),
        id="MountTargetId",
        arn="arn:{partition}:elasticfilesystem:{region}:{account}:mount-target/{id}",
        skip=lambda i: i.get("LifeCycleState") in ("deleting", "deleted"),
        fields={
            "file_system_id": "FileSystemId",
            "mount_target_status": "LifeCycleState",
            "subnet_id": "SubnetId",
            "vpc_id": "VpcId",
            "ip_address": "IpAddress",
            "network_interface_id": "NetworkInterfaceId",
            "availability_zone": "AvailabilityZoneName",
            "owner_id": "OwnerId",
        },
        links=(
            Link("aws_efs_file_system", "FileSystemId", default=None, delete="in"),
            Link("aws_ec2_subnet", "SubnetId", default="in", delete="in"),
            Link("aws_ec2_network_interface", "NetworkInterfaceId", default="out", delete="in"),
        ),
        get=Call("DescribeMountTargets", "MountTargets[]", item_args={"MountTargetId": "id"}, gone=MT_GONE),
        delete=Delete("DeleteMountTarget", {"MountTargetId": "id"}, gone=MT_GONE),
    ),
]
