"""Athena work groups and data catalogs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from resoto_hookspecs import NotSupported

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import Api, Call, Delete, Enrich, Kind, Link, Tagging, TagsAt, UnitApi, arn_name

SERVICE = "athena"
GONE = ("InvalidRequestException", "ResourceNotFoundException")
BUILTIN_CATALOG = "AwsDataCatalog"  # every account's Glue catalog: AWS-managed, not a resource of its own
BUILTIN_WORK_GROUP = "primary"  # exists in every region and cannot be deleted


class AwsAthenaWorkGroup(AwsResource):
    kind: ClassVar[str] = "aws_athena_work_group"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "database", "icon": "group"}
    state: str | None = None
    description: str | None = None
    engine_version: str | None = None
    output_location: str | None = None
    encryption_option: str | None = None
    enforce_work_group_configuration: bool | None = None
    bytes_scanned_cutoff_per_query: int | None = None


class AwsAthenaDataCatalog(AwsResource):
    kind: ClassVar[str] = "aws_athena_data_catalog"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "database", "icon": "database"}
    catalog_type: str | None = None
    description: str | None = None
    status: str | None = None
    parameters: dict[str, str] | None = None


def _arn(ctx: UnitApi, what: str, name: str) -> str:
    return f"arn:{ctx.partition}:athena:{ctx.region}:{ctx.account}:{what}/{name}"


def _work_groups(ctx: UnitApi) -> Iterator[dict[str, Any]]:
    """ListWorkGroups has no botocore paginator: follow NextToken here."""
    token: str | None = None
    while True:
        page = ctx.call(SERVICE, "ListWorkGroups", MaxResults=50, **({"NextToken": token} if token else {}))
        for item in page.get("WorkGroups", []):
            yield {**item, "_arn": _arn(ctx, "workgroup", item["Name"])}
        token = page.get("NextToken")
        if not token:
            return


def _data_catalogs(ctx: UnitApi) -> Iterator[dict[str, Any]]:
    for item in ctx.list_items(SERVICE, Call("ListDataCatalogs", "DataCatalogsSummary[]", page_size=50)):
        if item.get("CatalogName") != BUILTIN_CATALOG:
            yield {**item, "_arn": _arn(ctx, "datacatalog", item["CatalogName"])}


def _bucket_of(item: dict[str, Any]) -> str | None:
    location = (((item.get("_wg") or {}).get("Configuration") or {}).get("ResultConfiguration") or {}).get(
        "OutputLocation"
    )
    if not location or not str(location).startswith("s3://"):
        return None
    return str(location)[5:].split("/", 1)[0] or None


def _delete_work_group(ctx: Api, resource: AwsResource) -> None:
    if resource.id == BUILTIN_WORK_GROUP:
        raise NotSupported("the primary Athena work group cannot be deleted")
    ctx.call(SERVICE, "DeleteWorkGroup", WorkGroup=resource.id, RecursiveDeleteOption=True)


_TAGGING = Tagging("TagResource", "UntagResource", {"ResourceARN": "arn"}, gone=GONE)
_TAGS = Enrich("ListTagsForResource", {"ResourceARN": "_arn"}, "Tags", "_tags", ignore=GONE)

KINDS = [
    Kind(
        cls=AwsAthenaWorkGroup,
        service=SERVICE,
        list=None,
        items=_work_groups,
        id="Name",
        name="Name",
        arn="_arn",
        ctime="CreationTime",
        enrich=(Enrich("GetWorkGroup", {"WorkGroup": "Name"}, "WorkGroup", "_wg", ignore=GONE), _TAGS),
        tags=TagsAt("_tags"),
        fields={
            "state": "State",
            "description": "Description",
            "engine_version": "EngineVersion.EffectiveEngineVersion",
            "output_location": "_wg.Configuration.ResultConfiguration.OutputLocation",
            "encryption_option": "_wg.Configuration.ResultConfiguration.EncryptionConfiguration.EncryptionOption",
            "enforce_work_group_configuration": "_wg.Configuration.EnforceWorkGroupConfiguration",
            "bytes_scanned_cutoff_per_query": "_wg.Configuration.BytesScannedCutoffPerQuery",
        },
        links=(
            Link("aws_s3_bucket", _bucket_of, default="out", global_=True),
            Link(
                "aws_kms_key",
                "_wg.Configuration.ResultConfiguration.EncryptionConfiguration.KmsKey",
                default="out",
                to_id=arn_name,
            ),
        ),
        get=Call("GetWorkGroup", "WorkGroup", item_args={"WorkGroup": "id"}, gone=GONE),
        delete=Delete(
            "DeleteWorkGroup", {"WorkGroup": "id"}, const={"RecursiveDeleteOption": True}, gone=GONE
        ),
        delete_fn=_delete_work_group,
        tagging=_TAGGING,
        iam=("athena:ListWorkGroups",),
    ),
    Kind(
        cls=AwsAthenaDataCatalog,
        service=SERVICE,
        list=None,
        items=_data_catalogs,
        id="CatalogName",
        name="CatalogName",
        arn="_arn",
        enrich=(
            Enrich("GetDataCatalog", {"Name": "CatalogName"}, "DataCatalog", "_catalog", ignore=GONE),
            _TAGS,
        ),
        tags=TagsAt("_tags"),
        fields={
            "catalog_type": "Type",
            "status": "Status",
            "description": "_catalog.Description",
            "parameters": "_catalog.Parameters",
        },
        get=Call("GetDataCatalog", "DataCatalog", item_args={"Name": "id"}, gone=GONE),
        delete=Delete("DeleteDataCatalog", {"Name": "id"}, gone=GONE),
        tagging=_TAGGING,
        iam=("athena:ListDataCatalogs",),
    ),
]
