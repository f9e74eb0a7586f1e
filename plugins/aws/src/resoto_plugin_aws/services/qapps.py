"""Amazon Q Apps: the apps and library items of a Q Business application (the Q Apps "instance").

Both are listed per Q Business application (its id is the ``instance-id`` header). Apps carry their
ARN and are tagged with a map; library items have no ARN and no tags.
"""

from __future__ import annotations

from typing import Any, ClassVar

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import Call, Delete, Enrich, Kind, Link, Tagging, TagsAt, as_text

SERVICE = "qapps"
GONE = ("ResourceNotFoundException",)
APP = "aws_q_business_application"
META: dict[str, Any] = {"group": "ai", "icon": "application"}


class AwsQApps(AwsResource):
    kind: ClassVar[str] = "aws_q_apps"
    kind_metadata: ClassVar[dict[str, Any]] = META
    instance_id: str | None = None
    description: str | None = None
    status: str | None = None
    is_verified: bool | None = None


class AwsQAppsLibraryItem(AwsResource):
    kind: ClassVar[str] = "aws_q_apps_library_item"
    kind_metadata: ClassVar[dict[str, Any]] = META
    taggable: ClassVar[bool] = False
    instance_id: str | None = None
    app_id: str | None = None
    app_version: int | None = None
    status: str | None = None
    created_by: str | None = None
    rating_count: int | None = None
    user_count: int | None = None
    categories: list[str] | None = None
    updated_at: str | None = None


KINDS = [
    Kind(
        cls=AwsQApps,
        service=SERVICE,
        parent=APP,
        list=Call("ListQApps", "apps[]", page_size=100, item_args={"instanceId": "applicationId"}),
        id="appId",
        name="title",
        arn="appArn",
        ctime="createdAt",
        enrich=(Enrich("ListTagsForResource", {"resourceARN": "appArn"}, "tags", "_tags", ignore=GONE),),
        tags=TagsAt("_tags", fmt="map"),
        fields={
            "instance_id": "_args.instanceId",
            "description": "description",
            "status": "status",
            "is_verified": "isVerified",
        },
        delete=Delete("DeleteQApp", {"instanceId": "instance_id", "appId": "id"}, gone=GONE),
        tagging=Tagging(
            "TagResource",
            "UntagResource",
            {"resourceARN": "arn"},
            tags_arg="tags",
            fmt="map",
            keys_arg="tagKeys",
        ),
    ),
    Kind(
        cls=AwsQAppsLibraryItem,
        service=SERVICE,
        parent=APP,
        list=Call(
            "ListLibraryItems", "libraryItems[]", page_size=100, item_args={"instanceId": "applicationId"}
        ),
        id="libraryItemId",
        name="libraryItemId",
        ctime="createdAt",
        fields={
            "instance_id": "_args.instanceId",
            "app_id": "appId",
            "app_version": "appVersion",
            "status": "status",
            "created_by": "createdBy",
            "rating_count": "ratingCount",
            "user_count": "userCount",
            "categories": "categories[].title",
            "updated_at": as_text("updatedAt"),
        },
        links=(Link("aws_q_apps", "appId", default="in", delete="in"),),
        delete=Delete("DeleteLibraryItem", {"instanceId": "instance_id", "libraryItemId": "id"}, gone=GONE),
    ),
]
