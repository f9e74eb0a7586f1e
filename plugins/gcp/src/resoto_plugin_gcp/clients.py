"""Credentials and API clients, built from the config: endpoints, transport and credentials in one place."""

from __future__ import annotations

import threading
from functools import cached_property
from typing import Any

import google.auth
from google.api_core.client_options import ClientOptions
from google.auth.credentials import AnonymousCredentials, Credentials
from google.auth.transport.requests import AuthorizedSession
from google.cloud import compute_v1, container_v1, resourcemanager_v3, storage  # type: ignore[attr-defined]
from google.oauth2 import service_account
from resoto_hookspecs import ConfigError

from resoto_plugin_gcp.config import GcpConfig

SCOPES = ["https://www.googleapis.com/auth/cloud-platform"]
SQLADMIN_ENDPOINT = "https://sqladmin.googleapis.com"

_cred_lock = threading.Lock()
_cred_cache: dict[tuple[str, bool], Credentials] = {}


def load_credentials(config: GcpConfig, index: int) -> Credentials:
    """The credentials of ``config.service_account[index]`` (an empty entry: application defaults)."""
    if config.anonymous_credentials:
        return AnonymousCredentials()  # type: ignore[no-untyped-call]
    try:
        path = config.service_account[index]
    except IndexError:
        raise ConfigError(f"gcp.service_account has no entry {index}") from None
    key = (path, False)
    with _cred_lock:
        cached = _cred_cache.get(key)
        if cached is not None:
            return cached
        try:
            if path:
                creds: Credentials = service_account.Credentials.from_service_account_file(  # type: ignore[no-untyped-call]
                    path, scopes=SCOPES
                )
            else:
                creds, _ = google.auth.default(scopes=SCOPES)  # type: ignore[no-untyped-call]
        except (OSError, ValueError, google.auth.exceptions.DefaultCredentialsError) as e:
            what = (
                f"key file entry {index} of gcp.service_account"
                if path
                else "application default credentials"
            )
            raise ConfigError(f"cannot load {what}: {type(e).__name__}") from None
        _cred_cache[key] = creds
        return creds


class Clients:
    """Lazily built clients for one credential. Cheap to create; build one per unit or per hook call."""

    def __init__(self, config: GcpConfig, credential_index: int = 0) -> None:
        self.config = config
        self.credentials = load_credentials(config, credential_index)
        self._compute: dict[str, Any] = {}
        self._lock = threading.Lock()

    def _options(self, service: str) -> ClientOptions | None:
        endpoint = self.config.api_endpoint.get(service)
        return ClientOptions(api_endpoint=endpoint) if endpoint else None

    def compute(self, name: str) -> Any:
        """A compute_v1 client by class stem (``Instances`` → ``InstancesClient``), REST transport."""
        with self._lock:
            client = self._compute.get(name)
            if client is None:
                cls = getattr(compute_v1, f"{name}Client")
                client = cls(
                    credentials=self.credentials, transport="rest", client_options=self._options("compute")
                )
                self._compute[name] = client
            return client

    @cached_property
    def organizations(self) -> resourcemanager_v3.OrganizationsClient:
        return resourcemanager_v3.OrganizationsClient(
            credentials=self.credentials, transport="rest", client_options=self._options("resourcemanager")
        )

    @cached_property
    def folders(self) -> resourcemanager_v3.FoldersClient:
        return resourcemanager_v3.FoldersClient(
            credentials=self.credentials, transport="rest", client_options=self._options("resourcemanager")
        )

    @cached_property
    def projects(self) -> resourcemanager_v3.ProjectsClient:
        return resourcemanager_v3.ProjectsClient(
            credentials=self.credentials, transport="rest", client_options=self._options("resourcemanager")
        )

    @cached_property
    def container(self) -> container_v1.ClusterManagerClient:
        return container_v1.ClusterManagerClient(
            credentials=self.credentials, transport="rest", client_options=self._options("container")
        )

    def storage(self, project: str) -> storage.Client:
        return storage.Client(
            project=project, credentials=self.credentials, client_options=self._options("storage")
        )

    @cached_property
    def session(self) -> AuthorizedSession:
        """An authorised HTTP session for the APIs without a client library here (Cloud SQL Admin)."""
        return AuthorizedSession(self.credentials)  # type: ignore[no-untyped-call]

    def endpoint(self, service: str, default: str) -> str:
        """The base URL of a REST API (``https://run.googleapis.com``), or the configured override."""
        return self.config.api_endpoint.get(service, default).rstrip("/")

    @property
    def sqladmin_endpoint(self) -> str:
        return self.config.api_endpoint.get("sqladmin", SQLADMIN_ENDPOINT).rstrip("/")
