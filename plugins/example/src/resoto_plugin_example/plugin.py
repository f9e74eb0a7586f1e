"""The hook implementations of the example cloud: thin wrappers around the modules that do the work.

The kernel finds this module through the entry point ``example = "resoto_plugin_example.plugin"``
in the group ``resoto.plugins`` and registers it with pluggy; every ``@hookimpl`` function below
is one hook. The kernel routes each hook (except ``plan_cleanup``) to this plugin only for
resources and units of the ``example`` cloud.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from resoto_hookspecs import (
    BaseResource,
    CleanupCandidate,
    CleanupFlag,
    CloudInfo,
    CollectionUnit,
    GraphBuilder,
    Location,
    Reporter,
    hookimpl,
)

from resoto_plugin_example import cleanup, collector, tagging
from resoto_plugin_example.config import ExampleConfig
from resoto_plugin_example.resources import ALL_KINDS
from resoto_plugin_example.store import ExampleStore


def _store(config: ExampleConfig) -> ExampleStore:
    return ExampleStore(config.state_file)


@hookimpl
def cloud_info() -> CloudInfo:
    return CloudInfo(
        name=collector.CLOUD, config=ExampleConfig, description="A synthetic cloud with local state"
    )


@hookimpl
def resource_kinds() -> Sequence[type[BaseResource]]:
    return list(ALL_KINDS)


@hookimpl
def access_policy(config: ExampleConfig | None, include_cleanup: bool) -> dict[str, Any] | None:
    return collector.access_policy(include_cleanup)


@hookimpl
def collection_units(config: ExampleConfig, reporter: Reporter) -> Iterable[CollectionUnit]:
    return list(collector.collection_units(config, reporter))


@hookimpl
def collect(unit: CollectionUnit, config: ExampleConfig, builder: GraphBuilder, reporter: Reporter) -> None:
    collector.collect(unit, config, builder, reporter)


@hookimpl
def plan_cleanup(
    candidates: Sequence[CleanupCandidate], config: ExampleConfig, reporter: Reporter
) -> Iterable[CleanupFlag] | None:
    return list(cleanup.plan_expired(candidates))


@hookimpl
def pre_cleanup(resource: BaseResource, location: Location, config: ExampleConfig) -> None:
    cleanup.pre_cleanup(resource, _store(config))


@hookimpl
def check_resource(resource: BaseResource, location: Location, config: ExampleConfig) -> BaseResource | None:
    return cleanup.check_resource(resource, _store(config))


@hookimpl
def delete_resource(resource: BaseResource, location: Location, config: ExampleConfig) -> None:
    cleanup.delete_resource(resource, _store(config))


@hookimpl
def update_tag(
    resource: BaseResource, location: Location, config: ExampleConfig, key: str, value: str | None
) -> None:
    tagging.update_tag(resource, _store(config), key, value)


@hookimpl
def delete_tag(resource: BaseResource, location: Location, config: ExampleConfig, key: str) -> None:
    tagging.delete_tag(resource, _store(config), key)
