"""Compute Engine v1 REST: list, aggregatedList, get, delete, setLabels and operations.

Resources are stored as the JSON of ``google.cloud.compute_v1`` messages (``to_json`` with the
REST API's camelCase names). Deleting a resource that another one still uses fails with 400
``resourceInUseByAnotherResource``, as the real API does, so a wrong delete order shows.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass, field
from typing import Any

from google.cloud import compute_v1

from fakes.gcp.errors import error_body

Json = dict[str, Any]

AGGREGATED_WITH_GLOBAL = frozenset(
    {
        "backendServices",
        "healthChecks",
        "urlMaps",
        "targetHttpProxies",
        "targetHttpsProxies",
        "sslCertificates",
        "sslPolicies",
        "securityPolicies",
        "instanceTemplates",
        "targetTcpProxies",
        "firewallPolicies",
        "operations",
    }
)
"""Collections whose aggregatedList also returns the global scope (the rest list it separately)."""

SCOPED_AS_RESOURCES = frozenset({"notificationEndpoints", "healthCheckServices"})
"""Collections whose aggregated scopes hold their items in ``resources``."""

LABELLED = frozenset(
    {
        "instances",
        "disks",
        "snapshots",
        "images",
        "machineImages",
        "addresses",
        "forwardingRules",
        "securityPolicies",
        "vpnGateways",
        "targetVpnGateways",
        "vpnTunnels",
        "externalVpnGateways",
        "interconnects",
        "interconnectAttachments",
    }
)
"""Collections with a ``setLabels`` method."""

NON_BLOCKING = frozenset(
    {
        "selfLink",
        "zone",
        "region",
        "users",
        "instances",
        "sourceDisk",
        "sourceInstance",
        "sourceImage",
        "targetLink",
        "type",
        "machineType",
    }
)
"""Fields whose reference does not keep the referenced resource from being deleted."""

BASE = "https://www.googleapis.com/compute/v1"


def message_json(msg: Any) -> Json:
    """A compute message as the REST API's JSON."""
    return json.loads(type(msg).to_json(msg, use_integers_for_enums=False))  # type: ignore[no-any-return]


@dataclass
class ComputeState:
    """Resources by (project, scope, collection, name), plus regions, zones and operations."""

    resources: dict[tuple[str, str, str, str], Json] = field(default_factory=dict)
    regions: dict[str, list[str]] = field(default_factory=dict)
    zones: dict[str, list[str]] = field(default_factory=dict)
    operations: dict[str, Json] = field(default_factory=dict)
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1000))

    def link(self, project: str, scope: str, collection: str, name: str) -> str:
        return f"{BASE}/projects/{project}/{scope}/{collection}/{name}"

    def add(self, project: str, scope: str, collection: str, msg: Any) -> Json:
        """Store a resource given as a compute_v1 message; fills in id, selfLink, timestamps, scope."""
        if not msg.name:
            raise ValueError("a compute resource needs a name")
        msg.self_link = self.link(project, scope, collection, msg.name)
        if "id" in type(msg).meta.fields and not msg.id:
            msg.id = next(self.ids)
        if "creation_timestamp" in type(msg).meta.fields and not msg.creation_timestamp:
            msg.creation_timestamp = "2024-03-01T10:00:00.000-08:00"
        if scope.startswith("zones/") and "zone" in type(msg).meta.fields:
            msg.zone = f"{BASE}/projects/{project}/{scope}"
        if scope.startswith("regions/") and "region" in type(msg).meta.fields:
            msg.region = f"{BASE}/projects/{project}/{scope}"
        if "label_fingerprint" in type(msg).meta.fields and not msg.label_fingerprint:
            msg.label_fingerprint = f"fp{next(self.ids)}"
        data = message_json(msg)
        self.resources[(project, scope, collection, msg.name)] = data
        return data

    def add_json(self, project: str, scope: str, collection: str, data: Json) -> Json:
        """Store a resource of a collection google-cloud-compute has no message for (REST shape)."""
        data = {
            **data,
            "kind": f"compute#{collection[:-1]}",
            "id": str(next(self.ids)),
            "selfLink": self.link(project, scope, collection, data["name"]),
            "creationTimestamp": "2024-03-01T10:00:00.000-08:00",
        }
        self.resources[(project, scope, collection, data["name"])] = data
        return data

    def set_locations(self, project: str, regions: dict[str, list[str]]) -> None:
        self.regions[project] = list(regions)
        self.zones[project] = [z for zs in regions.values() for z in zs]

    def operation(self, project: str, scope: str, op_type: str, target: str) -> Json:
        name = f"operation-{next(self.ids)}"
        op = compute_v1.Operation(
            name=name,
            id=next(self.ids),
            operation_type=op_type,
            target_link=target,
            status=compute_v1.Operation.Status.RUNNING,
            progress=0,
            self_link=f"{BASE}/projects/{project}/{scope}/operations/{name}",
        )
        if scope.startswith("zones/"):
            op.zone = f"{BASE}/projects/{project}/{scope}"
        elif scope.startswith("regions/"):
            op.region = f"{BASE}/projects/{project}/{scope}"
        data = message_json(op)
        self.operations[name] = data
        return data

    def users_of(self, link: str) -> list[str]:
        """Links of resources that reference ``link`` in a field that blocks its deletion."""
        out: list[str] = []
        for data in self.resources.values():
            if data.get("selfLink") != link and _references(data, link):
                out.append(data["selfLink"])
        return out


