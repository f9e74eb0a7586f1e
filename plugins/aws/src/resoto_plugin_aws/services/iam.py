"""IAM: users, groups, roles, customer-managed policies, instance profiles, access keys, server
certificates, the root user and the account password policy.

Users, groups and roles come from one ``GetAccountAuthorizationDetails`` listing (tags, group
memberships, attached policies and instance profiles included), made once per account. The root user
is read from ``GetAccountSummary``; the password policy from ``GetAccountPasswordPolicy`` (an account
without one has no node).
"""

from __future__ import annotations

from typing import Any, ClassVar

from botocore.exceptions import ClientError
from resoto_hookspecs import (
    BaseAccessKey,
    BaseCertificate,
    BaseGroup,
    BaseInstanceProfile,
    BasePolicy,
    BaseUser,
)

from resoto_plugin_aws.errors import error_code
from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import (
    Api,
    Call,
    Delete,
    Enrich,
    Json,
    Kind,
    Link,
    Tagging,
    TagsAt,
    UnitApi,
    arn_name,
)

SERVICE = "iam"
AUTH_DETAILS = Call(
    "GetAccountAuthorizationDetails", "", args={"Filter": ["User", "Role", "Group"]}, page_size=1000
)
GONE = ("NoSuchEntity",)


def _auth(result: str) -> Call:
    return Call(AUTH_DETAILS.op, result, args=AUTH_DETAILS.args, page_size=AUTH_DETAILS.page_size)


def _customer_policy(arn: str) -> str | None:
    """Only customer-managed policies are collected: AWS-managed ones get no edge."""
    return None if ":iam::aws:policy/" in arn else arn_name(arn)


POLICIES = Link("aws_iam_policy", "AttachedManagedPolicies[].PolicyArn", default="in", to_id=_customer_policy)


class AwsIamUser(AwsResource, BaseUser):
    kind: ClassVar[str] = "aws_iam_user"
    user_id: str | None = None
    path: str | None = None
    group_names: list[str] | None = None
    attached_policies: list[str] | None = None
    inline_policies: list[str] | None = None
    permissions_boundary: str | None = None


class AwsIamGroup(AwsResource, BaseGroup):
    kind: ClassVar[str] = "aws_iam_group"
    taggable: ClassVar[bool] = False
    group_id: str | None = None
    path: str | None = None
    attached_policies: list[str] | None = None
    inline_policies: list[str] | None = None


class AwsIamRole(AwsResource):
    kind: ClassVar[str] = "aws_iam_role"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "access_control", "icon": "role"}
    role_id: str | None = None
    path: str | None = None
    description: str | None = None
    max_session_duration: int | None = None
    assume_role_policy_document: dict[str, Any] | None = None
    attached_policies: list[str] | None = None
    inline_policies: list[str] | None = None
    instance_profiles: list[str] | None = None
    role_last_used: str | None = None


class AwsIamPolicy(AwsResource, BasePolicy):
    kind: ClassVar[str] = "aws_iam_policy"
    policy_id: str | None = None
    path: str | None = None
    default_version_id: str | None = None
    attachment_count: int | None = None
    is_attachable: bool | None = None
    description: str | None = None


class AwsIamInstanceProfile(AwsResource, BaseInstanceProfile):
    kind: ClassVar[str] = "aws_iam_instance_profile"
    instance_profile_id: str | None = None
    path: str | None = None
    role_names: list[str] | None = None


class AwsIamAccessKey(AwsResource, BaseAccessKey):
    kind: ClassVar[str] = "aws_iam_access_key"
    taggable: ClassVar[bool] = False
    user_name: str | None = None


class AwsIamServerCertificate(AwsResource, BaseCertificate):
    kind: ClassVar[str] = "aws_iam_server_certificate"
    path: str | None = None
    server_certificate_id: str | None = None


class AwsRootUser(AwsResource, BaseUser):
    """The account's root user (one per account), from the account summary."""

    kind: ClassVar[str] = "aws_root_user"
    taggable: ClassVar[bool] = False
    deletable: ClassVar[bool] = False
    mfa_active: bool | None = None
    account_access_keys_present: int | None = None
    account_signing_certificates_present: int | None = None


