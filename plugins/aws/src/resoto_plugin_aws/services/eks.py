"""EKS clusters and their managed node groups.

``ListClusters``/``ListNodegroups`` return names only; one ``DescribeCluster``/``DescribeNodegroup``
per item gives the details and tags (EKS has no batch describe).
"""

from __future__ import annotations

from typing import Any, ClassVar

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import Call, Delete, Enrich, Json, Kind, Link, Tagging, TagsAt, arn_name

SERVICE = "eks"
GONE = ("ResourceNotFoundException",)
TAGGING = Tagging(
    "TagResource",
    "UntagResource",
    {"resourceArn": "arn"},
    tags_arg="tags",
    fmt="map",
    keys_arg="tagKeys",
    gone=GONE,
)


class AwsEksCluster(AwsResource):
    kind: ClassVar[str] = "aws_eks_cluster"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "compute", "icon": "cluster"}
    cluster_version: str | None = None
    cluster_status: str | None = None
    endpoint: str | None = None
    platform_version: str | None = None
    role_arn: str | None = None
    vpc_id: str | None = None
    subnet_ids: list[str] | None = None
    security_group_ids: list[str] | None = None
    endpoint_public_access: bool | None = None


class AwsEksNodegroup(AwsResource):
    kind: ClassVar[str] = "aws_eks_nodegroup"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "compute", "icon": "group"}
    cluster_name: str | None = None
    nodegroup_name: str | None = None
    nodegroup_status: str | None = None
    capacity_type: str | None = None
    instance_types: list[str] | None = None
    ami_type: str | None = None
    node_role: str | None = None
    min_size: int | None = None
    max_size: int | None = None
    desired_size: int | None = None
    subnet_ids: list[str] | None = None
    autoscaling_group_names: list[str] | None = None


def _nodegroup_prepare(item: Json) -> None:
    """List items are ``{name}`` below a cluster; ``get`` answers are nodegroup structures."""
    item["_cluster"] = item.get("_parent_id") or item.get("clusterName")
    item["_ng"] = item.get("name") or item.get("nodegroupName")
    item["_id"] = f"{item['_cluster']}/{item['_ng']}"


VPC = "_c.resourcesVpcConfig"
SCALING = "_n.scalingConfig"

KINDS = [
    Kind(
        cls=AwsEksCluster,
        service=SERVICE,
        list=Call("ListClusters", "clusters[]", page_size=100, wrap="name"),
        id="name",
        arn="_c.arn",
        ctime="_c.createdAt",
        enrich=(Enrich("DescribeCluster", {"name": "name"}, "cluster", "_c", ignore=GONE),),
        tags=TagsAt("_c.tags", fmt="map"),
        fields={
            "cluster_version": "_c.version",
            "cluster_status": "_c.status",
            "endpoint": "_c.endpoint",
            "platform_version": "_c.platformVersion",
            "role_arn": "_c.roleArn",
            "vpc_id": f"{VPC}.vpcId",
            "subnet_ids": f"{VPC}.subnetIds",
            "security_group_ids": f"{VPC}.securityGroupIds",
            "endpoint_public_access": f"{VPC}.endpointPublicAccess",
        },
        links=(
            Link("aws_vpc", f"{VPC}.vpcId", default="in", delete="in"),
            Link("aws_ec2_subnet", f"{VPC}.subnetIds", default="in", delete="in"),
            Link("aws_ec2_security_group", f"{VPC}.securityGroupIds", default="in", delete="in"),
            Link("aws_iam_role", "_c.roleArn", default="in", to_id=arn_name, global_=True),
            Link(
                "aws_kms_key",
                "_c.encryptionConfig[].provider.keyArn",
                default="out",
                delete="in",
                to_id=arn_name,
            ),
        ),
        get=Call("DescribeCluster", "cluster", item_args={"name": "id"}, gone=GONE),
        delete=Delete("DeleteCluster", {"name": "id"}, gone=GONE),
        tagging=TAGGING,
    ),
    Kind(
        cls=AwsEksNodegroup,
        service=SERVICE,
        parent="aws_eks_cluster",
        list=Call(
            "ListNodegroups", "nodegroups[]", item_args={"clusterName": "name"}, page_size=100, wrap="name"
        ),
        id="_id",
        name="_ng",
        arn="_n.nodegroupArn",
        ctime="_n.createdAt",
        prepare=_nodegroup_prepare,
        enrich=(
            Enrich(
                "DescribeNodegroup",
                {"clusterName": "_cluster", "nodegroupName": "_ng"},
                "nodegroup",
                "_n",
                ignore=GONE,
            ),
        ),
        tags=TagsAt("_n.tags", fmt="map"),
        fields={
            "cluster_name": "_cluster",
            "nodegroup_name": "_ng",
            "nodegroup_status": "_n.status",
            "capacity_type": "_n.capacityType",
            "instance_types": "_n.instanceTypes",
            "ami_type": "_n.amiType",
            "node_role": "_n.nodeRole",
            "min_size": f"{SCALING}.minSize",
            "max_size": f"{SCALING}.maxSize",
            "desired_size": f"{SCALING}.desiredSize",
            "subnet_ids": "_n.subnets",
            "autoscaling_group_names": "_n.resources.autoScalingGroups[].name",
        },
        links=(
            # the cluster can only be deleted once its node groups are gone
            Link("aws_eks_cluster", "_cluster", default=None, delete="in"),
            Link("aws_autoscaling_group", "_n.resources.autoScalingGroups[].name", default="out"),
            Link("aws_ec2_subnet", "_n.subnets", default="in", delete="in"),
            Link("aws_iam_role", "_n.nodeRole", default="in", to_id=arn_name, global_=True),
        ),
        get=Call(
            "DescribeNodegroup",
            "nodegroup",
            item_args={"clusterName": "cluster_name", "nodegroupName": "nodegroup_name"},
            gone=GONE,
        ),
        delete=Delete(
            "DeleteNodegroup", {"clusterName": "cluster_name", "nodegroupName": "nodegroup_name"}, gone=GONE
        ),
        tagging=TAGGING,
    ),
]
