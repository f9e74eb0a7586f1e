"""The GCP resource kinds. Names and bases follow the reference model where the same thing is collected."""

from __future__ import annotations

from typing import Any, ClassVar

from resoto_hookspecs.resources import (
    BaseAccount,
    BaseInstance,
    BaseOrganizationalRoot,
    BaseOrganizationalUnit,
    BaseRegion,
    BaseResource,
    BaseVolume,
    BaseZone,
)


class GcpResource(BaseResource):
    """Common properties of every GCP resource. ``id`` is the resource's path below its project
    (``zones/us-east1-b/instances/vm-1``), which every reference (``selfLink``) can be turned into."""

    kind: ClassVar[str] = "gcp_resource"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "misc", "icon": "resource", "name": "GCP Resource"}
    link: str | None = None
    gcp_id: str | None = None
    description: str | None = None
    label_fingerprint: str | None = None


# -- hierarchy and locations --------------------------------------------------------------------


class GcpOrganization(GcpResource, BaseOrganizationalRoot):
    kind: ClassVar[str] = "gcp_organization"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "control", "icon": "resource", "name": "Organization"}
    taggable: ClassVar[bool] = False
    deletable: ClassVar[bool] = False
    successor_kinds: ClassVar[dict[str, list[str]]] = {"default": ["gcp_folder"]}
    directory_customer_id: str | None = None
    state: str | None = None


class GcpFolder(GcpResource, BaseOrganizationalUnit):
    kind: ClassVar[str] = "gcp_folder"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "control", "icon": "resource", "name": "Folder"}
    taggable: ClassVar[bool] = False
    deletable: ClassVar[bool] = False
    successor_kinds: ClassVar[dict[str, list[str]]] = {"default": ["gcp_folder"]}
    parent: str | None = None
    state: str | None = None


class GcpProject(GcpResource, BaseAccount):
    kind: ClassVar[str] = "gcp_project"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "control", "icon": "account", "name": "Project"}
    taggable: ClassVar[bool] = False
    deletable: ClassVar[bool] = False
    project_number: str | None = None
    parent: str | None = None
    organization: str | None = None
    folder_path: list[str] | None = None
    state: str | None = None


class GcpRegion(GcpResource, BaseRegion):
    kind: ClassVar[str] = "gcp_region"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "control", "icon": "region", "name": "Region"}
    taggable: ClassVar[bool] = False
    deletable: ClassVar[bool] = False
    successor_kinds: ClassVar[dict[str, list[str]]] = {"default": ["gcp_zone"]}
    status: str | None = None


class GcpZone(GcpResource, BaseZone):
    kind: ClassVar[str] = "gcp_zone"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "control", "icon": "zone", "name": "Zone"}
    taggable: ClassVar[bool] = False
    deletable: ClassVar[bool] = False
    status: str | None = None


# -- compute --------------------------------------------------------------------------------------


class GcpInstance(GcpResource, BaseInstance):
    kind: ClassVar[str] = "gcp_instance"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "compute", "icon": "instance", "name": "VM Instance"}
    successor_kinds: ClassVar[dict[str, list[str]]] = {"default": ["gcp_disk", "gcp_machine_image"]}
    status: str | None = None
    network_tags: list[str] | None = None
    service_accounts: list[str] | None = None
    deletion_protection: bool | None = None


class GcpDisk(GcpResource, BaseVolume):
    kind: ClassVar[str] = "gcp_disk"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "storage", "icon": "volume", "name": "Disk"}
    successor_kinds: ClassVar[dict[str, list[str]]] = {
        "default": ["gcp_snapshot", "gcp_image"],
        "delete": ["gcp_instance"],
    }
    users: list[str] | None = None
    source_image: str | None = None


class GcpSnapshot(GcpResource):
    kind: ClassVar[str] = "gcp_snapshot"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "storage", "icon": "snapshot", "name": "Snapshot"}
    status: str | None = None
    disk_size_gb: int | None = None
    storage_bytes: int | None = None
    source_disk: str | None = None


