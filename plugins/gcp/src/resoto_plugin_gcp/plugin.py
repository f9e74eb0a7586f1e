"""The hook implementations of the GCP plugin (thin: the work happens in the other modules)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from resoto_hookspecs import (
    BaseResource,
    CloudInfo,
    CollectionUnit,
    ConfigError,
    GraphBuilder,
    Location,
    PluginConfig,
    Reporter,
    hookimpl,
)

from resoto_plugin_gcp.config import GcpConfig
from resoto_plugin_gcp.kinds import ALL_KINDS

# Google's client libraries are large (importing google-cloud-compute alone costs ~150 MB and
# seconds): they are imported by the hooks that need them, so a worker that has this plugin
# installed but does not collect GCP never pays for them.


def _config(config: PluginConfig | None) -> GcpConfig:
    if config is None:
        return GcpConfig()
    if not isinstance(config, GcpConfig):
        raise ConfigError("the gcp section has an unexpected type")
    return config


@hookimpl
def cloud_info() -> CloudInfo:
    return CloudInfo(
        name="gcp", config=GcpConfig, description="Google Cloud: organisations, folders, projects"
    )


@hookimpl
def resource_kinds() -> Sequence[type[BaseResource]]:
    return ALL_KINDS


@hookimpl
def collection_units(config: PluginConfig | None, reporter: Reporter) -> Iterable[CollectionUnit]:
    from resoto_plugin_gcp import discovery

    return list(discovery.collection_units(_config(config), reporter))


@hookimpl
def collect(
    unit: CollectionUnit, config: PluginConfig | None, builder: GraphBuilder, reporter: Reporter
) -> None:
    from resoto_plugin_gcp.collector import collect_unit

    collect_unit(unit, _config(config), builder, reporter)


@hookimpl
def pre_cleanup(resource: BaseResource, location: Location, config: PluginConfig | None) -> None:
    from resoto_plugin_gcp.operations import ResourceOps

    ResourceOps(_config(config), location).pre_cleanup(resource)


@hookimpl
def check_resource(
    resource: BaseResource, location: Location, config: PluginConfig | None
) -> BaseResource | None:
    from resoto_plugin_gcp.operations import ResourceOps

    return ResourceOps(_config(config), location).check(resource)


@hookimpl
def delete_resource(resource: BaseResource, location: Location, config: PluginConfig | None) -> None:
    from resoto_plugin_gcp.operations import ResourceOps

    ResourceOps(_config(config), location).delete(resource)


@hookimpl
def update_tag(
    resource: BaseResource, location: Location, config: PluginConfig | None, key: str, value: str | None
) -> None:
    from resoto_plugin_gcp.operations import ResourceOps

    ResourceOps(_config(config), location).set_label(resource, key, value if value is not None else "")


@hookimpl
def delete_tag(resource: BaseResource, location: Location, config: PluginConfig | None, key: str) -> None:
    from resoto_plugin_gcp.operations import ResourceOps

    ResourceOps(_config(config), location).set_label(resource, key, None)
