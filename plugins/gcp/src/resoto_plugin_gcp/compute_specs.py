"""The declarative table of Compute Engine kinds: how each is listed, read, deleted, labelled, linked.

One :class:`ComputeSpec` per kind. The client stems name ``google.cloud.compute_v1`` clients
(``Instances`` → ``InstancesClient``); get/delete/setLabels use the client of the resource's scope
(zonal, regional or global), and whether a kind has labels is read from that client itself
(``set_labels`` exists or not).
"""

from __future__ import annotations

from resoto_hookspecs.resources import InstanceStatus, VolumeStatus

from resoto_plugin_gcp import resources as r
from resoto_plugin_gcp.compute_model import ComputeSpec, Json, LinkRule
from resoto_plugin_gcp.compute_model import to_int as _int
from resoto_plugin_gcp.compute_more import MORE_COMPUTE_SPECS
from resoto_plugin_gcp.links import last_segment

_INSTANCE_STATUS = {
    "RUNNING": InstanceStatus.running,
    "TERMINATED": InstanceStatus.stopped,
    "STOPPED": InstanceStatus.stopped,
    "SUSPENDED": InstanceStatus.stopped,
    "PROVISIONING": InstanceStatus.busy,
    "STAGING": InstanceStatus.busy,
    "STOPPING": InstanceStatus.busy,
    "SUSPENDING": InstanceStatus.busy,
    "REPAIRING": InstanceStatus.busy,
}


def _instance(d: Json) -> Json:
    return {
        "status": d.get("status"),
        "instance_status": _INSTANCE_STATUS.get(d.get("status") or "", InstanceStatus.unknown),
        "instance_type": last_segment(d.get("machineType")),
        "network_tags": list((d.get("tags") or {}).get("items") or []),
        "service_accounts": [sa.get("email") for sa in d.get("serviceAccounts") or [] if sa.get("email")],
        "deletion_protection": d.get("deletionProtection"),
    }


def _disk(d: Json) -> Json:
    status = d.get("status")
    users = list(d.get("users") or [])
    if status == "READY":
        vs = VolumeStatus.in_use if users else VolumeStatus.available
    elif status in ("CREATING", "RESTORING", "DELETING"):
        vs = VolumeStatus.busy
    elif status == "FAILED":
        vs = VolumeStatus.error
    else:
        vs = VolumeStatus.unknown
    return {
        "volume_size": _int(d.get("sizeGb")),
        "volume_type": last_segment(d.get("type")),
        "volume_status": vs,
        "users": users,
        "source_image": d.get("sourceImage"),
    }


NETWORK = LinkRule("network", owner=True)
SUBNETWORK = LinkRule("subnetwork", owner=True)

