"""SageMaker: notebook instances, models, endpoint configs, endpoints and training jobs.

The other SageMaker kinds are in :mod:`.sagemaker_jobs` and :mod:`.sagemaker_studio`; they share
:func:`listed`.

The list calls carry no tags: one ``ListTags`` per item. Endpoints and endpoint configs get one
describe call each for the edges (endpoint -> its config -> its models), which no list call gives.
"""

from __future__ import annotations

from typing import Any, ClassVar

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import Api, Call, Delete, Enrich, Kind, Link, Tagging, TagsAt

SERVICE = "sagemaker"
GONE = ("ValidationException", "ResourceNotFound")
TAGGING = Tagging("AddTags", "DeleteTags", {"ResourceArn": "arn"})
TAGS = TagsAt("_tags")


def _tags(arn_path: str) -> Enrich:
    return Enrich(
        "ListTags", {"ResourceArn": arn_path}, "Tags", "_tags", ignore=GONE, tagging_api="sagemaker"
    )


def listed(
    cls: type[AwsResource],
    op: str,
    result: str,
    name: str,
    arn: str,
    *,
    id: str | None = None,
    ctime: str = "CreationTime",
    delete: str | None = None,
    delete_args: dict[str, str] | None = None,
    get: str | Call | None = None,
    item_args: dict[str, str] | None = None,
    **more: Any,
) -> Kind:
    """A SageMaker kind read from one list call, tagged through ``ListTags``/``AddTags``/``DeleteTags``.

    ``delete`` names the delete operation (its argument is ``name`` -> the resource id unless
    ``delete_args`` says otherwise); ``enrich`` runs before the tags' call (which may read its ARN);
    ``item_args`` are the list call's arguments from a ``parent`` item; ``get`` names the describe operation that re-reads one (or is
    the whole call).
    """
    if isinstance(get, str):
        get = Call(get, "@", item_args={name: "id"}, gone=GONE)
    return Kind(
        cls=cls,
        service=SERVICE,
        list=Call(op, result, page_size=100, item_args=item_args or {}),
        id=id or name,
        name=name,
        arn=arn,
        ctime=ctime,
        enrich=(*more.pop("enrich", ()), _tags(arn)),
        tags=TAGS,
        get=get,
        delete=Delete(delete, delete_args or {name: "id"}, gone=GONE) if delete else None,
        tagging=TAGGING,
        **more,
    )


class AwsSagemakerNotebook(AwsResource):
    kind: ClassVar[str] = "aws_sagemaker_notebook"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "ai", "icon": "resource"}
    notebook_instance_status: str | None = None
    instance_type: str | None = None
    url: str | None = None


class AwsSagemakerModel(AwsResource):
    kind: ClassVar[str] = "aws_sagemaker_model"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "ai", "icon": "resource"}


class AwsSagemakerEndpointConfig(AwsResource):
    kind: ClassVar[str] = "aws_sagemaker_endpoint_config"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "ai", "icon": "config"}
    model_names: list[str] | None = None
    kms_key_id: str | None = None


class AwsSagemakerEndpoint(AwsResource):
    kind: ClassVar[str] = "aws_sagemaker_endpoint"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "ai", "icon": "endpoint"}
    endpoint_status: str | None = None
    endpoint_config_name: str | None = None


class AwsSagemakerJob(AwsResource):
    """The base kind of SageMaker jobs (as in the reference model)."""

    kind: ClassVar[str] = "aws_sagemaker_job"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "ai", "icon": "job"}


class AwsSagemakerTrainingJob(AwsSagemakerJob):
    kind: ClassVar[str] = "aws_sagemaker_training_job"
    deletable: ClassVar[bool] = False  # training jobs can be stopped, not deleted
    training_job_status: str | None = None
    training_end_time: str | None = None


def _stop_notebook(ctx: Api, resource: AwsResource) -> None:
    """DeleteNotebookInstance wants a stopped instance."""
    assert isinstance(resource, AwsSagemakerNotebook)
    if resource.notebook_instance_status in ("InService", "Pending"):
        ctx.call(SERVICE, "StopNotebookInstance", NotebookInstanceName=resource.id)