class AwsIamAccountPasswordPolicy(AwsResource):
    """The account's password policy for IAM users (absent unless someone set one)."""

    kind: ClassVar[str] = "aws_iam_account_password_policy"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "access_control", "icon": "policy"}
    taggable: ClassVar[bool] = False
    minimum_password_length: int | None = None
    require_symbols: bool | None = None
    require_numbers: bool | None = None
    require_uppercase_characters: bool | None = None
    require_lowercase_characters: bool | None = None
    allow_users_to_change_password: bool | None = None
    expire_passwords: bool | None = None
    max_password_age: int | None = None
    password_reuse_prevention: int | None = None
    hard_expiry: bool | None = None


ROOT_USER_ID = "root"
PASSWORD_POLICY_ID = "account_password_policy"
"""Both exist at most once per account: their ids are constants (node ids include the account)."""


def _root_user(ctx: UnitApi) -> list[Json]:
    summary = ctx.call(SERVICE, "GetAccountSummary").get("SummaryMap") or {}
    return [{"_id": ROOT_USER_ID, "SummaryMap": summary}]


def _summary(key: str) -> Any:
    return lambda item: (item.get("SummaryMap") or {}).get(key)


def _mfa_active(item: Json) -> bool | None:
    enabled = (item.get("SummaryMap") or {}).get("AccountMFAEnabled")
    return None if enabled is None else enabled == 1


def _password_policy(ctx: UnitApi) -> list[Json]:
    try:
        answer = ctx.call(SERVICE, "GetAccountPasswordPolicy")
    except ClientError as e:
        if error_code(e) in GONE:  # no policy set: nothing to report
            return []
        raise
    return [answer["PasswordPolicy"]]


def _policy_id(item: Json) -> None:
    item["_id"] = PASSWORD_POLICY_ID


# -- cleanup steps ------------------------------------------------------------------------------


def _user_pre_cleanup(ctx: Api, resource: AwsResource) -> None:
    """Everything DeleteUser refuses to delete around: login profile, keys, groups, policies."""
    user = resource.id
    try:
        ctx.call(SERVICE, "DeleteLoginProfile", UserName=user)
    except Exception as e:
        if "NoSuchEntity" not in str(e):
            raise
    for key in ctx.call(SERVICE, "ListAccessKeys", UserName=user).get("AccessKeyMetadata", []):
        ctx.call(SERVICE, "DeleteAccessKey", UserName=user, AccessKeyId=key["AccessKeyId"])
    for group in ctx.call(SERVICE, "ListGroupsForUser", UserName=user).get("Groups", []):
        ctx.call(SERVICE, "RemoveUserFromGroup", UserName=user, GroupName=group["GroupName"])
    for pol in ctx.call(SERVICE, "ListAttachedUserPolicies", UserName=user).get("AttachedPolicies", []):
        ctx.call(SERVICE, "DetachUserPolicy", UserName=user, PolicyArn=pol["PolicyArn"])
    for name in ctx.call(SERVICE, "ListUserPolicies", UserName=user).get("PolicyNames", []):
        ctx.call(SERVICE, "DeleteUserPolicy", UserName=user, PolicyName=name)


def _group_pre_cleanup(ctx: Api, resource: AwsResource) -> None:
    group = resource.id
    for user in ctx.call(SERVICE, "GetGroup", GroupName=group).get("Users", []):
        ctx.call(SERVICE, "RemoveUserFromGroup", GroupName=group, UserName=user["UserName"])
    for pol in ctx.call(SERVICE, "ListAttachedGroupPolicies", GroupName=group).get("AttachedPolicies", []):
        ctx.call(SERVICE, "DetachGroupPolicy", GroupName=group, PolicyArn=pol["PolicyArn"])
    for name in ctx.call(SERVICE, "ListGroupPolicies", GroupName=group).get("PolicyNames", []):
        ctx.call(SERVICE, "DeleteGroupPolicy", GroupName=group, PolicyName=name)


