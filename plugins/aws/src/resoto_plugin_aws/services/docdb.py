"""DocumentDB clusters. DocumentDB, Neptune and RDS share one control plane: each API lists the
clusters of every engine, so each of these kinds asks for its own engines only (and
``aws_rds_cluster`` leaves these out). :func:`cluster_kind` is shared with :mod:`.neptune`."""

from __future__ import annotations

from typing import Any, ClassVar

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import Call, Delete, Enrich, Kind, Link, Tagging, TagsAt, arn_name

GONE = ("DBClusterNotFoundFault",)


class AwsDocdbCluster(AwsResource):
    kind: ClassVar[str] = "aws_docdb_cluster"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "database", "icon": "cluster"}
    cluster_status: str | None = None
    cluster_engine: str | None = None
    cluster_engine_version: str | None = None
    cluster_endpoint: str | None = None
    cluster_reader_endpoint: str | None = None
    cluster_port: int | None = None
    cluster_multi_az: bool | None = None
    cluster_storage_encrypted: bool | None = None
    cluster_kms_key_id: str | None = None
    cluster_member_ids: list[str] | None = None
    cluster_deletion_protection: bool | None = None
    cluster_backup_retention_period: int | None = None


def cluster_kind(cls: type[AwsResource], service: str, engines: list[str]) -> Kind:
    return Kind(
        cls=cls,
        service=service,
        list=Call(
            "DescribeDBClusters",
            "DBClusters[]",
            args={"Filters": [{"Name": "engine", "Values": engines}]},
            page_size=100,
        ),
        id="DBClusterIdentifier",
        name="DBClusterIdentifier",
        arn="DBClusterArn",
        ctime="ClusterCreateTime",
        enrich=(
            Enrich("ListTagsForResource", {"ResourceName": "DBClusterArn"}, "TagList", "_tags", ignore=GONE),
        ),
        tags=TagsAt("_tags"),
        fields={
            "cluster_status": "Status",
            "cluster_engine": "Engine",
            "cluster_engine_version": "EngineVersion",
            "cluster_endpoint": "Endpoint",
            "cluster_reader_endpoint": "ReaderEndpoint",
            "cluster_port": "Port",
            "cluster_multi_az": "MultiAZ",
            "cluster_storage_encrypted": "StorageEncrypted",
            "cluster_kms_key_id": "KmsKeyId",
            "cluster_member_ids": "DBClusterMembers[].DBInstanceIdentifier",
            "cluster_deletion_protection": "DeletionProtection",
            "cluster_backup_retention_period": "BackupRetentionPeriod",
        },
        links=(
            Link("aws_ec2_security_group", "VpcSecurityGroups[].VpcSecurityGroupId", delete="in"),
            Link("aws_kms_key", "KmsKeyId", default="out", delete="in", to_id=arn_name),
            Link("aws_rds_instance", "DBClusterMembers[].DBInstanceIdentifier", default="out", delete="out"),
        ),
        get=Call("DescribeDBClusters", "DBClusters[]", item_args={"DBClusterIdentifier": "id"}, gone=GONE),
        delete=Delete(
            "DeleteDBCluster", {"DBClusterIdentifier": "id"}, const={"SkipFinalSnapshot": True}, gone=GONE
        ),
        tagging=Tagging("AddTagsToResource", "RemoveTagsFromResource", {"ResourceName": "arn"}, gone=GONE),
    )


KINDS = [cluster_kind(AwsDocdbCluster, "docdb", ["docdb"])]
