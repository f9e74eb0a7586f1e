"""RDS instances, clusters, snapshots and cluster snapshots."""

from __future__ import annotations

from typing import ClassVar

from resoto_hookspecs import BaseDatabase, BaseSnapshot

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import Call, Delete, Kind, Link, Tagging, TagsAt, arn_name

SERVICE = "rds"
TAGGING = Tagging("AddTagsToResource", "RemoveTagsFromResource", {"ResourceName": "arn"})
KMS = Link("aws_kms_key", "KmsKeyId", default="out", delete="in", to_id=arn_name)


class AwsRdsInstance(AwsResource, BaseDatabase):
    kind: ClassVar[str] = "aws_rds_instance"
    availability_zone: str | None = None
    multi_az: bool | None = None
    storage_type: str | None = None
    db_cluster_identifier: str | None = None
    db_subnet_group: str | None = None
    vpc_id: str | None = None
    security_group_ids: list[str] | None = None
    kms_key_id: str | None = None
    deletion_protection: bool | None = None
    backup_retention_period: int | None = None


class AwsRdsCluster(AwsResource, BaseDatabase):
    kind: ClassVar[str] = "aws_rds_cluster"
    multi_az: bool | None = None
    members: list[str] | None = None
    security_group_ids: list[str] | None = None
    kms_key_id: str | None = None
    deletion_protection: bool | None = None


class AwsRdsSnapshot(AwsResource, BaseSnapshot):
    kind: ClassVar[str] = "aws_rds_snapshot"
    snapshot_type: str | None = None
    db_instance_identifier: str | None = None
    engine: str | None = None
    kms_key_id: str | None = None


class AwsRdsClusterSnapshot(AwsResource):
    kind: ClassVar[str] = "aws_rds_cluster_snapshot"
    snapshot_status: str | None = None
    snapshot_type: str | None = None
    db_cluster_identifier: str | None = None
    engine: str | None = None
    encrypted: bool | None = None


OTHER_ENGINES = ("docdb", "neptune")
"""Clusters the RDS API lists too, collected as ``aws_docdb_cluster`` and ``aws_neptune_cluster``."""

