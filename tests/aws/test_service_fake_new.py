"""New-service kinds (or calls) moto cannot serve, through real botocore clients and HTTP fakes whose
answers botocore's validator checked against the service models:

* DocumentDB clusters (query protocol; moto's RDS refuses the ``docdb`` engine): collected with tags
  and the engine filter, tagged, untagged, deleted;
* App Runner services (json; no App Runner in moto): collected with tags, tagged, untagged, deleted;
* Transfer Family servers' tag calls (moto has no ``TagResource`` for them).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from aws.fake_service import serving
from aws.support_aws import ACCOUNT, collect
from resoto_hookspecs import Location
from resoto_hookspecs.testing import PluginDriver
from resoto_plugin_aws import plugin
from resoto_plugin_aws.config import AwsConfig
from resoto_plugin_aws.registry import kind_of

REGION = "us-east-1"
HERE = Location("aws", ACCOUNT, REGION)
WHEN = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
OWNER = [{"Key": "owner", "Value": "tests"}]


def test_docdb_cluster(moto: str, monkeypatch: pytest.MonkeyPatch) -> None:
    arn = f"arn:aws:rds:{REGION}:{ACCOUNT}:cluster:docs"
    cluster = {
        "DBClusterIdentifier": "docs",
        "DBClusterArn": arn,
        "Engine": "docdb",
        "EngineVersion": "5.0.0",
        "Status": "available",
        "Endpoint": "docs.cluster-x.docdb.amazonaws.com",
        "Port": 27017,
        "StorageEncrypted": True,
        "ClusterCreateTime": WHEN,
        "DBClusterMembers": [{"DBInstanceIdentifier": "docs-1", "IsClusterWriter": True}],
        "VpcSecurityGroups": [{"VpcSecurityGroupId": "sg-1", "Status": "active"}],
        "DeletionProtection": False,
    }
    answers = {
        "DescribeDBClusters": {"DBClusters": [cluster]},
        "ListTagsForResource": {"TagList": OWNER},
        "AddTagsToResource": {},
        "RemoveTagsFromResource": {},
        "DeleteDBCluster": {"DBCluster": cluster},
    }
    cfg = AwsConfig(region=[REGION], collect=["aws_docdb_cluster"])
    with serving(monkeypatch, "docdb", answers) as fake:
        result = collect(cfg)
        assert not result.failures and result.reporter.errors == []
        found = result.by_id("aws_docdb_cluster")["docs"]
        assert found["arn"] == arn and found["tags"] == {"owner": "tests"}
        assert found["cluster_port"] == 27017 and found["cluster_member_ids"] == ["docs-1"]
        (listed,) = fake.calls("DescribeDBClusters")
        assert (
            listed["Filters.Filter.1.Name"] == "engine"
            and listed["Filters.Filter.1.Values.Value.1"] == "docdb"
        )
        res = result.resource("aws_docdb_cluster", "docs")
        PluginDriver(plugin, cfg).update_tag(resource=res, location=HERE, key="team", value="docs")
        PluginDriver(plugin, cfg).delete_tag(resource=res, location=HERE, key="owner")
        (added,) = fake.calls("AddTagsToResource")
        assert added["ResourceName"] == arn and added["Tags.Tag.1.Key"] == "team"
        (removed,) = fake.calls("RemoveTagsFromResource")
        assert removed["TagKeys.member.1"] == "owner"
        PluginDriver(plugin, cfg).delete_resource(resource=res, location=HERE)
        (deleted,) = fake.calls("DeleteDBCluster")
        assert deleted["DBClusterIdentifier"] == "docs" and deleted["SkipFinalSnapshot"] == "true"


def test_apprunner_service(moto: str, monkeypatch: pytest.MonkeyPatch) -> None:
    arn = f"arn:aws:apprunner:{REGION}:{ACCOUNT}:service/webapp/8fe1e10304f84fd2b0df550fe98a71fa"
    summary = {
        "ServiceName": "webapp",
        "ServiceId": "8fe1e10304f84fd2b0df550fe98a71fa",
        "ServiceArn": arn,
        "ServiceUrl": "abc.us-east-1.awsapprunner.com",
        "CreatedAt": WHEN,
        "UpdatedAt": WHEN,
        "Status": "RUNNING",
    }
    pages = iter(
        [{"ServiceSummaryList": [], "NextToken": "page-2"}, {"ServiceSummaryList": [summary]}]
    )  # an empty first page with a token: the plugin follows it without a botocore paginator
    answers: dict[str, Any] = {
        "ListServices": lambda _args: next(pages),
        "ListTagsForResource": {"Tags": OWNER},
        "TagResource": {},
        "UntagResource": {},
        "DeleteService": {
            "Service": {
                "ServiceName": "webapp",
                "ServiceId": summary["ServiceId"],
                "ServiceArn": arn,
                "CreatedAt": WHEN,
                "UpdatedAt": WHEN,
                "Status": "OPERATION_IN_PROGRESS",
                "SourceConfiguration": {},
                "InstanceConfiguration": {},
                "AutoScalingConfigurationSummary": {},
                "NetworkConfiguration": {},
            },
            "OperationId": "0f6a5b2e-3c1d-4e7f-9a8b-1c2d3e4f5a6b",
        },
    }
    cfg = AwsConfig(region=[REGION], collect=["aws_apprunner_service"])
    with serving(monkeypatch, "apprunner", answers) as fake:
        result = collect(cfg)
        assert not result.failures and result.reporter.errors == []
        found = result.by_id("aws_apprunner_service")["webapp"]
        assert (
            found["arn"] == arn
            and found["tags"] == {"owner": "tests"}
            and found["service_status"] == "RUNNING"
        )
        assert [c.get("NextToken") for c in fake.calls("ListServices")] == [None, "page-2"]
        res = result.resource("aws_apprunner_service", "webapp")
        PluginDriver(plugin, cfg).update_tag(resource=res, location=HERE, key="team", value="web")
        PluginDriver(plugin, cfg).delete_tag(resource=res, location=HERE, key="owner")
        PluginDriver(plugin, cfg).delete_resource(resource=res, location=HERE)
        assert fake.calls("TagResource")[0]["Tags"] == [{"Key": "team", "Value": "web"}]
        assert fake.calls("UntagResource")[0]["TagKeys"] == ["owner"]
        assert fake.calls("DeleteService")[0]["ServiceArn"] == arn


def test_transfer_server_tag_calls(moto: str, monkeypatch: pytest.MonkeyPatch) -> None:
    kind = kind_of("aws_transfer_server")
    assert kind is not None
    arn = f"arn:aws:transfer:{REGION}:{ACCOUNT}:server/s-1"
    server = kind.cls(id="s-1", arn=arn)
    cfg = AwsConfig(region=[REGION])
    with serving(monkeypatch, "transfer", {"TagResource": {}, "UntagResource": {}}) as fake:
        PluginDriver(plugin, cfg).update_tag(resource=server, location=HERE, key="team", value="files")
        PluginDriver(plugin, cfg).delete_tag(resource=server, location=HERE, key="owner")
        assert fake.calls("TagResource")[0]["Arn"] == arn
        assert fake.calls("TagResource")[0]["Tags"] == [{"Key": "team", "Value": "files"}]
        assert fake.calls("UntagResource")[0]["TagKeys"] == ["owner"]
