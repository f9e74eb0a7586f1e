"""An HTTP fake of one AWS service for the kinds moto cannot serve, on 127.0.0.1.

The test gives canned answers per operation, in the form botocore's parser returns them (datetimes
included). Every answer is checked against the operation's output shape with botocore's own
``ParamValidator`` (what ``Stubber`` does) before it is served, then encoded the way the service's
protocol puts it on the wire (``json``, ``rest-json``, ``rest-xml`` or ``query``), so the plugin reads
it through a real botocore client over HTTP. Requests are routed by ``X-Amz-Target`` (json), the
``Action`` form field (query) or by method and the operation's ``requestUri`` (rest protocols);
every request is recorded.

    with FakeService("sagemaker", {"ListApps": {"Apps": [...]}}) as fake:
        monkeypatch.setenv(fake.env_var, fake.url)   # only this service goes to the fake
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit
from xml.sax.saxutils import escape

import botocore.session
import pytest
from botocore.model import ListShape, MapShape, OperationModel, ServiceModel, Shape, StructureShape
from botocore.validate import ParamValidator

Answer = Mapping[str, Any] | Callable[[dict[str, Any]], Mapping[str, Any]]


def service_model(service: str) -> ServiceModel:
    return botocore.session.get_session().get_service_model(service)


def validated(op: OperationModel, answer: Mapping[str, Any]) -> Mapping[str, Any]:
    """The answer, after botocore's ``ParamValidator`` found it fits the output shape."""
    if op.output_shape is None:
        return answer
    report = ParamValidator().validate(dict(answer), op.output_shape)
    if report.has_errors():
        raise AssertionError(f"{op.name}: answer does not fit the output shape:\n{report.generate_report()}")
    return answer


def _wire_json(shape: Shape | None, value: Any) -> Any:
    """The value as the JSON protocols put it on the wire: members under their wire names
    (``locationName``), timestamps as epoch seconds."""
    if isinstance(shape, StructureShape) and isinstance(value, Mapping):
        return {
            shape.members[k].serialization.get("name", k): _wire_json(shape.members[k], v)
            for k, v in value.items()
        }
    if isinstance(shape, ListShape):
        return [_wire_json(shape.member, v) for v in value]
    if isinstance(shape, MapShape):
        return {k: _wire_json(shape.value, v) for k, v in value.items()}
    if isinstance(value, datetime):
        return value.timestamp()
    return value


def _xml(shape: Shape, value: Any, name: str) -> str:
    if isinstance(shape, StructureShape):
        inner = "".join(
            _xml(shape.members[k], v, shape.members[k].serialization.get("name", k))
            for k, v in value.items()
            if v is not None
        )
        return f"<{name}>{inner}</{name}>"
    if isinstance(shape, ListShape):
        member_name = shape.member.serialization.get("name", "member")
        inner = "".join(_xml(shape.member, v, member_name) for v in value)
        return inner if shape.serialization.get("flattened") else f"<{name}>{inner}</{name}>"
    if isinstance(shape, MapShape):
        raise NotImplementedError("maps in rest-xml answers")
    if isinstance(value, datetime):
        text = value.isoformat()
    elif isinstance(value, bool):
        text = "true" if value else "false"
    else:
        text = escape(str(value))
    return f"<{name}>{text}</{name}>"


def _route(op: OperationModel) -> tuple[re.Pattern[str], str]:
    """The path pattern of an operation, and the constant query it needs (``?Operation=Tag``)."""
    path, _, query = op.http["requestUri"].partition("?")
    parts = re.split(r"(\{[^}]+\})", path)
    regex = "".join(
        (".+" if p.endswith("+}") else "[^/]+") if p.startswith("{") else re.escape(p) for p in parts
    )
    return re.compile(f"^{regex}/?$"), query