COMPUTE_SPECS: tuple[ComputeSpec, ...] = (
    ComputeSpec(
        r.GcpInstance,
        "instances",
        aggregated="Instances",
        zone="Instances",
        fields=_instance,
        links=(
            LinkRule("networkInterfaces.*.network", owner=True),
            LinkRule("networkInterfaces.*.subnetwork", owner=True),
            LinkRule("disks.*.source", owner=False),
            LinkRule("machineType", owner=True, delete=None),
        ),
    ),
    ComputeSpec(
        r.GcpDisk,
        "disks",
        aggregated="Disks",
        zone="Disks",
        region="RegionDisks",
        fields=_disk,
        links=(LinkRule("resourcePolicies.*", owner=True), LinkRule("type", owner=True, delete=None)),
    ),
    ComputeSpec(
        r.GcpSnapshot,
        "snapshots",
        global_list="Snapshots",
        global_="Snapshots",
        fields=lambda d: {
            "status": d.get("status"),
            "disk_size_gb": _int(d.get("diskSizeGb")),
            "storage_bytes": _int(d.get("storageBytes")),
            "source_disk": d.get("sourceDisk"),
        },
        links=(LinkRule("sourceDisk", owner=True, delete=None),),
    ),
    ComputeSpec(
        r.GcpImage,
        "images",
        global_list="Images",
        global_="Images",
        fields=lambda d: {
            "status": d.get("status"),
            "family": d.get("family"),
            "disk_size_gb": _int(d.get("diskSizeGb")),
            "source_disk": d.get("sourceDisk"),
        },
        links=(LinkRule("sourceDisk", owner=True, delete=None),),
    ),
    ComputeSpec(
        r.GcpMachineImage,
        "machineImages",
        global_list="MachineImages",
        global_="MachineImages",
        fields=lambda d: {
            "status": d.get("status"),
            "source_instance": d.get("sourceInstance"),
            "total_storage_bytes": _int(d.get("totalStorageBytes")),
        },
        links=(LinkRule("sourceInstance", owner=True, delete=None),),
    ),
    ComputeSpec(
        r.GcpInstanceTemplate,
        "instanceTemplates",
        aggregated="InstanceTemplates",
        agg_global=True,
        region="RegionInstanceTemplates",
        global_="InstanceTemplates",
        fields=lambda d: {"machine_type": (d.get("properties") or {}).get("machineType")},
    ),
    ComputeSpec(
        r.GcpInstanceGroup,
        "instanceGroups",
        aggregated="InstanceGroups",
        zone="InstanceGroups",
        fields=lambda d: {"size": _int(d.get("size"))},
        links=(NETWORK, SUBNETWORK),
    ),
    ComputeSpec(
        r.GcpInstanceGroupManager,
        "instanceGroupManagers",
        aggregated="InstanceGroupManagers",
        zone="InstanceGroupManagers",
        region="RegionInstanceGroupManagers",
        fields=lambda d: {
            "target_size": _int(d.get("targetSize")),
            "base_instance_name": d.get("baseInstanceName"),
        },
        links=(
            LinkRule("instanceTemplate", owner=True),
            LinkRule("instanceGroup", owner=False),
            LinkRule("autoHealingPolicies.*.healthCheck", owner=False),
        ),
    ),
    ComputeSpec(
        r.GcpAutoscaler,
        "autoscalers",
        aggregated="Autoscalers",
        zone="Autoscalers",
        region="RegionAutoscalers",
        fields=lambda d: {
            "status": d.get("status"),
            "min_replicas": _int((d.get("autoscalingPolicy") or {}).get("minNumReplicas")),
            "max_replicas": _int((d.get("autoscalingPolicy") or {}).get("maxNumReplicas")),
        },
        links=(LinkRule("target", owner=False),),
    ),
    ComputeSpec(
        r.GcpNetwork,
        "networks",
        global_list="Networks",
        global_="Networks",
        fields=lambda d: {
            "auto_create_subnetworks": d.get("autoCreateSubnetworks"),
            "routing_mode": (d.get("routingConfig") or {}).get("routingMode"),
            "mtu": _int(d.get("mtu")),
        },
    ),
    ComputeSpec(
        r.GcpSubnetwork,
        "subnetworks",
        aggregated="Subnetworks",
        region="Subnetworks",
        fields=lambda d: {
            "ip_cidr_range": d.get("ipCidrRange"),
            "gateway_address": d.get("gatewayAddress"),
            "purpose": d.get("purpose"),
        },
        links=(NETWORK,),
    ),
    ComputeSpec(
        r.GcpRoute,
        "routes",
        global_list="Routes",
        global_="Routes",
        fields=lambda d: {
            "dest_range": d.get("destRange"),
            "priority": _int(d.get("priority")),
            "next_hop": d.get("nextHopGateway") or d.get("nextHopIp") or d.get("nextHopInstance"),
        },
        links=(NETWORK,),
    ),
    ComputeSpec(
        r.GcpRouter,
        "routers",
        aggregated="Routers",
        region="Routers",
        fields=lambda d: {"asn": _int((d.get("bgp") or {}).get("asn"))},
        links=(NETWORK,),
    ),
    ComputeSpec(
        r.GcpFirewall,
        "firewalls",
        global_list="Firewalls",
        global_="Firewalls",
        fields=lambda d: {
            "direction": d.get("direction"),
            "priority": _int(d.get("priority")),
            "disabled": d.get("disabled"),
            "source_ranges": list(d.get("sourceRanges") or []),
            "target_tags": list(d.get("targetTags") or []),
        },
        links=(NETWORK,),
    ),
    ComputeSpec(
        r.GcpAddress,
        "addresses",
        aggregated="Addresses",
        global_list="GlobalAddresses",
        region="Addresses",
        global_="GlobalAddresses",
        fields=lambda d: {
            "address": d.get("address"),
            "address_type": d.get("addressType"),
            "status": d.get("status"),
            "users": list(d.get("users") or []),
        },
        links=(SUBNETWORK, NETWORK, LinkRule("users.*", owner=False, delete="ref_first")),
    ),
    ComputeSpec(
        r.GcpForwardingRule,
        "forwardingRules",
        aggregated="ForwardingRules",
        global_list="GlobalForwardingRules",
        region="ForwardingRules",
        global_="GlobalForwardingRules",
        fields=lambda d: {
            "ip_address": d.get("IPAddress"),
            "ip_protocol": d.get("IPProtocol"),
            "port_range": d.get("portRange"),
            "load_balancing_scheme": d.get("loadBalancingScheme"),
            "target": d.get("target"),
        },
        links=(
            LinkRule("target", owner=False),
            LinkRule("backendService", owner=False),
            NETWORK,
            SUBNETWORK,
        ),
    ),
    ComputeSpec(
        r.GcpBackendService,
        "backendServices",
        aggregated="BackendServices",
        agg_global=True,
        region="RegionBackendServices",
        global_="BackendServices",
        fields=lambda d: {
            "protocol": d.get("protocol"),
            "load_balancing_scheme": d.get("loadBalancingScheme"),
            "timeout_sec": _int(d.get("timeoutSec")),
        },
        links=(
            LinkRule("healthChecks.*", owner=False),
            LinkRule("backends.*.group", owner=False),
            LinkRule("securityPolicy", owner=True),
            NETWORK,
        ),
    ),
    ComputeSpec(
        r.GcpBackendBucket,
        "backendBuckets",
        global_list="BackendBuckets",
        global_="BackendBuckets",
        fields=lambda d: {"bucket_name": d.get("bucketName"), "enable_cdn": d.get("enableCdn")},
    ),
    ComputeSpec(
        r.GcpHealthCheck,
        "healthChecks",
        aggregated="HealthChecks",
        agg_global=True,
        region="RegionHealthChecks",
        global_="HealthChecks",
        fields=lambda d: {
            "check_interval_sec": _int(d.get("checkIntervalSec")),
            "timeout_sec": _int(d.get("timeoutSec")),
            "health_check_type": d.get("type"),
        },
    ),
    ComputeSpec(
        r.GcpUrlMap,
        "urlMaps",
        aggregated="UrlMaps",
        agg_global=True,
        region="RegionUrlMaps",
        global_="UrlMaps",
        fields=lambda d: {"default_service": d.get("defaultService")},
        links=(
            LinkRule("defaultService", owner=False),
            LinkRule("pathMatchers.*.defaultService", owner=False),
            LinkRule("pathMatchers.*.pathRules.*.service", owner=False),
        ),
    ),
    ComputeSpec(
        r.GcpTargetHttpProxy,
        "targetHttpProxies",
        aggregated="TargetHttpProxies",
        agg_global=True,
        region="RegionTargetHttpProxies",
        global_="TargetHttpProxies",
        fields=lambda d: {"url_map": d.get("urlMap")},
        links=(LinkRule("urlMap", owner=False),),
    ),
    ComputeSpec(
        r.GcpTargetHttpsProxy,
        "targetHttpsProxies",
        aggregated="TargetHttpsProxies",
        agg_global=True,
        region="RegionTargetHttpsProxies",
        global_="TargetHttpsProxies",
        fields=lambda d: {
            "url_map": d.get("urlMap"),
            "ssl_certificates": list(d.get("sslCertificates") or []),
            "ssl_policy": d.get("sslPolicy"),
        },
        links=(
            LinkRule("urlMap", owner=False),
            LinkRule("sslCertificates.*", owner=True),
            LinkRule("sslPolicy", owner=True),
        ),
    ),
    ComputeSpec(
        r.GcpTargetSslProxy,
        "targetSslProxies",
        global_list="TargetSslProxies",
        global_="TargetSslProxies",
        fields=lambda d: {"service": d.get("service")},
        links=(LinkRule("service", owner=False), LinkRule("sslCertificates.*", owner=True)),
    ),
    ComputeSpec(
        r.GcpTargetTcpProxy,
        "targetTcpProxies",
        aggregated="TargetTcpProxies",
        agg_global=True,
        region="RegionTargetTcpProxies",
        global_="TargetTcpProxies",
        fields=lambda d: {"service": d.get("service")},
        links=(LinkRule("service", owner=False),),
    ),
    ComputeSpec(
        r.GcpTargetGrpcProxy,
        "targetGrpcProxies",
        global_list="TargetGrpcProxies",
        global_="TargetGrpcProxies",
        fields=lambda d: {
            "url_map": d.get("urlMap"),
            "validate_for_proxyless": d.get("validateForProxyless"),
        },
        links=(LinkRule("urlMap", owner=False),),
    ),
    ComputeSpec(
        r.GcpTargetInstance,
        "targetInstances",
        aggregated="TargetInstances",
        zone="TargetInstances",
        fields=lambda d: {"nat_policy": d.get("natPolicy")},
        links=(LinkRule("instance", owner=False), NETWORK),
    ),
    ComputeSpec(
        r.GcpExternalVpnGateway,
        "externalVpnGateways",
        global_list="ExternalVpnGateways",
        global_="ExternalVpnGateways",
        fields=lambda d: {
            "redundancy_type": d.get("redundancyType"),
            "interface_ips": [i["ipAddress"] for i in d.get("interfaces") or [] if i.get("ipAddress")],
        },
    ),
    ComputeSpec(
        r.GcpPacketMirroring,
        "packetMirrorings",
        aggregated="PacketMirrorings",
        region="PacketMirrorings",
        fields=lambda d: {"priority": _int(d.get("priority")), "enable": d.get("enable")},
        links=(
            LinkRule("network.url", owner=True),
            LinkRule("mirroredResources.instances.*.url", owner=False, delete=None),
            LinkRule("mirroredResources.subnetworks.*.url", owner=False, delete=None),
        ),
    ),
    ComputeSpec(
        r.GcpTargetPool,
        "targetPools",
        aggregated="TargetPools",
        region="TargetPools",
        fields=lambda d: {
            "session_affinity": d.get("sessionAffinity"),
            "instances": list(d.get("instances") or []),
        },
        links=(LinkRule("instances.*", owner=False, delete=None), LinkRule("healthChecks.*", owner=False)),
    ),
    ComputeSpec(
        r.GcpSslCertificate,
        "sslCertificates",
        aggregated="SslCertificates",
        agg_global=True,
        region="RegionSslCertificates",
        global_="SslCertificates",
        fields=lambda d: {
            "certificate_type": d.get("type"),
            "expire_time": d.get("expireTime"),
            "subject_alternative_names": list(d.get("subjectAlternativeNames") or []),
        },
    ),
    ComputeSpec(
        r.GcpSslPolicy,
        "sslPolicies",
        aggregated="SslPolicies",
        agg_global=True,
        region="RegionSslPolicies",
        global_="SslPolicies",
        fields=lambda d: {"min_tls_version": d.get("minTlsVersion"), "profile": d.get("profile")},
    ),
    ComputeSpec(
        r.GcpSecurityPolicy,
        "securityPolicies",
        aggregated="SecurityPolicies",
        agg_global=True,
        region="RegionSecurityPolicies",
        global_="SecurityPolicies",
        fields=lambda d: {"policy_type": d.get("type")},
    ),
    ComputeSpec(
        r.GcpVpnGateway,
        "vpnGateways",
        aggregated="VpnGateways",
        region="VpnGateways",
        fields=lambda d: {"network": d.get("network")},
        links=(NETWORK,),
    ),
    ComputeSpec(
        r.GcpTargetVpnGateway,
        "targetVpnGateways",
        aggregated="TargetVpnGateways",
        region="TargetVpnGateways",
        fields=lambda d: {"status": d.get("status")},
        links=(NETWORK,),
    ),
    ComputeSpec(
        r.GcpVpnTunnel,
        "vpnTunnels",
        aggregated="VpnTunnels",
        region="VpnTunnels",
        fields=lambda d: {
            "status": d.get("status"),
            "peer_ip": d.get("peerIp"),
            "ike_version": _int(d.get("ikeVersion")),
        },
        links=(
            LinkRule("vpnGateway", owner=True),
            LinkRule("targetVpnGateway", owner=True),
            LinkRule("router", owner=True),
        ),
    ),
    ComputeSpec(
        r.GcpNetworkEndpointGroup,
        "networkEndpointGroups",
        aggregated="NetworkEndpointGroups",
        global_list="GlobalNetworkEndpointGroups",
        zone="NetworkEndpointGroups",
        region="RegionNetworkEndpointGroups",
        global_="GlobalNetworkEndpointGroups",
        fields=lambda d: {
            "network_endpoint_type": d.get("networkEndpointType"),
            "size": _int(d.get("size")),
            "default_port": _int(d.get("defaultPort")),
        },
        links=(NETWORK, SUBNETWORK),
    ),
    ComputeSpec(
        r.GcpResourcePolicy,
        "resourcePolicies",
        aggregated="ResourcePolicies",
        region="ResourcePolicies",
        fields=lambda d: {"status": d.get("status")},
    ),
)

COMPUTE_SPECS += MORE_COMPUTE_SPECS

SPEC_BY_KIND: dict[str, ComputeSpec] = {s.kind: s for s in COMPUTE_SPECS}
SPEC_BY_COLLECTION: dict[str, ComputeSpec] = {s.collection: s for s in COMPUTE_SPECS}
