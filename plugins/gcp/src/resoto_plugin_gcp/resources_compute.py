"""Compute Engine kinds beyond the first table: catalogues, legacy health checks, interconnects,
sole-tenancy, prefixes, operations and region quotas. Names and bases follow the reference model."""

from __future__ import annotations

from typing import Any, ClassVar

from resoto_hookspecs.resources import BaseInstanceType, BaseVolumeType

from resoto_plugin_gcp.resources import GcpResource


def _meta(group: str, icon: str, name: str) -> dict[str, Any]:
    return {"group": group, "icon": icon, "name": name}


class GcpMachineType(GcpResource, BaseInstanceType):
    kind: ClassVar[str] = "gcp_machine_type"
    kind_metadata: ClassVar[dict[str, Any]] = _meta("compute", "type", "Machine Type")
    successor_kinds: ClassVar[dict[str, list[str]]] = {
        "default": ["gcp_instance_template", "gcp_accelerator_type", "gcp_instance"]
    }
    taggable: ClassVar[bool] = False
    deletable: ClassVar[bool] = False
    zone: str | None = None
    guest_cpus: int | None = None
    memory_mb: int | None = None
    maximum_persistent_disks: int | None = None
    maximum_persistent_disks_size_gb: int | None = None
    is_shared_cpu: bool | None = None
    deprecated_state: str | None = None


class GcpDiskType(GcpResource, BaseVolumeType):
    kind: ClassVar[str] = "gcp_disk_type"
    kind_metadata: ClassVar[dict[str, Any]] = _meta("storage", "type", "Disk Type")
    successor_kinds: ClassVar[dict[str, list[str]]] = {"default": ["gcp_disk", "gcp_node_template"]}
    taggable: ClassVar[bool] = False
    deletable: ClassVar[bool] = False
    zone: str | None = None
    valid_disk_size: str | None = None
    default_disk_size_gb: int | None = None


class GcpAcceleratorType(GcpResource):
    kind: ClassVar[str] = "gcp_accelerator_type"
    kind_metadata: ClassVar[dict[str, Any]] = _meta("compute", "type", "Accelerator Type")
    taggable: ClassVar[bool] = False
    deletable: ClassVar[bool] = False
    zone: str | None = None
    maximum_cards_per_instance: int | None = None


class GcpNodeType(GcpResource):
    kind: ClassVar[str] = "gcp_node_type"
    kind_metadata: ClassVar[dict[str, Any]] = _meta("compute", "type", "Sole-Tenant Node Type")
    taggable: ClassVar[bool] = False
    deletable: ClassVar[bool] = False
    zone: str | None = None
    cpu_platform: str | None = None
    guest_cpus: int | None = None
    memory_mb: int | None = None
    local_ssd_gb: int | None = None


class GcpInterconnectLocation(GcpResource):
    kind: ClassVar[str] = "gcp_interconnect_location"
    kind_metadata: ClassVar[dict[str, Any]] = _meta("networking", "region", "Interconnect Location")
    successor_kinds: ClassVar[dict[str, list[str]]] = {"default": ["gcp_interconnect"]}
    taggable: ClassVar[bool] = False
    deletable: ClassVar[bool] = False
    address: str | None = None
    availability_zone: str | None = None
    city: str | None = None
    continent: str | None = None
    facility_provider: str | None = None
    peeringdb_facility_id: str | None = None
    status: str | None = None


class GcpLicense(GcpResource):
    kind: ClassVar[str] = "gcp_license"
    kind_metadata: ClassVar[dict[str, Any]] = _meta("compute", "resource", "License")
    taggable: ClassVar[bool] = False
    charges_use_fee: bool | None = None
    license_code: str | None = None
    transferable: bool | None = None


class GcpCommitment(GcpResource):
    kind: ClassVar[str] = "gcp_commitment"
    kind_metadata: ClassVar[dict[str, Any]] = _meta("compute", "resource", "Commitment")
    taggable: ClassVar[bool] = False
    deletable: ClassVar[bool] = False  # commitments cannot be cancelled
    status: str | None = None
    plan: str | None = None
    category: str | None = None
    commitment_type: str | None = None
    start_timestamp: str | None = None
    end_timestamp: str | None = None
    auto_renew: bool | None = None


