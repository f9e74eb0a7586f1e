"""The AWS fault proxy: each injected fault reaches boto3 in the shape botocore expects.

A real moto server and real boto3 clients over HTTP on 127.0.0.1; nothing is mocked.
"""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import botocore.exceptions
import pytest
from botocore.awsrequest import AWSResponse
from botocore.config import Config
from botocore.retries import standard
from support import moto_server

from faults.aws_proxy import (
    AwsFaultProxy,
    FaultPlan,
    FaultRule,
    cbor_string_map,
    parse_request,
    parse_rule,
)

NO_RETRY = Config(retries={"total_max_attempts": 1}, connect_timeout=5, read_timeout=10)


@pytest.fixture(scope="module")
def moto_url() -> Iterator[str]:
    with moto_server() as url:
        yield url


@pytest.fixture(autouse=True)
def fake_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/dev/null")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")


_open_clients: list[Any] = []


@pytest.fixture
def proxy(moto_url: str) -> Iterator[AwsFaultProxy]:
    with AwsFaultProxy(moto_url) as running:
        try:
            yield running
        finally:
            while _open_clients:
                _open_clients.pop().close()


def client(proxy: AwsFaultProxy, service: str, config: Config = NO_RETRY, region: str = "us-east-1") -> Any:
    made = boto3.session.Session().client(service, region_name=region, endpoint_url=proxy.url, config=config)
    _open_clients.append(made)
    return made


# service (boto3 name), SigV4 signing name, one read-only call, the code botocore must parse
THROTTLE_CASES: list[tuple[str, str, Callable[[Any], Any], str, int]] = [
    ("ec2", "ec2", lambda c: c.describe_instances(), "RequestLimitExceeded", 503),
    ("iam", "iam", lambda c: c.list_users(), "Throttling", 400),
    ("sns", "sns", lambda c: c.list_topics(), "Throttling", 400),
    ("elbv2", "elasticloadbalancing", lambda c: c.describe_load_balancers(), "Throttling", 400),
    ("sqs", "sqs", lambda c: c.list_queues(), "ThrottlingException", 400),
    ("dynamodb", "dynamodb", lambda c: c.list_tables(), "ThrottlingException", 400),
    ("kms", "kms", lambda c: c.list_keys(), "ThrottlingException", 400),
    ("lambda", "lambda", lambda c: c.list_functions(), "TooManyRequestsException", 429),
    ("eks", "eks", lambda c: c.list_clusters(), "ThrottlingException", 429),
    ("s3", "s3", lambda c: c.list_buckets(), "SlowDown", 503),
    ("route53", "route53", lambda c: c.list_hosted_zones(), "Throttling", 400),
    ("cloudwatch", "monitoring", lambda c: c.describe_alarms(), "ThrottlingException", 400),
]


def botocore_sees_throttling(error: botocore.exceptions.ClientError) -> bool:
    """Ask botocore's own standard-mode checkers whether this response is a throttle."""
    context = standard.RetryContext(attempt_number=1, parsed_response=error.response)
    by_code = standard.ThrottledRetryableChecker().is_retryable(context)
    status = error.response["ResponseMetadata"]["HTTPStatusCode"]
    return bool(by_code) or status == 429


@pytest.mark.parametrize(
    ("service", "signing_name", "call", "code", "status"),
    THROTTLE_CASES,
    ids=[c[0] for c in THROTTLE_CASES],
)
def test_throttle_shape_is_parsed_by_botocore(
    proxy: AwsFaultProxy,
    service: str,
    signing_name: str,
    call: Callable[[Any], Any],
    code: str,
    status: int,
) -> None:
    proxy.set_plan(FaultPlan(services={signing_name: FaultRule(throttle=1.0)}))
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        call(client(proxy, service))
    error = caught.value
    assert error.response["Error"]["Code"] == code
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == status
    assert botocore_sees_throttling(error)
    assert proxy.stats()["injected_by"] == {f"{signing_name}:throttle": 1}


@pytest.mark.parametrize(
    ("fault", "code", "status"),
    [("server_error", "InternalFailure", 500), ("unavailable", "ServiceUnavailable", 503)],
)
@pytest.mark.parametrize("service", ["iam", "dynamodb", "lambda", "cloudwatch"])
def test_server_errors_are_transient_for_botocore(
    proxy: AwsFaultProxy, service: str, fault: str, code: str, status: int
) -> None:
    proxy.set_plan(FaultPlan(default=FaultRule(**{fault: 1.0})))
    calls = {
        "iam": lambda c: c.list_users(),
        "dynamodb": lambda c: c.list_tables(),
        "lambda": lambda c: c.list_functions(),
        "cloudwatch": lambda c: c.describe_alarms(),
    }
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        calls[service](client(proxy, service))
    response = caught.value.response
    assert response["Error"]["Code"] == code
    assert response["ResponseMetadata"]["HTTPStatusCode"] == status
    http = AWSResponse(proxy.url, status, {}, None)
    context = standard.RetryContext(attempt_number=1, parsed_response=response, http_response=http)
    assert standard.TransientRetryableChecker().is_retryable(context)
    assert not standard.ThrottledRetryableChecker().is_retryable(context)


