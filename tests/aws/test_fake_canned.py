"""The canned-answer fake refuses bodies the service model does not allow and records what it was sent."""

from __future__ import annotations

import pytest
from aws.support_aws import canned_fakes, client
from fakes.aws.canned import CannedFake, error
from fakes.aws.restjson import FakeBodyInvalid


def test_registered_bodies_are_checked_against_the_output_shape() -> None:
    fake = CannedFake("backup")
    fake.on("ListFrameworks", {"Frameworks": [{"FrameworkName": "f", "NumberOfControls": 1}]})
    with pytest.raises(FakeBodyInvalid, match="Unknown parameter"):
        fake.on("ListFrameworks", {"Frameworks": [{"Name": "f"}]})
    with pytest.raises(FakeBodyInvalid, match="Invalid type"):
        fake.on("ListFrameworks", {"Frameworks": [{"NumberOfControls": "1"}]})
    with pytest.raises(FakeBodyInvalid, match="Missing required parameter"):
        CannedFake("bedrock").on("ListFoundationModels", {"modelSummaries": [{"modelArn": "a"}]})


def test_a_botocore_client_reaches_the_fake(moto_endpoint: str) -> None:
    for opened in canned_fakes("backup"):
        fake = opened["backup"]
        fake.on("ListRecoveryPointsByBackupVault", {"RecoveryPoints": [{"RecoveryPointArn": "rp"}]})
        fake.on("ListFrameworks", error("AccessDeniedException", 403))
        answer = client("backup").list_recovery_points_by_backup_vault(BackupVaultName="my vault")
        assert answer["RecoveryPoints"] == [{"RecoveryPointArn": "rp"}]
        assert fake.calls("ListRecoveryPointsByBackupVault") == [{"BackupVaultName": "my vault"}]
        with pytest.raises(Exception, match="AccessDeniedException"):
            client("backup").list_frameworks()
        with pytest.raises(Exception, match="UnknownOperationException"):
            client("backup").list_legal_holds()
