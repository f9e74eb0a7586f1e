"""The worker's own web server: ``/health``, ``/metrics`` and ``/info`` (protocol §9)."""

from __future__ import annotations

import logging
import ssl
from collections.abc import Callable
from typing import Any

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from resotoworker import metrics

log = logging.getLogger(__name__)


def build_app(
    health: Callable[[], dict[str, bool]], info: Callable[[], dict[str, Any]], path: str = "/"
) -> web.Application:
    async def get_health(_: web.Request) -> web.Response:
        failing = [name for name, ok in health().items() if not ok]
        if not failing:
            return web.Response(text="ok\r\n")
        body = "not ok\r\n\r\n" + "".join(f"- {name}\r\n" for name in failing)
        return web.Response(text=body, status=503)

    async def get_metrics(_: web.Request) -> web.Response:
        resp = web.Response(body=generate_latest(metrics.REGISTRY))
        resp.headers["Content-Type"] = CONTENT_TYPE_LATEST
        return resp

    async def get_info(_: web.Request) -> web.Response:
        return web.json_response(info())

    routes = [("health", get_health), ("metrics", get_metrics), ("info", get_info)]
    app = web.Application()
    prefixes = {"/"} | ({"/" + path.strip("/") + "/"} if path.strip("/") else set())
    for prefix in prefixes:
        for name, handler in routes:
            app.router.add_get(f"{prefix}{name}", handler)
    return app


class WebServer:
    def __init__(
        self, app: web.Application, host: str, port: int, ssl_context: ssl.SSLContext | None
    ) -> None:
        self.app = app
        self.host = host
        self.port = port
        self.ssl_context = ssl_context
        self._runner: web.AppRunner | None = None
        self.bound: list[tuple[str, int]] = []

    async def start(self) -> None:
        self._runner = web.AppRunner(self.app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host or None, self.port, ssl_context=self.ssl_context)
        await site.start()
        server = getattr(site, "_server", None)
        for sock in getattr(server, "sockets", None) or []:
            name = sock.getsockname()
            self.bound.append((name[0], name[1]))
        scheme = "https" if self.ssl_context else "http"
        log.info("web server listening on %s", ", ".join(f"{scheme}://[{h}]:{p}" for h, p in self.bound))

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
