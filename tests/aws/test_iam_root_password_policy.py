"""The root user and the account password policy against moto.

The root user comes from the account summary (MFA flag, root access keys present). The password
policy is collected when one is set, with its settings, re-read by ``check_resource`` and deleted;
an account without one yields no node and no error.
"""

from __future__ import annotations

from typing import Any

from aws.support_aws import ACCOUNT, Collected, client, collect
from aws.test_definitions import op_model, walk
from resoto_hookspecs import Location
from resoto_hookspecs.testing import PluginDriver
from resoto_plugin_aws import plugin
from resoto_plugin_aws.config import AwsConfig
from resoto_plugin_aws.registry import kind_of

CFG = AwsConfig(region=["us-east-1"], collect=["aws_root_user", "aws_iam_account_password_policy"])
GLOBAL = Location("aws", ACCOUNT, "global")


def resource(result: Collected, kind: str, rid: str) -> Any:
    reported = dict(result.by_id(kind)[rid])
    reported.pop("kind")
    found = kind_of(kind)
    assert found is not None
    return found.cls.model_validate(reported)


def test_password_policy_fields_match_botocore() -> None:
    """The items function hands over ``PasswordPolicy`` as is: its paths must exist in that shape."""
    kind = kind_of("aws_iam_account_password_policy")
    assert kind is not None
    shape = walk(op_model("iam", "GetAccountPasswordPolicy").output_shape, "PasswordPolicy")
    for field_name, path in kind.fields.items():
        assert field_name in kind.cls.model_fields
        assert isinstance(path, str)
        walk(shape, path)


def test_no_password_policy_means_no_node(moto: str) -> None:
    result = collect(CFG)
    assert not result.failures and result.reporter.errors == [] and result.reporter.skips == []
    assert result.by_id("aws_iam_account_password_policy") == {}
    root = result.by_id("aws_root_user")["root"]
    assert root["name"] == "root" and root["arn"] == f"arn:aws:iam::{ACCOUNT}:root"
    assert (root["mfa_active"], root["account_access_keys_present"]) == (False, 0)
    # one node per account, below the global region
    assert len(result.nodes("aws_root_user")) == 1


def test_password_policy_collected_checked_and_deleted(moto: str) -> None:
    iam = client("iam")
    iam.update_account_password_policy(
        MinimumPasswordLength=14,
        RequireSymbols=True,
        RequireNumbers=True,
        MaxPasswordAge=90,
        PasswordReusePrevention=5,
        AllowUsersToChangePassword=True,
    )
    result = collect(CFG)
    assert not result.failures and result.reporter.errors == []
    policy = result.by_id("aws_iam_account_password_policy")["account_password_policy"]
    assert (
        policy["minimum_password_length"],
        policy["require_symbols"],
        policy["require_numbers"],
        policy["require_uppercase_characters"],
        policy["max_password_age"],
        policy["password_reuse_prevention"],
        policy["allow_users_to_change_password"],
        policy["expire_passwords"],
    ) == (14, True, True, False, 90, 5, True, True)

    res = resource(result, "aws_iam_account_password_policy", "account_password_policy")
    iam.update_account_password_policy(MinimumPasswordLength=20)
    current = PluginDriver(plugin, CFG).check_resource(resource=res, location=GLOBAL)
    assert current is not None and current.minimum_password_length == 20  # type: ignore[attr-defined]

    PluginDriver(plugin, CFG).delete_resource(resource=res, location=GLOBAL)
    assert PluginDriver(plugin, CFG).check_resource(resource=res, location=GLOBAL) is None
    again = collect(CFG)
    assert again.by_id("aws_iam_account_password_policy") == {} and again.reporter.errors == []
