"""GuardDuty and Inspector findings attached to the resources they name, with the default config.

Inspector through moto (its ``ListFindings`` answers from a queue set through moto's API); GuardDuty
through the canned HTTP fake (moto has detectors but no ``ListFindings``/``GetFindings``), every body
checked against botocore's output shapes. A findings source that fails costs only its findings.
"""

from __future__ import annotations

import io
import json
import urllib.request
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
from aws.seed_small import register_ami
from aws.support_aws import ACCOUNT, Collected, canned_fakes, client, collect, unexpected_reports
from coresim.model import reference_model
from fakes.aws.canned import CannedFake, error
from fakes.aws.restjson import AwsError
from resoto_hookspecs import GraphBuilder, MemorySink, RecordingReporter, resource_kinds
from resoto_hookspecs.errors import CollectionCancelled
from resoto_plugin_aws import plugin
from resoto_plugin_aws.config import AwsConfig
from resoto_plugin_aws.findings import guardduty_severity
from resoto_plugin_aws.iam_policy import action, policy_document
from resoto_plugin_aws.registry import all_kinds

REGION = "us-east-1"
DEFAULT = AwsConfig(region=[REGION])
T0 = 1767225600  # 2026-01-01T00:00:00Z
FINDING_SERVICES = {"guardduty", "inspector2"}


def _seed() -> dict[str, str]:
    """An EC2 instance and a Lambda function in moto."""
    ami = register_ami("f-ami")
    instance = client("ec2").run_instances(ImageId=ami, MinCount=1, MaxCount=1, InstanceType="t3.micro")[
        "Instances"
    ][0]["InstanceId"]
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole"}]}
    role = client("iam").create_role(RoleName="f-fn", AssumeRolePolicyDocument=json.dumps(trust))["Role"][
        "Arn"
    ]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("h.py", "def handler(e, c):\n    return 1\n")
    fn = client("lambda").create_function(
        FunctionName="f-fn",
        Runtime="python3.11",
        Role=role,
        Handler="h.handler",
        Code={"ZipFile": buf.getvalue()},
    )["FunctionArn"]
    return {"instance": instance, "fn": fn}


