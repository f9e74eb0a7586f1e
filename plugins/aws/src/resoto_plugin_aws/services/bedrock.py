"""Amazon Bedrock: foundation models, custom models, guardrails, evaluation jobs, model
customization jobs and provisioned model throughputs.

Tags: one ``ListTagsForResource`` per taggable item (the list calls carry none); Bedrock's tags are
``[{"key", "value"}]``. Foundation models are AWS's (no tags, no delete): they are collected so that
custom models, jobs, throughputs and agents can point at the model they are built on.
"""

from __future__ import annotations

from typing import Any, ClassVar

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import Call, Delete, Enrich, Kind, Link, Tagging, TagsAt, arn_name

SERVICE = "bedrock"
GONE = ("ResourceNotFoundException",)
TAGGING = Tagging(
    "TagResource", "UntagResource", {"resourceARN": "arn"}, tags_arg="tags", fmt="lower", keys_arg="tagKeys"
)
TAGS = TagsAt("_tags", fmt="lower")
META: dict[str, Any] = {"group": "ai", "icon": "resource"}
JOB_META: dict[str, Any] = {"group": "ai", "icon": "job"}


def _tags(arn_path: str) -> Enrich:
    return Enrich("ListTagsForResource", {"resourceARN": arn_path}, "tags", "_tags", ignore=GONE)


def foundation_model(path: str, **kw: Any) -> Link:
    """An edge from the foundation model (named by id or ARN) to this item."""
    return Link("aws_bedrock_foundation_model", path, default="in", to_id=arn_name, **kw)


def _is_custom(arn: Any) -> bool:
    return isinstance(arn, str) and ":custom-model/" in arn


class AwsBedrockFoundationModel(AwsResource):
    kind: ClassVar[str] = "aws_bedrock_foundation_model"
    kind_metadata: ClassVar[dict[str, Any]] = META
    deletable: ClassVar[bool] = False
    taggable: ClassVar[bool] = False
    provider_name: str | None = None
    input_modalities: list[str] | None = None
    output_modalities: list[str] | None = None
    customizations_supported: list[str] | None = None
    inference_types_supported: list[str] | None = None
    response_streaming_supported: bool | None = None
    lifecycle_status: str | None = None


class AwsBedrockCustomModel(AwsResource):
    kind: ClassVar[str] = "aws_bedrock_custom_model"
    kind_metadata: ClassVar[dict[str, Any]] = META
    base_model_arn: str | None = None
    base_model_name: str | None = None
    customization_type: str | None = None
    model_status: str | None = None


class AwsBedrockGuardrail(AwsResource):
    kind: ClassVar[str] = "aws_bedrock_guardrail"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "ai", "icon": "config"}
    status: str | None = None
    description: str | None = None
    version: str | None = None


class AwsBedrockEvaluationJob(AwsResource):
    kind: ClassVar[str] = "aws_bedrock_evaluation_job"
    kind_metadata: ClassVar[dict[str, Any]] = JOB_META
    status: str | None = None
    job_type: str | None = None
    evaluation_task_types: list[str] | None = None
    model_identifiers: list[str] | None = None


class AwsBedrockModelCustomizationJob(AwsResource):
    kind: ClassVar[str] = "aws_bedrock_model_customization_job"
    kind_metadata: ClassVar[dict[str, Any]] = JOB_META
    deletable: ClassVar[bool] = False  # can be stopped, not deleted
    status: str | None = None
    base_model_arn: str | None = None
    custom_model_arn: str | None = None
    customization_type: str | None = None


class AwsBedrockProvisionedModelThroughput(AwsResource):
    kind: ClassVar[str] = "aws_bedrock_provisioned_model_throughput"
    kind_metadata: ClassVar[dict[str, Any]] = META
    model_arn: str | None = None
    foundation_model_arn: str | None = None
    model_units: int | None = None
    status: str | None = None
    commitment_duration: str | None = None


