"""Collection against moto: every kind moto serves is created, collected with its tags and edges."""

from __future__ import annotations

from typing import Any

import pytest
from aws.seed_small import REGION, seed_all
from aws.support_aws import ACCOUNT, Collected, collect, moto_gaps, unexpected_reports
from resoto_hookspecs import RecordingReporter
from resoto_plugin_aws.config import AwsConfig


@pytest.fixture(scope="module")
def collected(moto_endpoint: str) -> tuple[Collected, dict[str, Any]]:
    import urllib.request

    urllib.request.urlopen(urllib.request.Request(f"{moto_endpoint}/moto-api/reset", method="POST")).read()
    seeded = seed_all()
    cfg = AwsConfig(region=[REGION])  # the default config: moto's gaps are reported, not switched off
    return collect(cfg, RecordingReporter()), seeded


EXPECTED_TAGGED: list[tuple[str, str]] = [
    ("aws_vpc", "vpc"),
    ("aws_ec2_subnet", "subnet"),
    ("aws_ec2_security_group", "sg_a"),
    ("aws_ec2_internet_gateway", "igw"),
    ("aws_ec2_route_table", "rt"),
    ("aws_ec2_network_acl", "acl"),
    ("aws_vpc_endpoint", "endpoint"),
    ("aws_vpc_peering_connection", "peering"),
    ("aws_ec2_nat_gateway", "nat"),
    ("aws_ec2_image", "ami"),
    ("aws_ec2_instance", "instance"),
    ("aws_ec2_volume", "volume"),
    ("aws_ec2_snapshot", "snapshot"),
    ("aws_ec2_elastic_ip", "eip"),
    ("aws_ec2_network_interface", "eni"),
    ("aws_ec2_launch_template", "lt"),
    ("aws_kms_key", "kms"),
    ("aws_efs_file_system", "efs"),
]

EXPECTED_BY_NAME: list[tuple[str, str, bool]] = [
    ("aws_ec2_keypair", "t-key", True),
    ("aws_autoscaling_group", "t-asg", False),
    ("aws_alb", "t-alb", True),
    ("aws_alb_target_group", "t-tg", True),
    ("aws_elb", "t-elb", True),
    ("aws_iam_user", "t-user", True),
    ("aws_iam_group", "t-group", False),
    ("aws_iam_role", "t-role", True),
    ("aws_iam_policy", "t-policy", True),
    ("aws_iam_instance_profile", "t-profile", True),
    ("aws_iam_server_certificate", "t-cert", False),
    ("aws_s3_bucket", "t-bucket", True),
    ("aws_s3_bucket", "t-bucket-eu", False),
    ("aws_lambda_function", "t-fn", True),
    ("aws_sqs_queue", "t-queue", True),
    ("aws_dynamodb_table", "t-table", True),
    ("aws_rds_instance", "t-db", True),
    ("aws_rds_snapshot", "t-dbsnap", True),
    ("aws_rds_cluster", "t-cluster", True),
    ("aws_rds_cluster_snapshot", "t-csnap", False),
    ("aws_cloudwatch_alarm", "t-alarm", True),
    ("aws_cloudwatch_log_group", "t-logs", True),
    ("aws_cloudwatch_metric_filter", "t-logs/t-filter", False),
    ("aws_route53_resource_record_set", "www.t.example.com./A", False),
    ("aws_cloudformation_stack", "t-stack", True),
    ("aws_kinesis_stream", "t-stream", True),
    ("aws_secretsmanager_secret", "t-secret", True),
    ("aws_ecr_repository", "t-repo", True),
    ("aws_cloud_trail", "t-trail", True),
]


def test_collect_has_no_unexpected_problem(collected: tuple[Collected, dict[str, Any]]) -> None:
    result, _ = collected
    assert result.failures == {}
    assert unexpected_reports(result.reporter) == ([], [])
    reported = {e[1] for e in result.reporter.errors} | {s[1] for s in result.reporter.skips}
    assert reported <= moto_gaps()
    problems = result.sink.validate(result.region_ids())
    assert [p for p in problems if "cycle" in p.reason] == []
    assert {u.name for u in result.units} == {f"{ACCOUNT}/global", f"{ACCOUNT}/{REGION}"}