def _queue_inspector(moto: str, findings: list[dict[str, Any]]) -> None:
    """The next Inspector ``ListFindings`` of the account and region answers these (one page)."""
    body = json.dumps({"results": [findings], "account_id": ACCOUNT, "region": REGION}).encode()
    request = urllib.request.Request(
        f"{moto}/moto-api/static/inspector2/findings-results",
        data=body,
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    urllib.request.urlopen(request, timeout=30).read()


def _inspector_finding(name: str, resource_id: str, severity: str = "HIGH") -> dict[str, Any]:
    return {
        "findingArn": f"arn:aws:inspector2:{REGION}:{ACCOUNT}:finding/{name}",
        "awsAccountId": ACCOUNT,
        "type": "PACKAGE_VULNERABILITY",
        "description": "a long description that is not kept",
        "title": f"CVE in {name}",
        "severity": severity,
        "status": "ACTIVE",
        "firstObservedAt": T0,
        "lastObservedAt": T0,
        "updatedAt": T0,
        "remediation": {"recommendation": {"text": "upgrade"}},
        "packageVulnerabilityDetails": {
            "vulnerabilityId": "CVE-1",
            "source": "NVD",
            "vulnerablePackages": [],
        },
        "resources": [{"type": "AWS_EC2_INSTANCE", "id": resource_id, "partition": "aws", "region": REGION}],
    }


def _guardduty_finding(fid: str, resource: dict[str, Any], severity: float) -> dict[str, Any]:
    return {
        "AccountId": ACCOUNT,
        "Arn": f"arn:aws:guardduty:{REGION}:{ACCOUNT}:detector/d1/finding/{fid}",
        "CreatedAt": "2026-01-01T00:00:00.000Z",
        "Id": fid,
        "Region": REGION,
        "Partition": "aws",
        "Resource": resource,
        "SchemaVersion": "2.0",
        "Severity": severity,
        "Title": f"finding {fid}",
        "Type": "Recon:EC2/PortProbeUnprotectedPort",
        "UpdatedAt": "2026-01-02T03:04:05.678Z",
        "Description": "not kept",
    }


def _findings_of(result: Collected) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """(kind, id) -> findings, of every node that has any."""
    return {
        (n["reported"]["kind"], n["reported"]["id"]): n["reported"]["findings"]
        for n in result.sink.nodes.values()
        if n["reported"].get("findings")
    }


@pytest.fixture()
def guardduty(moto: str) -> Iterator[CannedFake]:
    for fakes in canned_fakes("guardduty"):
        yield fakes["guardduty"]


def _serve_guardduty(
    fake: CannedFake, seeded: dict[str, str], more: dict[str, dict[str, Any]] | None = None
) -> None:
    """One detector with findings about the seeded instance and function, one about a gone instance,
    and ``more`` (finding id -> ``Resource``, severity 5)."""
    fake.on("ListDetectors", {"DetectorIds": ["d1"]})
    findings = {
        "g-instance": _guardduty_finding(
            "g-instance", {"InstanceDetails": {"InstanceId": seeded["instance"]}}, 8.0
        ),
        "g-fn": _guardduty_finding("g-fn", {"LambdaDetails": {"FunctionArn": seeded["fn"]}}, 2.0),
        "g-elsewhere": _guardduty_finding(
            "g-elsewhere", {"InstanceDetails": {"InstanceId": "i-0000gone"}}, 9.5
        ),
        **{fid: _guardduty_finding(fid, resource, 5.0) for fid, resource in (more or {}).items()},
    }
    fake.on("ListFindings", {"FindingIds": list(findings)})
    fake.on("GetFindings", lambda p: {"Findings": [findings[i] for i in p["FindingIds"]]})


def test_inspector_finding_lands_on_its_instance(moto: str) -> None:
    seeded = _seed()
    repo = client("ecr").create_repository(repositoryName="f-repo")["repository"]["repositoryArn"]
    _queue_inspector(
        moto,
        [
            _inspector_finding("one", seeded["instance"]),
            _inspector_finding("gone", "i-0gone"),
            _inspector_finding("fn", f"{seeded['fn']}:$LATEST", "MEDIUM"),  # a version names its function
            _inspector_finding("image", f"{repo}/sha256:{'a' * 64}", "CRITICAL"),  # an image its repository
        ],
    )
    result = collect(DEFAULT)
    assert result.failures == {}
    assert unexpected_reports(result.reporter) == ([], [])
    found = _findings_of(result)
    assert [f["severity"] for f in found.pop(("aws_lambda_function", "f-fn"))] == ["medium"]
    assert [f["severity"] for f in found.pop(("aws_ecr_repository", "f-repo"))] == ["critical"]
    assert found == {
        ("aws_ec2_instance", seeded["instance"]): [
            {
                "source": "inspector",
                "id": f"arn:aws:inspector2:{REGION}:{ACCOUNT}:finding/one",
                "title": "CVE in one",
                "severity": "high",
                "type": "PACKAGE_VULNERABILITY",
                "updated_at": "2026-01-01T00:00:00Z",
            }
        ]
    }
    # a core that holds Resoto's model accepts the plugin's kinds and this node
    model = reference_model()
    model.update(resource_kinds(k.cls for k in all_kinds().values()), replace=False)
    model.check_node(result.by_id("aws_ec2_instance")[seeded["instance"]])
    calls = result.reporter.calls
    # one region unit reads findings; the global unit does not
    assert calls[("inspector2", "ListFindings")] == 1 and calls[("guardduty", "ListDetectors")] == 1


def test_guardduty_findings_land_on_instance_function_and_database(guardduty: CannedFake) -> None:
    seeded = _seed()
    client("rds").create_db_instance(
        DBInstanceIdentifier="f-db",
        Engine="postgres",
        DBInstanceClass="db.t3.micro",
        MasterUsername="admin1",
        MasterUserPassword="password-1",
        AllocatedStorage=20,
    )
    # a database named by its identifier only: its ARN is built from the finding's account and region
    _serve_guardduty(guardduty, seeded, {"g-db": {"RdsDbInstanceDetails": {"DbInstanceIdentifier": "f-db"}}})
    result = collect(DEFAULT)
    assert result.failures == {}
    assert unexpected_reports(result.reporter) == ([], [])
    found = _findings_of(result)
    assert [f["id"] for f in found.pop(("aws_rds_instance", "f-db"))] == ["g-db"]
    assert set(found) == {("aws_ec2_instance", seeded["instance"]), ("aws_lambda_function", "f-fn")}
    (on_instance,) = found[("aws_ec2_instance", seeded["instance"])]
    assert on_instance == {
        "source": "guardduty",
        "id": "g-instance",
        "title": "finding g-instance",
        "severity": "high",
        "type": "Recon:EC2/PortProbeUnprotectedPort",
        "updated_at": "2026-01-02T03:04:05Z",
    }
    assert [f["severity"] for f in found[("aws_lambda_function", "f-fn")]] == ["low"]
    (listed,) = guardduty.calls("ListFindings")
    assert listed["DetectorId"] == "d1"
    # nested members as on the wire (their jsonName)
    assert listed["FindingCriteria"] == {"criterion": {"service.archived": {"eq": ["false"]}}}
    assert [c["FindingIds"] for c in guardduty.calls("GetFindings")] == [
        ["g-instance", "g-fn", "g-elsewhere", "g-db"]
    ]
    called = {action(service, op) for service, op in result.reporter.calls}
    assert {"guardduty:ListFindings", "guardduty:GetFindings"} <= called
    assert called - set(policy_document()["Statement"][0]["Action"]) == set()


def _without_findings(result: Collected) -> dict[str, dict[str, Any]]:
    return {
        nid: {k: v for k, v in n["reported"].items() if k != "findings"}
        for nid, n in result.sink.nodes.items()
    }


@pytest.mark.parametrize(
    ("op", "answer", "attempts"),
    [
        ("ListFindings", error("AccessDeniedException", 403), 8),
        ("GetFindings", error("InternalServerErrorException", 500), 2),
    ],
)
def test_a_failing_source_costs_only_its_findings(
    moto: str, guardduty: CannedFake, op: str, answer: Any, attempts: int
) -> None:
    """GuardDuty fails (access denied listing; a 5xx reading, after botocore's retries): every kind is
    collected as without findings, Inspector's finding still lands, one gap is reported."""
    seeded = _seed()
    config = AwsConfig(region=[REGION], max_attempts=attempts)
    baseline = collect(config.model_copy(update={"findings": False}))
    _serve_guardduty(guardduty, seeded)
    guardduty.on(op, answer)
    _queue_inspector(moto, [_inspector_finding("one", seeded["instance"], "CRITICAL")])
    result = collect(config)
    assert result.failures == {}
    assert _without_findings(result) == _without_findings(baseline)
    errors, skips = unexpected_reports(result.reporter)
    assert errors == []
    ((reason, kind, service, complete),) = skips
    assert service == "guardduty" and kind is None and complete and "GuardDuty findings" in reason
    assert {k: [f["source"] for f in v] for k, v in _findings_of(result).items()} == {
        ("aws_ec2_instance", seeded["instance"]): ["inspector"]
    }


def test_inspector_not_enabled_is_not_a_gap(moto: str) -> None:
    """Inspector switched off answers access denied saying so: a normal state, no report."""

    def off(params: dict[str, Any]) -> dict[str, Any]:
        raise AwsError("AccessDeniedException", "Amazon Inspector is not enabled for this account", 403)

    _seed()
    for fakes in canned_fakes("inspector2"):
        fakes["inspector2"].on("ListFindings", off)
        result = collect(DEFAULT)
        assert len(fakes["inspector2"].calls("ListFindings")) == 1
    assert result.failures == {}
    assert unexpected_reports(result.reporter) == ([], [])
    assert _findings_of(result) == {}


def test_findings_off_makes_no_findings_call(moto: str) -> None:
    seeded = _seed()
    _queue_inspector(moto, [_inspector_finding("one", seeded["instance"])])
    reporter = RecordingReporter()
    result = collect(AwsConfig(region=[REGION], findings=False), reporter)
    assert result.failures == {}
    assert result.by_id("aws_ec2_instance")[seeded["instance"]].get("findings") is None
    assert {s for s, _ in reporter.calls} & FINDING_SERVICES == set()


@pytest.mark.parametrize(
    ("score", "label"),
    [
        (0.0, "low"),
        (3.9, "low"),
        (4.0, "medium"),
        (6.9, "medium"),
        (7.0, "high"),
        (8.9, "high"),
        (9.0, "critical"),
    ],
)
def test_guardduty_severity_labels(score: float, label: str) -> None:
    assert guardduty_severity(score) == label


def test_a_cancel_during_the_findings_read_ends_the_unit(guardduty: CannedFake) -> None:
    """Cancelling while findings are read is not a findings gap: the unit ends with CollectionCancelled."""
    seeded = _seed()
    _serve_guardduty(guardduty, seeded)
    reporter = RecordingReporter()
    (unit,) = [u for u in plugin.collection_units(config=DEFAULT, reporter=reporter) if u.region.id == REGION]
    builder = GraphBuilder(unit, MemorySink(), reporter)

    def cancel(params: dict[str, Any]) -> dict[str, Any]:
        builder.cancel_event.set()
        return {"Findings": []}

    guardduty.on("GetFindings", cancel)
    with pytest.raises(CollectionCancelled):
        plugin.collect(unit=unit, config=DEFAULT, builder=builder, reporter=reporter)
    assert len(guardduty.calls("GetFindings")) == 1
    assert [s for s in reporter.skips if s[2] in FINDING_SERVICES] == []
