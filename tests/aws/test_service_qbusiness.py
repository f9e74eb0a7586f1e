"""Amazon Q Business and Q Apps against HTTP fakes of their REST APIs (moto serves neither): every
kind collected below its application with tags and edges; deleted and tagged where the API allows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from aws.support_aws import ACCOUNT, Collected, as_resource, canned_fakes, client, collect
from fakes.aws.canned import CannedFake
from fakes.aws.restjson import AwsError
from resoto_hookspecs import Location
from resoto_hookspecs.testing import PluginDriver
from resoto_plugin_aws import plugin
from resoto_plugin_aws.config import AwsConfig

REGION = "us-east-1"
APP_ID = "11111111-1111-1111-1111-111111111111"
INDEX_ID = "22222222-2222-2222-2222-222222222222"
DS_ID = "33333333-3333-3333-3333-333333333333"
CONV_ID = "44444444-4444-4444-4444-444444444444"
PLUGIN_ID = "55555555-5555-5555-5555-555555555555"
RETRIEVER_ID = "66666666-6666-6666-6666-666666666666"
RUN_ID = "88888888-8888-8888-8888-888888888888"
MSG_ID = "99999999-9999-9999-9999-999999999999"
QAPP_ID = "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa"
ITEM_ID = "bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb"
WEB_ID = "77777777-7777-7777-7777-777777777777"
HERE = Location("aws", ACCOUNT, REGION)
ALL = AwsConfig(region=[REGION], collect=["aws_q_*"])
ARN = f"arn:aws:qbusiness:{REGION}:{ACCOUNT}:application/{APP_ID}"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/qrole"
T0 = 1767225600.0
IDS = {
    "aws_q_business_application": APP_ID,
    "aws_q_business_indice": INDEX_ID,
    "aws_q_business_data_source": DS_ID,
    "aws_q_business_data_source_sync_job": RUN_ID,
    "aws_q_business_document": f"{INDEX_ID}/s3://docs/a.pdf",
    "aws_q_business_conversation": CONV_ID,
    "aws_q_business_message": MSG_ID,
    "aws_q_business_plugin": PLUGIN_ID,
    "aws_q_business_retriever": RETRIEVER_ID,
    "aws_q_business_web_experience": WEB_ID,
    "aws_q_apps": QAPP_ID,
    "aws_q_apps_library_item": ITEM_ID,
}
ARNS = {
    "aws_q_business_application": ARN,
    "aws_q_business_indice": f"{ARN}/index/{INDEX_ID}",
    "aws_q_business_data_source": f"{ARN}/index/{INDEX_ID}/data-source/{DS_ID}",
    "aws_q_business_plugin": f"{ARN}/plugin/{PLUGIN_ID}",
    "aws_q_business_retriever": f"{ARN}/retriever/{RETRIEVER_ID}",
    "aws_q_business_web_experience": f"{ARN}/web-experience/{WEB_ID}",
    "aws_q_apps": f"arn:aws:qapps:{REGION}:{ACCOUNT}:application/{APP_ID}/qapp/{QAPP_ID}",
}
TAGGED = set(ARNS.values())


def _in_app(request: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    """Answer only for the application (and index) the fake holds: a wrong id is a wrong call."""
    if request.get("applicationId", APP_ID) != APP_ID or request.get("indexId", INDEX_ID) != INDEX_ID:
        raise AwsError("ResourceNotFoundException", f"no such application or index: {request}", 404)
    return body


def _qbusiness(f: CannedFake) -> None:
    app = {
        "displayName": "helpdesk",
        "applicationId": APP_ID,
        "createdAt": T0,
        "status": "ACTIVE",
    }
    f.on("ListApplications", {"applications": [{**app, "identityType": "AWS_IAM_IDP_OIDC"}]})
    f.on(
        "GetApplication",
        {**app, "applicationArn": ARN, "roleArn": ROLE, "encryptionConfiguration": {"kmsKeyId": "k-1"}},
    )
    index = {
        "displayName": "main",
        "indexId": INDEX_ID,
        "createdAt": T0,
        "status": "ACTIVE",
    }
    f.on("ListIndices", lambda r: _in_app(r, {"indices": [index]}))
    f.on(
        "GetIndex",
        {
            **index,
            "applicationId": APP_ID,
            "indexArn": ARNS["aws_q_business_indice"],
            "type": "ENTERPRISE",
            "capacityConfiguration": {"units": 1},
            "indexStatistics": {"textDocumentStatistics": {"indexedTextDocumentCount": 42}},
        },
    )
    ds = {
        "displayName": "s3 docs",
        "dataSourceId": DS_ID,
        "type": "S3",
        "createdAt": T0,
        "status": "ACTIVE",
    }
    f.on("ListDataSources", lambda r: _in_app(r, {"dataSources": [ds]}))
    f.on(
        "GetDataSource",
        lambda r: _in_app(
            r,
            {
                "applicationId": APP_ID,
                "indexId": INDEX_ID,
                "dataSourceId": DS_ID,
                "dataSourceArn": ARNS["aws_q_business_data_source"],
                "roleArn": ROLE,
            },
        ),
    )
    f.on(
        "ListDataSourceSyncJobs",
        lambda r: _in_app(
            r,
            {
                "history": [
                    {
                        "executionId": RUN_ID,
                        "startTime": T0,
                        "endTime": T0 + 60,
                        "status": "SUCCEEDED",
                        "metrics": {"documentsAdded": "3", "documentsFailed": "0"},
                    }
                ]
            },
        ),
    )
    f.on(
        "ListDocuments",
        lambda r: _in_app(
            r,
            {"documentDetailList": [{"documentId": "s3://docs/a.pdf", "status": "INDEXED", "createdAt": T0}]},
        ),
    )
    f.on(
        "ListConversations",
        lambda r: _in_app(
            r,
            {
                "conversations": [
                    {
                        "conversationId": CONV_ID,
                        "title": "vpn",
                        "startTime": T0,
                    }
                ]
            },
        ),
    )
    f.on(
        "ListMessages",
        lambda r: _in_app(
            r, {"messages": [{"messageId": MSG_ID, "body": "how?", "time": T0, "type": "USER"}]}
        ),
    )
    f.on(
        "ListPlugins",
        {
            "plugins": [
                {
                    "pluginId": PLUGIN_ID,
                    "displayName": "jira",
                    "type": "JIRA",
                    "state": "ENABLED",
                    "createdAt": T0,
                }
            ]
        },
    )
    f.on(
        "GetPlugin",
        {
            "applicationId": APP_ID,
            "pluginId": PLUGIN_ID,
            "pluginArn": ARNS["aws_q_business_plugin"],
        },
    )
    f.on(
        "ListRetrievers",
        {
            "retrievers": [
                {
                    "applicationId": APP_ID,
                    "retrieverId": RETRIEVER_ID,
                    "type": "NATIVE_INDEX",
                    "status": "ACTIVE",
                }
            ]
        },
    )
    f.on(
        "GetRetriever",
        {
            "applicationId": APP_ID,
            "retrieverId": RETRIEVER_ID,
            "retrieverArn": ARNS["aws_q_business_retriever"],
            "configuration": {"nativeIndexConfiguration": {"indexId": INDEX_ID}},
            "roleArn": ROLE,
            "createdAt": T0,
        },
    )
    f.on(
        "ListWebExperiences",
        {
            "webExperiences": [
                {
                    "webExperienceId": WEB_ID,
                    "createdAt": T0,
                    "status": "ACTIVE",
                }
            ]
        },
    )
    f.on(
        "GetWebExperience",
        {
            "applicationId": APP_ID,
            "webExperienceId": WEB_ID,
            "webExperienceArn": ARNS["aws_q_business_web_experience"],
        },
    )
    f.on(
        "ListTagsForResource",
        lambda r: {"tags": [{"key": "owner", "value": "tests"}] if r["resourceARN"] in TAGGED else []},
    )
    for op in (
        "TagResource",
        "UntagResource",
        "DeleteApplication",
        "DeleteIndex",
        "DeleteDataSource",
        "DeleteConversation",
        "DeletePlugin",
        "DeleteRetriever",
        "DeleteWebExperience",
    ):
        f.on(op, {})
    f.on("BatchDeleteDocument", {"failedDocuments": []})


def _qapps(f: CannedFake) -> None:
    def by_instance(body: dict[str, Any]) -> Any:
        return lambda r: _in_app({"applicationId": r.get("instanceId")}, body)

    f.on(
        "ListQApps",
        by_instance(
            {
                "apps": [
                    {
                        "appId": QAPP_ID,
                        "appArn": ARNS["aws_q_apps"],
                        "title": "summarize",
                        "createdAt": T0,
                        "status": "PUBLISHED",
                    }
                ]
            }
        ),
    )
    f.on(
        "ListLibraryItems",
        by_instance(
            {
                "libraryItems": [
                    {
                        "libraryItemId": ITEM_ID,
                        "appId": QAPP_ID,
                        "appVersion": 1,
                        "categories": [{"id": "c", "title": "Productivity"}],
                        "status": "PUBLISHED",
                        "createdAt": T0,
                        "createdBy": "me",
                        "ratingCount": 2,
                    }
                ]
            }
        ),
    )
    f.on(
        "ListTagsForResource",
        lambda r: {"tags": {"owner": "tests"} if r["resourceARN"] in TAGGED else {}},
    )
    for op in ("TagResource", "UntagResource", "DeleteQApp", "DeleteLibraryItem"):
        f.on(op, {})


@pytest.fixture()
def fake(moto_endpoint: str) -> Iterator[dict[str, CannedFake]]:
    for opened in canned_fakes("qbusiness", "qapps"):
        _qbusiness(opened["qbusiness"])
        _qapps(opened["qapps"])
        yield opened


@pytest.fixture()
def collected(fake: dict[str, CannedFake]) -> Collected:
    result = collect(ALL)
    assert not result.failures and result.reporter.errors == []
    return result


def test_every_kind_collected_with_tags(collected: Collected) -> None:
    for kind, rid in IDS.items():
        found = collected.by_id(kind)
        assert set(found) == {rid}, kind
        if kind in ARNS:
            assert found[rid]["tags"] == {"owner": "tests"} and found[rid]["arn"] == ARNS[kind], kind
    app = collected.by_id("aws_q_business_application")[APP_ID]
    assert app["role_arn"] == ROLE and app["kms_key_id"] == "k-1" and app["name"] == "helpdesk"
    index = collected.by_id("aws_q_business_indice")[INDEX_ID]
    assert index["indexed_documents"] == 42 and index["application_id"] == APP_ID
    job = collected.by_id("aws_q_business_data_source_sync_job")[RUN_ID]
    assert job["data_source_id"] == DS_ID and job["documents_added"] == "3"
    assert "body" not in collected.by_id("aws_q_business_message")[MSG_ID]
    item = collected.by_id("aws_q_apps_library_item")[ITEM_ID]
    assert item["categories"] == ["Productivity"] and item["instance_id"] == APP_ID


def test_edges(collected: Collected) -> None:
    n = collected.nid
    app, index = (
        n("aws_q_business_application", APP_ID),
        n("aws_q_business_indice", INDEX_ID),
    )
    ds = n("aws_q_business_data_source", DS_ID)
    conversation = n("aws_q_business_conversation", CONV_ID)
    assert collected.edge(app, index) and collected.edge(index, ds)
    assert collected.edge(ds, n("aws_q_business_data_source_sync_job", RUN_ID))
    assert collected.edge(index, n("aws_q_business_document", IDS["aws_q_business_document"]))
    assert collected.edge(app, conversation) and collected.edge(
        conversation, n("aws_q_business_message", MSG_ID)
    )
    for kind in ("plugin", "retriever", "web_experience"):
        assert collected.edge(app, n(f"aws_q_business_{kind}", IDS[f"aws_q_business_{kind}"])), kind
    assert collected.edge(index, n("aws_q_business_retriever", RETRIEVER_ID))
    qapp = n("aws_q_apps", QAPP_ID)
    assert collected.edge(app, qapp) and collected.edge(qapp, n("aws_q_apps_library_item", ITEM_ID), "delete")


def test_role_edge(moto: str, fake: dict[str, CannedFake]) -> None:
    import json

    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole"}]}
    client("iam").create_role(RoleName="qrole", AssumeRolePolicyDocument=json.dumps(trust))
    result = collect(AwsConfig(region=[REGION], collect=["aws_q_business_application", "aws_iam_role"]))
    assert result.edge(
        result.nid("aws_iam_role", "qrole"),
        result.nid("aws_q_business_application", APP_ID),
    )


DELETES = {
    "aws_q_business_application": (
        "qbusiness",
        "DeleteApplication",
        {"applicationId": APP_ID},
    ),
    "aws_q_business_indice": (
        "qbusiness",
        "DeleteIndex",
        {
            "applicationId": APP_ID,
            "indexId": INDEX_ID,
        },
    ),
    "aws_q_business_data_source": (
        "qbusiness",
        "DeleteDataSource",
        {
            "applicationId": APP_ID,
            "indexId": INDEX_ID,
            "dataSourceId": DS_ID,
        },
    ),
    "aws_q_business_conversation": (
        "qbusiness",
        "DeleteConversation",
        {
            "applicationId": APP_ID,
            "conversationId": CONV_ID,
        },
    ),
    "aws_q_business_plugin": (
        "qbusiness",
        "DeletePlugin",
        {
            "applicationId": APP_ID,
            "pluginId": PLUGIN_ID,
        },
    ),
    "aws_q_business_retriever": (
        "qbusiness",
        "DeleteRetriever",
        {
            "applicationId": APP_ID,
            "retrieverId": RETRIEVER_ID,
        },
    ),
    "aws_q_business_web_experience": (
        "qbusiness",
        "DeleteWebExperience",
        {
            "applicationId": APP_ID,
            "webExperienceId": WEB_ID,
        },
    ),
    "aws_q_business_document": (
        "qbusiness",
        "BatchDeleteDocument",
        {"applicationId": APP_ID, "indexId": INDEX_ID, "documents": [{"documentId": "s3://docs/a.pdf"}]},
    ),
    "aws_q_apps": ("qapps", "DeleteQApp", {"instanceId": APP_ID, "appId": QAPP_ID}),
    "aws_q_apps_library_item": (
        "qapps",
        "DeleteLibraryItem",
        {"instanceId": APP_ID, "libraryItemId": ITEM_ID},
    ),
}


@pytest.mark.parametrize("kind", sorted(DELETES))
def test_delete(fake: dict[str, CannedFake], collected: Collected, kind: str) -> None:
    service, op, params = DELETES[kind]
    PluginDriver(plugin, ALL).delete_resource(resource=as_resource(collected, kind, IDS[kind]), location=HERE)
    assert fake[service].calls(op) == [params]


@pytest.mark.parametrize("kind", sorted(ARNS))
def test_tag_untag(fake: dict[str, CannedFake], collected: Collected, kind: str) -> None:
    res = as_resource(collected, kind, IDS[kind])
    PluginDriver(plugin, ALL).update_tag(resource=res, location=HERE, key="team", value="it")
    PluginDriver(plugin, ALL).delete_tag(resource=res, location=HERE, key="owner")
    f = fake["qapps" if kind == "aws_q_apps" else "qbusiness"]
    value: Any = {"team": "it"} if kind == "aws_q_apps" else [{"key": "team", "value": "it"}]
    assert f.calls("TagResource") == [{"resourceARN": res.arn, "tags": value}]
    assert f.calls("UntagResource") == [{"resourceARN": res.arn, "tagKeys": ["owner"]}]


def test_messages_and_sync_jobs_cannot_be_deleted(collected: Collected) -> None:
    for kind in ("aws_q_business_message", "aws_q_business_data_source_sync_job"):
        with pytest.raises(Exception, match="cannot be deleted"):
            PluginDriver(plugin, ALL).delete_resource(
                resource=as_resource(collected, kind, IDS[kind]), location=HERE
            )