KINDS = [
    Kind(
        cls=AwsRdsInstance,
        service=SERVICE,
        list=Call("DescribeDBInstances", "DBInstances[]", page_size=100),
        id="DBInstanceIdentifier",
        name="DBInstanceIdentifier",
        arn="DBInstanceArn",
        tags=TagsAt("TagList"),
        ctime="InstanceCreateTime",
        fields={
            "db_type": "Engine",
            "db_version": "EngineVersion",
            "db_status": "DBInstanceStatus",
            "db_endpoint": "Endpoint.Address",
            "db_publicly_accessible": "PubliclyAccessible",
            "instance_type": "DBInstanceClass",
            "volume_size": "AllocatedStorage",
            "volume_iops": "Iops",
            "volume_encrypted": "StorageEncrypted",
            "availability_zone": "AvailabilityZone",
            "multi_az": "MultiAZ",
            "storage_type": "StorageType",
            "db_cluster_identifier": "DBClusterIdentifier",
            "db_subnet_group": "DBSubnetGroup.DBSubnetGroupName",
            "vpc_id": "DBSubnetGroup.VpcId",
            "security_group_ids": "VpcSecurityGroups[].VpcSecurityGroupId",
            "kms_key_id": "KmsKeyId",
            "deletion_protection": "DeletionProtection",
            "backup_retention_period": "BackupRetentionPeriod",
        },
        links=(
            Link("aws_vpc", "DBSubnetGroup.VpcId", default="in", delete="in"),
            Link("aws_ec2_subnet", "DBSubnetGroup.Subnets[].SubnetIdentifier", default="in", delete="in"),
            Link(
                "aws_ec2_security_group", "VpcSecurityGroups[].VpcSecurityGroupId", default="in", delete="in"
            ),
            Link("aws_rds_cluster", "DBClusterIdentifier", default="in", delete="in"),
            KMS,
        ),
        get=Call(
            "DescribeDBInstances",
            "DBInstances[]",
            item_args={"DBInstanceIdentifier": "id"},
            gone=("DBInstanceNotFound", "DBInstanceNotFoundFault"),
        ),
        delete=Delete(
            "DeleteDBInstance",
            {"DBInstanceIdentifier": "id"},
            const={"SkipFinalSnapshot": True},
            gone=("DBInstanceNotFound", "DBInstanceNotFoundFault"),
        ),
        tagging=TAGGING,
    ),
    Kind(
        cls=AwsRdsCluster,
        service=SERVICE,
        list=Call("DescribeDBClusters", "DBClusters[]", page_size=100),
        skip=lambda i: i.get("Engine") in OTHER_ENGINES,
        id="DBClusterIdentifier",
        name="DBClusterIdentifier",
        arn="DBClusterArn",
        tags=TagsAt("TagList"),
        ctime="ClusterCreateTime",
        fields={
            "db_type": "Engine",
            "db_version": "EngineVersion",
            "db_status": "Status",
            "db_endpoint": "Endpoint",
            "db_publicly_accessible": "PubliclyAccessible",
            "instance_type": "DBClusterInstanceClass",
            "volume_size": "AllocatedStorage",
            "volume_iops": "Iops",
            "volume_encrypted": "StorageEncrypted",
            "multi_az": "MultiAZ",
            "members": "DBClusterMembers[].DBInstanceIdentifier",
            "security_group_ids": "VpcSecurityGroups[].VpcSecurityGroupId",
            "kms_key_id": "KmsKeyId",
            "deletion_protection": "DeletionProtection",
        },
        links=(
            Link(
                "aws_ec2_security_group", "VpcSecurityGroups[].VpcSecurityGroupId", default="in", delete="in"
            ),
            KMS,
        ),
        get=Call(
            "DescribeDBClusters",
            "DBClusters[]",
            item_args={"DBClusterIdentifier": "id"},
            gone=("DBClusterNotFoundFault",),
        ),
        delete=Delete(
            "DeleteDBCluster",
            {"DBClusterIdentifier": "id"},
            const={"SkipFinalSnapshot": True},
            gone=("DBClusterNotFoundFault",),
        ),
        tagging=TAGGING,
    ),
    Kind(
        cls=AwsRdsSnapshot,
        service=SERVICE,
        list=Call("DescribeDBSnapshots", "DBSnapshots[]", page_size=100),
        id="DBSnapshotIdentifier",
        name="DBSnapshotIdentifier",
        arn="DBSnapshotArn",
        tags=TagsAt("TagList"),
        ctime="SnapshotCreateTime",
        fields={
            "snapshot_status": "Status",
            "volume_size": "AllocatedStorage",
            "encrypted": "Encrypted",
            "snapshot_type": "SnapshotType",
            "db_instance_identifier": "DBInstanceIdentifier",
            "engine": "Engine",
            "kms_key_id": "KmsKeyId",
        },
        links=(Link("aws_rds_instance", "DBInstanceIdentifier", default="in"),),
        get=Call(
            "DescribeDBSnapshots",
            "DBSnapshots[]",
            item_args={"DBSnapshotIdentifier": "id"},
            gone=("DBSnapshotNotFound", "DBSnapshotNotFoundFault"),
        ),
        delete=Delete(
            "DeleteDBSnapshot",
            {"DBSnapshotIdentifier": "id"},
            gone=("DBSnapshotNotFound", "DBSnapshotNotFoundFault"),
        ),
        tagging=TAGGING,
    ),
    Kind(
        cls=AwsRdsClusterSnapshot,
        service=SERVICE,
        list=Call("DescribeDBClusterSnapshots", "DBClusterSnapshots[]", page_size=100),
        id="DBClusterSnapshotIdentifier",
        name="DBClusterSnapshotIdentifier",
        arn="DBClusterSnapshotArn",
        tags=TagsAt("TagList"),
        ctime="SnapshotCreateTime",
        fields={
            "snapshot_status": "Status",
            "snapshot_type": "SnapshotType",
            "db_cluster_identifier": "DBClusterIdentifier",
            "engine": "Engine",
            "encrypted": "StorageEncrypted",
        },
        links=(Link("aws_rds_cluster", "DBClusterIdentifier", default="in"),),
        get=Call(
            "DescribeDBClusterSnapshots",
            "DBClusterSnapshots[]",
            item_args={"DBClusterSnapshotIdentifier": "id"},
            gone=("DBClusterSnapshotNotFoundFault",),
        ),
        delete=Delete(
            "DeleteDBClusterSnapshot",
            {"DBClusterSnapshotIdentifier": "id"},
            gone=("DBClusterSnapshotNotFoundFault",),
        ),
        tagging=TAGGING,
    ),
]
