"""CloudFront (global): distributions, functions, policies, public keys, encryption configs.

CloudFront is answered in the account's global unit. ``ListDistributions`` carries everything a
distribution references (origins, policies, functions, web ACL), so the edges need no extra call;
tags need one ``ListTagsForResource`` per distribution. Only custom policies are collected (the
managed ones belong to AWS). Several list calls have no botocore paginator: their items functions
follow ``NextMarker``. Deleting needs the resource's current ``ETag``, read right before.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import Api, Call, Delete, Enrich, Json, Kind, Link, TagsAt, UnitApi, arn_name

log = logging.getLogger(__name__)

SERVICE = "cloudfront"
DEPLOY_WAIT_S = 20
DEPLOY_ATTEMPTS = 45  # a disabled distribution takes minutes to deploy before it may be deleted


def _arn(path: str) -> str:
    return "arn:{partition}:cloudfront::{account}:" + path + "/{id}"


class AwsCloudFrontDistribution(AwsResource):
    kind: ClassVar[str] = "aws_cloudfront_distribution"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "networking", "icon": "cdn"}
    distribution_status: str | None = None
    domain_name: str | None = None
    aliases: list[str] | None = None
    enabled: bool | None = None
    comment: str | None = None
    price_class: str | None = None
    http_version: str | None = None
    is_ipv6_enabled: bool | None = None
    staging: bool | None = None
    web_acl_id: str | None = None
    origin_domains: list[str] | None = None
    acm_certificate_arn: str | None = None
    viewer_protocol_policy: str | None = None


class AwsCloudFrontFunction(AwsResource):
    kind: ClassVar[str] = "aws_cloudfront_function"
    taggable: ClassVar[bool] = False  # CloudFront tags only distributions
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "compute", "icon": "function"}
    function_status: str | None = None
    stage: str | None = None
    published: bool | None = None
    runtime: str | None = None
    comment: str | None = None


class AwsCloudFrontCachePolicy(AwsResource):
    kind: ClassVar[str] = "aws_cloudfront_cache_policy"
    taggable: ClassVar[bool] = False  # CloudFront tags only distributions
    comment: str | None = None
    default_ttl: int | None = None
    max_ttl: int | None = None
    min_ttl: int | None = None


class AwsCloudFrontOriginRequestPolicy(AwsResource):
    kind: ClassVar[str] = "aws_cloudfront_origin_request_policy"
    taggable: ClassVar[bool] = False  # CloudFront tags only distributions
    comment: str | None = None
    header_behavior: str | None = None
    cookie_behavior: str | None = None
    query_string_behavior: str | None = None


class AwsCloudFrontResponseHeadersPolicy(AwsResource):
    kind: ClassVar[str] = "aws_cloudfront_response_headers_policy"
    taggable: ClassVar[bool] = False  # CloudFront tags only distributions
    comment: str | None = None


class AwsCloudFrontPublicKey(AwsResource):
    kind: ClassVar[str] = "aws_cloudfront_public_key"
    taggable: ClassVar[bool] = False  # CloudFront tags only distributions
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "access_control", "icon": "key"}
    comment: str | None = None
    encoded_key: str | None = None


class AwsCloudFrontFieldLevelEncryptionConfig(AwsResource):
    kind: ClassVar[str] = "aws_cloudfront_field_level_encryption_config"
    taggable: ClassVar[bool] = False  # CloudFront tags only distributions
    comment: str | None = None
    profile_ids: list[str] | None = None


class AwsCloudFrontFieldLevelEncryptionProfile(AwsResource):
    kind: ClassVar[str] = "aws_cloudfront_field_level_encryption_profile"
    taggable: ClassVar[bool] = False  # CloudFront tags only distributions
    comment: str | None = None
    public_key_ids: list[str] | None = None


class AwsCloudFrontOriginAccessControl(AwsResource):
    kind: ClassVar[str] = "aws_cloudfront_origin_access_control"
    taggable: ClassVar[bool] = False  # CloudFront tags only distributions
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "access_control", "icon": "access_control"}
    description: str | None = None
    signing_protocol: str | None = None
    signing_behavior: str | None = None
    origin_type: str | None = None


class AwsCloudFrontRealtimeLogConfig(AwsResource):
    kind: ClassVar[str] = "aws_cloudfront_realtime_log_config"
    taggable: ClassVar[bool] = False  # CloudFront tags only distributions
    sampling_rate: int | None = None
    fields: list[str] | None = None
    stream_arns: list[str] | None = None


# -- listing ----------------------------------------------------------------------------------


def _marker_items(
    op: str, container: str, unwrap: str | None = None, **const: Any
) -> Callable[[UnitApi], Iterator[Json]]:
    """Items of a CloudFront list call without a botocore paginator (``NextMarker`` followed here)."""

    def items(ctx: UnitApi) -> Iterator[Json]:
        marker: str | None = None
        while True:
            args: dict[str, Any] = {**const, "MaxItems": "100"}
            if marker:
                args["Marker"] = marker
            block = ctx.call(SERVICE, op, **args).get(container) or {}
            for entry in block.get("Items") or []:
                yield {**entry[unwrap], "Type": entry.get("Type")} if unwrap else dict(entry)
            marker = block.get("NextMarker")
            if not marker or not block.get("Items"):
                return

    return items


def _functions(ctx: UnitApi) -> Iterator[Json]:
    """ListFunctions names a published function twice (DEVELOPMENT and LIVE): keep one per name."""
    found: dict[str, Json] = {}
    for item in _marker_items("ListFunctions", "FunctionList")(ctx):
        name = str(item.get("Name"))
        stage = (item.get("FunctionMetadata") or {}).get("Stage")
        seen = found.get(name)
        if seen is None or stage == "LIVE":
            item["_published"] = stage == "LIVE" or bool(seen and seen.get("_published"))
            found[name] = item
        else:
            seen["_published"] = seen.get("_published") or stage == "LIVE"
    return iter(found.values())


# -- distribution references ------------------------------------------------------------------


def _behaviors(item: Json) -> list[Json]:
    return [item.get("DefaultCacheBehavior") or {}, *((item.get("CacheBehaviors") or {}).get("Items") or [])]


def _from_behaviors(key: str) -> Callable[[Json], list[str]]:
    def values(item: Json) -> list[str]:
        return sorted({str(b[key]) for b in _behaviors(item) if b.get(key)})

    return values


def _function_names(item: Json) -> list[str]:
    names: set[str] = set()
    for b in _behaviors(item):
        for assoc in (b.get("FunctionAssociations") or {}).get("Items") or []:
            name = arn_name(str(assoc.get("FunctionARN") or ""))
            if name:
                names.add(name)
    return sorted(names)


def _realtime_logs(item: Json) -> list[str]:
    return sorted({arn_name(arn) or "" for arn in _from_behaviors("RealtimeLogConfigArn")(item)} - {""})


def _bucket(domain: str) -> str | None:
    """``bucket.s3.amazonaws.com`` or ``bucket.s3.<region>.amazonaws.com`` -> ``bucket``."""
    for marker in (".s3.", ".s3-"):
        if marker in domain and domain.endswith(".amazonaws.com"):
            return domain.split(marker, 1)[0] or None
    return None


def _buckets(item: Json) -> list[str]:
    origins = (item.get("Origins") or {}).get("Items") or []
    return sorted({b for o in origins if (b := _bucket(str(o.get("DomainName") or "")))})


# -- cleanup ----------------------------------------------------------------------------------


def _etag_delete(get_op: str, delete_op: str, key: str = "Id") -> Callable[[Api, AwsResource], None]:
    """CloudFront deletes only with ``IfMatch`` = the resource's current ETag."""

    def delete(ctx: Api, resource: AwsResource) -> None:
        etag = ctx.call(SERVICE, get_op, **{key: resource.id})["ETag"]
        ctx.call(SERVICE, delete_op, **{key: resource.id}, IfMatch=etag)

    return delete


