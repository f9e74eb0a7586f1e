"""CloudFront RTMP streaming distributions (global; AWS stopped serving them in 2020, but accounts
may still hold disabled ones). Deleted like web distributions: disabled first, then by ETag."""

from __future__ import annotations

from typing import Any, ClassVar

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.services.cloudfront import SERVICE, _etag_delete, _kind, _tag_distribution
from resoto_plugin_aws.spec import Api, Call, Delete, Enrich, Kind, TagsAt

GONE = ("NoSuchStreamingDistribution",)


class AwsCloudFrontStreamingDistribution(AwsResource):
    kind: ClassVar[str] = "aws_cloudfront_streaming_distribution"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "networking", "icon": "cdn"}
    streaming_distribution_status: str | None = None
    domain_name: str | None = None
    enabled: bool | None = None
    comment: str | None = None
    price_class: str | None = None
    aliases: list[str] | None = None
    s3_origin_domain: str | None = None


def _disable(ctx: Api, resource: AwsResource) -> None:
    answer = ctx.call(SERVICE, "GetStreamingDistributionConfig", Id=resource.id)
    config = answer["StreamingDistributionConfig"]
    if config.get("Enabled"):
        config["Enabled"] = False
        ctx.call(
            SERVICE,
            "UpdateStreamingDistribution",
            Id=resource.id,
            IfMatch=answer["ETag"],
            StreamingDistributionConfig=config,
        )


KINDS: list[Kind] = [
    _kind(
        AwsCloudFrontStreamingDistribution,
        list=Call("ListStreamingDistributions", "StreamingDistributionList.Items[]", page_size=100),
        id="Id",
        name="DomainName",
        arn="ARN",
        enrich=(Enrich("ListTagsForResource", {"Resource": "ARN"}, "Tags.Items", "_tags", ignore=GONE),),
        tags=TagsAt("_tags"),
        fields={
            "mtime": "LastModifiedTime",
            "streaming_distribution_status": "Status",
            "domain_name": "DomainName",
            "enabled": "Enabled",
            "comment": "Comment",
            "price_class": "PriceClass",
            "aliases": "Aliases.Items",
            "s3_origin_domain": "S3Origin.DomainName",
        },
        get=Call("GetStreamingDistribution", "StreamingDistribution", item_args={"Id": "id"}, gone=GONE),
        pre_cleanup=_disable,
        delete=Delete("DeleteStreamingDistribution", {"Id": "id"}, gone=GONE),
        delete_fn=_etag_delete("GetStreamingDistribution", "DeleteStreamingDistribution"),
        tag_fn=_tag_distribution,
        cleanup_iam=(
            "cloudfront:GetStreamingDistributionConfig",
            "cloudfront:UpdateStreamingDistribution",
        ),
        tag_iam=("cloudfront:TagResource", "cloudfront:UntagResource"),
    ),
]
