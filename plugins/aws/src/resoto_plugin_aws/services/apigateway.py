"""API Gateway REST APIs with their stages, deployments, resources and authorizers; custom domain names.

``GetRestApis`` carries the APIs' tags; per API one listing each of stages (with tags and the WAF
web ACL), deployments, resources (with their methods' integrations) and authorizers. API Gateway
authorizes by HTTP verb on resource paths, so its IAM actions are ``apigateway:GET`` and friends.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from resoto_hookspecs import NotSupported

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import Api, Call, Delete, Json, Kind, Link, Tagging, TagsAt, arn_name

SERVICE = "apigateway"
GONE = ("NotFoundException",)
API = "aws_apigateway_rest_api"
_FUNCTION = re.compile(r"arn:aws[a-z-]*:lambda:[^:]+:\d+:function:([^/:]+)")
TAGGING = Tagging(
    "TagResource",
    "UntagResource",
    {"resourceArn": "arn"},
    tags_arg="tags",
    fmt="map",
    keys_arg="tagKeys",
    gone=GONE,
)


class AwsApigatewayRestApi(AwsResource):
    kind: ClassVar[str] = "aws_apigateway_rest_api"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "networking", "icon": "gateway"}
    description: str | None = None
    version: str | None = None
    api_key_source: str | None = None
    endpoint_types: list[str] | None = None
    vpc_endpoint_ids: list[str] | None = None
    disable_execute_api_endpoint: bool | None = None
    root_resource_id: str | None = None
    policy: str | None = None


class AwsApigatewayStage(AwsResource):
    kind: ClassVar[str] = "aws_apigateway_stage"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "networking", "icon": "config"}
    rest_api_id: str | None = None
    stage_name: str | None = None
    deployment_id: str | None = None
    description: str | None = None
    cache_cluster_enabled: bool | None = None
    cache_cluster_size: str | None = None
    tracing_enabled: bool | None = None
    web_acl_arn: str | None = None
    variables: dict[str, str] | None = None


class AwsApigatewayDeployment(AwsResource):
    kind: ClassVar[str] = "aws_apigateway_deployment"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "networking", "icon": "resource"}
    taggable: ClassVar[bool] = False
    rest_api_id: str | None = None
    description: str | None = None


class AwsApigatewayResource(AwsResource):
    kind: ClassVar[str] = "aws_apigateway_resource"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "networking", "icon": "resource"}
    taggable: ClassVar[bool] = False
    rest_api_id: str | None = None
    resource_path: str | None = None
    path_part: str | None = None
    parent_resource_id: str | None = None
    methods: list[str] | None = None


class AwsApigatewayAuthorizer(AwsResource):
    kind: ClassVar[str] = "aws_apigateway_authorizer"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "access_control", "icon": "resource"}
    taggable: ClassVar[bool] = False
    rest_api_id: str | None = None
    authorizer_type: str | None = None
    auth_type: str | None = None
    authorizer_uri: str | None = None
    identity_source: str | None = None
    provider_arns: list[str] | None = None
    result_ttl: int | None = None


def _functions(*values: Any) -> list[str]:
    found: set[str] = set()
    for value in values:
        if isinstance(value, str):
            found.update(_FUNCTION.findall(value))
    return sorted(found)


def _method_functions(item: Json) -> list[str]:
    methods = item.get("resourceMethods") or {}
    return _functions(*[((m or {}).get("methodIntegration") or {}).get("uri") for m in methods.values()])


def _method_authorizers(item: Json) -> list[str]:
    methods = item.get("resourceMethods") or {}
    return sorted({str(m["authorizerId"]) for m in methods.values() if (m or {}).get("authorizerId")})


def _prepare_stage(item: Json) -> None:
    """A stage name is unique only within its API: the id is the stage's path below ``/restapis/``."""
    item["_id"] = f"{item.get('_parent_id')}/stages/{item.get('stageName')}"


