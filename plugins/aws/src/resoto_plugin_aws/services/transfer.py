"""Transfer Family (SFTP/FTPS/FTP/AS2) servers, with their logging role and VPC (one
``DescribeServer`` each: the list call has no tags)."""

from __future__ import annotations

from typing import Any, ClassVar

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import Call, Delete, Enrich, Kind, Link, Tagging, TagsAt, arn_name

SERVICE = "transfer"
GONE = ("ResourceNotFoundException",)


class AwsTransferServer(AwsResource):
    kind: ClassVar[str] = "aws_transfer_server"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "storage", "icon": "resource"}
    server_state: str | None = None
    server_domain: str | None = None
    endpoint_type: str | None = None
    identity_provider_type: str | None = None
    logging_role: str | None = None
    user_count: int | None = None
    protocols: list[str] | None = None
    vpc_id: str | None = None


KINDS = [
    Kind(
        cls=AwsTransferServer,
        service=SERVICE,
        list=Call("ListServers", "Servers[]", page_size=1000),
        id="ServerId",
        arn="Arn",
        enrich=(Enrich("DescribeServer", {"ServerId": "ServerId"}, "Server", "_d", ignore=GONE),),
        tags=TagsAt("_d.Tags"),
        fields={
            "server_state": "State",
            "server_domain": "Domain",
            "endpoint_type": "EndpointType",
            "identity_provider_type": "IdentityProviderType",
            "logging_role": "LoggingRole",
            "protocols": "_d.Protocols",
            "vpc_id": "_d.EndpointDetails.VpcId",
            "user_count": "UserCount",
        },
        links=(
            Link("aws_iam_role", "LoggingRole", to_id=arn_name, global_=True),
            Link("aws_vpc", "_d.EndpointDetails.VpcId", delete="in"),
        ),
        get=Call("DescribeServer", "Server", item_args={"ServerId": "id"}, gone=GONE),
        delete=Delete("DeleteServer", {"ServerId": "id"}, gone=GONE),
        tagging=Tagging("TagResource", "UntagResource", {"Arn": "arn"}, gone=GONE),
    ),
]
