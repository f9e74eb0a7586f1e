"""Cognito user pools with their users and groups.

One ``DescribeUserPool`` per pool carries its tags, ARN and triggers; users and groups are listed
per pool. A user or group name is unique only within its pool, so their ids are ``<pool id>/<name>``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from resoto_hookspecs import BaseUser

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import Call, Delete, Enrich, Json, Kind, Link, Tagging, TagsAt, arn_last, arn_name

SERVICE = "cognito-idp"
GONE = ("ResourceNotFoundException", "UserNotFoundException")


class AwsCognitoUserPool(AwsResource):
    kind: ClassVar[str] = "aws_cognito_user_pool"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "access_control", "icon": "group"}
    status: str | None = None
    deletion_protection: bool | None = None
    mfa_configuration: str | None = None
    estimated_number_of_users: int | None = None
    domain: str | None = None
    custom_domain: str | None = None
    user_pool_tier: str | None = None
    username_attributes: list[str] | None = None
    auto_verified_attributes: list[str] | None = None
    lambda_triggers: dict[str, str] | None = None


class AwsCognitoUser(AwsResource, BaseUser):
    kind: ClassVar[str] = "aws_cognito_user"
    taggable: ClassVar[bool] = False
    user_pool_id: str | None = None
    username: str | None = None
    user_status: str | None = None
    enabled: bool | None = None
    attributes: dict[str, str] | None = None
    mfa_options: list[str] | None = None


class AwsCognitoGroup(AwsResource):
    kind: ClassVar[str] = "aws_cognito_group"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "access_control", "icon": "group"}
    taggable: ClassVar[bool] = False
    user_pool_id: str | None = None
    group_name: str | None = None
    description: str | None = None
    role_arn: str | None = None
    precedence: int | None = None


def _triggers(item: Json) -> dict[str, str] | None:
    config = (item.get("_pool") or {}).get("LambdaConfig") or item.get("LambdaConfig") or {}
    out: dict[str, str] = {}
    for key, value in config.items():
        if isinstance(value, str) and value.startswith("arn:") and ":lambda:" in value:
            out[key] = value
        elif isinstance(value, dict) and str(value.get("LambdaArn", "")).startswith("arn:"):
            out[key] = str(value["LambdaArn"])
    return out or None


def _deletion_protection(item: Json) -> bool | None:
    """``ACTIVE``/``INACTIVE`` as the boolean other kinds use for this property."""
    value = (item.get("_pool") or {}).get("DeletionProtection")
    return None if value is None else value == "ACTIVE"


def _trigger_functions(item: Json) -> list[str]:
    return sorted({arn_last(arn) or "" for arn in (_triggers(item) or {}).values()} - {""})


def _prepare_user(item: Json) -> None:
    item["_id"] = f"{item.get('_parent_id')}/{item.get('Username')}"


def _prepare_group(item: Json) -> None:
    item["_id"] = f"{item.get('UserPoolId')}/{item.get('GroupName')}"


def _attributes(item: Json) -> dict[str, str] | None:
    attrs = {str(a["Name"]): str(a.get("Value", "")) for a in item.get("Attributes") or [] if "Name" in a}
    return attrs or None


KINDS = [
    Kind(
        cls=AwsCognitoUserPool,
        service=SERVICE,
        list=Call("ListUserPools", "UserPools[]", page_size=60),
        id="Id",
        name="Name",
        arn="_pool.Arn",
        ctime="CreationDate",
        enrich=(Enrich("DescribeUserPool", {"UserPoolId": "Id"}, "UserPool", "_pool", ignore=GONE),),
        tags=TagsAt("_pool.UserPoolTags", fmt="map"),
        fields={
            "mtime": "LastModifiedDate",
            "status": "Status",
            "deletion_protection": _deletion_protection,
            "mfa_configuration": "_pool.MfaConfiguration",
            "estimated_number_of_users": "_pool.EstimatedNumberOfUsers",
            "domain": "_pool.Domain",
            "custom_domain": "_pool.CustomDomain",
            "user_pool_tier": "_pool.UserPoolTier",
            "username_attributes": "_pool.UsernameAttributes",
            "auto_verified_attributes": "_pool.AutoVerifiedAttributes",
            "lambda_triggers": _triggers,
        },
        links=(
            Link("aws_lambda_function", _trigger_functions, default="out"),
            Link("aws_kms_key", "_pool.LambdaConfig.KMSKeyID", default="out", to_id=arn_name),
        ),
        get=Call("DescribeUserPool", "UserPool", item_args={"UserPoolId": "id"}, gone=GONE),
        delete=Delete("DeleteUserPool", {"UserPoolId": "id"}, gone=GONE),
        tagging=Tagging("TagResource", "UntagResource", {"ResourceArn": "arn"}, fmt="map", gone=GONE),
    ),
    Kind(
        cls=AwsCognitoUser,
        service=SERVICE,
        parent="aws_cognito_user_pool",
        list=Call("ListUsers", "Users[]", item_args={"UserPoolId": "Id"}, page_size=60),
        prepare=_prepare_user,
        id="_id",
        name="Username",
        ctime="UserCreateDate",
        fields={
            "mtime": "UserLastModifiedDate",
            "user_pool_id": "_parent_id",
            "username": "Username",
            "user_status": "UserStatus",
            "enabled": "Enabled",
            "attributes": _attributes,
            "mfa_options": "MFAOptions[].DeliveryMedium",
        },
        # no get: a user's answers (ListUsers, AdminGetUser) do not name its pool, so ids cannot be matched
        delete=Delete("AdminDeleteUser", {"UserPoolId": "user_pool_id", "Username": "username"}, gone=GONE),
    ),
    Kind(
        cls=AwsCognitoGroup,
        service=SERVICE,
        parent="aws_cognito_user_pool",
        list=Call("ListGroups", "Groups[]", item_args={"UserPoolId": "Id"}, page_size=60),
        prepare=_prepare_group,
        id="_id",
        name="GroupName",
        ctime="CreationDate",
        fields={
            "mtime": "LastModifiedDate",
            "user_pool_id": "UserPoolId",
            "group_name": "GroupName",
            "description": "Description",
            "role_arn": "RoleArn",
            "precedence": "Precedence",
        },
        get=Call(
            "ListGroups",
            "Groups[]",
            item_args={"UserPoolId": "user_pool_id"},
            gone=("ResourceNotFoundException",),
        ),
        delete=Delete("DeleteGroup", {"UserPoolId": "user_pool_id", "GroupName": "group_name"}, gone=GONE),
    ),
]
