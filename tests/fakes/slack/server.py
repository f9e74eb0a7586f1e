"""An aiohttp fake of the Slack Web API methods the Slack plugin uses, on 127.0.0.1.

It answers ``GET``/``POST`` ``/api/<method>`` with query, form or JSON parameters, as slack-sdk
sends them, and checks the ``Authorization: Bearer`` token. Paged methods honour ``limit`` up to
``max_page`` and hand out opaque cursors. Tests can inject HTTP 429 answers with ``Retry-After``
and ``ok: false`` errors per method, revoke tokens, and read every call from :attr:`FakeSlack.calls`.

Usage::

    with FakeSlack({"xoxb-1": generate_workspace()}) as slack:
        WebClient(token="xoxb-1", base_url=slack.base_url).users_list()
"""

from __future__ import annotations

import asyncio
import base64
import copy
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from fakes.slack.workspace import FakeWorkspace

Json = dict[str, Any]


@dataclass(frozen=True)
class Call:
    """One request the fake received (the token itself is not kept)."""

    method: str
    params: dict[str, str]
    at: float
    authorized: bool
    status: int = 200
    error: str | None = None


@dataclass
class _Injection:
    remaining: int
    error: str | None = None
    retry_after: int = 1
    extra: Json = field(default_factory=dict)


def _truthy(value: str | None) -> bool:
    return (value or "").lower() in ("1", "true", "yes")


def _cursor(offset: int) -> str:
    return base64.b64encode(f"offset:{offset}".encode()).decode()


def _offset(cursor: str) -> int | None:
    try:
        kind, _, value = base64.b64decode(cursor.encode(), validate=True).decode().partition(":")
        return int(value) if kind == "offset" else None
    except (ValueError, UnicodeDecodeError):
        return None


