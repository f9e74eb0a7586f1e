"""Cloud SQL Admin children (databases, users, backup runs, operations.list) and GKE
``operations.list``. SQL objects use the documented JSON field names (``sql#database``,
``sql#user``, ``sql#backupRun``); GKE operations are ``container_v1.Operation`` messages."""

from __future__ import annotations

import re
from typing import Any

from google.cloud import container_v1

from fakes.gcp.compute import Reply
from fakes.gcp.errors import error_body
from fakes.gcp.services import ContainerState, SqlState, proto_json

Json = dict[str, Any]

_CHILD = re.compile(
    r"^/v1/projects/(?P<project>[^/]+)/instances/(?P<inst>[^/]+)/(?P<what>databases|users|backupRuns)(?:/(?P<name>[^/]+))?$"
)
_SQL_OPS = re.compile(r"^/v1/projects/(?P<project>[^/]+)/operations$")
_GKE_OPS = re.compile(r"^/v1/projects/(?P<project>[^/]+)/locations/(?P<loc>[^/]+)/operations$")


def seed_sql_children(sql: SqlState, project: str, instance: str) -> None:
    key = (project, instance)
    link = f"https://sqladmin.googleapis.com/v1/projects/{project}/instances/{instance}"
    sql.children[(*key, "databases")] = [
        {
            "kind": "sql#database",
            "name": "app",
            "instance": instance,
            "project": project,
            "charset": "UTF8",
            "collation": "en_US.UTF8",
            "selfLink": f"{link}/databases/app",
        }
    ]
    sql.children[(*key, "users")] = [
        {
            "kind": "sql#user",
            "name": "app",
            "instance": instance,
            "project": project,
            "host": "",
            "type": "BUILT_IN",
        }
    ]
    sql.children[(*key, "backupRuns")] = [
        {
            "kind": "sql#backupRun",
            "id": "1714557600000",
            "instance": instance,
            "status": "SUCCESSFUL",
            "type": "AUTOMATED",
            "backupKind": "SNAPSHOT",
            "enqueuedTime": "2024-05-01T10:00:00Z",
            "selfLink": f"{link}/backupRuns/1714557600000",
        }
    ]
    op = sql.operation(project, "CREATE", instance)
    op.update(status="DONE", user="admin@example.com", insertTime="2024-05-01T09:00:00Z")
    sql.listed_operations.setdefault(key, []).append(op)


def seed_gke_operation(gke: ContainerState, project: str, location: str, cluster: str) -> None:
    link = f"https://container.googleapis.com/v1/projects/{project}/locations/{location}/clusters/{cluster}"
    op = container_v1.Operation(
        name=f"operation-create-{cluster}-{project}",
        location=location,
        zone=location,
        operation_type=container_v1.Operation.Type.CREATE_CLUSTER,
        status=container_v1.Operation.Status.DONE,
        target_link=link,
        self_link=f"https://container.googleapis.com/v1/projects/{project}/locations/{location}/operations/operation-create-{cluster}-{project}",
        start_time="2024-04-01T00:00:00Z",
    )
    gke.operations[op.name] = op


def handle(
    sql: SqlState, gke: ContainerState, method: str, path: str, query: dict[str, str], on_delete: Any
) -> Reply | None:
    if m := _GKE_OPS.match(path):
        ops = [o for o in gke.operations.values() if f"/projects/{m['project']}/" in o.self_link]
        return Reply(200, proto_json(container_v1.ListOperationsResponse(operations=ops)))
    if m := _SQL_OPS.match(path):
        ops = sql.listed_operations.get((m["project"], query.get("instance", "")), [])
        return Reply(200, {"kind": "sql#operationsList", "items": ops})
    m = _CHILD.match(path)
    if m is None:
        return None
    project, inst, what = m["project"], m["inst"], m["what"]
    if (project, inst) not in sql.instances:
        return Reply(404, error_body(404, "The Cloud SQL instance does not exist.", "instanceDoesNotExist"))
    items = sql.children.setdefault((project, inst, what), [])
    if method == "GET" and m["name"] is None:
        return Reply(200, {"kind": f"sql#{what}List", "items": items})
    name = m["name"] or query.get("name")
    ident = "id" if what == "backupRuns" else "name"
    found = [d for d in items if str(d.get(ident)) == name]
    if not found:
        return Reply(404, error_body(404, f"{what} {name} does not exist"))
    if method == "DELETE":
        items.remove(found[0])
        on_delete("sqladmin", f"{project}/{inst}/{what}/{name}")
        return Reply(200, sql.operation(project, f"DELETE_{what.upper()}", inst))
    return Reply(200, found[0])
