"""A GCP answer never sends a request off the configured endpoint.

The fakes' answers name the real Google hosts (``selfLink``, ``activationUrl``, operation links),
as Google's do. A full URL is followed only on the API's own scheme and host.
"""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from google.api_core.retry import Retry
from google.auth.credentials import AnonymousCredentials
from google.auth.transport.requests import AuthorizedSession
from resoto_plugin_gcp.rest import RestApi

FOREIGN = "https://container.googleapis.com/v1/projects/p/locations/us-east1/clusters/c"


def _api(base: str) -> RestApi:
    return RestApi(AuthorizedSession(AnonymousCredentials()), base, Retry(timeout=1))  # type: ignore[no-untyped-call]


def test_a_full_url_on_another_host_is_refused_before_any_request() -> None:
    api = _api("http://127.0.0.1:9/v1")
    with pytest.raises(ValueError, match=re.escape("not following https://container.googleapis.com")):
        api.call("GET", FOREIGN)


def test_a_full_url_on_the_endpoint_is_followed() -> None:
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            body = json.dumps({"name": "projects/p/operations/op-1", "done": True}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/v1"
        answer = _api(base).call("GET", f"{base}/projects/p/operations/op-1")
    finally:
        server.shutdown()
        server.server_close()
    assert answer["done"] is True
    assert seen == ["/v1/projects/p/operations/op-1"]
