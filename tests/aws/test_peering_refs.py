"""VPC peering across regions and accounts: the edge to the other VPC is a deferred edge, never dropped.

The kernel's collect engine sends each account as its own merge to the core simulator, the way the
daemon does; the simulator resolves deferred edges against the graph it holds.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
from aws.support_aws import client
from coresim import CoreSimulator
from resoto_hookspecs import node_id
from resotoworker.collect import CollectEngine
from resotoworker.config import build_config
from resotoworker.plugins import build_plugin_host
from resotoworker.spool import AccountOutput

ROLE = "OrganizationAccountAccessRole"
GRAPH = "resoto"


def _assumed(service: str, account: str, region: str) -> Any:
    creds = client("sts").assume_role(RoleArn=f"arn:aws:iam::{account}:role/{ROLE}", RoleSessionName="seed")[
        "Credentials"
    ]
    return boto3.client(
        service,
        region_name=region,
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )


async def _collect(
    section: dict[str, Any], sim: CoreSimulator, tmp_path: Path
) -> tuple[Any, list[dict[str, Any]]]:
    host = build_plugin_host(enable={"aws"})
    sim.update_model(host.model(), GRAPH)
    config = build_config(
        {"resotoworker": {"collector": ["aws"], "fork_process": False}, "aws": section}, host
    )
    deferred: list[dict[str, Any]] = []

    async def send(output: AccountOutput) -> None:  # one merge per account, as the daemon sends them
        lines = [json.loads(line) for line in b"".join(output.chunks()).splitlines() if line.strip()]
        deferred.extend(line for line in lines if "from_selector" in line)
        sim.merge_graph(lines, GRAPH)

    report = await CollectEngine(host, config, send=send, spool_root=tmp_path).run()
    return report, deferred


def _dropped(report: Any) -> list[str]:
    return [e for e in report.errors if "dropped edge" in e]


async def test_peering_to_a_region_this_collect_does_not_hold_is_a_deferred_edge(
    moto: str, tmp_path: Path
) -> None:
    east, west = client("ec2", "us-east-1"), client("ec2", "us-west-2")
    vpc_a = east.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    vpc_c = west.create_vpc(CidrBlock="10.3.0.0/16")["Vpc"]["VpcId"]
    pcx = east.create_vpc_peering_connection(VpcId=vpc_a, PeerVpcId=vpc_c, PeerRegion="us-west-2")[
        "VpcPeeringConnection"
    ]["VpcPeeringConnectionId"]
    sim = CoreSimulator(preload_model=True)
    section = {"region": ["us-east-1"], "collect": ["aws_vpc", "aws_vpc_peering_connection"]}
    report, deferred = await _collect(section, sim, tmp_path)
    assert _dropped(report) == []
    account = boto3.client("sts", region_name="us-east-1").get_caller_identity()["Account"]
    c_id = node_id("aws_vpc", "aws", account, "us-west-2", vpc_c)
    p_id = node_id("aws_vpc_peering_connection", "aws", account, "us-east-1", pcx)
    assert {
        (d["from_selector"]["node_id"], d["to_selector"]["node_id"], d["edge_type"]) for d in deferred
    } == {
        (c_id, p_id, "default"),
        (c_id, p_id, "delete"),
    }
    stored = sim.graph(GRAPH)
    assert p_id in stored.nodes and c_id not in stored.nodes  # us-west-2 is not collected here


async def test_peering_across_accounts_and_regions_reaches_the_core(moto: str, tmp_path: Path) -> None:
    org = client("organizations")
    org.create_organization(FeatureSet="ALL")
    member = org.create_account(AccountName="member", Email="m@example.com")["CreateAccountStatus"][
        "AccountId"
    ]
    vpc_b = _assumed("ec2", member, "us-west-2").create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]
    east = client("ec2", "us-east-1")
    vpc_a = east.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    pcx = east.create_vpc_peering_connection(
        VpcId=vpc_a, PeerVpcId=vpc_b, PeerOwnerId=member, PeerRegion="us-west-2"
    )["VpcPeeringConnection"]["VpcPeeringConnectionId"]
    sim = CoreSimulator(preload_model=True)
    section = {
        "region": ["us-east-1", "us-west-2"],
        "scrape_org": True,
        "role": ROLE,
        "collect": ["aws_vpc", "aws_vpc_peering_connection"],
    }
    report, deferred = await _collect(section, sim, tmp_path)
    assert _dropped(report) == []
    stored = sim.graph(GRAPH)
    [b_node] = [n["id"] for n in stored.by_kind("aws_vpc") if n["reported"]["id"] == vpc_b]
    [a_node] = [n["id"] for n in stored.by_kind("aws_vpc") if n["reported"]["id"] == vpc_a]
    main = boto3.client("sts", region_name="us-east-1").get_caller_identity()["Account"]
    p_main = node_id("aws_vpc_peering_connection", "aws", main, "us-east-1", pcx)
    assert p_main in stored.nodes, "the peering was not collected"
    # the member's VPC (another account, another merge) reaches the peering over deferred edges
    assert (b_node, p_main, "default") in stored.edges and (b_node, p_main, "delete") in stored.edges
    assert (a_node, p_main, "default") in stored.edges
    assert any(d["from_selector"]["node_id"] == b_node for d in deferred)