KINDS = [
    Kind(
        cls=AwsSagemakerNotebook,
        service=SERVICE,
        list=Call("ListNotebookInstances", "NotebookInstances[]", page_size=100),
        id="NotebookInstanceName",
        name="NotebookInstanceName",
        arn="NotebookInstanceArn",
        ctime="CreationTime",
        enrich=(_tags("NotebookInstanceArn"),),
        tags=TAGS,
        fields={
            "mtime": "LastModifiedTime",
            "notebook_instance_status": "NotebookInstanceStatus",
            "instance_type": "InstanceType",
            "url": "Url",
        },
        get=Call("DescribeNotebookInstance", "@", item_args={"NotebookInstanceName": "id"}, gone=GONE),
        pre_cleanup=_stop_notebook,
        delete=Delete("DeleteNotebookInstance", {"NotebookInstanceName": "id"}, gone=GONE),
        tagging=TAGGING,
        cleanup_iam=("sagemaker:StopNotebookInstance",),
    ),
    Kind(
        cls=AwsSagemakerModel,
        service=SERVICE,
        list=Call("ListModels", "Models[]", page_size=100),
        id="ModelName",
        name="ModelName",
        arn="ModelArn",
        ctime="CreationTime",
        enrich=(_tags("ModelArn"),),
        tags=TAGS,
        get=Call("DescribeModel", "@", item_args={"ModelName": "id"}, gone=GONE),
        delete=Delete("DeleteModel", {"ModelName": "id"}, gone=GONE),
        tagging=TAGGING,
    ),
    Kind(
        cls=AwsSagemakerEndpointConfig,
        service=SERVICE,
        list=Call("ListEndpointConfigs", "EndpointConfigs[]", page_size=100),
        id="EndpointConfigName",
        name="EndpointConfigName",
        arn="EndpointConfigArn",
        ctime="CreationTime",
        enrich=(
            _tags("EndpointConfigArn"),
            Enrich(
                "DescribeEndpointConfig", {"EndpointConfigName": "EndpointConfigName"}, "@", "_d", ignore=GONE
            ),
        ),
        tags=TAGS,
        fields={"model_names": "_d.ProductionVariants[].ModelName", "kms_key_id": "_d.KmsKeyId"},
        links=(Link("aws_sagemaker_model", "_d.ProductionVariants[].ModelName", default="out"),),
        get=Call("DescribeEndpointConfig", "@", item_args={"EndpointConfigName": "id"}, gone=GONE),
        delete=Delete("DeleteEndpointConfig", {"EndpointConfigName": "id"}, gone=GONE),
        tagging=TAGGING,
    ),
    Kind(
        cls=AwsSagemakerEndpoint,
        service=SERVICE,
        list=Call("ListEndpoints", "Endpoints[]", page_size=100),
        id="EndpointName",
        name="EndpointName",
        arn="EndpointArn",
        ctime="CreationTime",
        enrich=(
            _tags("EndpointArn"),
            Enrich("DescribeEndpoint", {"EndpointName": "EndpointName"}, "@", "_d", ignore=GONE),
        ),
        tags=TAGS,
        fields={
            "mtime": "LastModifiedTime",
            "endpoint_status": "EndpointStatus",
            "endpoint_config_name": "_d.EndpointConfigName",
        },
        links=(
            # the endpoint goes before the config it runs
            Link("aws_sagemaker_endpoint_config", "_d.EndpointConfigName", default="in", delete="in"),
        ),
        get=Call("DescribeEndpoint", "@", item_args={"EndpointName": "id"}, gone=GONE),
        delete=Delete("DeleteEndpoint", {"EndpointName": "id"}, gone=GONE),
        tagging=TAGGING,
    ),
    Kind(
        cls=AwsSagemakerTrainingJob,
        service=SERVICE,
        list=Call("ListTrainingJobs", "TrainingJobSummaries[]", page_size=100),
        id="TrainingJobName",
        name="TrainingJobName",
        arn="TrainingJobArn",
        ctime="CreationTime",
        enrich=(_tags("TrainingJobArn"),),
        tags=TAGS,
        fields={
            "mtime": "LastModifiedTime",
            "training_job_status": "TrainingJobStatus",
            "training_end_time": lambda i: str(i["TrainingEndTime"]) if i.get("TrainingEndTime") else None,
        },
        get=Call("DescribeTrainingJob", "@", item_args={"TrainingJobName": "id"}, gone=GONE),
        tagging=TAGGING,
    ),
]
