"""The table of REST-collected kinds (see :mod:`rest_model`): one :class:`RestSpec` per kind.

Paths and JSON field names are those of each API's published REST reference (v1/v2 resources).
"""

from __future__ import annotations

from typing import Any

from resoto_plugin_gcp import apis
from resoto_plugin_gcp import resources_more as km
from resoto_plugin_gcp import resources_rest as k
from resoto_plugin_gcp.compute_model import to_int
from resoto_plugin_gcp.resources import GcpResource
from resoto_plugin_gcp.rest_model import Json, RestLink, RestSpec

VERTEX_REGIONS = frozenset(
    {
        "us-central1", "us-east1", "us-east4", "us-east5", "us-south1", "us-west1", "us-west2",
        "us-west3", "us-west4", "northamerica-northeast1", "northamerica-northeast2",
        "southamerica-east1", "southamerica-west1", "europe-central2", "europe-north1",
        "europe-southwest1", "europe-west1", "europe-west2", "europe-west3", "europe-west4",
        "europe-west6", "europe-west8", "europe-west9", "europe-west12", "asia-east1", "asia-east2",
        "asia-northeast1", "asia-northeast2", "asia-northeast3", "asia-south1", "asia-southeast1",
        "asia-southeast2", "australia-southeast1", "australia-southeast2", "me-central1",
        "me-central2", "me-west1", "africa-south1",
    }
)  # fmt: skip
"""Regions with a Vertex AI endpoint (``{region}-aiplatform.googleapis.com``); others are not asked."""

MULTI_REGIONS = ("us", "europe", "asia")


def get(d: Any, path: str) -> Any:
    """The value at a dotted path, ``None`` when any step is missing."""
    for part in path.split("."):
        if not isinstance(d, dict):
            return None
        d = d.get(part)
    return d


def pick(**paths: str) -> Any:
    """A ``fields`` function: property name → dotted JSON path (``:int`` converts)."""

    def fields(d: Json) -> Json:
        out: Json = {}
        for prop, path in paths.items():
            path, _, conv = path.partition(":")
            value = get(d, path)
            out[prop] = to_int(value) if conv == "int" else value
        return out

    return fields


def _vertex(
    cls: type[GcpResource], collection: str, labels: bool = True, delete: bool = True, **kw: Any
) -> RestSpec:
    return RestSpec(
        cls,
        apis.AIPLATFORM,
        f"projects/{{project}}/locations/{{location}}/{collection}",
        collection,
        scope="region",
        regions=VERTEX_REGIONS,
        label_style="mask" if labels else None,
        deletable=delete,
        **kw,
    )


def _vertex_child(
    cls: type[GcpResource], parent: type[GcpResource], collection: str, items: str, **kw: Any
) -> RestSpec:
    return RestSpec(cls, apis.AIPLATFORM, f"{{parent}}/{collection}", items, parent=parent, **kw)


_JOB = {"state": "state", "start_time": "startTime", "end_time": "endTime"}


def _bq_path(d: Json, project: str) -> str:
    ref = d.get("tableReference") or d.get("datasetReference") or {}
    path = f"projects/{project}/datasets/{ref.get('datasetId')}"
    return f"{path}/tables/{ref['tableId']}" if "tableId" in ref else path


def _ms(value: Any) -> str | None:
    """BigQuery's milliseconds since the epoch (as a string) → ISO 8601."""
    from datetime import UTC, datetime

    n = to_int(value)
    return datetime.fromtimestamp(n / 1000, UTC).isoformat() if n is not None else None