def test_ec2_server_error_uses_ec2_shape(proxy: AwsFaultProxy) -> None:
    proxy.set_plan(FaultPlan(services={"ec2": FaultRule(server_error=1.0)}))
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        client(proxy, "ec2").describe_vpcs()
    assert caught.value.response["Error"]["Code"] == "InternalError"


def test_connection_reset_reaches_botocore_as_connection_error(proxy: AwsFaultProxy) -> None:
    proxy.set_plan(FaultPlan(services={"sqs": FaultRule(reset=1.0)}))
    with pytest.raises(botocore.exceptions.ConnectionClosedError):
        client(proxy, "sqs").list_queues()
    assert proxy.stats()["injected_by"] == {"sqs:reset": 1}


def test_slow_response_is_delayed_but_correct(proxy: AwsFaultProxy) -> None:
    sqs = client(proxy, "sqs")
    sqs.create_queue(QueueName="slow-one")
    proxy.set_plan(FaultPlan(services={"sqs": FaultRule(slow=1.0, slow_seconds=0.4)}))
    started = time.perf_counter()
    urls = sqs.list_queues(QueueNamePrefix="slow-")["QueueUrls"]
    assert time.perf_counter() - started >= 0.4
    assert [u.rsplit("/", 1)[-1] for u in urls] == ["slow-one"]


def test_other_services_pass_through(proxy: AwsFaultProxy) -> None:
    proxy.set_plan(FaultPlan(services={"ec2": FaultRule(throttle=1.0)}))
    client(proxy, "sqs").create_queue(QueueName="passes")
    stats = proxy.stats()
    assert stats["injected"] == 0
    assert stats["by_service"] == {"sqs": 1}
    assert stats["by_operation"] == {"sqs:CreateQueue": 1}


