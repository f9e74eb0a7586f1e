"""GKE clusters and node pools (container v1 via google-cloud-container, REST transport)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

from google.api_core import exceptions as gexc
from google.api_core.retry import Retry
from google.cloud import container_v1
from resoto_hookspecs import ResourceGone

from resoto_plugin_gcp.compute import ref_node_id, to_json
from resoto_plugin_gcp.context import UnitContext
from resoto_plugin_gcp.links import region_of_location
from resoto_plugin_gcp.resources import GcpContainerCluster, GcpContainerNodePool
from resoto_plugin_gcp.resources_more import GcpContainerOperation

SERVICE = "container"


def cluster_id(location: str, name: str) -> str:
    return f"locations/{location}/clusters/{name}"


def _loader(ctx: UnitContext) -> Any:
    def load() -> Iterator[tuple[str, Any]]:
        try:
            resp = ctx.clients.container.list_clusters(
                parent=f"projects/{ctx.project}/locations/-", retry=ctx.retry
            )
            ctx.count(SERVICE, "clusters.list")
        except Exception as e:
            ctx.count(SERVICE, "clusters.list", e)
            raise
        for cluster in resp.clusters:
            yield region_of_location(cluster.location, set(ctx.payload.known_regions)), to_json(cluster)

    return load


def cluster_resource(d: dict[str, Any]) -> GcpContainerCluster:
    return GcpContainerCluster(
        id=cluster_id(d.get("location", ""), d["name"]),
        name=d["name"],
        link=d.get("selfLink"),
        gcp_id=d.get("id"),
        description=d.get("description") or None,
        tags=dict(d.get("resourceLabels") or {}),
        label_fingerprint=d.get("labelFingerprint"),
        ctime=d.get("createTime") or None,
        location=d.get("location"),
        status=d.get("status"),
        current_master_version=d.get("currentMasterVersion"),
        current_node_count=d.get("currentNodeCount"),
        endpoint=d.get("endpoint"),
    )


def collect_clusters(ctx: UnitContext) -> None:
    want_pools = ctx.config.wants(GcpContainerNodePool.kind)
    if not ctx.config.wants(GcpContainerCluster.kind):
        return
    filed = ctx.file_region(ctx.region)
    for d in ctx.items(SERVICE, GcpContainerCluster.kind, _loader(ctx), kind=GcpContainerCluster.kind):
        cluster = cluster_resource(d)
        this = ctx.builder.add(cluster, region=filed)
        net = d.get("networkConfig") or {}
        ctx.link(this, ref_node_id(ctx, net.get("network", "")), owner=True, delete="this_first")
        ctx.link(this, ref_node_id(ctx, net.get("subnetwork", "")), owner=True, delete="this_first")
        if not want_pools:
            continue
        for np in d.get("nodePools") or []:
            config = np.get("config") or {}
            pool = GcpContainerNodePool(
                id=f"{cluster.id}/nodePools/{np['name']}",
                name=np["name"],
                link=np.get("selfLink"),
                status=np.get("status"),
                machine_type=config.get("machineType"),
                initial_node_count=np.get("initialNodeCount"),
                version=np.get("version"),
            )
            pool_id = ctx.builder.add(pool, parent=this, region=filed)
            for url in np.get("instanceGroupUrls") or []:
                ctx.link(pool_id, ref_node_id(ctx, url), owner=False, delete=None)


def _ops_loader(ctx: UnitContext) -> Any:
    def load() -> Iterator[tuple[str, Any]]:
        try:
            resp = ctx.clients.container.list_operations(
                parent=f"projects/{ctx.project}/locations/-", retry=ctx.retry
            )
            ctx.count(SERVICE, "operations.list")
        except Exception as e:
            ctx.count(SERVICE, "operations.list", e)
            raise
        for op in resp.operations:
            d = to_json(op)
            where = d.get("location") or d.get("zone")
            yield region_of_location(where, set(ctx.payload.known_regions)), d

    return load


_CLUSTER_IN_LINK = re.compile(r"locations/([^/]+)/clusters/([^/]+)")


def collect_operations(ctx: UnitContext) -> None:
    """GKE operations, linked from the cluster they act on (``targetLink``)."""
    if not ctx.config.wants(GcpContainerOperation.kind):
        return
    filed = ctx.file_region(ctx.region)
    for d in ctx.items(
        SERVICE, GcpContainerOperation.kind, _ops_loader(ctx), kind=GcpContainerOperation.kind
    ):
        location = d.get("location") or d.get("zone") or ""
        this = ctx.builder.add(
            GcpContainerOperation(
                id=f"locations/{location}/operations/{d['name']}",
                name=d["name"],
                link=d.get("selfLink"),
                location=location,
                operation_type=d.get("operationType"),
                status=d.get("status"),
                target_link=d.get("targetLink"),
                start_time=d.get("startTime"),
                end_time=d.get("endTime"),
                ctime=d.get("startTime") or None,
            ),
            region=filed,
        )
        m = _CLUSTER_IN_LINK.search(d.get("targetLink") or "")
        if m and ctx.config.wants(GcpContainerCluster.kind):
            region = region_of_location(m.group(1), set(ctx.payload.known_regions))
            ctx.link(
                this,
                ctx.node_id(GcpContainerCluster.kind, cluster_id(*m.groups()), region),
                owner=True,
                delete=None,
            )


def _split(resource_id: str) -> tuple[str, str, str | None]:
    """``locations/l/clusters/c[/nodePools/p]`` → (location, cluster, pool)."""
    parts = resource_id.split("/")
    if len(parts) < 4 or parts[0] != "locations" or parts[2] != "clusters":
        raise ValueError(f"not a GKE resource id: {resource_id}")
    pool = parts[5] if len(parts) >= 6 else None
    return parts[1], parts[3], pool


def full_name(project: str, resource_id: str) -> str:
    location, cluster, pool = _split(resource_id)
    name = f"projects/{project}/locations/{location}/clusters/{cluster}"
    return f"{name}/nodePools/{pool}" if pool else name


def get_cluster(
    client: container_v1.ClusterManagerClient, project: str, rid: str, retry: Retry
) -> dict[str, Any]:
    try:
        if _split(rid)[2] is None:
            return to_json(client.get_cluster(name=full_name(project, rid), retry=retry))
        return to_json(client.get_node_pool(name=full_name(project, rid), retry=retry))
    except gexc.NotFound:
        raise ResourceGone(f"{rid} no longer exists") from None


def wait(
    client: container_v1.ClusterManagerClient,
    project: str,
    op: container_v1.Operation,
    retry: Retry,
    timeout: float,
) -> None:
    deadline = time.monotonic() + timeout
    delay = 0.05
    location = op.location or op.zone
    name = f"projects/{project}/locations/{location}/operations/{op.name}"
    while op.status != container_v1.Operation.Status.DONE:
        if time.monotonic() > deadline:
            raise TimeoutError(f"GKE operation {op.name} did not complete in {timeout:.0f}s")
        time.sleep(delay)
        delay = min(delay * 2, 5.0)
        op = client.get_operation(name=name, retry=retry)
    if op.error and op.error.message:
        raise RuntimeError(f"GKE operation {op.name} failed: {op.error.message}")


def delete(
    client: container_v1.ClusterManagerClient, project: str, rid: str, retry: Retry, timeout: float
) -> None:
    name = full_name(project, rid)
    try:
        if _split(rid)[2] is None:
            op = client.delete_cluster(name=name, retry=retry)
        else:
            op = client.delete_node_pool(name=name, retry=retry)
    except gexc.NotFound:
        raise ResourceGone(f"{rid} no longer exists") from None
    wait(client, project, op, retry, timeout)


def set_label(
    client: container_v1.ClusterManagerClient,
    project: str,
    rid: str,
    key: str,
    value: str | None,
    retry: Retry,
    timeout: float,
) -> None:
    """Set (or with ``value=None`` remove) a cluster resource label, guarded by its label fingerprint."""
    current = get_cluster(client, project, rid, retry)
    labels = dict(current.get("resourceLabels") or {})
    if value is None:
        if key not in labels:
            return
        labels.pop(key)
    else:
        labels[key] = value
    request = container_v1.SetLabelsRequest(
        name=full_name(project, rid),
        resource_labels=labels,
        label_fingerprint=current.get("labelFingerprint", ""),
    )
    op = client.set_labels(request=request, retry=retry)
    wait(client, project, op, retry, timeout)
