"""Kinesis data streams."""

from __future__ import annotations

from typing import Any, ClassVar

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import Call, Delete, Enrich, Kind, Tagging, TagsAt

SERVICE = "kinesis"
GONE = ("ResourceNotFoundException",)


class AwsKinesisStream(AwsResource):
    kind: ClassVar[str] = "aws_kinesis_stream"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "storage", "icon": "queue"}
    stream_status: str | None = None
    stream_mode: str | None = None


KINDS = [
    Kind(
        cls=AwsKinesisStream,
        service=SERVICE,
        list=Call("ListStreams", "StreamSummaries[]", page_size=100),
        id="StreamName",
        name="StreamName",
        arn="StreamARN",
        ctime="StreamCreationTimestamp",
        enrich=(Enrich("ListTagsForStream", {"StreamName": "StreamName"}, "Tags", "_tags", ignore=GONE),),
        tags=TagsAt("_tags"),
        fields={"stream_status": "StreamStatus", "stream_mode": "StreamModeDetails.StreamMode"},
        get=Call(
            "DescribeStreamSummary", "StreamDescriptionSummary", item_args={"StreamName": "id"}, gone=GONE
        ),
        delete=Delete(
            "DeleteStream", {"StreamName": "id"}, const={"EnforceConsumerDeletion": True}, gone=GONE
        ),
        tagging=Tagging(
            "AddTagsToStream", "RemoveTagsFromStream", {"StreamName": "id"}, fmt="map", gone=GONE
        ),
    ),
]
