"""What the cleanup and tag hooks do with one resource: route it to its service's API."""

from __future__ import annotations

from resoto_hookspecs import AccessDenied, BaseResource, CollectionUnit, ConfigError, Location, NotSupported

from resoto_plugin_gcp import container, extra_ops, storage
from resoto_plugin_gcp.clients import Clients
from resoto_plugin_gcp.compute_ops import ComputeOps
from resoto_plugin_gcp.compute_specs import SPEC_BY_KIND
from resoto_plugin_gcp.config import GcpConfig
from resoto_plugin_gcp.errors import make_retry
from resoto_plugin_gcp.payload import UnitPayload
from resoto_plugin_gcp.resources import (
    GcpBucket,
    GcpContainerCluster,
    GcpContainerNodePool,
    GcpResource,
    GcpSqlDatabaseInstance,
)
from resoto_plugin_gcp.sqladmin import SqlAdmin, sql_resource


class ResourceOps:
    """Delete, re-read and relabel resources of one project, with the key file that found it."""

    def __init__(self, config: GcpConfig, location: Location, unit: CollectionUnit | None) -> None:
        if not location.account:
            raise ConfigError("a GCP resource location needs its project (account)")
        if unit is None or not isinstance(unit.payload, UnitPayload):
            raise AccessDenied(
                f"project {location.account} is not reachable with this config (no collection unit)"
            )
        self.config = config
        self.project = location.account
        self.clients = Clients(config, unit.payload.credential_index)
        self.retry = make_retry(config)
        self.timeout = config.operation_timeout

    @property
    def compute(self) -> ComputeOps:
        return ComputeOps(self.clients, self.retry, self.timeout)

    def sql(self) -> SqlAdmin:
        return SqlAdmin(self.clients.session, self.clients.sqladmin_endpoint, self.project, self.retry)

    def pre_cleanup(self, resource: BaseResource) -> None:
        if isinstance(resource, GcpBucket):
            storage.empty_bucket(self.clients.storage(self.project), resource.id, self.retry)

    def delete(self, resource: BaseResource) -> None:
        kind = type(resource).kind
        if not type(resource).deletable:
            raise NotSupported(f"{kind} cannot be deleted")
        if kind in SPEC_BY_KIND:
            self.compute.delete(kind, self.project, resource.id)
        elif isinstance(resource, GcpBucket):
            storage.delete_bucket(self.clients.storage(self.project), resource.id, self.retry)
        elif isinstance(resource, (GcpContainerCluster, GcpContainerNodePool)):
            container.delete(self.clients.container, self.project, resource.id, self.retry, self.timeout)
        elif isinstance(resource, GcpSqlDatabaseInstance):
            self.sql().delete(resource.id, self.timeout)
        elif extra_ops.handles(resource):
            extra_ops.delete(self.clients, self.project, resource, self.retry, self.timeout)
        else:
            raise NotSupported(f"{kind} cannot be deleted by the GCP plugin")

    def check(self, resource: BaseResource) -> GcpResource:
        kind = type(resource).kind
        if kind in SPEC_BY_KIND:
            return self.compute.check(kind, self.project, resource.id)
        if isinstance(resource, GcpBucket):
            return storage.get_bucket(self.clients.storage(self.project), resource.id, self.retry)
        if isinstance(resource, GcpContainerCluster):
            return container.cluster_resource(
                container.get_cluster(self.clients.container, self.project, resource.id, self.retry)
            )
        if isinstance(resource, GcpContainerNodePool):
            d = container.get_cluster(self.clients.container, self.project, resource.id, self.retry)
            return GcpContainerNodePool(
                id=resource.id, name=d.get("name", resource.name), status=d.get("status")
            )
        if isinstance(resource, GcpSqlDatabaseInstance):
            return sql_resource(self.sql().get(resource.id))
        if extra_ops.handles(resource):
            return extra_ops.check(self.clients, self.project, resource, self.retry, self.timeout)
        raise NotSupported(f"{kind} cannot be re-read by the GCP plugin")

    def set_label(self, resource: BaseResource, key: str, value: str | None) -> None:
        """``value=None`` removes the label."""
        kind = type(resource).kind
        if not type(resource).taggable:
            raise NotSupported(f"{kind} has no labels")
        if kind in SPEC_BY_KIND:
            self.compute.set_label(kind, self.project, resource.id, key, value)
        elif isinstance(resource, GcpBucket):
            storage.set_bucket_label(self.clients.storage(self.project), resource.id, key, value, self.retry)
        elif isinstance(resource, GcpContainerCluster):
            container.set_label(
                self.clients.container, self.project, resource.id, key, value, self.retry, self.timeout
            )
        elif isinstance(resource, GcpSqlDatabaseInstance):
            self.sql().set_label(resource.id, key, value, self.timeout)
        elif extra_ops.handles(resource):
            extra_ops.set_label(self.clients, self.project, resource, key, value, self.retry, self.timeout)
        else:
            raise NotSupported(f"{kind} has no labels")
