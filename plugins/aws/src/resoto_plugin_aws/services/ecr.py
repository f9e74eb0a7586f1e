"""ECR repositories."""

from __future__ import annotations

from typing import ClassVar

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import Call, Delete, Enrich, Kind, Tagging, TagsAt

SERVICE = "ecr"
GONE = ("RepositoryNotFoundException",)


class AwsEcrRepository(AwsResource):
    kind: ClassVar[str] = "aws_ecr_repository"
    repository_uri: str | None = None
    registry_id: str | None = None
    image_tag_mutability: str | None = None
    scan_on_push: bool | None = None
    encryption_type: str | None = None


KINDS = [
    Kind(
        cls=AwsEcrRepository,
        service=SERVICE,
        list=Call("DescribeRepositories", "repositories[]", page_size=1000),
        id="repositoryName",
        name="repositoryName",
        arn="repositoryArn",
        ctime="createdAt",
        enrich=(
            Enrich("ListTagsForResource", {"resourceArn": "repositoryArn"}, "tags", "_tags", ignore=GONE),
        ),
        tags=TagsAt("_tags"),
        fields={
            "repository_uri": "repositoryUri",
            "registry_id": "registryId",
            "image_tag_mutability": "imageTagMutability",
            "scan_on_push": "imageScanningConfiguration.scanOnPush",
            "encryption_type": "encryptionConfiguration.encryptionType",
        },
        get=Call("DescribeRepositories", "repositories[]", item_args={"repositoryNames": "[id]"}, gone=GONE),
        delete=Delete("DeleteRepository", {"repositoryName": "id"}, const={"force": True}, gone=GONE),
        tagging=Tagging(
            "TagResource",
            "UntagResource",
            {"resourceArn": "arn"},
            tags_arg="tags",
            keys_arg="tagKeys",
            gone=GONE,
        ),
    ),
]
