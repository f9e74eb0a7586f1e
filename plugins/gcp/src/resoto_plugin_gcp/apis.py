"""The REST APIs this plugin calls through ``AuthorizedSession``: host, version and title."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RestApiInfo:
    key: str
    """Service name in reports and the key of ``api_endpoint`` overrides (``run``)."""
    title: str
    host: str
    """``https://run.googleapis.com``; for regional APIs a template with ``{location}``."""
    version: str
    """Path between host and resource (``v2``, ``bigquery/v2``)."""

    @property
    def regional(self) -> bool:
        return "{location}" in self.host


AIPLATFORM = RestApiInfo("aiplatform", "Vertex AI API", "https://{location}-aiplatform.googleapis.com", "v1")
FUNCTIONS = RestApiInfo(
    "cloudfunctions", "Cloud Functions API", "https://cloudfunctions.googleapis.com", "v2"
)
FILESTORE = RestApiInfo("file", "Cloud Filestore API", "https://file.googleapis.com", "v1")
FIRESTORE = RestApiInfo("firestore", "Cloud Firestore API", "https://firestore.googleapis.com", "v1")
PUBSUB = RestApiInfo("pubsub", "Cloud Pub/Sub API", "https://pubsub.googleapis.com", "v1")
RUN = RestApiInfo("run", "Cloud Run Admin API", "https://run.googleapis.com", "v2")
ARTIFACTS = RestApiInfo(
    "artifactregistry", "Artifact Registry API", "https://artifactregistry.googleapis.com", "v1"
)
SECRETS = RestApiInfo("secretmanager", "Secret Manager API", "https://secretmanager.googleapis.com", "v1")
KMS = RestApiInfo(
    "cloudkms", "Cloud Key Management Service (KMS) API", "https://cloudkms.googleapis.com", "v1"
)
BIGQUERY = RestApiInfo("bigquery", "BigQuery API", "https://bigquery.googleapis.com", "bigquery/v2")
REDIS = RestApiInfo("redis", "Google Cloud Memorystore for Redis API", "https://redis.googleapis.com", "v1")
DNS = RestApiInfo("dns", "Cloud DNS API", "https://dns.googleapis.com", "dns/v1")
IAM = RestApiInfo("iam", "Identity and Access Management (IAM) API", "https://iam.googleapis.com", "v1")
SPANNER = RestApiInfo("spanner", "Cloud Spanner API", "https://spanner.googleapis.com", "v1")
BIGTABLE = RestApiInfo(
    "bigtableadmin", "Cloud Bigtable Admin API", "https://bigtableadmin.googleapis.com", "v2"
)
BILLING = RestApiInfo("cloudbilling", "Cloud Billing API", "https://cloudbilling.googleapis.com", "v1")

ALL_APIS: tuple[RestApiInfo, ...] = (
    AIPLATFORM,
    FUNCTIONS,
    FILESTORE,
    FIRESTORE,
    PUBSUB,
    RUN,
    ARTIFACTS,
    SECRETS,
    KMS,
    BIGQUERY,
    REDIS,
    DNS,
    IAM,
    SPANNER,
    BIGTABLE,
    BILLING,
)
