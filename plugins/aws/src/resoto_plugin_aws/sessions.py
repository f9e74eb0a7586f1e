"""Sessions, credentials, clients and the call limiter.

* One botocore data loader for the whole process (:mod:`resoto_plugin_aws.service_models`), so
  every service model is parsed once, lean, however many accounts are collected.
* One botocore session per account access (:class:`Access`); assumed-role credentials are
  botocore refreshable credentials, renewed before they expire.
* One client per (access, service, region), shared by the threads of the unit (botocore clients
  are thread-safe), with the configured retry mode and a connection pool sized to the limiter.
* :func:`limiter` bounds concurrent calls per (account, region, service) across all threads.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import botocore.session
from botocore.config import Config as BotoConfig
from botocore.credentials import CredentialProvider, DeferredRefreshableCredentials

from resoto_plugin_aws.config import AwsConfig
from resoto_plugin_aws.service_models import LeanLoader

log = logging.getLogger(__name__)

GLOBAL_API_REGION = {"aws": "us-east-1", "aws-cn": "cn-north-1", "aws-us-gov": "us-gov-west-1"}
"""The region that serves a partition's global APIs (IAM, Route 53, Organizations, STS)."""


def partition_of_region(region: str) -> str:
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


@dataclass(frozen=True)
class Access:
    """How to reach one account: which base credentials, and which role to assume on top.

    Holds no secret (static keys are read from the config when the session is built), so it can
    travel in a unit's payload.
    """

    account_id: str
    partition: str = "aws"
    profile: str | None = None
    role_arn: str | None = None
    via_role_arn: str | None = None
    """A role assumed first (e.g. the organization role) before ``role_arn``; rarely used."""

    @property
    def api_region(self) -> str:
        return GLOBAL_API_REGION.get(self.partition, "us-east-1")


_loader_lock = threading.Lock()
_loader: LeanLoader | None = None


def shared_loader() -> LeanLoader:
    """The one botocore data loader of the process (it caches every parsed model, lean)."""
    global _loader
    with _loader_lock:
        if _loader is None:
            data_path = os.environ.get("AWS_DATA_PATH")  # what botocore's own loader honours
            paths = [os.path.expanduser(p) for p in data_path.split(os.pathsep)] if data_path else []
            _loader = LeanLoader(extra_search_paths=paths)
        return _loader


def _botocore_session(profile: str | None) -> botocore.session.Session:
    session = botocore.session.Session(profile=profile)
    session.register_component("data_loader", shared_loader())
    return session


class _AssumeRoleProvider(CredentialProvider):  # type: ignore[misc]
    """Credentials of an assumed role, refreshed by botocore before they expire."""

    METHOD = "resoto-assume-role"
    CANONICAL_NAME = "resoto-assume-role"

    def __init__(self, base: botocore.session.Session, role_arn: str, region: str, duration: int) -> None:
        super().__init__()
        self._base = base
        self._role_arn = role_arn
        self._region = region
        self._duration = duration

    def _refresh(self) -> dict[str, Any]:
        sts = self._base.create_client("sts", region_name=self._region)
        answer = sts.assume_role(
            RoleArn=self._role_arn, RoleSessionName="resoto", DurationSeconds=self._duration
        )
        creds = answer["Credentials"]
        expiry = creds["Expiration"]
        if isinstance(expiry, datetime):
            expiry = expiry.astimezone(UTC).isoformat()
        log.debug("assumed role %s", self._role_arn)
        return {
            "access_key": creds["AccessKeyId"],
            "secret_key": creds["SecretAccessKey"],
            "token": creds["SessionToken"],
            "expiry_time": expiry,
        }

    def load(self) -> DeferredRefreshableCredentials:
        return DeferredRefreshableCredentials(refresh_using=self._refresh, method=self.METHOD)


def base_session(config: AwsConfig, profile: str | None) -> botocore.session.Session:
    """A session with the configured base credentials: static keys, a profile, or the default chain."""
    bsession = _botocore_session(profile)
    if config.access_key_id and config.secret_access_key is not None and profile is None:
        bsession.set_credentials(config.access_key_id, config.secret_access_key.get_secret_value())
    return bsession


def role_session(
    base: botocore.session.Session, role_arn: str, config: AwsConfig, region: str
) -> botocore.session.Session:
    """A session whose credentials come from assuming ``role_arn`` with ``base``'s credentials."""
    bsession = _botocore_session(None)
    resolver = bsession.get_component("credential_provider")
    resolver.providers = [_AssumeRoleProvider(base, role_arn, region, config.session_duration)]
    return bsession