def test_throttled_call_is_retried_until_attempts_run_out(
    proxy: AwsFaultProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(standard.ExponentialBackoff, "delay_amount", lambda self, ctx: 0.01)
    proxy.set_plan(FaultPlan(services={"ec2": FaultRule(throttle=1.0)}))
    ec2 = client(proxy, "ec2", Config(retries={"mode": "standard", "total_max_attempts": 3}))
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        ec2.describe_instances()
    assert caught.value.response["ResponseMetadata"]["RetryAttempts"] == 2
    assert proxy.stats()["injected_by"] == {"ec2:throttle": 3}


def test_calls_succeed_through_twenty_percent_throttling(
    proxy: AwsFaultProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    mode = "standard"
    monkeypatch.setattr(standard.ExponentialBackoff, "delay_amount", lambda self, ctx: 0.01)
    s3 = client(proxy, "s3")
    s3.create_bucket(Bucket=f"through-{mode}")
    proxy.set_plan(FaultPlan(default=FaultRule(throttle=0.2), seed=42))
    proxy.reset_stats()
    config = Config(retries={"mode": mode, "max_attempts": 10})
    clients = {name: client(proxy, name, config) for name in ("ec2", "iam", "sqs", "s3", "lambda")}
    for _ in range(12):
        assert "Reservations" in clients["ec2"].describe_instances()
        assert "Users" in clients["iam"].list_users()
        clients["sqs"].list_queues()
        assert f"through-{mode}" in [b["Name"] for b in clients["s3"].list_buckets()["Buckets"]]
        assert "Functions" in clients["lambda"].list_functions()
    stats = proxy.stats()
    # 60 logical calls, each throttled attempt costs one extra request
    assert stats["requests"] == 60 + stats["injected"]
    assert 0.08 < stats["injected"] / stats["requests"] < 0.35


def test_same_seed_same_faults(proxy: AwsFaultProxy) -> None:
    sequences = []
    for _ in range(2):
        proxy.set_plan(FaultPlan(default=FaultRule(throttle=0.3, server_error=0.2), seed=7))
        proxy.reset_stats()
        sqs = client(proxy, "sqs")
        outcome = []
        for _ in range(20):
            try:
                sqs.list_queues()
                outcome.append("ok")
            except botocore.exceptions.ClientError as exc:
                outcome.append(exc.response["Error"]["Code"])
        sequences.append(outcome)
    assert sequences[0] == sequences[1]
    assert {"ok", "ThrottlingException", "InternalFailure"} <= set(sequences[0])


def test_control_endpoints(proxy: AwsFaultProxy) -> None:
    plan = {"default": {"throttle": 1.0}, "services": {"sqs": {}}, "seed": 3}
    request = urllib.request.Request(
        proxy.url + "/__faults__/plan", data=json.dumps(plan).encode(), method="POST"
    )
    with urllib.request.urlopen(request, timeout=5) as answer:
        assert json.load(answer)["default"]["throttle"] == 1.0
    client(proxy, "sqs").list_queues()  # the sqs rule has no faults
    with pytest.raises(botocore.exceptions.ClientError):
        client(proxy, "kms").list_keys()
    with urllib.request.urlopen(proxy.url + "/__faults__/stats", timeout=5) as answer:
        stats = json.load(answer)
    assert stats["by_service"] == {"kms": 1, "sqs": 1}
    assert stats["injected_by"] == {"kms:throttle": 1}
    bad = urllib.request.Request(
        proxy.url + "/__faults__/plan", data=b'{"default": {"throttle": 2}}', method="POST"
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(bad, timeout=5)
    refused.value.close()
    assert refused.value.code == 400


def test_parse_request_attribution() -> None:
    auth = (
        "AWS4-HMAC-SHA256 Credential=testing/20240101/eu-central-1/{}/aws4_request, "
        "SignedHeaders=host;x-amz-date, Signature=abc"
    )
    form = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
    ec2 = parse_request(
        "POST", "/", "", {"Authorization": auth.format("ec2"), **form}, b"Action=DescribeVpcs"
    )
    assert ec2.service == "ec2"
    assert (ec2.region, ec2.operation, ec2.protocol) == ("eu-central-1", "DescribeVpcs", "ec2")
    iam = parse_request(
        "POST", "/", "", {"Authorization": auth.format("iam"), **form}, b"Action=ListRoles&V=1"
    )
    assert (iam.service, iam.operation, iam.protocol) == ("iam", "ListRoles", "query")
    ddb = parse_request(
        "POST",
        "/",
        "",
        {"authorization": auth.format("dynamodb"), "X-Amz-Target": "DynamoDB_20120810.Scan"},
        b"",
    )
    assert (ddb.service, ddb.operation, ddb.protocol) == ("dynamodb", "Scan", "json")
    cw = parse_request(
        "POST",
        "/service/GraniteServiceVersion20100801/operation/DescribeAlarms",
        "",
        {"Authorization": auth.format("monitoring"), "smithy-protocol": "rpc-v2-cbor"},
        b"\xa0",
    )
    assert (cw.service, cw.operation, cw.protocol) == ("monitoring", "DescribeAlarms", "cbor")
    presigned = parse_request(
        "GET", "/bucket/key", "X-Amz-Credential=testing%2F20240101%2Fus-west-2%2Fs3%2Faws4_request", {}, b""
    )
    assert (presigned.service, presigned.region, presigned.protocol) == ("s3", "us-west-2", "s3")
    assert parse_request("GET", "/", "", {}, b"").service == "unknown"


def test_rules_and_plans_validate() -> None:
    assert parse_rule("ec2:throttle=0.5,slow=0.25") == ("ec2", FaultRule(throttle=0.5, slow=0.25))
    with pytest.raises(ValueError):
        parse_rule("ec2:explode=1")
    with pytest.raises(ValueError):
        FaultRule(throttle=0.7, reset=0.4)
    rule = FaultRule(throttle=0.1, server_error=0.1, unavailable=0.1, reset=0.1, slow=0.1)
    assert [rule.pick(x) for x in (0.05, 0.15, 0.25, 0.35, 0.45, 0.55)] == [
        "throttle",
        "server_error",
        "unavailable",
        "reset",
        "slow",
        None,
    ]
    plan = FaultPlan(default=rule, services={"s3": FaultRule(reset=1.0)}, seed=9)
    assert FaultPlan.from_json(json.loads(json.dumps(plan.to_json()))) == plan


def test_cbor_encoding_round_trips_through_botocore() -> None:
    from botocore.parsers import RpcV2CBORParser

    value = {"__type": "x#" + "T" * 30, "message": "m" * 300}
    parser = RpcV2CBORParser()
    decoded = parser._initial_body_parse(cbor_string_map(value))
    assert decoded == value


def test_refuses_non_loopback() -> None:
    with pytest.raises(ValueError):
        AwsFaultProxy("http://example.com:5000")
    with pytest.raises(ValueError):
        AwsFaultProxy("http://127.0.0.1:5000", host="0.0.0.0")
