"""Every REST-collected kind (Vertex AI ... Bigtable, billing catalogue) through AuthorizedSession
against the fake: one resource with its labels and edges, delete and label updates per kind that
supports them, retries and SERVICE_DISABLED."""

from __future__ import annotations

import pytest
from fakes.gcp import FakeGcp
from fakes.gcp.harness import Collected, collect_all, location_of, resource_of
from fakes.gcp.world import PROJECTS, World
from resoto_hookspecs import NotSupported, ResourceGone
from resoto_hookspecs.testing import PluginDriver
from resoto_plugin_gcp import plugin
from resoto_plugin_gcp.config import GcpConfig
from resoto_plugin_gcp.rest_model import RestSpec
from resoto_plugin_gcp.rest_specs import REST_SPECS

P = "alpha-prod"
SEEDED_WITHOUT_LABELS = {"gcp_vertex_ai_schedule"}
LABELLED = [
    s for s in REST_SPECS if s.labels and s.kind not in SEEDED_WITHOUT_LABELS and s.scope != "catalogue"
]
LABELLED = [
    s for s in LABELLED if s.kind not in {"gcp_vertex_ai_dataset_version", "gcp_vertex_ai_model_evaluation"}
]

# (from kind, from id, to kind, to id) of the edges the seeded references make, per project
EDGES = [
    (
        "gcp_vertex_ai_dataset",
        "locations/us-east1/datasets/ds-1",
        "gcp_vertex_ai_dataset_version",
        "locations/us-east1/datasets/ds-1/datasetVersions/v1",
    ),
    (
        "gcp_vertex_ai_model",
        "locations/us-east1/models/m-churn",
        "gcp_vertex_ai_model_evaluation",
        "locations/us-east1/models/m-churn/evaluations/e1",
    ),
    (
        "gcp_vertex_ai_feature_group",
        "locations/us-east1/featureGroups/fg-1",
        "gcp_vertex_ai_feature",
        "locations/us-east1/featureGroups/fg-1/features/f-age",
    ),
    (
        "gcp_vertex_ai_endpoint",
        "locations/us-east1/endpoints/ep-1",
        "gcp_vertex_ai_model",
        "locations/us-east1/models/m-churn",
    ),
    (
        "gcp_vertex_ai_batch_prediction_job",
        "locations/us-east1/batchPredictionJobs/bp-1",
        "gcp_vertex_ai_model",
        "locations/us-east1/models/m-churn",
    ),
    (
        "gcp_vertex_ai_index_endpoint",
        "locations/us-east1/indexEndpoints/ie-1",
        "gcp_vertex_ai_index",
        "locations/us-east1/indexes/ix-1",
    ),
    (
        "gcp_vertex_ai_model_deployment_monitoring_job",
        "locations/us-east1/modelDeploymentMonitoringJobs/mm-1",
        "gcp_vertex_ai_endpoint",
        "locations/us-east1/endpoints/ep-1",
    ),
    (
        "gcp_cloud_function",
        "locations/us-east1/functions/hello",
        "gcp_cloud_run_service",
        "locations/us-east1/services/fn-hello",
    ),
    (
        "gcp_filestore_instance",
        "locations/us-east1-b/instances/nfs-1",
        "gcp_filestore_instance_snapshot",
        "locations/us-east1-b/instances/nfs-1/snapshots/snap-1",
    ),
    (
        "gcp_filestore_instance",
        "locations/us-east1-b/instances/nfs-1",
        "gcp_filestore_backup",
        "locations/us-east1/backups/bk-1",
    ),
    (
        "gcp_firestore_database",
        "databases/(default)",
        "gcp_firestore_document",
        "databases/(default)/documents/users/alice",
    ),
    (
        "gcp_firestore_database",
        "databases/(default)",
        "gcp_firestore_backup",
        "locations/us-east1/backups/fsb-1",
    ),
    ("gcp_pubsub_topic", "topics/events", "gcp_pubsub_subscription", "subscriptions/events-sub"),
    ("gcp_pubsub_topic", "topics/events", "gcp_pubsub_snapshot", "snapshots/events-snap"),
    (
        "gcp_kms_key_ring",
        "locations/global/keyRings/ring-1",
        "gcp_kms_crypto_key",
        "locations/global/keyRings/ring-1/cryptoKeys/key-1",
    ),
    ("gcp_bigquery_dataset", "datasets/analytics", "gcp_bigquery_table", "datasets/analytics/tables/events"),
    ("gcp_network", "global/networks/net-main", "gcp_redis_instance", "locations/us-east1/instances/cache"),
    ("gcp_dns_managed_zone", "managedZones/internal", "gcp_network", "global/networks/net-main"),
    (
        "gcp_iam_service_account",
        f"serviceAccounts/app@{P}.iam.gserviceaccount.com",
        "gcp_iam_service_account_key",
        f"serviceAccounts/app@{P}.iam.gserviceaccount.com/keys/k1",
    ),
    (
        "gcp_billing_account",
        "billingAccounts/0A1B2C-3D4E5F-6A7B8C",
        "gcp_project_billing_info",
        "billingInfo",
    ),
    ("gcp_service", "services/6F81-5844-456A", "gcp_sku", "services/6F81-5844-456A/skus/0001-E2-CPU"),
    ("gcp_sql_database_instance", f"pg-{P}", "gcp_sql_database", f"pg-{P}/databases/app"),
    ("gcp_sql_database_instance", f"pg-{P}", "gcp_sql_user", f"pg-{P}/users/app"),
    ("gcp_sql_database_instance", f"pg-{P}", "gcp_sql_backup_run", f"pg-{P}/backupRuns/1714557600000"),
    ("gcp_sql_database_instance", f"pg-{P}", "gcp_sql_operation", "operations/"),
    (
        "gcp_container_cluster",
        "locations/us-east1/clusters/gke-main",
        "gcp_container_operation",
        "locations/us-east1/operations/operation-create-gke-main-",
    ),
    ("gcp_bucket", f"{P}-assets", "gcp_object", f"{P}-assets/index.html"),
]