def _role_pre_cleanup(ctx: Api, resource: AwsResource) -> None:
    role = resource.id
    answer = ctx.call(SERVICE, "ListInstanceProfilesForRole", RoleName=role)
    for profile in answer.get("InstanceProfiles", []):
        ctx.call(
            SERVICE,
            "RemoveRoleFromInstanceProfile",
            RoleName=role,
            InstanceProfileName=profile["InstanceProfileName"],
        )
    for pol in ctx.call(SERVICE, "ListAttachedRolePolicies", RoleName=role).get("AttachedPolicies", []):
        ctx.call(SERVICE, "DetachRolePolicy", RoleName=role, PolicyArn=pol["PolicyArn"])
    for name in ctx.call(SERVICE, "ListRolePolicies", RoleName=role).get("PolicyNames", []):
        ctx.call(SERVICE, "DeleteRolePolicy", RoleName=role, PolicyName=name)


def _policy_pre_cleanup(ctx: Api, resource: AwsResource) -> None:
    arn = resource.arn
    entities = ctx.call(SERVICE, "ListEntitiesForPolicy", PolicyArn=arn)
    for user in entities.get("PolicyUsers", []):
        ctx.call(SERVICE, "DetachUserPolicy", UserName=user["UserName"], PolicyArn=arn)
    for group in entities.get("PolicyGroups", []):
        ctx.call(SERVICE, "DetachGroupPolicy", GroupName=group["GroupName"], PolicyArn=arn)
    for role in entities.get("PolicyRoles", []):
        ctx.call(SERVICE, "DetachRolePolicy", RoleName=role["RoleName"], PolicyArn=arn)
    for version in ctx.call(SERVICE, "ListPolicyVersions", PolicyArn=arn).get("Versions", []):
        if not version.get("IsDefaultVersion"):
            ctx.call(SERVICE, "DeletePolicyVersion", PolicyArn=arn, VersionId=version["VersionId"])


def _profile_pre_cleanup(ctx: Api, resource: AwsResource) -> None:
    assert isinstance(resource, AwsIamInstanceProfile)
    for role in resource.role_names or []:
        ctx.call(SERVICE, "RemoveRoleFromInstanceProfile", InstanceProfileName=resource.id, RoleName=role)


def _tag(op_tag: str, op_untag: str, target: str, attr: str = "id") -> Tagging:
    return Tagging(op_tag, op_untag, {target: attr}, gone=GONE)


def _last_used(item: Json) -> str | None:
    when = (item.get("RoleLastUsed") or {}).get("LastUsedDate")
    return str(when) if when else None