class FakeService:
    """A threaded HTTP server answering the given operations of one service; others get a 400."""

    def __init__(self, service: str, answers: Mapping[str, Answer]) -> None:
        self.model = service_model(service)
        self.protocol = self.model.protocol
        self.answers = dict(answers)
        self.requests: list[tuple[str, dict[str, Any]]] = []
        for op in self.answers:
            self.model.operation_model(op)  # a typo fails here
        self._routes = [
            (self.model.operation_model(op).http["method"], _route(self.model.operation_model(op)), op)
            for op in self.answers
        ]
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def env_var(self) -> str:
        """The environment variable that sends only this service's clients here."""
        service_id = self.model.metadata.get("serviceId", self.model.service_name)
        return "AWS_ENDPOINT_URL_" + re.sub(r"[^A-Za-z0-9]", "_", service_id).upper()

    def calls(self, op: str) -> list[dict[str, Any]]:
        return [args for name, args in self.requests if name == op]

    def __enter__(self) -> FakeService:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _find(self, method: str, target: str | None, path: str) -> str | None:
        if self.protocol == "json":
            op = (target or "").rsplit(".", 1)[-1]
            return op if op in self.answers else None
        if self.protocol == "query":
            return None
        path, _, query = path.partition("?")
        for m, (route, const), op in self._routes:
            if (
                m == method
                and route.match(path)
                and all(c in query.split("&") for c in const.split("&") if c)
            ):
                return op
        return None

    def _answer(
        self, method: str, headers: Mapping[str, str], raw_path: str, body: bytes
    ) -> tuple[int, bytes, dict[str, str]]:
        split = urlsplit(raw_path)
        path = unquote(split.path)
        op = self._find(
            method, headers.get("X-Amz-Target"), f"{split.path}?{split.query}"
        )  # raw: labels hold %2F
        args: dict[str, Any] = json.loads(body) if body and self.protocol in ("json", "rest-json") else {}
        if self.protocol == "query":  # form fields, flattened as sent (Filters.Filter.1.Name=...)
            args = dict(parse_qsl(body.decode()))
            op = args.get("Action") if args.get("Action") in self.answers else None
        args["_path"], args["_query"] = path, split.query
        if self.protocol == "rest-xml" and body:
            args["_body"] = body.decode()
        self.requests.append((op or f"{method} {path}", args))
        if op is None:
            return 400, json.dumps({"__type": "UnknownOperationException", "message": path}).encode(), {}
        answer = self.answers[op]
        data = answer(args) if callable(answer) else answer
        model = self.model.operation_model(op)
        validated(model, data)
        out = model.output_shape
        headers: dict[str, str] = {}
        if out is not None and self.protocol.startswith("rest"):
            for key, member in out.members.items():
                if member.serialization.get("location") == "header" and key in data:
                    headers[member.serialization.get("name", key)] = str(data[key])
            data = {k: v for k, v in data.items() if out.members[k].serialization.get("location") != "header"}
        if self.protocol == "query":
            wrapper = (
                out.serialization.get("resultWrapper", f"{op}Result") if out is not None else f"{op}Result"
            )
            inner = _xml(out, data, wrapper) if out is not None else ""
            return 200, f'<?xml version="1.0"?><{op}Response>{inner}</{op}Response>'.encode(), headers
        if self.protocol == "rest-xml":
            payload = out.serialization.get("payload") if out is not None else None
            if out is None or (payload and payload not in data) or not data:
                return 200, b"", headers
            shape, value = (out.members[payload], data[payload]) if payload else (out, data)
            name = shape.serialization.get("name", shape.name)
            return 200, f'<?xml version="1.0"?>{_xml(shape, value, name)}'.encode(), headers
        return 200, json.dumps(_wire_json(out, data)).encode(), headers

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                status, out, headers = fake._answer(self.command, self.headers, self.path, body)
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                ctype = "text/xml" if fake.protocol in ("rest-xml", "query") else "application/x-amz-json-1.1"
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler


@contextmanager
def serving(
    monkeypatch: pytest.MonkeyPatch, service: str, answers: Mapping[str, Answer]
) -> Iterator[FakeService]:
    """A running fake that this service's clients of the plugin (and only they) talk to."""
    from resoto_plugin_aws.sessions import SESSIONS

    with FakeService(service, answers) as fake:
        monkeypatch.setenv(fake.env_var, fake.url)
        SESSIONS.clear()  # clients are cached with their endpoint
        try:
            yield fake
        finally:
            SESSIONS.clear()
