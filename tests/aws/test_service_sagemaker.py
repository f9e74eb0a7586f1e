"""SageMaker against moto: notebook, model, endpoint config, endpoint and training job collected
with tags and edges; tagged, untagged, checked and deleted in order."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws.support_aws import ACCOUNT, NO_MOTO, Collected, client, collect, delete_order
from resoto_hookspecs import Location
from resoto_hookspecs.testing import PluginDriver
from resoto_plugin_aws import plugin
from resoto_plugin_aws.config import AwsConfig
from resoto_plugin_aws.registry import kind_of

REGION = "us-east-1"
CFG = AwsConfig(region=[REGION], collect=["aws_sagemaker_*"], no_collect=NO_MOTO)
HERE = Location("aws", ACCOUNT, REGION)
TAGS = [{"Key": "owner", "Value": "tests"}]
IMAGE = "382416733822.dkr.ecr.us-east-1.amazonaws.com/linear-learner:1"


def seed() -> None:
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole"}]}
    role = client("iam").create_role(RoleName="sm", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    sm = client("sagemaker")
    sm.create_notebook_instance(
        NotebookInstanceName="lab", InstanceType="ml.t3.medium", RoleArn=role, Tags=TAGS
    )
    sm.create_model(ModelName="churn", ExecutionRoleArn=role, PrimaryContainer={"Image": IMAGE}, Tags=TAGS)
    sm.create_endpoint_config(
        EndpointConfigName="churn-cfg",
        ProductionVariants=[
            {
                "VariantName": "v1",
                "ModelName": "churn",
                "InitialInstanceCount": 1,
                "InstanceType": "ml.m5.large",
            }
        ],
        Tags=TAGS,
    )
    sm.create_endpoint(EndpointName="churn-live", EndpointConfigName="churn-cfg", Tags=TAGS)
    sm.create_training_job(
        TrainingJobName="churn-train",
        AlgorithmSpecification={"TrainingImage": IMAGE, "TrainingInputMode": "File"},
        RoleArn=role,
        OutputDataConfig={"S3OutputPath": "s3://models/out"},
        ResourceConfig={"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 10},
        StoppingCondition={"MaxRuntimeInSeconds": 3600},
        Tags=TAGS,
    )


@pytest.fixture()
def seeded(moto: str) -> Collected:
    seed()
    result = collect(CFG)
    assert not result.failures and result.reporter.errors == []
    return result


def resource(result: Collected, kind: str, rid: str) -> Any:
    reported = dict(result.by_id(kind)[rid])
    reported.pop("kind")
    found = kind_of(kind)
    assert found is not None
    return found.cls.model_validate(reported)


KINDS = [
    ("aws_sagemaker_notebook", "lab"),
    ("aws_sagemaker_model", "churn"),
    ("aws_sagemaker_endpoint_config", "churn-cfg"),
    ("aws_sagemaker_endpoint", "churn-live"),
    ("aws_sagemaker_training_job", "churn-train"),
]


def test_collected_with_tags_and_edges(seeded: Collected) -> None:
    for kind, rid in KINDS:
        found = seeded.by_id(kind)[rid]
        assert found["tags"] == {"owner": "tests"}, kind
        assert found["arn"].startswith(f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:"), kind
        assert "ctime" in found, kind
    assert seeded.by_id("aws_sagemaker_notebook")["lab"]["instance_type"] == "ml.t3.medium"
    assert seeded.by_id("aws_sagemaker_endpoint_config")["churn-cfg"]["model_names"] == ["churn"]
    assert seeded.by_id("aws_sagemaker_endpoint")["churn-live"]["endpoint_config_name"] == "churn-cfg"
    model = seeded.nid("aws_sagemaker_model", "churn")
    cfg = seeded.nid("aws_sagemaker_endpoint_config", "churn-cfg")
    endpoint = seeded.nid("aws_sagemaker_endpoint", "churn-live")
    assert seeded.edge(cfg, model) and seeded.edge(cfg, endpoint) and seeded.edge(cfg, endpoint, "delete")
    assert delete_order({cfg, endpoint}, seeded.sink.edges) == [endpoint, cfg]


@pytest.mark.parametrize(("kind", "rid"), KINDS)
def test_tag_untag_check(seeded: Collected, kind: str, rid: str) -> None:
    res = resource(seeded, kind, rid)
    PluginDriver(plugin, CFG).update_tag(resource=res, location=HERE, key="team", value="ml")
    PluginDriver(plugin, CFG).delete_tag(resource=res, location=HERE, key="owner")
    assert client("sagemaker").list_tags(ResourceArn=res.arn)["Tags"] == [{"Key": "team", "Value": "ml"}]
    current = PluginDriver(plugin, CFG).check_resource(resource=res, location=HERE)
    assert current is not None and current.tags == {"team": "ml"}


def test_delete(seeded: Collected) -> None:
    for kind, rid in KINDS[:4][::-1]:  # endpoint, config, model, notebook (stopped first)
        res = resource(seeded, kind, rid)
        PluginDriver(plugin, CFG).pre_cleanup(resource=res, location=HERE)
        PluginDriver(plugin, CFG).delete_resource(resource=res, location=HERE)
        assert PluginDriver(plugin, CFG).check_resource(resource=res, location=HERE) is None, kind
    job = resource(seeded, "aws_sagemaker_training_job", "churn-train")
    with pytest.raises(Exception, match="cannot be deleted"):
        PluginDriver(plugin, CFG).delete_resource(resource=job, location=HERE)
