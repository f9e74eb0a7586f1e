"""Step Functions state machines, EventBridge buses and rules, CodeBuild projects and CodePipeline
pipelines against moto: collected with tags and edges (rule -> its targets, pipeline -> the project it
builds with), tagged, untagged and deleted."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws.support_aws import ACCOUNT, Collected, client, collect
from botocore.stub import Stubber
from resoto_hookspecs import Location, NotSupported
from resoto_hookspecs.testing import PluginDriver
from resoto_plugin_aws import plugin
from resoto_plugin_aws.actions import _context
from resoto_plugin_aws.config import AwsConfig

REGION = "us-east-1"
KINDS = [
    "aws_sfn_state_machine",
    "aws_eventbridge_event_bus",
    "aws_eventbridge_rule",
    "aws_codebuild_project",
    "aws_codepipeline_pipeline",
]
CFG = AwsConfig(region=[REGION], collect=[*KINDS, "aws_iam_role"])
HERE = Location("aws", ACCOUNT, REGION)
TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "codepipeline.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}


def seed() -> dict[str, str]:
    role = client("iam").create_role(RoleName="flows", AssumeRolePolicyDocument=json.dumps(TRUST))["Role"][
        "Arn"
    ]
    definition = {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}
    machine = client("stepfunctions").create_state_machine(
        name="orders",
        definition=json.dumps(definition),
        roleArn=role,
        tags=[{"key": "owner", "value": "tests"}],
    )["stateMachineArn"]
    events = client("events")
    bus = events.create_event_bus(Name="shop", Tags=[{"Key": "owner", "Value": "tests"}])["EventBusArn"]
    rule = events.put_rule(
        Name="on-order",
        EventBusName="shop",
        EventPattern=json.dumps({"source": ["shop"]}),
        Tags=[{"Key": "owner", "Value": "tests"}],
    )["RuleArn"]
    events.put_targets(
        Rule="on-order", EventBusName="shop", Targets=[{"Id": "sm", "Arn": machine, "RoleArn": role}]
    )
    client("codebuild").create_project(
        name="build",
        source={"type": "S3", "location": "artifacts/src.zip"},
        artifacts={"type": "S3", "location": "artifacts"},
        environment={
            "type": "LINUX_CONTAINER",
            "image": "aws/codebuild/standard:7.0",
            "computeType": "BUILD_GENERAL1_SMALL",
        },
        serviceRole=role,
        tags=[{"key": "owner", "value": "tests"}],
    )
    stages = [
        {
            "name": "Source",
            "actions": [
                {
                    "name": "Get",
                    "actionTypeId": {"category": "Source", "owner": "AWS", "provider": "S3", "version": "1"},
                    "configuration": {"S3Bucket": "artifacts", "S3ObjectKey": "src.zip"},
                    "outputArtifacts": [{"name": "src"}],
                }
            ],
        },
        {
            "name": "Build",
            "actions": [
                {
                    "name": "Compile",
                    "actionTypeId": {
                        "category": "Build",
                        "owner": "AWS",
                        "provider": "CodeBuild",
                        "version": "1",
                    },
                    "configuration": {"ProjectName": "build"},
                    "inputArtifacts": [{"name": "src"}],
                }
            ],
        },
    ]
    client("codepipeline").create_pipeline(
        pipeline={
            "name": "release",
            "roleArn": role,
            "artifactStore": {"type": "S3", "location": "artifacts"},
            "stages": stages,
        },
        tags=[{"key": "owner", "value": "tests"}],
    )
    return {"machine": machine, "bus": bus, "rule": rule}


@pytest.fixture()
def seeded(moto: str) -> tuple[Collected, dict[str, str]]:
    arns = seed()
    result = collect(CFG)
    assert not result.failures and result.reporter.errors == []
    return result, arns


IDS = {
    "aws_sfn_state_machine": "orders",
    "aws_eventbridge_event_bus": "shop",
    "aws_eventbridge_rule": "shop/on-order",
    "aws_codebuild_project": "build",
    "aws_codepipeline_pipeline": "release",
}


def test_collected_with_tags_and_edges(seeded: tuple[Collected, dict[str, str]]) -> None:
    result, arns = seeded
    for kind, rid in IDS.items():
        found = result.by_id(kind)[rid]
        assert found["tags"] == {"owner": "tests"}, kind
        assert found["arn"].startswith("arn:aws:"), kind
    assert result.by_id("aws_sfn_state_machine")["orders"]["arn"] == arns["machine"]
    assert "default" in result.by_id("aws_eventbridge_event_bus")
    rule = result.by_id("aws_eventbridge_rule")["shop/on-order"]
    assert rule["event_bus_name"] == "shop" and rule["target_arns"] == [arns["machine"]]
    assert result.by_id("aws_codepipeline_pipeline")["release"]["stage_names"] == ["Source", "Build"]
    assert result.by_id("aws_codebuild_project")["build"]["compute_type"] == "BUILD_GENERAL1_SMALL"
    nid = result.nid
    bus, rule_nid = nid("aws_eventbridge_event_bus", "shop"), nid("aws_eventbridge_rule", "shop/on-order")
    assert result.edge(bus, rule_nid) and result.edge(bus, rule_nid, "delete")
    assert result.edge(rule_nid, nid("aws_sfn_state_machine", "orders"))
    assert result.edge(nid("aws_codepipeline_pipeline", "release"), nid("aws_codebuild_project", "build"))
    role = nid("aws_iam_role", "flows")
    for kind in ("aws_sfn_state_machine", "aws_codebuild_project", "aws_codepipeline_pipeline"):
        assert result.edge(role, nid(kind, IDS[kind])), kind


def _tags(kind: str, res: Any) -> dict[str, str]:
    if kind == "aws_sfn_state_machine":
        raw = client("stepfunctions").list_tags_for_resource(resourceArn=res.arn)["tags"]
        return {t["key"]: t["value"] for t in raw}
    if kind.startswith("aws_eventbridge"):
        return {
            t["Key"]: t["Value"] for t in client("events").list_tags_for_resource(ResourceARN=res.arn)["Tags"]
        }
    raw = client("codepipeline").list_tags_for_resource(resourceArn=res.arn)["tags"]
    return {t["key"]: t["value"] for t in raw}


@pytest.mark.parametrize("kind", [k for k in KINDS if k != "aws_codebuild_project"])
def test_tag_untag(seeded: tuple[Collected, dict[str, str]], kind: str) -> None:
    result, _ = seeded
    res = result.resource(kind, IDS[kind])
    PluginDriver(plugin, CFG).update_tag(resource=res, location=HERE, key="team", value="shop")
    PluginDriver(plugin, CFG).delete_tag(resource=res, location=HERE, key="owner")
    assert _tags(kind, res) == {"team": "shop"}


def test_codebuild_tags_are_written_back_whole(seeded: tuple[Collected, dict[str, str]]) -> None:
    """moto has no ``UpdateProject``: botocore's Stubber checks the calls on the plugin's own client."""
    result, _ = seeded
    res = result.resource("aws_codebuild_project", "build")
    owner = {"key": "owner", "value": "tests"}
    team = {"key": "team", "value": "shop"}
    driver = PluginDriver(plugin, CFG)
    with Stubber(_context(HERE, CFG, driver.find_unit(HERE)).client("codebuild")) as stub:
        for before, after in (([owner], [owner, team]), ([owner, team], [team])):
            stub.add_response(
                "batch_get_projects", {"projects": [{"name": "build", "tags": before}]}, {"names": ["build"]}
            )
            stub.add_response(
                "update_project", {"project": {"name": "build"}}, {"name": "build", "tags": after}
            )
        PluginDriver(plugin, CFG).update_tag(resource=res, location=HERE, key="team", value="shop")
        PluginDriver(plugin, CFG).delete_tag(resource=res, location=HERE, key="owner")
        stub.assert_no_pending_responses()


def test_delete(seeded: tuple[Collected, dict[str, str]]) -> None:
    result, _ = seeded
    with pytest.raises(NotSupported, match="default event bus"):
        PluginDriver(plugin, CFG).delete_resource(
            resource=result.resource("aws_eventbridge_event_bus", "default"), location=HERE
        )
    order = ["aws_eventbridge_rule", "aws_eventbridge_event_bus", "aws_sfn_state_machine",
             "aws_codepipeline_pipeline", "aws_codebuild_project"]  # fmt: skip
    for kind in order:
        res = result.resource(kind, IDS[kind])
        PluginDriver(plugin, CFG).pre_cleanup(resource=res, location=HERE)
        PluginDriver(plugin, CFG).delete_resource(resource=res, location=HERE)
    after = collect(CFG)
    for kind in order:
        assert IDS[kind] not in after.by_id(kind), kind
    assert "default" in after.by_id("aws_eventbridge_event_bus")
