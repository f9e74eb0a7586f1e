"""CloudTrail trails."""

from __future__ import annotations

from typing import ClassVar

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import Call, Delete, Enrich, Kind, Link, Tagging, TagsAt, arn_name

SERVICE = "cloudtrail"
GONE = ("TrailNotFoundException",)


class AwsCloudTrail(AwsResource):
    kind: ClassVar[str] = "aws_cloud_trail"
    s3_bucket_name: str | None = None
    home_region: str | None = None
    is_multi_region: bool | None = None
    is_organization_trail: bool | None = None
    log_file_validation: bool | None = None
    kms_key_id: str | None = None
    sns_topic_arn: str | None = None


KINDS = [
    Kind(
        cls=AwsCloudTrail,
        service=SERVICE,
        list=Call("DescribeTrails", "trailList[]", args={"includeShadowTrails": False}),
        id="Name",
        name="Name",
        arn="TrailARN",
        enrich=(
            Enrich(
                "ListTags",
                {"ResourceIdList": "TrailARN"},
                "ResourceTagList",
                "_tl",
                batch=20,
                match="ResourceId",
                key="TrailARN",
            ),
        ),
        tags=TagsAt("_tl.TagsList"),
        fields={
            "s3_bucket_name": "S3BucketName",
            "home_region": "HomeRegion",
            "is_multi_region": "IsMultiRegionTrail",
            "is_organization_trail": "IsOrganizationTrail",
            "log_file_validation": "LogFileValidationEnabled",
            "kms_key_id": "KmsKeyId",
            "sns_topic_arn": "SnsTopicARN",
        },
        links=(
            Link("aws_s3_bucket", "S3BucketName", default="out", global_=True),
            Link("aws_kms_key", "KmsKeyId", default="out", delete="in", to_id=arn_name),
            Link("aws_sns_topic", "SnsTopicARN", default="out"),
        ),
        get=Call("DescribeTrails", "trailList[]", item_args={"trailNameList": "[id]"}, gone=GONE),
        delete=Delete("DeleteTrail", {"Name": "arn"}, gone=GONE),
        tagging=Tagging(
            "AddTags",
            "RemoveTags",
            {"ResourceId": "arn"},
            tags_arg="TagsList",
            keys_arg="TagsList",
            keys_fmt="list",
            gone=GONE,
        ),
    ),
]