VERTEX_SPECS: tuple[RestSpec, ...] = (
    _vertex(
        k.GcpVertexAIBatchPredictionJob,
        "batchPredictionJobs",
        labels=False,
        fields=pick(model="model", model_version_id="modelVersionId", **_JOB),
        links=(RestLink("model", "gcp_vertex_ai_model", owner=False, delete=None),),
    ),
    _vertex(k.GcpVertexAICustomJob, "customJobs", labels=False, fields=pick(**_JOB)),
    _vertex(
        k.GcpVertexAIDataset,
        "datasets",
        fields=pick(metadata_schema_uri="metadataSchemaUri", data_item_count="dataItemCount:int"),
    ),
    _vertex_child(
        k.GcpVertexAIDatasetVersion,
        k.GcpVertexAIDataset,
        "datasetVersions",
        "datasetVersions",
        deletable=True,
        labels=None,
        fields=pick(big_query_dataset_name="bigQueryDatasetName"),
    ),
    _vertex(
        k.GcpVertexAIEndpoint,
        "endpoints",
        fields=lambda d: {
            "network": d.get("network"),
            "deployed_models": [m.get("model") for m in d.get("deployedModels") or [] if m.get("model")],
        },
        links=(RestLink("deployedModels.*.model", "gcp_vertex_ai_model", owner=False),),
    ),
    _vertex_child(
        k.GcpVertexAIFeature,
        k.GcpVertexAIFeatureGroup,
        "features",
        "features",
        deletable=True,
        label_style="mask",
        fields=pick(value_type="valueType", version_column_name="versionColumnName"),
    ),
    _vertex(
        k.GcpVertexAIFeatureGroup,
        "featureGroups",
        fields=pick(big_query_source_uri="bigQuery.bigQuerySource.inputUri"),
    ),
    _vertex(
        k.GcpVertexAIFeaturestore,
        "featurestores",
        delete_params=(("force", "true"),),
        fields=pick(state="state", online_serving_fixed_node_count="onlineServingConfig.fixedNodeCount:int"),
    ),
    _vertex(
        k.GcpVertexAIHyperparameterTuningJob,
        "hyperparameterTuningJobs",
        labels=False,
        fields=pick(max_trial_count="maxTrialCount:int", trial_count="trialCount:int", **_JOB),
    ),
    _vertex(
        k.GcpVertexAIIndex,
        "indexes",
        fields=lambda d: {
            "index_update_method": d.get("indexUpdateMethod"),
            "metadata_schema_uri": d.get("metadataSchemaUri"),
            "deployed_index_count": len(d.get("deployedIndexes") or []),
        },
    ),
    _vertex(
        k.GcpVertexAIIndexEndpoint,
        "indexEndpoints",
        fields=lambda d: {
            "network": d.get("network"),
            "public_endpoint_domain_name": d.get("publicEndpointDomainName"),
            "deployed_indexes": [i.get("index") for i in d.get("deployedIndexes") or [] if i.get("index")],
        },
        links=(RestLink("deployedIndexes.*.index", "gcp_vertex_ai_index", owner=False),),
    ),
    _vertex(
        k.GcpVertexAIModel,
        "models",
        fields=pick(
            version_id="versionId",
            artifact_uri="artifactUri",
            supported_deployment_resources_types="supportedDeploymentResourcesTypes",
        ),
    ),
    _vertex(
        k.GcpVertexAIModelDeploymentMonitoringJob,
        "modelDeploymentMonitoringJobs",
        labels=False,
        fields=pick(state="state", endpoint="endpoint", schedule_state="scheduleState"),
        links=(RestLink("endpoint", "gcp_vertex_ai_endpoint", owner=False),),
    ),
    _vertex_child(
        k.GcpVertexAIModelEvaluation,
        k.GcpVertexAIModel,
        "evaluations",
        "modelEvaluations",
        labels=None,
        fields=pick(metrics_schema_uri="metricsSchemaUri", slice_dimensions="sliceDimensions"),
    ),
    _vertex(
        k.GcpVertexAIPipelineJob,
        "pipelineJobs",
        labels=False,
        fields=pick(service_account="serviceAccount", **_JOB),
    ),
    _vertex(
        k.GcpVertexAISchedule,
        "schedules",
        labels=False,
        fields=pick(
            state="state", cron="cron", started_run_count="startedRunCount:int", next_run_time="nextRunTime"
        ),
    ),
    _vertex(
        k.GcpVertexAITensorboard,
        "tensorboards",
        fields=pick(blob_storage_path_prefix="blobStoragePathPrefix", run_count="runCount:int"),
    ),
    _vertex(
        k.GcpVertexAITrainingPipeline,
        "trainingPipelines",
        labels=False,
        fields=pick(training_task_definition="trainingTaskDefinition", **_JOB),
    ),
    _vertex(
        k.GcpVertexAITuningJob,
        "tuningJobs",
        labels=False,
        delete=False,
        fields=pick(base_model="baseModel", tuned_model="tunedModel.model", **_JOB),
    ),
)

