"""The IAM policy printed for collect names every API call a collection makes."""

from __future__ import annotations

from aws.seed_small import REGION, seed_all
from aws.support_aws import collect
from resoto_plugin_aws.config import AwsConfig
from resoto_plugin_aws.iam_policy import action, policy_document


def test_policy_covers_every_call_of_a_collection(moto: str) -> None:
    seed_all()
    result = collect(AwsConfig(region=[REGION]))
    assert result.failures == {}
    called = {action(service, op) for service, op in result.reporter.calls}
    assert len(called) > 40
    allowed = set(policy_document()["Statement"][0]["Action"])
    assert called - allowed == set()


def test_policy_with_cleanup_and_tagging() -> None:
    doc = policy_document(include_cleanup=True, include_tagging=True)
    sids = [s["Sid"] for s in doc["Statement"]]
    assert sids == ["ResotoCollect", "ResotoCleanup", "ResotoTagging"]
    cleanup = set(doc["Statement"][1]["Action"])
    tagging = set(doc["Statement"][2]["Action"])
    assert {"ec2:TerminateInstances", "iam:DeleteUser", "iam:DeleteAccessKey", "s3:DeleteBucket"} <= cleanup
    assert {"ec2:CreateTags", "ec2:DeleteTags", "s3:PutBucketTagging", "iam:TagRole"} <= tagging
    assert not any(a.endswith(":*") for s in doc["Statement"] for a in s["Action"])
    assert set(doc["Statement"][0]["Action"]).isdisjoint({"ec2:TerminateInstances", "ec2:CreateTags"})


def test_action_prefixes_are_the_services_signing_names() -> None:
    """IAM names a service's actions after its signing name (``bedrock-agent`` -> ``bedrock:``,
    ``efs`` -> ``elasticfilesystem:``); CloudWatch (signs as ``monitoring``) and S3 Control are the
    exceptions, mapped by hand."""
    import botocore.session
    from resoto_plugin_aws.registry import all_kinds

    session = botocore.session.get_session()
    for service in sorted({k.service for k in all_kinds().values()} - {"cloudwatch", "s3control"}):
        meta = session.get_service_model(service).metadata
        prefix = action(service, "ListX").split(":")[0]  # API Gateway's actions are HTTP verbs
        assert prefix == meta.get("signingName", meta["endpointPrefix"]), service


def test_policy_names_the_backup_bedrock_and_q_calls() -> None:
    doc = policy_document(include_cleanup=True, include_tagging=True)
    collect_, cleanup, tagging = (set(s["Action"]) for s in doc["Statement"])
    assert {
        "backup:ListRecoveryPointsByBackupVault",
        "backup:ListTags",
        "bedrock:ListFoundationModels",
        "bedrock:GetAgent",
        "qbusiness:ListApplications",
        "qbusiness:ListMessages",
        "qapps:ListQApps",
    } <= collect_
    assert {"backup:DeleteRecoveryPoint", "bedrock:DeleteAgent", "qbusiness:BatchDeleteDocument"} <= cleanup
    assert {
        "backup:TagResource",
        "bedrock:UntagResource",
        "qbusiness:TagResource",
        "qapps:TagResource",
    } <= tagging