@pytest.mark.parametrize(("kind", "key"), EXPECTED_TAGGED)
def test_tagged_resource_is_collected(
    collected: tuple[Collected, dict[str, Any]], kind: str, key: str
) -> None:
    result, seeded = collected
    found = result.by_id(kind)
    rid = seeded[key]
    assert rid in found, f"{kind} {rid} missing; have {sorted(found)[:5]}"
    assert found[rid]["tags"].get("owner") == "tests"


@pytest.mark.parametrize(("kind", "rid", "tagged"), EXPECTED_BY_NAME)
def test_named_resource_is_collected(
    collected: tuple[Collected, dict[str, Any]], kind: str, rid: str, tagged: bool
) -> None:
    result, _ = collected
    found = result.by_id(kind)
    assert rid in found, f"{kind} {rid} missing; have {sorted(found)[:5]}"
    if tagged:
        assert found[rid]["tags"].get("owner") == "tests"


def test_other_kinds(collected: tuple[Collected, dict[str, Any]]) -> None:
    result, seeded = collected
    assert seeded["access_key"] in result.by_id("aws_iam_access_key")
    assert seeded["topic"] in result.by_id("aws_sns_topic")
    assert result.by_id("aws_sns_topic")[seeded["topic"]]["tags"]["owner"] == "tests"
    assert seeded["subscription"] in result.by_id("aws_sns_subscription")
    assert seeded["zone"] in result.by_id("aws_route53_zone")
    assert result.by_id("aws_route53_zone")[seeded["zone"]]["tags"]["owner"] == "tests"
    assert seeded["flow_log"] in result.by_id("aws_ec2_flow_log")
    assert "t3.micro" in result.by_id("aws_ec2_instance_type")
    bucket = result.by_id("aws_s3_bucket")["t-bucket-eu"]
    assert bucket["bucket_region"] == "eu-central-1"
    instance = result.by_id("aws_ec2_instance")[seeded["instance"]]
    assert instance["instance_status"] == "running"
    assert instance["instance_type"] == "t3.micro"


