"""Cleanup and tagging from the kind definitions: check, pre_cleanup, delete, tag, untag.

Every call goes through an :class:`~resoto_plugin_aws.calls.ApiContext` for the resource's account
and region: the same (account, region, service) limiter as collection, and every call counted by
:data:`~resoto_plugin_aws.calls.ACTION_CALLS`.
"""

from __future__ import annotations

import logging
from typing import Any

from botocore.exceptions import ClientError
from resoto_hookspecs import (
    AccessDenied,
    BaseResource,
    CollectionUnit,
    Location,
    NotSupported,
    ResourceGone,
)

from resoto_plugin_aws.calls import ACTION_CALLS, ApiContext
from resoto_plugin_aws.config import AwsConfig
from resoto_plugin_aws.convert import TAG_KEYS, complete, shape, to_resource
from resoto_plugin_aws.errors import classify, error_code
from resoto_plugin_aws.registry import kind_of
from resoto_plugin_aws.resources import GLOBAL_REGION, AwsResource
from resoto_plugin_aws.sessions import Access
from resoto_plugin_aws.spec import Kind, Tagging, resource_value, search

log = logging.getLogger(__name__)

GONE_CODES = frozenset({"NoSuchEntity", "ResourceNotFoundException", "NotFoundException", "NoSuchBucket"})
"""Error codes that mean "not found" for every kind (each kind adds its own)."""


def _kind(resource: BaseResource) -> Kind:
    kind = kind_of(type(resource).kind)
    if kind is None:
        raise NotSupported(f"{type(resource).kind} is not an AWS kind this plugin knows")
    return kind


def _context(location: Location, config: AwsConfig, unit: CollectionUnit | None) -> ApiContext:
    """The API of the resource's account and region, reached the way the collect that found it did."""
    if unit is None or not isinstance(unit.payload, Access):
        raise AccessDenied(
            f"account {location.account} is not reachable with this config (no collection unit)"
        )
    return ApiContext(unit.payload, location.region or GLOBAL_REGION, config, ACTION_CALLS)


def _translate(exc: ClientError, kind: Kind, resource: BaseResource, gone: tuple[str, ...]) -> BaseException:
    code = error_code(exc)
    if code in gone or code in GONE_CODES or code.endswith(".NotFound") or code.endswith("NotFound"):
        return ResourceGone(f"{kind.cls.kind} {resource.id} no longer exists ({code})")
    if classify(exc).sort == "access":
        return AccessDenied(f"{kind.cls.kind} {resource.id}: access denied ({code})", service=kind.service)
    return exc  # type: ignore[no-any-return]


def _args(mapping: Any, resource: BaseResource) -> dict[str, Any]:
    """The call's arguments from resource attributes; an unset attribute is left out (botocore rejects None)."""
    values = {arg: resource_value(resource, ref) for arg, ref in mapping.items()}
    return {arg: v for arg, v in values.items() if v is not None and v != [None]}


def check_resource(
    resource: BaseResource, location: Location, config: AwsConfig, unit: CollectionUnit | None
) -> BaseResource | None:
    kind = _kind(resource)
    if kind.get is None:
        return resource
    ctx = _context(location, config, unit)
    try:
        items = ctx.list_items(kind.service, kind.get, _args(kind.get.item_args, resource))
    except ClientError as e:
        err = _translate(e, kind, resource, kind.get.gone)
        if isinstance(err, ResourceGone):
            return None
        raise err from e
    items = shape(kind, items)
    items = [i for i in items if str(search(kind.id, i)) == resource.id] or (items if kind.get.wrap else [])
    if not items:
        return None
    complete(ctx, kind, items[:1])
    return to_resource(kind, items[0], ctx.partition, ctx.region, ctx.account)


def pre_cleanup(
    resource: BaseResource, location: Location, config: AwsConfig, unit: CollectionUnit | None
) -> None:
    kind = _kind(resource)
    if kind.pre_cleanup is None:
        return
    ctx = _context(location, config, unit)
    assert isinstance(resource, AwsResource)
    try:
        kind.pre_cleanup(ctx, resource)
    except ClientError as e:
        raise _translate(e, kind, resource, kind.delete.gone if kind.delete else ()) from e


def delete_resource(
    resource: BaseResource, location: Location, config: AwsConfig, unit: CollectionUnit | None
) -> None:
    kind = _kind(resource)
    if kind.delete is None and kind.delete_fn is None:
        raise NotSupported(f"{kind.cls.kind} cannot be deleted by this plugin")
    ctx = _context(location, config, unit)
    assert isinstance(resource, AwsResource)
    try:
        if kind.delete_fn is not None:
            kind.delete_fn(ctx, resource)
        elif kind.delete is not None:
            ctx.call(kind.service, kind.delete.op, **kind.delete.const, **_args(kind.delete.args, resource))
    except ClientError as e:
        raise _translate(e, kind, resource, kind.delete.gone if kind.delete else ()) from e
    log.info("deleted %s %s in %s", kind.cls.kind, resource.id, "/".join(location.path()))


def _tag_value(tagging: Tagging, key: str, value: str | None) -> Any:
    if tagging.fmt == "map":
        return {key: value or ""}
    k, v = TAG_KEYS[tagging.fmt]
    return [{k: key, v: value or ""}]


def _change_tag(
    resource: BaseResource,
    location: Location,
    config: AwsConfig,
    unit: CollectionUnit | None,
    key: str,
    value: str | None,
    untag: bool,
) -> None:
    kind = _kind(resource)
    if kind.tagging is None and kind.tag_fn is None:
        raise NotSupported(f"{kind.cls.kind} has no tags that this plugin can change")
    ctx = _context(location, config, unit)
    try:
        if kind.tag_fn is not None:
            kind.tag_fn(ctx, resource, key, value, untag=untag)
            return
        tagging = kind.tagging
        assert tagging is not None
        target = {**tagging.const, **_args(tagging.target, resource)}
        if untag:
            keys: Any = [key] if tagging.keys_fmt == "keys" else [{"Key": key}]
            ctx.call(kind.service, tagging.untag_op, **target, **{tagging.keys_arg: keys})
        else:
            ctx.call(
                kind.service, tagging.tag_op, **target, **{tagging.tags_arg: _tag_value(tagging, key, value)}
            )
    except ClientError as e:
        raise _translate(e, kind, resource, kind.tagging.gone if kind.tagging else ()) from e


def update_tag(
    resource: BaseResource,
    location: Location,
    config: AwsConfig,
    unit: CollectionUnit | None,
    key: str,
    value: str | None,
) -> None:
    _change_tag(resource, location, config, unit, key, value, untag=False)


def delete_tag(
    resource: BaseResource, location: Location, config: AwsConfig, unit: CollectionUnit | None, key: str
) -> None:
    _change_tag(resource, location, config, unit, key, None, untag=True)