class GcpImage(GcpResource):
    kind: ClassVar[str] = "gcp_image"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "compute", "icon": "image", "name": "Image"}
    status: str | None = None
    family: str | None = None
    disk_size_gb: int | None = None
    source_disk: str | None = None


class GcpMachineImage(GcpResource):
    kind: ClassVar[str] = "gcp_machine_image"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "compute", "icon": "image", "name": "Machine Image"}
    status: str | None = None
    source_instance: str | None = None
    total_storage_bytes: int | None = None


class GcpInstanceTemplate(GcpResource):
    kind: ClassVar[str] = "gcp_instance_template"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "compute",
        "icon": "template",
        "name": "Instance Template",
    }
    successor_kinds: ClassVar[dict[str, list[str]]] = {
        "default": ["gcp_instance_group_manager"],
        "delete": ["gcp_instance_group_manager"],
    }
    machine_type: str | None = None


class GcpInstanceGroup(GcpResource):
    kind: ClassVar[str] = "gcp_instance_group"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "compute", "icon": "group", "name": "Instance Group"}
    size: int | None = None


class GcpInstanceGroupManager(GcpResource):
    kind: ClassVar[str] = "gcp_instance_group_manager"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "compute",
        "icon": "group",
        "name": "Instance Group Manager",
    }
    successor_kinds: ClassVar[dict[str, list[str]]] = {
        "default": ["gcp_instance_group"],
        "delete": ["gcp_autoscaler"],
    }
    target_size: int | None = None
    base_instance_name: str | None = None


class GcpAutoscaler(GcpResource):
    kind: ClassVar[str] = "gcp_autoscaler"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "compute",
        "icon": "autoscaling_group",
        "name": "Autoscaler",
    }
    successor_kinds: ClassVar[dict[str, list[str]]] = {"default": ["gcp_instance_group_manager"]}
    status: str | None = None
    min_replicas: int | None = None
    max_replicas: int | None = None


class GcpNetwork(GcpResource):
    kind: ClassVar[str] = "gcp_network"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "networking",
        "icon": "network",
        "name": "VPC Network",
    }
    successor_kinds: ClassVar[dict[str, list[str]]] = {
        "default": [
            "gcp_subnetwork",
            "gcp_instance",
            "gcp_route",
            "gcp_router",
            "gcp_firewall",
            "gcp_vpn_gateway",
            "gcp_target_vpn_gateway",
            "gcp_network_endpoint_group",
            "gcp_instance_group",
            "gcp_forwarding_rule",
            "gcp_container_cluster",
            "gcp_sql_database_instance",
        ],
        "delete": [
            "gcp_subnetwork",
            "gcp_instance",
            "gcp_route",
            "gcp_router",
            "gcp_firewall",
            "gcp_vpn_gateway",
            "gcp_target_vpn_gateway",
            "gcp_network_endpoint_group",
            "gcp_instance_group",
            "gcp_forwarding_rule",
            "gcp_container_cluster",
            "gcp_sql_database_instance",
        ],
    }
    auto_create_subnetworks: bool | None = None
    routing_mode: str | None = None
    mtu: int | None = None


class GcpSubnetwork(GcpResource):
    kind: ClassVar[str] = "gcp_subnetwork"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "networking", "icon": "subnet", "name": "Subnetwork"}
    successor_kinds: ClassVar[dict[str, list[str]]] = {
        "default": [
            "gcp_instance",
            "gcp_address",
            "gcp_instance_group",
            "gcp_network_endpoint_group",
            "gcp_forwarding_rule",
            "gcp_container_cluster",
        ],
        "delete": [
            "gcp_instance",
            "gcp_address",
            "gcp_instance_group",
            "gcp_network_endpoint_group",
            "gcp_forwarding_rule",
            "gcp_container_cluster",
        ],
    }
    ip_cidr_range: str | None = None
    gateway_address: str | None = None
    purpose: str | None = None


class GcpRoute(GcpResource):
    kind: ClassVar[str] = "gcp_route"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "networking",
        "icon": "routing_table",
        "name": "Route",
    }
    dest_range: str | None = None
    priority: int | None = None
    next_hop: str | None = None


