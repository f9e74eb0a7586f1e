"""Delete in dependency order, bucket emptying, re-check and labels, through the plugin's hooks."""

from __future__ import annotations

import pytest
from fakes.gcp import FakeGcp
from fakes.gcp.harness import Collected, collect_all, delete_order, location_of, make_config, resource_of
from fakes.gcp.world import World
from resoto_hookspecs import Location, NotSupported, ResourceGone
from resoto_hookspecs.testing import PluginDriver
from resoto_plugin_gcp import plugin
from resoto_plugin_gcp.compute_specs import COMPUTE_SPECS
from resoto_plugin_gcp.config import GcpConfig
from resoto_plugin_gcp.resources import GcpBucket, GcpContainerNodePool, GcpDisk, GcpInstance, GcpNetwork

P = "alpha-prod"


@pytest.fixture
def collected(fake: FakeGcp, world: World) -> Collected:
    return collect_all(make_config(fake, project=[P]))


def test_delete_project_in_dependency_order(fake: FakeGcp, collected: Collected, config: GcpConfig) -> None:
    order = delete_order(collected, P)
    gone: list[str] = []
    for nid in order:
        node = collected.sink.nodes[nid]
        resource, location = resource_of(node), location_of(collected, nid)
        PluginDriver(plugin, config).pre_cleanup(resource=resource, location=location)
        try:
            PluginDriver(plugin, config).delete_resource(resource=resource, location=location)
        except ResourceGone:
            # deleting a manager deletes its group; deleting a cluster takes its node pools
            assert node["reported"]["kind"] in ("gcp_instance_group", "gcp_container_node_pool")
            gone.append(node["reported"]["kind"])
    # nothing compute is left, and the fake (which refuses deleting a resource in use) accepted each delete
    read_only = {s.collection for s in COMPUTE_SPECS if not s.cls.deletable}
    assert read_only >= {"machineTypes", "diskTypes", "operations", "commitments"}
    assert [k for k in fake.compute.resources if k[0] == P and k[2] not in read_only] == []
    assert not any(p == P for p, _ in fake.sql.instances)
    assert not any(fake.storage.project_of[b] == P for b in fake.storage.buckets)
    assert not any(p == P for p, _, _ in fake.container.clusters)
    deleted = [what for service, what in fake.deleted if service == "compute"]
    # every deletable compute kind (the REST-only legacy health checks too) was deleted at least once
    assert {w.split("/")[-2] for w in deleted} == {s.collection for s in COMPUTE_SPECS if s.cls.deletable}

    def pos(suffix: str) -> int:
        return next(i for i, w in enumerate(deleted) if w.endswith(suffix))

    assert pos("instances/vm-us-east1") < pos("disks/disk-us-east1")
    assert pos("subnetworks/sub-us-east1") < pos("networks/net-main")
    assert pos("instances/vm-us-east1") < pos("subnetworks/sub-us-east1")
    assert pos("forwardingRules/fr-web") < pos("targetHttpProxies/thp-web") < pos("urlMaps/um-web")
    assert pos("backendServices/bs-global") < pos("healthChecks/hc-http")
    assert pos("autoscalers/as-us-east1") < pos("instanceGroupManagers/igm-us-east1")
    assert pos("vpnTunnels/tun-us-east1") < pos("vpnGateways/vpngw-us-east1")
    # every operation was waited on through the operations API
    assert fake.count(f"/compute/v1/projects/{P}/global/operations/") > 0
    assert fake.count(f"/compute/v1/projects/{P}/zones/us-east1-b/operations/") > 0
    assert fake.count(f"/v1/projects/{P}/operations/") >= 1  # Cloud SQL
    # the other projects were not touched
    assert any(k[0] == "beta-dev" for k in fake.compute.resources)


def test_wrong_order_is_refused_by_the_fake(fake: FakeGcp, world: World, config: GcpConfig) -> None:
    """The fake answers 400 resourceInUseByAnotherResource, so the order test above can fail."""
    network = GcpNetwork(id="global/networks/net-main")
    with pytest.raises(Exception, match="already being used"):
        PluginDriver(plugin, config).delete_resource(resource=network, location=Location("gcp", P, "global"))
    disk = GcpDisk(id="zones/us-east1-b/disks/disk-us-east1")
    with pytest.raises(Exception, match="already being used"):
        PluginDriver(plugin, config).delete_resource(resource=disk, location=Location("gcp", P, "us-east1"))


def test_delete_of_a_missing_resource_is_gone(fake: FakeGcp, world: World, config: GcpConfig) -> None:
    vm = GcpInstance(id="zones/us-east1-b/instances/does-not-exist")
    loc = Location("gcp", P, "us-east1")
    with pytest.raises(ResourceGone):
        PluginDriver(plugin, config).delete_resource(resource=vm, location=loc)
    with pytest.raises(ResourceGone):
        PluginDriver(plugin, config).check_resource(resource=vm, location=loc)
    with pytest.raises(ResourceGone):
        PluginDriver(plugin, config).delete_resource(resource=GcpBucket(id="no-such-bucket"), location=loc)


