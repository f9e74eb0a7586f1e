"""MSK (Managed Streaming for Apache Kafka) clusters, provisioned and serverless (``ListClustersV2``
carries their tags)."""

from __future__ import annotations

from typing import Any, ClassVar

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import Call, Delete, Kind, Link, Tagging, TagsAt, arn_name

SERVICE = "kafka"
GONE = ("NotFoundException",)
BROKERS = "Provisioned.BrokerNodeGroupInfo"


class AwsMskCluster(AwsResource):
    kind: ClassVar[str] = "aws_msk_cluster"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "analytics", "icon": "cluster"}
    cluster_type: str | None = None
    cluster_state: str | None = None
    kafka_version: str | None = None
    number_of_broker_nodes: int | None = None
    broker_instance_type: str | None = None
    broker_volume_size: int | None = None
    subnet_ids: list[str] | None = None
    security_group_ids: list[str] | None = None
    kms_key_id: str | None = None


KINDS = [
    Kind(
        cls=AwsMskCluster,
        service=SERVICE,
        list=Call("ListClustersV2", "ClusterInfoList[]", page_size=100),
        id="ClusterName",
        name="ClusterName",
        arn="ClusterArn",
        ctime="CreationTime",
        tags=TagsAt("Tags", fmt="map"),
        fields={
            "cluster_type": "ClusterType",
            "cluster_state": "State",
            "kafka_version": "Provisioned.CurrentBrokerSoftwareInfo.KafkaVersion",
            "number_of_broker_nodes": "Provisioned.NumberOfBrokerNodes",
            "broker_instance_type": f"{BROKERS}.InstanceType",
            "broker_volume_size": f"{BROKERS}.StorageInfo.EbsStorageInfo.VolumeSize",
            "subnet_ids": f"{BROKERS}.ClientSubnets",
            "security_group_ids": f"{BROKERS}.SecurityGroups",
            "kms_key_id": "Provisioned.EncryptionInfo.EncryptionAtRest.DataVolumeKMSKeyId",
        },
        links=(
            Link("aws_ec2_subnet", f"{BROKERS}.ClientSubnets", delete="in"),
            Link("aws_ec2_security_group", f"{BROKERS}.SecurityGroups", delete="in"),
            Link(
                "aws_kms_key",
                "Provisioned.EncryptionInfo.EncryptionAtRest.DataVolumeKMSKeyId",
                default="out",
                delete="in",
                to_id=arn_name,
            ),
        ),
        get=Call("DescribeClusterV2", "ClusterInfo", item_args={"ClusterArn": "arn"}, gone=GONE),
        delete=Delete("DeleteCluster", {"ClusterArn": "arn"}, gone=GONE),
        tagging=Tagging("TagResource", "UntagResource", {"ResourceArn": "arn"}, fmt="map", gone=GONE),
    ),
]
