"""Collecting the seeded organisation through the real client libraries against the fake."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fakes.gcp import FakeGcp
from fakes.gcp.harness import Collected, collect_all, make_config
from fakes.gcp.world import PROJECTS, REGIONS, SYSTEM_PROJECT, World
from resoto_hookspecs import resource_kinds
from resoto_plugin_gcp import plugin
from resoto_plugin_gcp.config import GcpConfig
from resoto_plugin_gcp.kinds import ALL_KINDS

ROOT = Path(__file__).resolve().parents[2]
ACCOUNT_LEVEL = {"gcp_project", "gcp_region", "gcp_organization"}  # written by the kernel from the units


@pytest.fixture
def collected(config: GcpConfig) -> Collected:
    return collect_all(config)


def test_units_are_project_by_region_plus_global(collected: Collected) -> None:
    names = sorted(u.name for u in collected.units)
    expected = sorted(["organizations/1", *(f"{p}/{r}" for p in PROJECTS for r in [*REGIONS, "global"])])
    assert names == expected  # plus the organisation's own unit
    assert SYSTEM_PROJECT not in {u.account.id for u in collected.units}
    assert collected.reporter.errors == []
    assert collected.reporter.skips == []


def test_every_kind_is_collected_in_every_project(collected: Collected) -> None:
    produced = {n["reported"]["kind"] for n in collected.sink.nodes.values()}
    expected = {cls.kind for cls in ALL_KINDS} - ACCOUNT_LEVEL
    assert produced == expected
    for project in PROJECTS:
        # every project: two regions' worth of regional kinds, one network, both buckets
        assert {n["id"] for n in collected.nodes("gcp_instance", project)} == {
            f"zones/{zones[0]}/instances/vm-{region}" for region, zones in REGIONS.items()
        }
        assert len(collected.nodes("gcp_subnetwork", project)) == 2
        assert len(collected.nodes("gcp_network", project)) == 1
        assert {n["id"] for n in collected.nodes("gcp_bucket", project)} == {
            f"{project}-logs",
            f"{project}-assets",
        }
        # global and regional variants of one kind
        assert {n["id"] for n in collected.nodes("gcp_health_check", project)} == {
            "global/healthChecks/hc-http",
            "regions/us-east1/healthChecks/hc-us-east1",
            "regions/europe-west1/healthChecks/hc-europe-west1",
        }
        assert {n["id"] for n in collected.nodes("gcp_address", project)} == {
            "global/addresses/gaddr-web",
            "regions/us-east1/addresses/addr-us-east1",
            "regions/europe-west1/addresses/addr-europe-west1",
        }
    assert problems(collected) == []


def problems(collected: Collected) -> list[object]:
    return list(collected.sink.validate(collected.kernel_node_ids()))


def test_properties_and_labels(collected: Collected) -> None:
    vm = next(n for n in collected.nodes("gcp_instance", "alpha-prod") if "us-east1" in n["id"])
    assert vm["tags"] == {"env": "prod", "app": "web"}
    assert vm["instance_status"] == "running"
    assert vm["instance_type"] == "e2-medium"
    assert vm["network_tags"] == ["ssh"]
    disk = next(n for n in collected.nodes("gcp_disk", "alpha-prod") if "us-east1" in n["id"])
    assert disk["volume_size"] == 20
    assert disk["volume_status"] == "in-use"
    assert disk["volume_type"] == "pd-balanced"
    assert disk["label_fingerprint"]
    cluster = collected.nodes("gcp_container_cluster", "alpha-prod")[0]
    assert cluster["tags"] == {"env": "prod"} and cluster["status"] == "RUNNING"
    sql = collected.nodes("gcp_sql_database_instance", "alpha-prod")[0]
    assert sql["tags"] == {"db": "main"} and sql["database_version"] == "POSTGRES_15"
    bucket = next(n for n in collected.nodes("gcp_bucket", "alpha-prod") if n["id"].endswith("assets"))
    assert bucket["tags"] == {"public": "yes"} and bucket["location"] == "US"


def test_resources_are_filed_by_region_and_zone(collected: Collected) -> None:
    def region_of(kind: str, project: str, rid: str) -> str | None:
        return collected.node_region[collected.node_id(kind, project, rid)]

    assert (
        region_of("gcp_instance", "beta-dev", "zones/europe-west1-b/instances/vm-europe-west1")
        == "europe-west1"
    )
    assert region_of("gcp_network", "beta-dev", "global/networks/net-main") == "global"
    assert region_of("gcp_bucket", "beta-dev", "beta-dev-logs") == "us-east1"
    assert region_of("gcp_bucket", "beta-dev", "beta-dev-assets") == "global"  # multi-region US
    assert (
        region_of("gcp_container_cluster", "beta-dev", "locations/us-east1/clusters/gke-main") == "us-east1"
    )
    assert region_of("gcp_sql_database_instance", "beta-dev", "pg-beta-dev") == "europe-west1"
    # zonal resources hang below their zone
    vm = collected.node_id("gcp_instance", "beta-dev", "zones/us-east1-b/instances/vm-us-east1")
    zone = collected.node_id("gcp_zone", "beta-dev", "us-east1-b")
    assert (zone, vm) in collected.edges()


def test_hierarchy(collected: Collected) -> None:
    accounts = {u.account.id: u.account for u in collected.units}
    assert accounts["alpha-prod"].organization == "organizations/1"
    assert accounts["alpha-prod"].folder_path == ["folders/10"]
    assert accounts["beta-dev"].folder_path == ["folders/10", "folders/11"]
    assert accounts["beta-dev"].parent == "folders/11"
    assert accounts["gamma-ops"].folder_path == [] and accounts["gamma-ops"].parent == "organizations/1"
    assert accounts["gamma-ops"].tags == {"team": "gamma"}
    # the organisation and its folders exist once, in a unit (and merge) of their own, not below a project
    orgs = collected.nodes("gcp_organization")
    folders = collected.nodes("gcp_folder")
    assert [o["id"] for o in orgs] == []  # the root is the unit's own node: the kernel writes it
    assert sorted(f["id"] for f in folders) == ["folders/10", "folders/11"]
    assert {f["name"] for f in folders} == {"engineering", "platform"}
    [scope] = [u for u in collected.units if u.account.id == "organizations/1"]
    assert scope.account.kind == "gcp_organization" and scope.region is None
    builder = next(b for b in collected.builders if b.unit is scope)
    org = builder.account_node_id
    f10 = collected.node_id("gcp_folder", "organizations/1", "folders/10")
    f11 = collected.node_id("gcp_folder", "organizations/1", "folders/11")
    assert {(org, f10), (f10, f11)} <= collected.edges()
    projects = {
        b.unit.account.id: b.account_node_id
        for b in collected.builders
        if b.unit.account.kind == "gcp_project"
    }
    # each project hangs below its folder through a reference to another merge (a deferred edge)
    # (the other deferred edges are catalogue entry -> user in another project: test_compute_more)
    to_projects = {e for e in collected.sink.ref_edges if e[1] in set(projects.values())}
    assert to_projects == {
        (f10, projects["alpha-prod"], "default"),
        (f11, projects["beta-dev"], "default"),
        (org, projects["gamma-ops"], "default"),
    }
    assert all(collected.node_project[n] == "organizations/1" for n in (f10, f11))


def test_edges(collected: Collected) -> None:
    p = "alpha-prod"

    def nid(kind: str, rid: str) -> str:
        return collected.node_id(kind, p, rid)

    net = nid("gcp_network", "global/networks/net-main")
    sub = nid("gcp_subnetwork", "regions/us-east1/subnetworks/sub-us-east1")
    vm = nid("gcp_instance", "zones/us-east1-b/instances/vm-us-east1")
    disk = nid("gcp_disk", "zones/us-east1-b/disks/disk-us-east1")
    default, delete = collected.edges(), collected.edges("delete")
    assert {(net, sub), (sub, vm), (vm, disk)} <= default
    assert {(net, sub), (sub, vm), (disk, vm), (net, vm)} <= delete
    # load balancer chain: forwarding rule -> proxy -> url map -> backend service -> health check
    fr = nid("gcp_forwarding_rule", "global/forwardingRules/fr-web")
    proxy = nid("gcp_target_http_proxy", "global/targetHttpProxies/thp-web")
    um = nid("gcp_url_map", "global/urlMaps/um-web")
    bs = nid("gcp_backend_service", "global/backendServices/bs-global")
    hc = nid("gcp_health_check", "global/healthChecks/hc-http")
    bb = nid("gcp_backend_bucket", "global/backendBuckets/bb-static")
    assert {(fr, proxy), (proxy, um), (um, bs), (um, bb), (bs, hc)} <= default
    assert {(proxy, fr), (um, proxy), (bs, um), (hc, bs)} <= delete
    # cross-region references resolve to the node of the other unit
    ig = nid("gcp_instance_group", "zones/us-east1-b/instanceGroups/igm-us-east1")
    assert (bs, ig) in default
    cluster = nid("gcp_container_cluster", "locations/us-east1/clusters/gke-main")
    pool = nid("gcp_container_node_pool", "locations/us-east1/clusters/gke-main/nodePools/pool-a")
    igm = nid("gcp_instance_group_manager", "zones/us-east1-b/instanceGroupManagers/igm-us-east1")
    assert {(cluster, pool), (pool, igm), (net, cluster)} <= default
    sql = nid("gcp_sql_database_instance", "pg-alpha-prod")
    assert (net, sql) in delete
    # no edge leaves its project
    for f, t, _ in collected.sink.edges:
        if f in collected.node_project and t in collected.node_project:
            assert collected.node_project[f] == collected.node_project[t]


def test_aggregated_lists_one_call_per_project(fake: FakeGcp, world: World, config: GcpConfig) -> None:
    config = make_config(fake, page_size=2)
    collected = collect_all(config)
    assert problems(collected) == []
    for project in PROJECTS:
        # no per-zone or per-region list calls: everything regional comes from aggregated lists
        assert fake.count(f"/compute/v1/projects/{project}/zones/") == 0
        assert fake.count(f"/compute/v1/projects/{project}/regions/") == 0
        assert fake.count(f"/compute/v1/projects/{project}/aggregated/instances") == 1
        # 3 health checks with maxResults=2: two pages, all items arrive
        assert fake.count(f"/compute/v1/projects/{project}/aggregated/healthChecks") == 2
        assert len(collected.nodes("gcp_health_check", project)) == 3
    calls = collected.reporter.calls
    assert calls[("compute", "healthChecks.aggregatedList")] == 2 * len(PROJECTS)


def test_project_selection(fake: FakeGcp, world: World) -> None:
    def projects(**kw: object) -> set[str]:
        units = plugin.collection_units(config=make_config(fake, **kw), reporter=collect_reporter())
        return {u.account.id for u in units if u.account.kind == "gcp_project"}

    assert projects(project=["beta-dev"]) == {"beta-dev"}
    assert projects(project_deny=["gamma-ops"]) == {"alpha-prod", "beta-dev"}
    assert projects(folder=["11"]) == {"beta-dev"}
    assert projects(folder=["folders/10"]) == {"alpha-prod", "beta-dev"}
    assert projects(organization=["1"]) == set(PROJECTS)
    assert projects(include_system_projects=True) == {*PROJECTS, SYSTEM_PROJECT}
    units = plugin.collection_units(
        config=make_config(fake, region=["europe-west1"]), reporter=collect_reporter()
    )
    assert sorted(u.name for u in units if u.account.id == "alpha-prod") == [
        "alpha-prod/europe-west1",
        "alpha-prod/global",
    ]


def test_region_selection_drops_other_regions(fake: FakeGcp, world: World) -> None:
    collected = collect_all(make_config(fake, region=["europe-west1"], project=["alpha-prod"]))
    assert {n["id"] for n in collected.nodes("gcp_instance")} == {
        "zones/europe-west1-b/instances/vm-europe-west1"
    }
    assert problems(collected) == []


def test_collect_and_no_collect(fake: FakeGcp, world: World) -> None:
    collected = collect_all(
        make_config(fake, collect=["gcp_network", "gcp_subnetwork"], project=["alpha-prod"])
    )
    assert {n["reported"]["kind"] for n in collected.sink.nodes.values()} == {"gcp_network", "gcp_subnetwork"}
    assert problems(collected) == []
    assert fake.count("/compute/v1/projects/alpha-prod/aggregated/instances") == 0
    collected = collect_all(make_config(fake, no_collect=["gcp_instance"], project=["alpha-prod"]))
    assert not collected.nodes("gcp_instance") and collected.nodes("gcp_disk")
    assert problems(collected) == []


def collect_reporter() -> object:
    from resoto_hookspecs import RecordingReporter

    return RecordingReporter()


def test_kinds_match_the_reference_model() -> None:
    reference = json.loads((ROOT / "tests/fixtures/reference-model/resource-kinds.json").read_text())
    ref = {k["fqn"]: k for k in reference if k["fqn"].startswith("gcp_")}
    exported = {k["fqn"]: k for k in resource_kinds(ALL_KINDS)}
    shared = set(ref) & set(exported)
    assert set(ref) <= set(exported), sorted(set(ref) - set(exported))  # every Resoto 3.9 GCP kind
    roots = [k for k in exported.values() if k.get("aggregate_root") and k["fqn"].startswith("gcp_")]
    assert len(roots) >= 116
    for name in shared:
        assert exported[name]["bases"] == ref[name]["bases"], name
