"""Cognito user pools, users and groups against moto: collected with tags and edges; deleted.

moto answers HTTP 500 to ``TagResource``/``UntagResource``: pool tagging is covered by the definitions check.
"""

from __future__ import annotations

from typing import Any

from aws.support_aws import ACCOUNT, Collected, client, collect
from resoto_hookspecs import Location
from resoto_hookspecs.testing import PluginDriver
from resoto_plugin_aws import plugin
from resoto_plugin_aws.config import AwsConfig
from resoto_plugin_aws.registry import kind_of

REGION = "us-east-1"
CFG = AwsConfig(region=[REGION], collect=["aws_cognito_*", "aws_kms_key"])
HERE = Location("aws", ACCOUNT, REGION)


def seed() -> dict[str, str]:
    idp = client("cognito-idp")
    key = client("kms").create_key(Description="sender")["KeyMetadata"]
    pool = idp.create_user_pool(
        PoolName="customers",
        MfaConfiguration="OFF",
        DeletionProtection="INACTIVE",
        LambdaConfig={"KMSKeyID": key["Arn"]},
        UserPoolTags={"team": "web", "Name": "customers"},
    )["UserPool"]["Id"]
    other = idp.create_user_pool(PoolName="staff")["UserPool"]["Id"]
    for pid in (pool, other):  # the same user and group name in two pools
        idp.admin_create_user(
            UserPoolId=pid, Username="ana", UserAttributes=[{"Name": "email", "Value": "ana@example.com"}]
        )
        idp.create_group(UserPoolId=pid, GroupName="admins", Description="admins", Precedence=1)
    return {"pool": pool, "other": other, "key": key["KeyId"]}


def resource(result: Collected, kind: str, rid: str) -> Any:
    reported = dict(result.by_id(kind)[rid])
    reported.pop("kind")
    found = kind_of(kind)
    assert found is not None
    return found.cls.model_validate(reported)


def test_pools_users_and_groups_are_collected(moto: str) -> None:
    ids = seed()
    result = collect(CFG)
    assert not result.failures
    assert not result.reporter.errors
    pools = result.by_id("aws_cognito_user_pool")
    assert set(pools) == {ids["pool"], ids["other"]}
    pool = pools[ids["pool"]]
    assert pool["name"] == "customers"
    assert pool["tags"] == {"team": "web", "Name": "customers"}
    assert pool["arn"] == f"arn:aws:cognito-idp:{REGION}:{ACCOUNT}:userpool/{ids['pool']}"
    assert pool["mfa_configuration"] == "OFF"
    assert pool["deletion_protection"] is False
    assert pool["ctime"] is not None
    users = result.by_id("aws_cognito_user")
    assert set(users) == {f"{ids['pool']}/ana", f"{ids['other']}/ana"}
    ana = users[f"{ids['pool']}/ana"]
    assert ana["name"] == "ana"
    assert ana["attributes"]["email"] == "ana@example.com"
    assert ana["user_status"] == "FORCE_CHANGE_PASSWORD"
    groups = result.by_id("aws_cognito_group")
    assert set(groups) == {f"{ids['pool']}/admins", f"{ids['other']}/admins"}
    assert groups[f"{ids['pool']}/admins"]["precedence"] == 1
    pool_nid = result.nid("aws_cognito_user_pool", ids["pool"])
    assert result.edge(pool_nid, result.nid("aws_cognito_user", f"{ids['pool']}/ana"))
    assert result.edge(pool_nid, result.nid("aws_cognito_group", f"{ids['pool']}/admins"))
    assert not result.edge(pool_nid, result.nid("aws_cognito_user", f"{ids['other']}/ana"))
    assert result.edge(pool_nid, result.nid("aws_kms_key", ids["key"]))


def test_delete_users_groups_and_pool(moto: str) -> None:
    ids = seed()
    result = collect(CFG)
    idp = client("cognito-idp")
    pool = resource(result, "aws_cognito_user_pool", ids["pool"])
    # moto does not implement TagResource/UntagResource for user pools: checked by test_definitions only

    user = resource(result, "aws_cognito_user", f"{ids['pool']}/ana")
    group = resource(result, "aws_cognito_group", f"{ids['pool']}/admins")
    assert PluginDriver(plugin, CFG).check_resource(resource=group, location=HERE) is not None
    PluginDriver(plugin, CFG).delete_resource(resource=user, location=HERE)
    PluginDriver(plugin, CFG).delete_resource(resource=group, location=HERE)
    assert idp.list_users(UserPoolId=ids["pool"])["Users"] == []
    assert idp.list_groups(UserPoolId=ids["pool"])["Groups"] == []
    assert [u["Username"] for u in idp.list_users(UserPoolId=ids["other"])["Users"]] == ["ana"]
    assert PluginDriver(plugin, CFG).check_resource(resource=group, location=HERE) is None
    PluginDriver(plugin, CFG).delete_resource(resource=pool, location=HERE)
    assert [p["Id"] for p in idp.list_user_pools(MaxResults=10)["UserPools"]] == [ids["other"]]