class GcpRouter(GcpResource):
    kind: ClassVar[str] = "gcp_router"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "networking",
        "icon": "router",
        "name": "Cloud Router",
    }
    successor_kinds: ClassVar[dict[str, list[str]]] = {
        "default": ["gcp_vpn_tunnel"],
        "delete": ["gcp_vpn_tunnel"],
    }
    asn: int | None = None


class GcpFirewall(GcpResource):
    kind: ClassVar[str] = "gcp_firewall"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "networking",
        "icon": "firewall",
        "name": "Firewall Rule",
    }
    direction: str | None = None
    priority: int | None = None
    disabled: bool | None = None
    source_ranges: list[str] | None = None
    target_tags: list[str] | None = None


class GcpAddress(GcpResource):
    kind: ClassVar[str] = "gcp_address"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "networking",
        "icon": "network_address",
        "name": "Address",
    }
    address: str | None = None
    address_type: str | None = None
    status: str | None = None
    users: list[str] | None = None


class GcpForwardingRule(GcpResource):
    kind: ClassVar[str] = "gcp_forwarding_rule"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "networking",
        "icon": "load_balancer",
        "name": "Forwarding Rule",
    }
    successor_kinds: ClassVar[dict[str, list[str]]] = {
        "default": [
            "gcp_target_http_proxy",
            "gcp_target_https_proxy",
            "gcp_target_pool",
            "gcp_target_vpn_gateway",
            "gcp_backend_service",
        ]
    }
    ip_address: str | None = None
    ip_protocol: str | None = None
    port_range: str | None = None
    load_balancing_scheme: str | None = None
    target: str | None = None


class GcpBackendService(GcpResource):
    kind: ClassVar[str] = "gcp_backend_service"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "networking",
        "icon": "service",
        "name": "Backend Service",
    }
    successor_kinds: ClassVar[dict[str, list[str]]] = {
        "default": ["gcp_health_check", "gcp_instance_group", "gcp_network_endpoint_group"],
        "delete": ["gcp_url_map", "gcp_forwarding_rule"],
    }
    protocol: str | None = None
    load_balancing_scheme: str | None = None
    timeout_sec: int | None = None


class GcpBackendBucket(GcpResource):
    kind: ClassVar[str] = "gcp_backend_bucket"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "networking",
        "icon": "bucket",
        "name": "Backend Bucket",
    }
    successor_kinds: ClassVar[dict[str, list[str]]] = {"delete": ["gcp_url_map"]}
    bucket_name: str | None = None
    enable_cdn: bool | None = None


class GcpHealthCheck(GcpResource):
    kind: ClassVar[str] = "gcp_health_check"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "compute",
        "icon": "health_check",
        "name": "Health Check",
    }
    successor_kinds: ClassVar[dict[str, list[str]]] = {
        "delete": ["gcp_backend_service", "gcp_instance_group_manager"]
    }
    check_interval_sec: int | None = None
    timeout_sec: int | None = None
    health_check_type: str | None = None


class GcpUrlMap(GcpResource):
    kind: ClassVar[str] = "gcp_url_map"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "networking",
        "icon": "routing_table",
        "name": "URL Map",
    }
    successor_kinds: ClassVar[dict[str, list[str]]] = {
        "default": ["gcp_backend_service", "gcp_backend_bucket"],
        "delete": ["gcp_target_http_proxy", "gcp_target_https_proxy"],
    }
    default_service: str | None = None


class GcpTargetHttpProxy(GcpResource):
    kind: ClassVar[str] = "gcp_target_http_proxy"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "networking",
        "icon": "proxy",
        "name": "Target HTTP Proxy",
    }
    successor_kinds: ClassVar[dict[str, list[str]]] = {
        "default": ["gcp_url_map"],
        "delete": ["gcp_forwarding_rule"],
    }
    url_map: str | None = None


