"""Amazon Q Business: applications and what hangs below them (indices, data sources and their sync
jobs, documents, conversations and their messages, plugins, retrievers, web experiences).

Everything is listed per application (and per index, data source or conversation below it); a child
item keeps the ids it was listed with under ``_args``. The list calls carry no ARN: taggable kinds
get one ``Get`` per item (ARN, role, key), then one ``ListTagsForResource`` (``[{"key", "value"}]``).
The service exists in a few regions only; elsewhere its endpoint is missing and the kinds are
skipped as "not available".
"""

from __future__ import annotations

from typing import Any, ClassVar

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import Api, Call, Delete, Enrich, Kind, Link, Tagging, TagsAt, arn_name, as_text

SERVICE = "qbusiness"
GONE = ("ResourceNotFoundException",)
TAGGING = Tagging(
    "TagResource", "UntagResource", {"resourceARN": "arn"}, tags_arg="tags", fmt="lower", keys_arg="tagKeys"
)
TAGS = TagsAt("_tags", fmt="lower")
META: dict[str, Any] = {"group": "ai", "icon": "resource"}
APP = "aws_q_business_application"
IN_APP = {"applicationId": "_args.applicationId"}
IN_INDEX = {**IN_APP, "indexId": "_args.indexId"}


def _detail(op: str, args: dict[str, str]) -> Enrich:
    return Enrich(op, args, "@", "_d", ignore=GONE)


def _tags(arn_path: str = "_d") -> Enrich:
    return Enrich("ListTagsForResource", {"resourceARN": arn_path}, "tags", "_tags", ignore=GONE)


def _role(path: str = "_d.roleArn") -> Link:
    return Link("aws_iam_role", path, default="in", to_id=arn_name, global_=True)


class AwsQBusinessResource(AwsResource):
    """Fields every kind below an application has."""

    kind: ClassVar[str] = "aws_q_business_resource"
    kind_metadata: ClassVar[dict[str, Any]] = META
    application_id: str | None = None
    status: str | None = None


class AwsQBusinessApplication(AwsQBusinessResource):
    kind: ClassVar[str] = "aws_q_business_application"
    identity_type: str | None = None
    description: str | None = None
    role_arn: str | None = None
    kms_key_id: str | None = None


class AwsQBusinessIndice(AwsQBusinessResource):
    kind: ClassVar[str] = "aws_q_business_indice"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "ai", "icon": "database"}
    index_type: str | None = None
    capacity_units: int | None = None
    indexed_documents: int | None = None


class AwsQBusinessDataSource(AwsQBusinessResource):
    kind: ClassVar[str] = "aws_q_business_data_source"
    index_id: str | None = None
    data_source_type: str | None = None
    role_arn: str | None = None


class AwsQBusinessDataSourceSyncJob(AwsQBusinessResource):
    kind: ClassVar[str] = "aws_q_business_data_source_sync_job"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "ai", "icon": "job"}
    deletable: ClassVar[bool] = False
    taggable: ClassVar[bool] = False
    index_id: str | None = None
    data_source_id: str | None = None
    end_time: str | None = None
    documents_added: str | None = None
    documents_failed: str | None = None


class AwsQBusinessDocument(AwsQBusinessResource):
    kind: ClassVar[str] = "aws_q_business_document"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "ai", "icon": "document"}
    taggable: ClassVar[bool] = False
    index_id: str | None = None
    document_id: str | None = None


class AwsQBusinessConversation(AwsQBusinessResource):
    kind: ClassVar[str] = "aws_q_business_conversation"
    taggable: ClassVar[bool] = False


class AwsQBusinessMessage(AwsQBusinessResource):
    kind: ClassVar[str] = "aws_q_business_message"
    deletable: ClassVar[bool] = False  # messages go with their conversation
    taggable: ClassVar[bool] = False
    conversation_id: str | None = None
    message_type: str | None = None  # the text is not read into the graph: chats may hold anything


class AwsQBusinessPlugin(AwsQBusinessResource):
    kind: ClassVar[str] = "aws_q_business_plugin"
    plugin_type: str | None = None
    server_url: str | None = None
    build_status: str | None = None


class AwsQBusinessRetriever(AwsQBusinessResource):
    kind: ClassVar[str] = "aws_q_business_retriever"
    retriever_type: str | None = None
    role_arn: str | None = None


