"""Table entries for the Compute Engine kinds of :mod:`resources_compute` (see :mod:`compute_specs`).

Catalogue kinds (machine, disk, accelerator and node types, interconnect locations) are the same
in every project: only the run's catalogue project collects them (``UnitPayload.catalogue``).
The legacy HTTP(S) health checks have no client in google-cloud-compute and are read through the
REST API (``rest=True``).
"""

from __future__ import annotations

from resoto_plugin_gcp import resources_compute as rc
from resoto_plugin_gcp.compute_model import ComputeSpec, Json, LinkRule, to_int
from resoto_plugin_gcp.links import last_segment


def _deprecated(d: Json) -> str | None:
    return (d.get("deprecated") or {}).get("state")


def _machine_type(d: Json) -> Json:
    cpus = to_int(d.get("guestCpus"))
    memory = to_int(d.get("memoryMb"))
    return {
        "zone": last_segment(d.get("zone")),
        "instance_type": d.get("name"),
        "instance_cores": float(cpus) if cpus is not None else None,
        "instance_memory": memory / 1024 if memory is not None else None,
        "guest_cpus": cpus,
        "memory_mb": memory,
        "maximum_persistent_disks": to_int(d.get("maximumPersistentDisks")),
        "maximum_persistent_disks_size_gb": to_int(d.get("maximumPersistentDisksSizeGb")),
        "is_shared_cpu": d.get("isSharedCpu"),
        "deprecated_state": _deprecated(d),
    }


def _health_check(d: Json) -> Json:
    return {
        "host": d.get("host"),
        "port": to_int(d.get("port")),
        "request_path": d.get("requestPath"),
        "check_interval_sec": to_int(d.get("checkIntervalSec")),
        "timeout_sec": to_int(d.get("timeoutSec")),
        "healthy_threshold": to_int(d.get("healthyThreshold")),
        "unhealthy_threshold": to_int(d.get("unhealthyThreshold")),
    }