EDGES = [
    # (from kind, from key or id, to kind, to key or id, edge type)
    ("aws_vpc", "vpc", "aws_ec2_subnet", "subnet", "default"),
    ("aws_vpc", "vpc", "aws_ec2_subnet", "subnet", "delete"),
    ("aws_ec2_subnet", "subnet", "aws_ec2_instance", "instance", "default"),
    ("aws_ec2_subnet", "subnet", "aws_ec2_instance", "instance", "delete"),
    ("aws_ec2_instance", "instance", "aws_ec2_volume", "volume", "default"),
    ("aws_ec2_volume", "volume", "aws_ec2_instance", "instance", "delete"),
    ("aws_ec2_security_group", "sg_a", "aws_ec2_instance", "instance", "default"),
    ("aws_ec2_security_group", "sg_a", "aws_ec2_instance", "instance", "delete"),
    ("aws_vpc", "vpc", "aws_ec2_security_group", "sg_a", "default"),
    ("aws_vpc", "vpc", "aws_ec2_security_group", "sg_a", "delete"),
    ("aws_ec2_security_group", "sg_a", "aws_ec2_security_group", "sg_b", "delete"),
    ("aws_vpc", "vpc", "aws_ec2_internet_gateway", "igw", "delete"),
    ("aws_vpc", "vpc", "aws_ec2_route_table", "rt", "delete"),
    ("aws_vpc", "vpc", "aws_ec2_nat_gateway", "nat", "delete"),
    ("aws_vpc", "vpc", "aws_vpc_endpoint", "endpoint", "delete"),
    ("aws_vpc", "vpc", "aws_vpc_peering_connection", "peering", "default"),
    ("aws_ec2_instance", "instance", "aws_ec2_elastic_ip", "eip", "default"),
    ("aws_ec2_elastic_ip", "eip", "aws_ec2_instance", "instance", "delete"),
    ("aws_ec2_instance", "instance", "aws_ec2_keypair", "t-key", "default"),
    ("aws_ec2_volume", "volume", "aws_ec2_snapshot", "snapshot", "default"),
    ("aws_ec2_subnet", "subnet", "aws_ec2_network_interface", "eni", "default"),
    ("aws_alb", "t-alb", "aws_alb_target_group", "t-tg", "default"),
    ("aws_alb_target_group", "t-tg", "aws_alb", "t-alb", "delete"),
    ("aws_alb_target_group", "t-tg", "aws_ec2_instance", "instance", "default"),
    ("aws_elb", "t-elb", "aws_ec2_instance", "instance", "default"),
    ("aws_autoscaling_group", "t-asg", "aws_ec2_launch_template", "lt", "default"),
    ("aws_ec2_launch_template", "lt", "aws_autoscaling_group", "t-asg", "delete"),
    ("aws_ec2_subnet", "subnet", "aws_lambda_function", "t-fn", "default"),
    ("aws_ec2_security_group", "sg_a", "aws_lambda_function", "t-fn", "delete"),
    ("aws_iam_role", "t-role", "aws_lambda_function", "t-fn", "default"),
    ("aws_ec2_subnet", "subnet", "aws_rds_instance", "t-db", "default"),
    ("aws_ec2_security_group", "sg_a", "aws_rds_instance", "t-db", "delete"),
    ("aws_ec2_instance", "instance", "aws_cloudwatch_alarm", "t-alarm", "default"),
    ("aws_iam_role", "t-role", "aws_iam_instance_profile", "t-profile", "default"),
    ("aws_iam_role", "t-role", "aws_iam_instance_profile", "t-profile", "delete"),
    ("aws_iam_user", "t-user", "aws_iam_access_key", "access_key", "default"),
    ("aws_iam_user", "t-user", "aws_iam_access_key", "access_key", "delete"),
    ("aws_iam_group", "t-group", "aws_iam_user", "t-user", "default"),
    ("aws_iam_policy", "t-policy", "aws_iam_role", "t-role", "default"),
    ("aws_iam_policy", "t-policy", "aws_iam_user", "t-user", "default"),
    ("aws_iam_policy", "t-policy", "aws_iam_group", "t-group", "default"),
    ("aws_sns_topic", "topic", "aws_sns_subscription", "subscription", "default"),
    ("aws_sns_subscription", "subscription", "aws_sqs_queue", "t-queue", "default"),
    ("aws_route53_zone", "zone", "aws_route53_resource_record_set", "www.t.example.com./A", "default"),
    ("aws_route53_zone", "zone", "aws_route53_resource_record_set", "www.t.example.com./A", "delete"),
    ("aws_cloudwatch_log_group", "t-logs", "aws_cloudwatch_metric_filter", "t-logs/t-filter", "default"),
    ("aws_cloud_trail", "t-trail", "aws_s3_bucket", "t-bucket", "default"),
]


@pytest.mark.parametrize(("a_kind", "a", "b_kind", "b", "edge_type"), EDGES)
def test_edge(
    collected: tuple[Collected, dict[str, Any]], a_kind: str, a: str, b_kind: str, b: str, edge_type: str
) -> None:
    result, seeded = collected
    a_id = result.nid(a_kind, seeded.get(a, a))
    b_id = result.nid(b_kind, seeded.get(b, b))
    assert result.edge(a_id, b_id, edge_type), f"no {edge_type} edge {a_kind} {a} -> {b_kind} {b}"


def test_api_calls_are_counted(collected: tuple[Collected, dict[str, Any]]) -> None:
    result, _ = collected
    calls = result.reporter.calls
    assert calls[("ec2", "DescribeInstances")] == 1
    assert calls[("iam", "GetAccountAuthorizationDetails")] == 1  # shared by users, groups and roles