FIX_SPECS: tuple[RestSpec, ...] = (
    RestSpec(
        k.GcpCloudFunction,
        apis.FUNCTIONS,
        "projects/{project}/locations/-/functions",
        "functions",
        label_style="mask",
        deletable=True,
        fields=pick(
            state="state",
            environment="environment",
            runtime="buildConfig.runtime",
            entry_point="buildConfig.entryPoint",
            service="serviceConfig.service",
            url="url",
        ),
        links=(RestLink("serviceConfig.service", "gcp_cloud_run_service", owner=False, delete=None),),
    ),
    RestSpec(
        k.GcpFilestoreInstance,
        apis.FILESTORE,
        "projects/{project}/locations/-/instances",
        "instances",
        label_style="mask",
        deletable=True,
        fields=lambda d: {
            "state": d.get("state"),
            "tier": d.get("tier"),
            "capacity_gb": sum(to_int(s.get("capacityGb")) or 0 for s in d.get("fileShares") or []),
            "file_shares": [s.get("name") for s in d.get("fileShares") or [] if s.get("name")],
            "networks": [n.get("network") for n in d.get("networks") or [] if n.get("network")],
        },
    ),
    RestSpec(
        k.GcpFilestoreBackup,
        apis.FILESTORE,
        "projects/{project}/locations/-/backups",
        "backups",
        label_style="mask",
        deletable=True,
        fields=pick(
            state="state",
            source_instance="sourceInstance",
            source_file_share="sourceFileShare",
            capacity_gb="capacityGb:int",
            storage_bytes="storageBytes:int",
        ),
        links=(RestLink("sourceInstance", "gcp_filestore_instance", owner=True, delete=None),),
    ),
    RestSpec(
        k.GcpFilestoreInstanceSnapshot,
        apis.FILESTORE,
        "{parent}/snapshots",
        "snapshots",
        parent=k.GcpFilestoreInstance,
        label_style="mask",
        deletable=True,
        fields=pick(state="state", filesystem_used_bytes="filesystemUsedBytes:int"),
    ),
    RestSpec(
        k.GcpFirestoreDatabase,
        apis.FIRESTORE,
        "projects/{project}/databases",
        "databases",
        scope="project",
        labels=None,
        deletable=True,
        fields=pick(
            location_id="locationId",
            database_type="type",
            concurrency_mode="concurrencyMode",
            delete_protection_state="deleteProtectionState",
            point_in_time_recovery_enablement="pointInTimeRecoveryEnablement",
        ),
    ),
    RestSpec(
        k.GcpFirestoreBackup,
        apis.FIRESTORE,
        "projects/{project}/locations/-/backups",
        "backups",
        labels=None,
        deletable=True,
        fields=pick(
            database="database",
            state="state",
            size_bytes="sizeBytes:int",
            expire_time="expireTime",
            snapshot_time="snapshotTime",
        ),
        links=(RestLink("database", "gcp_firestore_database", owner=True, delete=None),),
    ),
    RestSpec(
        k.GcpFirestoreDocument,
        apis.FIRESTORE,
        "{parent}/documents",
        "documents",
        parent=k.GcpFirestoreDatabase,
        when=lambda d: d.get("type") != "DATASTORE_MODE",  # Datastore mode has no documents API
        labels=None,
        deletable=True,
        limit=1000,
        fields=lambda d: {"field_count": len(d.get("fields") or {})},
    ),
    RestSpec(
        k.GcpPubSubTopic,
        apis.PUBSUB,
        "projects/{project}/topics",
        "topics",
        scope="project",
        label_style="wrapped",
        wrap=("topic", "updateMask"),
        deletable=True,
        fields=pick(
            kms_key_name="kmsKeyName", message_retention_duration="messageRetentionDuration", state="state"
        ),
    ),
    RestSpec(
        k.GcpPubSubSubscription,
        apis.PUBSUB,
        "projects/{project}/subscriptions",
        "subscriptions",
        scope="project",
        label_style="wrapped",
        wrap=("subscription", "updateMask"),
        deletable=True,
        fields=pick(
            topic="topic",
            ack_deadline_seconds="ackDeadlineSeconds:int",
            push_endpoint="pushConfig.pushEndpoint",
            state="state",
            message_retention_duration="messageRetentionDuration",
        ),
        links=(RestLink("topic", "gcp_pubsub_topic", owner=True, delete=None),),
    ),
    RestSpec(
        k.GcpPubSubSnapshot,
        apis.PUBSUB,
        "projects/{project}/snapshots",
        "snapshots",
        scope="project",
        label_style="wrapped",
        wrap=("snapshot", "updateMask"),
        deletable=True,
        fields=pick(topic="topic", expire_time="expireTime"),
        links=(RestLink("topic", "gcp_pubsub_topic", owner=True, delete=None),),
    ),
)

