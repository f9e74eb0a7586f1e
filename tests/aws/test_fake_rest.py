"""The rest-json fake refuses bodies that do not follow the service model, and routes by the model."""

from __future__ import annotations

import pytest
from aws.fake_rest import RestJsonFake
from aws.support_aws import client


def test_bodies_are_checked_against_the_output_shape() -> None:
    fake = RestJsonFake("backup")
    fake.on("ListFrameworks", {"Frameworks": [{"FrameworkName": "f", "NumberOfControls": 1}]})
    with pytest.raises(AssertionError, match="no body member 'Name'"):
        fake.on("ListFrameworks", {"Frameworks": [{"Name": "f"}]})
    with pytest.raises(AssertionError, match="wants an integer"):
        fake.on("ListFrameworks", {"Frameworks": [{"NumberOfControls": "1"}]})
    with pytest.raises(AssertionError, match="is not one of"):
        fake.on("ListBackupVaults", {"BackupVaultList": [{"VaultType": "NOPE"}]})
    with pytest.raises(AssertionError, match="requires 'modelId'"):
        RestJsonFake("bedrock").on("ListFoundationModels", {"modelSummaries": [{"modelArn": "a"}]})


def test_a_botocore_client_reaches_the_fake(moto_endpoint: str) -> None:
    with RestJsonFake("backup") as fake:
        fake.on("ListRecoveryPointsByBackupVault", {"RecoveryPoints": [{"RecoveryPointArn": "rp"}]})
        answer = client("backup").list_recovery_points_by_backup_vault(BackupVaultName="my vault")
        assert answer["RecoveryPoints"] == [{"RecoveryPointArn": "rp"}]
        (call,) = fake.calls()
        assert call.op == "ListRecoveryPointsByBackupVault" and call.labels == {"BackupVaultName": "my vault"}
        with pytest.raises(Exception, match="ResourceNotFoundException"):
            client("backup").list_frameworks()