def _references(value: Any, link: str, key: str | None = None) -> bool:
    if key in NON_BLOCKING:
        return False
    if isinstance(value, str):
        return value == link
    if isinstance(value, list):
        return any(_references(v, link, key) for v in value)
    if isinstance(value, dict):
        return any(_references(v, link, k) for k, v in value.items())
    return False


_PATH = re.compile(
    r"^/compute/v1/projects/(?P<project>[^/]+)/"
    r"(?:(?P<agg>aggregated)/(?P<agg_coll>[A-Za-z]+)"
    r"|(?P<list_locations>regions|zones)"
    r"|(?P<scope>zones/[^/]+|regions/[^/]+|global)/(?P<coll>[A-Za-z]+)(?:/(?P<name>[^/]+)(?:/(?P<verb>[A-Za-z]+))?)?)$"
)


@dataclass
class Reply:
    status: int
    body: Json | None


def _page(items: list[Any], query: dict[str, str]) -> tuple[list[Any], str | None]:
    start = int(query.get("pageToken") or 0)
    size = int(query.get("maxResults") or 500)
    size = max(1, min(size, 500))
    chunk = items[start : start + size]
    token = str(start + size) if start + size < len(items) else None
    return chunk, token


def handle(
    state: ComputeState, method: str, path: str, query: dict[str, str], body: Json | None
) -> Reply | None:
    """Answer a compute request, or ``None`` when the path is not a compute one."""
    m = _PATH.match(path)
    if m is None:
        return None
    project = m["project"]
    if m["list_locations"]:
        return _locations(state, project, m["list_locations"], query)
    if m["agg"]:
        return _aggregated(state, project, m["agg_coll"], query)
    scope, coll, name, verb = m["scope"], m["coll"], m["name"], m["verb"]
    if coll == "operations" and name:
        op = state.operations.get(name)
        if op is None:
            return Reply(404, error_body(404, f"The resource 'operations/{name}' was not found"))
        op.update(status="DONE", progress=100)
        return Reply(200, op)
    if name is None:
        if method != "GET":
            return Reply(405, error_body(400, "method not allowed", "badRequest"))
        items = [
            d
            for (p, s, c, _), d in sorted(state.resources.items())
            if p == project and s == scope and c == coll
        ]
        chunk, token = _page(items, query)
        out: Json = {
            "kind": f"compute#{coll}List",
            "id": f"projects/{project}/{scope}/{coll}",
            "items": chunk,
        }
        if token:
            out["nextPageToken"] = token
        return Reply(200, out)
    key = (project, scope, coll, name)
    data = state.resources.get(key)
    link = state.link(project, scope, coll, name)
    if data is None:
        return Reply(
            404, error_body(404, f"The resource 'projects/{project}/{scope}/{coll}/{name}' was not found")
        )
    if method == "GET" and verb is None:
        return Reply(200, data)
    if method == "DELETE" and verb is None:
        users = state.users_of(link)
        if users:
            msg = f"The {coll[:-1]} resource '{link}' is already being used by '{users[0]}'"
            return Reply(400, error_body(400, msg, "resourceInUseByAnotherResource"))
        del state.resources[key]
        for other in state.resources.values():
            if link in (other.get("users") or []):
                other["users"] = [u for u in other["users"] if u != link]
        return Reply(200, state.operation(project, scope, "delete", link))
    if method == "POST" and verb == "setLabels":
        if coll not in LABELLED:
            return Reply(404, error_body(404, f"setLabels is not a method of {coll}"))
        body = body or {}
        if body.get("labelFingerprint") != data.get("labelFingerprint"):
            return Reply(
                412, error_body(412, "Labels fingerprint either invalid or resource labels have changed")
            )
        data["labels"] = dict(body.get("labels") or {})
        data["labelFingerprint"] = f"fp{next(state.ids)}"
        return Reply(200, state.operation(project, scope, "setLabels", link))
    return Reply(400, error_body(400, f"unsupported {method} {path}", "badRequest"))


