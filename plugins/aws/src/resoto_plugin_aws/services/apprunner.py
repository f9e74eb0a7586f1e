"""App Runner services (moto has no App Runner: tested against an HTTP fake)."""

from __future__ import annotations

from typing import Any, ClassVar

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import Call, Delete, Enrich, Kind, Tagging, TagsAt

SERVICE = "apprunner"
GONE = ("ResourceNotFoundException",)


class AwsAppRunnerService(AwsResource):
    kind: ClassVar[str] = "aws_apprunner_service"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "compute", "icon": "resource"}
    service_id: str | None = None
    service_url: str | None = None
    service_status: str | None = None


KINDS = [
    Kind(
        cls=AwsAppRunnerService,
        service=SERVICE,
        list=Call(
            "ListServices", "ServiceSummaryList[]", args={"MaxResults": 20}
        ),  # NextToken followed by hand
        id="ServiceName",
        name="ServiceName",
        arn="ServiceArn",
        ctime="CreatedAt",
        enrich=(Enrich("ListTagsForResource", {"ResourceArn": "ServiceArn"}, "Tags", "_tags", ignore=GONE),),
        tags=TagsAt("_tags"),
        fields={
            "mtime": "UpdatedAt",
            "service_id": "ServiceId",
            "service_url": "ServiceUrl",
            "service_status": "Status",
        },
        get=Call("DescribeService", "Service", item_args={"ServiceArn": "arn"}, gone=GONE),
        delete=Delete("DeleteService", {"ServiceArn": "arn"}, gone=GONE),
        tagging=Tagging("TagResource", "UntagResource", {"ResourceArn": "arn"}, gone=GONE),
    ),
]
