"""CodeBuild projects: ``ListProjects`` gives names, ``BatchGetProjects`` (100 at a time) the rest.

CodeBuild has no tag API of its own: a tag is changed by writing the project's whole tag list
back with ``UpdateProject``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import Api, Call, Delete, Enrich, Kind, Link, TagsAt, arn_name

SERVICE = "codebuild"
P = "_p"


class AwsCodeBuildProject(AwsResource):
    kind: ClassVar[str] = "aws_codebuild_project"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "devops", "icon": "resource"}
    description: str | None = None
    source_type: str | None = None
    source_location: str | None = None
    environment_type: str | None = None
    environment_image: str | None = None
    compute_type: str | None = None
    service_role: str | None = None
    encryption_key: str | None = None
    timeout_in_minutes: int | None = None
    subnet_ids: list[str] | None = None
    security_group_ids: list[str] | None = None


def _tag(ctx: Api, resource: AwsResource, key: str, value: str | None, untag: bool = False) -> None:
    """Read the project's tags, change one, write them all back."""
    found = ctx.call(SERVICE, "BatchGetProjects", names=[resource.id]).get("projects") or []
    tags = [t for t in (found[0].get("tags") or [] if found else []) if t.get("key") != key]
    if not untag:
        tags.append({"key": key, "value": value or ""})
    ctx.call(SERVICE, "UpdateProject", name=resource.id, tags=tags)


KINDS = [
    Kind(
        cls=AwsCodeBuildProject,
        service=SERVICE,
        list=Call("ListProjects", "projects[]", wrap="name"),
        id="name",
        name="name",
        arn=f"{P}.arn",
        ctime=f"{P}.created",
        enrich=(
            Enrich("BatchGetProjects", {"names": "name"}, "projects", P, batch=100, match="name", key="name"),
        ),
        tags=TagsAt(f"{P}.tags", fmt="lower"),
        fields={
            "mtime": f"{P}.lastModified",
            "description": f"{P}.description",
            "source_type": f"{P}.source.type",
            "source_location": f"{P}.source.location",
            "environment_type": f"{P}.environment.type",
            "environment_image": f"{P}.environment.image",
            "compute_type": f"{P}.environment.computeType",
            "service_role": f"{P}.serviceRole",
            "encryption_key": f"{P}.encryptionKey",
            "timeout_in_minutes": f"{P}.timeoutInMinutes",
            "subnet_ids": f"{P}.vpcConfig.subnets",
            "security_group_ids": f"{P}.vpcConfig.securityGroupIds",
        },
        links=(
            Link("aws_iam_role", f"{P}.serviceRole", to_id=arn_name, global_=True),
            Link("aws_ec2_subnet", f"{P}.vpcConfig.subnets", delete="in"),
            Link("aws_ec2_security_group", f"{P}.vpcConfig.securityGroupIds", delete="in"),
        ),
        get=Call("BatchGetProjects", "projects[]", item_args={"names": "[id]"}),
        delete=Delete("DeleteProject", {"name": "id"}),
        tag_fn=_tag,
        tag_iam=("codebuild:BatchGetProjects", "codebuild:UpdateProject"),
    ),
]
