"""Agents for Amazon Bedrock: agents, knowledge bases, flows and their versions, prompts.

The agent and knowledge-base list calls carry neither ARN nor role: one ``Get`` per item gives both
(and the model and key), then one ``ListTagsForResource`` (tags are a map here).
"""

from __future__ import annotations

from typing import Any, ClassVar

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.services.bedrock import foundation_model
from resoto_plugin_aws.spec import Call, Delete, Enrich, Kind, Link, Tagging, TagsAt, arn_name

SERVICE = "bedrock-agent"
GONE = ("ResourceNotFoundException",)
TAGGING = Tagging(
    "TagResource", "UntagResource", {"resourceArn": "arn"}, tags_arg="tags", fmt="map", keys_arg="tagKeys"
)
TAGS = TagsAt("_tags", fmt="map")
META: dict[str, Any] = {"group": "ai", "icon": "resource"}


def _tags(arn_path: str) -> Enrich:
    return Enrich("ListTagsForResource", {"resourceArn": arn_path}, "tags", "_tags", ignore=GONE)


def _role(path: str) -> Link:
    return Link("aws_iam_role", path, default="in", to_id=arn_name, global_=True)


class AwsBedrockAgent(AwsResource):
    kind: ClassVar[str] = "aws_bedrock_agent"
    kind_metadata: ClassVar[dict[str, Any]] = META
    agent_status: str | None = None
    description: str | None = None
    latest_agent_version: str | None = None
    foundation_model: str | None = None
    agent_resource_role_arn: str | None = None
    idle_session_ttl_in_seconds: int | None = None


class AwsBedrockAgentKnowledgeBase(AwsResource):
    kind: ClassVar[str] = "aws_bedrock_agent_knowledge_base"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "ai", "icon": "database"}
    status: str | None = None
    description: str | None = None
    role_arn: str | None = None
    knowledge_base_type: str | None = None
    storage_type: str | None = None
    embedding_model_arn: str | None = None


class AwsBedrockAgentFlow(AwsResource):
    kind: ClassVar[str] = "aws_bedrock_agent_flow"
    kind_metadata: ClassVar[dict[str, Any]] = META
    status: str | None = None
    description: str | None = None
    version: str | None = None


class AwsBedrockAgentFlowVersion(AwsResource):
    kind: ClassVar[str] = "aws_bedrock_agent_flow_version"
    kind_metadata: ClassVar[dict[str, Any]] = META
    taggable: ClassVar[bool] = False
    flow_id: str | None = None
    version: str | None = None
    status: str | None = None


class AwsBedrockAgentPrompt(AwsResource):
    kind: ClassVar[str] = "aws_bedrock_agent_prompt"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "ai", "icon": "document"}
    description: str | None = None
    version: str | None = None


KINDS = [
    Kind(
        cls=AwsBedrockAgent,
        service=SERVICE,
        list=Call("ListAgents", "agentSummaries[]", page_size=1000),
        id="agentId",
        name="agentName",
        arn="_agent.agentArn",
        ctime="_agent.createdAt",
        enrich=(
            Enrich("GetAgent", {"agentId": "agentId"}, "agent", "_agent", ignore=GONE),
            _tags("_agent.agentArn"),
        ),
        tags=TAGS,
        fields={
            "agent_status": "agentStatus",
            "description": "description",
            "latest_agent_version": "latestAgentVersion",
            "foundation_model": "_agent.foundationModel",
            "agent_resource_role_arn": "_agent.agentResourceRoleArn",
            "idle_session_ttl_in_seconds": "_agent.idleSessionTTLInSeconds",
        },
        links=(
            _role("_agent.agentResourceRoleArn"),
            foundation_model("_agent.foundationModel"),
            Link(
                "aws_bedrock_guardrail",
                "guardrailConfiguration.guardrailIdentifier",
                default="in",
                to_id=arn_name,
            ),
            Link("aws_kms_key", "_agent.customerEncryptionKeyArn", default="out", to_id=arn_name),
        ),
        get=Call("GetAgent", "agent", item_args={"agentId": "id"}, gone=GONE),
        delete=Delete("DeleteAgent", {"agentId": "id"}, const={"skipResourceInUseCheck": True}, gone=GONE),
        tagging=TAGGING,
    ),
    Kind(
        cls=AwsBedrockAgentKnowledgeBase,
        service=SERVICE,
        list=Call("ListKnowledgeBases", "knowledgeBaseSummaries[]", page_size=1000),
        id="knowledgeBaseId",
        name="name",
        arn="_kb.knowledgeBaseArn",
        ctime="_kb.createdAt",
        enrich=(
            Enrich(
                "GetKnowledgeBase",
                {"knowledgeBaseId": "knowledgeBaseId"},
                "knowledgeBase",
                "_kb",
                ignore=GONE,
            ),
            _tags("_kb.knowledgeBaseArn"),
        ),
        tags=TAGS,
        fields={
            "status": "status",
            "description": "description",
            "role_arn": "_kb.roleArn",
            "knowledge_base_type": "_kb.knowledgeBaseConfiguration.type",
            "storage_type": "_kb.storageConfiguration.type",
            "embedding_model_arn": "_kb.knowledgeBaseConfiguration.vectorKnowledgeBaseConfiguration.embeddingModelArn",
        },
        links=(
            _role("_kb.roleArn"),
            foundation_model(
                "_kb.knowledgeBaseConfiguration.vectorKnowledgeBaseConfiguration.embeddingModelArn"
            ),
        ),
        get=Call("GetKnowledgeBase", "knowledgeBase", item_args={"knowledgeBaseId": "id"}, gone=GONE),
        delete=Delete("DeleteKnowledgeBase", {"knowledgeBaseId": "id"}, gone=GONE),
        tagging=TAGGING,
    ),
    Kind(
        cls=AwsBedrockAgentFlow,
        service=SERVICE,
        list=Call("ListFlows", "flowSummaries[]", page_size=1000),
        id="id",
        name="name",
        arn="arn",
        ctime="createdAt",
        enrich=(_tags("arn"),),
        tags=TAGS,
        fields={"status": "status", "description": "description", "version": "version"},
        delete=Delete(
            "DeleteFlow", {"flowIdentifier": "id"}, const={"skipResourceInUseCheck": True}, gone=GONE
        ),
        tagging=TAGGING,
    ),
    Kind(
        cls=AwsBedrockAgentFlowVersion,
        service=SERVICE,
        parent="aws_bedrock_agent_flow",
        list=Call(
            "ListFlowVersions", "flowVersionSummaries[]", page_size=1000, item_args={"flowIdentifier": "id"}
        ),
        skip=lambda i: i.get("version") == "DRAFT",  # the draft is the flow itself
        id="arn",
        name="version",
        arn="arn",
        ctime="createdAt",
        fields={"flow_id": "id", "version": "version", "status": "status"},
        links=(Link("aws_bedrock_agent_flow", "id", default=None, delete="in"),),
        delete=Delete(
            "DeleteFlowVersion", {"flowIdentifier": "flow_id", "flowVersion": "version"}, gone=GONE
        ),
    ),
    Kind(
        cls=AwsBedrockAgentPrompt,
        service=SERVICE,
        list=Call("ListPrompts", "promptSummaries[]", page_size=1000),
        id="id",
        name="name",
        arn="arn",
        ctime="createdAt",
        enrich=(_tags("arn"),),
        tags=TAGS,
        fields={"description": "description", "version": "version"},
        delete=Delete("DeletePrompt", {"promptIdentifier": "id"}, gone=GONE),
        tagging=TAGGING,
    ),
]
