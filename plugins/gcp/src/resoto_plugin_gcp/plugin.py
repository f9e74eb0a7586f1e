"""The hook implementations of the GCP plugin (thin: the work happens in the other modules)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from resoto_hookspecs import (
    BaseResource,
    CloudInfo,
    CollectionUnit,
    GraphBuilder,
    Location,
    Reporter,
    hookimpl,
)

from resoto_plugin_gcp.config import GcpConfig
from resoto_plugin_gcp.kinds import ALL_KINDS

if TYPE_CHECKING:
    from resoto_plugin_gcp.operations import ResourceOps

# Google's client libraries are large (importing google-cloud-compute alone costs ~150 MB and
# seconds): they are imported by the hooks that need them, so a worker that has this plugin
# installed but does not collect GCP never pays for them.


@hookimpl
def cloud_info() -> CloudInfo:
    return CloudInfo(
        name="gcp", config=GcpConfig, description="Google Cloud: organisations, folders, projects"
    )


@hookimpl
def resource_kinds() -> Sequence[type[BaseResource]]:
    return ALL_KINDS


@hookimpl
def collection_units(config: GcpConfig, reporter: Reporter) -> Iterable[CollectionUnit]:
    from resoto_plugin_gcp import discovery

    return list(discovery.collection_units(config, reporter))


@hookimpl
def collect(unit: CollectionUnit, config: GcpConfig, builder: GraphBuilder, reporter: Reporter) -> None:
    from resoto_plugin_gcp.collector import collect_unit

    collect_unit(unit, config, builder, reporter)


def _ops(config: GcpConfig, location: Location, unit: CollectionUnit | None) -> ResourceOps:
    from resoto_plugin_gcp.operations import ResourceOps

    return ResourceOps(config, location, unit)


@hookimpl
def pre_cleanup(
    resource: BaseResource, location: Location, config: GcpConfig, unit: CollectionUnit | None
) -> None:
    _ops(config, location, unit).pre_cleanup(resource)


@hookimpl
def check_resource(
    resource: BaseResource, location: Location, config: GcpConfig, unit: CollectionUnit | None
) -> BaseResource | None:
    return _ops(config, location, unit).check(resource)


@hookimpl
def delete_resource(
    resource: BaseResource, location: Location, config: GcpConfig, unit: CollectionUnit | None
) -> None:
    _ops(config, location, unit).delete(resource)


@hookimpl
def update_tag(
    resource: BaseResource,
    location: Location,
    config: GcpConfig,
    key: str,
    value: str | None,
    unit: CollectionUnit | None,
) -> None:
    _ops(config, location, unit).set_label(resource, key, value if value is not None else "")


@hookimpl
def delete_tag(
    resource: BaseResource, location: Location, config: GcpConfig, key: str, unit: CollectionUnit | None
) -> None:
    _ops(config, location, unit).set_label(resource, key, None)
