"""An HTTP fake of one AWS rest-json service, driven by botocore's own service model.

For services moto cannot serve with the botocore in use (Athena moved from JSON-RPC to rest-json, and
moto still answers only ``POST /``). Real botocore clients talk to it over HTTP on 127.0.0.1, so the
plugin's requests are serialised and its responses parsed exactly as against AWS.

* Requests are routed by the model's ``http.method`` and ``requestUri`` (labels ``{Name}`` and greedy
  ``{Name+}``) and decoded by the input shape: path labels, query string, headers, JSON body.
* A backend answers with a plain dict per operation (or raises :class:`AwsError`); every answer is
  validated against the operation's output shape with botocore's validator before it is sent, so a
  fake body that AWS could not send fails the test instead of passing it.
* Timestamps go out in the shape's ``timestampFormat`` (rest-json default: epoch seconds).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import botocore.session
from botocore.model import OperationModel, Shape
from botocore.validate import ParamValidator

Handler = Callable[[dict[str, Any]], dict[str, Any]]


class AwsError(Exception):
    """An AWS error answer: ``code`` is what botocore reports as ``Error.Code``."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


class FakeBodyInvalid(AssertionError):
    """A backend answered with a body the service model does not allow."""


_LABEL = re.compile(r"\{([^}]+)\}")


class _Route:
    def __init__(self, op: OperationModel) -> None:
        self.op = op
        self.method = op.http["method"]
        path, _, query = op.http["requestUri"].partition("?")
        self.literal_query = {
            k: v[0] if v else "" for k, v in parse_qs(query, keep_blank_values=True).items()
        }
        pattern, self.labels, pos = "", [], 0
        for m in _LABEL.finditer(path):
            pattern += re.escape(path[pos : m.start()])
            name = m.group(1)
            greedy = name.endswith("+")
            self.labels.append(name.rstrip("+"))
            pattern += "(.+)" if greedy else "([^/]+)"
            pos = m.end()
        pattern += re.escape(path[pos:])
        self.regex = re.compile(f"^{pattern}/?$")
        self.literal_len = len(_LABEL.sub("", path))

    def match(self, method: str, path: str, query: dict[str, list[str]]) -> dict[str, str] | None:
        if method != self.method or any(k not in query for k in self.literal_query):
            return None
        m = self.regex.match(path)
        if m is None:
            return None
        return {name: unquote(value) for name, value in zip(self.labels, m.groups(), strict=True)}


def _from_text(shape: Shape, value: str) -> Any:
    if shape.type_name in ("integer", "long"):
        return int(value)
    if shape.type_name in ("float", "double"):
        return float(value)
    if shape.type_name == "boolean":
        return value.lower() == "true"
    return value


def _to_json(shape: Shape, value: Any, default_format: str) -> Any:
    if shape.type_name == "structure":
        return {
            member.serialization.get("name", name): _to_json(member, value[name], default_format)
            for name, member in shape.members.items()
            if name in value and not member.serialization.get("location")
        }
    if shape.type_name == "list":
        return [_to_json(shape.member, v, default_format) for v in value]
    if shape.type_name == "map":
        return {k: _to_json(shape.value, v, default_format) for k, v in value.items()}
    if shape.type_name == "timestamp" and isinstance(value, datetime):
        fmt = shape.serialization.get("timestampFormat", default_format)
        return value.isoformat() if fmt == "iso8601" else value.timestamp()
    return value


class RestJsonFake:
    """One service's rest-json endpoint: ``handlers`` maps operation names to backend functions."""

    def __init__(self, service: str, handlers: dict[str, Handler]) -> None:
        self.model = botocore.session.get_session().get_service_model(service)
        if self.model.protocol != "rest-json":
            raise ValueError(f"{service} speaks {self.model.protocol}, not rest-json")
        self.handlers = handlers
        unknown = set(handlers) - set(self.model.operation_names)
        if unknown:
            raise ValueError(f"not operations of {service}: {sorted(unknown)}")
        routes = [_Route(self.model.operation_model(name)) for name in self.model.operation_names]
        self.routes = sorted(routes, key=lambda r: -r.literal_len)
        self.calls: list[str] = []
        self.errors: list[str] = []
        """Error codes answered (AWS errors the backend raised, or routing misses)."""
        self.invalid: list[str] = []
        """Bodies the backend produced that the output shape refuses (answered as HTTP 500)."""

    # -- request decoding -------------------------------------------------------------------------

    def _decode(
        self, route: _Route, labels: dict[str, str], query: dict[str, list[str]], headers: Any, body: bytes
    ) -> dict[str, Any]:
        shape = route.op.input_shape
        params: dict[str, Any] = {}
        if shape is None:
            return params
        payload = shape.serialization.get("payload")
        raw = json.loads(body) if body.strip() else {}
        for name, member in shape.members.items():
            where = member.serialization.get("location")
            wire = member.serialization.get("name", name)
            if where == "uri":
                if wire in labels:
                    params[name] = _from_text(member, labels[wire])
            elif where == "querystring":
                if wire in query:
                    values = query[wire]
                    params[name] = (
                        [_from_text(member.member, v) for v in values]
                        if member.type_name == "list"
                        else _from_text(member, values[0])
                    )
            elif where == "header":
                if headers.get(wire) is not None:
                    params[name] = _from_text(member, headers[wire])
            elif payload == name:
                params[name] = raw
            elif wire in raw:
                params[name] = raw[wire]
        return params

    # -- the server -------------------------------------------------------------------------------

    def answer(
        self, method: str, target: str, headers: Any, body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        split = urlsplit(target)
        query = parse_qs(split.query, keep_blank_values=True)
        for route in self.routes:
            labels = route.match(method, split.path, query)
            if labels is not None:
                break
        else:
            return self._error(
                AwsError("UnknownOperationException", f"no route for {method} {split.path}", 404)
            )
        name = route.op.name
        self.calls.append(name)
        handler = self.handlers.get(name)
        if handler is None:
            return self._error(
                AwsError("UnknownOperationException", f"{name} is not served by this fake", 404)
            )
        try:
            out = handler(self._decode(route, labels, query, headers, body))
        except AwsError as e:
            return self._error(e)
        shape = route.op.output_shape
        if shape is None:
            return int(route.op.http.get("responseCode", 200)), {}, b"{}"
        report = ParamValidator().validate(out, shape)
        if report.has_errors():
            raise FakeBodyInvalid(f"{name}: {report.generate_report()}")
        fmt = self.model.metadata.get("timestampFormat", "unixTimestamp")
        return 200, {"Content-Type": "application/json"}, json.dumps(_to_json(shape, out, fmt)).encode()

    def _error(self, e: AwsError) -> tuple[int, dict[str, str], bytes]:
        self.errors.append(e.code)
        body = json.dumps({"__type": e.code, "message": e.message}).encode()
        return e.status, {"Content-Type": "application/json", "x-amzn-ErrorType": e.code}, body

    @contextmanager
    def serve(self) -> Iterator[str]:
        """Serve on 127.0.0.1; yields the endpoint URL."""
        fake = self

        class _Handler(BaseHTTPRequestHandler):
            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                try:
                    status, headers, data = fake.answer(self.command, self.path, self.headers, body)
                except FakeBodyInvalid as e:
                    fake.invalid.append(str(e))
                    status, headers, data = 500, {"Content-Type": "text/plain"}, str(e).encode()
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _any

            def log_message(self, format: str, *args: Any) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, name="restjson-fake", daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}"
        finally:
            server.shutdown()
            server.server_close()
            thread.join(5)
