"""Cloud SQL databases, users, backup runs and operations (SQL Admin v1 REST), per instance.

Listed by the unit that added the instance: ``databases.list``, ``users.list``,
``backupRuns.list`` and ``operations.list?instance=`` once per instance. Databases, users and
backup runs can be deleted (their operations are waited on); none of them has labels.
"""

from __future__ import annotations

from typing import Any

from google.api_core import exceptions as gexc
from resoto_hookspecs import BaseResource, NotSupported, ResourceGone

from resoto_plugin_gcp.compute import ref_node_id
from resoto_plugin_gcp.context import UnitContext
from resoto_plugin_gcp.resources import GcpResource, GcpSqlDatabaseInstance
from resoto_plugin_gcp.resources_more import GcpSqlBackupRun, GcpSqlDatabase, GcpSqlOperation, GcpSqlUser
from resoto_plugin_gcp.sqladmin import SERVICE, SqlAdmin, instances_loader, sql_resource

Json = dict[str, Any]


def _database(instance: str, d: Json) -> GcpSqlDatabase:
    return GcpSqlDatabase(
        id=f"{instance}/databases/{d['name']}",
        name=d["name"],
        link=d.get("selfLink"),
        instance=instance,
        charset=d.get("charset"),
        collation=d.get("collation"),
    )


def _user(instance: str, d: Json) -> GcpSqlUser:
    return GcpSqlUser(
        id=f"{instance}/users/{d['name']}",
        name=d["name"],
        instance=instance,
        host=d.get("host") or None,
        user_type=d.get("type"),
    )


def _backup_run(instance: str, d: Json) -> GcpSqlBackupRun:
    return GcpSqlBackupRun(
        id=f"{instance}/backupRuns/{d['id']}",
        name=str(d["id"]),
        link=d.get("selfLink"),
        gcp_id=str(d["id"]),
        description=d.get("description") or None,
        ctime=d.get("enqueuedTime") or None,
        instance=instance,
        status=d.get("status"),
        backup_type=d.get("type"),
        backup_kind=d.get("backupKind"),
        start_time=d.get("startTime"),
        end_time=d.get("endTime"),
    )


def _operation(instance: str, d: Json) -> GcpSqlOperation:
    return GcpSqlOperation(
        id=f"operations/{d['name']}",
        name=d["name"],
        link=d.get("selfLink"),
        ctime=d.get("insertTime") or None,
        instance=instance,
        operation_type=d.get("operationType"),
        status=d.get("status"),
        user=d.get("user"),
        start_time=d.get("startTime"),
        end_time=d.get("endTime"),
    )


CHILDREN = (
    (GcpSqlDatabase, "databases", _database),
    (GcpSqlUser, "users", _user),
    (GcpSqlBackupRun, "backupRuns", _backup_run),
    (GcpSqlOperation, "operations", _operation),
)


def _collect_children(ctx: UnitContext, api: SqlAdmin, instance: str, parent: str, filed: str | None) -> None:
    for cls, what, make in CHILDREN:
        if not ctx.config.wants(cls.kind) or SERVICE in ctx.disabled:
            continue
        try:
            if what == "operations":
                pages = api.api.pages(
                    "/operations", {"instance": instance}, "maxResults", ctx.config.page_size
                )
            else:
                pages = api.list_children(instance, what, ctx.config.page_size)
            items = [item for page in pages for item in page.get("items") or []]
            ctx.count(SERVICE, f"{what}.list")
        except Exception as e:
            ctx.count(SERVICE, f"{what}.list", e)
            ctx.report_error(SERVICE, f"{cls.kind} of {instance}", e, kind=cls.kind)
            continue
        for item in items:
            try:
                resource: GcpResource = make(instance, item)
            except (KeyError, ValueError) as e:
                ctx.reporter.error(
                    f"cannot read {cls.kind} of {instance}: {e}", kind=cls.kind, service=SERVICE
                )
                continue
            this = ctx.builder.add(resource, region=filed)
            ctx.link(this, parent, owner=True, delete="this_first")


def is_sql_child(resource: BaseResource) -> bool:
    return isinstance(resource, (GcpSqlDatabase, GcpSqlUser, GcpSqlBackupRun, GcpSqlOperation))


def delete_sql_child(api: SqlAdmin, resource: BaseResource, timeout: float) -> None:
    instance, what, name = resource.id.split("/", 2)
    if what == "users":
        host = getattr(resource, "host", None)
        path, params = f"/instances/{instance}/users", {"name": name, **({"host": host} if host else {})}
    elif what in ("databases", "backupRuns"):
        path, params = f"/instances/{instance}/{what}/{name}", {}
    else:
        raise NotSupported(f"{type(resource).kind} cannot be deleted")
    try:
        op = api._call("DELETE", path, params=params)
    except gexc.NotFound:
        raise ResourceGone(f"{type(resource).kind} {resource.id} no longer exists") from None
    api.wait(op, timeout)


def collect_sql(ctx: UnitContext) -> None:
    if not ctx.config.wants(GcpSqlDatabaseInstance.kind):
        return
    filed = ctx.file_region(ctx.region)
    api = SqlAdmin(ctx.clients.session, ctx.clients.sqladmin_endpoint, ctx.project, ctx.retry)
    for d in ctx.items(
        SERVICE, GcpSqlDatabaseInstance.kind, instances_loader(ctx), kind=GcpSqlDatabaseInstance.kind
    ):
        this = ctx.builder.add(sql_resource(d), region=filed)
        _collect_children(ctx, api, d["name"], this, filed)
        network = ((d.get("settings") or {}).get("ipConfiguration") or {}).get("privateNetwork")
        ctx.link(this, ref_node_id(ctx, network), owner=True, delete="this_first")
