"""Account discovery (Organizations with assume-role), and expected errors turned into skips."""

from __future__ import annotations

from typing import Any

import pytest
from aws.support_aws import ACCOUNT, client, collect, unexpected_reports
from resoto_hookspecs import GraphBuilder, MemorySink, RecordingReporter
from resoto_plugin_aws import plugin
from resoto_plugin_aws.config import AwsConfig
from resoto_plugin_aws.sessions import SESSIONS, Access


def test_organization_accounts_are_discovered_and_assumed(moto: str) -> None:
    org = client("organizations")
    org.create_organization(FeatureSet="ALL")
    members = [
        org.create_account(AccountName=f"member-{i}", Email=f"m{i}@example.com")["CreateAccountStatus"][
            "AccountId"
        ]
        for i in range(3)
    ]
    excluded = members[2]
    # something in member 0 to find there, through the assumed role's credentials
    creds = client("sts").assume_role(
        RoleArn=f"arn:aws:iam::{members[0]}:role/OrganizationAccountAccessRole", RoleSessionName="seed"
    )["Credentials"]
    import boto3

    member_ec2 = boto3.client(
        "ec2",
        region_name="us-east-1",
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )
    vpc = member_ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]

    cfg = AwsConfig(
        region=["us-east-1"],
        scrape_org=True,
        role="OrganizationAccountAccessRole",
        scrape_exclude_account=[excluded],
        collect=["aws_vpc"],
    )
    rep = RecordingReporter()
    units = list(plugin.collection_units(config=cfg, reporter=rep))
    accounts = {u.account.id: u.account for u in units}
    assert set(accounts) == {ACCOUNT, members[0], members[1]}
    assert accounts[members[0]].name == "member-0"
    member_units = [u for u in units if u.account.id == members[0]]
    assert {u.region.id for u in member_units} == {"global", "us-east-1"}
    payload: Access = member_units[0].payload
    assert payload.role_arn == f"arn:aws:iam::{members[0]}:role/OrganizationAccountAccessRole"
    assert rep.calls[("organizations", "ListAccounts")] == 1

    unit = next(u for u in member_units if u.region.id == "us-east-1")
    sink = MemorySink()
    plugin.collect(unit=unit, config=cfg, builder=GraphBuilder(unit, sink, rep), reporter=rep)
    assert vpc in {n["id"] for n in sink.by_kind("aws_vpc")}
    main_unit = next(u for u in units if u.account.id == ACCOUNT and u.region.id == "us-east-1")
    main_sink = MemorySink()
    plugin.collect(unit=main_unit, config=cfg, builder=GraphBuilder(main_unit, main_sink, rep), reporter=rep)
    assert vpc not in {n["id"] for n in main_sink.by_kind("aws_vpc")}


class _Denied:
    status_code = 403


def _deny(region: str, services: set[str] | None) -> Any:
    """A botocore before-call handler that answers AccessDenied for calls into one region."""

    def handler(model: Any, context: dict[str, Any], **_: Any) -> Any:
        if context.get("client_region") != region:
            return None
        if services is not None and model.service_model.service_name not in services:
            return None
        return _Denied(), {
            "Error": {"Code": "UnauthorizedOperation", "Message": "injected"},
            "ResponseMetadata": {"HTTPStatusCode": 403},
        }

    return handler


@pytest.fixture()
def inject_denial(moto: str) -> Any:
    """Register a fault on the session every client of the test account is made from."""
    cfg = AwsConfig(region=["us-east-1", "us-west-2"])

    def install(region: str, services: set[str] | None) -> AwsConfig:
        SESSIONS.clear()
        session = SESSIONS.session(Access(ACCOUNT), cfg)
        session.register("before-call", _deny(region, services))
        return cfg

    return install


def test_denied_service_in_one_region_withholds_its_kinds(moto: str, inject_denial: Any) -> None:
    client("ec2", "us-west-2").create_vpc(CidrBlock="10.5.0.0/16")
    client("sqs", "us-west-2").create_queue(QueueName="still-here")
    cfg = inject_denial("us-west-2", {"ec2"})
    result = collect(cfg)
    assert result.failures == {}
    errors, skips = unexpected_reports(result.reporter)
    assert errors == []
    # each ec2 kind is reported denied (the kernel withholds it in us-west-2 only), with the code
    assert skips and all(service == "ec2" and complete is False for _, _, service, complete in skips)
    assert "aws_vpc" in {kind for _, kind, _, _ in skips}
    assert ("aws_vpc", "UnauthorizedOperation") in result.reporter.codes
    assert all("UnauthorizedOperation" in reason or "computed from" in reason for reason, *_ in skips)
    assert "still-here" in result.by_id("aws_sqs_queue")
    vpc_regions = {n["reported"]["arn"].split(":")[3] for n in result.nodes("aws_vpc").values()}
    assert vpc_regions == {"us-east-1"}


def test_region_denied_entirely_withholds_every_kind(moto: str, inject_denial: Any) -> None:
    client("sqs", "us-west-2").create_queue(QueueName="unreadable")
    cfg = inject_denial("us-west-2", None)
    result = collect(cfg)
    assert result.failures == {}  # kind by kind: the kernel carries each one's last known data
    errors, skips = unexpected_reports(result.reporter)
    assert errors == []
    assert skips and all(complete is False for *_, complete in skips)
    assert "aws_sqs_queue" in {kind for _, kind, _, _ in skips}
    assert "unreadable" not in result.by_id("aws_sqs_queue")
