"""Bedrock and Agents for Bedrock: custom models, customization jobs, agents and knowledge bases
against moto; foundation models, guardrails, evaluation jobs, provisioned throughputs, flows, flow
versions and prompts against HTTP fakes of the two REST APIs (answers checked against botocore)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from aws.support_aws import ACCOUNT, Collected, as_resource, canned_fakes, client, collect
from fakes.aws.canned import CannedFake
from resoto_hookspecs import Location
from resoto_hookspecs.testing import PluginDriver
from resoto_plugin_aws import plugin
from resoto_plugin_aws.config import AwsConfig

REGION = "us-east-1"
HERE = Location("aws", ACCOUNT, REGION)
ALL = AwsConfig(region=[REGION], collect=["aws_bedrock_*"])
BASE = f"arn:aws:bedrock:{REGION}::foundation-model/amazon.titan-text-express-v1"
ARN = f"arn:aws:bedrock:{REGION}:{ACCOUNT}"
T0 = 1767225600.0

# -- moto -----------------------------------------------------------------------------------------

MOTO_KINDS = [
    "aws_bedrock_custom_model",
    "aws_bedrock_model_customization_job",
    "aws_bedrock_agent",
    "aws_bedrock_agent_knowledge_base",
]


@pytest.fixture()
def in_moto(moto: str) -> Collected:
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole"}]}
    role = client("iam").create_role(RoleName="bedrock", AssumeRolePolicyDocument=json.dumps(trust))["Role"][
        "Arn"
    ]
    client("bedrock").create_model_customization_job(
        jobName="tune",
        customModelName="tuned",
        roleArn=role,
        baseModelIdentifier="amazon.titan-text-express-v1",
        trainingDataConfig={"s3Uri": "s3://data/train"},
        outputDataConfig={"s3Uri": "s3://data/out"},
        hyperParameters={},
        jobTags=[{"key": "owner", "value": "tests"}],
        customModelTags=[{"key": "owner", "value": "tests"}],
    )
    agents = client("bedrock-agent")
    agents.create_agent(
        agentName="helper",
        agentResourceRoleArn=role,
        foundationModel="anthropic.claude-v2",
        tags={"owner": "tests"},
    )
    agents.create_knowledge_base(
        name="docs",
        roleArn=role,
        knowledgeBaseConfiguration={
            "type": "VECTOR",
            "vectorKnowledgeBaseConfiguration": {"embeddingModelArn": BASE},
        },
        storageConfiguration={
            "type": "OPENSEARCH_SERVERLESS",
            "opensearchServerlessConfiguration": {
                "collectionArn": f"arn:aws:aoss:{REGION}:{ACCOUNT}:collection/c",
                "vectorIndexName": "v",
                "fieldMapping": {"vectorField": "v", "textField": "t", "metadataField": "m"},
            },
        },
        tags={"owner": "tests"},
    )
    result = collect(AwsConfig(region=[REGION], collect=[*MOTO_KINDS, "aws_iam_role"]))
    assert not result.failures and result.reporter.errors == []
    return result


def _only(result: Collected, kind: str) -> tuple[str, dict[str, Any]]:
    ((rid, found),) = result.by_id(kind).items()
    return rid, found


def test_moto_collected_with_tags_and_edges(in_moto: Collected) -> None:
    for kind in MOTO_KINDS:
        _, found = _only(in_moto, kind)
        assert found["tags"] == {"owner": "tests"}, kind
        assert found["arn"].startswith(f"arn:aws:bedrock:{REGION}:{ACCOUNT}:"), kind
    model_id, model = _only(in_moto, "aws_bedrock_custom_model")
    assert model["name"] == "tuned" and model["base_model_arn"] == BASE
    job_id, job = _only(in_moto, "aws_bedrock_model_customization_job")
    assert job["name"] == "tune" and job["base_model_arn"] == BASE  # moto names another custom model ARN
    agent_id, agent = _only(in_moto, "aws_bedrock_agent")
    assert agent["name"] == "helper" and agent["foundation_model"] == "anthropic.claude-v2"
    kb_id, kb = _only(in_moto, "aws_bedrock_agent_knowledge_base")
    assert kb["embedding_model_arn"] == BASE and kb["storage_type"] == "OPENSEARCH_SERVERLESS"
    n = in_moto.nid
    assert job_id and model_id  # job -> custom model: see test_fake_edges (moto's ARNs disagree)
    role = n("aws_iam_role", "bedrock")
    assert in_moto.edge(role, n("aws_bedrock_agent", agent_id))
    assert in_moto.edge(role, n("aws_bedrock_agent_knowledge_base", kb_id))


def _tags_now(kind: str, arn: str) -> Any:
    if kind.startswith("aws_bedrock_agent"):
        return client("bedrock-agent").list_tags_for_resource(resourceArn=arn)["tags"]
    return {t["key"]: t["value"] for t in client("bedrock").list_tags_for_resource(resourceARN=arn)["tags"]}


@pytest.mark.parametrize("kind", MOTO_KINDS)
def test_moto_tag_untag(in_moto: Collected, kind: str) -> None:
    rid, _ = _only(in_moto, kind)
    res = as_resource(in_moto, kind, rid)
    PluginDriver(plugin, ALL).update_tag(resource=res, location=HERE, key="team", value="ml")
    PluginDriver(plugin, ALL).delete_tag(resource=res, location=HERE, key="owner")
    assert _tags_now(kind, res.arn) == {"team": "ml"}


@pytest.mark.parametrize(
    "kind", ["aws_bedrock_custom_model", "aws_bedrock_agent", "aws_bedrock_agent_knowledge_base"]
)
def test_moto_delete(in_moto: Collected, kind: str) -> None:
    rid, _ = _only(in_moto, kind)
    res = as_resource(in_moto, kind, rid)
    assert PluginDriver(plugin, ALL).check_resource(resource=res, location=HERE) is not None
    PluginDriver(plugin, ALL).delete_resource(resource=res, location=HERE)
    assert PluginDriver(plugin, ALL).check_resource(resource=res, location=HERE) is None


# -- the HTTP fakes -------------------------------------------------------------------------------

FLOW = f"{ARN}:flow/F1"
FAKE_IDS = {
    "aws_bedrock_foundation_model": "amazon.titan-text-express-v1",
    "aws_bedrock_custom_model": f"{ARN}:custom-model/amazon.titan-text-express-v1/abc",
    "aws_bedrock_guardrail": "g1",
    "aws_bedrock_model_customization_job": f"{ARN}:model-customization-job/amazon.titan-text-express-v1/j1",
    "aws_bedrock_evaluation_job": f"{ARN}:evaluation-job/e1",
    "aws_bedrock_provisioned_model_throughput": f"{ARN}:provisioned-model/p1",
    "aws_bedrock_agent_flow": "F1",
    "aws_bedrock_agent_flow_version": f"{FLOW}/version/1",
    "aws_bedrock_agent_prompt": "P1",
}
TAGGED = {
    FAKE_IDS["aws_bedrock_model_customization_job"],
    FAKE_IDS["aws_bedrock_custom_model"],
    f"{ARN}:guardrail/g1",
    FAKE_IDS["aws_bedrock_evaluation_job"],
    FAKE_IDS["aws_bedrock_provisioned_model_throughput"],
    FLOW,
    f"{ARN}:prompt/P1",
}


def _fake_bedrock(f: CannedFake) -> None:
    f.on(
        "ListFoundationModels",
        {
            "modelSummaries": [
                {
                    "modelArn": BASE,
                    "modelId": "amazon.titan-text-express-v1",
                    "modelName": "Titan Text Express",
                    "providerName": "Amazon",
                    "inputModalities": ["TEXT"],
                    "outputModalities": ["TEXT"],
                    "modelLifecycle": {"status": "ACTIVE"},
                }
            ]
        },
    )
    f.on(
        "ListCustomModels",
        {
            "modelSummaries": [
                {
                    "modelArn": FAKE_IDS["aws_bedrock_custom_model"],
                    "modelName": "tuned",
                    "creationTime": T0,
                    "baseModelArn": BASE,
                    "baseModelName": "Titan",
                }
            ]
        },
    )
    f.on(
        "ListGuardrails",
        {
            "guardrails": [
                {
                    "id": "g1",
                    "arn": f"{ARN}:guardrail/g1",
                    "status": "READY",
                    "name": "safe",
                    "version": "DRAFT",
                    "createdAt": T0,
                    "updatedAt": T0,
                }
            ]
        },
    )
    f.on(
        "ListEvaluationJobs",
        {
            "jobSummaries": [
                {
                    "jobArn": FAKE_IDS["aws_bedrock_evaluation_job"],
                    "jobName": "eval",
                    "status": "Completed",
                    "creationTime": T0,
                    "jobType": "Automated",
                    "evaluationTaskTypes": ["Summarization"],
                    "modelIdentifiers": [BASE],
                }
            ]
        },
    )
    f.on(
        "ListModelCustomizationJobs",
        {
            "modelCustomizationJobSummaries": [
                {
                    "jobArn": FAKE_IDS["aws_bedrock_model_customization_job"],
                    "jobName": "tune",
                    "baseModelArn": BASE,
                    "status": "Completed",
                    "creationTime": T0,
                    "customModelArn": FAKE_IDS["aws_bedrock_custom_model"],
                    "customModelName": "tuned",
                }
            ]
        },
    )
    f.on(
        "ListProvisionedModelThroughputs",
        {
            "provisionedModelSummaries": [
                {
                    "provisionedModelName": "pt",
                    "provisionedModelArn": FAKE_IDS["aws_bedrock_provisioned_model_throughput"],
                    "modelArn": FAKE_IDS["aws_bedrock_custom_model"],
                    "desiredModelArn": FAKE_IDS["aws_bedrock_custom_model"],
                    "foundationModelArn": BASE,
                    "modelUnits": 1,
                    "desiredModelUnits": 1,
                    "status": "InService",
                    "creationTime": T0,
                    "lastModifiedTime": T0,
                }
            ]
        },
    )
    f.on(
        "ListTagsForResource",
        lambda r: {"tags": [{"key": "owner", "value": "tests"}] if r["resourceARN"] in TAGGED else []},
    )
    for op in ("TagResource", "UntagResource", "DeleteGuardrail", "DeleteProvisionedModelThroughput"):
        f.on(op, {})
    f.on("BatchDeleteEvaluationJob", {"errors": [], "evaluationJobs": []})


def _fake_agent(f: CannedFake) -> None:
    f.on("ListAgents", {"agentSummaries": []})
    f.on("ListKnowledgeBases", {"knowledgeBaseSummaries": []})
    f.on(
        "ListFlows",
        {
            "flowSummaries": [
                {
                    "name": "route",
                    "id": "F1",
                    "arn": FLOW,
                    "status": "Prepared",
                    "createdAt": T0,
                    "updatedAt": T0,
                    "version": "DRAFT",
                }
            ]
        },
    )
    f.on(
        "ListFlowVersions",
        {
            "flowVersionSummaries": [
                {"id": "F1", "arn": FLOW, "status": "Prepared", "createdAt": T0, "version": "DRAFT"},
                {
                    "id": "F1",
                    "arn": f"{FLOW}/version/1",
                    "status": "Prepared",
                    "createdAt": T0,
                    "version": "1",
                },
            ]
        },
    )
    f.on(
        "ListPrompts",
        {
            "promptSummaries": [
                {
                    "name": "greet",
                    "id": "P1",
                    "arn": f"{ARN}:prompt/P1",
                    "version": "DRAFT",
                    "createdAt": T0,
                    "updatedAt": T0,
                }
            ]
        },
    )
    f.on(
        "ListTagsForResource",
        lambda r: {"tags": {"owner": "tests"} if r["resourceArn"] in TAGGED else {}},
    )
    f.on("TagResource", {})
    f.on("UntagResource", {})
    f.on("DeleteFlow", {"id": "F1"})
    f.on("DeleteFlowVersion", {"id": "F1", "version": "1"})
    f.on("DeletePrompt", {"id": "P1"})


@pytest.fixture()
def fake(moto_endpoint: str) -> Iterator[dict[str, CannedFake]]:
    for opened in canned_fakes("bedrock", "bedrock-agent"):
        _fake_bedrock(opened["bedrock"])
        _fake_agent(opened["bedrock-agent"])
        yield opened


@pytest.fixture()
def from_fake(fake: dict[str, CannedFake]) -> Collected:
    result = collect(ALL)
    assert not result.failures and result.reporter.errors == []
    return result


def test_fake_every_kind_collected(from_fake: Collected) -> None:
    for kind, rid in FAKE_IDS.items():
        found = from_fake.by_id(kind)
        assert set(found) == {rid}, kind
        if kind not in ("aws_bedrock_foundation_model", "aws_bedrock_agent_flow_version"):
            assert found[rid]["tags"] == {"owner": "tests"}, kind
    fm = from_fake.by_id("aws_bedrock_foundation_model")["amazon.titan-text-express-v1"]
    assert fm["provider_name"] == "Amazon" and fm["lifecycle_status"] == "ACTIVE" and fm["arn"] == BASE
    assert from_fake.by_id("aws_bedrock_agent_flow_version")[f"{FLOW}/version/1"]["flow_id"] == "F1"


def test_fake_edges(from_fake: Collected) -> None:
    n = from_fake.nid
    fm = n("aws_bedrock_foundation_model", "amazon.titan-text-express-v1")
    custom = n("aws_bedrock_custom_model", FAKE_IDS["aws_bedrock_custom_model"])
    throughput = n(
        "aws_bedrock_provisioned_model_throughput", FAKE_IDS["aws_bedrock_provisioned_model_throughput"]
    )
    assert from_fake.edge(fm, custom)
    job = n("aws_bedrock_model_customization_job", FAKE_IDS["aws_bedrock_model_customization_job"])
    assert from_fake.edge(fm, job) and from_fake.edge(job, custom)
    assert from_fake.edge(fm, n("aws_bedrock_evaluation_job", FAKE_IDS["aws_bedrock_evaluation_job"]))
    assert from_fake.edge(custom, throughput) and from_fake.edge(custom, throughput, "delete")
    flow, version = (
        n("aws_bedrock_agent_flow", "F1"),
        n("aws_bedrock_agent_flow_version", f"{FLOW}/version/1"),
    )
    assert from_fake.edge(flow, version) and from_fake.edge(flow, version, "delete")


DELETES = {
    "aws_bedrock_guardrail": ("bedrock", "DeleteGuardrail", {"guardrailIdentifier": "g1"}, {}),
    "aws_bedrock_evaluation_job": (
        "bedrock",
        "BatchDeleteEvaluationJob",
        {},
        {"jobIdentifiers": [FAKE_IDS["aws_bedrock_evaluation_job"]]},
    ),
    "aws_bedrock_provisioned_model_throughput": (
        "bedrock",
        "DeleteProvisionedModelThroughput",
        {"provisionedModelId": FAKE_IDS["aws_bedrock_provisioned_model_throughput"]},
        {},
    ),
    "aws_bedrock_agent_flow": (
        "bedrock-agent",
        "DeleteFlow",
        {"flowIdentifier": "F1"},
        {"skipResourceInUseCheck": True},
    ),
    "aws_bedrock_agent_flow_version": (
        "bedrock-agent",
        "DeleteFlowVersion",
        {"flowIdentifier": "F1", "flowVersion": "1"},
        {},
    ),
    "aws_bedrock_agent_prompt": ("bedrock-agent", "DeletePrompt", {"promptIdentifier": "P1"}, {}),
}


@pytest.mark.parametrize("kind", sorted(DELETES))
def test_fake_delete(fake: dict[str, CannedFake], from_fake: Collected, kind: str) -> None:
    service, op, labels, body = DELETES[kind]
    PluginDriver(plugin, ALL).delete_resource(
        resource=as_resource(from_fake, kind, FAKE_IDS[kind]), location=HERE
    )
    assert fake[service].calls(op) == [{**labels, **body}]


@pytest.mark.parametrize(
    "kind",
    [
        "aws_bedrock_guardrail",
        "aws_bedrock_evaluation_job",
        "aws_bedrock_provisioned_model_throughput",
        "aws_bedrock_agent_flow",
        "aws_bedrock_agent_prompt",
    ],
)
def test_fake_tag_untag(fake: dict[str, CannedFake], from_fake: Collected, kind: str) -> None:
    res = as_resource(from_fake, kind, FAKE_IDS[kind])
    PluginDriver(plugin, ALL).update_tag(resource=res, location=HERE, key="team", value="ml")
    PluginDriver(plugin, ALL).delete_tag(resource=res, location=HERE, key="owner")
    f = fake["bedrock-agent" if kind.startswith("aws_bedrock_agent") else "bedrock"]
    arn_arg = "resourceARN" if f.service == "bedrock" else "resourceArn"
    tags: Any = [{"key": "team", "value": "ml"}] if f.service == "bedrock" else {"team": "ml"}
    assert f.calls("TagResource") == [{arn_arg: res.arn, "tags": tags}]
    assert f.calls("UntagResource") == [{arn_arg: res.arn, "tagKeys": ["owner"]}]


def test_foundation_models_cannot_be_deleted_or_tagged(from_fake: Collected) -> None:
    res = as_resource(from_fake, "aws_bedrock_foundation_model", "amazon.titan-text-express-v1")
    with pytest.raises(Exception, match="cannot be deleted"):
        PluginDriver(plugin, ALL).delete_resource(resource=res, location=HERE)
    with pytest.raises(Exception, match="no tags"):
        PluginDriver(plugin, ALL).update_tag(resource=res, location=HERE, key="a", value="b")
