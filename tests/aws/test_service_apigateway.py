"""API Gateway REST APIs, stages, deployments, resources and authorizers against moto.

Collected with tags and edges (API -> parts, deployment -> stage, resource -> authorizer and
Lambda, authorizer -> Lambda) and deleted. moto answers 404 to ``TagResource`` on API and stage
ARNs (the ARN's slashes break its URL routing), so tagging is covered by the definitions check only.
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from aws.support_aws import ACCOUNT, Collected, client, collect, delete_order
from resoto_hookspecs import Location, NotSupported
from resoto_hookspecs.testing import PluginDriver
from resoto_plugin_aws import plugin
from resoto_plugin_aws.config import AwsConfig
from resoto_plugin_aws.registry import kind_of

REGION = "us-east-1"
CFG = AwsConfig(region=[REGION], collect=["aws_apigateway_*", "aws_lambda_function"])
HERE = Location("aws", ACCOUNT, REGION)
TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ],
}


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("index.py", "def handler(e, c):\n    return e\n")
    return buf.getvalue()


def _uri(fn_arn: str) -> str:
    return f"arn:aws:apigateway:{REGION}:lambda:path/2015-03-31/functions/{fn_arn}/invocations"


def seed() -> dict[str, str]:
    role = client("iam").create_role(RoleName="fn-role", AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]
    lam = client("lambda")
    backend = lam.create_function(
        FunctionName="backend",
        Runtime="python3.12",
        Role=role["Arn"],
        Handler="index.handler",
        Code={"ZipFile": _zip()},
    )["FunctionArn"]
    auth_fn = lam.create_function(
        FunctionName="auth",
        Runtime="python3.12",
        Role=role["Arn"],
        Handler="index.handler",
        Code={"ZipFile": _zip()},
    )["FunctionArn"]
    apigw = client("apigateway")
    api = apigw.create_rest_api(name="shop-api", description="shop", tags={"team": "web"})["id"]
    root = next(r for r in apigw.get_resources(restApiId=api)["items"] if r["path"] == "/")["id"]
    items = apigw.create_resource(restApiId=api, parentId=root, pathPart="items")["id"]
    authorizer = apigw.create_authorizer(
        restApiId=api,
        name="token-auth",
        type="TOKEN",
        authorizerUri=_uri(auth_fn),
        identitySource="method.request.header.Authorization",
    )["id"]
    apigw.put_method(
        restApiId=api, resourceId=items, httpMethod="GET", authorizationType="CUSTOM", authorizerId=authorizer
    )
    apigw.put_integration(
        restApiId=api,
        resourceId=items,
        httpMethod="GET",
        type="AWS_PROXY",
        integrationHttpMethod="POST",
        uri=_uri(backend),
    )
    deployment = apigw.create_deployment(restApiId=api, description="first")["id"]
    apigw.create_stage(restApiId=api, stageName="prod", deploymentId=deployment, tags={"stage": "prod"})
    return {"api": api, "root": root, "items": items, "authorizer": authorizer, "deployment": deployment}


def resource(result: Collected, kind: str, rid: str) -> Any:
    reported = dict(result.by_id(kind)[rid])
    reported.pop("kind")
    found = kind_of(kind)
    assert found is not None
    return found.cls.model_validate(reported)


def test_api_and_parts_are_collected(moto: str) -> None:
    ids = seed()
    api = ids["api"]
    result = collect(CFG)
    assert not result.failures
    assert not result.reporter.errors
    apis = result.by_id("aws_apigateway_rest_api")
    assert set(apis) == {api}
    assert apis[api]["name"] == "shop-api"
    assert apis[api]["tags"] == {"team": "web"}
    assert apis[api]["arn"] == f"arn:aws:apigateway:{REGION}::/restapis/{api}"
    stages = result.by_id("aws_apigateway_stage")
    stage_id = f"{api}/stages/prod"
    assert set(stages) == {stage_id}
    assert stages[stage_id]["name"] == "prod"
    assert stages[stage_id]["tags"] == {"stage": "prod"}
    assert stages[stage_id]["deployment_id"] == ids["deployment"]
    assert stages[stage_id]["arn"] == f"arn:aws:apigateway:{REGION}::/restapis/{stage_id}"
    assert set(result.by_id("aws_apigateway_deployment")) == {ids["deployment"]}
    resources = result.by_id("aws_apigateway_resource")
    assert set(resources) == {ids["root"], ids["items"]}
    assert resources[ids["items"]]["resource_path"] == "/items"
    assert resources[ids["items"]]["methods"] == ["GET"]
    authorizers = result.by_id("aws_apigateway_authorizer")
    assert authorizers[ids["authorizer"]]["authorizer_type"] == "TOKEN"

    n = result.nid
    api_nid = n("aws_apigateway_rest_api", api)
    for kind, rid in [
        ("aws_apigateway_stage", stage_id),
        ("aws_apigateway_deployment", ids["deployment"]),
        ("aws_apigateway_resource", ids["items"]),
        ("aws_apigateway_authorizer", ids["authorizer"]),
    ]:
        assert result.edge(api_nid, n(kind, rid)), kind
        assert result.edge(api_nid, n(kind, rid), "delete"), kind
    dep_nid = n("aws_apigateway_deployment", ids["deployment"])
    stage_nid = n("aws_apigateway_stage", stage_id)
    items_nid = n("aws_apigateway_resource", ids["items"])
    auth_nid = n("aws_apigateway_authorizer", ids["authorizer"])
    assert result.edge(dep_nid, stage_nid)
    assert result.edge(dep_nid, stage_nid, "delete")
    assert result.edge(items_nid, auth_nid)
    assert result.edge(items_nid, n("aws_lambda_function", "backend"))
    assert result.edge(auth_nid, n("aws_lambda_function", "auth"))
    order = delete_order({api_nid, dep_nid, stage_nid}, result.sink.edges)
    assert order == [stage_nid, dep_nid, api_nid]


def test_delete_parts_then_api(moto: str) -> None:
    ids = seed()
    api = ids["api"]
    apigw = client("apigateway")
    result = collect(CFG)
    rest_api = resource(result, "aws_apigateway_rest_api", api)
    stage = resource(result, "aws_apigateway_stage", f"{api}/stages/prod")
    # moto answers 404 to TagResource on these ARNs: tagging is covered by test_definitions only
    assert rest_api.tags == {"team": "web"}
    assert stage.tags == {"stage": "prod"}

    with pytest.raises(NotSupported):
        PluginDriver(plugin, CFG).delete_resource(
            resource=resource(result, "aws_apigateway_resource", ids["root"]), location=HERE
        )
    for kind, rid in [
        ("aws_apigateway_stage", f"{api}/stages/prod"),
        ("aws_apigateway_deployment", ids["deployment"]),
        ("aws_apigateway_resource", ids["items"]),
        ("aws_apigateway_authorizer", ids["authorizer"]),
    ]:
        PluginDriver(plugin, CFG).delete_resource(resource=resource(result, kind, rid), location=HERE)
    assert apigw.get_stages(restApiId=api)["item"] == []
    assert apigw.get_deployments(restApiId=api)["items"] == []
    assert [r["path"] for r in apigw.get_resources(restApiId=api)["items"]] == ["/"]
    assert apigw.get_authorizers(restApiId=api)["items"] == []
    PluginDriver(plugin, CFG).delete_resource(resource=rest_api, location=HERE)
    assert apigw.get_rest_apis()["items"] == []
    assert PluginDriver(plugin, CFG).check_resource(resource=rest_api, location=HERE) is None
