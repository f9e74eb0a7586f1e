"""The SageMaker kinds moto serves beyond the first five: AutoML, compilation, tuning, processing and
transform jobs, domains, experiments with their trials, and pipelines; seeded in moto, collected with
tags and edges, tagged, untagged and deleted where the API allows."""

from __future__ import annotations

import json

import pytest
from aws.support_aws import ACCOUNT, NO_MOTO, Collected, client, collect, delete_order
from resoto_hookspecs import Location
from resoto_hookspecs.testing import PluginDriver
from resoto_plugin_aws import plugin
from resoto_plugin_aws.config import AwsConfig

REGION = "us-east-1"
CFG = AwsConfig(region=[REGION], collect=["aws_sagemaker_*", "aws_iam_role"], no_collect=NO_MOTO)
HERE = Location("aws", ACCOUNT, REGION)
TAGS = [{"Key": "owner", "Value": "tests"}]
IMAGE = "382416733822.dkr.ecr.us-east-1.amazonaws.com/linear-learner:1"
S3_IN = {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://data/in"}}


def seed() -> str:
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole"}]}
    role = client("iam").create_role(RoleName="sm", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    sm = client("sagemaker")
    sm.create_auto_ml_job_v2(
        AutoMLJobName="automl",
        AutoMLJobInputDataConfig=[{"ChannelType": "training", "DataSource": S3_IN}],
        OutputDataConfig={"S3OutputPath": "s3://data/out"},
        AutoMLProblemTypeConfig={
            "TabularJobConfig": {
                "TargetAttributeName": "y",
                "ProblemType": "BinaryClassification",
                "CompletionCriteria": {"MaxCandidates": 2},
            }
        },
        RoleArn=role,
        Tags=TAGS,
    )
    sm.create_compilation_job(
        CompilationJobName="compile",
        RoleArn=role,
        InputConfig={"S3Uri": "s3://data/model.tar.gz", "Framework": "XGBOOST"},
        OutputConfig={"S3OutputLocation": "s3://data/out", "TargetDevice": "ml_m5"},
        StoppingCondition={"MaxRuntimeInSeconds": 600},
        Tags=TAGS,
    )
    sm.create_hyper_parameter_tuning_job(
        HyperParameterTuningJobName="tune",
        HyperParameterTuningJobConfig={
            "Strategy": "Bayesian",
            "ResourceLimits": {"MaxNumberOfTrainingJobs": 4, "MaxParallelTrainingJobs": 2},
        },
        TrainingJobDefinition={
            "AlgorithmSpecification": {"TrainingImage": IMAGE, "TrainingInputMode": "File"},
            "RoleArn": role,
            "OutputDataConfig": {"S3OutputPath": "s3://data/out"},
            "ResourceConfig": {"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 10},
            "StoppingCondition": {"MaxRuntimeInSeconds": 600},
        },
        Tags=TAGS,
    )
    sm.create_processing_job(
        ProcessingJobName="prep",
        ProcessingResources={
            "ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.m5.large", "VolumeSizeInGB": 10}
        },
        AppSpecification={"ImageUri": IMAGE},
        RoleArn=role,
        Tags=TAGS,
    )
    sm.create_transform_job(
        TransformJobName="batch",
        ModelName="churn",
        TransformInput={"DataSource": S3_IN},
        TransformOutput={"S3OutputPath": "s3://data/out"},
        TransformResources={"InstanceType": "ml.m5.large", "InstanceCount": 1},
        Tags=TAGS,
    )
    domain = sm.create_domain(
        DomainName="studio",
        AuthMode="IAM",
        DefaultUserSettings={"ExecutionRole": role},
        SubnetIds=["subnet-1"],
        VpcId="vpc-1",
        Tags=TAGS,
    )["DomainArn"]
    experiment = sm.create_experiment(ExperimentName="exp")["ExperimentArn"]
    trial = sm.create_trial(TrialName="trial-1", ExperimentName="exp")["TrialArn"]
    for arn in (experiment, trial):  # moto drops the tags of CreateExperiment and CreateTrial
        sm.add_tags(ResourceArn=arn, Tags=TAGS)
    sm.create_pipeline(
        PipelineName="flow",
        PipelineDefinition=json.dumps({"Version": "2020-12-01", "Steps": []}),
        RoleArn=role,
        Tags=TAGS,
    )
    return str(domain).rsplit("/", 1)[-1]


@pytest.fixture()
def seeded(moto: str) -> tuple[Collected, str]:
    domain_id = seed()
    result = collect(CFG)
    assert not result.failures and result.reporter.errors == []
    return result, domain_id


def kinds(domain_id: str) -> list[tuple[str, str]]:
    return [
        ("aws_sagemaker_auto_ml_job", "automl"),
        ("aws_sagemaker_compilation_job", "compile"),
        ("aws_sagemaker_hyper_parameter_tuning_job", "tune"),
        ("aws_sagemaker_processing_job", "prep"),
        ("aws_sagemaker_transform_job", "batch"),
        ("aws_sagemaker_domain", domain_id),
        ("aws_sagemaker_trial", "trial-1"),  # before its experiment
        ("aws_sagemaker_experiment", "exp"),
        ("aws_sagemaker_pipeline", "flow"),
    ]


def test_collected_with_tags_and_edges(seeded: tuple[Collected, str]) -> None:
    result, domain_id = seeded
    for kind, rid in kinds(domain_id):
        found = result.by_id(kind)[rid]
        assert found["tags"] == {"owner": "tests"}, kind
        assert found["arn"].startswith(f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:"), kind
        assert "ctime" in found, kind
    assert result.by_id("aws_sagemaker_domain")[domain_id]["name"] == "studio"
    tune = result.by_id("aws_sagemaker_hyper_parameter_tuning_job")["tune"]
    assert tune["tuning_strategy"] == "Bayesian" and tune["tuning_max_training_jobs"] == 4
    assert result.by_id("aws_sagemaker_compilation_job")["compile"]["compilation_target_device"] == "ml_m5"
    exp = result.nid("aws_sagemaker_experiment", "exp")
    trial = result.nid("aws_sagemaker_trial", "trial-1")
    assert result.edge(exp, trial) and result.edge(exp, trial, "delete")
    assert delete_order({exp, trial}, result.sink.edges) == [trial, exp]
    role = result.nid("aws_iam_role", "sm")
    assert result.edge(role, result.nid("aws_sagemaker_pipeline", "flow"))


def test_tag_untag_check(seeded: tuple[Collected, str]) -> None:
    result, domain_id = seeded
    for kind, rid in kinds(domain_id):
        res = result.resource(kind, rid)
        PluginDriver(plugin, CFG).update_tag(resource=res, location=HERE, key="team", value="ml")
        PluginDriver(plugin, CFG).delete_tag(resource=res, location=HERE, key="owner")
        tags = client("sagemaker").list_tags(ResourceArn=res.arn)["Tags"]
        assert tags == [{"Key": "team", "Value": "ml"}], kind
        current = PluginDriver(plugin, CFG).check_resource(resource=res, location=HERE)
        assert current is not None and current.tags == {"team": "ml"}, kind


def test_delete(seeded: tuple[Collected, str]) -> None:
    """Deletable kinds are deleted (a new collection misses them), the others refuse."""
    result, domain_id = seeded
    kept = []
    for kind, rid in kinds(domain_id):
        res = result.resource(kind, rid)
        if kind == "aws_sagemaker_processing_job":  # moto has no DeleteProcessingJob: see the fake's test
            continue
        if not type(res).deletable:
            with pytest.raises(Exception, match="cannot be deleted"):
                PluginDriver(plugin, CFG).delete_resource(resource=res, location=HERE)
            kept.append((kind, rid))
            continue
        PluginDriver(plugin, CFG).delete_resource(resource=res, location=HERE)
    after = collect(CFG)
    left = {(k, r) for k, r in kinds(domain_id) if r in after.by_id(k)}
    assert left == {*kept, ("aws_sagemaker_processing_job", "prep")}
