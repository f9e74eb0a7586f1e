"""Cloud SQL instances through the SQL Admin REST API (v1).

There is no google-cloud-* GAPIC client for Cloud SQL Admin, so this module calls its few REST
methods (instances list/get/delete/patch, operations get) with ``google-auth``'s
``AuthorizedSession``; errors become ``google.api_core`` exceptions and calls go through the same
``Retry`` as every other client. That is four URLs, not worth the discovery-based
``google-api-python-client`` and its dependencies.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from google.api_core import exceptions as gexc
from google.api_core.retry import Retry
from google.auth.transport.requests import AuthorizedSession
from resoto_hookspecs import ResourceGone

from resoto_plugin_gcp.context import UnitContext
from resoto_plugin_gcp.links import region_of_location
from resoto_plugin_gcp.resources import GcpSqlDatabaseInstance
from resoto_plugin_gcp.rest import RestApi

SERVICE = "sqladmin"


class SqlAdmin:
    """The SQL Admin v1 calls this plugin makes."""

    def __init__(self, session: AuthorizedSession, endpoint: str, project: str, retry: Retry) -> None:
        self.api = RestApi(session, f"{endpoint}/v1/projects/{project}", retry)

    def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        return self.api.call(method, path, **kwargs)

    def list_instances(self, page_size: int) -> Iterator[dict[str, Any]]:
        """Every page of ``instances.list``."""
        return self.api.pages("/instances", size_param="maxResults", page_size=page_size)

    def list_children(self, instance: str, what: str, page_size: int) -> Iterator[dict[str, Any]]:
        """Every page of ``databases``/``users``/``backupRuns`` of an instance."""
        return self.api.pages(f"/instances/{instance}/{what}", size_param="maxResults", page_size=page_size)

    def list_operations(self, page_size: int) -> Iterator[dict[str, Any]]:
        return self.api.pages("/operations", size_param="maxResults", page_size=page_size)

    def get(self, name: str) -> dict[str, Any]:
        try:
            return self._call("GET", f"/instances/{name}")
        except gexc.NotFound:
            raise ResourceGone(f"Cloud SQL instance {name} no longer exists") from None

    def wait(self, op: dict[str, Any], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        delay = 0.05
        while op.get("status") != "DONE":
            if time.monotonic() > deadline:
                raise TimeoutError(f"Cloud SQL operation {op.get('name')} did not complete in {timeout:.0f}s")
            time.sleep(delay)
            delay = min(delay * 2, 5.0)
            op = self._call("GET", f"/operations/{op['name']}")
        errors = (op.get("error") or {}).get("errors") or []
        if errors:
            raise RuntimeError(
                f"Cloud SQL operation {op.get('name')} failed: {errors[0].get('message', errors[0])}"
            )

    def delete(self, name: str, timeout: float) -> None:
        try:
            op = self._call("DELETE", f"/instances/{name}")
        except gexc.NotFound:
            raise ResourceGone(f"Cloud SQL instance {name} no longer exists") from None
        self.wait(op, timeout)

    def set_label(self, name: str, key: str, value: str | None, timeout: float) -> None:
        """Patch one user label; ``None`` removes it (JSON merge-patch: a null value deletes the key)."""
        current = self.get(name)
        labels = ((current.get("settings") or {}).get("userLabels")) or {}
        if value is None and key not in labels:
            return
        body = {"settings": {"userLabels": {key: value}}}
        try:
            op = self._call("PATCH", f"/instances/{name}", json=body)
        except gexc.NotFound:
            raise ResourceGone(f"Cloud SQL instance {name} no longer exists") from None
        self.wait(op, timeout)


def sql_resource(d: dict[str, Any]) -> GcpSqlDatabaseInstance:
    settings = d.get("settings") or {}
    return GcpSqlDatabaseInstance(
        id=d["name"],
        name=d["name"],
        link=d.get("selfLink"),
        tags=dict(settings.get("userLabels") or {}),
        ctime=d.get("createTime") or None,
        database_version=d.get("databaseVersion"),
        state=d.get("state"),
        tier=settings.get("tier"),
        instance_type=d.get("instanceType"),
        ip_addresses=[ip["ipAddress"] for ip in d.get("ipAddresses") or [] if ip.get("ipAddress")],
        deletion_protection=settings.get("deletionProtectionEnabled"),
    )


def instances_loader(ctx: UnitContext) -> Any:
    def load() -> Iterator[tuple[str, Any]]:
        api = SqlAdmin(ctx.clients.session, ctx.clients.sqladmin_endpoint, ctx.project, ctx.retry)
        try:
            for page in api.list_instances(ctx.config.page_size):
                ctx.count(SERVICE, "instances.list")
                for item in page.get("items") or []:
                    yield region_of_location(item.get("region"), set(ctx.payload.known_regions)), item
        except Exception as e:
            ctx.count(SERVICE, "instances.list", e)
            raise

    return load
