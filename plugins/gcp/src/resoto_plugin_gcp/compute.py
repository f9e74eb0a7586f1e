"""Compute Engine collection: zones and every kind of :data:`COMPUTE_SPECS`, one listing per project."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from google.api_core.retry import Retry

from resoto_plugin_gcp.clients import Clients
from resoto_plugin_gcp.compute_model import ComputeSpec
from resoto_plugin_gcp.compute_specs import COMPUTE_SPECS, SPEC_BY_COLLECTION
from resoto_plugin_gcp.context import UnitContext, walk
from resoto_plugin_gcp.links import GLOBAL, last_segment, parse_link, region_of_scope, resource_id
from resoto_plugin_gcp.resources import GcpResource, GcpZone
from resoto_plugin_gcp.resources_compute import GcpRegionQuota
from resoto_plugin_gcp.rest import RestApi

log = logging.getLogger(__name__)

SERVICE = "compute"


def to_json(msg: Any) -> dict[str, Any]:
    """A compute message as the REST API's JSON (camelCase names, enum names)."""
    return type(msg).to_dict(msg, use_integers_for_enums=False, preserving_proto_field_name=False)  # type: ignore[no-any-return]


def snake(name: str) -> str:
    out = []
    for ch in name:
        if ch.isupper():
            out.append("_")
            out.append(ch.lower())
        else:
            out.append(ch)
    return "".join(out)


def _list_pages(ctx: UnitContext, stem: str, method: str, operation: str) -> Iterator[Any]:
    client = ctx.clients.compute(stem)
    request = {"project": ctx.project, "max_results": ctx.config.page_size}
    try:
        pager = getattr(client, method)(request=request, retry=ctx.retry)
        for page in pager.pages:
            ctx.count(SERVICE, operation)
            yield page
    except Exception as e:
        ctx.count(SERVICE, operation, e)
        raise


COMPUTE_ENDPOINT = "https://compute.googleapis.com"


def compute_rest(clients: Clients, project: str, retry: Retry) -> RestApi:
    """The Compute REST API of a project, for the collections google-cloud-compute has no client for."""
    base = f"{clients.endpoint('compute', COMPUTE_ENDPOINT)}/compute/v1/projects/{project}"
    return RestApi(clients.session, base, retry)


def _rest_items(ctx: UnitContext, spec: ComputeSpec) -> Iterator[tuple[str, Any]]:
    api = compute_rest(ctx.clients, ctx.project, ctx.retry)
    operation = f"{spec.collection}.list(global)"
    try:
        for page in api.pages(
            f"global/{spec.collection}", size_param="maxResults", page_size=ctx.config.page_size
        ):
            ctx.count(SERVICE, operation)
            for item in page.get("items") or []:
                yield GLOBAL, (GLOBAL, item)
    except Exception as e:
        ctx.count(SERVICE, operation, e)
        raise


def spec_loader(ctx: UnitContext, spec: ComputeSpec) -> Any:
    """Loads every item of a kind in the project: aggregated list plus the separate global list."""

    def load() -> Iterator[tuple[str, Any]]:
        if spec.rest:
            yield from _rest_items(ctx, spec)
            return
        field = spec.scoped_field or snake(spec.collection)
        if spec.aggregated:
            for page in _list_pages(
                ctx, spec.aggregated, "aggregated_list", f"{spec.collection}.aggregatedList"
            ):
                for scope, scoped in page.items.items():
                    if scope == GLOBAL and not spec.agg_global:
                        continue
                    for item in getattr(scoped, field):
                        yield region_of_scope(scope), (scope, to_json(item))
        if spec.global_list:
            coll = spec.collection
            for page in _list_pages(ctx, spec.global_list, "list", f"{coll}.list(global)"):
                for item in page.items:
                    yield GLOBAL, (GLOBAL, to_json(item))

    return load


def zones_loader(ctx: UnitContext) -> Any:
    def load() -> Iterator[tuple[str, Any]]:
        for page in _list_pages(ctx, "Zones", "list", "zones.list"):
            for zone in page.items:
                yield last_segment(zone.region) or GLOBAL, to_json(zone)

    return load


def collect_compute(ctx: UnitContext) -> None:
    if ctx.region != GLOBAL and ctx.config.wants(GcpZone.kind):
        for z in ctx.items(SERVICE, "zones", zones_loader(ctx), kind=GcpZone.kind):
            ctx.builder.add(
                GcpZone(
                    id=z["name"],
                    name=z["name"],
                    link=z.get("selfLink"),
                    gcp_id=z.get("id"),
                    status=z.get("status"),
                )
            )
    collect_region_quotas(ctx)
    for spec in COMPUTE_SPECS:
        if spec.catalogue and not ctx.payload.catalogue:
            continue
        if ctx.config.wants(spec.kind):
            listing = ctx.items(SERVICE, spec.kind, spec_loader(ctx, spec), kind=spec.kind, key=item_link_id)
            for scope, item in listing:
                add_compute_item(ctx, spec, scope, item)


