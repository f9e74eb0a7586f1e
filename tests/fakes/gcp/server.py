"""The fake's HTTP server: one aiohttp app on 127.0.0.1 serving every API, in a background thread."""

from __future__ import annotations

import asyncio
import base64
import json
import re
import threading
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from fakes.gcp import rest as rest_api
from fakes.gcp import services, services_more
from fakes.gcp.compute import ComputeState, Reply
from fakes.gcp.compute import handle as compute_handle
from fakes.gcp.errors import error_body, service_disabled_body


def _jwt_claims(part: str) -> dict[str, Any]:
    """The claims of a JWT's middle part (the fake trusts the key it issued; no signature check)."""
    claims = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    if not isinstance(claims, dict):
        raise ValueError("not a JWT claims set")
    return claims


SERVICE_HOSTS = {
    "compute": "compute.googleapis.com",
    "storage": "storage.googleapis.com",
    "container": "container.googleapis.com",
    "sqladmin": "sqladmin.googleapis.com",
    "resourcemanager": "cloudresourcemanager.googleapis.com",
}


@dataclass
class Fault:
    prefix: str
    status: int
    remaining: int
    method: str | None = None


@dataclass
class FakeGcp:
    """State, error injection and the server. Use as a context manager or call start()/stop()."""

    compute: ComputeState = field(default_factory=ComputeState)
    rm: services.ResourceManagerState = field(default_factory=services.ResourceManagerState)
    storage: services.StorageState = field(default_factory=services.StorageState)
    container: services.ContainerState = field(default_factory=services.ContainerState)
    sql: services.SqlState = field(default_factory=services.SqlState)
    rest: rest_api.RestState = field(default_factory=rest_api.RestState)
    faults: list[Fault] = field(default_factory=list)
    disabled: set[tuple[str, str]] = field(default_factory=set)
    requests: list[tuple[str, str, int]] = field(default_factory=list)
    deleted: list[tuple[str, str]] = field(default_factory=list)
    """(service, what) in the order the deletes were accepted; compute entries are ``selfLink`` paths."""
    key_projects: dict[str, set[str]] = field(default_factory=dict)
    """Service-account email -> the projects its key sees. Empty: no auth (anonymous credentials)."""
    callers: list[tuple[str | None, str, str]] = field(default_factory=list)
    """(service-account email or None, method, path) of every API request."""

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- control ----------------------------------------------------------------------------------

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def api_endpoints(self) -> dict[str, str]:
        """The plugin's ``api_endpoint`` setting that points every API it calls at this fake."""
        from resoto_plugin_gcp.apis import ALL_APIS

        out = {s: self.endpoint for s in ("compute", "resourcemanager", "storage", "container", "sqladmin")}
        out.update({api.key: f"{self.endpoint}/_svc/{api.key}" for api in ALL_APIS})
        return out

    def fail(self, prefix: str, status: int, count: int = 1, method: str | None = None) -> None:
        """Answer the next ``count`` requests whose path starts with ``prefix`` with ``status``."""
        with self._lock:
            self.faults.append(Fault(prefix, status, count, method))

    def disable(self, project: str, service: str) -> None:
        """Make ``service`` (compute, storage, container, sqladmin) answer 403 SERVICE_DISABLED in ``project``."""
        with self._lock:
            self.disabled.add((project, service))

    def count(self, prefix: str, method: str | None = None) -> int:
        with self._lock:
            return sum(
                1 for m, p, _ in self.requests if p.startswith(prefix) and (method is None or m == method)
            )

    # -- server -------------------------------------------------------------------------------------

    def start(self) -> FakeGcp:
        ready = threading.Event()

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            app = web.Application(client_max_size=16 * 1024 * 1024)
            app.router.add_route("*", "/{tail:.*}", self._handle)
            runner = web.AppRunner(app, access_log=None)
            loop.run_until_complete(runner.setup())
            site = web.TCPSite(runner, "127.0.0.1", 0)
            loop.run_until_complete(site.start())
            self._runner = runner
            server = site._server
            assert server is not None
            self.port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
            ready.set()
            loop.run_forever()
            loop.run_until_complete(runner.cleanup())
            loop.close()

        self._thread = threading.Thread(target=run, name="fake-gcp", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the GCP fake did not start")
        return self

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
            self._loop = None
            self._thread = None

    def __enter__(self) -> FakeGcp:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- dispatch -------------------------------------------------------------------------------------

    def service_account_key(self, directory: Path, email: str, projects: set[str]) -> str:
        """Write a service-account key file whose tokens come from this fake; its key sees ``projects``."""
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode()
        info = {
            "type": "service_account",
            "project_id": sorted(projects)[0] if projects else "none",
            "private_key_id": email.split("@")[0],
            "private_key": pem,
            "client_email": email,
            "client_id": "1",
            "token_uri": f"{self.endpoint}/token",
        }
        path = directory / f"{email.split('@')[0]}.json"
        path.write_text(json.dumps(info))
        with self._lock:
            self.key_projects[email] = set(projects)
        return str(path)

    def _token(self, raw: bytes) -> web.Response:
        """The OAuth token endpoint of a key file: a JWT-bearer assertion becomes an access token."""
        form = urllib.parse.parse_qs(raw.decode())
        email = str(_jwt_claims(form.get("assertion", [""])[0].split(".")[1]).get("iss"))
        if email not in self.key_projects:
            return web.json_response({"error": "invalid_grant"}, status=400)
        return web.json_response(
            {"access_token": f"fake-token:{email}", "expires_in": 3600, "token_type": "Bearer"}
        )

    def _caller(self, request: web.Request) -> str | None:
        """The key's email: from a token of ``/token``, or the ``iss`` of a self-signed JWT (which the
        client libraries send for service accounts instead of exchanging a token)."""
        auth = request.headers.get("Authorization", "")
        if auth.startswith("Bearer fake-token:"):
            return auth[len("Bearer fake-token:") :]
        parts = auth[len("Bearer ") :].split(".") if auth.startswith("Bearer ") else []
        if len(parts) == 3:
            try:
                return str(_jwt_claims(parts[1]).get("iss"))
            except ValueError:
                return None
        return None

    async def _handle(self, request: web.Request) -> web.Response:
        raw = await request.read()
        if request.path == "/token" and request.method == "POST":
            return self._token(raw)
        caller = self._caller(request)
        with self._lock:
            self.callers.append((caller, request.method, request.path))
            visible = self.key_projects.get(caller or "") if self.key_projects else None
        if self.key_projects:
            if visible is None:
                return web.json_response(error_body(401, "no valid service-account token"), status=401)
            _, project = self._service_of(request.path, dict(request.query))
            if project is not None and project not in visible:
                return web.json_response(
                    error_body(403, f"{caller} cannot see project {project}"), status=403
                )
        body: Any = None
        if raw:
            try:
                body = json.loads(raw)
            except ValueError:
                body = None
        query = {k: v for k, v in request.query.items()}
        reply = self.dispatch(request.method, request.path, query, body)
        with self._lock:
            self.requests.append((request.method, request.path, reply.status))
        if visible is not None and request.path in ("/v3/projects", "/v3/projects:search") and reply.body:
            reply.body["projects"] = [
                p for p in reply.body.get("projects", []) if p.get("projectId") in visible
            ]
        if reply.body is None:
            return web.Response(status=reply.status)
        return web.json_response(reply.body, status=reply.status)

    def dispatch(self, method: str, path: str, query: dict[str, str], body: Any) -> Reply:
        with self._lock:
            for fault in self.faults:
                if fault.remaining > 0 and path.startswith(fault.prefix) and fault.method in (None, method):
                    fault.remaining -= 1
                    return Reply(
                        fault.status, error_body(fault.status, f"injected {fault.status} for {path}")
                    )
            service, project = self._service_of(path, query)
            if service and project and (project, service) in self.disabled:
                host = SERVICE_HOSTS.get(service, f"{service}.googleapis.com")
                return Reply(403, service_disabled_body(host, self.rm.number(project)))
            reply = (
                rest_api.handle(self.rest, method, path, query, body, self._deleted)
                or services_more.handle(self.sql, self.container, method, path, query, self._deleted)
                or compute_handle(self.compute, method, path, query, body)
                or services.resourcemanager(self.rm, method, path, query)
                or services.storage(self.storage, method, path, query, body, self._deleted)
                or services.container(self.container, method, path, body, self._deleted)
                or services.sqladmin(self.sql, method, path, query, body, self._deleted)
            )
            if reply is None:
                return Reply(404, error_body(404, f"no such API: {method} {path}"))
            if service == "compute" and method == "DELETE" and reply.status == 200:
                self.deleted.append(("compute", path.split("/projects/", 1)[1]))
            return reply

    def _deleted(self, service: str, what: str) -> None:
        self.deleted.append((service, what))

    _PROJECT = re.compile(r"/projects/([^/]+)")

    def _service_of(self, path: str, query: dict[str, str]) -> tuple[str | None, str | None]:
        m = self._PROJECT.search(path)
        project = m.group(1) if m else None
        if path.startswith("/_svc/"):
            return path.split("/")[2], project
        if path.startswith("/compute/"):
            return "compute", project
        if path.startswith("/storage/"):
            bucket = path.split("/")[4] if path.startswith("/storage/v1/b/") else None
            return "storage", query.get("project") or (
                self.storage.project_of.get(bucket) if bucket else None
            )
        if path.startswith("/v3/"):
            return "resourcemanager", None
        if "/locations/" in path:
            return "container", project
        if path.startswith("/v1/projects/"):
            return "sqladmin", project
        return None, None
