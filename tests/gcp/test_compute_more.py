"""The Compute kinds beyond the first table: catalogue once per run, legacy health checks over REST,
properties, labels, edges, deletes and label updates through the plugin's hooks."""

from __future__ import annotations

import pytest
from fakes.gcp import FakeGcp
from fakes.gcp.harness import Collected, collect_all, location_of, make_config, resource_of
from fakes.gcp.world import PROJECTS, REGIONS, World
from resoto_hookspecs import NotSupported
from resoto_hookspecs.testing import PluginDriver
from resoto_plugin_gcp import plugin
from resoto_plugin_gcp.compute_more import MORE_COMPUTE_SPECS
from resoto_plugin_gcp.config import GcpConfig

P = "alpha-prod"
CATALOGUE = {s.kind for s in MORE_COMPUTE_SPECS if s.catalogue}


@pytest.fixture
def collected(config: GcpConfig) -> Collected:
    return collect_all(config)


def test_catalogue_is_collected_by_one_project_only(fake: FakeGcp, collected: Collected) -> None:
    assert {
        "gcp_machine_type",
        "gcp_disk_type",
        "gcp_accelerator_type",
        "gcp_node_type",
        "gcp_interconnect_location",
    } == CATALOGUE
    for kind in CATALOGUE:
        owners = {collected.node_project[collected.node_id(kind, P, n["id"])] for n in collected.nodes(kind)}
        assert owners == {P}, kind  # the smallest project id; the other projects do not ask
    for other in set(PROJECTS) - {P}:
        assert fake.count(f"/compute/v1/projects/{other}/aggregated/machineTypes") == 0
    mt = collected.nodes("gcp_machine_type", P)
    assert {n["id"] for n in mt} == {f"zones/{z[0]}/machineTypes/e2-medium" for z in REGIONS.values()}
    assert mt[0]["instance_cores"] == 2.0 and mt[0]["instance_memory"] == 4.0
    # catalogue -> user edges where both sit in the catalogue project
    vm = collected.node_id("gcp_instance", P, "zones/us-east1-b/instances/vm-us-east1")
    e2 = collected.node_id("gcp_machine_type", P, "zones/us-east1-b/machineTypes/e2-medium")
    disk = collected.node_id("gcp_disk", P, "zones/us-east1-b/disks/disk-us-east1")
    pd = collected.node_id("gcp_disk_type", P, "zones/us-east1-b/diskTypes/pd-balanced")
    iad = collected.node_id("gcp_interconnect_location", P, "global/interconnectLocations/iad-zone1-1")
    ic = collected.node_id("gcp_interconnect", P, "global/interconnects/ic-dc1")
    assert {(e2, vm), (pd, disk), (iad, ic)} <= collected.edges()
    # another project's instance: a deferred edge from the catalogue project's entry (same node id)
    beta_vm = collected.node_id("gcp_instance", "beta-dev", "zones/us-east1-b/instances/vm-us-east1")
    assert (e2, beta_vm, "default") in collected.sink.ref_edges
    assert collected.sink.validate(collected.kernel_node_ids()) == []