@pytest.fixture
def collected(config: GcpConfig) -> Collected:
    return collect_all(make_config_from(config, project=[P]))


def make_config_from(config: GcpConfig, **kw: object) -> GcpConfig:
    return config.model_copy(update=kw)


def one(collected: Collected, kind: str) -> dict[str, object]:
    nodes = collected.nodes(kind, P)
    assert nodes, kind
    return nodes[0]


def test_every_rest_kind_with_labels(collected: Collected) -> None:
    assert collected.reporter.errors == [] and collected.reporter.skips == []
    for spec in REST_SPECS:
        node = one(collected, spec.kind)
        if spec in LABELLED:
            assert node["tags"] == {"team": "data"}, spec.kind
    assert one(collected, "gcp_vertex_ai_model")["version_id"] == "1"
    assert one(collected, "gcp_cloud_function")["runtime"] == "python312"
    assert one(collected, "gcp_filestore_instance")["capacity_gb"] == 1024
    assert one(collected, "gcp_bigquery_dataset")["location"] == "US"
    assert str(one(collected, "gcp_bigquery_table")["ctime"]).startswith("2024-05-01")
    assert one(collected, "gcp_redis_instance")["port"] == 6379
    assert one(collected, "gcp_sku")["unit_price"] == pytest.approx(0.02181159)
    assert one(collected, "gcp_project_billing_info")["billing_enabled"] is True
    assert one(collected, "gcp_sql_user")["user_type"] == "BUILT_IN"
    assert one(collected, "gcp_object")["bucket"] == f"{P}-assets"
    # only the Compute Engine service's SKUs are read
    assert {n["id"] for n in collected.nodes("gcp_sku")} == {"services/6F81-5844-456A/skus/0001-E2-CPU"}
    assert collected.sink.validate(collected.kernel_node_ids()) == []


def test_edges(collected: Collected) -> None:
    default = collected.edges()
    for from_kind, from_id, to_kind, to_id in EDGES:
        src = collected.node_id(from_kind, P, from_id)
        targets = [
            collected.node_id(to_kind, P, n["id"])
            for n in collected.nodes(to_kind, P)
            if n["id"].startswith(to_id)
        ]
        assert targets, (to_kind, to_id)
        assert (src, targets[0]) in default, (from_kind, to_kind)


def test_catalogue_and_regional_endpoints(fake: FakeGcp, world: World, config: GcpConfig) -> None:
    collected = collect_all(config)
    owners = {
        collected.node_project[collected.node_id("gcp_service", P, n["id"])]
        for n in collected.nodes("gcp_service")
    }
    assert owners == {P}
    assert [r for r in fake.requests if r[1] == "/_svc/cloudbilling/v1/services"] == [
        ("GET", "/_svc/cloudbilling/v1/services", 200)
    ]
    for project in PROJECTS:
        # Vertex AI is asked per region (its endpoints are regional), the others once per project
        for region in ("us-east1", "europe-west1"):
            assert exact(fake, f"/_svc/aiplatform/v1/projects/{project}/locations/{region}/models") == 1
        assert exact(fake, f"/_svc/run/v2/projects/{project}/locations/-/services") == 1
        assert len(collected.nodes("gcp_pubsub_topic", project)) == 1


def exact(fake: FakeGcp, path: str) -> int:
    return sum(1 for _, p, _ in fake.requests if p == path)


def _one_resource(fake: FakeGcp, config: GcpConfig, spec: RestSpec) -> tuple[object, object]:
    kinds = [spec.kind] + ([spec.parent.kind] if spec.parent else [])
    collected = collect_all(make_config_from(config, project=[P], collect=kinds))
    nid = collected.node_id(spec.kind, P, one(collected, spec.kind)["id"])  # type: ignore[arg-type]
    return resource_of(collected.sink.nodes[nid]), location_of(collected, nid)