MORE_SPECS: tuple[RestSpec, ...] = (
    RestSpec(
        k.GcpCloudRunService,
        apis.RUN,
        "projects/{project}/locations/-/services",
        "services",
        label_style="mask",
        deletable=True,
        fields=pick(
            uri="uri",
            ingress="ingress",
            launch_stage="launchStage",
            latest_ready_revision="latestReadyRevision",
            service_account="template.serviceAccount",
        ),
    ),
    RestSpec(
        k.GcpCloudRunJob,
        apis.RUN,
        "projects/{project}/locations/-/jobs",
        "jobs",
        label_style="mask",
        deletable=True,
        fields=pick(
            launch_stage="launchStage",
            execution_count="executionCount:int",
            latest_execution="latestCreatedExecution.name",
            service_account="template.template.serviceAccount",
        ),
    ),
    RestSpec(
        k.GcpArtifactRegistryRepository,
        apis.ARTIFACTS,
        "projects/{project}/locations/{location}/repositories",
        "repositories",
        scope="region",
        locations=MULTI_REGIONS,
        label_style="mask",
        deletable=True,
        fields=pick(format="format", mode="mode", size_bytes="sizeBytes:int", kms_key_name="kmsKeyName"),
    ),
    RestSpec(
        k.GcpSecretManagerSecret,
        apis.SECRETS,
        "projects/{project}/secrets",
        "secrets",
        scope="project",
        label_style="mask",
        deletable=True,
        fields=lambda d: {
            "replication": next(iter(d.get("replication") or {}), None),
            "expire_time": d.get("expireTime"),
            "version_destroy_ttl": d.get("versionDestroyTtl"),
        },
    ),
    RestSpec(
        k.GcpKmsKeyRing,
        apis.KMS,
        "projects/{project}/locations/{location}/keyRings",
        "keyRings",
        scope="region",
        locations=("global", *MULTI_REGIONS),
        labels=None,
    ),
    RestSpec(
        k.GcpKmsCryptoKey,
        apis.KMS,
        "{parent}/cryptoKeys",
        "cryptoKeys",
        parent=k.GcpKmsKeyRing,
        label_style="mask",
        fields=pick(
            purpose="purpose",
            rotation_period="rotationPeriod",
            next_rotation_time="nextRotationTime",
            primary_state="primary.state",
            protection_level="versionTemplate.protectionLevel",
        ),
    ),
    RestSpec(
        k.GcpBigQueryDataset,
        apis.BIGQUERY,
        "projects/{project}/datasets",
        "datasets",
        scope="project",
        path_of=_bq_path,
        region_of=lambda d: d.get("location"),
        size_param="maxResults",
        label_style="merge",
        deletable=True,
        delete_params=(("deleteContents", "true"),),
        fields=lambda d: {
            "location": d.get("location"),
            "default_table_expiration_ms": to_int(d.get("defaultTableExpirationMs")),
            "ctime": _ms(d.get("creationTime")),
            "mtime": _ms(d.get("lastModifiedTime")),
        },
    ),
    RestSpec(
        k.GcpBigQueryTable,
        apis.BIGQUERY,
        "{parent}/tables",
        "tables",
        parent=k.GcpBigQueryDataset,
        path_of=_bq_path,
        size_param="maxResults",
        label_style="merge",
        deletable=True,
        fields=lambda d: {
            "table_type": d.get("type"),
            "expiration_time": _ms(d.get("expirationTime")),
            "ctime": _ms(d.get("creationTime")),
        },
    ),
    RestSpec(
        k.GcpRedisInstance,
        apis.REDIS,
        "projects/{project}/locations/-/instances",
        "instances",
        label_style="mask",
        deletable=True,
        fields=pick(
            state="state",
            tier="tier",
            memory_size_gb="memorySizeGb:int",
            redis_version="redisVersion",
            host="host",
            port="port:int",
            authorized_network="authorizedNetwork",
        ),
        links=(RestLink("authorizedNetwork", "compute", owner=True),),
    ),
    RestSpec(
        k.GcpDnsManagedZone,
        apis.DNS,
        "projects/{project}/managedZones",
        "managedZones",
        scope="project",
        path_of=lambda d, p: f"projects/{p}/managedZones/{d.get('name')}",
        size_param="maxResults",
        label_style="full",
        deletable=True,
        ctime="creationTime",
        fields=pick(dns_name="dnsName", visibility="visibility", dnssec_state="dnssecConfig.state"),
        links=(RestLink("privateVisibilityConfig.networks.*.networkUrl", "compute", owner=False),),
    ),
    RestSpec(
        k.GcpIamServiceAccount,
        apis.IAM,
        "projects/{project}/serviceAccounts",
        "accounts",
        scope="project",
        labels=None,
        deletable=True,
        fields=pick(email="email", unique_id="uniqueId", disabled="disabled"),
    ),
    RestSpec(
        k.GcpIamServiceAccountKey,
        apis.IAM,
        "{parent}/keys",
        "keys",
        parent=k.GcpIamServiceAccount,
        labels=None,
        deletable=True,
        ctime="validAfterTime",
        fields=pick(
            key_type="keyType",
            key_algorithm="keyAlgorithm",
            key_origin="keyOrigin",
            valid_before_time="validBeforeTime",
            disabled="disabled",
        ),
    ),
    RestSpec(
        k.GcpSpannerInstance,
        apis.SPANNER,
        "projects/{project}/instances",
        "instances",
        scope="project",
        label_style="wrapped",
        wrap=("instance", "fieldMask"),
        deletable=True,
        fields=pick(
            config="config",
            node_count="nodeCount:int",
            processing_units="processingUnits:int",
            state="state",
            edition="edition",
        ),
    ),
    RestSpec(
        k.GcpBigtableInstance,
        apis.BIGTABLE,
        "projects/{project}/instances",
        "instances",
        scope="project",
        label_style="mask",
        deletable=True,
        fields=pick(state="state", instance_type="type", satisfies_pzs="satisfiesPzs"),
    ),
)

