"""A fault-injecting HTTP reverse proxy between boto3 and a moto server, on 127.0.0.1 only.

Point boto3 at :attr:`AwsFaultProxy.url` instead of moto. Every request is attributed to an AWS
service by its SigV4 credential scope (``Credential=AKID/DATE/REGION/SERVICE/aws4_request`` in the
``Authorization`` header or the ``X-Amz-Credential`` query parameter) and to an operation. Then,
drawing from one seeded random generator, the proxy either forwards it unchanged or injects one
fault, at the rates of the service's :class:`FaultRule`:

* ``throttle``: the throttling error that service really returns, in its protocol's shape: EC2's
  ``RequestLimitExceeded`` (``<Response><Errors>``, 503), query-XML ``Throttling``
  (``<ErrorResponse>``, 400), JSON ``ThrottlingException`` (``__type``, 400), rest-JSON 429 with
  ``x-amzn-ErrorType`` (Lambda: ``TooManyRequestsException``), S3 ``SlowDown`` (503), Route 53 and
  CloudFront ``Throttling`` (400), CBOR (CloudWatch) ``ThrottlingException`` (400);
* ``server_error`` (500 ``InternalFailure``) and ``unavailable`` (503 ``ServiceUnavailable``),
  shaped the same way;
* ``reset``: the TCP connection is aborted with an RST before any response byte;
* ``slow``: the request is forwarded, but only after ``slow_seconds``.

Besides the random rates, a plan can name single operations (``FaultPlan.operations``,
``"ec2:DescribeVolumes": "denied"``) that answer one fault every time: ``denied`` is the access
error the service really returns (EC2 ``UnauthorizedOperation``, query-XML and S3 ``AccessDenied``,
JSON ``AccessDeniedException``, all 403), or any of the faults above.

Counters of everything seen and injected are available as :meth:`AwsFaultProxy.stats` and, for a
proxy in another process, as JSON at ``GET /__faults__/stats``. ``POST /__faults__/plan`` replaces
the plan and ``POST /__faults__/reset-stats`` zeroes the counters. Paths under ``/moto-api/`` pass
through untouched and uncounted.

Run standalone: ``python tests/faults/aws_proxy.py --upstream http://127.0.0.1:5000 --port 5001
--throttle 0.2 --rule ec2:throttle=0.5,slow=0.1 --seed 7``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import random
import re
import socket
import struct
import threading
import urllib.parse
import uuid
from collections import Counter
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from aiohttp import ClientSession, ClientTimeout, TCPConnector, web

log = logging.getLogger(__name__)

FAULTS = ("throttle", "server_error", "unavailable", "reset", "slow")
CONTROL_PREFIX = "/__faults__/"
_SCOPE = re.compile(r"Credential=[^/,\s]+/\d{8}/([^/,\s]+)/([^/,\s]+)/aws4_request")
_HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "content-length",
    }
)


@dataclass
class FaultRule:
    """Injection rates (0..1, summed at most 1) for one service, and the delay of a slow response."""

    throttle: float = 0.0
    server_error: float = 0.0
    unavailable: float = 0.0
    reset: float = 0.0
    slow: float = 0.0
    slow_seconds: float = 0.5

    def __post_init__(self) -> None:
        rates = [getattr(self, f) for f in FAULTS]
        if any(r < 0 for r in rates) or sum(rates) > 1.0 + 1e-9:
            raise ValueError(f"fault rates must be >= 0 and sum to at most 1: {self}")
        if self.slow_seconds < 0:
            raise ValueError("slow_seconds must be >= 0")

    def pick(self, draw: float) -> str | None:
        """The fault for a uniform draw in [0, 1), or ``None`` to forward normally."""
        edge = 0.0
        for name in FAULTS:
            edge += getattr(self, name)
            if draw < edge:
                return name
        return None


@dataclass
class FaultPlan:
    """Which rule applies to which service (by SigV4 signing name: ``ec2``, ``monitoring``, ...)."""

    default: FaultRule = field(default_factory=FaultRule)
    services: dict[str, FaultRule] = field(default_factory=dict)
    seed: int = 0
    operations: dict[str, str] = field(default_factory=dict)
    """``"service:Operation"`` -> the fault it answers every time (``denied``, ``server_error``, ...)."""

    def __post_init__(self) -> None:
        for key, fault in self.operations.items():
            if fault not in (*FAULTS, "denied") or ":" not in key:
                raise ValueError(f"operation fault {key}={fault} is not service:Operation=<fault>")

    def rule_for(self, service: str) -> FaultRule:
        return self.services.get(service, self.default)

    def to_json(self) -> dict[str, Any]:
        return {
            "default": asdict(self.default),
            "services": {k: asdict(v) for k, v in self.services.items()},
            "seed": self.seed,
            "operations": dict(self.operations),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FaultPlan:
        return cls(
            default=FaultRule(**data.get("default", {})),
            services={k: FaultRule(**v) for k, v in data.get("services", {}).items()},
            seed=int(data.get("seed", 0)),
            operations={str(k): str(v) for k, v in data.get("operations", {}).items()},
        )


@dataclass(frozen=True)
class RequestInfo:
    """What the proxy learned about one request."""

    service: str
    region: str
    operation: str
    protocol: str  # ec2, query, json, cbor, rest-json, rest-xml, s3


def parse_request(method: str, path: str, query: str, headers: dict[str, str], body: bytes) -> RequestInfo:
    """Attribute a request to its service, region, operation and wire protocol."""
    lower = {k.lower(): v for k, v in headers.items()}
    params = urllib.parse.parse_qs(query)
    scope = _SCOPE.search(lower.get("authorization", ""))
    if scope is None and "X-Amz-Credential" in params:
        scope = _SCOPE.search("Credential=" + params["X-Amz-Credential"][0])
    region, service = scope.groups() if scope else ("unknown", "unknown")
    content_type = lower.get("content-type", "")
    if lower.get("smithy-protocol", "") == "rpc-v2-cbor":
        return RequestInfo(service, region, path.rstrip("/").rsplit("/", 1)[-1], "cbor")
    if "x-amz-target" in lower:
        return RequestInfo(service, region, lower["x-amz-target"].rsplit(".", 1)[-1], "json")
    action = params.get("Action", [""])[0]
    if not action and "x-www-form-urlencoded" in content_type:
        action = urllib.parse.parse_qs(body.decode("utf-8", "replace")).get("Action", [""])[0]
    if action:
        return RequestInfo(service, region, action, "ec2" if service == "ec2" else "query")
    first = "/".join(p for p in path.split("/")[1:3] if p and not p[0].isdigit())
    operation = f"{method} /{first}"
    if service == "s3":
        return RequestInfo(service, region, f"{method} {'object' if path.count('/') > 1 else 'bucket'}", "s3")
    if service in ("route53", "cloudfront"):
        return RequestInfo(service, region, operation, "rest-xml")
    return RequestInfo(service, region, operation, "rest-json")


# -- error bodies -------------------------------------------------------------------------------

_THROTTLE_CODES = {"ec2": "RequestLimitExceeded", "s3": "SlowDown", "lambda": "TooManyRequestsException"}
_THROTTLE_MESSAGES = {
    "RequestLimitExceeded": "Request limit exceeded.",
    "SlowDown": "Please reduce your request rate.",
    "TooManyRequestsException": "Rate exceeded",
    "Throttling": "Rate exceeded",
    "ThrottlingException": "Rate exceeded",
}


def _cbor_head(major: int, length: int) -> bytes:
    if length < 24:
        return bytes([major << 5 | length])
    if length < 0x100:
        return bytes([major << 5 | 24, length])
    if length < 0x10000:
        return bytes([major << 5 | 25]) + struct.pack(">H", length)
    return bytes([major << 5 | 26]) + struct.pack(">I", length)


def cbor_string_map(values: dict[str, str]) -> bytes:
    """Encode a map of text strings as CBOR (RFC 8949 major types 5 and 3): all a CBOR error needs."""
    out = bytearray(_cbor_head(5, len(values)))
    for key, value in values.items():
        for text in (key, value):
            raw = text.encode()
            out += _cbor_head(3, len(raw)) + raw
    return bytes(out)


def error_response(info: RequestInfo, fault: str) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body of the injected ``fault`` in the shape ``info.protocol`` uses."""
    request_id = str(uuid.uuid4())
    if fault == "throttle":
        code = _THROTTLE_CODES.get(info.service) or {
            "query": "Throttling",
            "rest-xml": "Throttling",
        }.get(info.protocol, "ThrottlingException")
        if info.protocol == "ec2" or info.protocol == "s3":
            status = 503
        elif info.protocol == "rest-json":
            status = 429
        else:
            status = 400
        message = _THROTTLE_MESSAGES[code]
        sender = "Sender"
    elif fault == "denied":
        code, status, sender = "AccessDenied", 403, "Sender"
        message = "User is not authorized to perform this operation (explicit deny in a policy)"
        if info.protocol == "ec2":
            code = "UnauthorizedOperation"
        elif info.protocol in ("json", "rest-json", "cbor"):
            code = "AccessDeniedException"
    elif fault == "server_error":
        code, status, message, sender = "InternalFailure", 500, "An internal error occurred.", "Receiver"
        if info.protocol in ("ec2", "s3"):
            code = "InternalError"
    else:
        code, status, message, sender = "ServiceUnavailable", 503, "Service is unavailable.", "Receiver"
    headers = {"x-amzn-RequestId": request_id}
    if info.protocol == "ec2":
        xml = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error>'
            f"<Code>{code}</Code><Message>{message}</Message></Error></Errors>"
            f"<RequestID>{request_id}</RequestID></Response>"
        )
        return status, {"Content-Type": "text/xml;charset=UTF-8"}, xml.encode()
    if info.protocol == "s3":
        xml = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<Error>'
            f"<Code>{code}</Code><Message>{message}</Message><RequestId>{request_id}</RequestId>"
            f"<HostId>{uuid.uuid4().hex}</HostId></Error>"
        )
        return status, {"Content-Type": "application/xml", "x-amz-request-id": request_id}, xml.encode()
    if info.protocol in ("query", "rest-xml"):
        xml = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Error>'
            f"<Type>{sender}</Type><Code>{code}</Code><Message>{message}</Message></Error>"
            f"<RequestId>{request_id}</RequestId></ErrorResponse>"
        )
        return status, {**headers, "Content-Type": "text/xml"}, xml.encode()
    if info.protocol == "cbor":
        body = cbor_string_map({"__type": f"com.amazonaws.{info.service}#{code}", "message": message})
        return status, {**headers, "Content-Type": "application/cbor", "smithy-protocol": "rpc-v2-cbor"}, body
    if info.protocol == "rest-json":
        payload: dict[str, str] = {"message": message}
        if code == "TooManyRequestsException":
            payload |= {"Type": "User", "Reason": "CallerRateLimitExceeded"}
        headers["x-amzn-ErrorType"] = (
            f"{code}:http://internal.amazon.com/coral/com.amazon.coral.availability/"
        )
        return status, {**headers, "Content-Type": "application/json"}, json.dumps(payload).encode()
    body_json = {"__type": f"com.amazonaws.{info.service}#{code}", "message": message}
    return status, {**headers, "Content-Type": "application/x-amz-json-1.1"}, json.dumps(body_json).encode()