class GcpFirewallPolicy(GcpResource):
    kind: ClassVar[str] = "gcp_firewall_policy"
    kind_metadata: ClassVar[dict[str, Any]] = _meta("networking", "firewall", "Firewall Policy")
    successor_kinds: ClassVar[dict[str, list[str]]] = {"default": ["gcp_network"]}
    taggable: ClassVar[bool] = False
    rule_tuple_count: int | None = None
    rule_count: int | None = None
    associations: list[str] | None = None


class GcpHealthCheckService(GcpResource):
    kind: ClassVar[str] = "gcp_health_check_service"
    kind_metadata: ClassVar[dict[str, Any]] = _meta("compute", "health_check", "Health Check Service")
    taggable: ClassVar[bool] = False
    health_status_aggregation_policy: str | None = None
    health_checks: list[str] | None = None
    network_endpoint_groups: list[str] | None = None
    notification_endpoints: list[str] | None = None


class GcpHttpHealthCheck(GcpResource):
    kind: ClassVar[str] = "gcp_http_health_check"
    kind_metadata: ClassVar[dict[str, Any]] = _meta("compute", "health_check", "Legacy HTTP Health Check")
    successor_kinds: ClassVar[dict[str, list[str]]] = {
        "delete": ["gcp_instance_group_manager", "gcp_backend_service", "gcp_target_pool"]
    }
    taggable: ClassVar[bool] = False
    host: str | None = None
    port: int | None = None
    request_path: str | None = None
    check_interval_sec: int | None = None
    timeout_sec: int | None = None
    healthy_threshold: int | None = None
    unhealthy_threshold: int | None = None


class GcpHttpsHealthCheck(GcpResource):
    kind: ClassVar[str] = "gcp_https_health_check"
    kind_metadata: ClassVar[dict[str, Any]] = _meta("compute", "health_check", "Legacy HTTPS Health Check")
    successor_kinds: ClassVar[dict[str, list[str]]] = {
        "delete": ["gcp_instance_group_manager", "gcp_backend_service"]
    }
    taggable: ClassVar[bool] = False
    host: str | None = None
    port: int | None = None
    request_path: str | None = None
    check_interval_sec: int | None = None
    timeout_sec: int | None = None
    healthy_threshold: int | None = None
    unhealthy_threshold: int | None = None


class GcpInterconnect(GcpResource):
    kind: ClassVar[str] = "gcp_interconnect"
    kind_metadata: ClassVar[dict[str, Any]] = _meta("networking", "link", "Interconnect")
    interconnect_type: str | None = None
    link_type: str | None = None
    location: str | None = None
    operational_status: str | None = None
    provisioned_link_count: int | None = None
    requested_link_count: int | None = None
    state: str | None = None


class GcpInterconnectAttachment(GcpResource):
    kind: ClassVar[str] = "gcp_interconnect_attachment"
    kind_metadata: ClassVar[dict[str, Any]] = _meta("networking", "link", "Interconnect Attachment (VLAN)")
    attachment_type: str | None = None
    bandwidth: str | None = None
    interconnect: str | None = None
    router: str | None = None
    state: str | None = None
    vlan_tag8021q: int | None = None
    cloud_router_ip_address: str | None = None


class GcpNetworkEdgeSecurityService(GcpResource):
    kind: ClassVar[str] = "gcp_network_edge_security_service"
    kind_metadata: ClassVar[dict[str, Any]] = _meta("networking", "policy", "Network Edge Security Service")
    taggable: ClassVar[bool] = False
    security_policy: str | None = None
    fingerprint: str | None = None


class GcpNodeTemplate(GcpResource):
    kind: ClassVar[str] = "gcp_node_template"
    kind_metadata: ClassVar[dict[str, Any]] = _meta("compute", "template", "Sole-Tenant Node Template")
    successor_kinds: ClassVar[dict[str, list[str]]] = {"default": ["gcp_node_group"]}
    taggable: ClassVar[bool] = False
    node_type: str | None = None
    cpu_overcommit_type: str | None = None
    status: str | None = None
    node_affinity_labels: dict[str, str] | None = None


