"""The seeded world's Compute kinds beyond the first table: catalogues, legacy health checks,
interconnects, sole tenancy, prefixes, service attachments, firewall policies and operations.
Bodies are ``google.cloud.compute_v1`` messages, except the legacy HTTP(S) health checks, which
that library lacks: they use the REST resource's documented fields."""

from __future__ import annotations

from typing import Any

from google.cloud import compute_v1 as c

from fakes.gcp.compute import BASE


def seed_compute_more(fake: Any, p: str, regions: dict[str, list[str]]) -> None:
    cs = fake.compute

    def L(path: str) -> str:
        return f"{BASE}/projects/{p}/{path}"

    net = L("global/networks/net-main")
    cs.add(
        p,
        "global",
        "interconnectLocations",
        c.InterconnectLocation(
            name="iad-zone1-1",
            city="Ashburn",
            continent="C_NORTH_AMERICA",
            status="AVAILABLE",
            facility_provider="Equinix",
        ),
    )
    cs.add(
        p,
        "global",
        "licenses",
        c.License(name="lic-app", license_code=4242, charges_use_fee=False, transferable=True),
    )
    cs.add(
        p,
        "global",
        "interconnects",
        c.Interconnect(
            name="ic-dc1",
            interconnect_type="DEDICATED",
            link_type="LINK_TYPE_ETHERNET_10G_LR",
            location=L("global/interconnectLocations/iad-zone1-1"),
            requested_link_count=1,
            state="ACTIVE",
            labels={"dc": "one"},
        ),
    )
    cs.add(
        p,
        "global",
        "publicAdvertisedPrefixes",
        c.PublicAdvertisedPrefix(name="pap-main", ip_cidr_range="203.0.113.0/24", status="PROVISIONED"),
    )
    cs.add(
        p,
        "global",
        "publicDelegatedPrefixes",
        c.PublicDelegatedPrefix(
            name="pdp-global",
            ip_cidr_range="203.0.113.0/26",
            parent_prefix=L("global/publicAdvertisedPrefixes/pap-main"),
            status="ANNOUNCED",
        ),
    )
    cs.add(
        p,
        "global",
        "firewallPolicies",
        c.FirewallPolicy(
            name="fwp-main",
            rule_tuple_count=4,
            rules=[c.FirewallPolicyRule(priority=1000, action="allow", direction="INGRESS")],
            associations=[c.FirewallPolicyAssociation(name="assoc-net", attachment_target=net)],
        ),
    )
    hhc = {
        "name": "legacy-http",
        "host": "www.example.com",
        "port": 80,
        "requestPath": "/healthz",
        "checkIntervalSec": 5,
        "timeoutSec": 5,
        "healthyThreshold": 2,
        "unhealthyThreshold": 3,
    }
    cs.add_json(p, "global", "httpHealthChecks", hhc)
    cs.add_json(p, "global", "httpsHealthChecks", {**hhc, "name": "legacy-https", "port": 443})
    cs.add(
        p,
        "global",
        "operations",
        c.Operation(
            name="op-global-1",
            operation_type="insert",
            status=c.Operation.Status.DONE,
            target_link=net,
            progress=100,
            user="ops@example.com",
        ),
    )
    for region, zones in regions.items():
        zone = zones[0]
        rs, zs = f"regions/{region}", f"zones/{zone}"
        # the catalogue every project sees
        cs.add(
            p,
            zs,
            "machineTypes",
            c.MachineType(
                name="e2-medium",
                guest_cpus=2,
                memory_mb=4096,
                maximum_persistent_disks=128,
                is_shared_cpu=True,
            ),
        )
        cs.add(
            p,
            zs,
            "diskTypes",
            c.DiskType(name="pd-balanced", valid_disk_size="10GB-65536GB", default_disk_size_gb=100),
        )
        cs.add(
            p, zs, "acceleratorTypes", c.AcceleratorType(name="nvidia-tesla-t4", maximum_cards_per_instance=4)
        )
        cs.add(
            p,
            zs,
            "nodeTypes",
            c.NodeType(
                name="n2-node-80-640", cpu_platform="Intel Cascade Lake", guest_cpus=80, memory_mb=655360
            ),
        )
        # the project's own resources
        cs.add(
            p,
            rs,
            "commitments",
            c.Commitment(
                name=f"cud-{region}",
                status="ACTIVE",
                plan="TWELVE_MONTH",
                category="MACHINE",
                type_="GENERAL_PURPOSE_E2",
            ),
        )
        nt = L(f"{rs}/nodeTemplates/nt-{region}")
        cs.add(
            p,
            rs,
            "nodeTemplates",
            c.NodeTemplate(
                name=f"nt-{region}",
                node_type="n2-node-80-640",
                status="READY",
                node_affinity_labels={"tenant": "a"},
            ),
        )
        cs.add(
            p,
            zs,
            "nodeGroups",
            c.NodeGroup(
                name=f"ng-{region}", node_template=nt, size=1, status="READY", maintenance_policy="DEFAULT"
            ),
        )
        ne = L(f"{rs}/notificationEndpoints/ne-{region}")
        cs.add(
            p,
            rs,
            "notificationEndpoints",
            c.NotificationEndpoint(
                name=f"ne-{region}",
                grpc_settings=c.NotificationEndpointGrpcSettings(endpoint="https://notify.example.com"),
            ),
        )
        cs.add(
            p,
            rs,
            "healthCheckServices",
            c.HealthCheckService(
                name=f"hcs-{region}",
                health_status_aggregation_policy="AND",
                health_checks=[L(f"{rs}/healthChecks/hc-{region}")],
                network_endpoint_groups=[L(f"{zs}/networkEndpointGroups/neg-{region}")],
                notification_endpoints=[ne],
            ),
        )
        cs.add(
            p,
            rs,
            "interconnectAttachments",
            c.InterconnectAttachment(
                name=f"vlan-{region}",
                type_="DEDICATED",
                interconnect=L("global/interconnects/ic-dc1"),
                router=L(f"{rs}/routers/router-{region}"),
                state="ACTIVE",
                vlan_tag8021q=100,
                labels={"vlan": "100"},
            ),
        )
        cs.add(
            p,
            rs,
            "networkEdgeSecurityServices",
            c.NetworkEdgeSecurityService(
                name=f"ness-{region}", security_policy=L("global/securityPolicies/sp-edge")
            ),
        )
        cs.add(
            p,
            rs,
            "publicDelegatedPrefixes",
            c.PublicDelegatedPrefix(
                name=f"pdp-{region}",
                ip_cidr_range="203.0.113.64/28",
                parent_prefix=L("global/publicAdvertisedPrefixes/pap-main"),
                status="ANNOUNCED",
            ),
        )
        cs.add(
            p,
            rs,
            "serviceAttachments",
            c.ServiceAttachment(
                name=f"psc-{region}",
                connection_preference="ACCEPT_AUTOMATIC",
                target_service=L(f"{rs}/backendServices/bs-{region}"),
                nat_subnets=[L(f"{rs}/subnetworks/sub-{region}")],
            ),
        )
        cs.add(
            p,
            zs,
            "operations",
            c.Operation(
                name=f"op-{zone}-1",
                operation_type="insert",
                status=c.Operation.Status.DONE,
                target_link=L(f"{zs}/disks/disk-{region}"),
                progress=100,
            ),
        )