KINDS = [
    Kind(
        cls=AwsIamUser,
        service=SERVICE,
        global_=True,
        list=_auth("UserDetailList[]"),
        id="UserName",
        name="UserName",
        arn="Arn",
        tags=TagsAt("Tags"),
        ctime="CreateDate",
        fields={
            "user_id": "UserId",
            "path": "Path",
            "group_names": "GroupList",
            "attached_policies": "AttachedManagedPolicies[].PolicyArn",
            "inline_policies": "UserPolicyList[].PolicyName",
            "permissions_boundary": "PermissionsBoundary.PermissionsBoundaryArn",
        },
        links=(Link("aws_iam_group", "GroupList", default="in"), POLICIES),
        get=Call("GetUser", "User", item_args={"UserName": "id"}, gone=GONE),
        pre_cleanup=_user_pre_cleanup,
        delete=Delete("DeleteUser", {"UserName": "id"}, gone=GONE),
        tagging=_tag("TagUser", "UntagUser", "UserName"),
        cleanup_iam=(
            "iam:DeleteLoginProfile",
            "iam:ListAccessKeys",
            "iam:DeleteAccessKey",
            "iam:ListGroupsForUser",
            "iam:RemoveUserFromGroup",
            "iam:ListAttachedUserPolicies",
            "iam:DetachUserPolicy",
            "iam:ListUserPolicies",
            "iam:DeleteUserPolicy",
        ),
    ),
    Kind(
        cls=AwsIamGroup,
        service=SERVICE,
        global_=True,
        list=_auth("GroupDetailList[]"),
        id="GroupName",
        name="GroupName",
        arn="Arn",
        ctime="CreateDate",
        fields={
            "group_id": "GroupId",
            "path": "Path",
            "attached_policies": "AttachedManagedPolicies[].PolicyArn",
            "inline_policies": "GroupPolicyList[].PolicyName",
        },
        links=(POLICIES,),
        get=Call("GetGroup", "Group", item_args={"GroupName": "id"}, gone=GONE),
        pre_cleanup=_group_pre_cleanup,
        delete=Delete("DeleteGroup", {"GroupName": "id"}, gone=GONE),
        cleanup_iam=(
            "iam:GetGroup",
            "iam:RemoveUserFromGroup",
            "iam:ListAttachedGroupPolicies",
            "iam:DetachGroupPolicy",
            "iam:ListGroupPolicies",
            "iam:DeleteGroupPolicy",
        ),
    ),
    Kind(
        cls=AwsIamRole,
        service=SERVICE,
        global_=True,
        list=_auth("RoleDetailList[]"),
        id="RoleName",
        name="RoleName",
        arn="Arn",
        tags=TagsAt("Tags"),
        ctime="CreateDate",
        fields={
            "role_id": "RoleId",
            "path": "Path",
            "assume_role_policy_document": "AssumeRolePolicyDocument",
            "attached_policies": "AttachedManagedPolicies[].PolicyArn",
            "inline_policies": "RolePolicyList[].PolicyName",
            "instance_profiles": "InstanceProfileList[].InstanceProfileName",
            "role_last_used": _last_used,
        },
        links=(POLICIES,),
        get=Call("GetRole", "Role", item_args={"RoleName": "id"}, gone=GONE),
        pre_cleanup=_role_pre_cleanup,
        delete=Delete("DeleteRole", {"RoleName": "id"}, gone=GONE),
        tagging=_tag("TagRole", "UntagRole", "RoleName"),
        cleanup_iam=(
            "iam:ListInstanceProfilesForRole",
            "iam:RemoveRoleFromInstanceProfile",
            "iam:ListAttachedRolePolicies",
            "iam:DetachRolePolicy",
            "iam:ListRolePolicies",
            "iam:DeleteRolePolicy",
        ),
    ),
    Kind(
        cls=AwsIamPolicy,
        service=SERVICE,
        global_=True,
        list=Call("ListPolicies", "Policies[]", args={"Scope": "Local"}, page_size=1000),
        id="PolicyName",
        name="PolicyName",
        arn="Arn",
        ctime="CreateDate",
        tags=TagsAt("_tags"),
        enrich=(Enrich("ListPolicyTags", {"PolicyArn": "Arn"}, "Tags", "_tags", ignore=GONE),),
        fields={
            "mtime": "UpdateDate",
            "policy_id": "PolicyId",
            "path": "Path",
            "default_version_id": "DefaultVersionId",
            "attachment_count": "AttachmentCount",
            "is_attachable": "IsAttachable",
            "description": "Description",
        },
        get=Call("GetPolicy", "Policy", item_args={"PolicyArn": "arn"}, gone=GONE),
        pre_cleanup=_policy_pre_cleanup,
        delete=Delete("DeletePolicy", {"PolicyArn": "arn"}, gone=GONE),
        tagging=_tag("TagPolicy", "UntagPolicy", "PolicyArn", "arn"),
        cleanup_iam=(
            "iam:ListEntitiesForPolicy",
            "iam:DetachUserPolicy",
            "iam:DetachGroupPolicy",
            "iam:DetachRolePolicy",
            "iam:ListPolicyVersions",
            "iam:DeletePolicyVersion",
        ),
    ),
    Kind(
        cls=AwsIamInstanceProfile,
        service=SERVICE,
        global_=True,
        list=Call("ListInstanceProfiles", "InstanceProfiles[]", page_size=1000),
        id="InstanceProfileName",
        name="InstanceProfileName",
        arn="Arn",
        tags=TagsAt("Tags"),
        ctime="CreateDate",
        fields={"instance_profile_id": "InstanceProfileId", "path": "Path", "role_names": "Roles[].RoleName"},
        links=(Link("aws_iam_role", "Roles[].RoleName", default="in", delete="in"),),
        get=Call("GetInstanceProfile", "InstanceProfile", item_args={"InstanceProfileName": "id"}, gone=GONE),
        pre_cleanup=_profile_pre_cleanup,
        delete=Delete("DeleteInstanceProfile", {"InstanceProfileName": "id"}, gone=GONE),
        tagging=_tag("TagInstanceProfile", "UntagInstanceProfile", "InstanceProfileName"),
        cleanup_iam=("iam:RemoveRoleFromInstanceProfile",),
    ),
    Kind(
        cls=AwsIamAccessKey,
        service=SERVICE,
        global_=True,
        parent="aws_iam_user",
        list=Call(
            "ListAccessKeys", "AccessKeyMetadata[]", item_args={"UserName": "UserName"}, page_size=1000
        ),
        id="AccessKeyId",
        ctime="CreateDate",
        fields={"access_key_status": "Status", "user_name": "UserName"},
        links=(Link("aws_iam_user", "UserName", default=None, delete="in"),),
        get=Call("ListAccessKeys", "AccessKeyMetadata[]", item_args={"UserName": "user_name"}, gone=GONE),
        delete=Delete("DeleteAccessKey", {"UserName": "user_name", "AccessKeyId": "id"}, gone=GONE),
    ),
    Kind(
        cls=AwsIamServerCertificate,
        service=SERVICE,
        global_=True,
        list=Call("ListServerCertificates", "ServerCertificateMetadataList[]", page_size=1000),
        id="ServerCertificateName",
        name="ServerCertificateName",
        arn="Arn",
        ctime="UploadDate",
        fields={"expires": "Expiration", "path": "Path", "server_certificate_id": "ServerCertificateId"},
        get=Call(
            "GetServerCertificate",
            "ServerCertificate.ServerCertificateMetadata",
            item_args={"ServerCertificateName": "id"},
            gone=GONE,
        ),
        delete=Delete("DeleteServerCertificate", {"ServerCertificateName": "id"}, gone=GONE),
        tagging=_tag("TagServerCertificate", "UntagServerCertificate", "ServerCertificateName"),
    ),
    Kind(
        cls=AwsRootUser,
        service=SERVICE,
        global_=True,
        list=None,
        items=_root_user,
        id="_id",
        name="_id",
        arn="arn:{partition}:iam::{account}:root",
        fields={
            "mfa_active": _mfa_active,
            "account_access_keys_present": _summary("AccountAccessKeysPresent"),
            "account_signing_certificates_present": _summary("AccountSigningCertificatesPresent"),
        },
        iam=("iam:GetAccountSummary",),
    ),
    Kind(
        cls=AwsIamAccountPasswordPolicy,
        service=SERVICE,
        global_=True,
        list=None,
        items=_password_policy,
        prepare=_policy_id,
        id="_id",
        fields={
            "minimum_password_length": "MinimumPasswordLength",
            "require_symbols": "RequireSymbols",
            "require_numbers": "RequireNumbers",
            "require_uppercase_characters": "RequireUppercaseCharacters",
            "require_lowercase_characters": "RequireLowercaseCharacters",
            "allow_users_to_change_password": "AllowUsersToChangePassword",
            "expire_passwords": "ExpirePasswords",
            "max_password_age": "MaxPasswordAge",
            "password_reuse_prevention": "PasswordReusePrevention",
            "hard_expiry": "HardExpiry",
        },
        get=Call("GetAccountPasswordPolicy", "PasswordPolicy", gone=GONE),
        delete=Delete("DeleteAccountPasswordPolicy", {}, gone=GONE),
        iam=("iam:GetAccountPasswordPolicy",),
    ),
]
