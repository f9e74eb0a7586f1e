"""S3 buckets (global: listed once per account, each with its region and tags) and the account's
public access block (S3 Control, one node per account)."""

from __future__ import annotations

from typing import Any, ClassVar

from botocore.exceptions import ClientError
from resoto_hookspecs import BaseBucket
from resoto_hookspecs.resources import PhantomResource

from resoto_plugin_aws.errors import error_code
from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import Api, Call, Delete, Enrich, Json, Kind, TagsAt, UnitApi

SERVICE = "s3"
GONE = ("NoSuchBucket",)


class AwsS3Bucket(AwsResource, BaseBucket):
    kind: ClassVar[str] = "aws_s3_bucket"
    bucket_region: str | None = None


class AwsS3AccountSettings(AwsResource, PhantomResource):
    """The account-wide S3 public access block (all four flags false when none is configured)."""

    kind: ClassVar[str] = "aws_s3_account_settings"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "storage", "icon": "config"}
    taggable: ClassVar[bool] = False
    deletable: ClassVar[bool] = False
    block_public_acls: bool | None = None
    ignore_public_acls: bool | None = None
    block_public_policy: bool | None = None
    restrict_public_buckets: bool | None = None
    public_access_block_configured: bool | None = None


ACCOUNT_SETTINGS_ID = "s3_account_settings"
NO_PUBLIC_ACCESS_BLOCK = ("NoSuchPublicAccessBlockConfiguration",)


def _account_settings(ctx: UnitApi) -> list[Json]:
    """``GetPublicAccessBlock`` of S3 Control for the unit's account.

    The S3 Control client sends the request to ``<account>.s3-control.<region>.amazonaws.com``.
    """
    try:
        answer = ctx.call("s3control", "GetPublicAccessBlock", AccountId=ctx.account)
    except ClientError as e:
        if error_code(e) not in NO_PUBLIC_ACCESS_BLOCK:
            raise
        return [{"_id": ACCOUNT_SETTINGS_ID, "_configured": False}]
    config = answer.get("PublicAccessBlockConfiguration") or {}
    return [{**config, "_id": ACCOUNT_SETTINGS_ID, "_configured": True}]


def _flag(key: str) -> Any:
    return lambda item: bool(item.get(key))


def _region(item: Json) -> str:
    if item.get("BucketRegion"):
        return str(item["BucketRegion"])
    loc = item.get("_location")
    return "us-east-1" if not loc else "eu-west-1" if loc == "EU" else str(loc)


def _empty_bucket(ctx: Api, resource: AwsResource) -> None:
    """Delete every object version and delete marker, so DeleteBucket can succeed."""
    for page in ctx.pages(SERVICE, "ListObjectVersions", {"Bucket": resource.id}):
        doomed = [
            {"Key": v["Key"], "VersionId": v["VersionId"]}
            for v in (page.get("Versions") or []) + (page.get("DeleteMarkers") or [])
        ]
        for start in range(0, len(doomed), 1000):
            ctx.call(
                SERVICE,
                "DeleteObjects",
                Bucket=resource.id,
                Delete={"Objects": doomed[start : start + 1000], "Quiet": True},
            )


def _tag_bucket(ctx: Api, resource: AwsResource, key: str, value: str | None, untag: bool = False) -> None:
    """S3 replaces the whole tag set: read, change, write."""
    try:
        tags = {
            t["Key"]: t["Value"] for t in ctx.call(SERVICE, "GetBucketTagging", Bucket=resource.id)["TagSet"]
        }
    except ClientError as e:
        if "NoSuchTagSet" not in str(e):
            raise
        tags = {}
    if untag:
        tags.pop(key, None)
    else:
        tags[key] = value or ""
    if tags:
        tag_set: list[dict[str, Any]] = [{"Key": k, "Value": v} for k, v in tags.items()]
        ctx.call(SERVICE, "PutBucketTagging", Bucket=resource.id, Tagging={"TagSet": tag_set})
    else:
        ctx.call(SERVICE, "DeleteBucketTagging", Bucket=resource.id)


KINDS = [
    Kind(
        cls=AwsS3Bucket,
        service=SERVICE,
        global_=True,
        list=Call("ListBuckets", "Buckets[]", page_size=10000),
        id="Name",
        name="Name",
        ctime="CreationDate",
        arn="arn:{partition}:s3:::{id}",
        enrich=(
            Enrich(
                "GetBucketLocation",
                {"Bucket": "Name"},
                "LocationConstraint",
                "_location",
                when=lambda i: not i.get("BucketRegion"),
                ignore=GONE,
            ),
            Enrich("GetBucketTagging", {"Bucket": "Name"}, "TagSet", "_tags", ignore=("NoSuchTagSet", *GONE)),
        ),
        tags=TagsAt("_tags"),
        fields={"bucket_region": _region},
        get=Call("ListBuckets", "Buckets[]", gone=GONE),
        pre_cleanup=_empty_bucket,
        delete=Delete("DeleteBucket", {"Bucket": "id"}, gone=GONE),
        tag_fn=_tag_bucket,
        cleanup_iam=("s3:ListBucketVersions", "s3:ListBucket", "s3:DeleteObject", "s3:DeleteObjectVersion"),
        tag_iam=("s3:GetBucketTagging", "s3:PutBucketTagging"),
    ),
    Kind(
        cls=AwsS3AccountSettings,
        service="s3control",
        global_=True,
        list=None,
        items=_account_settings,
        id="_id",
        name="_id",
        fields={
            "block_public_acls": _flag("BlockPublicAcls"),
            "ignore_public_acls": _flag("IgnorePublicAcls"),
            "block_public_policy": _flag("BlockPublicPolicy"),
            "restrict_public_buckets": _flag("RestrictPublicBuckets"),
            "public_access_block_configured": "_configured",
        },
        iam=("s3:GetAccountPublicAccessBlock",),
    ),
]
