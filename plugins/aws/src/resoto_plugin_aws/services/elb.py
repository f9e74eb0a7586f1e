"""Load balancers: ELBv2 (ALB/NLB) with target groups, and classic ELB."""

from __future__ import annotations

from typing import ClassVar

from resoto_hookspecs import BaseLoadBalancer

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import Call, Delete, Enrich, Json, Kind, Link, Tagging, TagsAt

V2 = "elbv2"
CLASSIC = "elb"


def _lb_name(arn: str) -> str | None:
    """``...:loadbalancer/app/<name>/<id>`` -> ``<name>``."""
    parts = arn.split("/")
    return parts[-2] if len(parts) >= 3 else None


class AwsAlb(AwsResource, BaseLoadBalancer):
    kind: ClassVar[str] = "aws_alb"
    scheme: str | None = None
    dns_name: str | None = None
    vpc_id: str | None = None
    lb_state: str | None = None
    ip_address_type: str | None = None
    subnet_ids: list[str] | None = None
    security_group_ids: list[str] | None = None


class AwsAlbTargetGroup(AwsResource):
    kind: ClassVar[str] = "aws_alb_target_group"
    target_type: str | None = None
    protocol: str | None = None
    port: int | None = None
    vpc_id: str | None = None
    load_balancer_arns: list[str] | None = None
    target_ids: list[str] | None = None
    health_check_path: str | None = None


class AwsElb(AwsResource, BaseLoadBalancer):
    kind: ClassVar[str] = "aws_elb"
    scheme: str | None = None
    dns_name: str | None = None
    vpc_id: str | None = None
    subnet_ids: list[str] | None = None
    security_group_ids: list[str] | None = None


def _v2_tags(key: str) -> Enrich:
    return Enrich(
        "DescribeTags",
        {"ResourceArns": key},
        "TagDescriptions",
        "_tagdesc",
        batch=20,
        match="ResourceArn",
        key=key,
    )


V2_TAGGING = Tagging("AddTags", "RemoveTags", {"ResourceArns": "[arn]"})
V2_GONE = ("LoadBalancerNotFound", "TargetGroupNotFound")


def _instance_targets(item: Json) -> list[str]:
    if item.get("TargetType") != "instance":
        return []
    return [str(t["Target"]["Id"]) for t in item.get("_targets") or [] if t.get("Target", {}).get("Id")]


KINDS = [
    Kind(
        cls=AwsAlb,
        service=V2,
        list=Call("DescribeLoadBalancers", "LoadBalancers[]", page_size=400),
        id="LoadBalancerName",
        name="LoadBalancerName",
        arn="LoadBalancerArn",
        ctime="CreatedTime",
        enrich=(_v2_tags("LoadBalancerArn"),),
        tags=TagsAt("_tagdesc.Tags"),
        fields={
            "lb_type": "Type",
            "scheme": "Scheme",
            "dns_name": "DNSName",
            "vpc_id": "VpcId",
            "lb_state": "State.Code",
            "ip_address_type": "IpAddressType",
            "subnet_ids": "AvailabilityZones[].SubnetId",
            "security_group_ids": "SecurityGroups",
        },
        links=(
            Link("aws_vpc", "VpcId", default="in", delete="in"),
            Link("aws_ec2_subnet", "AvailabilityZones[].SubnetId", default="in", delete="in"),
            Link("aws_ec2_security_group", "SecurityGroups", default="in", delete="in"),
        ),
        get=Call("DescribeLoadBalancers", "LoadBalancers[]", item_args={"Names": "[id]"}, gone=V2_GONE),
        delete=Delete("DeleteLoadBalancer", {"LoadBalancerArn": "arn"}, gone=V2_GONE),
        tagging=V2_TAGGING,
    ),
    Kind(
        cls=AwsAlbTargetGroup,
        service=V2,
        list=Call("DescribeTargetGroups", "TargetGroups[]", page_size=400),
        id="TargetGroupName",
        name="TargetGroupName",
        arn="TargetGroupArn",
        enrich=(
            _v2_tags("TargetGroupArn"),
            Enrich(
                "DescribeTargetHealth",
                {"TargetGroupArn": "TargetGroupArn"},
                "TargetHealthDescriptions",
                "_targets",
                ignore=V2_GONE,
            ),
        ),
        tags=TagsAt("_tagdesc.Tags"),
        fields={
            "target_type": "TargetType",
            "protocol": "Protocol",
            "port": "Port",
            "vpc_id": "VpcId",
            "load_balancer_arns": "LoadBalancerArns",
            "target_ids": "_targets[].Target.Id",
            "health_check_path": "HealthCheckPath",
        },
        links=(
            Link("aws_alb", "LoadBalancerArns", default="in", delete="out", to_id=_lb_name),
            Link("aws_ec2_instance", _instance_targets, default="out"),
            Link("aws_vpc", "VpcId", default=None, delete="in"),
        ),
        get=Call("DescribeTargetGroups", "TargetGroups[]", item_args={"Names": "[id]"}, gone=V2_GONE),
        delete=Delete("DeleteTargetGroup", {"TargetGroupArn": "arn"}, gone=V2_GONE),
        tagging=V2_TAGGING,
    ),
    Kind(
        cls=AwsElb,
        service=CLASSIC,
        list=Call("DescribeLoadBalancers", "LoadBalancerDescriptions[]", page_size=400),
        id="LoadBalancerName",
        name="LoadBalancerName",
        arn="arn:{partition}:elasticloadbalancing:{region}:{account}:loadbalancer/{id}",
        ctime="CreatedTime",
        enrich=(
            Enrich(
                "DescribeTags",
                {"LoadBalancerNames": "LoadBalancerName"},
                "TagDescriptions",
                "_tagdesc",
                batch=20,
                match="LoadBalancerName",
                key="LoadBalancerName",
            ),
        ),
        tags=TagsAt("_tagdesc.Tags"),
        fields={
            "lb_type": lambda i: "elb",
            "scheme": "Scheme",
            "dns_name": "DNSName",
            "vpc_id": "VPCId",
            "subnet_ids": "Subnets",
            "security_group_ids": "SecurityGroups",
            "backends": "Instances[].InstanceId",
        },
        links=(
            Link("aws_ec2_instance", "Instances[].InstanceId", default="out"),
            Link("aws_vpc", "VPCId", default="in", delete="in"),
            Link("aws_ec2_subnet", "Subnets", default="in", delete="in"),
            Link("aws_ec2_security_group", "SecurityGroups", default="in", delete="in"),
        ),
        get=Call(
            "DescribeLoadBalancers",
            "LoadBalancerDescriptions[]",
            item_args={"LoadBalancerNames": "[id]"},
            gone=("LoadBalancerNotFound",),
        ),
        delete=Delete("DeleteLoadBalancer", {"LoadBalancerName": "id"}),
        tagging=Tagging(
            "AddTags", "RemoveTags", {"LoadBalancerNames": "[id]"}, keys_arg="Tags", keys_fmt="list"
        ),
    ),
]