class AwsQBusinessWebExperience(AwsQBusinessResource):
    kind: ClassVar[str] = "aws_q_business_web_experience"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "ai", "icon": "endpoint"}
    default_endpoint: str | None = None
    role_arn: str | None = None


def _delete_document(ctx: Api, resource: AwsResource) -> None:
    assert isinstance(resource, AwsQBusinessDocument)
    ctx.call(
        SERVICE,
        "BatchDeleteDocument",
        applicationId=resource.application_id,
        indexId=resource.index_id,
        documents=[{"documentId": resource.document_id}],
    )


def _document_id(item: dict[str, Any]) -> None:
    item["_id"] = f"{item['_args']['indexId']}/{item['documentId']}"  # document ids are the index's own


KINDS = [
    Kind(
        cls=AwsQBusinessApplication,
        service=SERVICE,
        list=Call("ListApplications", "applications[]", page_size=100),
        id="applicationId",
        name="displayName",
        arn="_d.applicationArn",
        ctime="createdAt",
        enrich=(_detail("GetApplication", {"applicationId": "applicationId"}), _tags("_d.applicationArn")),
        tags=TAGS,
        fields={
            "application_id": "applicationId",
            "status": "status",
            "identity_type": "identityType",
            "description": "_d.description",
            "role_arn": "_d.roleArn",
            "kms_key_id": "_d.encryptionConfiguration.kmsKeyId",
        },
        links=(
            _role(),
            Link("aws_kms_key", "_d.encryptionConfiguration.kmsKeyId", default="out", to_id=arn_name),
        ),
        get=Call("GetApplication", "@", item_args={"applicationId": "id"}, gone=GONE),
        delete=Delete("DeleteApplication", {"applicationId": "id"}, gone=GONE),
        tagging=TAGGING,
    ),
    Kind(
        cls=AwsQBusinessIndice,
        service=SERVICE,
        parent=APP,
        list=Call("ListIndices", "indices[]", page_size=100, item_args={"applicationId": "applicationId"}),
        id="indexId",
        name="displayName",
        arn="_d.indexArn",
        ctime="createdAt",
        enrich=(_detail("GetIndex", {**IN_APP, "indexId": "indexId"}), _tags("_d.indexArn")),
        tags=TAGS,
        fields={
            "application_id": "_args.applicationId",
            "status": "status",
            "index_type": "_d.type",
            "capacity_units": "_d.capacityConfiguration.units",
            "indexed_documents": "_d.indexStatistics.textDocumentStatistics.indexedTextDocumentCount",
        },
        delete=Delete("DeleteIndex", {"applicationId": "application_id", "indexId": "id"}, gone=GONE),
        tagging=TAGGING,
    ),
    Kind(
        cls=AwsQBusinessDataSource,
        service=SERVICE,
        parent="aws_q_business_indice",
        list=Call(
            "ListDataSources", "dataSources[]", page_size=10, item_args=IN_INDEX | {"indexId": "indexId"}
        ),
        id="dataSourceId",
        name="displayName",
        arn="_d.dataSourceArn",
        ctime="createdAt",
        enrich=(
            _detail("GetDataSource", {**IN_INDEX, "dataSourceId": "dataSourceId"}),
            _tags("_d.dataSourceArn"),
        ),
        tags=TAGS,
        fields={
            "application_id": "_args.applicationId",
            "index_id": "_args.indexId",
            "status": "status",
            "data_source_type": "type",
            "role_arn": "_d.roleArn",
        },
        links=(_role(),),
        delete=Delete(
            "DeleteDataSource",
            {"applicationId": "application_id", "indexId": "index_id", "dataSourceId": "id"},
            gone=GONE,
        ),
        tagging=TAGGING,
    ),
    Kind(
        cls=AwsQBusinessDataSourceSyncJob,
        service=SERVICE,
        parent="aws_q_business_data_source",
        list=Call(
            "ListDataSourceSyncJobs",
            "history[]",
            page_size=10,
            item_args={**IN_INDEX, "dataSourceId": "dataSourceId"},
        ),
        id="executionId",
        ctime="startTime",
        fields={
            "application_id": "_args.applicationId",
            "index_id": "_args.indexId",
            "data_source_id": "_args.dataSourceId",
            "status": "status",
            "end_time": as_text("endTime"),
            "documents_added": "metrics.documentsAdded",
            "documents_failed": "metrics.documentsFailed",
        },
    ),
    Kind(
        cls=AwsQBusinessDocument,
        service=SERVICE,
        parent="aws_q_business_indice",
        list=Call(
            "ListDocuments",
            "documentDetailList[]",
            page_size=100,
            item_args=IN_INDEX | {"indexId": "indexId"},
        ),
        prepare=_document_id,
        id="_id",
        name="documentId",
        ctime="createdAt",
        fields={
            "application_id": "_args.applicationId",
            "index_id": "_args.indexId",
            "document_id": "documentId",
            "status": "status",
        },
        delete_fn=_delete_document,
        cleanup_iam=("qbusiness:BatchDeleteDocument",),
    ),
    Kind(
        cls=AwsQBusinessConversation,
        service=SERVICE,
        parent=APP,
        list=Call(
            "ListConversations",
            "conversations[]",
            page_size=100,
            item_args={"applicationId": "applicationId"},
        ),
        id="conversationId",
        name="title",
        ctime="startTime",
        fields={"application_id": "_args.applicationId"},
        delete=Delete(
            "DeleteConversation", {"applicationId": "application_id", "conversationId": "id"}, gone=GONE
        ),
    ),
    Kind(
        cls=AwsQBusinessMessage,
        service=SERVICE,
        parent="aws_q_business_conversation",
        list=Call(
            "ListMessages",
            "messages[]",
            page_size=100,
            item_args={**IN_APP, "conversationId": "conversationId"},
        ),
        id="messageId",
        ctime="time",
        fields={
            "application_id": "_args.applicationId",
            "conversation_id": "_args.conversationId",
            "message_type": "type",
        },
    ),
    Kind(
        cls=AwsQBusinessPlugin,
        service=SERVICE,
        parent=APP,
        list=Call("ListPlugins", "plugins[]", page_size=50, item_args={"applicationId": "applicationId"}),
        id="pluginId",
        name="displayName",
        arn="_d.pluginArn",
        ctime="createdAt",
        enrich=(_detail("GetPlugin", {**IN_APP, "pluginId": "pluginId"}), _tags("_d.pluginArn")),
        tags=TAGS,
        fields={
            "application_id": "_args.applicationId",
            "status": "state",
            "plugin_type": "type",
            "server_url": "serverUrl",
            "build_status": "buildStatus",
        },
        delete=Delete("DeletePlugin", {"applicationId": "application_id", "pluginId": "id"}, gone=GONE),
        tagging=TAGGING,
    ),
    Kind(
        cls=AwsQBusinessRetriever,
        service=SERVICE,
        parent=APP,
        list=Call(
            "ListRetrievers", "retrievers[]", page_size=50, item_args={"applicationId": "applicationId"}
        ),
        id="retrieverId",
        name="displayName",
        arn="_d.retrieverArn",
        ctime="_d.createdAt",
        enrich=(_detail("GetRetriever", {**IN_APP, "retrieverId": "retrieverId"}), _tags("_d.retrieverArn")),
        tags=TAGS,
        fields={
            "application_id": "applicationId",
            "status": "status",
            "retriever_type": "type",
            "role_arn": "_d.roleArn",
        },
        links=(
            _role(),
            Link(
                "aws_q_business_indice",
                "_d.configuration.nativeIndexConfiguration.indexId",
                default="in",
            ),
        ),
        delete=Delete("DeleteRetriever", {"applicationId": "application_id", "retrieverId": "id"}, gone=GONE),
        tagging=TAGGING,
    ),
    Kind(
        cls=AwsQBusinessWebExperience,
        service=SERVICE,
        parent=APP,
        list=Call(
            "ListWebExperiences",
            "webExperiences[]",
            page_size=100,
            item_args={"applicationId": "applicationId"},
        ),
        id="webExperienceId",
        arn="_d.webExperienceArn",
        ctime="createdAt",
        enrich=(
            _detail("GetWebExperience", {**IN_APP, "webExperienceId": "webExperienceId"}),
            _tags("_d.webExperienceArn"),
        ),
        tags=TAGS,
        fields={
            "application_id": "_args.applicationId",
            "status": "status",
            "default_endpoint": "defaultEndpoint",
            "role_arn": "_d.roleArn",
        },
        links=(_role(),),
        delete=Delete(
            "DeleteWebExperience", {"applicationId": "application_id", "webExperienceId": "id"}, gone=GONE
        ),
        tagging=TAGGING,
    ),
]