class GcpNodeGroup(GcpResource):
    kind: ClassVar[str] = "gcp_node_group"
    kind_metadata: ClassVar[dict[str, Any]] = _meta("compute", "group", "Sole-Tenant Node Group")
    taggable: ClassVar[bool] = False
    node_template: str | None = None
    size: int | None = None
    status: str | None = None
    maintenance_policy: str | None = None
    autoscaling_mode: str | None = None


class GcpNotificationEndpoint(GcpResource):
    kind: ClassVar[str] = "gcp_notification_endpoint"
    kind_metadata: ClassVar[dict[str, Any]] = _meta("compute", "endpoint", "Notification Endpoint")
    taggable: ClassVar[bool] = False
    grpc_endpoint: str | None = None


class GcpOperation(GcpResource):
    kind: ClassVar[str] = "gcp_operation"
    kind_metadata: ClassVar[dict[str, Any]] = _meta("management", "log", "Compute Operation")
    successor_kinds: ClassVar[dict[str, list[str]]] = {"default": ["gcp_disk"]}
    taggable: ClassVar[bool] = False
    deletable: ClassVar[bool] = False
    operation_type: str | None = None
    status: str | None = None
    target_link: str | None = None
    user: str | None = None
    progress: str | None = None
    start_time: str | None = None
    end_time: str | None = None
    error_codes: list[str] | None = None


class GcpPublicAdvertisedPrefix(GcpResource):
    kind: ClassVar[str] = "gcp_public_advertised_prefix"
    kind_metadata: ClassVar[dict[str, Any]] = _meta(
        "networking", "network_address", "Public Advertised Prefix"
    )
    taggable: ClassVar[bool] = False
    ip_cidr_range: str | None = None
    dns_verification_ip: str | None = None
    status: str | None = None


class GcpPublicDelegatedPrefix(GcpResource):
    kind: ClassVar[str] = "gcp_public_delegated_prefix"
    kind_metadata: ClassVar[dict[str, Any]] = _meta(
        "networking", "network_address", "Public Delegated Prefix"
    )
    successor_kinds: ClassVar[dict[str, list[str]]] = {"default": ["gcp_public_advertised_prefix"]}
    taggable: ClassVar[bool] = False
    ip_cidr_range: str | None = None
    parent_prefix: str | None = None
    status: str | None = None
    is_live_migration: bool | None = None


class GcpServiceAttachment(GcpResource):
    kind: ClassVar[str] = "gcp_service_attachment"
    kind_metadata: ClassVar[dict[str, Any]] = _meta("networking", "endpoint", "Service Attachment")
    successor_kinds: ClassVar[dict[str, list[str]]] = {"default": ["gcp_backend_service", "gcp_subnetwork"]}
    taggable: ClassVar[bool] = False
    connection_preference: str | None = None
    target_service: str | None = None
    nat_subnets: list[str] | None = None
    enable_proxy_protocol: bool | None = None


class GcpRegionQuota(GcpResource):
    kind: ClassVar[str] = "gcp_region_quota"
    kind_metadata: ClassVar[dict[str, Any]] = _meta("control", "quota", "Region Quota")
    taggable: ClassVar[bool] = False
    deletable: ClassVar[bool] = False
    quotas: dict[str, float] | None = None
    """Limit per metric (``CPUS``, ``DISKS_TOTAL_GB``, ...)."""
    usages: dict[str, float] | None = None
    """Current usage per metric."""


COMPUTE_MORE_KINDS: list[type[GcpResource]] = [
    GcpMachineType,
    GcpDiskType,
    GcpAcceleratorType,
    GcpNodeType,
    GcpInterconnectLocation,
    GcpLicense,
    GcpCommitment,
    GcpFirewallPolicy,
    GcpHealthCheckService,
    GcpHttpHealthCheck,
    GcpHttpsHealthCheck,
    GcpInterconnect,
    GcpInterconnectAttachment,
    GcpNetworkEdgeSecurityService,
    GcpNodeTemplate,
    GcpNodeGroup,
    GcpNotificationEndpoint,
    GcpOperation,
    GcpPublicAdvertisedPrefix,
    GcpPublicDelegatedPrefix,
    GcpServiceAttachment,
    GcpRegionQuota,
]