def regions_loader(ctx: UnitContext) -> Any:
    def load() -> Iterator[tuple[str, Any]]:
        for page in _list_pages(ctx, "Regions", "list", "regions.list"):
            for region in page.items:
                yield region.name, to_json(region)

    return load


def collect_region_quotas(ctx: UnitContext) -> None:
    """One ``gcp_region_quota`` per region unit: the limits and usage ``regions.list`` reports."""
    if ctx.region == GLOBAL or not ctx.config.wants(GcpRegionQuota.kind):
        return
    for r in ctx.items(SERVICE, GcpRegionQuota.kind, regions_loader(ctx), kind=GcpRegionQuota.kind):
        quotas = [q for q in r.get("quotas") or [] if q.get("metric")]
        ctx.builder.add(
            GcpRegionQuota(
                id=f"regions/{r['name']}/quotas",
                name=f"{r['name']} quotas",
                link=r.get("selfLink"),
                quotas={q["metric"]: float(q.get("limit") or 0) for q in quotas},
                usages={q["metric"]: float(q.get("usage") or 0) for q in quotas},
            )
        )


def add_compute_item(ctx: UnitContext, spec: ComputeSpec, scope: str, d: dict[str, Any]) -> None:
    ref = parse_link(d.get("selfLink"))
    if ref is not None:
        scope = ref.scope
    name = d.get("name") or ""
    region = region_of_scope(scope)
    filed = ctx.file_region(region)
    if filed is None:
        return
    try:
        resource = make_resource(spec, scope, d)
    except ValueError as e:
        ctx.reporter.error(f"cannot read {spec.kind} {name}: {e}", kind=spec.kind, service=SERVICE)
        return
    parent = None
    if scope.startswith("zones/") and ctx.config.wants(GcpZone.kind):
        parent = ctx.builder.node_id(GcpZone.kind, scope.split("/", 1)[1], region=filed)
    this = ctx.builder.add(resource, parent=parent, region=filed)
    for rule in spec.links:
        for link in walk(d, rule.path):
            other = ref_node_id(ctx, link)
            ctx.link(this, other, owner=rule.owner, delete=rule.delete)


def make_resource(spec: ComputeSpec, scope: str, d: dict[str, Any]) -> GcpResource:
    """The resource of a compute API object (its JSON as the REST API returns it)."""
    name = d.get("name") or ""
    return spec.cls(
        id=resource_id(scope, spec.collection, name),
        name=name,
        link=d.get("selfLink"),
        gcp_id=d.get("id"),
        description=d.get("description") or None,
        tags=dict(d.get("labels") or {}),
        label_fingerprint=d.get("labelFingerprint"),
        ctime=d.get("creationTimestamp") or None,
        **spec.fields(d),
    )


def item_link_id(item: tuple[str, dict[str, Any]]) -> str | None:
    """The id of a listed ``(scope, json)`` compute item, from its ``selfLink``."""
    ref = parse_link(item[1].get("selfLink"))
    return ref.id if ref is not None else None


def ref_node_id(ctx: UnitContext, link: str | None) -> str | None:
    """The node id of a compute resource of this project that a link points to (None: not collected)."""
    ref = parse_link(link)
    if ref is None or ref.project != ctx.project:
        return None
    spec = SPEC_BY_COLLECTION.get(ref.collection)
    if spec is None or not ctx.config.wants(spec.kind):
        return None
    if spec.catalogue:
        # the catalogue lives in one project: other projects draw a deferred edge to its entry
        # (the core resolves it); in that project, an entry the listing does not hold (a retired
        # type) must not become an edge to a missing node
        if not ctx.payload.catalogue:
            if not ctx.payload.catalogue_project:
                return None
            region = ref.region if ref.region in ctx.payload.unit_regions else GLOBAL
            return ctx.builder.ref(spec.kind, ref.id, account=ctx.payload.catalogue_project, region=region)
        listing = ctx.run.listing(ctx.project, spec.kind)
        listing.load(spec_loader(ctx, spec), key=item_link_id)
        if ref.id not in listing.keys:
            return None
    return ctx.node_id(spec.kind, ref.id, ref.region)
