"""An HTTP fake of one rest-json AWS service on 127.0.0.1, for the services moto does not serve.

The fake routes each request to its operation by the service model's HTTP binding (method and
``requestUri``), answers with the body the test registered for that operation, and records the call
(its URI labels, query and JSON body) so a test can assert what the plugin sent. Every registered
body is checked against the operation's output shape in botocore's *full* model first (unknown keys,
wrong types and missing required members fail the test), so a fake cannot drift from what AWS sends.
An operation without a registered answer gets a ``ResourceNotFoundException`` (HTTP 404).

    with RestJsonFake("backup") as fake:
        fake.on("ListFrameworks", {"Frameworks": [{"FrameworkName": "f", "FrameworkArn": ARN}]})
        ...  # botocore clients created now reach the fake (AWS_ENDPOINT_URL_<SERVICE_ID>)
        assert fake.calls("DeleteFramework")[0].labels == {"frameworkName": "f"}
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import botocore.session
from botocore.model import Shape

Answer = dict[str, Any] | Callable[["Request"], dict[str, Any]]


@dataclass
class Request:
    op: str
    labels: dict[str, str]
    """URI labels by input member name (``BackupVaultName``), URL-decoded; ``query`` likewise."""
    query: dict[str, list[str]]
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


def check_shape(shape: Shape, value: Any, where: str = "$") -> None:
    """Assert that a JSON value fits a botocore output shape (body members only)."""
    t = shape.type_name
    if t == "structure":
        assert isinstance(value, dict), f"{where}: {shape.name} wants an object, got {value!r}"
        body = {k: m for k, m in shape.members.items() if m.serialization.get("location") is None}
        for key, member_value in value.items():
            assert key in body, f"{where}: {shape.name} has no body member {key!r}"
            check_shape(body[key], member_value, f"{where}.{key}")
        for key in getattr(shape, "required_members", []):
            if key in body:
                assert key in value, f"{where}: {shape.name} requires {key!r}"
    elif t == "list":
        assert isinstance(value, list), f"{where}: wants a list"
        for i, entry in enumerate(value):
            check_shape(shape.member, entry, f"{where}[{i}]")  # type: ignore[attr-defined]
    elif t == "map":
        assert isinstance(value, dict), f"{where}: wants a map"
        for k, v in value.items():
            check_shape(shape.key, k, f"{where}<key>")  # type: ignore[attr-defined]
            check_shape(shape.value, v, f"{where}.{k}")  # type: ignore[attr-defined]
    elif t == "string":
        assert isinstance(value, str), f"{where}: wants a string"
        enum = shape.metadata.get("enum")
        assert not enum or value in enum, f"{where}: {value!r} is not one of {enum}"
    elif t in ("integer", "long"):
        assert isinstance(value, int) and not isinstance(value, bool), f"{where}: wants an integer"
    elif t in ("float", "double"):
        assert isinstance(value, int | float) and not isinstance(value, bool), f"{where}: wants a number"
    elif t == "boolean":
        assert isinstance(value, bool), f"{where}: wants a boolean"
    elif t == "timestamp":
        assert isinstance(value, int | float | str), f"{where}: wants a timestamp"
    elif t == "blob":
        assert isinstance(value, str), f"{where}: wants base64 text"
    else:  # document and the rest: anything JSON
        pass


def _template_regex(uri: str) -> re.Pattern[str]:
    path = uri.split("?", 1)[0]
    out = ""
    for part in re.split(r"(\{[^}]+\})", path):
        if part.startswith("{"):
            name = part[1:-1]
            greedy = name.endswith("+")
            name = name.rstrip("+")
            out += f"(?P<{name}>.+)" if greedy else f"(?P<{name}>[^/]+)"
        else:
            out += re.escape(part)
    return re.compile("^" + out.rstrip("/") + "/?$")


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.timestamp()
    raise TypeError(f"not JSON: {value!r}")


class RestJsonFake:
    """One rest-json service on 127.0.0.1 (see the module docstring)."""

    def __init__(self, service: str) -> None:
        self.service = service
        self.model = botocore.session.get_session().get_service_model(service)
        assert self.model.protocol == "rest-json", f"{service} speaks {self.model.protocol}"
        routes = []
        for name in self.model.operation_names:
            http = self.model.operation_model(name).http
            literal = len(re.sub(r"\{[^}]+\}", "", http["requestUri"].split("?", 1)[0]))
            routes.append((literal, http["method"], _template_regex(http["requestUri"]), name))
        self._routes = sorted(routes, key=lambda r: -r[0])
        self._answers: dict[str, Answer] = {}
        self._calls: list[Request] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._saved_env: str | None = None

    @property
    def env_var(self) -> str:
        service_id = self.model.metadata["serviceId"]
        return "AWS_ENDPOINT_URL_" + re.sub(r"[ -]", "_", service_id).upper()

    # -- what the test sets and reads -----------------------------------------------------------

    def on(self, op: str, answer: Answer) -> None:
        """Answer ``op`` with this body (or with what the function returns for the request)."""
        self.model.operation_model(op)  # raises on an unknown operation
        if isinstance(answer, dict):
            self.check(op, answer)
        self._answers[op] = answer

    def check(self, op: str, body: dict[str, Any]) -> None:
        shape = self.model.operation_model(op).output_shape
        if shape is not None:
            check_shape(shape, json.loads(json.dumps(body, default=_json_default)), f"{op}")

    def calls(self, op: str | None = None) -> list[Request]:
        with self._lock:
            return [c for c in self._calls if op is None or c.op == op]

    # -- the server -------------------------------------------------------------------------------

    def _route(self, method: str, path: str) -> tuple[str, dict[str, str]] | None:
        for _, m, regex, name in self._routes:
            if m != method:
                continue
            found = regex.match(path)
            if found:
                by_location = self._members(name, "uri")
                labels = {by_location.get(k, k): unquote(v) for k, v in found.groupdict().items()}
                return name, labels
        return None

    def _members(self, op: str, location: str) -> dict[str, str]:
        """Wire name -> member name of the input members bound to ``location`` (uri, querystring, header)."""
        shape = self.model.operation_model(op).input_shape
        out: dict[str, str] = {}
        for name, member in (shape.members if shape is not None else {}).items():
            if member.serialization.get("location") == location:
                out[member.serialization.get("name", name)] = name
        return out

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        url = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        routed = self._route(handler.command, url.path)
        status, body, error = 200, {}, None
        if routed is None:
            status, error = 404, ("UnknownOperationException", f"{handler.command} {url.path}")
        else:
            op, labels = routed
            request = Request(
                op,
                labels,
                {self._members(op, "querystring").get(k, k): v for k, v in parse_qs(url.query).items()},
                json.loads(raw) if raw.strip() else {},
                {k.lower(): v for k, v in handler.headers.items()},
            )
            with self._lock:
                self._calls.append(request)
            answer = self._answers.get(op)
            if answer is None:
                status, error = 404, ("ResourceNotFoundException", f"{op}: nothing registered")
            else:
                body = answer(request) if callable(answer) else answer
                if "__error__" in body:
                    status, code = body["__error__"]
                    error = (code, f"{op}: {code}")
                else:
                    self.check(op, body)
        if error is not None:
            body = {"__type": error[0], "message": error[1]}
        data = json.dumps(body, default=_json_default).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        if error is not None:
            handler.send_header("x-amzn-ErrorType", error[0])
        handler.end_headers()
        handler.wfile.write(data)

    def __enter__(self) -> RestJsonFake:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                fake._handle(self)

            do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_GET

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self._saved_env = os.environ.get(self.env_var)
        os.environ[self.env_var] = f"http://127.0.0.1:{self._server.server_address[1]}"
        _clear_clients()
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        if self._saved_env is None:
            os.environ.pop(self.env_var, None)
        else:
            os.environ[self.env_var] = self._saved_env
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        _clear_clients()


def _clear_clients() -> None:
    from resoto_plugin_aws.sessions import SESSIONS

    SESSIONS.clear()


def error(code: str, status: int = 400) -> dict[str, Any]:
    """A registered answer that makes the fake reply with this error."""
    return {"__error__": (status, code)}


def fakes(*services: str) -> Iterator[dict[str, RestJsonFake]]:
    """Several fakes at once (a generator for a pytest fixture)."""
    opened = [RestJsonFake(s) for s in services]
    for f in opened:
        f.__enter__()
    try:
        yield {f.service: f for f in opened}
    finally:
        for f in reversed(opened):
            f.__exit__(None, None, None)