MORE_COMPUTE_SPECS: tuple[ComputeSpec, ...] = (
    ComputeSpec(
        rc.GcpMachineType,
        "machineTypes",
        aggregated="MachineTypes",
        zone="MachineTypes",
        catalogue=True,
        fields=_machine_type,
    ),
    ComputeSpec(
        rc.GcpDiskType,
        "diskTypes",
        aggregated="DiskTypes",
        zone="DiskTypes",
        region="RegionDiskTypes",
        catalogue=True,
        fields=lambda d: {
            "zone": last_segment(d.get("zone")),
            "volume_type": d.get("name"),
            "valid_disk_size": d.get("validDiskSize"),
            "default_disk_size_gb": to_int(d.get("defaultDiskSizeGb")),
        },
    ),
    ComputeSpec(
        rc.GcpAcceleratorType,
        "acceleratorTypes",
        aggregated="AcceleratorTypes",
        zone="AcceleratorTypes",
        catalogue=True,
        fields=lambda d: {
            "zone": last_segment(d.get("zone")),
            "maximum_cards_per_instance": to_int(d.get("maximumCardsPerInstance")),
        },
    ),
    ComputeSpec(
        rc.GcpNodeType,
        "nodeTypes",
        aggregated="NodeTypes",
        zone="NodeTypes",
        catalogue=True,
        fields=lambda d: {
            "zone": last_segment(d.get("zone")),
            "cpu_platform": d.get("cpuPlatform"),
            "guest_cpus": to_int(d.get("guestCpus")),
            "memory_mb": to_int(d.get("memoryMb")),
            "local_ssd_gb": to_int(d.get("localSsdGb")),
        },
    ),
    ComputeSpec(
        rc.GcpInterconnectLocation,
        "interconnectLocations",
        global_list="InterconnectLocations",
        global_="InterconnectLocations",
        catalogue=True,
        fields=lambda d: {
            "address": d.get("address"),
            "availability_zone": d.get("availabilityZone"),
            "city": d.get("city"),
            "continent": d.get("continent"),
            "facility_provider": d.get("facilityProvider"),
            "peeringdb_facility_id": d.get("peeringdbFacilityId"),
            "status": d.get("status"),
        },
    ),
    ComputeSpec(
        rc.GcpLicense,
        "licenses",
        global_list="Licenses",
        global_="Licenses",
        fields=lambda d: {
            "charges_use_fee": d.get("chargesUseFee"),
            "license_code": str(d["licenseCode"]) if d.get("licenseCode") is not None else None,
            "transferable": d.get("transferable"),
        },
    ),
    ComputeSpec(
        rc.GcpCommitment,
        "commitments",
        aggregated="RegionCommitments",
        region="RegionCommitments",
        fields=lambda d: {
            "status": d.get("status"),
            "plan": d.get("plan"),
            "category": d.get("category"),
            "commitment_type": d.get("type"),
            "start_timestamp": d.get("startTimestamp"),
            "end_timestamp": d.get("endTimestamp"),
            "auto_renew": d.get("autoRenew"),
        },
    ),
    ComputeSpec(
        rc.GcpFirewallPolicy,
        "firewallPolicies",
        aggregated="NetworkFirewallPolicies",
        agg_global=True,
        region="RegionNetworkFirewallPolicies",
        global_="NetworkFirewallPolicies",
        fields=lambda d: {
            "rule_tuple_count": to_int(d.get("ruleTupleCount")),
            "rule_count": len(d.get("rules") or []),
            "associations": [
                a["attachmentTarget"] for a in d.get("associations") or [] if a.get("attachmentTarget")
            ],
        },
        links=(LinkRule("associations.*.attachmentTarget", owner=False),),
    ),
    ComputeSpec(
        rc.GcpHealthCheckService,
        "healthCheckServices",
        aggregated="RegionHealthCheckServices",
        scoped_field="resources",
        region="RegionHealthCheckServices",
        fields=lambda d: {
            "health_status_aggregation_policy": d.get("healthStatusAggregationPolicy"),
            "health_checks": list(d.get("healthChecks") or []),
            "network_endpoint_groups": list(d.get("networkEndpointGroups") or []),
            "notification_endpoints": list(d.get("notificationEndpoints") or []),
        },
        links=(
            LinkRule("healthChecks.*", owner=False),
            LinkRule("networkEndpointGroups.*", owner=False),
            LinkRule("notificationEndpoints.*", owner=False),
        ),
    ),
    ComputeSpec(
        rc.GcpHttpHealthCheck,
        "httpHealthChecks",
        global_list="HttpHealthChecks",
        rest=True,
        fields=_health_check,
    ),
    ComputeSpec(
        rc.GcpHttpsHealthCheck,
        "httpsHealthChecks",
        global_list="HttpsHealthChecks",
        rest=True,
        fields=_health_check,
    ),
    ComputeSpec(
        rc.GcpInterconnect,
        "interconnects",
        global_list="Interconnects",
        global_="Interconnects",
        fields=lambda d: {
            "interconnect_type": d.get("interconnectType"),
            "link_type": d.get("linkType"),
            "location": d.get("location"),
            "operational_status": d.get("operationalStatus"),
            "provisioned_link_count": to_int(d.get("provisionedLinkCount")),
            "requested_link_count": to_int(d.get("requestedLinkCount")),
            "state": d.get("state"),
        },
        links=(LinkRule("location", owner=True, delete=None),),
    ),
    ComputeSpec(
        rc.GcpInterconnectAttachment,
        "interconnectAttachments",
        aggregated="InterconnectAttachments",
        region="InterconnectAttachments",
        fields=lambda d: {
            "attachment_type": d.get("type"),
            "bandwidth": d.get("bandwidth"),
            "interconnect": d.get("interconnect"),
            "router": d.get("router"),
            "state": d.get("state"),
            "vlan_tag8021q": to_int(d.get("vlanTag8021q")),
            "cloud_router_ip_address": d.get("cloudRouterIpAddress"),
        },
        links=(LinkRule("interconnect", owner=True), LinkRule("router", owner=True)),
    ),
    ComputeSpec(
        rc.GcpNetworkEdgeSecurityService,
        "networkEdgeSecurityServices",
        aggregated="NetworkEdgeSecurityServices",
        region="NetworkEdgeSecurityServices",
        fields=lambda d: {"security_policy": d.get("securityPolicy"), "fingerprint": d.get("fingerprint")},
        links=(LinkRule("securityPolicy", owner=False),),
    ),
    ComputeSpec(
        rc.GcpNodeTemplate,
        "nodeTemplates",
        aggregated="NodeTemplates",
        region="NodeTemplates",
        fields=lambda d: {
            "node_type": d.get("nodeType"),
            "cpu_overcommit_type": d.get("cpuOvercommitType"),
            "status": d.get("status"),
            "node_affinity_labels": dict(d.get("nodeAffinityLabels") or {}),
        },
    ),
    ComputeSpec(
        rc.GcpNodeGroup,
        "nodeGroups",
        aggregated="NodeGroups",
        zone="NodeGroups",
        fields=lambda d: {
            "node_template": d.get("nodeTemplate"),
            "size": to_int(d.get("size")),
            "status": d.get("status"),
            "maintenance_policy": d.get("maintenancePolicy"),
            "autoscaling_mode": (d.get("autoscalingPolicy") or {}).get("mode"),
        },
        links=(LinkRule("nodeTemplate", owner=True),),
    ),
    ComputeSpec(
        rc.GcpNotificationEndpoint,
        "notificationEndpoints",
        aggregated="RegionNotificationEndpoints",
        scoped_field="resources",
        region="RegionNotificationEndpoints",
        fields=lambda d: {"grpc_endpoint": ((d.get("grpcSettings") or {}).get("endpoint"))},
    ),
    ComputeSpec(
        rc.GcpOperation,
        "operations",
        aggregated="GlobalOperations",
        agg_global=True,
        fields=lambda d: {
            "operation_type": d.get("operationType"),
            "status": d.get("status"),
            "target_link": d.get("targetLink"),
            "user": d.get("user"),
            "progress": str(d["progress"]) if d.get("progress") is not None else None,
            "start_time": d.get("startTime"),
            "end_time": d.get("endTime"),
            "error_codes": [
                e.get("code") for e in (d.get("error") or {}).get("errors") or [] if e.get("code")
            ],
        },
        links=(LinkRule("targetLink", owner=False, delete=None),),
    ),
    ComputeSpec(
        rc.GcpPublicAdvertisedPrefix,
        "publicAdvertisedPrefixes",
        global_list="PublicAdvertisedPrefixes",
        global_="PublicAdvertisedPrefixes",
        fields=lambda d: {
            "ip_cidr_range": d.get("ipCidrRange"),
            "dns_verification_ip": d.get("dnsVerificationIp"),
            "status": d.get("status"),
        },
    ),
    ComputeSpec(
        rc.GcpPublicDelegatedPrefix,
        "publicDelegatedPrefixes",
        aggregated="PublicDelegatedPrefixes",
        global_list="GlobalPublicDelegatedPrefixes",
        region="PublicDelegatedPrefixes",
        global_="GlobalPublicDelegatedPrefixes",
        fields=lambda d: {
            "ip_cidr_range": d.get("ipCidrRange"),
            "parent_prefix": d.get("parentPrefix"),
            "status": d.get("status"),
            "is_live_migration": d.get("isLiveMigration"),
        },
        links=(LinkRule("parentPrefix", owner=False),),
    ),
    ComputeSpec(
        rc.GcpServiceAttachment,
        "serviceAttachments",
        aggregated="ServiceAttachments",
        region="ServiceAttachments",
        fields=lambda d: {
            "connection_preference": d.get("connectionPreference"),
            "target_service": d.get("targetService"),
            "nat_subnets": list(d.get("natSubnets") or []),
            "enable_proxy_protocol": d.get("enableProxyProtocol"),
        },
        links=(LinkRule("targetService", owner=False), LinkRule("natSubnets.*", owner=False)),
    ),
)
