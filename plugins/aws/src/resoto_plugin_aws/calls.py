"""The one way the plugin calls AWS: :class:`ApiContext`, for collection, cleanup and tagging.

Every request of an :class:`ApiContext` holds the (account, region, service) limiter of
:func:`resoto_plugin_aws.sessions.limiter` while it is on the wire (shared by every thread of the
process: a collect and a cleanup of the same account and region share it) and is counted through
the context's reporter. A collect passes the kernel's reporter; the action hooks get none from the
kernel, so their calls are counted by :data:`ACTION_CALLS`.

An operation that is broken in a context (a 5xx after the retries, an API the endpoint does not
serve) fails at once on later calls instead of paying the retries again.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from botocore import xform_name
from botocore.exceptions import BotoCoreError, ClientError
from resoto_hookspecs import Reporter

from resoto_plugin_aws.config import AwsConfig
from resoto_plugin_aws.errors import classify, describe, error_code, is_broken
from resoto_plugin_aws.resources import GLOBAL_REGION
from resoto_plugin_aws.sessions import SESSIONS, Access, limiter, shared_loader
from resoto_plugin_aws.spec import Call, Json, search

log = logging.getLogger(__name__)


def limit_key(service: str, op: str) -> str | None:
    """The paginator's page-size argument of an operation (``MaxResults``), if it has one."""
    try:
        model = shared_loader().load_service_model(service, "paginators-1")
    except Exception:
        return None
    entry = model.get("pagination", {}).get(op)
    return entry.get("limit_key") if entry else None