# -- the proxy ----------------------------------------------------------------------------------


class AwsFaultProxy:
    """The proxy. Use as a context manager (runs on its own event-loop thread) or via :meth:`serve`."""

    def __init__(self, upstream: str, plan: FaultPlan | None = None, host: str = "127.0.0.1", port: int = 0):
        if not upstream.startswith(("http://127.", "http://localhost")):
            raise ValueError(f"upstream must be a loopback http URL, got {upstream!r}")
        if not host.startswith("127.") and host != "localhost":
            raise ValueError("the proxy listens on loopback only")
        self.upstream = upstream.rstrip("/")
        self.host = host
        self.port = port
        self._lock = threading.Lock()
        self._plan = plan or FaultPlan()
        self._random = random.Random(self._plan.seed)
        self.requests: Counter[str] = Counter()  # service -> requests seen
        self.operations: Counter[tuple[str, str]] = Counter()  # (service, operation) -> requests seen
        self.injected: Counter[tuple[str, str]] = Counter()  # (service, fault) -> injected
        self._runner: web.AppRunner | None = None
        self._session: ClientSession | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def plan(self) -> FaultPlan:
        return self._plan

    def set_plan(self, plan: FaultPlan) -> None:
        """Replace the plan; the random generator restarts from the new plan's seed."""
        with self._lock:
            self._plan = plan
            self._random = random.Random(plan.seed)

    def reset_stats(self) -> None:
        with self._lock:
            self.requests.clear()
            self.operations.clear()
            self.injected.clear()

    def stats(self) -> dict[str, Any]:
        """A JSON-able snapshot of the counters."""
        with self._lock:
            return {
                "requests": sum(self.requests.values()),
                "injected": sum(self.injected.values()),
                "by_service": dict(sorted(self.requests.items())),
                "by_operation": {f"{s}:{o}": n for (s, o), n in sorted(self.operations.items())},
                "injected_by": {f"{s}:{f}": n for (s, f), n in sorted(self.injected.items())},
            }

    def _decide(self, info: RequestInfo) -> tuple[str | None, float]:
        with self._lock:
            self.requests[info.service] += 1
            self.operations[(info.service, info.operation)] += 1
            rule = self._plan.rule_for(info.service)
            fault = self._plan.operations.get(f"{info.service}:{info.operation}") or rule.pick(
                self._random.random()
            )
            if fault is not None:
                self.injected[(info.service, fault)] += 1
            return fault, rule.slow_seconds

    # -- aiohttp --------------------------------------------------------------------------
    def make_app(self) -> web.Application:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        return app

    async def _control(self, request: web.Request) -> web.StreamResponse:
        what = request.path[len(CONTROL_PREFIX) :]
        if what == "stats" and request.method == "GET":
            return web.json_response(self.stats())
        if what == "plan" and request.method == "GET":
            return web.json_response(self._plan.to_json())
        if what == "plan" and request.method == "POST":
            try:
                self.set_plan(FaultPlan.from_json(await request.json()))
            except (ValueError, TypeError) as exc:
                return web.json_response({"error": str(exc)}, status=400)
            return web.json_response(self._plan.to_json())
        if what == "reset-stats" and request.method == "POST":
            self.reset_stats()
            return web.json_response({"ok": True})
        return web.json_response({"error": "unknown control path"}, status=404)

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if request.path.startswith(CONTROL_PREFIX):
            return await self._control(request)
        body = await request.read()
        if request.path.startswith("/moto-api/"):
            return await self._forward(request, body)
        info = parse_request(request.method, request.path, request.query_string, dict(request.headers), body)
        fault, delay = self._decide(info)
        if fault == "reset":
            self._abort(request)
            return web.Response(status=500)  # never sent: the connection is gone
        if fault == "slow":
            await asyncio.sleep(delay)
        elif fault is not None:
            status, headers, payload = error_response(info, fault)
            return web.Response(status=status, headers=headers, body=payload)
        return await self._forward(request, body)

    @staticmethod
    def _abort(request: web.Request) -> None:
        transport = request.transport
        if transport is None:
            return
        sock = transport.get_extra_info("socket")
        if sock is not None:
            try:  # linger 0: close() sends an RST instead of a FIN
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            except OSError:
                pass
        transport.abort()

    async def _forward(self, request: web.Request, body: bytes) -> web.StreamResponse:
        assert self._session is not None
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP_BY_HOP}
        async with self._session.request(
            request.method,
            self.upstream + request.rel_url.raw_path_qs,
            headers=headers,
            data=body if body else None,
            allow_redirects=False,
        ) as upstream:
            payload = await upstream.read()
            out_headers = [(k, v) for k, v in upstream.headers.items() if k.lower() not in _HOP_BY_HOP]
            response = web.Response(status=upstream.status, body=payload)
            response.headers.clear()
            for key, value in out_headers:
                response.headers.add(key, value)
            return response

    async def start_async(self) -> None:
        """Start serving on the current event loop."""
        self._session = ClientSession(
            connector=TCPConnector(limit=64),
            auto_decompress=False,
            timeout=ClientTimeout(total=300),
            skip_auto_headers=("User-Agent", "Accept-Encoding", "Content-Type"),
        )
        self._runner = web.AppRunner(self.make_app(), access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        server = site._server
        if self.port == 0 and server is not None:
            self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
        log.info("fault proxy on %s -> %s", self.url, self.upstream)

    async def stop_async(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def serve(self) -> None:
        """Serve until :meth:`stop` is called (or forever, from the command line)."""
        self._stop = asyncio.Event()
        self._loop = asyncio.get_running_loop()
        await self.start_async()
        self._ready.set()
        try:
            await self._stop.wait()
        finally:
            await self.stop_async()

    # -- thread mode ----------------------------------------------------------------------
    def start(self) -> AwsFaultProxy:
        """Run the proxy on a background thread; returns once it accepts connections."""
        self._thread = threading.Thread(target=lambda: asyncio.run(self.serve()), name="aws-fault-proxy")
        self._thread.daemon = True
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("fault proxy did not start")
        return self

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(10)
            self._thread = None

    def __enter__(self) -> AwsFaultProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def parse_rule(text: str) -> tuple[str, FaultRule]:
    """``ec2:throttle=0.5,slow=0.1`` -> ``("ec2", FaultRule(throttle=0.5, slow=0.1))``."""
    service, _, spec = text.partition(":")
    known = {f.name for f in fields(FaultRule)}
    values: dict[str, float] = {}
    for part in filter(None, spec.split(",")):
        key, _, value = part.partition("=")
        if key not in known:
            raise ValueError(f"unknown fault {key!r}; known: {sorted(known)}")
        values[key] = float(value)
    return service, FaultRule(**values)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="AWS fault-injection proxy (loopback only)")
    parser.add_argument("--upstream", required=True, help="moto server URL, e.g. http://127.0.0.1:5000")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--seed", type=int, default=0)
    for name in FAULTS:
        parser.add_argument(f"--{name.replace('_', '-')}", type=float, default=0.0, help=f"{name} rate")
    parser.add_argument("--slow-seconds", type=float, default=0.5)
    parser.add_argument("--rule", action="append", default=[], help="SERVICE:fault=rate,... (repeatable)")
    parser.add_argument("--port-file", help="write the bound port here once listening")
    args = parser.parse_args(argv)
    default = FaultRule(
        **{name: getattr(args, name) for name in FAULTS},
        slow_seconds=args.slow_seconds,
    )
    plan = FaultPlan(default=default, services=dict(parse_rule(r) for r in args.rule), seed=args.seed)
    logging.basicConfig(level=logging.WARNING)
    proxy = AwsFaultProxy(args.upstream, plan, port=args.port)

    async def run() -> None:
        task = asyncio.create_task(proxy.serve())
        while not proxy._ready.is_set():
            await asyncio.sleep(0.01)
        if args.port_file:
            with open(args.port_file, "w", encoding="utf-8") as fh:
                fh.write(str(proxy.port))
        await task

    asyncio.run(run())


if __name__ == "__main__":
    main()