def _disable_distribution(ctx: Api, resource: AwsResource) -> None:
    """A distribution must be disabled (and that change deployed) before it can be deleted."""
    answer = ctx.call(SERVICE, "GetDistributionConfig", Id=resource.id)
    config = answer["DistributionConfig"]
    if config.get("Enabled"):
        config["Enabled"] = False
        ctx.call(
            SERVICE, "UpdateDistribution", Id=resource.id, IfMatch=answer["ETag"], DistributionConfig=config
        )


def _delete_distribution(ctx: Api, resource: AwsResource) -> None:
    for attempt in range(DEPLOY_ATTEMPTS):
        answer = ctx.call(SERVICE, "GetDistribution", Id=resource.id)
        if answer["Distribution"].get("Status") == "Deployed" or attempt == DEPLOY_ATTEMPTS - 1:
            ctx.call(SERVICE, "DeleteDistribution", Id=resource.id, IfMatch=answer["ETag"])
            return
        log.info("distribution %s is still deploying its disabled state", resource.id)
        time.sleep(DEPLOY_WAIT_S)


def _tag_distribution(
    ctx: Api, resource: AwsResource, key: str, value: str | None, untag: bool = False
) -> None:
    """CloudFront wraps tags and keys in an ``Items`` structure."""
    if untag:
        ctx.call(SERVICE, "UntagResource", Resource=resource.arn, TagKeys={"Items": [key]})
    else:
        ctx.call(
            SERVICE,
            "TagResource",
            Resource=resource.arn,
            Tags={"Items": [{"Key": key, "Value": value or ""}]},
        )


