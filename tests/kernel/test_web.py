"""The worker's web server binds both address families for the default ``web_host`` (``::``)."""

from __future__ import annotations

import asyncio
import socket
import urllib.request

from resotoworker.web import WebServer, build_app


def get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=5) as resp:
        return int(resp.status)


async def serve_and_probe(host: str, urls: list[str]) -> tuple[list[tuple[str, int]], list[int]]:
    server = WebServer(build_app(lambda: {"core": True}, dict), host, 0, None)
    await server.start()
    try:
        port = server.bound[0][1]
        statuses = [await asyncio.to_thread(get, url.format(port=port)) for url in urls]
        return server.bound, statuses
    finally:
        await server.stop()


def ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


def test_the_default_host_serves_ipv4_and_ipv6_on_one_port() -> None:
    urls = ["http://127.0.0.1:{port}/health"] + (["http://[::1]:{port}/health"] if ipv6_loopback() else [])
    bound, statuses = asyncio.run(serve_and_probe("::", urls))
    assert statuses == [200] * len(urls)
    assert len({port for _, port in bound}) == 1, bound  # port 0: the second family takes the first's port
    assert "0.0.0.0" in {host for host, _ in bound}


def test_an_explicit_ipv4_host_binds_only_that() -> None:
    bound, statuses = asyncio.run(serve_and_probe("127.0.0.1", ["http://127.0.0.1:{port}/metrics"]))
    assert statuses == [200]
    assert [host for host, _ in bound] == ["127.0.0.1"]