class GcpTargetHttpsProxy(GcpResource):
    kind: ClassVar[str] = "gcp_target_https_proxy"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "networking",
        "icon": "proxy",
        "name": "Target HTTPS Proxy",
    }
    successor_kinds: ClassVar[dict[str, list[str]]] = {
        "default": ["gcp_url_map"],
        "delete": ["gcp_forwarding_rule"],
    }
    url_map: str | None = None
    ssl_certificates: list[str] | None = None
    ssl_policy: str | None = None


class GcpTargetSslProxy(GcpResource):
    kind: ClassVar[str] = "gcp_target_ssl_proxy"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "networking",
        "icon": "proxy",
        "name": "Target SSL Proxy",
    }
    successor_kinds: ClassVar[dict[str, list[str]]] = {
        "default": ["gcp_backend_service", "gcp_ssl_certificate"],
        "delete": ["gcp_forwarding_rule"],
    }
    service: str | None = None


class GcpTargetTcpProxy(GcpResource):
    kind: ClassVar[str] = "gcp_target_tcp_proxy"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "networking",
        "icon": "proxy",
        "name": "Target TCP Proxy",
    }
    successor_kinds: ClassVar[dict[str, list[str]]] = {
        "default": ["gcp_backend_service"],
        "delete": ["gcp_forwarding_rule"],
    }
    service: str | None = None


class GcpTargetGrpcProxy(GcpResource):
    kind: ClassVar[str] = "gcp_target_grpc_proxy"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "networking",
        "icon": "proxy",
        "name": "Target gRPC Proxy",
    }
    successor_kinds: ClassVar[dict[str, list[str]]] = {
        "default": ["gcp_url_map"],
        "delete": ["gcp_forwarding_rule"],
    }
    url_map: str | None = None
    validate_for_proxyless: bool | None = None


class GcpTargetInstance(GcpResource):
    kind: ClassVar[str] = "gcp_target_instance"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "networking",
        "icon": "instance",
        "name": "Target Instance",
    }
    successor_kinds: ClassVar[dict[str, list[str]]] = {
        "default": ["gcp_instance"],
        "delete": ["gcp_forwarding_rule"],
    }
    nat_policy: str | None = None


class GcpExternalVpnGateway(GcpResource):
    kind: ClassVar[str] = "gcp_external_vpn_gateway"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "networking",
        "icon": "gateway",
        "name": "External VPN Gateway",
    }
    redundancy_type: str | None = None
    interface_ips: list[str] | None = None


class GcpPacketMirroring(GcpResource):
    kind: ClassVar[str] = "gcp_packet_mirroring"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "networking",
        "icon": "resource",
        "name": "Packet Mirroring",
    }
    priority: int | None = None
    enable: str | None = None


class GcpTargetPool(GcpResource):
    kind: ClassVar[str] = "gcp_target_pool"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "networking",
        "icon": "load_balancer",
        "name": "Target Pool",
    }
    successor_kinds: ClassVar[dict[str, list[str]]] = {
        "default": ["gcp_instance"],
        "delete": ["gcp_forwarding_rule"],
    }
    session_affinity: str | None = None
    instances: list[str] | None = None


class GcpSslCertificate(GcpResource):
    kind: ClassVar[str] = "gcp_ssl_certificate"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "access_control",
        "icon": "certificate",
        "name": "SSL Certificate",
    }
    successor_kinds: ClassVar[dict[str, list[str]]] = {
        "default": ["gcp_target_https_proxy"],
        "delete": ["gcp_target_https_proxy"],
    }
    certificate_type: str | None = None
    expire_time: str | None = None
    subject_alternative_names: list[str] | None = None


class GcpSslPolicy(GcpResource):
    kind: ClassVar[str] = "gcp_ssl_policy"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "access_control",
        "icon": "policy",
        "name": "SSL Policy",
    }
    successor_kinds: ClassVar[dict[str, list[str]]] = {
        "default": ["gcp_target_https_proxy"],
        "delete": ["gcp_target_https_proxy"],
    }
    min_tls_version: str | None = None
    profile: str | None = None