def _kind(cls: type[AwsResource], **spec: Any) -> Kind:
    return Kind(cls=cls, service=SERVICE, global_=True, **spec)


def _etag_kind(cls: type[AwsResource], get_op: str, delete_op: str, **spec: Any) -> Kind:
    return _kind(
        cls,
        delete=Delete(delete_op, {"Id": "id"}),
        delete_fn=_etag_delete(get_op, delete_op),
        cleanup_iam=(f"cloudfront:{get_op}",),
        **spec,
    )


def _policy_kind(cls: type[AwsResource], noun: str, path: str, fields: dict[str, Any]) -> Kind:
    """The three policy kinds: listed with ``Type=custom``, deleted by ETag."""
    return _etag_kind(
        cls,
        f"Get{noun}",
        f"Delete{noun}",
        list=None,
        items=_marker_items(f"List{noun.replace('Policy', 'Policies')}", f"{noun}List", noun, Type="custom"),
        id="Id",
        name=f"{noun}Config.Name",
        arn=_arn(path),
        fields={"mtime": "LastModifiedTime", "comment": f"{noun}Config.Comment", **fields},
        iam=(f"cloudfront:List{noun.replace('Policy', 'Policies')}",),
    )


KINDS = [
    _kind(
        AwsCloudFrontDistribution,
        list=Call("ListDistributions", "DistributionList.Items[]", page_size=100),
        id="Id",
        arn="ARN",
        enrich=(
            Enrich(
                "ListTagsForResource",
                {"Resource": "ARN"},
                "Tags.Items",
                "_tags",
                ignore=("NoSuchDistribution",),
            ),
        ),
        tags=TagsAt("_tags"),
        fields={
            "mtime": "LastModifiedTime",
            "distribution_status": "Status",
            "domain_name": "DomainName",
            "aliases": "Aliases.Items",
            "enabled": "Enabled",
            "comment": "Comment",
            "price_class": "PriceClass",
            "http_version": "HttpVersion",
            "is_ipv6_enabled": "IsIPV6Enabled",
            "staging": "Staging",
            "web_acl_id": "WebACLId",
            "origin_domains": "Origins.Items[].DomainName",
            "acm_certificate_arn": "ViewerCertificate.ACMCertificateArn",
            "viewer_protocol_policy": "DefaultCacheBehavior.ViewerProtocolPolicy",
        },
        links=(
            # what a distribution uses cannot be deleted before the distribution is gone
            Link("aws_cloudfront_cache_policy", _from_behaviors("CachePolicyId"), default="out", delete="in"),
            Link(
                "aws_cloudfront_origin_request_policy",
                _from_behaviors("OriginRequestPolicyId"),
                default="out",
                delete="in",
            ),
            Link(
                "aws_cloudfront_response_headers_policy",
                _from_behaviors("ResponseHeadersPolicyId"),
                default="out",
                delete="in",
            ),
            Link(
                "aws_cloudfront_field_level_encryption_config",
                _from_behaviors("FieldLevelEncryptionId"),
                default="out",
                delete="in",
            ),
            Link("aws_cloudfront_function", _function_names, default="out", delete="in"),
            Link("aws_cloudfront_realtime_log_config", _realtime_logs, default="out", delete="in"),
            Link(
                "aws_cloudfront_origin_access_control",
                "Origins.Items[].OriginAccessControlId",
                default="out",
                delete="in",
            ),
            Link("aws_waf_cloudfront_web_acl", "WebACLId", default="out", to_id=arn_name),
            Link("aws_s3_bucket", _buckets, default="out", global_=True),
        ),
        get=Call("GetDistribution", "Distribution", item_args={"Id": "id"}, gone=("NoSuchDistribution",)),
        pre_cleanup=_disable_distribution,
        delete=Delete("DeleteDistribution", {"Id": "id"}, gone=("NoSuchDistribution",)),
        delete_fn=_delete_distribution,
        tag_fn=_tag_distribution,
        cleanup_iam=("cloudfront:GetDistributionConfig", "cloudfront:UpdateDistribution"),
        tag_iam=("cloudfront:TagResource", "cloudfront:UntagResource"),
    ),
    _kind(
        AwsCloudFrontFunction,
        list=None,
        items=_functions,
        id="Name",
        name="Name",
        arn="FunctionMetadata.FunctionARN",
        ctime="FunctionMetadata.CreatedTime",
        fields={
            "mtime": "FunctionMetadata.LastModifiedTime",
            "function_status": "Status",
            "stage": "FunctionMetadata.Stage",
            "published": "_published",
            "runtime": "FunctionConfig.Runtime",
            "comment": "FunctionConfig.Comment",
        },
        delete=Delete("DeleteFunction", {"Name": "id"}, gone=("NoSuchFunctionExists",)),
        delete_fn=_etag_delete("DescribeFunction", "DeleteFunction", key="Name"),
        iam=("cloudfront:ListFunctions",),
        cleanup_iam=("cloudfront:DescribeFunction",),
    ),
    _policy_kind(
        AwsCloudFrontCachePolicy,
        "CachePolicy",
        "cache-policy",
        {
            "default_ttl": "CachePolicyConfig.DefaultTTL",
            "max_ttl": "CachePolicyConfig.MaxTTL",
            "min_ttl": "CachePolicyConfig.MinTTL",
        },
    ),
    _policy_kind(
        AwsCloudFrontOriginRequestPolicy,
        "OriginRequestPolicy",
        "origin-request-policy",
        {
            "header_behavior": "OriginRequestPolicyConfig.HeadersConfig.HeaderBehavior",
            "cookie_behavior": "OriginRequestPolicyConfig.CookiesConfig.CookieBehavior",
            "query_string_behavior": "OriginRequestPolicyConfig.QueryStringsConfig.QueryStringBehavior",
        },
    ),
    _policy_kind(AwsCloudFrontResponseHeadersPolicy, "ResponseHeadersPolicy", "response-headers-policy", {}),
    _etag_kind(
        AwsCloudFrontPublicKey,
        "GetPublicKey",
        "DeletePublicKey",
        list=Call("ListPublicKeys", "PublicKeyList.Items[]", page_size=100),
        id="Id",
        name="Name",
        arn=_arn("public-key"),
        ctime="CreatedTime",
        fields={"comment": "Comment", "encoded_key": "EncodedKey"},
    ),
    _etag_kind(
        AwsCloudFrontFieldLevelEncryptionConfig,
        "GetFieldLevelEncryption",
        "DeleteFieldLevelEncryptionConfig",
        list=None,
        items=_marker_items("ListFieldLevelEncryptionConfigs", "FieldLevelEncryptionList"),
        id="Id",
        arn=_arn("field-level-encryption-config"),
        fields={
            "mtime": "LastModifiedTime",
            "comment": "Comment",
            "profile_ids": "ContentTypeProfileConfig.ContentTypeProfiles.Items[].ProfileId",
        },
        links=(
            Link(
                "aws_cloudfront_field_level_encryption_profile",
                "ContentTypeProfileConfig.ContentTypeProfiles.Items[].ProfileId",
                default="out",
                delete="in",
            ),
        ),
        iam=("cloudfront:ListFieldLevelEncryptionConfigs",),
    ),
    _etag_kind(
        AwsCloudFrontFieldLevelEncryptionProfile,
        "GetFieldLevelEncryptionProfile",
        "DeleteFieldLevelEncryptionProfile",
        list=None,
        items=_marker_items("ListFieldLevelEncryptionProfiles", "FieldLevelEncryptionProfileList"),
        id="Id",
        name="Name",
        arn=_arn("field-level-encryption-profile"),
        fields={
            "mtime": "LastModifiedTime",
            "comment": "Comment",
            "public_key_ids": "EncryptionEntities.Items[].PublicKeyId",
        },
        links=(
            Link(
                "aws_cloudfront_public_key",
                "EncryptionEntities.Items[].PublicKeyId",
                default="out",
                delete="in",
            ),
        ),
        iam=("cloudfront:ListFieldLevelEncryptionProfiles",),
    ),
    _etag_kind(
        AwsCloudFrontOriginAccessControl,
        "GetOriginAccessControl",
        "DeleteOriginAccessControl",
        list=Call("ListOriginAccessControls", "OriginAccessControlList.Items[]", page_size=100),
        id="Id",
        name="Name",
        arn=_arn("origin-access-control"),
        fields={
            "description": "Description",
            "signing_protocol": "SigningProtocol",
            "signing_behavior": "SigningBehavior",
            "origin_type": "OriginAccessControlOriginType",
        },
    ),
    _kind(
        AwsCloudFrontRealtimeLogConfig,
        list=None,
        items=_marker_items("ListRealtimeLogConfigs", "RealtimeLogConfigs"),
        id="Name",
        name="Name",
        arn="ARN",
        fields={
            "sampling_rate": "SamplingRate",
            "fields": "Fields",
            "stream_arns": "EndPoints[].KinesisStreamConfig.StreamARN",
        },
        links=(
            Link(
                "aws_iam_role",
                "EndPoints[].KinesisStreamConfig.RoleARN",
                default="in",
                to_id=arn_name,
                global_=True,
            ),
        ),
        delete=Delete("DeleteRealtimeLogConfig", {"Name": "id"}, gone=("NoSuchRealtimeLogConfig",)),
        iam=("cloudfront:ListRealtimeLogConfigs",),
    ),
]
