"""The seeded world's REST-API resources, one or more of every kind, in the published JSON shapes
(field names of each API's REST reference), wired by their references: a Cloud Function runs as a
Cloud Run service, subscriptions and snapshots name their topic, backups their source, endpoints
their models, Redis and DNS zones their VPC network; billing info names a billing account."""

from __future__ import annotations

from typing import Any

from fakes.gcp.compute import BASE

REGION = "us-east1"
T = "2024-05-01T10:00:00Z"


def seed_rest(fake: Any, p: str) -> None:
    rs = fake.rest
    loc = f"projects/{p}/locations/{REGION}"
    net = f"{BASE}/projects/{p}/global/networks/net-main"
    lab = {"team": "data"}

    def add(api: str, path: str, **data: Any) -> None:
        rs.add(api, path, {"createTime": T, **data})

    # Vertex AI (regional)
    v = "aiplatform"
    model = f"{loc}/models/m-churn"
    add(v, model, displayName="churn", versionId="1", artifactUri="gs://m/churn", labels=lab)
    add(v, f"{model}/evaluations/e1", metricsSchemaUri="gs://schema/metrics.yaml", sliceDimensions=["label"])
    ds = f"{loc}/datasets/ds-1"
    add(
        v,
        ds,
        displayName="tickets",
        metadataSchemaUri="gs://schema/text.yaml",
        dataItemCount="42",
        labels=lab,
    )
    add(v, f"{ds}/datasetVersions/v1", bigQueryDatasetName="bq://p.tickets_v1")
    ep = f"{loc}/endpoints/ep-1"
    add(v, ep, displayName="churn-ep", deployedModels=[{"id": "1", "model": model}], labels=lab)
    add(
        v,
        f"{loc}/batchPredictionJobs/bp-1",
        displayName="nightly",
        model=model,
        state="JOB_STATE_SUCCEEDED",
        labels=lab,
    )
    add(v, f"{loc}/customJobs/cj-1", displayName="train", state="JOB_STATE_RUNNING", startTime=T, labels=lab)
    fg = f"{loc}/featureGroups/fg-1"
    add(v, fg, bigQuery={"bigQuerySource": {"inputUri": "bq://p.features"}}, labels=lab)
    add(v, f"{fg}/features/f-age", valueType="INT64", labels=lab)
    add(v, f"{loc}/featurestores/fs-1", state="STABLE", onlineServingConfig={"fixedNodeCount": 1}, labels=lab)
    add(
        v,
        f"{loc}/hyperparameterTuningJobs/hp-1",
        displayName="tune",
        state="JOB_STATE_SUCCEEDED",
        maxTrialCount=8,
        trialCount=8,
        labels=lab,
    )
    index = f"{loc}/indexes/ix-1"
    add(v, index, displayName="vectors", indexUpdateMethod="BATCH_UPDATE", labels=lab)
    add(
        v,
        f"{loc}/indexEndpoints/ie-1",
        displayName="vectors-ep",
        deployedIndexes=[{"id": "d1", "index": index}],
        labels=lab,
    )
    add(
        v,
        f"{loc}/modelDeploymentMonitoringJobs/mm-1",
        displayName="monitor",
        endpoint=ep,
        state="JOB_STATE_RUNNING",
        labels=lab,
    )
    add(v, f"{loc}/pipelineJobs/pj-1", displayName="pipeline", state="PIPELINE_STATE_SUCCEEDED", labels=lab)
    add(
        v, f"{loc}/schedules/sc-1", displayName="daily", state="ACTIVE", cron="0 3 * * *", startedRunCount="5"
    )
    add(
        v,
        f"{loc}/tensorboards/tb-1",
        displayName="board",
        blobStoragePathPrefix="gs://tb",
        runCount=2,
        labels=lab,
    )
    add(
        v,
        f"{loc}/trainingPipelines/tp-1",
        displayName="automl",
        state="PIPELINE_STATE_SUCCEEDED",
        trainingTaskDefinition="gs://schema/automl.yaml",
        labels=lab,
    )
    add(
        v,
        f"{loc}/tuningJobs/tj-1",
        baseModel="gemini-1.0-pro-002",
        state="JOB_STATE_SUCCEEDED",
        tunedModel={"model": model},
        labels=lab,
    )
    # Cloud Run and Cloud Functions v2
    svc = f"{loc}/services/fn-hello"
    add(
        "run",
        svc,
        uri="https://fn-hello-uc.a.run.app",
        ingress="INGRESS_TRAFFIC_ALL",
        launchStage="GA",
        labels=lab,
    )
    add(
        "run",
        f"{loc}/jobs/job-etl",
        launchStage="GA",
        executionCount=3,
        latestCreatedExecution={"name": "job-etl-x"},
        labels=lab,
    )
    add(
        "cloudfunctions",
        f"{loc}/functions/hello",
        state="ACTIVE",
        environment="GEN_2",
        buildConfig={"runtime": "python312", "entryPoint": "hello"},
        serviceConfig={"service": svc},
        url="https://hello.example",
        labels=lab,
    )
    # Filestore
    fi = f"projects/{p}/locations/{REGION}-b/instances/nfs-1"  # zonal
    add(
        "file",
        fi,
        state="READY",
        tier="BASIC_HDD",
        fileShares=[{"name": "vol1", "capacityGb": "1024"}],
        networks=[{"network": "net-main"}],
        labels=lab,
    )
    add("file", f"{fi}/snapshots/snap-1", state="READY", filesystemUsedBytes="2048", labels=lab)
    add(
        "file",
        f"{loc}/backups/bk-1",
        state="READY",
        sourceInstance=fi,
        sourceFileShare="vol1",
        capacityGb="1024",
        labels=lab,
    )
    # Firestore
    db = f"projects/{p}/databases/(default)"
    add(
        "firestore",
        db,
        locationId=REGION,
        type="FIRESTORE_NATIVE",
        concurrencyMode="PESSIMISTIC",
        deleteProtectionState="DELETE_PROTECTION_DISABLED",
    )
    add(
        "firestore",
        f"{db}/documents/users/alice",
        fields={"age": {"integerValue": "30"}, "name": {"stringValue": "Alice"}},
    )
    add("firestore", f"{loc}/backups/fsb-1", database=db, state="READY", sizeBytes="4096", expireTime=T)
    # Pub/Sub
    topic = f"projects/{p}/topics/events"
    rs.add("pubsub", topic, {"name": topic, "labels": lab, "messageRetentionDuration": "86400s"})
    rs.add(
        "pubsub",
        f"projects/{p}/subscriptions/events-sub",
        {"topic": topic, "ackDeadlineSeconds": 10, "state": "ACTIVE", "labels": lab},
    )
    rs.add("pubsub", f"projects/{p}/snapshots/events-snap", {"topic": topic, "expireTime": T, "labels": lab})
    # Artifact Registry (a regional and a multi-regional repository), Secret Manager, KMS
    add(
        "artifactregistry",
        f"{loc}/repositories/docker",
        format="DOCKER",
        mode="STANDARD_REPOSITORY",
        sizeBytes="1048576",
        labels=lab,
    )
    add(
        "artifactregistry",
        f"projects/{p}/locations/us/repositories/py",
        format="PYTHON",
        mode="STANDARD_REPOSITORY",
        labels=lab,
    )
    add("secretmanager", f"projects/{p}/secrets/db-password", replication={"automatic": {}}, labels=lab)
    ring = f"projects/{p}/locations/global/keyRings/ring-1"
    add("cloudkms", ring)
    add(
        "cloudkms",
        f"{ring}/cryptoKeys/key-1",
        purpose="ENCRYPT_DECRYPT",
        rotationPeriod="7776000s",
        primary={"state": "ENABLED"},
        labels=lab,
    )
    # BigQuery (its own resource shape: references, millisecond timestamps)
    bq = f"projects/{p}/datasets/analytics"
    rs.add(
        "bigquery",
        bq,
        {
            "kind": "bigquery#dataset",
            "id": f"{p}:analytics",
            "datasetReference": {"projectId": p, "datasetId": "analytics"},
            "location": "US",
            "labels": lab,
            "creationTime": "1714557600000",
        },
    )
    rs.add(
        "bigquery",
        f"{bq}/tables/events",
        {
            "kind": "bigquery#table",
            "id": f"{p}:analytics.events",
            "tableReference": {"projectId": p, "datasetId": "analytics", "tableId": "events"},
            "type": "TABLE",
            "labels": lab,
            "creationTime": "1714557600000",
        },
    )
    # Redis, DNS, IAM, Spanner, Bigtable
    add(
        "redis",
        f"{loc}/instances/cache",
        state="READY",
        tier="BASIC",
        memorySizeGb=1,
        redisVersion="REDIS_7_0",
        host="10.0.0.3",
        port=6379,
        authorizedNetwork=f"projects/{p}/global/networks/net-main",
        labels=lab,
    )
    rs.add(
        "dns",
        f"projects/{p}/managedZones/internal",
        {
            "kind": "dns#managedZone",
            "name": "internal",
            "dnsName": "corp.internal.",
            "id": "77",
            "visibility": "private",
            "creationTime": T,
            "labels": lab,
            "privateVisibilityConfig": {"networks": [{"networkUrl": net}]},
        },
    )
    sa = f"projects/{p}/serviceAccounts/app@{p}.iam.gserviceaccount.com"
    rs.add(
        "iam",
        sa,
        {"name": sa, "email": f"app@{p}.iam.gserviceaccount.com", "uniqueId": "1090", "displayName": "app"},
    )
    rs.add(
        "iam",
        f"{sa}/keys/k1",
        {
            "name": f"{sa}/keys/k1",
            "keyType": "USER_MANAGED",
            "keyAlgorithm": "KEY_ALG_RSA_2048",
            "keyOrigin": "GOOGLE_PROVIDED",
            "validAfterTime": T,
        },
    )
    add(
        "spanner",
        f"projects/{p}/instances/orders",
        config=f"projects/{p}/instanceConfigs/regional-{REGION}",
        nodeCount=1,
        state="READY",
        labels=lab,
    )
    add("bigtableadmin", f"projects/{p}/instances/metrics", state="READY", type="PRODUCTION", labels=lab)
    # Cloud Billing: the project's billing info; the account and the catalogue are global
    rs.add(
        "cloudbilling",
        f"projects/{p}/billingInfo",
        {
            "name": f"projects/{p}/billingInfo",
            "projectId": p,
            "billingAccountName": "billingAccounts/0A1B2C-3D4E5F-6A7B8C",
            "billingEnabled": True,
        },
    )