COMPUTE_ENGINE_SERVICE = "services/6F81-5844-456A"


def _sku(d: Json) -> Json:
    category = d.get("category") or {}
    info = (d.get("pricingInfo") or [{}])[0]
    expr = info.get("pricingExpression") or {}
    rate = (expr.get("tieredRates") or [{}])[-1].get("unitPrice") or {}
    price = (to_int(rate.get("units")) or 0) + (rate.get("nanos") or 0) / 1e9 if rate else None
    return {
        "sku_id": d.get("skuId"),
        "resource_family": category.get("resourceFamily"),
        "resource_group": category.get("resourceGroup"),
        "usage_type": category.get("usageType"),
        "service_regions": list(d.get("serviceRegions") or []),
        "usage_unit": expr.get("usageUnit"),
        "unit_price": price,
        "currency_code": rate.get("currencyCode"),
    }


BILLING_SPECS: tuple[RestSpec, ...] = (
    RestSpec(
        km.GcpService,
        apis.BILLING,
        "services",
        "services",
        scope="catalogue",
        labels=None,
        fields=pick(service_id="serviceId", business_entity_name="businessEntityName"),
    ),
    RestSpec(
        km.GcpSku,
        apis.BILLING,
        "{parent}/skus",
        "skus",
        parent=km.GcpService,
        when=lambda d: d.get("name") == COMPUTE_ENGINE_SERVICE,
        labels=None,
        fields=_sku,
    ),
)

REST_SPECS: tuple[RestSpec, ...] = VERTEX_SPECS + FIX_SPECS + MORE_SPECS + BILLING_SPECS

SPEC_BY_CLS: dict[type, RestSpec] = {s.cls: s for s in REST_SPECS}


def children_of(cls: type[GcpResource]) -> list[RestSpec]:
    return [s for s in REST_SPECS if s.parent is cls]
