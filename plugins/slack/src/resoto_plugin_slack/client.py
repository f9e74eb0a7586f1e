"""A thin layer over slack-sdk's WebClient: retries, cursor paging, call counting, error mapping.

Every Web API answer with ``ok: false`` becomes one of the exceptions below (or ``ConfigError`` for
a rejected token), so callers decide per error class whether to skip a kind, report an error, or
fail the unit. Nothing here ever puts a token into a message.
"""

from __future__ import annotations

import logging
import random
import ssl
import time
from collections.abc import Callable, Iterator
from typing import Any

from resoto_hookspecs import ConfigError, Reporter
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from resoto_plugin_slack.config import ConfiguredToken, SlackConfig
from resoto_plugin_slack.redact import REDACTOR, SDK_LOGGER

log = logging.getLogger(__name__)

SERVICE = "slack"

AUTH_ERRORS = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "no_permission",
        "not_allowed_token_type",
        "team_access_not_granted",
        "ekm_access_denied",
    }
)
"""Errors meaning the token itself is unusable: the whole workspace fails, not one method."""

MAX_RETRY_AFTER = 300.0
"""The longest single wait we accept from a Retry-After header, in seconds."""


class SlackCallFailed(Exception):
    """A Web API method answered ``ok: false`` (or could not be reached)."""

    def __init__(self, method: str, error: str, detail: str = "") -> None:
        super().__init__(f"{method}: {error}{f' ({detail})' if detail else ''}")
        self.method = method
        self.error = error


class MissingScope(SlackCallFailed):
    """The token lacks an OAuth scope this method needs."""

    def __init__(self, method: str, needed: str | None) -> None:
        super().__init__(method, "missing_scope", f"needs scope {needed}" if needed else "")
        self.needed = needed


def _method_of(url: str) -> str:
    return url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]


class CountingRateLimitHandler(RateLimitErrorRetryHandler):
    """Waits as long as a 429's ``Retry-After`` says, and tells ``on_wait`` about every wait."""

    def __init__(self, max_retry_count: int, on_wait: Callable[[str, float], None]) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self._on_wait = on_wait

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        if response is None:  # only 429 answers get here
            super().prepare_for_next_attempt(state=state, request=request, response=response, error=error)
            return
        wait = 1.0
        for name, values in response.headers.items():
            if name.lower() == "retry-after" and values:
                try:
                    wait = float(values[0])
                except ValueError:
                    pass
        wait = min(max(wait, 0.0), MAX_RETRY_AFTER)
        method = _method_of(request.url)
        self._on_wait(method, wait)
        state.next_attempt_requested = True
        time.sleep(wait + random.uniform(0.0, 0.2))
        state.increment_current_attempt()


def _ssl_context(config: SlackConfig) -> ssl.SSLContext | None:
    if not config.do_not_verify_ssl:
        return None
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


class SlackApi:
    """One workspace's Web API, as one configured token sees it.

    Not shared between threads: every unit and every cleanup call builds its own.

    :param config: The plugin config (base URL, retries, page size, TLS).
    :param token: The configured token to use.
    :param reporter: Counts calls and rate-limit waits; ``None`` outside a collect.
    """

    def __init__(self, config: SlackConfig, token: ConfiguredToken, reporter: Reporter | None = None) -> None:
        self.config = config
        self.token_key = token.key
        self._reporter = reporter
        secret = token.token.get_secret_value()
        REDACTOR.remember(secret)
        self.client = WebClient(
            token=secret,
            base_url=config.base_url,
            timeout=config.timeout,
            ssl=_ssl_context(config),
            logger=SDK_LOGGER,
            retry_handlers=[
                ConnectionErrorRetryHandler(max_retry_count=config.max_connection_retries),
                CountingRateLimitHandler(config.max_rate_limit_retries, self._rate_limited),
            ],
        )
        self.rate_limit_waits = 0

    def _rate_limited(self, method: str, wait: float) -> None:
        self.rate_limit_waits += 1
        log.info("slack %s: rate limited, waiting %.1f s as told by Retry-After", method, wait)
        self._count(method, "ratelimited")

    def _count(self, method: str, error: str | None) -> None:
        if self._reporter is not None:
            self._reporter.api_call(SERVICE, method, error=error)

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        """Call one Web API method (``users.list``) and return its JSON answer.

        :raises ConfigError: The token was rejected (``invalid_auth`` and friends).
        :raises MissingScope: The token lacks a scope for this method.
        :raises SlackCallFailed: Any other ``ok: false`` answer, or the API could not be reached.
        """
        sdk_method = getattr(self.client, method.replace(".", "_"))
        try:
            response = sdk_method(**params)
        except SlackApiError as e:
            data = e.response.data if isinstance(e.response.data, dict) else {}
            error = str(data.get("error") or f"http_{e.response.status_code}")
            self._count(method, error)
            if error in AUTH_ERRORS:
                raise ConfigError(
                    f"the Slack token in {self.token_key} was rejected by {method}: {error}"
                ) from None
            if error == "missing_scope":
                raise MissingScope(method, data.get("needed")) from None
            raise SlackCallFailed(method, error) from None
        except OSError as e:  # connection refused, timeouts, TLS: after the connection retries
            self._count(method, "connection_error")
            raise SlackCallFailed(method, "connection_error", type(e).__name__) from None
        self._count(method, None)
        data = response.data
        if not isinstance(data, dict):
            raise SlackCallFailed(method, "unexpected_response")
        return data

    def pages(self, method: str, items_key: str, **params: Any) -> Iterator[list[Any]]:
        """Yield the items of every page of a cursor-paged method, following ``next_cursor``."""
        cursor = ""
        seen: set[str] = set()
        while True:
            args = dict(params, limit=self.config.page_limit)
            if cursor:
                args["cursor"] = cursor
            data = self.call(method, **args)
            yield list(data.get(items_key) or [])
            cursor = str((data.get("response_metadata") or {}).get("next_cursor") or "")
            if not cursor:
                return
            if cursor in seen:
                raise SlackCallFailed(
                    method, "cursor_loop", "the API returned a cursor it had returned before"
                )
            seen.add(cursor)
