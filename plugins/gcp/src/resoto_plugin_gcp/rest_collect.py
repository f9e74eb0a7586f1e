"""Collection of the REST kinds of :data:`rest_specs.REST_SPECS`: list, file by region, link.

Project-wide listings (``project`` and ``wildcard`` scope) are made once per project and run and
shared by the project's units like the Compute aggregated lists; ``region`` listings are made by
the unit of that region against the regional endpoint where the API has one (Vertex AI). Children
(``parent=``) are listed per collected parent, by the unit that added the parent.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from resoto_plugin_gcp.compute import ref_node_id
from resoto_plugin_gcp.context import UnitContext, walk
from resoto_plugin_gcp.links import GLOBAL, region_of_location
from resoto_plugin_gcp.rest import RestApi
from resoto_plugin_gcp.rest_model import Json, RestSpec, location_in, strip_project
from resoto_plugin_gcp.rest_specs import REST_SPECS, SPEC_BY_CLS, children_of

log = logging.getLogger(__name__)


def api_base(ctx_clients: Any, spec: RestSpec, location: str | None) -> str:
    api = spec.api
    override = ctx_clients.config.api_endpoint.get(api.key)
    if override:
        return f"{override.rstrip('/')}/{api.version}"
    return f"{api.host.format(location=location or 'us-central1')}/{api.version}"


def rest_api(clients: Any, spec: RestSpec, location: str | None, retry: Any) -> RestApi:
    return RestApi(clients.session, api_base(clients, spec, location), retry)


def _list(ctx: UnitContext, spec: RestSpec, path: str, location: str | None) -> Iterator[Json]:
    api = rest_api(ctx.clients, spec, location, ctx.retry)
    operation = f"{spec.path.rsplit('/', 1)[-1]}.list"
    count = 0
    try:
        for page in api.pages(path, dict(spec.params), spec.size_param, ctx.config.page_size):
            ctx.count(spec.service, operation)
            for item in page.get(spec.items) or []:
                yield item
                count += 1
                if spec.limit is not None and count >= spec.limit:
                    return
    except Exception as e:
        ctx.count(spec.service, operation, e)
        raise


def _region(ctx: UnitContext, spec: RestSpec, item: Json, path: str) -> str:
    return region_of_location(spec.location_for(item, path), set(ctx.payload.known_regions))


def _loader(ctx: UnitContext, spec: RestSpec) -> Any:
    def load() -> Iterator[tuple[str, Any]]:
        path = spec.path.format(project=ctx.project, location="-")
        for item in _list(ctx, spec, path, None):
            yield _region(ctx, spec, item, spec.path_for(item, ctx.project)), item

    return load


def _top_level_items(ctx: UnitContext, spec: RestSpec) -> list[Json]:
    if spec.scope == "catalogue":
        if not ctx.payload.catalogue or ctx.region != GLOBAL:
            return []
        return ctx.items(spec.service, spec.kind, _loader(ctx, spec), kind=spec.kind)
    if spec.scope in ("project", "wildcard"):
        return ctx.items(spec.service, spec.kind, _loader(ctx, spec), kind=spec.kind)
    # region scope: this unit's region, or the multi-regions for the global unit
    if ctx.service_off(spec.service):
        return []  # one SERVICE_DISABLED per project, not one per region unit
    if ctx.region == GLOBAL:
        locations = list(spec.locations)
    elif spec.regions is None or ctx.region in spec.regions:
        locations = [ctx.region]
    else:
        locations = []
    out: list[Json] = []
    for location in locations:
        path = spec.path.format(project=ctx.project, location=location)
        try:
            out.extend(_list(ctx, spec, path, location))
        except Exception as e:
            ctx.report_error(spec.service, f"{spec.kind} in {location}", e, kind=spec.kind)
            if ctx.service_off(spec.service):
                break
    return out


def make_rest_resource(spec: RestSpec, item: Json, project: str) -> Any:
    path = spec.path_for(item, project)
    labels = item.get(spec.labels) if spec.labels else None
    name = item.get("displayName") or path.rsplit("/", 1)[-1]
    values: dict[str, Any] = {
        "id": strip_project(path),
        "name": str(name),
        "link": path,
        "gcp_id": str(item["uid"]) if item.get("uid") else None,
        "description": item.get("description") or None,
        "tags": {str(k): str(v) for k, v in (labels or {}).items()},
        "ctime": item.get(spec.ctime) or None,
        "mtime": item.get(spec.mtime) or None,
    }
    values.update(spec.fields(item))
    return spec.cls(**values)


def _add(ctx: UnitContext, spec: RestSpec, item: Json, filed: str, parent: str | None) -> str | None:
    try:
        resource = make_rest_resource(spec, item, ctx.project)
    except ValueError as e:
        ctx.reporter.error(f"cannot read {spec.kind}: {e}", kind=spec.kind, service=spec.service)
        return None
    this = ctx.builder.add(resource, region=filed)
    if parent is not None:
        ctx.link(this, parent, owner=True, delete="this_first")
    for rule in spec.links:
        for value in walk(item, rule.path):
            if rule.kind == "compute":
                other = ref_node_id(ctx, value)
            else:
                if rule.kind not in SPEC_BY_KIND_NAME or not ctx.config.wants(rule.kind):
                    continue
                rid = strip_project(value)
                region = region_of_location(location_in(rid), set(ctx.payload.known_regions))
                other = ctx.node_id(rule.kind, rid, region)
            ctx.link(this, other, owner=rule.owner, delete=rule.delete)
    return this


SPEC_BY_KIND_NAME: dict[str, RestSpec] = {s.kind: s for s in REST_SPECS}


def _collect_tree(ctx: UnitContext, spec: RestSpec, item: Json, filed: str, parent: str | None) -> None:
    this = _add(ctx, spec, item, filed, parent)
    if this is None:
        return
    path = spec.path_for(item, ctx.project)
    for child in children_of(spec.cls):
        if not ctx.config.wants(child.kind) or ctx.service_off(child.service):
            continue
        if child.when is not None and not child.when(item):
            continue
        child_path = child.path.format(project=ctx.project, location=location_in(path) or "-", parent=path)
        try:
            items = list(_list(ctx, child, child_path, location_in(path)))
        except Exception as e:
            ctx.report_error(child.service, f"{child.kind} of {strip_project(path)}", e, kind=child.kind)
            continue
        for sub in items:
            _collect_tree(ctx, child, sub, filed, this)


def collect_rest(ctx: UnitContext) -> None:
    for spec in REST_SPECS:
        if spec.parent is not None or not ctx.config.wants(spec.kind):
            continue
        for item in _top_level_items(ctx, spec):
            filed = ctx.file_region(_region(ctx, spec, item, spec.path_for(item, ctx.project)))
            if filed is None:
                continue
            _collect_tree(ctx, spec, item, filed, None)


__all__ = ["SPEC_BY_CLS", "collect_rest", "make_rest_resource", "rest_api"]
