"""CodePipeline pipelines, with their role and the CodeBuild projects their actions run.

One ``GetPipeline`` per pipeline gives the stages (for the edges) and the role; one
``ListTagsForResource`` its tags.
"""

from __future__ import annotations

from typing import Any, ClassVar

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import Call, Delete, Enrich, Kind, Link, Tagging, TagsAt, arn_name

SERVICE = "codepipeline"
GONE = ("PipelineNotFoundException", "ResourceNotFoundException")


class AwsCodePipelinePipeline(AwsResource):
    kind: ClassVar[str] = "aws_codepipeline_pipeline"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "devops", "icon": "resource"}
    pipeline_version: int | None = None
    pipeline_type: str | None = None
    execution_mode: str | None = None
    role_arn: str | None = None
    stage_names: list[str] | None = None
    artifact_store_location: str | None = None


KINDS = [
    Kind(
        cls=AwsCodePipelinePipeline,
        service=SERVICE,
        list=Call("ListPipelines", "pipelines[]", page_size=1000),
        id="name",
        name="name",
        arn="arn:{partition}:codepipeline:{region}:{account}:{id}",
        ctime="created",
        enrich=(
            Enrich("GetPipeline", {"name": "name"}, "pipeline", "_p", ignore=GONE),
            Enrich("ListTagsForResource", {"resourceArn": "_arn"}, "tags", "_tags", ignore=GONE),
        ),
        tags=TagsAt("_tags", fmt="lower"),
        fields={
            "mtime": "updated",
            "pipeline_version": "version",
            "pipeline_type": "pipelineType",
            "execution_mode": "executionMode",
            "role_arn": "_p.roleArn",
            "stage_names": "_p.stages[].name",
            "artifact_store_location": "_p.artifactStore.location",
        },
        links=(
            Link("aws_iam_role", "_p.roleArn", to_id=arn_name, global_=True),
            Link("aws_codebuild_project", "_p.stages[].actions[].configuration.ProjectName", default="out"),
            Link("aws_s3_bucket", "_p.artifactStore.location", default="out", global_=True),
        ),
        get=Call("GetPipeline", "pipeline", item_args={"name": "id"}, gone=GONE),
        delete=Delete("DeletePipeline", {"name": "id"}, gone=GONE),
        tagging=Tagging(
            "TagResource",
            "UntagResource",
            {"resourceArn": "arn"},
            tags_arg="tags",
            fmt="lower",
            keys_arg="tagKeys",
        ),
    ),
]
