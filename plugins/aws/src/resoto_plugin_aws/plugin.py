"""The hook implementations of the AWS plugin. Thin: the work happens in the other modules."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from resoto_hookspecs import (
    BaseResource,
    CloudInfo,
    CollectionUnit,
    GraphBuilder,
    Location,
    PluginConfig,
    Reporter,
    hookimpl,
)

from resoto_plugin_aws import actions
from resoto_plugin_aws.accounts import discover
from resoto_plugin_aws.collector import collect_unit
from resoto_plugin_aws.config import AwsConfig
from resoto_plugin_aws.registry import all_kinds, selected
from resoto_plugin_aws.resources import GLOBAL_REGION, AwsAccount, AwsRegion
from resoto_plugin_aws.sessions import Access

CLOUD = "aws"


def _config(config: PluginConfig | None) -> AwsConfig:
    if isinstance(config, AwsConfig):
        return config
    if config is None:
        return AwsConfig()
    return AwsConfig.model_validate(config.model_dump())


@hookimpl
def cloud_info() -> CloudInfo:
    return CloudInfo(name=CLOUD, config=AwsConfig, description="Amazon Web Services")


@hookimpl
def resource_kinds() -> Sequence[type[BaseResource]]:
    return [AwsAccount, AwsRegion, *(k.cls for k in all_kinds().values())]


@hookimpl
def collection_units(config: PluginConfig | None, reporter: Reporter) -> Iterable[CollectionUnit]:
    cfg = _config(config)
    units: list[CollectionUnit] = []
    for info in discover(cfg, reporter):
        acc = info.access
        account = AwsAccount(
            id=acc.account_id,
            name=info.name or acc.account_id,
            partition=acc.partition,
            account_alias=info.alias,
            arn=f"arn:{acc.partition}:organizations::{acc.account_id}:account",
        )
        units.append(
            CollectionUnit(CLOUD, account, AwsRegion(id=GLOBAL_REGION), f"{acc.account_id}/global", acc)
        )
        for region in info.regions:
            units.append(
                CollectionUnit(CLOUD, account, AwsRegion(id=region), f"{acc.account_id}/{region}", acc)
            )
    return units


@hookimpl
def collect(
    unit: CollectionUnit, config: PluginConfig | None, builder: GraphBuilder, reporter: Reporter
) -> None:
    cfg = _config(config)
    access = unit.payload if isinstance(unit.payload, Access) else Access(unit.account.id)
    region = unit.region.id if unit.region is not None else GLOBAL_REGION
    collect_unit(access, region, cfg, builder, reporter, selected(cfg.collect, cfg.no_collect))


@hookimpl
def pre_cleanup(resource: BaseResource, location: Location, config: PluginConfig | None) -> None:
    actions.pre_cleanup(resource, location, _config(config))


@hookimpl
def check_resource(
    resource: BaseResource, location: Location, config: PluginConfig | None
) -> BaseResource | None:
    return actions.check_resource(resource, location, _config(config))


@hookimpl
def delete_resource(resource: BaseResource, location: Location, config: PluginConfig | None) -> None:
    actions.delete_resource(resource, location, _config(config))


@hookimpl
def update_tag(
    resource: BaseResource, location: Location, config: PluginConfig | None, key: str, value: str | None
) -> None:
    actions.update_tag(resource, location, _config(config), key, value)


@hookimpl
def delete_tag(resource: BaseResource, location: Location, config: PluginConfig | None, key: str) -> None:
    actions.delete_tag(resource, location, _config(config), key)


@hookimpl
def access_policy(config: PluginConfig | None, include_cleanup: bool) -> dict[str, Any]:
    """The least-privilege IAM policy, derived from the kind definitions (``--print-iam-policy aws``)."""
    from resoto_plugin_aws.iam_policy import policy_document

    return policy_document(include_cleanup=include_cleanup, include_tagging=include_cleanup)