class FakeSlack:
    """The fake server. Use as a context manager, or call :meth:`start` and :meth:`stop`.

    :param workspaces: Token to workspace; a request with any other token gets ``invalid_auth``.
    :param max_page: The most items one page holds, whatever ``limit`` asks for.
    :param default_page: The page size when a request gives no ``limit``.
    """

    def __init__(self, workspaces: dict[str, FakeWorkspace], *, max_page: int = 200, default_page: int = 100):
        self.tokens: dict[str, FakeWorkspace] = dict(workspaces)
        self.max_page = max_page
        self.default_page = default_page
        self.calls: list[Call] = []
        self._lock = threading.Lock()
        self._rate_limits: dict[str, _Injection] = {}
        self._errors: dict[str, _Injection] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self.port = 0
        self._handlers: dict[str, Callable[[FakeWorkspace, dict[str, str]], Json]] = {
            "auth.test": self._auth_test,
            "team.info": self._team_info,
            "users.list": self._users_list,
            "usergroups.list": self._usergroups_list,
            "conversations.list": self._conversations_list,
            "conversations.members": self._conversations_members,
            "conversations.info": self._conversations_info,
            "conversations.archive": self._conversations_archive,
        }

    # -- lifecycle ----------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def start(self) -> FakeSlack:
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            try:
                loop.run_until_complete(self._serve())
            except BaseException as e:  # report start-up failures to the caller
                failure.append(e)
                ready.set()
                return
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self._shutdown())
            loop.close()

        self._thread = threading.Thread(target=run, name="fake-slack", daemon=True)
        self._thread.start()
        ready.wait(10)
        if failure:
            raise failure[0]
        return self

    async def _serve(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])

    async def _shutdown(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
        self._loop = None
        self._thread = None

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- injection and inspection -------------------------------------------------------------

    def rate_limit(self, method: str, times: int = 1, retry_after: int = 1) -> None:
        """Answer the next ``times`` calls of ``method`` with HTTP 429 and ``Retry-After``."""
        with self._lock:
            self._rate_limits[method] = _Injection(times, "ratelimited", retry_after)

    def fail(self, method: str, error: str, times: int = 1_000_000, **extra: Any) -> None:
        """Answer the next ``times`` calls of ``method`` with ``{"ok": false, "error": error, **extra}``."""
        with self._lock:
            self._errors[method] = _Injection(times, error, extra=dict(extra))

    def revoke(self, token: str) -> None:
        """Forget a token: from now on it gets ``invalid_auth``."""
        with self._lock:
            self.tokens.pop(token, None)

    def calls_of(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    # -- the HTTP side --------------------------------------------------------------------------

    async def _params(self, request: web.Request) -> dict[str, str]:
        params = {k: v for k, v in request.query.items()}
        if request.method == "POST" and request.can_read_body:
            if request.content_type == "application/json":
                body = await request.json()
                params.update({k: v if isinstance(v, str) else json.dumps(v) for k, v in body.items()})
            else:
                form = await request.post()
                params.update({k: str(v) for k, v in form.items()})
        return params

    def _token(self, request: web.Request, params: dict[str, str]) -> str | None:
        auth = request.headers.get("Authorization", "")
        if auth.startswith("Bearer "):
            return auth[len("Bearer ") :].strip()
        return params.pop("token", None)

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request)
        token = self._token(request, params)
        status, headers, body = self._answer(method, token, params)
        return web.json_response(body, status=status, headers=headers)

    def _answer(
        self, method: str, token: str | None, params: dict[str, str]
    ) -> tuple[int, dict[str, str], Json]:
        with self._lock:
            workspace = self.tokens.get(token) if token else None

            def record(status: int, error: str | None) -> None:
                self.calls.append(
                    Call(method, dict(params), time.monotonic(), workspace is not None, status, error)
                )

            limit = self._rate_limits.get(method)
            if limit is not None and limit.remaining > 0:
                limit.remaining -= 1
                record(429, "ratelimited")
                return 429, {"Retry-After": str(limit.retry_after)}, {"ok": False, "error": "ratelimited"}
            if token is None:
                record(200, "not_authed")
                return 200, {}, {"ok": False, "error": "not_authed"}
            if workspace is None:
                record(200, "invalid_auth")
                return 200, {}, {"ok": False, "error": "invalid_auth"}
            injected = self._errors.get(method)
            if injected is not None and injected.remaining > 0:
                injected.remaining -= 1
                record(200, injected.error)
                return 200, {}, {"ok": False, "error": injected.error, **injected.extra}
            handler = self._handlers.get(method)
            if handler is None:
                record(200, "unknown_method")
                return 200, {}, {"ok": False, "error": "unknown_method"}
            body = handler(workspace, params)
            record(200, None if body.get("ok") else str(body.get("error")))
            return 200, {}, body

    # -- paging --------------------------------------------------------------------------------

    def _page(self, items: list[Any], params: dict[str, str]) -> tuple[list[Any], Json] | Json:
        try:
            limit = int(params.get("limit") or self.default_page)
        except ValueError:
            return {"ok": False, "error": "invalid_limit"}
        limit = max(1, min(limit, self.max_page))
        start = 0
        if params.get("cursor"):
            offset = _offset(params["cursor"])
            if offset is None or offset > len(items):
                return {"ok": False, "error": "invalid_cursor"}
            start = offset
        end = start + limit
        return items[start:end], {"next_cursor": _cursor(end) if end < len(items) else ""}

    def _paged(self, key: str, items: list[Any], params: dict[str, str], **extra: Any) -> Json:
        page = self._page(items, params)
        if isinstance(page, dict):
            return page
        chunk, metadata = page
        return {"ok": True, key: copy.deepcopy(chunk), **extra, "response_metadata": metadata}

    # -- methods -------------------------------------------------------------------------------

    def _auth_test(self, ws: FakeWorkspace, params: dict[str, str]) -> Json:
        return {
            "ok": True,
            "url": ws.team["url"],
            "team": ws.team["name"],
            "user": "resoto",
            "team_id": ws.id,
            "user_id": "U0BOT0001",
            "bot_id": "B0BOT0001",
            "is_enterprise_install": False,
        }

    def _team_info(self, ws: FakeWorkspace, params: dict[str, str]) -> Json:
        return {"ok": True, "team": copy.deepcopy(ws.team)}

    def _users_list(self, ws: FakeWorkspace, params: dict[str, str]) -> Json:
        return self._paged("members", ws.users, params, cache_ts=int(time.time()))

    def _usergroups_list(self, ws: FakeWorkspace, params: dict[str, str]) -> Json:
        groups = copy.deepcopy(ws.usergroups)
        if not _truthy(params.get("include_users")):
            for g in groups:
                g.pop("users", None)
        if not _truthy(params.get("include_disabled")):
            groups = [g for g in groups if not g.get("date_delete")]
        return {"ok": True, "usergroups": groups}

    def _conversations_list(self, ws: FakeWorkspace, params: dict[str, str]) -> Json:
        types = set((params.get("types") or "public_channel").split(","))
        wanted = [
            c
            for c in ws.conversations
            if ("private_channel" if c["is_private"] else "public_channel") in types
            and not (c["is_archived"] and _truthy(params.get("exclude_archived")))
        ]
        return self._paged("channels", wanted, params)

    def _channel(self, ws: FakeWorkspace, params: dict[str, str]) -> Json | None:
        return ws.conversation(params.get("channel", ""))

    def _conversations_members(self, ws: FakeWorkspace, params: dict[str, str]) -> Json:
        if self._channel(ws, params) is None:
            return {"ok": False, "error": "channel_not_found"}
        return self._paged("members", ws.members[params["channel"]], params)

    def _conversations_info(self, ws: FakeWorkspace, params: dict[str, str]) -> Json:
        channel = self._channel(ws, params)
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        return {"ok": True, "channel": copy.deepcopy(channel)}

    def _conversations_archive(self, ws: FakeWorkspace, params: dict[str, str]) -> Json:
        channel = self._channel(ws, params)
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        if channel["is_general"]:
            return {"ok": False, "error": "cant_archive_general"}
        if channel["is_archived"]:
            return {"ok": False, "error": "already_archived"}
        channel["is_archived"] = True
        return {"ok": True}
