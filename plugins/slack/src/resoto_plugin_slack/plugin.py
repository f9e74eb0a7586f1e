"""The hook implementations of the Slack plugin. Logic lives in the sibling modules."""

from __future__ import annotations

from collections.abc import Sequence

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

from resoto_plugin_slack import cleanup
from resoto_plugin_slack.config import SlackConfig
from resoto_plugin_slack.resources import SLACK_KINDS
from resoto_plugin_slack.units import collect_unit, workspace_units

CLOUD = "slack"


def _config(config: PluginConfig | None) -> SlackConfig:
    return config if isinstance(config, SlackConfig) else SlackConfig()


@hookimpl
def cloud_info() -> CloudInfo:
    return CloudInfo(
        name=CLOUD, config=SlackConfig, description="Slack workspaces: users, user groups, channels"
    )


@hookimpl
def resource_kinds() -> Sequence[type[BaseResource]]:
    return list(SLACK_KINDS)


@hookimpl
def collection_units(config: PluginConfig | None, reporter: Reporter) -> list[CollectionUnit]:
    return list(workspace_units(CLOUD, _config(config), reporter))


@hookimpl
def collect(
    unit: CollectionUnit, config: PluginConfig | None, builder: GraphBuilder, reporter: Reporter
) -> None:
    collect_unit(unit, _config(config), builder, reporter)


@hookimpl
def check_resource(
    resource: BaseResource, location: Location, config: PluginConfig | None
) -> BaseResource | None:
    return cleanup.check_conversation(resource, location, _config(config))


@hookimpl
def delete_resource(resource: BaseResource, location: Location, config: PluginConfig | None) -> None:
    cleanup.archive_conversation(resource, location, _config(config))


@hookimpl
def update_tag(
    resource: BaseResource, location: Location, config: PluginConfig | None, key: str, value: str | None
) -> None:
    cleanup.refuse_tags(resource)


@hookimpl
def delete_tag(resource: BaseResource, location: Location, config: PluginConfig | None, key: str) -> None:
    cleanup.refuse_tags(resource)
