"""The resotocore simulator: an aiohttp server speaking the core's side of the worker protocol."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import hashlib
import json
import logging
import os
import re
import shutil
import time
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aiohttp import WSMsgType, web

from coresim.auth import AuthError, TokenVerifier, encode_jwt
from coresim.graphstore import GraphStore, GraphView, MergeError, PatchError
from coresim.model import Model, ModelError, reference_kinds
from coresim.query import QueryError
from coresim.records import (
    ActionState,
    Fault,
    Frame,
    MergeRecord,
    RecordedRequest,
    WorkerConnection,
    WorkTask,
)
from coresim.tlsca import CertificateAuthority, cert_pem, fingerprint
from coresim.util import deep_merge

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

MAX_REQUEST_SIZE = 5 * 1024 * 1024  # api.max_request_size of the core
MAX_WS_MESSAGE = 4 * 1024 * 1024  # aiohttp's default incoming limit, not changed by the core
NDJSON_TYPES = ("application/x-ndjson", "application/ndjson")
UNAUTHENTICATED = re.compile(r"^/($|\.well-known/|ca/cert$|system/|metrics$|login$|authenticate$|ui)")
DEFERRED_AUTH = ("/events", "/work/queue")
ACTION_REPLY_FIELDS = {
    "action_done": ("task", "step"),
    "action_error": ("task", "step"),
    "action_info": ("task", "step", "level", "message"),
    "action_progress": ("task", "step", "progress", "at"),
}
DEFAULT_TASK_TIMEOUT = {"tag": 30.0}
_ENV_PLACEHOLDER = re.compile(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")


def _request_key(name: str, kind: type) -> Any:
    factory = getattr(web, "RequestKey", None)  # aiohttp >= 3.12 wants typed keys
    return factory(name, kind) if factory is not None else name


RECORD_KEY = _request_key("coresim_record", RecordedRequest)
BODY_KEY = _request_key("coresim_body", bytes)
WS_AUTH_KEY = _request_key("coresim_needs_ws_auth", bool)


class _MergeCut(Exception):
    """Raised internally when a merge body is deliberately cut by a fault."""


def _json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(
        text=json.dumps(data), status=status, content_type="application/json", headers=headers
    )


def _text(status: int, text: str, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(status=status, text=text, headers=headers)


def _resolve_env(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _resolve_env(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve_env(v) for v in value]
    if isinstance(value, str) and "$(" in value:
        return _ENV_PLACEHOLDER.sub(lambda m: os.environ.get(m.group(1), m.group(0)), value)
    return value


def _host_name(value: str) -> str | None:
    try:
        return urlsplit(value if "//" in value else "//" + value).hostname
    except ValueError:
        return None


def _valid_progress(progress: Any) -> bool:
    if not isinstance(progress, dict):
        return False
    if progress.get("kind") == "progress":
        current, total = progress.get("current"), progress.get("total")
        return (
            isinstance(progress.get("name"), str)
            and isinstance(current, int | float)
            and isinstance(total, int | float)
            and total > 0
            and 0 <= current <= total
        )
    if progress.get("kind") == "tree":
        parts = progress.get("parts")
        return (
            isinstance(progress.get("name"), str)
            and isinstance(parts, list)
            and all(_valid_progress(p) for p in parts)
        )
    return False


class CoreSimulator:
    """Simulates resotocore for a worker under test. Async API; see ThreadedCoreSimulator for a sync facade."""

    def __init__(
        self,
        *,
        psk: str | None = None,
        tls: bool = False,
        mitm: bool = False,
        port: int = 0,
        preload_model: bool = False,
        ready_after: float = 0.0,
        host: str = "127.0.0.1",
        merge_delay: float = 0.0,
        deferred_auth_timeout: float = 10.0,
        dispatch_interval: float = 0.5,
    ) -> None:
        self.psk = psk or None
        self.tls = tls
        self.mitm = mitm
        self.host = host
        self.port = port
        self.preload_model = preload_model
        self.ready_after = ready_after
        self.merge_delay = merge_delay
        self.deferred_auth_timeout = deferred_auth_timeout
        self.dispatch_interval = dispatch_interval
        self._verifier = TokenVerifier(self.psk) if self.psk else None
        self._ca: CertificateAuthority | None = CertificateAuthority.create() if tls else None
        self._tls_dir: Path | None = None
        self._runner: web.AppRunner | None = None
        self._site: web.TCPSite | None = None
        self._dispatcher: asyncio.Task[None] | None = None
        self._background: set[asyncio.Task[Any]] = set()
        self._sockets: dict[web.WebSocketResponse, str] = {}
        self._t0 = time.monotonic()
        self._started_at = 0.0
        self._reset_state()

    # ================================================================== state
    def _reset_state(self) -> None:
        # recordings
        self.requests: list[RecordedRequest] = []
        self.frames: list[Frame] = []
        self.merges: list[MergeRecord] = []
        self.violations: list[str] = []
        self.errors: list[str] = []
        self.merge_counts: dict[str, int] = defaultdict(int)
        self.patch_lines: list[dict[str, Any]] = []
        self.search_queries: list[str] = []
        # faults
        self._faults: list[Fault] = []
        self._merge_cuts: list[int] = []
        self._ws_faults: dict[str, list[int]] = {}
        # config
        self.configs: dict[str, dict[str, Any]] = {}
        self.config_revisions: dict[str, str] = {}
        self.config_overrides: dict[str, dict[str, Any]] = {}
        self.config_model = Model()
        # events
        self._event_listeners: dict[web.WebSocketResponse, set[str] | None] = {}
        self.events_sent: list[dict[str, Any]] = []
        # subscribers and actions
        self.subscribers: dict[str, dict[str, dict[str, Any]]] = {}
        self._handles: dict[str, web.WebSocketResponse] = {}
        self.actions: dict[str, ActionState] = {}
        self._replies: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self._infos: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self._progress: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.other_messages: list[dict[str, Any]] = []
        self._reply_waiters: dict[str, asyncio.Event] = {}
        # work queue
        self._workers: dict[str, WorkerConnection] = {}
        self.work_tasks: dict[str, WorkTask] = {}
        self.task_results: dict[str, list[dict[str, Any]]] = defaultdict(list)
        # graphs
        self.models: dict[str, Model] = {}
        self.graphs: dict[str, GraphStore] = {}

    def _now(self) -> float:
        return time.monotonic() - self._t0

    def _violation(self, text: str) -> None:
        log.warning("protocol violation: %s", text)
        self.violations.append(text)

    # ================================================================== lifecycle
    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://{self.host}:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"{'wss' if self.tls else 'ws'}://{self.host}:{self.port}"

    @property
    def ca(self) -> CertificateAuthority:
        if self._ca is None:
            self._ca = CertificateAuthority.create()
        return self._ca

    @property
    def ca_cert_pem(self) -> bytes:
        return self.ca.ca_pem

    def write_ca_cert(self, path: str | os.PathLike[str]) -> Path:
        return self.ca.write_ca(path)

    def _build_app(self) -> web.Application:
        app = web.Application(middlewares=[self._middleware], client_max_size=MAX_REQUEST_SIZE)
        r = app.router
        r.add_get("/", self._h_index)
        r.add_get("/system/ready", self._h_ready)
        r.add_get("/system/ping", self._h_ping)
        r.add_get("/metrics", self._h_metrics)
        r.add_get("/ca/cert", self._h_ca_cert)
        r.add_post("/ca/sign", self._h_ca_sign)
        r.add_get("/configs", self._h_config_list)
        r.add_get("/configs/model", self._h_config_model_get)
        r.add_patch("/configs/model", self._h_config_model_patch)
        r.add_put("/configs/model", self._h_config_model_put)
        r.add_get("/config/{config_id}", self._h_config_get)
        r.add_put("/config/{config_id}", self._h_config_put)
        r.add_patch("/config/{config_id}", self._h_config_patch)
        r.add_delete("/config/{config_id}", self._h_config_delete)
        r.add_get("/events", self._h_events)
        r.add_get("/subscribers", self._h_subscribers)
        r.add_get("/subscriber/{sid}", self._h_subscriber_get)
        r.add_get("/subscriber/{sid}/handle", self._h_handle)
        r.add_post("/subscriber/{sid}/{action}", self._h_subscribe)
        r.add_delete("/subscriber/{sid}/{action}", self._h_unsubscribe)
        r.add_get("/work/queue", self._h_work_queue)
        r.add_get("/graph", self._h_graph_list)
        r.add_post("/graph/{graph}", self._h_graph_create)
        r.add_get("/graph/{graph}/model", self._h_model_get)
        r.add_put("/graph/{graph}/model", self._h_model_put)
        r.add_patch("/graph/{graph}/model", self._h_model_patch)
        r.add_post("/graph/{graph}/merge", self._h_merge)
        r.add_post("/graph/{graph}/search/graph", self._h_search)
        r.add_patch("/graph/{graph}/nodes", self._h_patch_nodes)
        return app

    async def start(self) -> None:
        if self._runner is not None:
            return
        app = self._build_app()
        runner = web.AppRunner(app, handle_signals=False, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        ssl_context = None
        if self.tls:
            ssl_context, self._tls_dir = self.ca.server_ssl_context()
        site = web.TCPSite(runner, self.host, self.port, ssl_context=ssl_context, reuse_address=True)
        await site.start()
        if self.port == 0:
            self.port = int(runner.addresses[0][1])
        self._runner, self._site = runner, site
        self._started_at = time.monotonic()
        self._dispatcher = asyncio.create_task(self._dispatch_loop())
        log.info("core simulator listening on %s", self.url)

    async def stop(self) -> None:
        if self._runner is None:
            return
        if self._dispatcher is not None:
            self._dispatcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._dispatcher
            self._dispatcher = None
        for task in list(self._background):
            task.cancel()
        if self._background:
            await asyncio.gather(*self._background, return_exceptions=True)
        await self.drop_websockets(code=1001)
        runner, self._runner, self._site = self._runner, None, None
        await runner.cleanup()
        if self._tls_dir is not None:
            shutil.rmtree(self._tls_dir, ignore_errors=True)
            self._tls_dir = None
        log.info("core simulator stopped")

    async def restart(self, keep_state: bool = True) -> None:
        """Stop and start again on the same port; with keep_state=False everything is forgotten."""
        await self.stop()
        if not keep_state:
            self._reset_state()
        await self.start()

    async def __aenter__(self) -> CoreSimulator:
        await self.start()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.stop()

    # ================================================================== middleware: record, faults, auth
    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        record = RecordedRequest(
            request.method, request.path, dict(request.query), dict(request.headers), self._now()
        )
        self.requests.append(record)
        request[RECORD_KEY] = record
        try:
            fault = self._take_fault(request)
            if fault is not None:
                record.status = fault.status
                headers = {"Retry-After": "5"} if fault.status == 503 else None
                return _text(fault.status, fault.body or "Simulated fault", headers)
            denied = await self._check_auth(request)
            if denied is not None:
                record.status = denied.status
                return denied
            response = await handler(request)
            record.status = response.status
            return response
        except web.HTTPException as ex:
            record.status = ex.status
            raise
        except Exception as ex:
            log.exception("unexpected error handling %s %s", request.method, request.path)
            self.errors.append(f"{request.method} {request.path}: {ex!r}")
            record.status = 500
            return _text(500, f"Internal simulator error: {ex!r}")
        finally:
            record.body = request.get(BODY_KEY, b"")

    def _take_fault(self, request: web.Request) -> Fault | None:
        for fault in self._faults:
            if (
                fault.remaining > 0
                and fault.pattern.search(request.path)
                and (fault.method is None or fault.method.upper() == request.method)
            ):
                fault.remaining -= 1
                return fault
        return None

    async def _check_auth(self, request: web.Request) -> web.Response | None:
        if self._verifier is None or UNAUTHENTICATED.match(request.path):
            return None
        origin = request.headers.get("Origin")
        if origin:
            origin_host = _host_name(origin)
            host = _host_name(request.headers.get("Host", ""))
            if origin_host is None or host is None or origin_host.lower() != host.lower():
                self._violation(
                    f"{request.method} {request.path}: Origin {origin} does not match Host {host}"
                )
                return _text(403, "Origin not allowed")
        authorization = request.headers.get("Authorization")
        if authorization is None and request.path in DEFERRED_AUTH and self._is_ws_upgrade(request):
            request[WS_AUTH_KEY] = True
            return None
        try:
            await self._verifier.verify_async(authorization)
        except AuthError as ex:
            log.info("unauthorized %s %s: %s", request.method, request.path, ex)
            return _text(401, "Unauthorized")
        return None

    @staticmethod
    def _is_ws_upgrade(request: web.Request) -> bool:
        return request.headers.get("Upgrade", "").lower() == "websocket"

    async def _read_body(self, request: web.Request) -> bytes:
        body = await request.read()
        request[BODY_KEY] = body
        return body

    async def _read_json(self, request: web.Request) -> Any:
        body = await self._read_body(request)
        try:
            return json.loads(body)
        except ValueError as ex:
            raise web.HTTPBadRequest(text=f"Request body is not valid JSON: {ex}") from ex

    # ================================================================== websocket helpers
    async def _open_ws(self, request: web.Request, channel: str) -> tuple[web.WebSocketResponse, bool]:
        """Prepare a websocket; handles deferred auth and ws faults. False: the socket is closed already."""
        ws = web.WebSocketResponse(heartbeat=20.0, max_msg_size=MAX_WS_MESSAGE)
        await ws.prepare(request)
        self._sockets[ws] = channel
        faults = self._ws_faults.get(channel)
        if faults and faults[0] > 0:
            faults[0] -= 1
            await ws.close(code=faults[1], message=b"simulated websocket fault")
            self._sockets.pop(ws, None)
            return ws, False
        if request.get(WS_AUTH_KEY) and not await self._deferred_auth(ws, channel):
            self._sockets.pop(ws, None)
            return ws, False
        return ws, True

    async def _deferred_auth(self, ws: web.WebSocketResponse, channel: str) -> bool:
        assert self._verifier is not None
        try:
            msg = await asyncio.wait_for(ws.receive(), timeout=self.deferred_auth_timeout)
        except TimeoutError:
            log.info("%s: no authorization frame within %ss", channel, self.deferred_auth_timeout)
            await ws.close(code=4401, message=b"Unauthorized")
            return False
        if msg.type == WSMsgType.TEXT:
            self._record_frame(channel, "in", msg.data)
            try:
                js = json.loads(msg.data)
                if isinstance(js, dict) and js.get("kind") == "authorization":
                    await self._verifier.verify_async(js.get("jwt"))
                    return True
            except (ValueError, AuthError) as ex:
                log.info("%s: deferred authorization failed: %s", channel, ex)
        await ws.close(code=4401, message=b"Unauthorized")
        return False

    def _record_frame(self, channel: str, direction: str, data: str, peer: str = "") -> None:
        self.frames.append(Frame(channel, direction, data, self._now(), peer))

    async def _send(self, ws: web.WebSocketResponse, channel: str, message: Any, peer: str = "") -> bool:
        text = json.dumps(message) + "\n"
        self._record_frame(channel, "out", text, peer)
        if ws.closed:
            return False
        try:
            await ws.send_str(text)
        except (ConnectionError, RuntimeError) as ex:
            log.info("%s: send failed: %s", channel, ex)
            return False
        return True

    async def drop_websockets(self, code: int = 1001, channel: str | None = None) -> None:
        """Close every open websocket (or those of one channel: events, handle, work_queue)."""
        for ws, ws_channel in list(self._sockets.items()):
            if channel is None or ws_channel == channel:
                with contextlib.suppress(Exception):
                    await ws.close(code=code, message=b"going away")

    # ================================================================== simple endpoints
    async def _h_index(self, _: web.Request) -> web.Response:
        return _text(200, "resotocore simulator")

    async def _h_ping(self, _: web.Request) -> web.Response:
        return _text(200, "pong")

    async def _h_ready(self, _: web.Request) -> web.Response:
        if time.monotonic() - self._started_at < self.ready_after:
            return _text(503, "not ready")
        return _text(200, "ok")

    async def _h_metrics(self, _: web.Request) -> web.Response:
        lines = [
            "# HELP coresim_requests_total Requests received by the simulator",
            "# TYPE coresim_requests_total counter",
            f"coresim_requests_total {len(self.requests)}",
        ]
        return _text(200, "\n".join(lines) + "\n")

    # ================================================================== TLS
    def _fingerprint_claim(self) -> str:
        real = self.ca.ca_fingerprint
        if not self.mitm:
            return real
        wrong = hashlib.sha256(b"mitm:" + real.encode()).digest()
        return ":".join(f"{b:02X}" for b in wrong)

    async def _h_ca_cert(self, _: web.Request) -> web.Response:
        headers = {
            "SHA256-Fingerprint": self.ca.ca_fingerprint,
            "Content-Disposition": 'attachment; filename="resoto_root_ca.pem"',
        }
        if self.psk:
            token = encode_jwt({"sha256_fingerprint": self._fingerprint_claim()}, self.psk)
            headers["Authorization"] = f"Bearer {token}"
        return web.Response(body=self.ca.ca_pem, headers=headers, content_type="application/x-pem-file")

    async def _h_ca_sign(self, request: web.Request) -> web.Response:
        body = await self._read_body(request)
        try:
            cert = self.ca.sign_csr(body)
        except Exception as ex:
            self._violation(f"/ca/sign: invalid CSR: {ex}")
            return _text(400, f"Invalid CSR: {ex}")
        return web.Response(
            body=cert_pem(cert),
            headers={"SHA256-Fingerprint": fingerprint(cert)},
            content_type="application/x-pem-file",
        )

    # ================================================================== config
    def _config_view(self, config_id: str, request: web.Request) -> web.Response:
        raw = self.configs[config_id]
        q = {k: v.lower() == "true" for k, v in request.query.items()}
        overrides = self.config_overrides.get(config_id)
        config = copy.deepcopy(raw)
        if q.get("apply_overrides") and overrides:
            config = deep_merge(config, overrides)
        if q.get("resolve_env_vars"):
            config = _resolve_env(config)
        headers = {"Resoto-Config-Revision": self.config_revisions[config_id]}
        if not q.get("separate_overrides"):
            return _json_response(config, headers=headers)
        body: dict[str, Any] = {
            "config": config,
            "overrides": copy.deepcopy(overrides) if overrides else None,
        }
        if q.get("include_raw_config"):
            body["raw_config"] = copy.deepcopy(raw)
        return _json_response(body, headers=headers)

    async def _h_config_list(self, _: web.Request) -> web.Response:
        return _json_response(sorted(self.configs))

    async def _h_config_get(self, request: web.Request) -> web.Response:
        config_id = request.match_info["config_id"]
        if config_id not in self.configs:
            return _text(404, f"No config with id {config_id}")
        return self._config_view(config_id, request)

    def _validate_config(self, config_id: str, doc: Any) -> None:
        if not isinstance(doc, dict) or not all(isinstance(v, dict) for v in doc.values()):
            raise ModelError(f"Config {config_id} must be a JSON object whose values are JSON objects")
        for section, value in doc.items():
            self.config_model.check_object(section, value, check_required=False)

    async def _store_config(self, config_id: str, doc: dict[str, Any]) -> str:
        if self.configs.get(config_id) == doc and config_id in self.config_revisions:
            return self.config_revisions[config_id]
        revision = uuid.uuid4().hex
        self.configs[config_id] = copy.deepcopy(doc)
        self.config_revisions[config_id] = revision
        await self.emit_event("config-updated", {"id": config_id, "revision": revision})
        return revision

    async def _h_config_put(self, request: web.Request) -> web.Response:
        config_id = request.match_info["config_id"]
        doc = await self._read_json(request)
        return await self._put_config(request, config_id, doc)

    async def _put_config(self, request: web.Request, config_id: str, doc: Any) -> web.Response:
        try:
            if request.query.get("validate", "true").lower() != "false":
                self._validate_config(config_id, doc)
            elif not isinstance(doc, dict):
                raise ModelError("Config must be a JSON object")
        except ModelError as ex:
            return _text(400, f"Error: {ex}")
        if request.query.get("dry_run", "false").lower() == "true":
            return _json_response(
                doc, headers={"Resoto-Config-Revision": self.config_revisions.get(config_id, "")}
            )
        revision = await self._store_config(config_id, doc)
        return _json_response(self.configs[config_id], headers={"Resoto-Config-Revision": revision})

    async def _h_config_patch(self, request: web.Request) -> web.Response:
        config_id = request.match_info["config_id"]
        patch = await self._read_json(request)
        if not isinstance(patch, dict):
            return _text(400, "Error: a config patch must be a JSON object")
        return await self._put_config(request, config_id, deep_merge(self.configs.get(config_id, {}), patch))

    async def _h_config_delete(self, request: web.Request) -> web.Response:
        config_id = request.match_info["config_id"]
        if self.configs.pop(config_id, None) is not None:
            self.config_revisions.pop(config_id, None)
            await self.emit_event("config-deleted", {"id": config_id})
        return web.Response(status=204)

    async def _h_config_model_get(self, _: web.Request) -> web.Response:
        return _json_response({"kinds": self.config_model.to_json_dict()})

    async def _update_config_model(self, request: web.Request, replace: bool) -> web.Response:
        kinds = await self._read_json(request)
        try:
            self.config_model.update(kinds, replace=replace)
        except ModelError as ex:
            self._violation(f"config model update rejected: {ex}")
            return _text(400, f"Error: {ex}")
        return _json_response({"kinds": self.config_model.to_json_dict()})

    async def _h_config_model_patch(self, request: web.Request) -> web.Response:
        return await self._update_config_model(request, replace=False)

    async def _h_config_model_put(self, request: web.Request) -> web.Response:
        return await self._update_config_model(request, replace=True)

    # ================================================================== events
    async def emit_event(self, message_type: str, data: dict[str, Any]) -> None:
        """Send an event to every /events listener whose `show` includes it."""
        message = {"kind": "event", "message_type": message_type, "data": data}
        self.events_sent.append(message)
        for ws, show in list(self._event_listeners.items()):
            if show is None or message_type in show:
                await self._send(ws, "events", message)

    async def _h_events(self, request: web.Request) -> web.StreamResponse:
        show_param = request.query.get("show")
        show = {s.strip() for s in show_param.split(",") if s.strip()} if show_param else None
        ws, ok = await self._open_ws(request, "events")
        if not ok:
            return ws
        self._event_listeners[ws] = show
        try:
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    self._record_frame("events", "in", msg.data)
        finally:
            self._event_listeners.pop(ws, None)
            self._sockets.pop(ws, None)
        return ws

    # ================================================================== subscribers / actions
    def _subscriber_json(self, sid: str) -> dict[str, Any]:
        return {"id": sid, "subscriptions": copy.deepcopy(self.subscribers.get(sid, {}))}

    async def _h_subscribers(self, _: web.Request) -> web.Response:
        return _json_response([self._subscriber_json(sid) for sid in sorted(self.subscribers)])

    async def _h_subscriber_get(self, request: web.Request) -> web.Response:
        sid = request.match_info["sid"]
        if sid not in self.subscribers:
            return _text(404, f"No subscriber with id {sid}")
        return _json_response(self._subscriber_json(sid))

    async def _h_subscribe(self, request: web.Request) -> web.Response:
        sid, action = request.match_info["sid"], request.match_info["action"]
        try:
            timeout = int(request.query.get("timeout", "60"))
        except ValueError:
            return _text(400, "timeout must be an integer (seconds)")
        wait = request.query.get("wait_for_completion", "true").lower() != "false"
        self.subscribers.setdefault(sid, {})[action] = {
            "message_type": action,
            "wait_for_completion": wait,
            "timeout": timeout,
        }
        return _json_response(self._subscriber_json(sid))

    async def _h_unsubscribe(self, request: web.Request) -> web.Response:
        sid, action = request.match_info["sid"], request.match_info["action"]
        subscriptions = self.subscribers.get(sid, {})
        subscriptions.pop(action, None)
        if not subscriptions:
            self.subscribers.pop(sid, None)
        return _json_response(self._subscriber_json(sid))

    async def _h_handle(self, request: web.Request) -> web.StreamResponse:
        sid = request.match_info["sid"]
        if not self.subscribers.get(sid):
            return _text(404, f"No subscriber with this id: {sid} or no subscriptions")
        if sid in self._handles:
            log.info("second handle connection for subscriber %s refused", sid)
            return _text(429, f"Only one connection per subscriber is allowed: {sid}")
        ws = web.WebSocketResponse(heartbeat=20.0, max_msg_size=MAX_WS_MESSAGE)
        self._handles[sid] = ws
        try:
            await ws.prepare(request)
            self._sockets[ws] = "handle"
            faults = self._ws_faults.get("handle")
            if faults and faults[0] > 0:
                faults[0] -= 1
                await ws.close(code=faults[1], message=b"simulated websocket fault")
                return ws
            for state in sorted(self.actions.values(), key=lambda a: a.created):
                if sid in state.pending and not state.aborted:
                    await self._send(ws, "handle", state.frame, sid)
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    self._guarded(f"handle {sid}", self._on_handle_message, sid, msg.data)
                elif msg.type == WSMsgType.BINARY:
                    self._violation(f"handle {sid}: binary frame received")
        finally:
            if self._handles.get(sid) is ws:
                del self._handles[sid]
            self._sockets.pop(ws, None)
        return ws

    def _guarded(self, where: str, fn: Callable[..., None], *args: Any) -> None:
        """Never let a bad inbound frame kill a websocket handler: log and record instead."""
        try:
            fn(*args)
        except Exception as ex:
            log.exception("%s: error handling an inbound frame", where)
            self.errors.append(f"{where}: {ex!r}")

    def _on_handle_message(self, sid: str, text: str) -> None:
        self._record_frame("handle", "in", text, sid)
        try:
            js = json.loads(text)
        except ValueError:
            self._violation(f"handle {sid}: frame is not JSON: {text[:200]!r}")
            return
        if not isinstance(js, dict) or not isinstance(js.get("kind"), str):
            self._violation(f"handle {sid}: frame is not a message: {text[:200]!r}")
            return
        kind, data = js["kind"], js.get("data")
        if kind == "action":
            self._violation(f"handle {sid}: worker sent a message of kind action (rejected): {text[:200]!r}")
            return
        if kind not in ACTION_REPLY_FIELDS:
            if kind == "event" and isinstance(js.get("message_type"), str):
                self.other_messages.append(js)
                task = asyncio.get_running_loop().create_task(
                    self.emit_event(js["message_type"], data if isinstance(data, dict) else {})
                )
                self._background.add(task)
                task.add_done_callback(self._background.discard)
            else:
                self._violation(f"handle {sid}: unknown message kind {kind!r}")
                self.other_messages.append(js)
            return
        missing = [f for f in ACTION_REPLY_FIELDS[kind] if not isinstance(data, dict) or f not in data]
        if not isinstance(js.get("message_type"), str):
            missing.append("message_type")
        if missing:
            self._violation(f"handle {sid}: {kind} without required fields {missing}: {text[:300]!r}")
            return
        assert isinstance(data, dict)
        task_id = str(data["task"])
        state = self.actions.get(task_id)
        if state is None:
            self._violation(f"handle {sid}: {kind} for unknown task {task_id}")
        elif data["step"] != state.step:
            self._violation(
                f"handle {sid}: {kind} for task {task_id} with step {data['step']!r}, expected {state.step!r}"
            )
        if kind in ("action_done", "action_error"):
            self._replies[task_id].append(js)
            if state is not None:
                state.pending.discard(sid)
            waiter = self._reply_waiters.get(task_id)
            if waiter is not None:
                waiter.set()
        elif kind == "action_info":
            if data["level"] not in ("info", "warning", "error", "debug"):
                self._violation(f"handle {sid}: action_info with unknown level {data['level']!r}")
            self._infos[task_id].append(js)
        else:
            if not _valid_progress(data["progress"]):
                self._violation(f"handle {sid}: action_progress with invalid progress {data['progress']!r}")
            self._progress[task_id].append(js)

    # ---------------------------------------------------------------- control: actions
    async def send_action(
        self, message_type: str, step: str | None = None, extra_data: dict[str, Any] | None = None
    ) -> str:
        """Send an action to every subscriber of message_type (and keep it pending until answered)."""
        task_id = str(uuid.uuid4())
        data: dict[str, Any] = {"timing": {}}
        data.update(extra_data or {})
        data["task"] = task_id
        data["step"] = step or message_type
        frame = {"kind": "action", "message_type": message_type, "data": data}
        targets = {sid for sid, subs in self.subscribers.items() if message_type in subs}
        state = ActionState(
            task_id, message_type, data["step"], frame, self._now(), set(targets), set(targets)
        )
        self.actions[task_id] = state
        self._reply_waiters[task_id] = asyncio.Event()
        if not targets:
            log.warning("send_action: nobody subscribed to %s", message_type)
        for sid in sorted(targets):
            ws = self._handles.get(sid)
            if ws is not None:
                await self._send(ws, "handle", frame, sid)
        return task_id

    async def resend_action(self, task_id: str) -> None:
        """Send the identical action frame again to its (connected) subscribers."""
        state = self.actions[task_id]
        for sid in sorted(state.targets):
            ws = self._handles.get(sid)
            if ws is not None:
                await self._send(ws, "handle", state.frame, sid)

    async def abort_action(self, task_id: str) -> None:
        state = self.actions[task_id]
        state.aborted = True
        frame = {
            "kind": "action_abort",
            "message_type": state.message_type,
            "data": copy.deepcopy(state.frame["data"]),
        }
        for sid in sorted(state.targets):
            ws = self._handles.get(sid)
            if ws is not None:
                await self._send(ws, "handle", frame, sid)
        state.pending.clear()

    async def wait_for_reply(self, task_id: str, timeout: float = 30.0) -> dict[str, Any]:
        """The first action_done/action_error for the task (raises TimeoutError)."""
        if not self._replies.get(task_id):
            waiter = self._reply_waiters.setdefault(task_id, asyncio.Event())
            await asyncio.wait_for(waiter.wait(), timeout)
        return self._replies[task_id][0]

    def replies(self, task_id: str) -> list[dict[str, Any]]:
        return list(self._replies.get(task_id, []))

    def infos(self, task_id: str) -> list[dict[str, Any]]:
        return list(self._infos.get(task_id, []))

    def progress(self, task_id: str) -> list[dict[str, Any]]:
        return list(self._progress.get(task_id, []))

    def pending_actions(self, sid: str) -> list[str]:
        return [a.task_id for a in sorted(self.actions.values(), key=lambda a: a.created) if sid in a.pending]

    @property
    def connected_subscribers(self) -> list[str]:
        return sorted(self._handles)

    @property
    def event_listener_count(self) -> int:
        """Open /events websockets."""
        return len(self._event_listeners)

    # ================================================================== work queue
    @property
    def workers(self) -> list[list[dict[str, Any]]]:
        """The task descriptions of every connected worker (one list per connection)."""
        return [copy.deepcopy(w.descriptions) for w in self._workers.values()]

    @staticmethod
    def _check_descriptions(js: Any) -> str | None:
        if not isinstance(js, list):
            return "first frame must be a JSON array of task descriptions"
        if not js:
            return "the list of task descriptions is empty"
        for desc in js:
            if not isinstance(desc, dict) or not isinstance(desc.get("name"), str) or not desc["name"]:
                return f"task description without name: {json.dumps(desc)[:200]}"
            flt = desc.get("filter", {})
            if not isinstance(flt, dict) or not all(
                isinstance(v, list) and all(isinstance(x, str) for x in v) for v in flt.values()
            ):
                return f"task description {desc['name']}: filter must map names to lists of strings"
            if not isinstance(desc.get("args_description", {}), dict):
                return f"task description {desc['name']}: args_description must be an object"
            if desc.get("allowed_on_kind") is not None and not isinstance(desc["allowed_on_kind"], str):
                return f"task description {desc['name']}: allowed_on_kind must be a string or null"
        return None

    async def _h_work_queue(self, request: web.Request) -> web.StreamResponse:
        ws, ok = await self._open_ws(request, "work_queue")
        if not ok:
            return ws
        worker_id = uuid.uuid4().hex[:12]
        conn: WorkerConnection | None = None
        try:
            first = await ws.receive()
            if first.type != WSMsgType.TEXT:
                self._violation(f"work queue {worker_id}: connection closed before the task descriptions")
                return ws
            self._record_frame("work_queue", "in", first.data, worker_id)
            try:
                descriptions = json.loads(first.data)
            except ValueError:
                descriptions = None
            error = self._check_descriptions(descriptions)
            if error:
                self._violation(f"work queue {worker_id}: {error}")
                await ws.close(code=1008, message=error.encode()[:120])
                return ws
            conn = WorkerConnection(worker_id, descriptions, ws)
            self._workers[worker_id] = conn
            self._dispatch()
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    self._record_frame("work_queue", "in", msg.data, worker_id)
                    self._guarded(f"work queue {worker_id}", self._on_task_result, conn, msg.data)
        finally:
            self._sockets.pop(ws, None)
            if conn is not None:
                self._workers.pop(worker_id, None)
                for task in conn.outstanding.values():
                    if not task.future.done():
                        log.info("worker %s gone: task %s goes back to the queue", worker_id, task.task_id)
                        task.worker = None
                if conn.outstanding:
                    self._dispatch()
        return ws

    def _on_task_result(self, conn: WorkerConnection, text: str) -> None:
        try:
            js = json.loads(text)
        except ValueError:
            self._violation(f"work queue {conn.worker_id}: frame is not JSON: {text[:200]!r}")
            return
        if not isinstance(js, dict) or not isinstance(js.get("task_id"), str):
            self._violation(f"work queue {conn.worker_id}: frame without task_id: {text[:200]!r}")
            return
        task_id = js["task_id"]
        self.task_results[task_id].append(js)
        task = conn.outstanding.pop(task_id, None)
        if task is None:
            known = self.work_tasks.get(task_id)
            self._violation(
                f"work queue {conn.worker_id}: result for task {task_id} that is "
                f"{'not outstanding on this connection' if known else 'unknown'}"
            )
            return
        result = js.get("result")
        if result == "done":
            reply = dict(js)
            if task.expect_node_result:
                store = self.graphs.get(task.graph)
                try:
                    if store is None:
                        raise ValueError(f"graph {task.graph} does not exist")
                    store.update_node_from_result(js.get("data"))
                except ValueError as ex:
                    self._violation(
                        f"work queue: task {task_id} ({task.name}) returned an invalid node: {ex}"
                    )
                    reply["core_error"] = str(ex)
            self._finish_task(task, reply)
        elif result == "error":
            if not isinstance(js.get("error"), str):
                self._violation(f"work queue: error result for {task_id} without an error string")
            self._finish_task(task, js)
        else:
            # the core logs and ignores other results; the task stays open until its deadline
            self._violation(f"work queue: task {task_id}: unknown result {result!r} ignored")
            conn.outstanding[task_id] = task

    def _finish_task(self, task: WorkTask, reply: dict[str, Any]) -> None:
        self.work_tasks.pop(task.task_id, None)
        if not task.future.done():
            task.future.set_result(reply)

    def _matching_worker(self, task: WorkTask) -> WorkerConnection | None:
        best: tuple[int, int, str] | None = None
        chosen: WorkerConnection | None = None
        for conn in self._workers.values():
            for desc in conn.descriptions:
                if desc["name"] != task.name:
                    continue
                flt: dict[str, list[str]] = desc.get("filter") or {}
                if all(key in task.attrs and task.attrs[key] in values for key, values in flt.items()):
                    score = (-len(flt), len(conn.outstanding), conn.worker_id)
                    if best is None or score < best:
                        best, chosen = score, conn
        return chosen

    def _dispatch(self) -> None:
        loop = asyncio.get_running_loop()
        now = loop.time()
        for task in list(self.work_tasks.values()):
            if task.future.done():
                self.work_tasks.pop(task.task_id, None)
                continue
            if now >= task.deadline:
                for other in self._workers.values():
                    other.outstanding.pop(task.task_id, None)
                log.info("task %s (%s) timed out", task.task_id, task.name)
                self._finish_task(
                    task,
                    {
                        "task_id": task.task_id,
                        "result": "timeout",
                        "error": f"TimeoutError: task {task.name} got no result in time",
                    },
                )
                continue
            if task.worker is not None and task.worker in self._workers:
                continue
            conn = self._matching_worker(task)
            if conn is None:
                continue
            task.worker = conn.worker_id
            task.dispatch_count += 1
            conn.outstanding[task.task_id] = task
            frame = {"task_id": task.task_id, "task_name": task.name, "data": task.data, "attrs": task.attrs}
            bg = loop.create_task(self._send(conn.ws, "work_queue", frame, conn.worker_id))
            self._background.add(bg)
            bg.add_done_callback(self._background.discard)

    async def _dispatch_loop(self) -> None:
        while True:
            await asyncio.sleep(self.dispatch_interval)
            try:
                self._dispatch()
            except Exception:
                log.exception("task dispatch failed")

    async def submit_task(
        self,
        task_name: str,
        attrs: dict[str, str],
        data: dict[str, Any],
        timeout: float | None = None,
        *,
        expect_node_result: bool | None = None,
        graph: str = "resoto",
    ) -> dict[str, Any]:
        """Queue a work task and wait for the reply frame ({"result": "timeout"} after the deadline)."""
        loop = asyncio.get_running_loop()
        timeout = timeout if timeout is not None else DEFAULT_TASK_TIMEOUT.get(task_name, 10.0)
        task = WorkTask(
            task_id=str(uuid.uuid4()),
            name=task_name,
            attrs=dict(attrs),
            data=copy.deepcopy(data),
            deadline=loop.time() + timeout,
            future=loop.create_future(),
            graph=graph,
            expect_node_result=task_name == "tag" if expect_node_result is None else expect_node_result,
        )
        self.work_tasks[task.task_id] = task
        self._dispatch()
        try:
            return await asyncio.wait_for(asyncio.shield(task.future), timeout + self.dispatch_interval * 4)
        except TimeoutError:
            self.work_tasks.pop(task.task_id, None)
            return {"task_id": task.task_id, "result": "timeout"}

    async def tag_node(
        self,
        node_id: str,
        update: dict[str, Any] | None = None,
        delete: list[str] | None = None,
        *,
        graph: str = "resoto",
        timeout: float = 30.0,
        with_node: bool = True,
    ) -> dict[str, Any]:
        """Send a `tag` task for a stored node, built like the core does (attrs from the ancestors)."""
        attrs, node = self._graph(graph).tag_task(node_id)
        data: dict[str, Any] = (
            {"update": dict(update)} if update is not None else {"delete": list(delete or [])}
        )
        if with_node:
            data["node"] = node
        return await self.submit_task("tag", attrs, data, timeout, expect_node_result=True, graph=graph)

    # ================================================================== graph & model
    @staticmethod
    def _check_graph_name(name: str) -> str | None:
        if (
            not name
            or "_" in name
            or name.startswith("snapshot-")
            or not re.match(r"^[A-Za-z0-9.\-]+$", name)
        ):
            return f"Invalid graph name {name!r}: no '_', must not start with 'snapshot-'"
        return None

    def model(self, graph: str = "resoto") -> Model:
        model = self.models.get(graph)
        if model is None:
            if self.preload_model:
                kinds, provisional = reference_kinds()
                model = Model(kinds, provisional)
            else:
                model = Model()
            self.models[graph] = model
        return model

    def _graph(self, name: str) -> GraphStore:
        store = self.graphs.get(name)
        if store is None:
            raise KeyError(f"graph {name} does not exist")
        return store

    def create_graph(self, name: str = "resoto") -> GraphStore:
        store = self.graphs.get(name)
        if store is None:
            store = GraphStore(name, self.model(name))
            self.graphs[name] = store
        return store

    async def _h_graph_list(self, _: web.Request) -> web.Response:
        return _json_response(sorted(self.graphs))

    async def _h_graph_create(self, request: web.Request) -> web.Response:
        name = request.match_info["graph"]
        await self._read_body(request)
        error = self._check_graph_name(name)
        if error:
            self._violation(error)
            return _text(400, error)
        store = self.create_graph(name)
        root = store.node_json("root")
        return _json_response(root)

    async def _h_model_get(self, request: web.Request) -> web.Response:
        return _json_response(self.model(request.match_info["graph"]).to_json())

    async def _update_model(self, request: web.Request, replace: bool) -> web.Response:
        name = request.match_info["graph"]
        error = self._check_graph_name(name)
        if error:
            return _text(400, error)
        kinds = await self._read_json(request)
        try:
            self.model(name).update(kinds, replace=replace)
        except ModelError as ex:
            self._violation(f"{request.method} /graph/{name}/model rejected: {ex}")
            return _text(400, f"Error: {ex}")
        return _json_response({"kinds": len(self.model(name))})

    async def _h_model_put(self, request: web.Request) -> web.Response:
        return await self._update_model(request, replace=True)

    async def _h_model_patch(self, request: web.Request) -> web.Response:
        return await self._update_model(request, replace=False)

    async def _read_merge_body(self, request: web.Request, cut_after: int | None) -> bytes:
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = await request.content.read(65536)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            request[BODY_KEY] = b"".join(chunks)
            if cut_after is not None and total >= cut_after:
                raise _MergeCut()
        body = b"".join(chunks)
        request[BODY_KEY] = body
        if not request.content.is_eof():
            raise ConnectionError("body incomplete")
        return body

    @staticmethod
    def _parse_lines(body: bytes, content_type: str) -> tuple[list[str], list[Any]]:
        if content_type == "application/json":
            try:
                doc = json.loads(body)
            except ValueError as ex:
                raise MergeError(f"Can not parse JSON body: {ex}") from ex
            items = doc if isinstance(doc, list) else [doc]
            return [json.dumps(i) for i in items], items
        lines: list[str] = []
        items = []
        for number, raw in enumerate(body.split(b"\n"), start=1):
            if len(raw) > MAX_REQUEST_SIZE:
                raise MergeError(f"line {number}: line is too long ({len(raw)} bytes)")
            text = raw.decode("utf-8", errors="replace").strip()
            if not text:
                continue
            lines.append(text)
            try:
                items.append(json.loads(text))
            except ValueError as ex:
                raise MergeError(f"line {number}: not valid JSON: {ex}: {text[:200]!r}") from ex
        return lines, items

    async def _h_merge(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["graph"]
        content_type = request.content_type.lower()
        wait = request.query.get("wait_for_result", "true").lower() != "false"
        task_id = request.headers.get("Resoto-Worker-Task-Id")
        record = MergeRecord(name, dict(request.headers), self._now(), task_id, wait)
        self.merges.append(record)
        if content_type not in (*NDJSON_TYPES, "application/json"):
            record.status, record.error = 400, f"unsupported content type {content_type}"
            self._violation(f"merge: unsupported content type {content_type!r}")
            return _text(400, "Can not read graph. Currently supported formats: json and ndjson!")
        cut_after = self._merge_cuts.pop(0) if self._merge_cuts else None
        try:
            body = await self._read_merge_body(request, cut_after)
        except _MergeCut:
            record.error = f"connection cut by the simulator after {cut_after} bytes"
            log.info("merge: cutting the connection after %s bytes", cut_after)
            if request.transport is not None:
                request.transport.abort()
            return web.Response(status=499)
        except Exception as ex:
            record.error = f"incomplete body: {ex!r}"
            log.info("merge: body incomplete (%r): nothing applied", ex)
            return web.Response(status=499)
        store = self.graphs.get(name)
        if store is None:
            record.status, record.error = 404, f"graph {name} does not exist"
            self._violation(f"merge into graph {name} that was not created")
            return _text(404, f"Graph {name} does not exist")
        try:
            record.lines, items = self._parse_lines(body, content_type)
        except MergeError as ex:
            record.status, record.error = 400, str(ex)
            self._violation(f"merge rejected: {ex}")
            return _text(400, f"Error: {ex}")
        if wait:
            try:
                result = self._apply_merge(store, record, items)
            except MergeError as ex:
                record.status = 400
                return _text(400, f"Error: {ex}")
            record.status = 200
            return _json_response(result)
        record.status = 204
        if self.merge_delay > 0:
            task = asyncio.get_running_loop().create_task(self._delayed_merge(store, record, items))
            self._background.add(task)
            task.add_done_callback(self._background.discard)
        else:
            with contextlib.suppress(MergeError):
                self._apply_merge(store, record, items)
        return web.Response(status=204)

    async def _delayed_merge(self, store: GraphStore, record: MergeRecord, items: list[Any]) -> None:
        await asyncio.sleep(self.merge_delay)
        with contextlib.suppress(MergeError):
            self._apply_merge(store, record, items)

    def _apply_merge(self, store: GraphStore, record: MergeRecord, items: list[Any]) -> dict[str, int]:
        try:
            result = store.merge(items, on_warning=self._violation).to_json()
        except MergeError as ex:
            record.error = str(ex)
            self._violation(f"merge rejected: {ex}")
            raise
        record.result, record.applied = result, True
        if record.task_id:
            self.merge_counts[record.task_id] += 1
        return result

    async def _h_search(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["graph"]
        body = await self._read_body(request)
        store = self.graphs.get(name)
        if store is None:
            return _text(404, f"Graph {name} does not exist")
        text = body.decode("utf-8", errors="replace")
        self.search_queries.append(text)
        section = request.query.get("section") or None
        try:
            lines = store.search(text, section)
        except QueryError as ex:
            self._violation(f"search: can not parse query {text!r}: {ex}")
            return _text(400, f"Error: Can not parse query: {ex}")
        accept = request.headers.get("Accept", "")
        if "ndjson" in accept:
            payload = "".join(json.dumps(line) + "\n" for line in lines)
            return web.Response(text=payload, content_type="application/x-ndjson")
        return _json_response(lines)

    async def _h_patch_nodes(self, request: web.Request) -> web.Response:
        name = request.match_info["graph"]
        body = await self._read_body(request)
        store = self.graphs.get(name)
        if store is None:
            return _text(404, f"Graph {name} does not exist")
        content_type = request.content_type.lower()
        try:
            if content_type == "application/json":
                doc = json.loads(body)
                items = doc if isinstance(doc, list) else [doc]
            else:
                items = [json.loads(line) for line in body.decode("utf-8").splitlines() if line.strip()]
        except ValueError as ex:
            self._violation(f"patch nodes: body is not valid JSON: {ex}")
            return _text(400, f"Error: body is not valid JSON/ndjson: {ex}")
        self.patch_lines.extend(copy.deepcopy(i) for i in items if isinstance(i, dict))
        try:
            updated = store.patch_nodes(items)
        except PatchError as ex:
            self._violation(f"patch nodes rejected: {ex}")
            return _text(400, f"Error: {ex}")
        return _json_response(updated)

    # ================================================================== control: config, graph, faults
    async def set_config(self, config_id: str, doc: dict[str, Any]) -> str:
        """Store a config (as if a user changed it) and emit config-updated. Returns the new revision."""
        return await self._store_config(config_id, doc)

    def get_config(self, config_id: str) -> dict[str, Any] | None:
        doc = self.configs.get(config_id)
        return copy.deepcopy(doc) if doc is not None else None

    def get_config_revision(self, config_id: str) -> str | None:
        return self.config_revisions.get(config_id)

    def set_config_override(self, config_id: str, overrides: dict[str, Any] | None) -> None:
        if overrides:
            self.config_overrides[config_id] = copy.deepcopy(overrides)
        else:
            self.config_overrides.pop(config_id, None)

    def graph(self, name: str = "resoto") -> GraphView:
        """A snapshot of the stored graph (empty if it was never created)."""
        store = self.graphs.get(name)
        if store is None:
            return GraphView(name, {}, set(), lambda kind, base: kind == base)
        return store.view()

    def flag_clean(self, node_id: str, graph: str = "resoto") -> None:
        self._graph(graph).update_sections(node_id, desired={"clean": True})

    def set_protected(self, node_id: str, protected: bool = True, graph: str = "resoto") -> None:
        self._graph(graph).update_sections(node_id, metadata={"protected": protected})

    def load_graph(
        self, nodes: list[dict[str, Any]], edges: Iterable[Any] = (), graph: str = "resoto"
    ) -> None:
        """Put nodes ({id, reported, desired?, metadata?}) and edges ((from, to[, type]) or dicts) in directly."""
        self.create_graph(graph).load(nodes, edges)

    seed = load_graph

    def merge_graph(self, lines: list[Any], graph: str = "resoto") -> dict[str, int]:
        """Merge a body (parsed JSON lines) as if a worker sent it with wait_for_result=true."""
        return self.create_graph(graph).merge(lines).to_json()

    def update_model(self, kinds: list[dict[str, Any]], graph: str = "resoto", replace: bool = False) -> None:
        self.model(graph).update(kinds, replace=replace)

    def merge_count(self, task_id: str) -> int:
        return self.merge_counts.get(task_id, 0)

    def set_fault(
        self,
        endpoint_pattern: str,
        status: int = 503,
        times: int = 1,
        method: str | None = None,
        body: str | None = None,
    ) -> None:
        """The next `times` requests whose path matches the regex answer `status`."""
        self._faults.append(Fault(re.compile(endpoint_pattern), status, times, method, body))

    def clear_faults(self) -> None:
        self._faults.clear()
        self._merge_cuts.clear()
        self._ws_faults.clear()

    def cut_merge_after(self, nbytes: int, times: int = 1) -> None:
        """The next `times` merges get their connection closed after nbytes of body (nothing is applied)."""
        self._merge_cuts.extend([nbytes] * times)

    def set_ws_fault(self, channel: str, times: int = 1, close_code: int = 1011) -> None:
        """The next `times` websocket connects on channel (events|handle|work_queue) are closed at once."""
        self._ws_faults[channel] = [times, close_code]

    def requests_to(self, path_pattern: str, method: str | None = None) -> list[RecordedRequest]:
        rx = re.compile(path_pattern)
        return [
            r for r in self.requests if rx.search(r.path) and (method is None or r.method == method.upper())
        ]

    def frames_on(self, channel: str, direction: str | None = None) -> list[Frame]:
        return [
            f for f in self.frames if f.channel == channel and (direction is None or f.direction == direction)
        ]