def seed_billing_catalogue(fake: Any) -> None:
    rs = fake.rest
    rs.add(
        "cloudbilling",
        "billingAccounts/0A1B2C-3D4E5F-6A7B8C",
        {
            "name": "billingAccounts/0A1B2C-3D4E5F-6A7B8C",
            "displayName": "Main",
            "open": True,
            "currencyCode": "USD",
        },
    )
    compute = "services/6F81-5844-456A"
    rs.add(
        "cloudbilling",
        compute,
        {
            "name": compute,
            "serviceId": "6F81-5844-456A",
            "displayName": "Compute Engine",
            "businessEntityName": "businessEntities/GCP",
        },
    )
    rs.add(
        "cloudbilling",
        "services/95FF-2EF5-5EA1",
        {
            "name": "services/95FF-2EF5-5EA1",
            "serviceId": "95FF-2EF5-5EA1",
            "displayName": "Cloud Storage",
            "businessEntityName": "businessEntities/GCP",
        },
    )
    rs.add(
        "cloudbilling",
        f"{compute}/skus/0001-E2-CPU",
        {
            "name": f"{compute}/skus/0001-E2-CPU",
            "skuId": "0001-E2-CPU",
            "description": "E2 Instance Core running in Americas",
            "category": {
                "serviceDisplayName": "Compute Engine",
                "resourceFamily": "Compute",
                "resourceGroup": "CPU",
                "usageType": "OnDemand",
            },
            "serviceRegions": ["us-east1"],
            "pricingInfo": [
                {
                    "pricingExpression": {
                        "usageUnit": "h",
                        "tieredRates": [
                            {
                                "startUsageAmount": 0,
                                "unitPrice": {"currencyCode": "USD", "units": "0", "nanos": 21811590},
                            }
                        ],
                    }
                }
            ],
        },
    )
    rs.add(
        "cloudbilling",
        "services/95FF-2EF5-5EA1/skus/0002-GCS",
        {
            "name": "services/95FF-2EF5-5EA1/skus/0002-GCS",
            "skuId": "0002-GCS",
            "description": "Standard Storage",
        },
    )
