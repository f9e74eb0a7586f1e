"""Every resource class the plugin produces."""

from __future__ import annotations

from resoto_hookspecs import BaseResource

from resoto_plugin_gcp import resources as r
from resoto_plugin_gcp.compute_specs import COMPUTE_SPECS
from resoto_plugin_gcp.resources_compute import GcpRegionQuota
from resoto_plugin_gcp.resources_more import MORE_KINDS
from resoto_plugin_gcp.resources_rest import REST_KINDS

ALL_KINDS: list[type[BaseResource]] = [
    *r.HIERARCHY_KINDS,
    *(spec.cls for spec in COMPUTE_SPECS),
    r.GcpBucket,
    r.GcpContainerCluster,
    r.GcpContainerNodePool,
    r.GcpSqlDatabaseInstance,
    GcpRegionQuota,
    *MORE_KINDS,
    *REST_KINDS,
]
