"""AWS Config recorders against moto: collected with status and role edge; deleted.

moto keeps no tags on configuration recorders (its ``TagResource`` knows rules and aggregators
only), so recorder tagging is covered by the definitions check alone.
"""

from __future__ import annotations

import json
from typing import Any

from aws.support_aws import ACCOUNT, Collected, client, collect
from resoto_hookspecs import Location
from resoto_hookspecs.testing import PluginDriver
from resoto_plugin_aws import plugin
from resoto_plugin_aws.config import AwsConfig
from resoto_plugin_aws.registry import kind_of

REGION = "us-east-1"
CFG = AwsConfig(region=[REGION], collect=["aws_config_recorder", "aws_iam_role"])
HERE = Location("aws", ACCOUNT, REGION)
TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "config.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ],
}


def seed() -> str:
    role = client("iam").create_role(RoleName="config-role", AssumeRolePolicyDocument=json.dumps(TRUST))[
        "Role"
    ]
    cfg = client("config")
    cfg.put_configuration_recorder(
        ConfigurationRecorder={
            "name": "default",
            "roleARN": role["Arn"],
            "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": True},
        }
    )
    cfg.put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": "config-bucket"})
    cfg.start_configuration_recorder(ConfigurationRecorderName="default")
    return str(role["Arn"])


def resource(result: Collected, kind: str, rid: str) -> Any:
    reported = dict(result.by_id(kind)[rid])
    reported.pop("kind")
    found = kind_of(kind)
    assert found is not None
    return found.cls.model_validate(reported)


def test_recorder_is_collected_with_status_and_role(moto: str) -> None:
    client("s3").create_bucket(Bucket="config-bucket")
    role_arn = seed()
    result = collect(CFG)
    assert not result.failures
    assert not result.reporter.errors
    recorders = result.by_id("aws_config_recorder")
    assert set(recorders) == {"default"}
    rec = recorders["default"]
    assert rec["role_arn"] == role_arn
    assert rec["recording"] is True
    assert rec["all_supported"] is True
    assert rec["include_global_resource_types"] is True
    assert rec["last_start_time"] is not None
    role_nid = result.nid("aws_iam_role", "config-role")
    assert result.edge(role_nid, result.nid("aws_config_recorder", "default"))
    # the status of every recorder of a region comes from one call
    assert result.reporter.calls[("config", "DescribeConfigurationRecorderStatus")] == 1


def test_recorder_is_deleted(moto: str) -> None:
    client("s3").create_bucket(Bucket="config-bucket")
    seed()
    result = collect(CFG)
    rec = resource(result, "aws_config_recorder", "default")
    assert PluginDriver(plugin, CFG).check_resource(resource=rec, location=HERE) is not None
    cfg = client("config")
    cfg.stop_configuration_recorder(ConfigurationRecorderName="default")
    PluginDriver(plugin, CFG).delete_resource(resource=rec, location=HERE)
    assert cfg.describe_configuration_recorders()["ConfigurationRecorders"] == []
    assert PluginDriver(plugin, CFG).check_resource(resource=rec, location=HERE) is None
