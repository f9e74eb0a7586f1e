"""Delete, re-read and relabel the kinds added after the first release (REST table, Cloud SQL
children, Storage objects), for :class:`operations.ResourceOps`: one entry point per action."""

from __future__ import annotations

from google.api_core.retry import Retry
from resoto_hookspecs import BaseResource, NotSupported

from resoto_plugin_gcp import storage
from resoto_plugin_gcp.clients import Clients
from resoto_plugin_gcp.resources import GcpResource
from resoto_plugin_gcp.resources_more import GcpObject
from resoto_plugin_gcp.rest_ops import RestOps, rest_spec
from resoto_plugin_gcp.sql_children import delete_sql_child, is_sql_child
from resoto_plugin_gcp.sqladmin import SqlAdmin


def handles(resource: BaseResource) -> bool:
    return rest_spec(resource) is not None or is_sql_child(resource) or isinstance(resource, GcpObject)


def delete(clients: Clients, project: str, resource: BaseResource, retry: Retry, timeout: float) -> None:
    spec = rest_spec(resource)
    if spec is not None:
        RestOps(clients, project, retry, timeout).delete(spec, resource)
    elif is_sql_child(resource):
        delete_sql_child(
            SqlAdmin(clients.session, clients.sqladmin_endpoint, project, retry), resource, timeout
        )
    elif isinstance(resource, GcpObject):
        storage.delete_object(clients.storage(project), resource.id, retry)
    else:
        raise NotSupported(f"{type(resource).kind} cannot be deleted by the GCP plugin")


def check(
    clients: Clients, project: str, resource: BaseResource, retry: Retry, timeout: float
) -> GcpResource:
    spec = rest_spec(resource)
    if spec is None:
        raise NotSupported(f"{type(resource).kind} cannot be re-read by the GCP plugin")
    return RestOps(clients, project, retry, timeout).check(spec, resource)


def set_label(
    clients: Clients,
    project: str,
    resource: BaseResource,
    key: str,
    value: str | None,
    retry: Retry,
    timeout: float,
) -> None:
    spec = rest_spec(resource)
    if spec is None:
        raise NotSupported(f"{type(resource).kind} has no labels")
    RestOps(clients, project, retry, timeout).set_label(spec, resource, key, value)
