"""The SageMaker kinds moto cannot list (algorithms, apps, artifacts, code repositories, edge packaging,
inference recommendations and labeling jobs, images, projects, user profiles, workteams), read through
a real botocore client from an HTTP fake whose answers botocore's validator checked against the
service model; their tag and delete calls, and the processing job's delete, go to the same fake."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from aws.fake_service import FakeService, serving
from aws.support_aws import ACCOUNT, Collected, collect
from resoto_hookspecs import Location
from resoto_hookspecs.testing import PluginDriver
from resoto_plugin_aws import plugin
from resoto_plugin_aws.config import AwsConfig
from resoto_plugin_aws.registry import kind_of

REGION = "us-east-1"
HERE = Location("aws", ACCOUNT, REGION)
WHEN = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
TAGS = [{"Key": "owner", "Value": "tests"}]


def arn(kind: str) -> str:
    return f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:{kind}"


DOMAIN = "d-abc123"
PROFILE_ARN = arn(f"user-profile/{DOMAIN}/alice")
APP_ARN = arn(f"app/{DOMAIN}/alice/JupyterServer/default")
ANSWERS: dict[str, Any] = {
    "ListAlgorithms": {
        "AlgorithmSummaryList": [
            {
                "AlgorithmName": "algo",
                "AlgorithmArn": arn("algorithm/algo"),
                "CreationTime": WHEN,
                "AlgorithmStatus": "Completed",
            }
        ]
    },
    "ListApps": {
        "Apps": [
            {
                "DomainId": DOMAIN,
                "UserProfileName": "alice",
                "AppType": "JupyterServer",
                "AppName": "default",
                "Status": "InService",
                "CreationTime": WHEN,
                "ResourceSpec": {"InstanceType": "system", "SageMakerImageArn": arn("image/pytorch")},
            },
            {
                "DomainId": DOMAIN,
                "UserProfileName": "alice",
                "AppType": "KernelGateway",
                "AppName": "gone",
                "Status": "Deleted",
                "CreationTime": WHEN,
            },
        ]
    },
    "DescribeApp": {"AppArn": APP_ARN, "DomainId": DOMAIN, "AppType": "JupyterServer", "AppName": "default"},
    "ListArtifacts": {
        "ArtifactSummaries": [
            {
                "ArtifactArn": arn("artifact/0123abcd"),
                "ArtifactName": "dataset",
                "ArtifactType": "DataSet",
                "Source": {"SourceUri": "s3://data/in"},
                "CreationTime": WHEN,
            }
        ]
    },
    "ListCodeRepositories": {
        "CodeRepositorySummaryList": [
            {
                "CodeRepositoryName": "repo",
                "CodeRepositoryArn": arn("code-repository/repo"),
                "CreationTime": WHEN,
                "LastModifiedTime": WHEN,
                "GitConfig": {"RepositoryUrl": "https://git.example/repo.git", "Branch": "main"},
            }
        ]
    },
    "ListEdgePackagingJobs": {
        "EdgePackagingJobSummaries": [
            {
                "EdgePackagingJobArn": arn("edge-packaging-job/edge"),
                "EdgePackagingJobName": "edge",
                "EdgePackagingJobStatus": "COMPLETED",
                "CompilationJobName": "compile",
                "ModelName": "churn",
                "ModelVersion": "1",
                "CreationTime": WHEN,
            }
        ]
    },
    "ListImages": {
        "Images": [
            {
                "CreationTime": WHEN,
                "ImageArn": arn("image/pytorch"),
                "ImageName": "pytorch",
                "ImageStatus": "CREATED",
                "LastModifiedTime": WHEN,
                "DisplayName": "PyTorch",
            }
        ]
    },
    "ListInferenceRecommendationsJobs": {
        "InferenceRecommendationsJobs": [
            {
                "JobName": "recommend",
                "JobDescription": "sizes",
                "JobType": "Default",
                "JobArn": arn("inference-recommendations-job/recommend"),
                "Status": "COMPLETED",
                "CreationTime": WHEN,
                "RoleArn": f"arn:aws:iam::{ACCOUNT}:role/sm",
                "LastModifiedTime": WHEN,
                "ModelName": "churn",
            }
        ]
    },
    "ListLabelingJobs": {
        "LabelingJobSummaryList": [
            {
                "LabelingJobName": "label",
                "LabelingJobArn": arn("labeling-job/label"),
                "CreationTime": WHEN,
                "LastModifiedTime": WHEN,
                "LabelingJobStatus": "Completed",
                "LabelCounters": {"TotalLabeled": 10, "Unlabeled": 2},
                "WorkteamArn": arn("workteam/private-crowd/team"),
                "PreHumanTaskLambdaArn": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:pre",
            }
        ]
    },
    "ListProjects": {
        "ProjectSummaryList": [
            {
                "ProjectName": "mlops",
                "ProjectArn": arn("project/mlops"),
                "ProjectId": "p-1",
                "CreationTime": WHEN,
                "ProjectStatus": "CreateCompleted",
            }
        ]
    },
    "ListUserProfiles": {
        "UserProfiles": [
            {"DomainId": DOMAIN, "UserProfileName": "alice", "Status": "InService", "CreationTime": WHEN}
        ]
    },
    "DescribeUserProfile": {"DomainId": DOMAIN, "UserProfileArn": PROFILE_ARN, "UserProfileName": "alice"},
    "ListWorkteams": {
        "Workteams": [
            {
                "WorkteamName": "team",
                "WorkteamArn": arn("workteam/private-crowd/team"),
                "MemberDefinitions": [
                    {
                        "CognitoMemberDefinition": {
                            "UserPool": "us-east-1_pool",
                            "UserGroup": "labelers",
                            "ClientId": "client",
                        }
                    }
                ],
                "Description": "labelers",
                "CreateDate": WHEN,
                "NotificationConfiguration": {
                    "NotificationTopicArn": f"arn:aws:sns:{REGION}:{ACCOUNT}:labels"
                },
            }
        ]
    },
    "ListTags": {"Tags": TAGS},
    "AddTags": {"Tags": []},
    "DeleteTags": {},
    **{
        op: {}
        for op in (
            "DeleteAlgorithm",
            "DeleteApp",
            "DeleteCodeRepository",
            "DeleteImage",
            "DeleteProject",
            "DeleteUserProfile",
            "DeleteProcessingJob",
        )
    },
    "DeleteArtifact": {"ArtifactArn": arn("artifact/0123abcd")},
    "DeleteWorkteam": {"Success": True},
}
KINDS = {
    "aws_sagemaker_algorithm": ("algo", ("DeleteAlgorithm", {"AlgorithmName": "algo"})),
    "aws_sagemaker_app": (
        f"{DOMAIN}/alice/JupyterServer/default",
        (
            "DeleteApp",
            {
                "DomainId": DOMAIN,
                "UserProfileName": "alice",
                "AppType": "JupyterServer",
                "AppName": "default",
            },
        ),
    ),
    "aws_sagemaker_artifact": ("0123abcd", ("DeleteArtifact", {"ArtifactArn": arn("artifact/0123abcd")})),
    "aws_sagemaker_code_repository": ("repo", ("DeleteCodeRepository", {"CodeRepositoryName": "repo"})),
    "aws_sagemaker_edge_packaging_job": ("edge", None),
    "aws_sagemaker_image": ("pytorch", ("DeleteImage", {"ImageName": "pytorch"})),
    "aws_sagemaker_inference_recommendations_job": ("recommend", None),
    "aws_sagemaker_labeling_job": ("label", None),
    "aws_sagemaker_project": ("mlops", ("DeleteProject", {"ProjectName": "mlops"})),
    "aws_sagemaker_user_profile": (
        f"{DOMAIN}/alice",
        ("DeleteUserProfile", {"DomainId": DOMAIN, "UserProfileName": "alice"}),
    ),
    "aws_sagemaker_workteam": ("team", ("DeleteWorkteam", {"WorkteamName": "team"})),
}
CFG = AwsConfig(region=[REGION], collect=list(KINDS))


@pytest.fixture()
def fake(moto: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeService]:
    with serving(monkeypatch, "sagemaker", ANSWERS) as service:
        yield service


@pytest.fixture()
def collected(fake: FakeService) -> Collected:
    result = collect(CFG)
    assert not result.failures and result.reporter.errors == []
    return result


def test_every_kind_is_read_with_tags(collected: Collected, fake: FakeService) -> None:
    for kind, (rid, _) in KINDS.items():
        found = collected.by_id(kind)
        assert list(found) == [rid], kind  # the deleted app is left out
        assert found[rid]["tags"] == {"owner": "tests"}, kind
        assert found[rid]["arn"].startswith(f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:"), kind
        assert "ctime" in found[rid], kind
    app = collected.by_id("aws_sagemaker_app")[f"{DOMAIN}/alice/JupyterServer/default"]
    assert app["arn"] == APP_ARN and app["app_instance_type"] == "system"
    assert collected.by_id("aws_sagemaker_user_profile")[f"{DOMAIN}/alice"]["arn"] == PROFILE_ARN
    assert collected.by_id("aws_sagemaker_labeling_job")["label"]["labeled_total"] == 10
    assert collected.by_id("aws_sagemaker_code_repository")["repo"]["repository_branch"] == "main"
    assert {c["ResourceArn"] for c in fake.calls("ListTags")} >= {APP_ARN, PROFILE_ARN}
    assert fake.calls("DescribeApp") == [
        {
            "DomainId": DOMAIN,
            "UserProfileName": "alice",
            "AppType": "JupyterServer",
            "AppName": "default",
            "_path": "/",
            "_query": "",
        }
    ]


def test_edges(collected: Collected) -> None:
    profile = collected.nid("aws_sagemaker_user_profile", f"{DOMAIN}/alice")
    app = collected.nid("aws_sagemaker_app", f"{DOMAIN}/alice/JupyterServer/default")
    assert collected.edge(profile, app) and collected.edge(profile, app, "delete")
    assert collected.edge(app, collected.nid("aws_sagemaker_image", "pytorch"))
    assert collected.edge(
        collected.nid("aws_sagemaker_workteam", "team"), collected.nid("aws_sagemaker_labeling_job", "label")
    )


def test_tag_and_untag_calls(collected: Collected, fake: FakeService) -> None:
    for kind, (rid, _) in KINDS.items():
        res = collected.resource(kind, rid)
        PluginDriver(plugin, CFG).update_tag(resource=res, location=HERE, key="team", value="ml")
        PluginDriver(plugin, CFG).delete_tag(resource=res, location=HERE, key="owner")
        assert fake.calls("AddTags")[-1]["ResourceArn"] == res.arn, kind
        assert fake.calls("AddTags")[-1]["Tags"] == [{"Key": "team", "Value": "ml"}]
        assert fake.calls("DeleteTags")[-1] == {
            "ResourceArn": res.arn,
            "TagKeys": ["owner"],
            "_path": "/",
            "_query": "",
        }


def test_delete_calls(collected: Collected, fake: FakeService) -> None:
    for kind, (rid, expected) in KINDS.items():
        res = collected.resource(kind, rid)
        if expected is None:
            assert not type(res).deletable
            with pytest.raises(Exception, match="cannot be deleted"):
                PluginDriver(plugin, CFG).delete_resource(resource=res, location=HERE)
            continue
        op, args = expected
        PluginDriver(plugin, CFG).delete_resource(resource=res, location=HERE)
        sent = {k: v for k, v in fake.calls(op)[-1].items() if not k.startswith("_")}
        assert sent == args, kind
    job = kind_of("aws_sagemaker_processing_job")
    assert job is not None
    PluginDriver(plugin, CFG).delete_resource(resource=job.cls(id="prep"), location=HERE)
    assert [c["ProcessingJobName"] for c in fake.calls("DeleteProcessingJob")] == ["prep"]
