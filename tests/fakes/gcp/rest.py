"""A resource-oriented (AIP) REST fake for the APIs the plugin calls through AuthorizedSession:
Vertex AI, Cloud Functions v2, Filestore, Firestore, Pub/Sub, Cloud Run, Artifact Registry, Secret
Manager, KMS, BigQuery, Redis, Cloud DNS, IAM, Spanner, Bigtable and Cloud Billing.

Each API is served below ``/_svc/<api>/`` (the tests point ``api_endpoint[<api>]`` there). Stored
resources use the APIs' published JSON field names. Semantics kept: ``GET`` of a collection lists
(``locations/-`` matches every location; ``pageSize``/``maxResults`` and ``pageToken`` page),
``GET``/``DELETE``/``PATCH`` of a name; deletes of the APIs that answer with a long-running
operation return one (``done: false`` until it is read); ``PATCH`` with an ``updateMask`` (query
or body, or Cloud DNS) replaces the labels, without one it merges them (``null`` removes a key).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from fakes.gcp.compute import Reply
from fakes.gcp.errors import error_body

Json = dict[str, Any]

LRO_APIS = frozenset(
    {"aiplatform", "cloudfunctions", "file", "run", "artifactregistry", "redis", "firestore"}
)
FULL_PATCH_APIS = frozenset({"dns"})
"""APIs whose PATCH replaces a map field given in the body (no update mask)."""
ITEMS_KEY = {"serviceAccounts": "accounts", "evaluations": "modelEvaluations"}
_VERSION = re.compile(r"^v\d")


@dataclass
class RestState:
    resources: dict[tuple[str, str], Json] = field(default_factory=dict)
    """(api, path below the version) → resource JSON."""
    operations: dict[str, Json] = field(default_factory=dict)
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def add(self, api: str, path: str, data: Json) -> Json:
        body = {"name": path, **data} if "name" not in data and not _custom_name(api) else dict(data)
        self.resources[(api, path)] = body
        return body

    def get(self, api: str, path: str) -> Json | None:
        return self.resources.get((api, path))


def _custom_name(api: str) -> bool:
    return api in ("bigquery", "dns")


def _split(path: str) -> tuple[str, str] | None:
    """``/_svc/run/v2/projects/p/...`` → (``run``, ``projects/p/...``)."""
    if not path.startswith("/_svc/"):
        return None
    api, _, rest = path[len("/_svc/") :].partition("/")
    parts = rest.split("/")
    while parts and not _VERSION.match(parts[0]):
        parts.pop(0)
    return api, "/".join(parts[1:])


def _matches(pattern: str, parent: str) -> bool:
    a, b = pattern.split("/"), parent.split("/")
    return len(a) == len(b) and all(x in ("-", y) for x, y in zip(a, b, strict=True))


def _page(items: list[Json], query: dict[str, str]) -> tuple[list[Json], str | None]:
    start = int(query.get("pageToken") or 0)
    size = max(1, int(query.get("pageSize") or query.get("maxResults") or 100))
    token = str(start + size) if start + size < len(items) else None
    return items[start : start + size], token


def handle(
    state: RestState, method: str, path: str, query: dict[str, str], body: Json | None, on_delete: Any
) -> Reply | None:
    split = _split(path)
    if split is None:
        return None
    api, rel = split
    if "/operations/" in rel and method == "GET":
        op = state.operations.get(rel)
        if op is None:
            return Reply(404, error_body(404, f"operation {rel} not found"))
        op["done"] = True
        return Reply(200, op)
    data = state.get(api, rel)
    if data is None:
        is_collection = rel.count("/") % 2 == 0 and "/documents/" not in rel
        if method != "GET" or not is_collection:
            return Reply(404, error_body(404, f"Resource '{rel}' was not found"))
        return _list(state, api, rel, query)
    if method == "GET":
        return Reply(200, data)
    if method == "DELETE":
        for key in [
            k for k in state.resources if k[0] == api and (k[1] == rel or k[1].startswith(rel + "/"))
        ]:
            del state.resources[key]
        on_delete(api, rel)
        if api in LRO_APIS:
            name = f"{rel}/operations/op-{next(state.ids)}"
            state.operations[name] = {"name": name, "done": False, "metadata": {}}
            return Reply(200, state.operations[name])
        return Reply(200, {})
    if method == "PATCH":
        return Reply(200, _patch(data, query, body or {}, replace=api in FULL_PATCH_APIS))
    return Reply(400, error_body(400, f"unsupported {method} {path}", "badRequest"))


def _patch(data: Json, query: dict[str, str], body: Json, replace: bool) -> Json:
    mask = query.get("updateMask") or body.get("updateMask") or body.get("fieldMask")
    wrapped = next((v for k, v in body.items() if isinstance(v, dict) and k != "labels"), None)
    labels = (wrapped or body).get("labels")
    if labels is None:
        return data
    if mask or wrapped is not None or replace:
        data["labels"] = dict(labels)
    else:
        current = dict(data.get("labels") or {})
        for k, v in labels.items():
            if v is None:
                current.pop(k, None)
            else:
                current[k] = v
        data["labels"] = current
    return data


def _list(state: RestState, api: str, rel: str, query: dict[str, str]) -> Reply:
    collection = rel.rsplit("/", 1)[-1]
    if collection == "documents":
        items = [d for (a, p), d in sorted(state.resources.items()) if a == api and p.startswith(rel + "/")]
    else:
        items = [
            d
            for (a, p), d in sorted(state.resources.items())
            if a == api and "/" in p and _matches(rel, p.rsplit("/", 1)[0])
        ]
    chunk, token = _page(items, query)
    out: Json = {ITEMS_KEY.get(collection, collection): chunk}
    if token:
        out["nextPageToken"] = token
    return Reply(200, out)
