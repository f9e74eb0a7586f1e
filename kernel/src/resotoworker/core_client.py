"""The kernel's only connection to resotocore: HTTP calls and websocket handshakes (protocol §1-§7).

Every request carries the PSK token when a PSK is set. Calls that change the core's graph retry with
exponential backoff on connection errors and 5xx answers; a 401/403 raises
:class:`~resotoworker.errors.AuthenticationError` (retrying cannot fix a wrong PSK).
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import ssl
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import aiohttp

from resotoworker import metrics
from resotoworker.auth import TokenSource
from resotoworker.background import Background
from resotoworker.errors import AuthenticationError, CoreRequestError, CoreUnavailable

log = logging.getLogger(__name__)

CONFIG_QUERY = "separate_overrides=true&apply_overrides=true&resolve_env_vars=true&include_raw_config=true"
RETRY_STATUS = frozenset({500, 502, 503, 504, 429})


def backoff_delays(base: float = 0.5, cap: float = 5.0) -> AsyncIterator[float]:
    """Exponential backoff with full jitter, capped: 0.5, 1, 2, 4, 5, 5, ... seconds (randomised)."""

    async def gen() -> AsyncIterator[float]:
        delay = base
        while True:
            yield random.uniform(delay / 2, delay)
            delay = min(cap, delay * 2)

    return gen()


class CoreClient:
    """HTTP and websocket access to one core. Create inside a running event loop; ``await close()``."""

    def __init__(
        self,
        uri: str,
        psk: str | None = None,
        *,
        ssl_context: ssl.SSLContext | bool = True,
        retries: int = 5,
        retry_cap: float = 10.0,
    ) -> None:
        self.uri = uri.rstrip("/")
        parts = urlsplit(self.uri)
        self.https = parts.scheme == "https"
        ws_scheme = "wss" if self.https else "ws"
        self.ws_uri = urlunsplit((ws_scheme, parts.netloc, parts.path, "", "")).rstrip("/")
        self.tokens = TokenSource(psk)
        self.ssl_context: ssl.SSLContext | bool = ssl_context
        self.retries = retries
        self.retry_cap = retry_cap
        self._session: aiohttp.ClientSession | None = None
        self._closing = Background()

    # -- session ------------------------------------------------------------------------------

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(ssl=self.ssl_context, limit=32)
            self._session = aiohttp.ClientSession(
                connector=connector, timeout=aiohttp.ClientTimeout(total=None, sock_connect=10)
            )
        return self._session

    def use_ssl(self, context: ssl.SSLContext | bool) -> None:
        """Switch TLS verification (after the CA is known); the next request opens a new session."""
        self.ssl_context = context
        if self._session is not None and not self._session.closed:
            old = self._session
            self._session = None
            self._closing.start(old.close())

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    def headers(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        headers = dict(self.tokens.headers())
        if extra:
            headers.update(extra)
        return headers

    # -- plumbing -----------------------------------------------------------------------------

    async def request(
        self,
        method: str,
        path: str,
        *,
        endpoint: str,
        data: Any = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
        ok: tuple[int, ...] = (200,),
        retries: int | None = None,
        allow: tuple[int, ...] = (),
        body_factory: Any = None,
    ) -> tuple[int, bytes, Mapping[str, str]]:
        """Send a request; retry connection errors and 5xx with backoff. Returns status, body, headers."""
        attempts = (self.retries if retries is None else retries) + 1
        delays = backoff_delays(cap=self.retry_cap)
        last: Exception | None = None
        for attempt in range(attempts):
            try:
                body = body_factory() if body_factory is not None else data
                if json_body is not None:
                    body = json.dumps(json_body, separators=(",", ":"))
                async with self.session.request(
                    method, self.uri + path, data=body, headers=self.headers(headers)
                ) as resp:
                    content = await resp.read()
                    if resp.status in ok or resp.status in allow:
                        return resp.status, content, resp.headers
                    if resp.status in (401, 403):
                        metrics.CORE_ERRORS.labels(endpoint).inc()
                        raise AuthenticationError(
                            f"the core refused our credentials for {endpoint} ({resp.status})",
                            hint="check --psk / RESOTOWORKER_PSK",
                        )
                    text = content[:300].decode("utf-8", "replace").strip()
                    error = CoreRequestError(
                        f"{endpoint}: core answered {resp.status}: {text}", status=resp.status
                    )
                    if resp.status not in RETRY_STATUS:
                        metrics.CORE_ERRORS.labels(endpoint).inc()
                        raise error
                    last = error
            except (aiohttp.ClientConnectionError, aiohttp.ClientPayloadError, TimeoutError) as exc:
                last = CoreUnavailable(f"{endpoint}: {type(exc).__name__}: {exc}")
            metrics.CORE_ERRORS.labels(endpoint).inc()
            if attempt + 1 < attempts:
                delay = await anext(delays)
                log.warning("%s failed (%s); retrying in %.1f s", endpoint, last, delay)
                await asyncio.sleep(delay)
        assert last is not None
        raise last

    # -- startup ------------------------------------------------------------------------------

    async def wait_ready(self, timeout: float = 300.0, interval: float = 2.0) -> None:
        """Poll ``/system/ready`` until it answers 200; raise :class:`CoreUnavailable` once ``timeout``
        seconds have passed (the last try and the pauses between tries never go beyond it)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        last = "no answer"
        while True:
            try:
                async with self.session.get(
                    self.uri + "/system/ready",
                    ssl=not self.https,
                    timeout=aiohttp.ClientTimeout(total=min(5.0, max(0.1, deadline - loop.time()))),
                ) as resp:
                    if resp.status == 200:
                        return
                    last = f"answered {resp.status}"
            except (aiohttp.ClientError, TimeoutError, OSError) as exc:
                last = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise CoreUnavailable(
                    f"the core at {self.uri} was not ready within {timeout:g} s ({last})",
                    hint="check --resotocore-uri and that resotocore is running",
                )
            log.info("waiting for the core at %s (%s)", self.uri, last)
            await asyncio.sleep(min(interval, remaining))

    # -- config -------------------------------------------------------------------------------

    async def get_config(
        self, config_id: str
    ) -> tuple[dict[str, Any] | None, dict[str, Any] | None, str | None]:
        """The config as ``(effective, raw, revision)``; ``(None, None, None)`` when it does not exist."""
        status, body, headers = await self.request(
            "GET", f"/config/{quote(config_id)}?{CONFIG_QUERY}", endpoint="config", allow=(404,)
        )
        if status == 404:
            return None, None, None
        doc = json.loads(body)
        if not isinstance(doc, dict):
            raise CoreRequestError("config: the core answered something that is not an object")
        effective = doc.get("config") if "config" in doc else doc
        raw = doc.get("raw_config") or effective
        return effective, raw, headers.get("Resoto-Config-Revision")

    async def put_config(self, config_id: str, document: dict[str, Any]) -> str | None:
        _, _, headers = await self.request(
            "PUT",
            f"/config/{quote(config_id)}",
            endpoint="config",
            json_body=document,
            headers={"Content-Type": "application/json"},
        )
        return headers.get("Resoto-Config-Revision")

    async def patch_config_model(self, kinds: list[dict[str, Any]]) -> None:
        await self.request(
            "PATCH",
            "/configs/model",
            endpoint="config_model",
            json_body=kinds,
            headers={"Content-Type": "application/json"},
        )

    # -- subscriptions ------------------------------------------------------------------------

    async def register(self, subscriber_id: str, action: str, timeout: int) -> None:
        await self.request(
            "POST",
            f"/subscriber/{quote(subscriber_id)}/{quote(action)}?timeout={timeout}&wait_for_completion=True",
            endpoint="subscribe",
            headers={"Accept": "application/json"},
            retries=0,
        )

    async def ws_connect(self, path: str) -> aiohttp.ClientWebSocketResponse:
        return await self.session.ws_connect(
            self.ws_uri + path, headers=self.headers(), heartbeat=20.0, max_msg_size=0, autoping=True
        )

    # -- graph --------------------------------------------------------------------------------

    async def create_graph(self, graph: str) -> None:
        await self.request(
            "POST",
            f"/graph/{quote(graph)}",
            endpoint="graph_create",
            headers={"Accept": "application/json", "Content-Type": "application/json"},
            data=b"",
        )

    async def patch_model(self, graph: str, kinds: list[dict[str, Any]]) -> None:
        """Merge our kinds into the graph model (PATCH, never PUT: PUT would delete other workers' kinds)."""
        await self.request(
            "PATCH",
            f"/graph/{quote(graph)}/model",
            endpoint="model",
            json_body=kinds,
            headers={"Content-Type": "application/json"},
        )

    async def merge(self, graph: str, parts: list[Path], *, nodes: int, edges: int, task_id: str) -> None:
        """Stream one account's ndjson merge body (the files ``parts``, in order); resent whole on a retry."""

        async def chunks() -> AsyncIterator[bytes]:
            for part in parts:
                with open(part, "rb") as f:
                    while chunk := await asyncio.to_thread(f.read, 1 << 18):
                        yield chunk

        await self.request(
            "POST",
            f"/graph/{quote(graph)}/merge?wait_for_result=false",
            endpoint="merge",
            body_factory=chunks,
            headers={
                "Content-Type": "application/x-ndjson",
                "Resoto-Worker-Nodes": str(nodes),
                "Resoto-Worker-Edges": str(edges),
                "Resoto-Worker-Task-Id": task_id,
            },
            ok=(200, 204),
        )

    async def search_graph(self, graph: str, query: str) -> list[dict[str, Any]]:
        """Run a graph search (nodes and edges, ndjson) and return the parsed lines."""
        _, body, _ = await self.request(
            "POST",
            f"/graph/{quote(graph)}/search/graph?section=reported",
            endpoint="search",
            data=query.encode(),
            headers={"Accept": "application/x-ndjson", "Content-Type": "text/plain"},
        )
        result = []
        for line in body.splitlines():
            line = line.strip()
            if line:
                item = json.loads(line)
                if isinstance(item, dict):
                    result.append(item)
                elif isinstance(item, list):  # a core answering with a JSON array
                    result.extend(i for i in item if isinstance(i, dict))
        return result

    async def patch_nodes(self, graph: str, changes: list[dict[str, Any]]) -> None:
        if not changes:
            return
        body = b"".join(json.dumps(c, separators=(",", ":")).encode() + b"\n" for c in changes)
        await self.request(
            "PATCH",
            f"/graph/{quote(graph)}/nodes",
            endpoint="patch_nodes",
            data=body,
            headers={"Content-Type": "application/x-ndjson"},
        )

    # -- TLS bootstrap ------------------------------------------------------------------------

    async def fetch_ca(self) -> tuple[bytes, str | None]:
        """``GET /ca/cert`` without verification: the PEM and the core's signed fingerprint token."""
        async with self.session.get(self.uri + "/ca/cert", ssl=False) as resp:
            if resp.status != 200:
                raise CoreRequestError(f"ca/cert: core answered {resp.status}", status=resp.status)
            return await resp.read(), resp.headers.get("Authorization")

    async def sign_csr(self, csr_pem: bytes) -> bytes:
        _, body, _ = await self.request("POST", "/ca/sign", endpoint="ca_sign", data=csr_pem, retries=2)
        return body