def test_bucket_is_emptied_before_delete(fake: FakeGcp, world: World, config: GcpConfig) -> None:
    bucket = GcpBucket(id=f"{P}-assets")
    loc = Location("gcp", P, "global")
    assert len(fake.storage.objects[bucket.id]) == 2
    PluginDriver(plugin, config).pre_cleanup(resource=bucket, location=loc)
    assert fake.storage.objects[bucket.id] == {}
    PluginDriver(plugin, config).delete_resource(resource=bucket, location=loc)
    assert bucket.id not in fake.storage.buckets
    assert ("storage", f"b/{bucket.id}") in fake.deleted


LABELLED = [
    ("gcp_instance", "zones/us-east1-b/instances/vm-us-east1", "us-east1"),
    ("gcp_disk", "zones/us-east1-b/disks/disk-us-east1", "us-east1"),
    ("gcp_snapshot", "global/snapshots/snap-us-east1", "global"),
    ("gcp_address", "regions/europe-west1/addresses/addr-europe-west1", "europe-west1"),
    ("gcp_address", "global/addresses/gaddr-web", "global"),
    ("gcp_forwarding_rule", "global/forwardingRules/fr-web", "global"),
    ("gcp_security_policy", "global/securityPolicies/sp-edge", "global"),
    ("gcp_vpn_tunnel", "regions/us-east1/vpnTunnels/tun-us-east1", "us-east1"),
    ("gcp_external_vpn_gateway", "global/externalVpnGateways/peer-gw", "global"),
    ("gcp_bucket", f"{P}-logs", "us-east1"),
    ("gcp_container_cluster", "locations/us-east1/clusters/gke-main", "us-east1"),
    ("gcp_sql_database_instance", f"pg-{P}", "europe-west1"),
]


@pytest.mark.parametrize(("kind", "rid", "region"), LABELLED, ids=[f"{k}:{r}" for k, r, _ in LABELLED])
def test_update_and_delete_label(
    fake: FakeGcp, collected: Collected, config: GcpConfig, kind: str, rid: str, region: str
) -> None:
    nid = collected.node_id(kind, P, rid)
    resource = resource_of(collected.sink.nodes[nid])
    loc = Location("gcp", P, region)
    before = dict(resource.tags)
    PluginDriver(plugin, config).update_tag(resource=resource, location=loc, key="owner", value="team-x")
    PluginDriver(plugin, config).update_tag(resource=resource, location=loc, key="flag", value=None)
    now = PluginDriver(plugin, config).check_resource(resource=resource, location=loc)
    assert now.tags == {**before, "owner": "team-x", "flag": ""}
    PluginDriver(plugin, config).delete_tag(resource=resource, location=loc, key="owner")
    PluginDriver(plugin, config).delete_tag(resource=resource, location=loc, key="flag")
    after = PluginDriver(plugin, config).check_resource(resource=resource, location=loc)
    assert after.tags == {k: v for k, v in before.items() if k != "owner"}


def test_label_fingerprint_is_sent(fake: FakeGcp, world: World, config: GcpConfig) -> None:
    """The fake refuses a stale fingerprint (412); the plugin reads the current one first."""
    key = (P, "zones/us-east1-b", "instances", "vm-us-east1")
    fake.compute.resources[key]["labelFingerprint"] = "changed-elsewhere"
    vm = GcpInstance(id="zones/us-east1-b/instances/vm-us-east1", label_fingerprint="stale")
    PluginDriver(plugin, config).update_tag(
        resource=vm, location=Location("gcp", P, "us-east1"), key="a", value="b"
    )
    assert fake.compute.resources[key]["labels"]["a"] == "b"


def test_kinds_without_labels_say_so(fake: FakeGcp, world: World, config: GcpConfig) -> None:
    loc = Location("gcp", P, "global")
    with pytest.raises(NotSupported, match="no labels"):
        PluginDriver(plugin, config).update_tag(
            resource=GcpNetwork(id="global/networks/net-main"),
            location=loc,
            key="a",
            value="b",
        )
    pool = GcpContainerNodePool(id="locations/us-east1/clusters/gke-main/nodePools/pool-a")
    with pytest.raises(NotSupported, match="no labels"):
        PluginDriver(plugin, config).delete_tag(resource=pool, location=loc, key="a")
    assert fake.count("/compute/v1/projects/alpha-prod/global/networks/net-main/setLabels") == 0


def test_check_resource_rereads(fake: FakeGcp, world: World, config: GcpConfig) -> None:
    key = (P, "regions/us-east1", "vpnGateways", "vpngw-us-east1")
    fake.compute.resources[key]["labels"] = {"protect": "true"}
    from resoto_plugin_gcp.resources import GcpVpnGateway

    found = PluginDriver(plugin, config).check_resource(
        resource=GcpVpnGateway(id="regions/us-east1/vpnGateways/vpngw-us-east1"),
        location=Location("gcp", P, "us-east1"),
    )
    assert found.tags == {"protect": "true"}
    assert found.name == "vpngw-us-east1"
