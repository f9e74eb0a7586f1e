"""SageMaker Studio and MLOps kinds: domains, user profiles, apps, images, code repositories,
projects, pipelines, experiments, trials, artifacts, algorithms and workteams.

User profiles and apps carry no ARN in their list answer: one describe call each gives it (and the
tags' ``ListTags`` needs it). Their ids join the names that address them (``domain/profile``,
``domain/owner/type/app``). Trials are listed per experiment (an experiment owns its trials). A
domain is deleted with AWS's default retention (its home EFS file system is kept).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.services.sagemaker import GONE, listed
from resoto_plugin_aws.spec import Call, Enrich, Json, Link, arn_name

META: dict[str, Any] = {"group": "ai", "icon": "resource"}


class AwsSagemakerDomain(AwsResource):
    kind: ClassVar[str] = "aws_sagemaker_domain"
    kind_metadata: ClassVar[dict[str, Any]] = META
    domain_status: str | None = None
    domain_url: str | None = None


class AwsSagemakerUserProfile(AwsResource):
    kind: ClassVar[str] = "aws_sagemaker_user_profile"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "ai", "icon": "user"}
    domain_id: str | None = None
    user_profile_name: str | None = None
    user_profile_status: str | None = None


class AwsSagemakerApp(AwsResource):
    kind: ClassVar[str] = "aws_sagemaker_app"
    kind_metadata: ClassVar[dict[str, Any]] = META
    domain_id: str | None = None
    user_profile_name: str | None = None
    space_name: str | None = None
    app_type: str | None = None
    app_name: str | None = None
    app_status: str | None = None
    app_instance_type: str | None = None
    app_image_arn: str | None = None


class AwsSagemakerImage(AwsResource):
    kind: ClassVar[str] = "aws_sagemaker_image"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "ai", "icon": "image"}
    image_status: str | None = None
    image_display_name: str | None = None
    description: str | None = None


class AwsSagemakerCodeRepository(AwsResource):
    kind: ClassVar[str] = "aws_sagemaker_code_repository"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "ai", "icon": "repository"}
    repository_url: str | None = None
    repository_branch: str | None = None


class AwsSagemakerProject(AwsResource):
    kind: ClassVar[str] = "aws_sagemaker_project"
    kind_metadata: ClassVar[dict[str, Any]] = META
    project_id: str | None = None
    project_status: str | None = None
    description: str | None = None


class AwsSagemakerPipeline(AwsResource):
    kind: ClassVar[str] = "aws_sagemaker_pipeline"
    kind_metadata: ClassVar[dict[str, Any]] = META
    pipeline_display_name: str | None = None
    description: str | None = None
    role_arn: str | None = None
    pipeline_last_execution_time: datetime | None = None


class AwsSagemakerExperiment(AwsResource):
    kind: ClassVar[str] = "aws_sagemaker_experiment"
    kind_metadata: ClassVar[dict[str, Any]] = META
    experiment_display_name: str | None = None
    experiment_source_arn: str | None = None


class AwsSagemakerTrial(AwsResource):
    kind: ClassVar[str] = "aws_sagemaker_trial"
    kind_metadata: ClassVar[dict[str, Any]] = META
    trial_display_name: str | None = None
    trial_source_arn: str | None = None


class AwsSagemakerArtifact(AwsResource):
    kind: ClassVar[str] = "aws_sagemaker_artifact"
    kind_metadata: ClassVar[dict[str, Any]] = META
    artifact_type: str | None = None
    artifact_source_uri: str | None = None


class AwsSagemakerAlgorithm(AwsResource):
    kind: ClassVar[str] = "aws_sagemaker_algorithm"
    kind_metadata: ClassVar[dict[str, Any]] = META
    algorithm_status: str | None = None
    description: str | None = None


class AwsSagemakerWorkteam(AwsResource):
    kind: ClassVar[str] = "aws_sagemaker_workteam"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "ai", "icon": "group"}
    workforce_arn: str | None = None
    workteam_sub_domain: str | None = None
    description: str | None = None
    notification_topic_arn: str | None = None


def _prepare_profile(item: Json) -> None:
    item["_id"] = f"{item.get('DomainId')}/{item.get('UserProfileName')}"


def _prepare_app(item: Json) -> None:
    owner = item.get("UserProfileName") or item.get("SpaceName") or "-"
    item["_id"] = f"{item.get('DomainId')}/{owner}/{item.get('AppType')}/{item.get('AppName')}"
    if item.get("UserProfileName"):
        item["_profile"] = f"{item.get('DomainId')}/{item['UserProfileName']}"


def _prepare_artifact(item: Json) -> None:
    item["_id"] = arn_name(str(item.get("ArtifactArn") or ""))


def _describe(op: str, args: dict[str, str]) -> Enrich:
    return Enrich(op, args, "@", "_d", ignore=GONE)


_PROFILE_ARGS = {"DomainId": "DomainId", "UserProfileName": "UserProfileName"}
_APP_ARGS = {
    "DomainId": "DomainId",
    "UserProfileName": "UserProfileName",
    "SpaceName": "SpaceName",
    "AppType": "AppType",
    "AppName": "AppName",
}
_APP_ATTRS = {
    "DomainId": "domain_id",
    "UserProfileName": "user_profile_name",
    "SpaceName": "space_name",
    "AppType": "app_type",
    "AppName": "app_name",
}

KINDS = [
    listed(
        AwsSagemakerDomain,
        "ListDomains",
        "Domains[]",
        "DomainName",
        "DomainArn",
        id="DomainId",
        get=Call("DescribeDomain", "@", item_args={"DomainId": "id"}, gone=GONE),
        delete="DeleteDomain",
        delete_args={"DomainId": "id"},
        fields={"mtime": "LastModifiedTime", "domain_status": "Status", "domain_url": "Url"},
    ),
    listed(
        AwsSagemakerUserProfile,
        "ListUserProfiles",
        "UserProfiles[]",
        "UserProfileName",
        "_d.UserProfileArn",
        id="_id",
        prepare=_prepare_profile,
        enrich=(_describe("DescribeUserProfile", _PROFILE_ARGS),),
        get=Call(
            "DescribeUserProfile",
            "@",
            item_args={"DomainId": "domain_id", "UserProfileName": "user_profile_name"},
            gone=GONE,
        ),
        delete="DeleteUserProfile",
        delete_args={"DomainId": "domain_id", "UserProfileName": "user_profile_name"},
        fields={
            "mtime": "LastModifiedTime",
            "domain_id": "DomainId",
            "user_profile_name": "UserProfileName",
            "user_profile_status": "Status",
        },
        links=(Link("aws_sagemaker_domain", "DomainId", delete="in"),),
    ),
    listed(
        AwsSagemakerApp,
        "ListApps",
        "Apps[]",
        "AppName",
        "_d.AppArn",
        id="_id",
        prepare=_prepare_app,
        enrich=(_describe("DescribeApp", _APP_ARGS),),
        skip=lambda i: i.get("Status") == "Deleted",
        get=Call(
            "DescribeApp",
            "@",
            item_args=_APP_ATTRS,
            gone=GONE,
        ),
        delete="DeleteApp",
        delete_args=_APP_ATTRS,
        fields={
            "domain_id": "DomainId",
            "user_profile_name": "UserProfileName",
            "space_name": "SpaceName",
            "app_type": "AppType",
            "app_name": "AppName",
            "app_status": "Status",
            "app_instance_type": "ResourceSpec.InstanceType",
            "app_image_arn": "ResourceSpec.SageMakerImageArn",
        },
        links=(
            Link("aws_sagemaker_user_profile", "_profile", delete="in"),
            Link("aws_sagemaker_domain", "DomainId", delete="in"),
            Link("aws_sagemaker_image", "ResourceSpec.SageMakerImageArn", default="out", to_id=arn_name),
        ),
    ),
    listed(
        AwsSagemakerImage,
        "ListImages",
        "Images[]",
        "ImageName",
        "ImageArn",
        get="DescribeImage",
        delete="DeleteImage",
        fields={
            "mtime": "LastModifiedTime",
            "image_status": "ImageStatus",
            "image_display_name": "DisplayName",
            "description": "Description",
        },
    ),
    listed(
        AwsSagemakerCodeRepository,
        "ListCodeRepositories",
        "CodeRepositorySummaryList[]",
        "CodeRepositoryName",
        "CodeRepositoryArn",
        get="DescribeCodeRepository",
        delete="DeleteCodeRepository",
        fields={
            "mtime": "LastModifiedTime",
            "repository_url": "GitConfig.RepositoryUrl",
            "repository_branch": "GitConfig.Branch",
        },
    ),
    listed(
        AwsSagemakerProject,
        "ListProjects",
        "ProjectSummaryList[]",
        "ProjectName",
        "ProjectArn",
        get="DescribeProject",
        delete="DeleteProject",
        fields={
            "project_id": "ProjectId",
            "project_status": "ProjectStatus",
            "description": "ProjectDescription",
        },
    ),
    listed(
        AwsSagemakerPipeline,
        "ListPipelines",
        "PipelineSummaries[]",
        "PipelineName",
        "PipelineArn",
        get="DescribePipeline",
        delete="DeletePipeline",  # the ClientRequestToken is an idempotency token botocore fills in
        fields={
            "mtime": "LastModifiedTime",
            "pipeline_display_name": "PipelineDisplayName",
            "description": "PipelineDescription",
            "role_arn": "RoleArn",
            "pipeline_last_execution_time": "LastExecutionTime",
        },
        links=(Link("aws_iam_role", "RoleArn", to_id=arn_name, global_=True),),
    ),
    listed(
        AwsSagemakerExperiment,
        "ListExperiments",
        "ExperimentSummaries[]",
        "ExperimentName",
        "ExperimentArn",
        get="DescribeExperiment",
        delete="DeleteExperiment",
        fields={
            "mtime": "LastModifiedTime",
            "experiment_display_name": "DisplayName",
            "experiment_source_arn": "ExperimentSource.SourceArn",
        },
    ),
    listed(
        AwsSagemakerTrial,
        "ListTrials",
        "TrialSummaries[]",
        "TrialName",
        "TrialArn",
        parent="aws_sagemaker_experiment",
        item_args={"ExperimentName": "ExperimentName"},
        get="DescribeTrial",
        delete="DeleteTrial",
        fields={
            "mtime": "LastModifiedTime",
            "trial_display_name": "DisplayName",
            "trial_source_arn": "TrialSource.SourceArn",
        },
        links=(Link("aws_sagemaker_experiment", "_parent_id", default=None, delete="in"),),
    ),
    listed(
        AwsSagemakerArtifact,
        "ListArtifacts",
        "ArtifactSummaries[]",
        "ArtifactName",
        "ArtifactArn",
        id="_id",
        prepare=_prepare_artifact,
        get=Call("DescribeArtifact", "@", item_args={"ArtifactArn": "arn"}, gone=GONE),
        delete="DeleteArtifact",
        delete_args={"ArtifactArn": "arn"},
        fields={
            "mtime": "LastModifiedTime",
            "artifact_type": "ArtifactType",
            "artifact_source_uri": "Source.SourceUri",
        },
    ),
    listed(
        AwsSagemakerAlgorithm,
        "ListAlgorithms",
        "AlgorithmSummaryList[]",
        "AlgorithmName",
        "AlgorithmArn",
        get="DescribeAlgorithm",
        delete="DeleteAlgorithm",
        fields={"algorithm_status": "AlgorithmStatus", "description": "AlgorithmDescription"},
    ),
    listed(
        AwsSagemakerWorkteam,
        "ListWorkteams",
        "Workteams[]",
        "WorkteamName",
        "WorkteamArn",
        ctime="CreateDate",
        get=Call("DescribeWorkteam", "Workteam", item_args={"WorkteamName": "id"}, gone=GONE),
        delete="DeleteWorkteam",
        fields={
            "mtime": "LastUpdatedDate",
            "workforce_arn": "WorkforceArn",
            "workteam_sub_domain": "SubDomain",
            "description": "Description",
            "notification_topic_arn": "NotificationConfiguration.NotificationTopicArn",
        },
        links=(
            Link("aws_sns_topic", "NotificationConfiguration.NotificationTopicArn", default="out"),
            Link(
                "aws_cognito_user_pool",
                "MemberDefinitions[].CognitoMemberDefinition.UserPool",
                default="out",
            ),
        ),
    ),
]
