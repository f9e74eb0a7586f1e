"""The worker's own web server: ``/health``, ``/metrics`` and ``/info`` (protocol §9)."""

from __future__ import annotations

import errno
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
        """Listen on ``host``; ``::`` (the default) and ``""`` mean every address of both families.

        asyncio marks an IPv6 socket ``IPV6_V6ONLY``, so ``::`` alone would refuse 127.0.0.1: the
        wildcard binds ``::`` and ``0.0.0.0`` on one port. A host without IPv6 gets IPv4 only.
        Raises :class:`OSError` when the port cannot be had (nothing stays bound then).
        """
        self._runner = web.AppRunner(self.app, access_log=None)
        await self._runner.setup()
        hosts = list(DUAL_STACK) if self.host in ("", "::") else [self.host]
        port = self.port
        try:
            for host in hosts:
                site = web.TCPSite(self._runner, host, port, ssl_context=self.ssl_context)
                try:
                    await site.start()
                except OSError as exc:
                    if host == "::" and len(hosts) > 1 and exc.errno in NO_IPV6:  # IPv4 still serves
                        log.info("web server: IPv6 is not available here (%s); listening on IPv4 only", exc)
                        continue
                    raise
                server = getattr(site, "_server", None)
                for sock in getattr(server, "sockets", None) or []:
                    name = sock.getsockname()
                    self.bound.append((name[0], name[1]))
                    port = name[1]  # with port 0, the second family takes the port the first got
        except BaseException:
            await self.stop()
            raise
        scheme = "https" if self.ssl_context else "http"
        log.info(
            "web server listening on %s", ", ".join(f"{scheme}://{_netloc(h, p)}" for h, p in self.bound)
        )

    async def stop(self) -> None:
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()


DUAL_STACK = ("::", "0.0.0.0")
"""What ``web_host`` ``::`` binds: every address of both families."""
NO_IPV6 = frozenset({errno.EAFNOSUPPORT, errno.EADDRNOTAVAIL, errno.EPROTONOSUPPORT})
"""What binding ``::`` fails with on a host without IPv6 (anything else, e.g. a taken port, is raised)."""


def _netloc(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