class AwsApigatewayDomainName(AwsResource):
    kind: ClassVar[str] = "aws_apigateway_domain_name"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "networking", "icon": "dns"}
    domain_name_id: str | None = None
    domain_name_status: str | None = None
    certificate_arn: str | None = None
    regional_certificate_arn: str | None = None
    regional_domain_name: str | None = None
    regional_hosted_zone_id: str | None = None
    distribution_domain_name: str | None = None
    distribution_hosted_zone_id: str | None = None
    endpoint_types: list[str] | None = None
    vpc_endpoint_ids: list[str] | None = None
    security_policy: str | None = None


def _arn(path: str) -> str:
    return "arn:{partition}:apigateway:{region}::/restapis/" + path


def _delete_resource(ctx: Api, resource: AwsResource) -> None:
    assert isinstance(resource, AwsApigatewayResource)
    if resource.parent_resource_id is None:
        raise NotSupported("the root resource of a REST API goes with the API")
    ctx.call(SERVICE, "DeleteResource", restApiId=resource.rest_api_id, resourceId=resource.id)


def _child(op: str, result: str = "items[]", page_size: int | None = 500, **args: Any) -> Call:
    return Call(op, result, args=args, item_args={"restApiId": "id"}, page_size=page_size)


PARENT = Link(API, "_parent_id", default=None, delete="in")
"""The API goes last: what hangs below it is deleted first."""