class GcpSecurityPolicy(GcpResource):
    kind: ClassVar[str] = "gcp_security_policy"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "access_control",
        "icon": "policy",
        "name": "Security Policy",
    }
    successor_kinds: ClassVar[dict[str, list[str]]] = {
        "default": ["gcp_backend_service"],
        "delete": ["gcp_backend_service"],
    }
    policy_type: str | None = None


class GcpVpnGateway(GcpResource):
    kind: ClassVar[str] = "gcp_vpn_gateway"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "networking",
        "icon": "gateway",
        "name": "VPN Gateway",
    }
    successor_kinds: ClassVar[dict[str, list[str]]] = {
        "default": ["gcp_vpn_tunnel"],
        "delete": ["gcp_vpn_tunnel"],
    }
    network: str | None = None


class GcpTargetVpnGateway(GcpResource):
    kind: ClassVar[str] = "gcp_target_vpn_gateway"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "networking",
        "icon": "gateway",
        "name": "Classic VPN Gateway",
    }
    successor_kinds: ClassVar[dict[str, list[str]]] = {
        "default": ["gcp_vpn_tunnel"],
        "delete": ["gcp_vpn_tunnel", "gcp_forwarding_rule"],
    }
    status: str | None = None


class GcpVpnTunnel(GcpResource):
    kind: ClassVar[str] = "gcp_vpn_tunnel"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "networking", "icon": "tunnel", "name": "VPN Tunnel"}
    status: str | None = None
    peer_ip: str | None = None
    ike_version: int | None = None


class GcpNetworkEndpointGroup(GcpResource):
    kind: ClassVar[str] = "gcp_network_endpoint_group"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "networking",
        "icon": "endpoint",
        "name": "Network Endpoint Group",
    }
    successor_kinds: ClassVar[dict[str, list[str]]] = {"delete": ["gcp_backend_service"]}
    network_endpoint_type: str | None = None
    size: int | None = None
    default_port: int | None = None


class GcpResourcePolicy(GcpResource):
    kind: ClassVar[str] = "gcp_resource_policy"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "compute",
        "icon": "policy",
        "name": "Resource Policy",
    }
    successor_kinds: ClassVar[dict[str, list[str]]] = {"default": ["gcp_disk"], "delete": ["gcp_disk"]}
    status: str | None = None


# -- storage, GKE, Cloud SQL -------------------------------------------------------------------------


class GcpBucket(GcpResource):
    kind: ClassVar[str] = "gcp_bucket"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "storage", "icon": "bucket", "name": "Storage Bucket"}
    location: str | None = None
    location_type: str | None = None
    storage_class: str | None = None
    versioning_enabled: bool | None = None
    metageneration: str | None = None


class GcpContainerCluster(GcpResource):
    kind: ClassVar[str] = "gcp_container_cluster"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "compute", "icon": "cluster", "name": "GKE Cluster"}
    successor_kinds: ClassVar[dict[str, list[str]]] = {"default": ["gcp_container_node_pool"]}
    location: str | None = None
    status: str | None = None
    current_master_version: str | None = None
    current_node_count: int | None = None
    endpoint: str | None = None


class GcpContainerNodePool(GcpResource):
    kind: ClassVar[str] = "gcp_container_node_pool"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "compute", "icon": "group", "name": "GKE Node Pool"}
    successor_kinds: ClassVar[dict[str, list[str]]] = {"default": ["gcp_instance_group_manager"]}
    taggable: ClassVar[bool] = False
    status: str | None = None
    machine_type: str | None = None
    initial_node_count: int | None = None
    version: str | None = None


class GcpSqlDatabaseInstance(GcpResource):
    kind: ClassVar[str] = "gcp_sql_database_instance"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "database",
        "icon": "database",
        "name": "Cloud SQL Instance",
    }
    database_version: str | None = None
    state: str | None = None
    tier: str | None = None
    instance_type: str | None = None
    ip_addresses: list[str] | None = None
    deletion_protection: bool | None = None


HIERARCHY_KINDS: list[type[GcpResource]] = [GcpOrganization, GcpFolder, GcpProject, GcpRegion, GcpZone]
