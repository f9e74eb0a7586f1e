"""A recording reverse proxy in front of moto: every AWS call the plugin makes, in order.

It is the fault proxy of ``tests/faults`` with no faults planned, plus a log of each forwarded
request (service, operation, the query/form parameters of EC2-style calls, HTTP status), appended
when moto's answer arrives. The plugin builds its own boto3 clients, so a proxy on the wire is the
one place that sees every call without wrapping any of the plugin's code.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass

from aiohttp import web
from faults.aws_proxy import CONTROL_PREFIX, AwsFaultProxy, parse_request


@dataclass(frozen=True)
class RecordedCall:
    service: str
    operation: str
    method: str
    path: str
    params: dict[str, str]
    """Query-string and form parameters (the whole request of EC2 and other query-protocol calls)."""
    status: int

    def param_values(self) -> set[str]:
        return set(self.params.values())


class RecordingProxy(AwsFaultProxy):
    """Forwards to moto unchanged; :attr:`calls` lists what passed, in the order it was answered."""

    def __init__(self, upstream: str) -> None:
        super().__init__(upstream)
        self.calls: list[RecordedCall] = []

    def __enter__(self) -> RecordingProxy:
        self.start()
        return self

    def clear(self) -> None:
        with self._lock:
            self.calls.clear()

    def find(self, operation: str, value: str | None = None, ok: bool = True) -> list[int]:
        """Positions of the calls of ``operation`` (carrying ``value`` as some parameter)."""
        with self._lock:
            return [
                i
                for i, c in enumerate(self.calls)
                if c.operation == operation
                and (value is None or value in c.param_values())
                and (not ok or c.status < 300)
            ]

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if request.path.startswith((CONTROL_PREFIX, "/moto-api/")):
            return await super()._handle(request)
        body = await request.read()  # aiohttp keeps it: the parent reads the same bytes again
        info = parse_request(request.method, request.path, request.query_string, dict(request.headers), body)
        params = {k: v[0] for k, v in urllib.parse.parse_qs(request.query_string).items()}
        if "x-www-form-urlencoded" in request.headers.get("Content-Type", ""):
            form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
            params.update({k: v[0] for k, v in form.items()})
        response = await super()._handle(request)
        call = RecordedCall(
            info.service, info.operation, request.method, request.path, params, response.status
        )
        with self._lock:
            self.calls.append(call)
        return response
