"""Kinds of the REST-collected APIs: Vertex AI, Cloud Functions v2, Filestore, Firestore, Pub/Sub
(Fix Inventory's names) and Cloud Run, Artifact Registry, Secret Manager, KMS, BigQuery, Memorystore
for Redis, Cloud DNS, IAM, Spanner, Bigtable. Properties follow each API's published resource."""

from __future__ import annotations

from typing import Any, ClassVar

from resoto_plugin_gcp.resources import GcpResource


class GcpVertexAIBatchPredictionJob(GcpResource):
    kind: ClassVar[str] = "gcp_vertex_ai_batch_prediction_job"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "ai",
        "icon": "job",
        "name": "Vertex AI Batch Prediction Job",
    }
    taggable: ClassVar[bool] = False
    state: str | None = None
    model: str | None = None
    model_version_id: str | None = None
    start_time: str | None = None
    end_time: str | None = None


class GcpVertexAICustomJob(GcpResource):
    kind: ClassVar[str] = "gcp_vertex_ai_custom_job"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "ai", "icon": "job", "name": "Vertex AI Custom Job"}
    taggable: ClassVar[bool] = False
    state: str | None = None
    start_time: str | None = None
    end_time: str | None = None


class GcpVertexAIDataset(GcpResource):
    kind: ClassVar[str] = "gcp_vertex_ai_dataset"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "ai", "icon": "database", "name": "Vertex AI Dataset"}
    successor_kinds: ClassVar[dict[str, list[str]]] = {"default": ["gcp_vertex_ai_dataset_version"]}
    metadata_schema_uri: str | None = None
    data_item_count: int | None = None


class GcpVertexAIDatasetVersion(GcpResource):
    kind: ClassVar[str] = "gcp_vertex_ai_dataset_version"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "ai",
        "icon": "database",
        "name": "Vertex AI Dataset Version",
    }
    taggable: ClassVar[bool] = False
    big_query_dataset_name: str | None = None


class GcpVertexAIEndpoint(GcpResource):
    kind: ClassVar[str] = "gcp_vertex_ai_endpoint"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "ai",
        "icon": "endpoint",
        "name": "Vertex AI Endpoint",
    }
    successor_kinds: ClassVar[dict[str, list[str]]] = {"default": ["gcp_vertex_ai_model"]}
    network: str | None = None
    deployed_models: list[str] | None = None


class GcpVertexAIFeature(GcpResource):
    kind: ClassVar[str] = "gcp_vertex_ai_feature"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "ai", "icon": "resource", "name": "Vertex AI Feature"}
    value_type: str | None = None
    version_column_name: str | None = None


class GcpVertexAIFeatureGroup(GcpResource):
    kind: ClassVar[str] = "gcp_vertex_ai_feature_group"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "ai",
        "icon": "group",
        "name": "Vertex AI Feature Group",
    }
    successor_kinds: ClassVar[dict[str, list[str]]] = {"default": ["gcp_vertex_ai_feature"]}
    big_query_source_uri: str | None = None


class GcpVertexAIFeaturestore(GcpResource):
    kind: ClassVar[str] = "gcp_vertex_ai_featurestore"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "ai",
        "icon": "database",
        "name": "Vertex AI Featurestore",
    }
    state: str | None = None
    online_serving_fixed_node_count: int | None = None


class GcpVertexAIHyperparameterTuningJob(GcpResource):
    kind: ClassVar[str] = "gcp_vertex_ai_hyperparameter_tuning_job"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "ai",
        "icon": "job",
        "name": "Vertex AI Hyperparameter Tuning Job",
    }
    taggable: ClassVar[bool] = False
    state: str | None = None
    max_trial_count: int | None = None
    trial_count: int | None = None
    start_time: str | None = None
    end_time: str | None = None


class GcpVertexAIIndex(GcpResource):
    kind: ClassVar[str] = "gcp_vertex_ai_index"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "ai", "icon": "resource", "name": "Vertex AI Index"}
    index_update_method: str | None = None
    metadata_schema_uri: str | None = None
    deployed_index_count: int | None = None


class GcpVertexAIIndexEndpoint(GcpResource):
    kind: ClassVar[str] = "gcp_vertex_ai_index_endpoint"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "ai",
        "icon": "endpoint",
        "name": "Vertex AI Index Endpoint",
    }
    successor_kinds: ClassVar[dict[str, list[str]]] = {"default": ["gcp_vertex_ai_index"]}
    network: str | None = None
    public_endpoint_domain_name: str | None = None
    deployed_indexes: list[str] | None = None