class ActionCalls:
    """The reporter of the calls that cleanup and tagging make (the action hooks get no reporter).

    Counts every call per (service, operation), and every failed one per (service, error code),
    for the life of the process; what an action's enrichment could not read is logged at debug
    level (the action itself raises what matters).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.calls: Counter[tuple[str, str]] = Counter()
        self.call_errors: Counter[tuple[str, str]] = Counter()

    def info(self, message: str) -> None:
        log.debug("%s", message)

    def error(self, message: str, **_: Any) -> None:
        log.debug("%s", message)

    def skip(self, reason: str, **_: Any) -> None:
        log.debug("%s", reason)

    def api_call(self, service: str, operation: str, *, error: str | None = None) -> None:
        with self._lock:
            self.calls[(service, operation)] += 1
            if error:
                self.call_errors[(service, error)] += 1


ACTION_CALLS = ActionCalls()
"""The process-wide count of the calls made by ``pre_cleanup``, ``check_resource``,
``delete_resource``, ``update_tag`` and ``delete_tag``."""


class ApiContext:
    """The AWS API of one account in one region (``global``: the partition's global endpoint).

    Satisfies :class:`resoto_plugin_aws.spec.Api`, the protocol hand-written parts of the kind
    definitions are typed against.

    :param reporter: Counts the calls (``api_call``) and hears of details that could not be read.
    :param check_cancelled: Raises when the work was cancelled; called before every request.
    """

    def __init__(
        self,
        access: Access,
        region: str,
        config: AwsConfig,
        reporter: Reporter,
        check_cancelled: Callable[[], None] | None = None,
    ) -> None:
        self.access = access
        self.account = access.account_id
        self.partition = access.partition
        self.region = region or GLOBAL_REGION
        self.api_region = access.api_region if self.region == GLOBAL_REGION else region
        self.config = config
        self.reporter = reporter
        self._check_cancelled = check_cancelled or (lambda: None)
        self._memo_lock = threading.Lock()
        self._memo: dict[tuple[Any, ...], tuple[threading.Lock, list[Json] | None]] = {}
        self._reported: set[tuple[str | None, str]] = set()
        self._report_lock = threading.Lock()
        self._broken: dict[tuple[str, str], BaseException] = {}
        """(service, operation) that failed for good in this context: later calls fail at once."""

    def tag_index(self) -> Mapping[str, list[Json]] | None:
        """ARN -> tags (``[{"Key": .., "Value": ..}]``) of the resources the Resource Groups Tagging
        API names for this context's kinds (:attr:`~resoto_plugin_aws.spec.Enrich.tagging_api`), or
        ``None`` when there is no such answer: a plain context (re-reading one resource) reads tags
        per resource; a collection unit's context reads the answer once."""
        return None

    def client(self, service: str) -> Any:
        """The shared botocore client (calls made on it directly are neither limited nor counted)."""
        return SESSIONS.client(self.access, self.config, service, self.api_region)

    def limiter(self, service: str) -> threading.BoundedSemaphore:
        """The semaphore bounding concurrent calls to ``service`` in this account and region."""
        return limiter(self.account, self.api_region, service, self.config.max_concurrent_calls)

    def _failed_call(self, service: str, op: str, exc: BaseException) -> None:
        self.reporter.api_call(service, op, error=error_code(exc))
        if is_broken(exc):
            self._broken.setdefault((service, op), exc)

    def _check_broken(self, service: str, op: str) -> None:
        broken = self._broken.get((service, op))
        if broken is not None:
            raise broken

    def call(self, service: str, op: str, /, **args: Any) -> Json:
        """One API call, bounded and counted."""
        self._check_cancelled()
        self._check_broken(service, op)
        method = getattr(self.client(service), xform_name(op))
        with self.limiter(service):
            try:
                answer: Json = method(**args)
            except (ClientError, BotoCoreError) as e:
                self._failed_call(service, op, e)
                raise
        self.reporter.api_call(service, op)
        return answer

    def pages(
        self, service: str, op: str, args: Mapping[str, Any], page_size: int | None = None
    ) -> Iterator[Json]:
        """The pages of a (possibly paginated) call, each request bounded and counted."""
        self._check_broken(service, op)
        client = self.client(service)
        method = xform_name(op)
        if not client.can_paginate(method):  # no botocore paginator: follow a NextToken by hand
            op_model = client.meta.service_model.operation_model(op)
            follow = op_model.input_shape is not None and "NextToken" in op_model.input_shape.members
            kwargs = dict(args)
            while True:
                answer = self.call(service, op, **kwargs)
                yield answer
                token = answer.get("NextToken") if follow else None
                if not token or token == kwargs.get("NextToken"):
                    return
                kwargs["NextToken"] = token
        kwargs = dict(args)
        key = limit_key(service, op) if page_size else None
        if key and key not in kwargs:
            shape = client.meta.service_model.operation_model(op).input_shape.members.get(key)
            kwargs[key] = str(page_size) if shape is not None and shape.type_name == "string" else page_size
        iterator = iter(client.get_paginator(method).paginate(**kwargs))
        sem = self.limiter(service)
        while True:
            self._check_cancelled()
            with sem:
                try:
                    page = next(iterator)
                except StopIteration:
                    return
                except (ClientError, BotoCoreError) as e:
                    self._failed_call(service, op, e)
                    raise
            self.reporter.api_call(service, op)
            yield page

    def list_pages(self, service: str, call: Call, extra: Mapping[str, Any] | None = None) -> list[Json]:
        """All pages of a list call, made once per context for identical calls."""
        args = {**call.args, **(extra or {})}
        key = (service, call.op, repr(sorted(args.items())), call.page_size)
        with self._memo_lock:
            entry = self._memo.get(key)
            if entry is None:
                entry = self._memo[key] = (threading.Lock(), None)
        lock = entry[0]
        with lock:
            cached = self._memo[key][1]
            if cached is not None:
                return cached
            pages = list(self.pages(service, call.op, args, call.page_size))
            with self._memo_lock:
                self._memo[key] = (lock, pages)
            return pages

    def list_items(self, service: str, call: Call, extra: Mapping[str, Any] | None = None) -> list[Json]:
        """The items of a list call over all its pages (``{call.wrap: value}`` for scalar results)."""
        items: list[Json] = []
        for page in self.list_pages(service, call, extra):
            found = search(call.result, page)
            values = found if isinstance(found, list) else [] if found is None else [found]
            for value in values:
                if value is None:
                    continue
                items.append({call.wrap: value} if call.wrap else dict(value))
        return items

    def report_gap(self, exc: BaseException, *, kind: str, service: str, what: str) -> None:
        """Report a detail of ``kind`` that could not be read (the kind is sent without it), once
        per service and error code."""
        c = classify(exc)
        reason = {"access": "access denied", "not_available": "not available here"}.get(c.sort)
        with self._report_lock:
            first = (service, c.code) not in self._reported
            self._reported.add((service, c.code))
        if first:
            self.reporter.skip(
                f"{what}: {reason or 'failed'} ({describe(exc)}); {kind} sent without it",
                service=service,
                complete=True,
            )