KINDS = [
    Kind(
        cls=AwsApigatewayRestApi,
        service=SERVICE,
        list=Call("GetRestApis", "items[]", page_size=500),
        id="id",
        name="name",
        arn=_arn("{id}"),
        ctime="createdDate",
        tags=TagsAt("tags", fmt="map"),
        fields={
            "description": "description",
            "version": "version",
            "api_key_source": "apiKeySource",
            "endpoint_types": "endpointConfiguration.types",
            "vpc_endpoint_ids": "endpointConfiguration.vpcEndpointIds",
            "disable_execute_api_endpoint": "disableExecuteApiEndpoint",
            "root_resource_id": "rootResourceId",
            "policy": "policy",
        },
        links=(
            # a private domain name goes before the VPC endpoints it is reached through
            Link("aws_vpc_endpoint", "endpointConfiguration.vpcEndpointIds", default="out", delete="in"),
        ),
        get=Call("GetRestApi", "", item_args={"restApiId": "id"}, gone=GONE),
        delete=Delete("DeleteRestApi", {"restApiId": "id"}, gone=GONE),
        tagging=TAGGING,
        iam=("apigateway:GET",),
        cleanup_iam=("apigateway:DELETE",),
        tag_iam=("apigateway:PUT", "apigateway:DELETE"),
    ),
    Kind(
        cls=AwsApigatewayStage,
        service=SERVICE,
        parent=API,
        list=_child("GetStages", "item[]", page_size=None),
        prepare=_prepare_stage,
        id="_id",
        name="stageName",
        arn=_arn("{id}"),
        ctime="createdDate",
        tags=TagsAt("tags", fmt="map"),
        fields={
            "mtime": "lastUpdatedDate",
            "rest_api_id": "_parent_id",
            "stage_name": "stageName",
            "deployment_id": "deploymentId",
            "description": "description",
            "cache_cluster_enabled": "cacheClusterEnabled",
            "cache_cluster_size": "cacheClusterSize",
            "tracing_enabled": "tracingEnabled",
            "web_acl_arn": "webAclArn",
            "variables": "variables",
        },
        links=(
            PARENT,
            # a deployment that a stage points at cannot be deleted: the stage goes first
            Link("aws_apigateway_deployment", "deploymentId", default="in", delete="in"),
            Link("aws_waf_web_acl", "webAclArn", default="in", to_id=arn_name),
        ),
        delete=Delete("DeleteStage", {"restApiId": "rest_api_id", "stageName": "stage_name"}, gone=GONE),
        tagging=TAGGING,
        iam=("apigateway:GET",),
        cleanup_iam=("apigateway:DELETE",),
    ),
    Kind(
        cls=AwsApigatewayDeployment,
        service=SERVICE,
        parent=API,
        list=_child("GetDeployments"),
        id="id",
        ctime="createdDate",
        fields={"rest_api_id": "_parent_id", "description": "description"},
        links=(PARENT,),
        get=Call("GetDeployments", "items[]", item_args={"restApiId": "rest_api_id"}, gone=GONE),
        delete=Delete("DeleteDeployment", {"restApiId": "rest_api_id", "deploymentId": "id"}, gone=GONE),
        iam=("apigateway:GET",),
        cleanup_iam=("apigateway:DELETE",),
    ),
    Kind(
        cls=AwsApigatewayResource,
        service=SERVICE,
        parent=API,
        list=_child("GetResources", embed=["methods"]),
        id="id",
        name="path",
        fields={
            "rest_api_id": "_parent_id",
            "resource_path": "path",
            "path_part": "pathPart",
            "parent_resource_id": "parentId",
            "methods": lambda i: sorted(i.get("resourceMethods") or {}) or None,
        },
        links=(
            PARENT,
            Link("aws_apigateway_authorizer", _method_authorizers, default="out"),
            Link("aws_lambda_function", _method_functions, default="out"),
        ),
        get=Call("GetResources", "items[]", item_args={"restApiId": "rest_api_id"}, gone=GONE),
        delete=Delete("DeleteResource", {"restApiId": "rest_api_id", "resourceId": "id"}, gone=GONE),
        delete_fn=_delete_resource,
        iam=("apigateway:GET",),
        cleanup_iam=("apigateway:DELETE",),
    ),
    Kind(
        cls=AwsApigatewayAuthorizer,
        service=SERVICE,
        parent=API,
        list=_child("GetAuthorizers"),
        id="id",
        name="name",
        fields={
            "rest_api_id": "_parent_id",
            "authorizer_type": "type",
            "auth_type": "authType",
            "authorizer_uri": "authorizerUri",
            "identity_source": "identitySource",
            "provider_arns": "providerARNs",
            "result_ttl": "authorizerResultTtlInSeconds",
        },
        links=(
            PARENT,
            Link("aws_lambda_function", lambda i: _functions(i.get("authorizerUri")), default="out"),
            Link("aws_iam_role", "authorizerCredentials", default="in", to_id=arn_name, global_=True),
        ),
        get=Call("GetAuthorizers", "items[]", item_args={"restApiId": "rest_api_id"}, gone=GONE),
        delete=Delete("DeleteAuthorizer", {"restApiId": "rest_api_id", "authorizerId": "id"}, gone=GONE),
        iam=("apigateway:GET",),
        cleanup_iam=("apigateway:DELETE",),
    ),
    Kind(
        cls=AwsApigatewayDomainName,
        service=SERVICE,
        list=Call("GetDomainNames", "items[]", page_size=500),
        id="domainName",
        name="domainName",
        arn="arn:{partition}:apigateway:{region}::/domainnames/{id}",
        ctime="certificateUploadDate",
        tags=TagsAt("tags", fmt="map"),
        fields={
            "domain_name_id": "domainNameId",
            "domain_name_status": "domainNameStatus",
            "certificate_arn": "certificateArn",
            "regional_certificate_arn": "regionalCertificateArn",
            "regional_domain_name": "regionalDomainName",
            "regional_hosted_zone_id": "regionalHostedZoneId",
            "distribution_domain_name": "distributionDomainName",
            "distribution_hosted_zone_id": "distributionHostedZoneId",
            "endpoint_types": "endpointConfiguration.types",
            "vpc_endpoint_ids": "endpointConfiguration.vpcEndpointIds",
            "security_policy": "securityPolicy",
        },
        links=(
            Link("aws_acm_certificate", "certificateArn", to_id=arn_name),
            Link("aws_acm_certificate", "regionalCertificateArn", to_id=arn_name),
            # a private domain name goes before the VPC endpoints it is reached through
            Link("aws_vpc_endpoint", "endpointConfiguration.vpcEndpointIds", default="out", delete="in"),
        ),
        get=Call("GetDomainName", "@", item_args={"domainName": "id"}, gone=GONE),
        delete=Delete("DeleteDomainName", {"domainName": "id"}, gone=GONE),
        tagging=TAGGING,
        iam=("apigateway:GET",),
        cleanup_iam=("apigateway:DELETE",),
        tag_iam=("apigateway:PUT", "apigateway:DELETE"),
    ),
]