class GcpVertexAIModel(GcpResource):
    kind: ClassVar[str] = "gcp_vertex_ai_model"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "ai", "icon": "resource", "name": "Vertex AI Model"}
    successor_kinds: ClassVar[dict[str, list[str]]] = {"default": ["gcp_vertex_ai_model_evaluation"]}
    version_id: str | None = None
    artifact_uri: str | None = None
    supported_deployment_resources_types: list[str] | None = None


class GcpVertexAIModelDeploymentMonitoringJob(GcpResource):
    kind: ClassVar[str] = "gcp_vertex_ai_model_deployment_monitoring_job"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "ai",
        "icon": "job",
        "name": "Vertex AI Model Deployment Monitoring Job",
    }
    taggable: ClassVar[bool] = False
    state: str | None = None
    endpoint: str | None = None
    schedule_state: str | None = None


class GcpVertexAIModelEvaluation(GcpResource):
    kind: ClassVar[str] = "gcp_vertex_ai_model_evaluation"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "ai",
        "icon": "resource",
        "name": "Vertex AI Model Evaluation",
    }
    taggable: ClassVar[bool] = False
    deletable: ClassVar[bool] = False
    metrics_schema_uri: str | None = None
    slice_dimensions: list[str] | None = None


class GcpVertexAIPipelineJob(GcpResource):
    kind: ClassVar[str] = "gcp_vertex_ai_pipeline_job"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "ai", "icon": "job", "name": "Vertex AI Pipeline Job"}
    taggable: ClassVar[bool] = False
    state: str | None = None
    start_time: str | None = None
    end_time: str | None = None
    service_account: str | None = None


class GcpVertexAISchedule(GcpResource):
    kind: ClassVar[str] = "gcp_vertex_ai_schedule"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "ai", "icon": "job", "name": "Vertex AI Schedule"}
    taggable: ClassVar[bool] = False
    state: str | None = None
    cron: str | None = None
    started_run_count: int | None = None
    next_run_time: str | None = None


class GcpVertexAITensorboard(GcpResource):
    kind: ClassVar[str] = "gcp_vertex_ai_tensorboard"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "ai",
        "icon": "resource",
        "name": "Vertex AI Tensorboard",
    }
    blob_storage_path_prefix: str | None = None
    run_count: int | None = None


class GcpVertexAITrainingPipeline(GcpResource):
    kind: ClassVar[str] = "gcp_vertex_ai_training_pipeline"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "ai",
        "icon": "job",
        "name": "Vertex AI Training Pipeline",
    }
    taggable: ClassVar[bool] = False
    state: str | None = None
    training_task_definition: str | None = None
    start_time: str | None = None
    end_time: str | None = None


class GcpVertexAITuningJob(GcpResource):
    kind: ClassVar[str] = "gcp_vertex_ai_tuning_job"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "ai", "icon": "job", "name": "Vertex AI Tuning Job"}
    taggable: ClassVar[bool] = False
    deletable: ClassVar[bool] = False
    state: str | None = None
    base_model: str | None = None
    tuned_model: str | None = None
    start_time: str | None = None
    end_time: str | None = None


class GcpCloudFunction(GcpResource):
    kind: ClassVar[str] = "gcp_cloud_function"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "compute",
        "icon": "function",
        "name": "Cloud Function",
    }
    successor_kinds: ClassVar[dict[str, list[str]]] = {"default": ["gcp_cloud_run_service"]}
    state: str | None = None
    environment: str | None = None
    runtime: str | None = None
    entry_point: str | None = None
    service: str | None = None
    url: str | None = None


class GcpFilestoreInstance(GcpResource):
    kind: ClassVar[str] = "gcp_filestore_instance"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "storage",
        "icon": "network_share",
        "name": "Filestore Instance",
    }
    successor_kinds: ClassVar[dict[str, list[str]]] = {
        "default": ["gcp_filestore_instance_snapshot", "gcp_filestore_backup"]
    }
    state: str | None = None
    tier: str | None = None
    capacity_gb: int | None = None
    file_shares: list[str] | None = None
    networks: list[str] | None = None


class GcpFilestoreBackup(GcpResource):
    kind: ClassVar[str] = "gcp_filestore_backup"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "storage",
        "icon": "backup",
        "name": "Filestore Backup",
    }
    state: str | None = None
    source_instance: str | None = None
    source_file_share: str | None = None
    capacity_gb: int | None = None
    storage_bytes: int | None = None


class GcpFilestoreInstanceSnapshot(GcpResource):
    kind: ClassVar[str] = "gcp_filestore_instance_snapshot"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "storage",
        "icon": "snapshot",
        "name": "Filestore Instance Snapshot",
    }
    state: str | None = None
    filesystem_used_bytes: int | None = None