@pytest.mark.parametrize("spec", [s for s in REST_SPECS if s.deletable], ids=lambda s: s.kind)
def test_delete(fake: FakeGcp, world: World, config: GcpConfig, spec: RestSpec) -> None:
    resource, loc = _one_resource(fake, config, spec)
    before = len(fake.deleted)
    PluginDriver(plugin, config).delete_resource(resource=resource, location=loc)
    assert fake.deleted[before:] == [(spec.service, f"projects/{P}/{resource.id}")]  # type: ignore[attr-defined]
    with pytest.raises(ResourceGone):
        PluginDriver(plugin, config).check_resource(resource=resource, location=loc)


@pytest.mark.parametrize("spec", [s for s in LABELLED if s.label_style], ids=lambda s: s.kind)
def test_labels(fake: FakeGcp, world: World, config: GcpConfig, spec: RestSpec) -> None:
    resource, loc = _one_resource(fake, config, spec)
    PluginDriver(plugin, config).update_tag(resource=resource, location=loc, key="owner", value="ops")
    PluginDriver(plugin, config).delete_tag(resource=resource, location=loc, key="team")
    stored = fake.rest.get(spec.service, f"projects/{P}/{resource.id}")  # type: ignore[attr-defined]
    assert stored is not None and stored["labels"] == {"owner": "ops"}
    checked = PluginDriver(plugin, config).check_resource(resource=resource, location=loc)
    assert checked is not None and checked.tags == {"owner": "ops"}


def test_kinds_without_label_updates_say_so(fake: FakeGcp, world: World, config: GcpConfig) -> None:
    spec = next(s for s in REST_SPECS if s.kind == "gcp_vertex_ai_custom_job")
    resource, loc = _one_resource(fake, config, spec)
    with pytest.raises(NotSupported):
        PluginDriver(plugin, config).update_tag(resource=resource, location=loc, key="a", value="b")


@pytest.mark.parametrize("kind", ["gcp_sql_database", "gcp_sql_user", "gcp_sql_backup_run", "gcp_object"])
def test_delete_sql_children_and_objects(fake: FakeGcp, world: World, config: GcpConfig, kind: str) -> None:
    parent = "gcp_bucket" if kind == "gcp_object" else "gcp_sql_database_instance"
    collected = collect_all(make_config_from(config, project=[P], collect=[kind, parent]))
    node = one(collected, kind)
    nid = collected.node_id(kind, P, node["id"])  # type: ignore[arg-type]
    before = len(fake.deleted)
    PluginDriver(plugin, config).delete_resource(
        resource=resource_of(collected.sink.nodes[nid]), location=location_of(collected, nid)
    )
    assert len(fake.deleted) == before + (
        0 if kind == "gcp_object" else 1
    )  # the storage fake logs buckets only
    again = collect_all(make_config_from(config, project=[P], collect=[kind, parent]))
    assert node["id"] not in {n["id"] for n in again.nodes(kind, P)}


def test_service_disabled_is_a_quiet_skip_and_429_is_retried(
    fake: FakeGcp, world: World, config: GcpConfig
) -> None:
    fake.disable(P, "run")
    fake.fail(f"/_svc/pubsub/v1/projects/{P}/topics", 429, count=2)
    fake.fail(f"/_svc/aiplatform/v1/projects/{P}/locations/us-east1/models", 503, count=1)
    collected = collect_all(make_config_from(config, project=[P]))
    assert collected.reporter.errors == []
    assert [s for s in collected.reporter.skips if "Cloud Run" in str(s)]
    assert len(collected.reporter.skips) == 1  # once per project and API, not per kind or region
    assert not collected.nodes("gcp_cloud_run_service") and not collected.nodes("gcp_cloud_run_job")
    assert collected.nodes("gcp_pubsub_topic", P) and collected.nodes("gcp_vertex_ai_model", P)
    assert collected.nodes("gcp_cloud_function", P)  # another API of the same project is unaffected


def test_a_disabled_regional_api_is_asked_once_per_project(
    fake: FakeGcp, world: World, config: GcpConfig
) -> None:
    fake.disable(P, "aiplatform")
    collected = collect_all(make_config_from(config, project=[P]))
    assert collected.reporter.errors == []
    assert [s for s in collected.reporter.skips if "Vertex AI" in str(s)] == collected.reporter.skips
    assert len(collected.reporter.skips) == 1
    assert not any(
        n["kind"].startswith("gcp_vertex_ai") for n in (v["reported"] for v in collected.sink.nodes.values())
    )
    asked = [r for r in fake.requests if r[1].startswith(f"/_svc/aiplatform/v1/projects/{P}/")]
    assert len(asked) == 1  # the first region unit's first call; the other units know it is off
