"""Resource Manager v3, Cloud Storage JSON API, GKE (container v1) and Cloud SQL Admin v1.

Resource Manager and GKE objects are built from the client libraries' message types and sent as
their JSON. The Storage JSON API and SQL Admin have no such types in the Python libraries; their
objects use the documented JSON field names (``timeCreated``, ``settings.userLabels``) and are
read back through ``google-cloud-storage``'s own ``Bucket`` and the plugin in the tests.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass, field
from typing import Any

from google.cloud import container_v1, resourcemanager_v3

from fakes.gcp.compute import Reply
from fakes.gcp.errors import error_body

Json = dict[str, Any]


def proto_json(msg: Any) -> Json:
    return json.loads(type(msg).to_json(msg, use_integers_for_enums=False))  # type: ignore[no-any-return]


def _page(items: list[Any], query: dict[str, str], size_key: str) -> tuple[list[Any], str | None]:
    start = int(query.get("pageToken") or 0)
    size = max(1, int(query.get(size_key) or 100))
    token = str(start + size) if start + size < len(items) else None
    return items[start : start + size], token


# -- Resource Manager v3 --------------------------------------------------------------------------


@dataclass
class ResourceManagerState:
    organizations: dict[str, resourcemanager_v3.Organization] = field(default_factory=dict)
    folders: dict[str, resourcemanager_v3.Folder] = field(default_factory=dict)
    projects: dict[str, resourcemanager_v3.Project] = field(default_factory=dict)
    numbers: itertools.count[int] = field(default_factory=lambda: itertools.count(100000000001))

    def organization(self, org_id: str, display_name: str) -> str:
        name = f"organizations/{org_id}"
        self.organizations[name] = resourcemanager_v3.Organization(
            name=name, display_name=display_name, state=resourcemanager_v3.Organization.State.ACTIVE
        )
        return name

    def folder(self, folder_id: str, display_name: str, parent: str) -> str:
        name = f"folders/{folder_id}"
        self.folders[name] = resourcemanager_v3.Folder(
            name=name, display_name=display_name, parent=parent, state=resourcemanager_v3.Folder.State.ACTIVE
        )
        return name

    def project(
        self, project_id: str, parent: str, labels: dict[str, str] | None = None, active: bool = True
    ) -> str:
        number = str(next(self.numbers))
        state = (
            resourcemanager_v3.Project.State.ACTIVE
            if active
            else resourcemanager_v3.Project.State.DELETE_REQUESTED
        )
        self.projects[project_id] = resourcemanager_v3.Project(
            name=f"projects/{number}",
            project_id=project_id,
            display_name=project_id.replace("-", " ").title(),
            parent=parent,
            state=state,
            labels=labels or {},
            create_time="2023-05-01T12:00:00Z",
        )
        return number

    def number(self, project_id: str) -> str:
        p = self.projects.get(project_id)
        return p.name.split("/", 1)[1] if p else "0"


def resourcemanager(
    state: ResourceManagerState, method: str, path: str, query: dict[str, str]
) -> Reply | None:
    if not path.startswith("/v3/") or method != "GET":
        return None
    if path == "/v3/organizations:search":
        chunk, token = _page([proto_json(o) for o in state.organizations.values()], query, "pageSize")
        return Reply(200, {"organizations": chunk, **({"nextPageToken": token} if token else {})})
    if path == "/v3/folders":
        parent = query.get("parent", "")
        folders = [proto_json(f) for f in state.folders.values() if f.parent == parent]
        chunk, token = _page(folders, query, "pageSize")
        return Reply(200, {"folders": chunk, **({"nextPageToken": token} if token else {})})
    if path.startswith("/v3/folders/"):
        f = state.folders.get(path[len("/v3/") :])
        return Reply(200, proto_json(f)) if f else Reply(404, error_body(404, f"folder {path} not found"))
    if path in ("/v3/projects", "/v3/projects:search"):
        parent = query.get("parent")
        projects = [
            proto_json(p)
            for p in state.projects.values()
            if (parent is None or p.parent == parent) and p.state == resourcemanager_v3.Project.State.ACTIVE
        ]
        chunk, token = _page(projects, query, "pageSize")
        return Reply(200, {"projects": chunk, **({"nextPageToken": token} if token else {})})
    return None


# -- Cloud Storage JSON API -------------------------------------------------------------------------


@dataclass
class StorageState:
    buckets: dict[str, Json] = field(default_factory=dict)
    objects: dict[str, dict[str, Json]] = field(default_factory=dict)
    project_of: dict[str, str] = field(default_factory=dict)

    def bucket(
        self, project: str, project_number: str, name: str, location: str, labels: dict[str, str]
    ) -> Json:
        data: Json = {
            "kind": "storage#bucket",
            "selfLink": f"https://www.googleapis.com/storage/v1/b/{name}",
            "id": name,
            "name": name,
            "projectNumber": project_number,
            "metageneration": "1",
            "location": location.upper(),
            "locationType": "multi-region" if location.upper() in ("US", "EU", "ASIA") else "region",
            "storageClass": "STANDARD",
            "etag": "CAE=",
            "timeCreated": "2024-01-02T03:04:05.000Z",
            "updated": "2024-01-02T03:04:05.000Z",
            "labels": dict(labels),
            "versioning": {"enabled": False},
        }
        self.buckets[name] = data
        self.objects[name] = {}
        self.project_of[name] = project
        return data

    def put_object(self, bucket: str, name: str, size: int = 10) -> None:
        self.objects[bucket][name] = {
            "kind": "storage#object",
            "id": f"{bucket}/{name}/1",
            "name": name,
            "bucket": bucket,
            "generation": "1",
            "metageneration": "1",
            "size": str(size),
            "timeCreated": "2024-01-02T03:04:05.000Z",
        }


_OBJ = re.compile(r"^/storage/v1/b/(?P<bucket>[^/]+)/o(?:/(?P<object>.+))?$")
_BUCKET = re.compile(r"^/storage/v1/b/(?P<bucket>[^/]+)$")


def storage(
    state: StorageState, method: str, path: str, query: dict[str, str], body: Json | None, on_delete: Any
) -> Reply | None:
    if not path.startswith("/storage/v1/"):
        return None
    if path == "/storage/v1/b" and method == "GET":
        project = query.get("project")
        items = [b for n, b in sorted(state.buckets.items()) if state.project_of[n] == project]
        chunk, token = _page(items, query, "maxResults")
        return Reply(
            200, {"kind": "storage#buckets", "items": chunk, **({"nextPageToken": token} if token else {})}
        )
    if m := _OBJ.match(path):
        bucket = m["bucket"]
        if bucket not in state.buckets:
            return Reply(404, error_body(404, "The specified bucket does not exist."))
        objects = state.objects[bucket]
        if m["object"] is None and method == "GET":
            chunk, token = _page(list(objects.values()), query, "maxResults")
            return Reply(
                200,
                {"kind": "storage#objects", "items": chunk, **({"nextPageToken": token} if token else {})},
            )
        name = m["object"]
        if method == "DELETE" and name is not None:
            if objects.pop(name, None) is None:
                return Reply(404, error_body(404, "No such object"))
            return Reply(204, None)
        return None
    if m := _BUCKET.match(path):
        name = m["bucket"]
        data = state.buckets.get(name)
        if data is None:
            return Reply(404, error_body(404, "The specified bucket does not exist."))
        if method == "GET":
            return Reply(200, data)
        if method == "PATCH":
            if "ifMetagenerationMatch" in query and query["ifMetagenerationMatch"] != data["metageneration"]:
                return Reply(412, error_body(412, "Precondition Failed"))
            for key, value in ((body or {}).get("labels") or {}).items():
                if value is None:
                    data["labels"].pop(key, None)
                else:
                    data["labels"][key] = value
            data["metageneration"] = str(int(data["metageneration"]) + 1)
            return Reply(200, data)
        if method == "DELETE":
            if state.objects[name]:
                return Reply(409, error_body(409, "The bucket you tried to delete is not empty."))
            del state.buckets[name]
            on_delete("storage", f"b/{name}")
            return Reply(204, None)
    return None


# -- GKE (container v1) --------------------------------------------------------------------------------


@dataclass
class ContainerState:
    clusters: dict[tuple[str, str, str], container_v1.Cluster] = field(default_factory=dict)
    operations: dict[str, container_v1.Operation] = field(default_factory=dict)
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def add(self, project: str, cluster: container_v1.Cluster) -> None:
        cluster.self_link = f"https://container.googleapis.com/v1/projects/{project}/locations/{cluster.location}/clusters/{cluster.name}"
        cluster.label_fingerprint = cluster.label_fingerprint or f"lf{next(self.ids)}"
        for np in cluster.node_pools:
            np.self_link = f"{cluster.self_link}/nodePools/{np.name}"
        self.clusters[(project, cluster.location, cluster.name)] = cluster

    def operation(self, location: str, op_type: Any, target: str) -> Json:
        op = container_v1.Operation(
            name=f"operation-{next(self.ids)}",
            location=location,
            zone=location,
            operation_type=op_type,
            status=container_v1.Operation.Status.RUNNING,
            target_link=target,
        )
        self.operations[op.name] = op
        return proto_json(op)


_GKE = re.compile(
    r"^/v1/projects/(?P<project>[^/]+)/locations/(?P<loc>[^/]+)/"
    r"(?:operations/(?P<op>[^/]+)|clusters(?:/(?P<cluster>[^/:]+)(?::(?P<verb>[A-Za-z]+)|/nodePools/(?P<pool>[^/]+))?)?)$"
)


def container(
    state: ContainerState, method: str, path: str, body: Json | None, on_delete: Any
) -> Reply | None:
    m = _GKE.match(path)
    if m is None:
        return None
    project, loc = m["project"], m["loc"]
    if m["op"]:
        op = state.operations.get(m["op"])
        if op is None:
            return Reply(404, error_body(404, "operation not found"))
        op.status = container_v1.Operation.Status.DONE
        return Reply(200, proto_json(op))
    if m["cluster"] is None:
        clusters = [
            c for (p, where, _), c in sorted(state.clusters.items()) if p == project and loc in ("-", where)
        ]
        return Reply(200, proto_json(container_v1.ListClustersResponse(clusters=clusters)))
    key = (project, loc, m["cluster"])
    cluster = state.clusters.get(key)
    if cluster is None:
        return Reply(
            404, error_body(404, f"Not found: projects/{project}/locations/{loc}/clusters/{m['cluster']}.")
        )
    if m["pool"]:
        pool = next((np for np in cluster.node_pools if np.name == m["pool"]), None)
        if pool is None:
            return Reply(404, error_body(404, "node pool not found"))
        if method == "GET":
            return Reply(200, proto_json(pool))
        if method == "DELETE":
            remaining = [np for np in cluster.node_pools if np.name != m["pool"]]
            del cluster.node_pools[:]
            cluster.node_pools.extend(remaining)
            on_delete("container", f"{project}/{loc}/{cluster.name}/nodePools/{m['pool']}")
            return Reply(
                200, state.operation(loc, container_v1.Operation.Type.DELETE_NODE_POOL, pool.self_link)
            )
        return None
    if m["verb"] == "setResourceLabels" and method == "POST":
        body = body or {}
        if body.get("labelFingerprint") != cluster.label_fingerprint:
            return Reply(
                400, error_body(400, "Labels could not be set due to fingerprint mismatch.", "badRequest")
            )
        cluster.resource_labels.clear()
        cluster.resource_labels.update(body.get("resourceLabels") or {})
        cluster.label_fingerprint = f"lf{next(state.ids)}"
        return Reply(200, state.operation(loc, container_v1.Operation.Type.SET_LABELS, cluster.self_link))
    if method == "GET" and m["verb"] is None:
        return Reply(200, proto_json(cluster))
    if method == "DELETE" and m["verb"] is None:
        del state.clusters[key]
        on_delete("container", f"{project}/{loc}/{cluster.name}")
        return Reply(200, state.operation(loc, container_v1.Operation.Type.DELETE_CLUSTER, cluster.self_link))
    return None


# -- Cloud SQL Admin v1 ---------------------------------------------------------------------------------


@dataclass
class SqlState:
    instances: dict[tuple[str, str], Json] = field(default_factory=dict)
    children: dict[tuple[str, str, str], list[Json]] = field(default_factory=dict)
    listed_operations: dict[tuple[str, str], list[Json]] = field(default_factory=dict)
    operations: dict[str, Json] = field(default_factory=dict)
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def add(
        self, project: str, name: str, region: str, labels: dict[str, str], private_network: str | None = None
    ) -> Json:
        data: Json = {
            "kind": "sql#instance",
            "name": name,
            "project": project,
            "region": region,
            "gceZone": f"{region}-b",
            "databaseVersion": "POSTGRES_15",
            "state": "RUNNABLE",
            "instanceType": "CLOUD_SQL_INSTANCE",
            "backendType": "SECOND_GEN",
            "connectionName": f"{project}:{region}:{name}",
            "selfLink": f"https://sqladmin.googleapis.com/v1/projects/{project}/instances/{name}",
            "createTime": "2024-02-03T04:05:06.000Z",
            "ipAddresses": [{"type": "PRIMARY", "ipAddress": f"34.1.2.{len(self.instances) + 1}"}],
            "settings": {
                "kind": "sql#settings",
                "tier": "db-custom-1-3840",
                "settingsVersion": "1",
                "userLabels": dict(labels),
                "deletionProtectionEnabled": False,
                "ipConfiguration": {
                    "ipv4Enabled": True,
                    **({"privateNetwork": private_network} if private_network else {}),
                },
            },
        }
        self.instances[(project, name)] = data
        return data

    def operation(self, project: str, op_type: str, target: str) -> Json:
        name = f"{next(self.ids):08d}-0000-4000-8000-000000000000"
        op = {
            "kind": "sql#operation",
            "name": name,
            "status": "PENDING",
            "operationType": op_type,
            "targetId": target,
            "targetProject": project,
            "selfLink": f"https://sqladmin.googleapis.com/v1/projects/{project}/operations/{name}",
        }
        self.operations[name] = op
        return op


_SQL = re.compile(
    r"^/v1/projects/(?P<project>[^/]+)/(?:instances(?:/(?P<name>[^/]+))?|operations/(?P<op>[^/]+))$"
)


def sqladmin(
    state: SqlState, method: str, path: str, query: dict[str, str], body: Json | None, on_delete: Any
) -> Reply | None:
    m = _SQL.match(path)
    if m is None:
        return None
    project = m["project"]
    if m["op"]:
        op = state.operations.get(m["op"])
        if op is None:
            return Reply(404, error_body(404, "operation not found"))
        op["status"] = "DONE"
        return Reply(200, op)
    if m["name"] is None:
        items = [d for (p, _), d in sorted(state.instances.items()) if p == project]
        chunk, token = _page(items, query, "maxResults")
        return Reply(
            200, {"kind": "sql#instancesList", "items": chunk, **({"nextPageToken": token} if token else {})}
        )
    key = (project, m["name"])
    data = state.instances.get(key)
    if data is None:
        return Reply(404, error_body(404, "The Cloud SQL instance does not exist.", "instanceDoesNotExist"))
    if method == "GET":
        return Reply(200, data)
    if method == "DELETE":
        del state.instances[key]
        on_delete("sqladmin", f"{project}/{m['name']}")
        return Reply(200, state.operation(project, "DELETE", m["name"]))
    if method == "PATCH":
        labels = data["settings"]["userLabels"]
        for k, v in (((body or {}).get("settings") or {}).get("userLabels") or {}).items():
            if v is None:
                labels.pop(k, None)
            else:
                labels[k] = v
        return Reply(200, state.operation(project, "UPDATE", m["name"]))
    return None
