"""The fake's HTTP server: one aiohttp app on 127.0.0.1 serving every API, in a background thread."""

from __future__ import annotations

import asyncio
import json
import re
import threading
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from fakes.gcp import services
from fakes.gcp.compute import ComputeState, Reply
from fakes.gcp.compute import handle as compute_handle
from fakes.gcp.errors import error_body, service_disabled_body

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
    faults: list[Fault] = field(default_factory=list)
    disabled: set[tuple[str, str]] = field(default_factory=set)
    requests: list[tuple[str, str, int]] = field(default_factory=list)
    deleted: list[tuple[str, str]] = field(default_factory=list)
    """(service, what) in the order the deletes were accepted; compute entries are ``selfLink`` paths."""

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

    async def _handle(self, request: web.Request) -> web.Response:
        raw = await request.read()
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
                return Reply(403, service_disabled_body(SERVICE_HOSTS[service], self.rm.number(project)))
            reply = (
                compute_handle(self.compute, method, path, query, body)
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
