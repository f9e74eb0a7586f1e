"""WAFv2 web ACLs: regional ones per region, CloudFront ones once per account (global).

A regional web ACL names the load balancers and Cognito user pools it protects through
``ListResourcesForWebACL`` (one call per resource type and ACL; API Gateway stages name their ACL
themselves); CloudFront distributions name theirs in their configuration. The CloudFront-scoped
kind is a subclass, so ``is(aws_waf_web_acl)`` finds both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, ClassVar

from resoto_plugin_aws.resources import AwsResource
from resoto_plugin_aws.spec import (
    Api,
    Call,
    Delete,
    Enrich,
    Json,
    Kind,
    Link,
    Tagging,
    TagsAt,
    UnitApi,
    arn_name,
)

SERVICE = "wafv2"
GONE = ("WAFNonexistentItemException",)
REGIONAL = "REGIONAL"
CLOUDFRONT = "CLOUDFRONT"
ASSOCIATED_TYPES = ("APPLICATION_LOAD_BALANCER", "COGNITO_USER_POOL")


class AwsWafWebAcl(AwsResource):
    kind: ClassVar[str] = "aws_waf_web_acl"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "networking", "icon": "firewall"}
    scope: str | None = None
    description: str | None = None
    default_action: str | None = None
    capacity: int | None = None
    rule_names: list[str] | None = None
    managed_by_firewall_manager: bool | None = None
    label_namespace: str | None = None
    associated_resources: list[str] | None = None
    lock_token: str | None = None


class AwsWafCloudfrontWebAcl(AwsWafWebAcl):
    """A web ACL of scope ``CLOUDFRONT`` (its API lives in us-east-1)."""

    kind: ClassVar[str] = "aws_waf_cloudfront_web_acl"


def _web_acls(scope: str) -> Callable[[UnitApi], Iterator[Json]]:
    """ListWebACLs has no botocore paginator: follow NextMarker here."""

    def items(ctx: UnitApi) -> Iterator[Json]:
        marker: str | None = None
        while True:
            args: dict[str, Any] = {"Scope": scope, "Limit": 100}
            if marker:
                args["NextMarker"] = marker
            page = ctx.call(SERVICE, "ListWebACLs", **args)
            yield from page.get("WebACLs") or []
            marker = page.get("NextMarker")
            if not marker or not page.get("WebACLs"):
                return

    return items


def _scope(scope: str) -> Callable[[Json], None]:
    """Every item (listed or re-read by ``check_resource``) learns its scope."""

    def prepare(item: Json) -> None:
        item["_scope"] = scope

    return prepare


def _default_action(item: Json) -> str | None:
    action = (item.get("_acl") or {}).get("DefaultAction") or {}
    return next(iter(action), None)


def _associated(item: Json) -> list[str]:
    return [str(arn) for t in ASSOCIATED_TYPES for arn in item.get(f"_res_{t}") or []]


def _lb_names(item: Json) -> list[str]:
    """``...:loadbalancer/app/<name>/<id>`` -> ``<name>``."""
    return [a.split("/")[-2] for a in item.get("_res_APPLICATION_LOAD_BALANCER") or [] if a.count("/") >= 3]


def _pools(item: Json) -> list[str]:
    return [arn_name(a) or "" for a in item.get("_res_COGNITO_USER_POOL") or []]


def _lock_token(ctx: Api, resource: AwsWafWebAcl) -> str:
    answer = ctx.call(SERVICE, "GetWebACL", Name=resource.name, Scope=resource.scope, Id=resource.id)
    return str(answer["LockToken"])


def _disassociate(ctx: Api, resource: AwsResource) -> None:
    """A regional web ACL cannot be deleted while it protects a resource."""
    assert isinstance(resource, AwsWafWebAcl)
    if resource.scope != REGIONAL:
        return  # CloudFront distributions drop an ACL only through their own configuration update
    for rtype in ASSOCIATED_TYPES:
        answer = ctx.call(SERVICE, "ListResourcesForWebACL", WebACLArn=resource.arn, ResourceType=rtype)
        for arn in answer.get("ResourceArns") or []:
            ctx.call(SERVICE, "DisassociateWebACL", ResourceArn=arn)


def _delete(ctx: Api, resource: AwsResource) -> None:
    """DeleteWebACL needs the current lock token, not the one seen at collection time."""
    assert isinstance(resource, AwsWafWebAcl)
    token = _lock_token(ctx, resource)
    ctx.call(
        SERVICE, "DeleteWebACL", Name=resource.name, Scope=resource.scope, Id=resource.id, LockToken=token
    )


COMMON_ENRICH = (
    Enrich("GetWebACL", {"Name": "Name", "Id": "Id", "Scope": "_scope"}, "WebACL", "_acl", ignore=GONE),
    Enrich("ListTagsForResource", {"ResourceARN": "ARN"}, "TagInfoForResource.TagList", "_tags", ignore=GONE),
)
FIELDS: dict[str, Any] = {
    "scope": "_scope",
    "lock_token": "LockToken",
    "description": "Description",
    "default_action": _default_action,
    "capacity": "_acl.Capacity",
    "rule_names": "_acl.Rules[].Name",
    "managed_by_firewall_manager": "_acl.ManagedByFirewallManager",
    "label_namespace": "_acl.LabelNamespace",
}
COMMON: dict[str, Any] = {
    "service": SERVICE,
    "list": None,
    "id": "Id",
    "name": "Name",
    "arn": "ARN",
    "tags": TagsAt("_tags"),
    "get": Call("GetWebACL", "WebACL", item_args={"Name": "name", "Id": "id", "Scope": "scope"}, gone=GONE),
    "pre_cleanup": _disassociate,
    "delete": Delete(
        "DeleteWebACL", {"Name": "name", "Scope": "scope", "Id": "id", "LockToken": "lock_token"}, gone=GONE
    ),
    "delete_fn": _delete,
    "tagging": Tagging("TagResource", "UntagResource", {"ResourceARN": "arn"}, gone=GONE),
    "iam": ("wafv2:ListWebACLs",),
    "cleanup_iam": ("wafv2:GetWebACL", "wafv2:ListResourcesForWebACL", "wafv2:DisassociateWebACL"),
}

KINDS = [
    Kind(
        cls=AwsWafWebAcl,
        items=_web_acls(REGIONAL),
        prepare=_scope(REGIONAL),
        enrich=(
            *COMMON_ENRICH,
            *(
                Enrich(
                    "ListResourcesForWebACL",
                    {"WebACLArn": "ARN"},
                    "ResourceArns",
                    f"_res_{rtype}",
                    const={"ResourceType": rtype},
                    ignore=GONE,
                )
                for rtype in ASSOCIATED_TYPES
            ),
        ),
        fields={**FIELDS, "associated_resources": _associated},
        links=(
            Link("aws_alb", _lb_names, default="out"),
            Link("aws_cognito_user_pool", _pools, default="out"),
        ),
        **COMMON,
    ),
    Kind(
        cls=AwsWafCloudfrontWebAcl,
        global_=True,
        items=_web_acls(CLOUDFRONT),
        prepare=_scope(CLOUDFRONT),
        enrich=COMMON_ENRICH,
        fields=FIELDS,
        **COMMON,
    ),
]
