"""The ``gcp`` config section."""

from __future__ import annotations

from pydantic import Field
from resoto_hookspecs import PluginConfig


class GcpConfig(PluginConfig):
    """Which credentials, projects and resource kinds the GCP plugin collects."""

    service_account: list[str] = Field(
        default_factory=lambda: [""],
        description="Paths of service-account key files; an empty string means application default credentials.",
    )
    project: list[str] = Field(
        default_factory=list,
        description="Allow list of project ids to collect (empty: every visible project).",
    )
    project_deny: list[str] = Field(default_factory=list, description="Project ids never collected.")
    organization: list[str] = Field(
        default_factory=list,
        description="Only discover projects below these organisations (ids like '123' or 'organizations/123').",
    )
    folder: list[str] = Field(
        default_factory=list,
        description="Only discover projects below these folders (ids like '456' or 'folders/456').",
    )
    include_system_projects: bool = Field(
        default=False, description="Collect system projects (ids starting with 'sys-') too."
    )
    region: list[str] = Field(default_factory=list, description="Only collect these regions (empty: all).")
    collect: list[str] = Field(
        default_factory=list, description="Only collect these kinds (e.g. 'gcp_instance'); empty: all."
    )
    no_collect: list[str] = Field(default_factory=list, description="Never collect these kinds.")
    project_pool_size: int = Field(default=5, description="How many projects are discovered in parallel.")
    retry_deadline: float = Field(
        default=120.0, description="Seconds a transient error (429, 5xx, connection reset) is retried."
    )
    retry_initial_delay: float = Field(default=1.0, description="First backoff delay in seconds.")
    operation_timeout: float = Field(
        default=600.0, description="Seconds to wait for a delete or label operation to complete."
    )
    page_size: int = Field(default=500, description="maxResults/pageSize of list calls.")
    max_objects_per_bucket: int = Field(
        default=1000, description="Storage objects collected per bucket (gcp_object); 0 collects none."
    )
    api_endpoint: dict[str, str] = Field(
        default_factory=dict,
        description="Endpoint overrides per service (compute, resourcemanager, storage, container, sqladmin, "
        "and the REST APIs: aiplatform, run, pubsub, ...: the host part, e.g. http://127.0.0.1:8080), "
        "e.g. for an emulator: {'compute': 'http://127.0.0.1:8080'}.",
    )
    anonymous_credentials: bool = Field(
        default=False, description="Send no credentials at all (only for emulators and tests)."
    )

    def wants(self, kind: str) -> bool:
        """Whether the kind is collected under ``collect``/``no_collect``."""
        if kind in self.no_collect:
            return False
        return not self.collect or kind in self.collect