def _locations(state: ComputeState, project: str, what: str, query: dict[str, str]) -> Reply:
    items: list[Json] = []
    if what == "regions":
        for r in state.regions.get(project, []):
            zones = [
                f"{BASE}/projects/{project}/zones/{z}"
                for z in state.zones.get(project, [])
                if z.startswith(r + "-")
            ]
            items.append(
                message_json(
                    compute_v1.Region(
                        name=r,
                        id=next(state.ids),
                        status="UP",
                        zones=zones,
                        quotas=[
                            compute_v1.Quota(metric="CPUS", limit=24.0, usage=4.0),
                            compute_v1.Quota(metric="DISKS_TOTAL_GB", limit=4096.0, usage=40.0),
                        ],
                        self_link=f"{BASE}/projects/{project}/regions/{r}",
                    )
                )
            )
    else:
        for z in state.zones.get(project, []):
            region = z.rsplit("-", 1)[0]
            items.append(
                message_json(
                    compute_v1.Zone(
                        name=z,
                        id=next(state.ids),
                        status="UP",
                        region=f"{BASE}/projects/{project}/regions/{region}",
                        self_link=f"{BASE}/projects/{project}/zones/{z}",
                    )
                )
            )
    chunk, token = _page(items, query)
    out: Json = {"kind": f"compute#{what[:-1]}List", "items": chunk}
    if token:
        out["nextPageToken"] = token
    return Reply(200, out)


def _aggregated(state: ComputeState, project: str, coll: str, query: dict[str, str]) -> Reply:
    flat = [
        (s, d)
        for (p, s, c, _), d in sorted(state.resources.items())
        if p == project and c == coll and (s != "global" or coll in AGGREGATED_WITH_GLOBAL)
    ]
    chunk, token = _page(flat, query)
    items: dict[str, Json] = {}
    for scope, data in chunk:
        key = "resources" if coll in SCOPED_AS_RESOURCES else coll
        items.setdefault(scope, {key: []})[key].append(data)
    # scopes without items answer with a warning, as the real API does
    for region in state.regions.get(project, []):
        items.setdefault(
            f"regions/{region}",
            {
                "warning": {
                    "code": "NO_RESULTS_ON_PAGE",
                    "message": "There are no results for scope on this page.",
                }
            },
        )
    out: Json = {
        "kind": f"compute#{coll}AggregatedList",
        "id": f"projects/{project}/aggregated/{coll}",
        "items": items,
    }
    if token:
        out["nextPageToken"] = token
    return Reply(200, out)
