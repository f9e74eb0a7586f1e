"""``collect`` for one unit: a project's region (every service), or an organisation's folders."""

from __future__ import annotations

import logging

from resoto_hookspecs import CollectionUnit, GraphBuilder, Reporter

from resoto_plugin_gcp.billing import collect_billing
from resoto_plugin_gcp.clients import Clients
from resoto_plugin_gcp.compute import collect_compute
from resoto_plugin_gcp.config import GcpConfig
from resoto_plugin_gcp.container import collect_clusters, collect_operations
from resoto_plugin_gcp.context import SERVICE_NAMES, UnitContext
from resoto_plugin_gcp.errors import make_retry
from resoto_plugin_gcp.links import GLOBAL
from resoto_plugin_gcp.payload import HierarchyPayload, UnitPayload
from resoto_plugin_gcp.resources import GcpFolder, GcpOrganization, GcpProject
from resoto_plugin_gcp.rest_collect import collect_rest
from resoto_plugin_gcp.shared import run_state
from resoto_plugin_gcp.sql_children import collect_sql
from resoto_plugin_gcp.storage import collect_buckets

log = logging.getLogger(__name__)


def collect_unit(unit: CollectionUnit, config: GcpConfig, builder: GraphBuilder, reporter: Reporter) -> None:
    payload = unit.payload
    if isinstance(payload, HierarchyPayload):
        add_hierarchy(payload, config, builder)
        return
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
    collect_operations(ctx)
    collect_sql(ctx)
    collect_billing(ctx)
    collect_rest(ctx)


def add_hierarchy(payload: HierarchyPayload, config: GcpConfig, builder: GraphBuilder) -> None:
    """The folders of one tree below their parents (the root is the unit's own node), then an edge
    from each project's folder (or organisation) to the project, which is another merge."""
    root = builder.unit.account.id

    def parent_id(name: str) -> str:
        if name == root:
            return builder.account_node_id
        cls = GcpOrganization if name.startswith("organizations/") else GcpFolder
        return builder.node_id(cls, name, region=None)

    known = {root} | {n.name for n in payload.nodes}
    for node in payload.nodes:
        if node.is_organization or not config.wants(GcpFolder.kind):
            continue
        folder = GcpFolder(id=node.name, name=node.display_name, parent=node.parent, state=node.state)
        builder.add(folder, parent=parent_id(node.parent) if node.parent in known else None, region=None)
    for project, parent in payload.projects:
        if parent in known and (parent == root or config.wants(GcpFolder.kind)):
            builder.add_edge(
                parent_id(parent), builder.ref(GcpProject, project, account=project, region=None)
            )