class GcpFirestoreDatabase(GcpResource):
    kind: ClassVar[str] = "gcp_firestore_database"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "database",
        "icon": "database",
        "name": "Firestore Database",
    }
    successor_kinds: ClassVar[dict[str, list[str]]] = {
        "default": ["gcp_firestore_document", "gcp_firestore_backup"]
    }
    taggable: ClassVar[bool] = False
    location_id: str | None = None
    database_type: str | None = None
    concurrency_mode: str | None = None
    delete_protection_state: str | None = None
    point_in_time_recovery_enablement: str | None = None


class GcpFirestoreBackup(GcpResource):
    kind: ClassVar[str] = "gcp_firestore_backup"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "database",
        "icon": "backup",
        "name": "Firestore Backup",
    }
    taggable: ClassVar[bool] = False
    database: str | None = None
    state: str | None = None
    size_bytes: int | None = None
    expire_time: str | None = None
    snapshot_time: str | None = None


class GcpFirestoreDocument(GcpResource):
    kind: ClassVar[str] = "gcp_firestore_document"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "database",
        "icon": "resource",
        "name": "Firestore Document",
    }
    taggable: ClassVar[bool] = False
    field_count: int | None = None


class GcpPubSubTopic(GcpResource):
    kind: ClassVar[str] = "gcp_pubsub_topic"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "management",
        "icon": "queue",
        "name": "Pub/Sub Topic",
    }
    successor_kinds: ClassVar[dict[str, list[str]]] = {
        "default": ["gcp_pubsub_subscription", "gcp_pubsub_snapshot"]
    }
    kms_key_name: str | None = None
    message_retention_duration: str | None = None
    state: str | None = None


class GcpPubSubSubscription(GcpResource):
    kind: ClassVar[str] = "gcp_pubsub_subscription"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "management",
        "icon": "queue",
        "name": "Pub/Sub Subscription",
    }
    topic: str | None = None
    ack_deadline_seconds: int | None = None
    push_endpoint: str | None = None
    state: str | None = None
    message_retention_duration: str | None = None


class GcpPubSubSnapshot(GcpResource):
    kind: ClassVar[str] = "gcp_pubsub_snapshot"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "management",
        "icon": "snapshot",
        "name": "Pub/Sub Snapshot",
    }
    topic: str | None = None
    expire_time: str | None = None


class GcpCloudRunService(GcpResource):
    kind: ClassVar[str] = "gcp_cloud_run_service"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "compute",
        "icon": "service",
        "name": "Cloud Run Service",
    }
    uri: str | None = None
    ingress: str | None = None
    launch_stage: str | None = None
    latest_ready_revision: str | None = None
    service_account: str | None = None


class GcpCloudRunJob(GcpResource):
    kind: ClassVar[str] = "gcp_cloud_run_job"
    kind_metadata: ClassVar[dict[str, Any]] = {"group": "compute", "icon": "job", "name": "Cloud Run Job"}
    launch_stage: str | None = None
    execution_count: int | None = None
    latest_execution: str | None = None
    service_account: str | None = None


class GcpArtifactRegistryRepository(GcpResource):
    kind: ClassVar[str] = "gcp_artifact_registry_repository"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "storage",
        "icon": "repository",
        "name": "Artifact Registry Repository",
    }
    format: str | None = None
    mode: str | None = None
    size_bytes: int | None = None
    kms_key_name: str | None = None


class GcpSecretManagerSecret(GcpResource):
    kind: ClassVar[str] = "gcp_secret_manager_secret"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "access_control",
        "icon": "key",
        "name": "Secret Manager Secret",
    }
    replication: str | None = None
    expire_time: str | None = None
    version_destroy_ttl: str | None = None


class GcpKmsKeyRing(GcpResource):
    kind: ClassVar[str] = "gcp_kms_key_ring"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "access_control",
        "icon": "key",
        "name": "KMS Key Ring",
    }
    successor_kinds: ClassVar[dict[str, list[str]]] = {"default": ["gcp_kms_crypto_key"]}
    taggable: ClassVar[bool] = False
    deletable: ClassVar[bool] = False


class GcpKmsCryptoKey(GcpResource):
    kind: ClassVar[str] = "gcp_kms_crypto_key"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "access_control",
        "icon": "key",
        "name": "KMS Crypto Key",
    }
    deletable: ClassVar[bool] = False
    purpose: str | None = None
    rotation_period: str | None = None
    next_rotation_time: str | None = None
    primary_state: str | None = None
    protection_level: str | None = None