class SessionCache:
    """Sessions and clients per :class:`Access`, built once and shared by all threads."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._sessions: dict[tuple[Access, tuple[Any, ...]], botocore.session.Session] = {}
        self._clients: dict[tuple[Access, str, str, tuple[Any, ...]], Any] = {}

    @staticmethod
    def _config_key(config: AwsConfig) -> tuple[Any, ...]:
        secret = config.secret_access_key.get_secret_value() if config.secret_access_key else None
        return (
            config.access_key_id,
            hash(secret),
            config.retry_mode,
            config.max_attempts,
            config.max_concurrent_calls,
            config.unit_pool_size,
            config.session_duration,
        )

    def session(self, access: Access, config: AwsConfig) -> botocore.session.Session:
        key = (access, self._config_key(config))
        with self._lock:
            found = self._sessions.get(key)
            if found is None:
                found = base_session(config, access.profile)
                if access.via_role_arn:
                    found = role_session(found, access.via_role_arn, config, access.api_region)
                if access.role_arn:
                    found = role_session(found, access.role_arn, config, access.api_region)
                self._sessions[key] = found
            return found

    def client(self, access: Access, config: AwsConfig, service: str, region: str) -> Any:
        """The shared client for (account access, service, region)."""
        ckey = self._config_key(config)
        key = (access, service, region, ckey)
        with self._lock:
            found = self._clients.get(key)
            if found is None:
                session = self.session(access, config)
                boto_config = BotoConfig(
                    retries={"mode": config.retry_mode, "max_attempts": config.max_attempts},
                    max_pool_connections=max(config.max_concurrent_calls, config.unit_pool_size),
                    connect_timeout=10,
                    read_timeout=60,
                )
                found = session.create_client(service, region_name=region, config=boto_config)
                if _is_ip(urlsplit(found.meta.endpoint_url).hostname or ""):
                    found.meta.events.register("before-sign", _drop_host_prefix)
                bound_transient_retries(found)
                self._clients[key] = found
            return found

    def clear(self) -> None:
        with self._lock:
            self._sessions.clear()
            self._clients.clear()


def _is_ip(host: str) -> bool:
    """Whether a host is an IP address (an endpoint override such as LocalStack's or moto's)."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _drop_host_prefix(request: Any, **_: Any) -> None:
    """A ``before-sign`` handler for clients whose endpoint is an IP address.

    Some endpoint rules put a label before the host (S3 Control: ``{AccountId}.``). Before an IP
    address that makes a name no resolver knows (``123456789012.127.0.0.1``), so the request goes
    to the address itself, signed for it.
    """
    parts = urlsplit(request.url)
    host = parts.hostname or ""
    prefix, _dot, rest = host.partition(".")
    if not prefix or _is_ip(host) or not _is_ip(rest):
        return
    netloc = parts.netloc.replace(host, rest, 1)
    request.url = parts._replace(netloc=netloc).geturl()


TRANSIENT_ATTEMPTS = 3
"""Attempts of a call that answers 5xx or drops the connection (throttling keeps ``max_attempts``)."""


def _stop_transient_retries(
    attempts: int, response: Any = None, caught_exception: BaseException | None = None, **_: Any
) -> bool | None:
    """A ``needs-retry`` handler run before botocore's: ``False`` ends the retries of a server error.

    A throttled call goes on with botocore's retries (``max_attempts``, adaptive rate); a call that
    keeps answering 5xx, or whose connection keeps failing, stops after :data:`TRANSIENT_ATTEMPTS`,
    so a broken API costs a few seconds, not minutes.
    """
    from resoto_plugin_aws.errors import THROTTLING_CODES

    if attempts < TRANSIENT_ATTEMPTS:
        return None
    if response is not None:
        http, parsed = response
        code = (parsed or {}).get("Error", {}).get("Code") if isinstance(parsed, dict) else None
        if code in THROTTLING_CODES or getattr(http, "status_code", 0) == 429:
            return None
        return False if getattr(http, "status_code", 0) >= 500 else None
    return False if caught_exception is not None else None


def bound_transient_retries(client: Any) -> None:
    """Bound the retries of server errors on ``client`` (see :func:`_stop_transient_retries`)."""
    name = client.meta.service_model.service_id.hyphenize()
    client.meta.events.register_first(f"needs-retry.{name}", _stop_transient_retries)


SESSIONS = SessionCache()
"""The process-wide session and client cache."""

_limiters_lock = threading.Lock()
_limiters: dict[tuple[str, str, str], threading.BoundedSemaphore] = {}


def limiter(account: str, region: str, service: str, limit: int) -> threading.BoundedSemaphore:
    """The semaphore bounding concurrent calls for (account, region, service), shared by all threads."""
    key = (account, region, service)
    with _limiters_lock:
        found = _limiters.get(key)
        if found is None:
            found = _limiters[key] = threading.BoundedSemaphore(limit)
        return found
