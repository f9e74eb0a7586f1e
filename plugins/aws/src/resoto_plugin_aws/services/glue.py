"""Glue Data Catalog databases, ETL jobs and crawlers.

None of the list calls carries tags or ARNs: the ARN is built (``database/<name>``, ``job/<name>``,
``crawler/<name>``) and one ``GetTags`` per item reads its tags.
"""

from __future__ import annotations

from typing import Any, ClassVar

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import Call, Delete, Enrich, Kind, Link, Tagging, TagsAt, arn_name

SERVICE = "glue"
GONE = ("EntityNotFoundException",)
TAGS = TagsAt("_tags", fmt="map")
TAGGING = Tagging(
    "TagResource",
    "UntagResource",
    {"ResourceArn": "arn"},
    tags_arg="TagsToAdd",
    fmt="map",
    keys_arg="TagsToRemove",
    gone=GONE,
)
ENRICH = (Enrich("GetTags", {"ResourceArn": "_arn"}, "Tags", "_tags", ignore=GONE, tagging_api="glue"),)
ROLE = Link("aws_iam_role", "Role", to_id=arn_name, global_=True)
"""Glue takes a role's name or ARN: both end in the name."""


def _arn(noun: str) -> str:
    return "arn:{partition}:glue:{region}:{account}:" + noun + "/{id}"


class AwsGlueDatabase(AwsResource):
    kind: ClassVar[str] = "aws_glue_database"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "database", "icon": "database"}
    description: str | None = None
    location_uri: str | None = None
    catalog_id: str | None = None
    parameters: dict[str, str] | None = None


class AwsGlueJob(AwsResource):
    kind: ClassVar[str] = "aws_glue_job"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "compute", "icon": "job"}
    description: str | None = None
    role_arn: str | None = None
    command_name: str | None = None
    script_location: str | None = None
    glue_version: str | None = None
    worker_type: str | None = None
    number_of_workers: int | None = None
    max_capacity: float | None = None
    job_timeout: int | None = None
    max_retries: int | None = None
    execution_class: str | None = None


class AwsGlueCrawler(AwsResource):
    kind: ClassVar[str] = "aws_glue_crawler"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "compute", "icon": "resource"}
    description: str | None = None
    role_arn: str | None = None
    crawler_state: str | None = None
    database_name: str | None = None
    schedule_expression: str | None = None
    s3_target_paths: list[str] | None = None
    last_crawl_status: str | None = None


KINDS = [
    Kind(
        cls=AwsGlueDatabase,
        service=SERVICE,
        list=Call("GetDatabases", "DatabaseList[]", page_size=100),
        id="Name",
        name="Name",
        arn=_arn("database"),
        ctime="CreateTime",
        enrich=ENRICH,
        tags=TAGS,
        fields={
            "description": "Description",
            "location_uri": "LocationUri",
            "catalog_id": "CatalogId",
            "parameters": "Parameters",
        },
        get=Call("GetDatabase", "Database", item_args={"Name": "id"}, gone=GONE),
        delete=Delete("DeleteDatabase", {"Name": "id"}, gone=GONE),
        tagging=TAGGING,
    ),
    Kind(
        cls=AwsGlueJob,
        service=SERVICE,
        list=Call("GetJobs", "Jobs[]", page_size=1000),
        id="Name",
        name="Name",
        arn=_arn("job"),
        ctime="CreatedOn",
        enrich=ENRICH,
        tags=TAGS,
        fields={
            "mtime": "LastModifiedOn",
            "description": "Description",
            "role_arn": "Role",
            "command_name": "Command.Name",
            "script_location": "Command.ScriptLocation",
            "glue_version": "GlueVersion",
            "worker_type": "WorkerType",
            "number_of_workers": "NumberOfWorkers",
            "max_capacity": "MaxCapacity",
            "job_timeout": "Timeout",
            "max_retries": "MaxRetries",
            "execution_class": "ExecutionClass",
        },
        links=(ROLE,),
        get=Call("GetJob", "Job", item_args={"JobName": "id"}, gone=GONE),
        delete=Delete("DeleteJob", {"JobName": "id"}, gone=GONE),
        tagging=TAGGING,
    ),
    Kind(
        cls=AwsGlueCrawler,
        service=SERVICE,
        list=Call("GetCrawlers", "Crawlers[]", page_size=1000),
        id="Name",
        name="Name",
        arn=_arn("crawler"),
        ctime="CreationTime",
        enrich=ENRICH,
        tags=TAGS,
        fields={
            "mtime": "LastUpdated",
            "description": "Description",
            "role_arn": "Role",
            "crawler_state": "State",
            "database_name": "DatabaseName",
            "schedule_expression": "Schedule.ScheduleExpression",
            "s3_target_paths": "Targets.S3Targets[].Path",
            "last_crawl_status": "LastCrawl.Status",
        },
        links=(ROLE, Link("aws_glue_database", "DatabaseName", default="out")),
        get=Call("GetCrawler", "Crawler", item_args={"Name": "id"}, gone=GONE),
        delete=Delete("DeleteCrawler", {"Name": "id"}, gone=GONE),
        tagging=TAGGING,
    ),
]
