"""ElastiCache cache clusters, replication groups and cache subnet groups.

Tags need one ``ListTagsForResource`` per item: ElastiCache has no batch tag read.
"""

from __future__ import annotations

from typing import Any, ClassVar

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import Call, Delete, Enrich, Kind, Link, Tagging, TagsAt, arn_name

SERVICE = "elasticache"
CLUSTER_GONE = ("CacheClusterNotFound", "CacheClusterNotFoundFault")
GROUP_GONE = ("ReplicationGroupNotFoundFault",)
SUBNET_GROUP_GONE = ("CacheSubnetGroupNotFoundFault",)
TAGGING = Tagging("AddTagsToResource", "RemoveTagsFromResource", {"ResourceName": "arn"})


def _multi_az(item: dict[str, Any]) -> bool | None:
    """The API's ``enabled``/``disabled`` as the boolean RDS's ``multi_az`` is."""
    value = item.get("MultiAZ")
    return None if value is None else value == "enabled"


def _tags(gone: tuple[str, ...]) -> Enrich:
    return Enrich("ListTagsForResource", {"ResourceName": "ARN"}, "TagList", "_tags", ignore=gone)


class AwsElastiCacheCacheCluster(AwsResource):
    kind: ClassVar[str] = "aws_elasticache_cache_cluster"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "database", "icon": "database"}
    engine: str | None = None
    engine_version: str | None = None
    cache_node_type: str | None = None
    cache_cluster_status: str | None = None
    num_cache_nodes: int | None = None
    preferred_availability_zone: str | None = None
    cache_subnet_group_name: str | None = None
    replication_group_id: str | None = None
    security_group_ids: list[str] | None = None
    transit_encryption_enabled: bool | None = None
    at_rest_encryption_enabled: bool | None = None


class AwsElastiCacheReplicationGroup(AwsResource):
    kind: ClassVar[str] = "aws_elasticache_replication_group"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "database", "icon": "group"}
    description: str | None = None
    replication_group_status: str | None = None
    member_clusters: list[str] | None = None
    cache_node_type: str | None = None
    automatic_failover: str | None = None
    multi_az: bool | None = None  # the API says "enabled"/"disabled"; a boolean like RDS's multi_az
    cluster_enabled: bool | None = None
    kms_key_id: str | None = None
    transit_encryption_enabled: bool | None = None
    at_rest_encryption_enabled: bool | None = None


class AwsElastiCacheSubnetGroup(AwsResource):
    kind: ClassVar[str] = "aws_elasticache_subnet_group"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "networking", "icon": "subnet"}
    description: str | None = None
    vpc_id: str | None = None
    subnet_ids: list[str] | None = None


KINDS = [
    Kind(
        cls=AwsElastiCacheCacheCluster,
        service=SERVICE,
        list=Call("DescribeCacheClusters", "CacheClusters[]", page_size=100),
        id="CacheClusterId",
        arn="ARN",
        ctime="CacheClusterCreateTime",
        enrich=(_tags(CLUSTER_GONE),),
        tags=TagsAt("_tags"),
        skip=lambda i: i.get("CacheClusterStatus") == "deleting",
        fields={
            "engine": "Engine",
            "engine_version": "EngineVersion",
            "cache_node_type": "CacheNodeType",
            "cache_cluster_status": "CacheClusterStatus",
            "num_cache_nodes": "NumCacheNodes",
            "preferred_availability_zone": "PreferredAvailabilityZone",
            "cache_subnet_group_name": "CacheSubnetGroupName",
            "replication_group_id": "ReplicationGroupId",
            "security_group_ids": "SecurityGroups[].SecurityGroupId",
            "transit_encryption_enabled": "TransitEncryptionEnabled",
            "at_rest_encryption_enabled": "AtRestEncryptionEnabled",
        },
        links=(
            # a member cluster goes with its replication group: the group is deleted first
            Link("aws_elasticache_replication_group", "ReplicationGroupId", default="in", delete="out"),
            Link("aws_elasticache_subnet_group", "CacheSubnetGroupName", default="in", delete="in"),
            Link("aws_ec2_security_group", "SecurityGroups[].SecurityGroupId", default="in", delete="in"),
            Link("aws_sns_topic", "NotificationConfiguration.TopicArn", default="out"),
        ),
        get=Call(
            "DescribeCacheClusters", "CacheClusters[]", item_args={"CacheClusterId": "id"}, gone=CLUSTER_GONE
        ),
        delete=Delete("DeleteCacheCluster", {"CacheClusterId": "id"}, gone=CLUSTER_GONE),
        tagging=TAGGING,
    ),
    Kind(
        cls=AwsElastiCacheReplicationGroup,
        service=SERVICE,
        list=Call("DescribeReplicationGroups", "ReplicationGroups[]", page_size=100),
        id="ReplicationGroupId",
        arn="ARN",
        ctime="ReplicationGroupCreateTime",
        enrich=(_tags(GROUP_GONE),),
        tags=TagsAt("_tags"),
        skip=lambda i: i.get("Status") == "deleting",
        fields={
            "description": "Description",
            "replication_group_status": "Status",
            "member_clusters": "MemberClusters",
            "cache_node_type": "CacheNodeType",
            "automatic_failover": "AutomaticFailover",
            "multi_az": _multi_az,
            "cluster_enabled": "ClusterEnabled",
            "kms_key_id": "KmsKeyId",
            "transit_encryption_enabled": "TransitEncryptionEnabled",
            "at_rest_encryption_enabled": "AtRestEncryptionEnabled",
        },
        links=(Link("aws_kms_key", "KmsKeyId", default="out", delete="in", to_id=arn_name),),
        get=Call(
            "DescribeReplicationGroups",
            "ReplicationGroups[]",
            item_args={"ReplicationGroupId": "id"},
            gone=GROUP_GONE,
        ),
        delete=Delete("DeleteReplicationGroup", {"ReplicationGroupId": "id"}, gone=GROUP_GONE),
        tagging=TAGGING,
    ),
    Kind(
        cls=AwsElastiCacheSubnetGroup,
        service=SERVICE,
        list=Call("DescribeCacheSubnetGroups", "CacheSubnetGroups[]", page_size=100),
        id="CacheSubnetGroupName",
        arn="ARN",
        enrich=(_tags(SUBNET_GROUP_GONE),),
        tags=TagsAt("_tags"),
        skip=lambda i: i.get("CacheSubnetGroupName") == "default",
        fields={
            "description": "CacheSubnetGroupDescription",
            "vpc_id": "VpcId",
            "subnet_ids": "Subnets[].SubnetIdentifier",
        },
        links=(
            Link("aws_vpc", "VpcId", default="in", delete="in"),
            Link("aws_ec2_subnet", "Subnets[].SubnetIdentifier", default="in", delete="in"),
        ),
        get=Call(
            "DescribeCacheSubnetGroups",
            "CacheSubnetGroups[]",
            item_args={"CacheSubnetGroupName": "id"},
            gone=SUBNET_GROUP_GONE,
        ),
        delete=Delete("DeleteCacheSubnetGroup", {"CacheSubnetGroupName": "id"}, gone=SUBNET_GROUP_GONE),
        tagging=TAGGING,
    ),
]
