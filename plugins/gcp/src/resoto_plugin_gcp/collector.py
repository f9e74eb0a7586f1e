"""``collect`` for one unit: hierarchy nodes (global unit of the owner project), then every service."""

from __future__ import annotations

import logging

from resoto_hookspecs import CollectionUnit, GraphBuilder, Reporter

from resoto_plugin_gcp.clients import Clients
from resoto_plugin_gcp.compute import collect_compute
from resoto_plugin_gcp.config import GcpConfig
from resoto_plugin_gcp.container import collect_clusters
from resoto_plugin_gcp.context import SERVICE_NAMES, UnitContext
from resoto_plugin_gcp.errors import make_retry
from resoto_plugin_gcp.links import GLOBAL
from resoto_plugin_gcp.payload import UnitPayload
from resoto_plugin_gcp.resources import GcpFolder, GcpOrganization
from resoto_plugin_gcp.shared import run_state
from resoto_plugin_gcp.sqladmin import collect_sql
from resoto_plugin_gcp.storage import collect_buckets

log = logging.getLogger(__name__)


def collect_unit(unit: CollectionUnit, config: GcpConfig, builder: GraphBuilder, reporter: Reporter) -> None:
    payload = unit.payload
    if not isinstance(payload, UnitPayload):
        raise TypeError(f"unit {unit.name} was not made by this plugin")
    ctx = UnitContext(
        config=config,
        payload=payload,
        clients=Clients(config, payload.credential_index),
        run=run_state(payload.run_id),
        builder=builder,
        reporter=reporter,
        retry=make_retry(config),
    )
    if payload.region == GLOBAL:
        add_hierarchy(ctx)
        for service in sorted(payload.disabled_services):
            if ctx.run.first_report(payload.project, service, "disabled"):
                reporter.skip(
                    f"{SERVICE_NAMES.get(service, service)} is not enabled in project {payload.project}",
                    service=service,
                    complete=True,
                )
    collect_compute(ctx)
    collect_buckets(ctx)
    collect_clusters(ctx)
    collect_sql(ctx)


def add_hierarchy(ctx: UnitContext) -> None:
    """Add the organisation and folder nodes this project owns, below the project, parents first."""
    builder = ctx.builder
    names = {n.name for n in ctx.payload.hierarchy}
    for node in ctx.payload.hierarchy:
        cls = GcpOrganization if node.is_organization else GcpFolder
        if not ctx.config.wants(cls.kind):
            continue
        if node.parent and node.parent in names:
            parent_cls = GcpOrganization if node.parent.startswith("organizations/") else GcpFolder
            parent = builder.node_id(parent_cls, node.parent, region=None)
        else:
            parent = builder.account_node_id
        if cls is GcpOrganization:
            resource: GcpOrganization | GcpFolder = GcpOrganization(
                id=node.name, name=node.display_name, state=node.state
            )
        else:
            resource = GcpFolder(id=node.name, name=node.display_name, parent=node.parent, state=node.state)
        builder.add(resource, parent=parent, region=None)
