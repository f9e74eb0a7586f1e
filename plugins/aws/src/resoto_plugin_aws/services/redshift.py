"""Redshift provisioned clusters."""

from __future__ import annotations

from typing import Any, ClassVar

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import Call, Delete, Kind, Link, Tagging, TagsAt, arn_name

SERVICE = "redshift"
GONE = ("ClusterNotFound", "ClusterNotFoundFault")


class AwsRedshiftCluster(AwsResource):
    kind: ClassVar[str] = "aws_redshift_cluster"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "database", "icon": "database"}
    node_type: str | None = None
    number_of_nodes: int | None = None
    cluster_status: str | None = None
    cluster_version: str | None = None
    db_name: str | None = None
    master_username: str | None = None
    endpoint_address: str | None = None
    endpoint_port: int | None = None
    availability_zone: str | None = None
    publicly_accessible: bool | None = None
    encrypted: bool | None = None
    enhanced_vpc_routing: bool | None = None
    automated_snapshot_retention_period: int | None = None
    cluster_subnet_group_name: str | None = None
    vpc_id: str | None = None


KINDS = [
    Kind(
        cls=AwsRedshiftCluster,
        service=SERVICE,
        list=Call("DescribeClusters", "Clusters[]", page_size=100),
        id="ClusterIdentifier",
        arn="arn:{partition}:redshift:{region}:{account}:cluster:{id}",
        ctime="ClusterCreateTime",
        tags=TagsAt("Tags"),
        fields={
            "node_type": "NodeType",
            "number_of_nodes": "NumberOfNodes",
            "cluster_status": "ClusterStatus",
            "cluster_version": "ClusterVersion",
            "db_name": "DBName",
            "master_username": "MasterUsername",
            "endpoint_address": "Endpoint.Address",
            "endpoint_port": "Endpoint.Port",
            "availability_zone": "AvailabilityZone",
            "publicly_accessible": "PubliclyAccessible",
            "encrypted": "Encrypted",
            "enhanced_vpc_routing": "EnhancedVpcRouting",
            "automated_snapshot_retention_period": "AutomatedSnapshotRetentionPeriod",
            "cluster_subnet_group_name": "ClusterSubnetGroupName",
            "vpc_id": "VpcId",
        },
        links=(
            Link("aws_vpc", "VpcId", default="in", delete="in"),
            Link(
                "aws_ec2_security_group", "VpcSecurityGroups[].VpcSecurityGroupId", default="in", delete="in"
            ),
            Link("aws_kms_key", "KmsKeyId", default="out", delete="in", to_id=arn_name),
            Link("aws_iam_role", "IamRoles[].IamRoleArn", default="in", to_id=arn_name, global_=True),
        ),
        get=Call("DescribeClusters", "Clusters[]", item_args={"ClusterIdentifier": "id"}, gone=GONE),
        delete=Delete(
            "DeleteCluster",
            {"ClusterIdentifier": "id"},
            const={"SkipFinalClusterSnapshot": True},
            gone=GONE,
        ),
        tagging=Tagging("CreateTags", "DeleteTags", {"ResourceName": "arn"}, gone=GONE),
    ),
]