KINDS = [
    Kind(
        cls=AwsBedrockFoundationModel,
        service=SERVICE,
        list=Call("ListFoundationModels", "modelSummaries[]"),
        id="modelId",
        name="modelName",
        arn="modelArn",
        fields={
            "provider_name": "providerName",
            "input_modalities": "inputModalities",
            "output_modalities": "outputModalities",
            "customizations_supported": "customizationsSupported",
            "inference_types_supported": "inferenceTypesSupported",
            "response_streaming_supported": "responseStreamingSupported",
            "lifecycle_status": "modelLifecycle.status",
        },
    ),
    Kind(
        cls=AwsBedrockCustomModel,
        service=SERVICE,
        list=Call("ListCustomModels", "modelSummaries[]", page_size=1000),
        id="modelArn",
        name="modelName",
        arn="modelArn",
        ctime="creationTime",
        enrich=(_tags("modelArn"),),
        tags=TAGS,
        fields={
            "base_model_arn": "baseModelArn",
            "base_model_name": "baseModelName",
            "customization_type": "customizationType",
            "model_status": "modelStatus",
        },
        links=(foundation_model("baseModelArn"),),
        get=Call("GetCustomModel", "@", item_args={"modelIdentifier": "id"}, gone=GONE),
        delete=Delete("DeleteCustomModel", {"modelIdentifier": "name"}, gone=GONE),  # name or ARN; moto: name
        tagging=TAGGING,
    ),
    Kind(
        cls=AwsBedrockGuardrail,
        service=SERVICE,
        list=Call("ListGuardrails", "guardrails[]", page_size=1000),
        id="id",
        name="name",
        arn="arn",
        ctime="createdAt",
        enrich=(_tags("arn"),),
        tags=TAGS,
        fields={"status": "status", "description": "description", "version": "version"},
        delete=Delete("DeleteGuardrail", {"guardrailIdentifier": "id"}, gone=GONE),
        tagging=TAGGING,
    ),
    Kind(
        cls=AwsBedrockEvaluationJob,
        service=SERVICE,
        list=Call("ListEvaluationJobs", "jobSummaries[]", page_size=1000),
        id="jobArn",
        name="jobName",
        arn="jobArn",
        ctime="creationTime",
        enrich=(_tags("jobArn"),),
        tags=TAGS,
        fields={
            "status": "status",
            "job_type": "jobType",
            "evaluation_task_types": "evaluationTaskTypes",
            "model_identifiers": "modelIdentifiers",
        },
        links=(foundation_model("modelIdentifiers"),),
        delete=Delete("BatchDeleteEvaluationJob", {"jobIdentifiers": "[id]"}),
        tagging=TAGGING,
    ),
    Kind(
        cls=AwsBedrockModelCustomizationJob,
        service=SERVICE,
        list=Call("ListModelCustomizationJobs", "modelCustomizationJobSummaries[]", page_size=1000),
        id="jobArn",
        name="jobName",
        arn="jobArn",
        ctime="creationTime",
        enrich=(_tags("jobArn"),),
        tags=TAGS,
        fields={
            "status": "status",
            "base_model_arn": "baseModelArn",
            "custom_model_arn": "customModelArn",
            "customization_type": "customizationType",
        },
        links=(
            foundation_model("baseModelArn"),
            Link("aws_bedrock_custom_model", "customModelArn", default="out"),
        ),
        tagging=TAGGING,
    ),
    Kind(
        cls=AwsBedrockProvisionedModelThroughput,
        service=SERVICE,
        list=Call("ListProvisionedModelThroughputs", "provisionedModelSummaries[]", page_size=1000),
        id="provisionedModelArn",
        name="provisionedModelName",
        arn="provisionedModelArn",
        ctime="creationTime",
        enrich=(_tags("provisionedModelArn"),),
        tags=TAGS,
        fields={
            "model_arn": "modelArn",
            "foundation_model_arn": "foundationModelArn",
            "model_units": "modelUnits",
            "status": "status",
            "commitment_duration": "commitmentDuration",
        },
        links=(
            foundation_model("foundationModelArn"),
            Link(
                "aws_bedrock_custom_model",
                "modelArn",
                default="in",
                delete="in",
                when=lambda i: _is_custom(i.get("modelArn")),
            ),
        ),
        delete=Delete("DeleteProvisionedModelThroughput", {"provisionedModelId": "id"}, gone=GONE),
        tagging=TAGGING,
    ),
]
