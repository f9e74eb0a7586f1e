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


@hookimpl
def cloud_info() -> CloudInfo:
    return CloudInfo(name=CLOUD, config=AwsConfig, description="Amazon Web Services")


@hookimpl
def resource_kinds() -> Sequence[type[BaseResource]]:
    return [AwsAccount, AwsRegion, *(k.cls for k in all_kinds().values())]


@hookimpl
def collection_units(config: AwsConfig, reporter: Reporter) -> Iterable[CollectionUnit]:
    units: list[CollectionUnit] = []
    for info in discover(config, reporter):
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
def collect(unit: CollectionUnit, config: AwsConfig, builder: GraphBuilder, reporter: Reporter) -> None:
    access = unit.payload if isinstance(unit.payload, Access) else Access(unit.account.id)
    region = unit.region.id if unit.region is not None else GLOBAL_REGION
    collect_unit(access, region, config, builder, reporter, selected(config.collect, config.no_collect))


@hookimpl
def pre_cleanup(
    resource: BaseResource, location: Location, config: AwsConfig, unit: CollectionUnit | None
) -> None:
    actions.pre_cleanup(resource, location, config, unit)


@hookimpl
def check_resource(
    resource: BaseResource, location: Location, config: AwsConfig, unit: CollectionUnit | None
) -> BaseResource | None:
    return actions.check_resource(resource, location, config, unit)


@hookimpl
def delete_resource(
    resource: BaseResource, location: Location, config: AwsConfig, unit: CollectionUnit | None
) -> None:
    actions.delete_resource(resource, location, config, unit)


@hookimpl
def update_tag(
    resource: BaseResource,
    location: Location,
    config: AwsConfig,
    key: str,
    value: str | None,
    unit: CollectionUnit | None,
) -> None:
    actions.update_tag(resource, location, config, unit, key, value)


@hookimpl
def delete_tag(
    resource: BaseResource, location: Location, config: AwsConfig, key: str, unit: CollectionUnit | None
) -> None:
    actions.delete_tag(resource, location, config, unit, key)


@hookimpl
def access_policy(config: AwsConfig | None, include_cleanup: bool) -> dict[str, Any]:
    """The least-privilege IAM policy, derived from the kind definitions (``--print-iam-policy aws``)."""
    from resoto_plugin_aws.iam_policy import policy_document

    return policy_document(include_cleanup=include_cleanup, include_tagging=include_cleanup)
