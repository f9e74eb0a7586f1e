"""Amazon MQ brokers (ActiveMQ, RabbitMQ). The list call has neither tags nor network: one
``DescribeBroker`` per broker."""

from __future__ import annotations

from typing import Any, ClassVar

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import Call, Delete, Enrich, Kind, Link, Tagging, TagsAt

SERVICE = "mq"
GONE = ("NotFoundException",)


class AwsMqBroker(AwsResource):
    kind: ClassVar[str] = "aws_mq_broker"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "integration", "icon": "queue"}
    broker_state: str | None = None
    deployment_mode: str | None = None
    engine_type: str | None = None
    engine_version: str | None = None
    host_instance_type: str | None = None
    publicly_accessible: bool | None = None
    subnet_ids: list[str] | None = None
    security_group_ids: list[str] | None = None


KINDS = [
    Kind(
        cls=AwsMqBroker,
        service=SERVICE,
        list=Call("ListBrokers", "BrokerSummaries[]", page_size=100),
        id="BrokerId",
        name="BrokerName",
        arn="BrokerArn",
        ctime="Created",
        enrich=(Enrich("DescribeBroker", {"BrokerId": "BrokerId"}, "@", "_d", ignore=GONE),),
        tags=TagsAt("_d.Tags", fmt="map"),
        fields={
            "broker_state": "BrokerState",
            "deployment_mode": "DeploymentMode",
            "engine_type": "EngineType",
            "engine_version": "_d.EngineVersion",
            "host_instance_type": "HostInstanceType",
            "publicly_accessible": "_d.PubliclyAccessible",
            "subnet_ids": "_d.SubnetIds",
            "security_group_ids": "_d.SecurityGroups",
        },
        links=(
            Link("aws_ec2_subnet", "_d.SubnetIds", delete="in"),
            Link("aws_ec2_security_group", "_d.SecurityGroups", delete="in"),
        ),
        get=Call("DescribeBroker", "@", item_args={"BrokerId": "id"}, gone=GONE),
        delete=Delete("DeleteBroker", {"BrokerId": "id"}, gone=GONE),
        tagging=Tagging("CreateTags", "DeleteTags", {"ResourceArn": "arn"}, fmt="map", gone=GONE),
    ),
]
