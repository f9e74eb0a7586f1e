"""JSON calls to Google REST APIs through ``google-auth``'s ``AuthorizedSession``.

For the APIs (or methods) without a light client library here: Cloud SQL Admin, Cloud Billing,
the legacy Compute health checks and the resource-oriented APIs of :mod:`rest_specs`. Errors
become ``google.api_core`` exceptions (so the classification of :mod:`errors` applies: 429/5xx
retried, ``SERVICE_DISABLED`` a quiet skip) and every call goes through the plugin's ``Retry``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import requests
from google.api_core import exceptions as gexc
from google.api_core.retry import Retry
from google.auth.transport.requests import AuthorizedSession

TIMEOUT = 60.0
Json = dict[str, Any]


class RestApi:
    """One API's base URL (``https://run.googleapis.com/v2``), a session and the retry policy."""

    def __init__(self, session: AuthorizedSession, base: str, retry: Retry) -> None:
        self.session = session
        self.base = base.rstrip("/")
        self.retry = retry

    def call(self, method: str, path: str, **kwargs: Any) -> Json:
        """``path`` is relative to the base (``projects/p/locations/-/services``) or a full URL.

        A full URL (one an answer named) must be on the base's own scheme and host: an answer never
        sends a request anywhere else, whatever endpoint the config points the API at.
        """
        if path.startswith(("http://", "https://")):
            if _origin(path) != _origin(self.base):
                raise ValueError(f"not following {_origin(path)}: the API's endpoint is {_origin(self.base)}")
            url = path
        else:
            url = f"{self.base}/{path.lstrip('/')}"

        def once() -> Json:
            resp: requests.Response = self.session.request(  # type: ignore[no-untyped-call]
                method, url, timeout=TIMEOUT, **kwargs
            )
            if resp.status_code >= 400:
                raise gexc.from_http_response(resp)  # type: ignore[no-untyped-call]
            return resp.json() if resp.content else {}  # type: ignore[no-any-return]

        result: Json = self.retry(once)()
        return result

    def pages(
        self,
        path: str,
        params: dict[str, Any] | None = None,
        size_param: str = "pageSize",
        page_size: int = 500,
        token_param: str = "pageToken",
    ) -> Iterator[Json]:
        """Every page of a list call (``nextPageToken``/``pageToken``)."""
        token: str | None = None
        while True:
            query: dict[str, Any] = {**(params or {}), size_param: page_size}
            if token:
                query[token_param] = token
            page = self.call("GET", path, params=query)
            yield page
            token = page.get("nextPageToken")
            if not token:
                return

    def wait_operation(self, op: Json, timeout: float, what: str) -> Json:
        """Poll a google.longrunning ``Operation`` (``{name, done, error}``) until done; errors raise.

        A reply that is not an operation (``Empty``, the resource itself) is returned as it is.
        """
        if "done" not in op and not str(op.get("name", "")).count("/operations/"):
            return op
        deadline = time.monotonic() + timeout
        delay = 0.05
        while not op.get("done"):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{what}: operation {op.get('name')} did not complete in {timeout:.0f}s")
            time.sleep(delay)
            delay = min(delay * 2, 5.0)
            op = self.call("GET", op["name"])
        error = op.get("error")
        if error:
            raise RuntimeError(f"{what} failed: {error.get('code')}: {error.get('message')}")
        return op


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
