"""The hook implementations of the Slack plugin. Logic lives in the sibling modules."""

from __future__ import annotations

from collections.abc import Sequence

from resoto_hookspecs import (
    BaseResource,
    CloudInfo,
    CollectionUnit,
    GraphBuilder,
    Location,
    Reporter,
    hookimpl,
)

from resoto_plugin_slack import cleanup
from resoto_plugin_slack.config import SlackConfig
from resoto_plugin_slack.resources import SLACK_KINDS
from resoto_plugin_slack.units import collect_unit, workspace_units

CLOUD = "slack"


@hookimpl
def cloud_info() -> CloudInfo:
    return CloudInfo(
        name=CLOUD, config=SlackConfig, description="Slack workspaces: users, user groups, channels"
    )


@hookimpl
def resource_kinds() -> Sequence[type[BaseResource]]:
    return list(SLACK_KINDS)


@hookimpl
def collection_units(config: SlackConfig, reporter: Reporter) -> list[CollectionUnit]:
    return list(workspace_units(CLOUD, config, reporter))


@hookimpl
def collect(unit: CollectionUnit, config: SlackConfig, builder: GraphBuilder, reporter: Reporter) -> None:
    collect_unit(unit, config, builder, reporter)


@hookimpl
def check_resource(
    resource: BaseResource, location: Location, config: SlackConfig, unit: CollectionUnit | None
) -> BaseResource | None:
    return cleanup.check_conversation(resource, location, config, unit)


@hookimpl
def delete_resource(
    resource: BaseResource, location: Location, config: SlackConfig, unit: CollectionUnit | None
) -> None:
    cleanup.archive_conversation(resource, location, config, unit)


@hookimpl
def update_tag(resource: BaseResource) -> None:
    cleanup.refuse_tags(resource)


@hookimpl
def delete_tag(resource: BaseResource) -> None:
    cleanup.refuse_tags(resource)
