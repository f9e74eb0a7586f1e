"""The action hooks reach an account the way the collect that found it did (the unit's role).

A tag task can arrive right after a restart, before any collect: the kernel then asks the plugin's
``collection_units`` once for the account and passes the unit (with its assumed role) to the hook.
"""

from __future__ import annotations

from typing import Any

import boto3
from aws.support_aws import ACCOUNT, client
from resoto_hookspecs import Location
from resotoworker.config import build_config
from resotoworker.plugins import build_plugin_host
from resotoworker.tasks import handle_task

ROLE = "OrganizationAccountAccessRole"


def _member_ec2(account: str) -> Any:
    creds = client("sts").assume_role(RoleArn=f"arn:aws:iam::{account}:role/{ROLE}", RoleSessionName="seed")[
        "Credentials"
    ]
    return boto3.client(
        "ec2",
        region_name="us-east-1",
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )


def _tags(ec2: Any, resource_id: str) -> dict[str, str]:
    answer = ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [resource_id]}])
    return {t["Key"]: t["Value"] for t in answer["Tags"]}


async def test_tag_task_before_any_collect_uses_the_accounts_role(moto: str) -> None:
    org = client("organizations")
    org.create_organization(FeatureSet="ALL")
    member = org.create_account(AccountName="member", Email="m@example.com")["CreateAccountStatus"][
        "AccountId"
    ]
    member_ec2 = _member_ec2(member)
    vpc = member_ec2.create_vpc(CidrBlock="10.7.0.0/16")["Vpc"]["VpcId"]

    host = build_plugin_host(enable={"aws"})  # a fresh worker: no collect has run
    config = build_config(
        {
            "resotoworker": {"collector": ["aws"]},
            "aws": {"region": ["us-east-1"], "scrape_org": True, "role": ROLE},
        },
        host,
    )
    assert len(host.units) == 0
    frame = {
        "task_id": "t-1",
        "task_name": "tag",
        "attrs": {"cloud": "aws", "account": member, "region": "us-east-1"},
        "data": {
            "update": {"owner": "alice"},
            "node": {"id": "n-1", "reported": {"id": vpc, "kind": "aws_vpc", "tags": {}}, "metadata": {}},
        },
    }
    reply = await handle_task(host, config, frame, None)
    assert reply is not None and reply["result"] == "done", reply
    assert _tags(member_ec2, vpc) == {"owner": "alice"}  # tagged in the member account, with its role
    assert _tags(client("ec2"), vpc) == {}  # not with the base credentials of the main account
    unit = host.units.lookup(Location("aws", member, "us-east-1"))
    assert unit is not None and unit.payload.role_arn == f"arn:aws:iam::{member}:role/{ROLE}"

    # a second task finds the unit without asking for the organization's accounts again
    calls_before = host.units.discoveries
    frame["task_id"] = "t-2"
    frame["data"] = {**frame["data"], "update": {"team": "infra"}}  # type: ignore[dict-item]
    reply = await handle_task(host, config, frame, None)
    assert reply is not None and reply["result"] == "done", reply
    assert _tags(member_ec2, vpc) == {"owner": "alice", "team": "infra"}
    assert host.units.discoveries == calls_before


async def test_an_account_no_unit_serves_gets_a_clear_error(moto: str) -> None:
    host = build_plugin_host(enable={"aws"})
    config = build_config({"aws": {"region": ["us-east-1"]}}, host)
    frame = {
        "task_id": "t-1",
        "task_name": "tag",
        "attrs": {"cloud": "aws", "account": "999999999999", "region": "us-east-1"},
        "data": {
            "update": {"owner": "alice"},
            "node": {"id": "n-1", "reported": {"id": "vpc-1", "kind": "aws_vpc"}, "metadata": {}},
        },
    }
    reply = await handle_task(host, config, frame, None)
    assert reply is not None and reply["result"] == "error"
    assert "999999999999" in reply["error"] and ACCOUNT not in reply["error"]