class GcpBigQueryDataset(GcpResource):
    kind: ClassVar[str] = "gcp_bigquery_dataset"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "database",
        "icon": "database",
        "name": "BigQuery Dataset",
    }
    successor_kinds: ClassVar[dict[str, list[str]]] = {"default": ["gcp_bigquery_table"]}
    location: str | None = None
    default_table_expiration_ms: int | None = None


class GcpBigQueryTable(GcpResource):
    kind: ClassVar[str] = "gcp_bigquery_table"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "database",
        "icon": "database",
        "name": "BigQuery Table",
    }
    table_type: str | None = None
    expiration_time: str | None = None


class GcpRedisInstance(GcpResource):
    kind: ClassVar[str] = "gcp_redis_instance"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "database",
        "icon": "database",
        "name": "Memorystore for Redis Instance",
    }
    state: str | None = None
    tier: str | None = None
    memory_size_gb: int | None = None
    redis_version: str | None = None
    host: str | None = None
    port: int | None = None
    authorized_network: str | None = None


class GcpDnsManagedZone(GcpResource):
    kind: ClassVar[str] = "gcp_dns_managed_zone"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "networking",
        "icon": "dns",
        "name": "Cloud DNS Managed Zone",
    }
    dns_name: str | None = None
    visibility: str | None = None
    dnssec_state: str | None = None


class GcpIamServiceAccount(GcpResource):
    kind: ClassVar[str] = "gcp_iam_service_account"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "access_control",
        "icon": "user",
        "name": "IAM Service Account",
    }
    successor_kinds: ClassVar[dict[str, list[str]]] = {"default": ["gcp_iam_service_account_key"]}
    taggable: ClassVar[bool] = False
    email: str | None = None
    unique_id: str | None = None
    disabled: bool | None = None


class GcpIamServiceAccountKey(GcpResource):
    kind: ClassVar[str] = "gcp_iam_service_account_key"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "access_control",
        "icon": "key",
        "name": "IAM Service Account Key",
    }
    taggable: ClassVar[bool] = False
    key_type: str | None = None
    key_algorithm: str | None = None
    key_origin: str | None = None
    valid_before_time: str | None = None
    disabled: bool | None = None


class GcpSpannerInstance(GcpResource):
    kind: ClassVar[str] = "gcp_spanner_instance"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "database",
        "icon": "database",
        "name": "Spanner Instance",
    }
    config: str | None = None
    node_count: int | None = None
    processing_units: int | None = None
    state: str | None = None
    edition: str | None = None


class GcpBigtableInstance(GcpResource):
    kind: ClassVar[str] = "gcp_bigtable_instance"
    kind_metadata: ClassVar[dict[str, Any]] = {
        "group": "database",
        "icon": "database",
        "name": "Bigtable Instance",
    }
    state: str | None = None
    instance_type: str | None = None
    satisfies_pzs: bool | None = None


REST_KINDS: list[type[GcpResource]] = [
    GcpVertexAIBatchPredictionJob,
    GcpVertexAICustomJob,
    GcpVertexAIDataset,
    GcpVertexAIDatasetVersion,
    GcpVertexAIEndpoint,
    GcpVertexAIFeature,
    GcpVertexAIFeatureGroup,
    GcpVertexAIFeaturestore,
    GcpVertexAIHyperparameterTuningJob,
    GcpVertexAIIndex,
    GcpVertexAIIndexEndpoint,
    GcpVertexAIModel,
    GcpVertexAIModelDeploymentMonitoringJob,
    GcpVertexAIModelEvaluation,
    GcpVertexAIPipelineJob,
    GcpVertexAISchedule,
    GcpVertexAITensorboard,
    GcpVertexAITrainingPipeline,
    GcpVertexAITuningJob,
    GcpCloudFunction,
    GcpFilestoreInstance,
    GcpFilestoreBackup,
    GcpFilestoreInstanceSnapshot,
    GcpFirestoreDatabase,
    GcpFirestoreBackup,
    GcpFirestoreDocument,
    GcpPubSubTopic,
    GcpPubSubSubscription,
    GcpPubSubSnapshot,
    GcpCloudRunService,
    GcpCloudRunJob,
    GcpArtifactRegistryRepository,
    GcpSecretManagerSecret,
    GcpKmsKeyRing,
    GcpKmsCryptoKey,
    GcpBigQueryDataset,
    GcpBigQueryTable,
    GcpRedisInstance,
    GcpDnsManagedZone,
    GcpIamServiceAccount,
    GcpIamServiceAccountKey,
    GcpSpannerInstance,
    GcpBigtableInstance,
]