def test_properties_labels_and_edges(collected: Collected) -> None:
    def node(kind: str, rid: str) -> dict[str, object]:
        return next(n for n in collected.nodes(kind, P) if n["id"] == rid)

    def nid(kind: str, rid: str) -> str:
        return collected.node_id(kind, P, rid)

    r = "regions/us-east1"
    quota = node("gcp_region_quota", f"{r}/quotas")
    assert quota["quotas"] == {"CPUS": 24.0, "DISKS_TOTAL_GB": 4096.0} and quota["usages"]["CPUS"] == 4.0
    assert node("gcp_http_health_check", "global/httpHealthChecks/legacy-http")["request_path"] == "/healthz"
    assert node("gcp_https_health_check", "global/httpsHealthChecks/legacy-https")["port"] == 443
    assert node("gcp_interconnect", "global/interconnects/ic-dc1")["tags"] == {"dc": "one"}
    assert node("gcp_interconnect_attachment", f"{r}/interconnectAttachments/vlan-us-east1")["tags"] == {
        "vlan": "100"
    }
    assert node("gcp_commitment", f"{r}/commitments/cud-us-east1")["plan"] == "TWELVE_MONTH"
    assert node("gcp_license", "global/licenses/lic-app")["license_code"] == "4242"
    assert node("gcp_firewall_policy", "global/firewallPolicies/fwp-main")["rule_count"] == 1
    op = node("gcp_operation", "zones/us-east1-b/operations/op-us-east1-b-1")
    assert op["status"] == "DONE" and op["operation_type"] == "insert"
    default, delete = collected.edges(), collected.edges("delete")
    net = nid("gcp_network", "global/networks/net-main")
    fwp = nid("gcp_firewall_policy", "global/firewallPolicies/fwp-main")
    pap = nid("gcp_public_advertised_prefix", "global/publicAdvertisedPrefixes/pap-main")
    pdp = nid("gcp_public_delegated_prefix", f"{r}/publicDelegatedPrefixes/pdp-us-east1")
    nt = nid("gcp_node_template", f"{r}/nodeTemplates/nt-us-east1")
    ng = nid("gcp_node_group", "zones/us-east1-b/nodeGroups/ng-us-east1")
    sa = nid("gcp_service_attachment", f"{r}/serviceAttachments/psc-us-east1")
    bs = nid("gcp_backend_service", f"{r}/backendServices/bs-us-east1")
    sub = nid("gcp_subnetwork", f"{r}/subnetworks/sub-us-east1")
    hhc = nid("gcp_http_health_check", "global/httpHealthChecks/legacy-http")
    tp = nid("gcp_target_pool", f"{r}/targetPools/tp-us-east1")
    ic = nid("gcp_interconnect", "global/interconnects/ic-dc1")
    vlan = nid("gcp_interconnect_attachment", f"{r}/interconnectAttachments/vlan-us-east1")
    hcs = nid("gcp_health_check_service", f"{r}/healthCheckServices/hcs-us-east1")
    ne = nid("gcp_notification_endpoint", f"{r}/notificationEndpoints/ne-us-east1")
    ness = nid("gcp_network_edge_security_service", f"{r}/networkEdgeSecurityServices/ness-us-east1")
    sp = nid("gcp_security_policy", "global/securityPolicies/sp-edge")
    disk = nid("gcp_disk", "zones/us-east1-b/disks/disk-us-east1")
    opn = nid("gcp_operation", "zones/us-east1-b/operations/op-us-east1-b-1")
    assert {(fwp, net), (pdp, pap), (nt, ng), (sa, bs), (sa, sub), (tp, hhc), (ic, vlan)} <= default
    assert {(hcs, ne), (ness, sp), (opn, disk)} <= default
    # delete order: users before what they use
    assert {(net, fwp), (pap, pdp), (nt, ng), (bs, sa), (hhc, tp), (ic, vlan)} <= delete


def test_labels_of_interconnects(fake: FakeGcp, world: World, config: GcpConfig) -> None:
    collected = collect_all(make_config(fake, project=[P], collect=["gcp_interconnect_attachment"]))
    nid = collected.node_id(
        "gcp_interconnect_attachment", P, "regions/us-east1/interconnectAttachments/vlan-us-east1"
    )
    resource, loc = resource_of(collected.sink.nodes[nid]), location_of(collected, nid)
    PluginDriver(plugin, config).update_tag(resource=resource, location=loc, key="owner", value="net")
    PluginDriver(plugin, config).delete_tag(resource=resource, location=loc, key="vlan")
    data = fake.compute.resources[(P, "regions/us-east1", "interconnectAttachments", "vlan-us-east1")]
    assert data["labels"] == {"owner": "net"}
    legacy = collect_all(make_config(fake, project=[P], collect=["gcp_http_health_check"]))
    node = legacy.nodes("gcp_http_health_check")[0]
    hid = legacy.node_id("gcp_http_health_check", P, node["id"])
    with pytest.raises(NotSupported):
        PluginDriver(plugin, config).update_tag(
            resource=resource_of(legacy.sink.nodes[hid]),
            location=location_of(legacy, hid),
            key="a",
            value="b",
        )
