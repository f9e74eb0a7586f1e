"""Collects one unit (an account in a region, or an account's ``global`` resources).

The unit's kinds are listed concurrently on a small pool (``unit_pool_size``); a kind starts once
the kinds it reads (``parent``, ``after``) are done. Every API call goes through
:meth:`UnitContext.pages` / :meth:`UnitContext.call`, which hold the (account, region, service)
limiter for the duration of one request and count the call. Identical list calls of several kinds
(IAM's ``GetAccountAuthorizationDetails``) are made once per unit.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from datetime import UTC, datetime
from typing import Any

from botocore import xform_name
from botocore.exceptions import BotoCoreError, ClientError
from pydantic import ValidationError
from resoto_hookspecs import EdgeType, GraphBuilder, NotAvailable, Reporter
from resoto_hookspecs.errors import CollectionCancelled

from resoto_plugin_aws.config import AwsConfig
from resoto_plugin_aws.errors import classify, describe, error_code, is_broken
from resoto_plugin_aws.registry import all_kinds
from resoto_plugin_aws.resources import GLOBAL_REGION, AwsResource
from resoto_plugin_aws.sessions import SESSIONS, Access, limiter, shared_loader
from resoto_plugin_aws.spec import Call, Enrich, Json, Kind, Link, TagsAt, search

log = logging.getLogger(__name__)

_SAME: Any = object()


def limit_key(service: str, op: str) -> str | None:
    """The paginator's page-size argument of an operation (``MaxResults``), if it has one."""
    try:
        model = shared_loader().load_service_model(service, "paginators-1")
    except Exception:
        return None
    entry = model.get("pagination", {}).get(op)
    return entry.get("limit_key") if entry else None


TAG_KEYS = {
    "list": ("Key", "Value"),
    "kms": ("TagKey", "TagValue"),
    "lower": ("key", "value"),
    "map": ("Key", "Value"),
}
"""The key and value names of one tag entry, per tag format."""


def parse_tags(spec: TagsAt | None, item: Json) -> dict[str, str | None]:
    if spec is None:
        return {}
    raw = search(spec.path, item)
    if not raw:
        return {}
    if spec.fmt == "map" and isinstance(raw, Mapping):
        return {str(k): None if v is None else str(v) for k, v in raw.items()}
    key, value = TAG_KEYS[spec.fmt]
    out: dict[str, str | None] = {}
    for entry in raw if isinstance(raw, list) else []:
        if isinstance(entry, Mapping) and entry.get(key) is not None:
            v = entry.get(value)
            out[str(entry[key])] = None if v is None else str(v)
    return out


def arn_of(
    kind: Kind, item: Json, rid: str, name: str, partition: str, region: str, account: str
) -> str | None:
    if kind.arn is None:
        return None
    if kind.arn.startswith("arn:"):
        return kind.arn.format(partition=partition, region=region, account=account, id=rid, name=name)
    value = search(kind.arn, item)
    return str(value) if value else None


def add_template_arns(kind: Kind, items: list[Json], partition: str, region: str, account: str) -> None:
    """Store the ARN a template builds under ``_arn`` (enrichments may pass it)."""
    if not (kind.arn and kind.arn.startswith("arn:")):
        return
    for item in items:
        rid = search(kind.id, item)
        name = (search(kind.name, item) if kind.name else None) or rid
        item["_arn"] = arn_of(kind, item, str(rid), str(name), partition, region, account)


def to_resource(kind: Kind, item: Json, partition: str, region: str, account: str) -> AwsResource | None:
    """Turn one raw item into its resource (``None`` when it has no id)."""
    rid = search(kind.id, item)
    if rid is None or rid == "":
        return None
    rid = str(rid)
    tags = parse_tags(kind.tags, item)
    name = search(kind.name, item) if kind.name else None
    if not name:
        name = tags.get("Name") or rid
    values: dict[str, Any] = {"id": rid, "name": str(name), "tags": tags}
    if kind.ctime:
        ctime = search(kind.ctime, item)
        if isinstance(ctime, datetime):
            values["ctime"] = ctime
        elif isinstance(ctime, (int, float)) and ctime > 0:
            values["ctime"] = datetime.fromtimestamp(ctime / 1000 if ctime > 1e11 else ctime, tz=UTC)
    arn = arn_of(kind, item, rid, str(name), partition, region, account)
    if arn:
        values["arn"] = arn
    for field_name, path in kind.fields.items():
        value = path(item) if callable(path) else search(path, item)
        if value is not None:
            values[field_name] = value
    return kind.cls.model_validate(values)


class UnitContext:
    """What a kind's collection needs: clients, calls with limits and counting, other kinds' items."""

    def __init__(
        self,
        access: Access,
        region: str,
        config: AwsConfig,
        reporter: Reporter,
        builder: GraphBuilder | None = None,
    ) -> None:
        self.access = access
        self.account = access.account_id
        self.partition = access.partition
        self.region = region
        self.api_region = access.api_region if region == GLOBAL_REGION else region
        self.config = config
        self.reporter = reporter
        self.builder = builder
        self._items: dict[str, list[Json]] = {}
        self._memo_lock = threading.Lock()
        self._memo: dict[tuple[Any, ...], tuple[threading.Lock, list[Json] | None]] = {}
        self._reported: set[tuple[str | None, str]] = set()
        self._report_lock = threading.Lock()
        self.succeeded = 0
        self.failed: list[str] = []
        self._broken: dict[tuple[str, str], BaseException] = {}
        """(service, operation) that failed for good in this unit (5xx after retries, no such
        API): later calls fail at once instead of paying the retries again."""

    # -- clients and calls --------------------------------------------------------------------

    def client(self, service: str) -> Any:
        return SESSIONS.client(self.access, self.config, service, self.api_region)

    def _limiter(self, service: str) -> threading.BoundedSemaphore:
        return limiter(self.account, self.api_region, service, self.config.max_concurrent_calls)

    def _check_cancelled(self) -> None:
        if self.builder is not None:
            self.builder.check_cancelled()

    def _failed_call(self, service: str, op: str, exc: BaseException) -> None:
        self.reporter.api_call(service, op, error=error_code(exc))
        if is_broken(exc):
            self._broken.setdefault((service, op), exc)

    def _check_broken(self, service: str, op: str) -> None:
        broken = self._broken.get((service, op))
        if broken is not None:
            raise broken

    def call(self, service: str, op: str, **args: Any) -> Json:
        """One API call, bounded and counted."""
        self._check_cancelled()
        self._check_broken(service, op)
        method = getattr(self.client(service), xform_name(op))
        with self._limiter(service):
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
        sem = self._limiter(service)
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
        """All pages of a list call, made once per unit for identical calls."""
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
        items: list[Json] = []
        for page in self.list_pages(service, call, extra):
            found = search(call.result, page)
            values = found if isinstance(found, list) else [] if found is None else [found]
            for value in values:
                if value is None:
                    continue
                items.append({call.wrap: value} if call.wrap else dict(value))
        return items

    def items(self, kind: str) -> list[Json]:
        """The raw items of a kind listed before (a ``parent`` or ``after`` kind)."""
        return self._items.get(kind, [])

    def enrich(self, kind: Kind, enrich: Enrich, items: list[Json]) -> None:
        """Run one enrichment over the items, storing its answers under ``enrich.into``."""
        if not items:
            return
        if enrich.when is not None:
            skipped = [i for i in items if not enrich.when(i)]
            for i in skipped:
                i[enrich.into] = None
            items = [i for i in items if enrich.when(i)]
        if enrich.batch:
            for start in range(0, len(items), enrich.batch):
                chunk = items[start : start + enrich.batch]
                args: dict[str, Any] = dict(enrich.const)
                for arg, path in enrich.args.items():
                    args[arg] = [search(path, i) for i in chunk]
                answer = self._enrich_call(kind, enrich, args)
                entries = (search(enrich.result, answer) or []) if answer is not None else []
                by_key = {search(enrich.match or "", entry): entry for entry in entries}
                for i in chunk:
                    i[enrich.into] = by_key.get(search(enrich.key or "", i))
            return
        for item in items:
            args = dict(enrich.const)
            for arg, path in enrich.args.items():
                value = search(path, item)
                if value is not None:  # an optional argument the item lacks (botocore rejects None)
                    args[arg] = value
            answer = self._enrich_call(kind, enrich, args)
            item[enrich.into] = search(enrich.result, answer) if answer is not None else None

    def _enrich_call(self, kind: Kind, enrich: Enrich, args: dict[str, Any]) -> Json | None:
        try:
            return self.call(kind.service, enrich.op, **args)
        except ClientError as e:
            if error_code(e) in enrich.ignore:
                return None
            sort = classify(e).sort
            if sort in ("access", "not_available"):
                # the kind was listed: it is sent without this detail, and the gap is reported
                self.report_failure(
                    e, kind=kind.cls.kind, service=kind.service, what=enrich.op, withhold=False
                )
                return None
            raise

    # -- reporting ---------------------------------------------------------------------------

    def report_failure(
        self,
        exc: BaseException,
        *,
        kind: str,
        service: str,
        what: str,
        withhold: bool = True,
        seconds: float | None = None,
    ) -> str:
        """Report that ``kind`` could not be read (the kernel withholds it here). Returns the sort.

        Access denied and not-available are skips (the kernel logs them once); anything else is an
        error of the kind. With ``withhold=False`` (a detail of a kind that was listed) the gap is
        only reported, once per service and code.
        """
        c = classify(exc)
        reason = {"access": "access denied", "not_available": "not available here"}.get(c.sort)
        if not withhold:
            with self._report_lock:
                first = (service, c.code) not in self._reported
                self._reported.add((service, c.code))
            if first:
                self.reporter.skip(
                    f"{what}: {reason or 'failed'} ({describe(exc)}); {kind} sent without it",
                    service=service,
                    complete=True,
                )
            return c.sort
        if reason is not None:
            self.reporter.skip(
                f"{what}: {reason}: {describe(exc)}",
                kind=kind,
                service=service,
                complete=c.sort == "not_available",
                code=c.code,
                seconds=seconds,
            )
        else:
            msg = f"{what} failed: {describe(exc)}"
            log.debug(msg, exc_info=exc)  # the kernel logs the report once; the traceback with --verbose
            self.reporter.error(msg, kind=kind, service=service, code=c.code, seconds=seconds)
        return c.sort


class UnitCollector:
    """Runs the kinds of one unit and streams them into the builder."""

    def __init__(self, ctx: UnitContext, builder: GraphBuilder, selected: dict[str, Kind]) -> None:
        self.ctx = ctx
        self.builder = builder
        global_unit = ctx.region == GLOBAL_REGION
        self.emit = {n: k for n, k in selected.items() if k.global_ == global_unit}
        self.selected = selected
        kinds = all_kinds()
        run: dict[str, Kind] = {}
        todo = list(self.emit)
        while todo:
            name = todo.pop()
            if name in run or name not in kinds:
                continue
            run[name] = kinds[name]
            todo.extend(self._deps(kinds[name]))
        self.run = run
        self.needed = {d for k in run.values() for d in self._deps(k)}
        self._lock = threading.Lock()
        self.outcomes: dict[str, str] = {}
        self.codes: dict[str, str] = {}  # kind -> the error code that kept it from being read
        self._added: set[str] = set()
        self._local_edges: list[tuple[str, str, EdgeType]] = []
        """Edges to kinds of this unit: sent at the end, only where both ends were added."""

    @staticmethod
    def _deps(kind: Kind) -> tuple[str, ...]:
        return ((kind.parent,) if kind.parent else ()) + kind.after

    def collect(self) -> None:
        pending = dict(self.run)
        done: set[str] = set()
        futures: dict[Future[None], str] = {}
        with ThreadPoolExecutor(self.ctx.config.unit_pool_size, thread_name_prefix="aws-unit") as pool:
            try:
                while pending or futures:
                    for name, kind in list(pending.items()):
                        if all(d in done or d not in self.run for d in self._deps(kind)):
                            del pending[name]
                            futures[pool.submit(self._run_kind, kind)] = name
                    if not futures:  # a dependency cycle: cannot happen with checked definitions
                        raise RuntimeError(f"kinds wait for each other: {sorted(pending)}")
                    finished, _ = wait(futures, return_when=FIRST_COMPLETED)
                    for f in finished:
                        done.add(futures.pop(f))
                        f.result()
            except BaseException:
                for f in futures:
                    f.cancel()
                raise
        for a, b, et in self._local_edges:
            if a in self._added and b in self._added:
                self.builder.add_edge(a, b, et)
        outcomes = list(self.outcomes.values())
        if outcomes and all(o == "not_available" for o in outcomes):
            raise NotAvailable(f"no AWS service is available in {self.ctx.account}/{self.ctx.region}")

    def _run_kind(self, kind: Kind) -> None:
        name = kind.cls.kind
        failed_deps = [d for d in self._deps(kind) if self.outcomes.get(d, "ok") != "ok"]
        if failed_deps:  # what it is computed from could not be read: it cannot be either
            sort = self.outcomes[failed_deps[0]]
            self.outcomes[name] = sort
            if name in self.emit:
                self._report_dependent(kind, failed_deps[0], sort)
            self.codes[name] = self.codes.get(failed_deps[0], "")
            return
        started = time.perf_counter()
        try:
            items = self._list(kind)
            if kind.prepare is not None:
                for item in items:
                    kind.prepare(item)
            if kind.skip is not None:
                items = [i for i in items if not kind.skip(i)]
            add_template_arns(kind, items, self.ctx.partition, self.ctx.region, self.ctx.account)
            for enrich in kind.enrich:
                self.ctx.enrich(kind, enrich, items)
            if name in self.needed:
                self.ctx._items[name] = items
            if name in self.emit:
                self._emit(kind, items)
            self.outcomes[name] = "ok"
        except CollectionCancelled:
            raise
        except Exception as e:  # isolated to this kind: the unit goes on
            self.codes[name] = classify(e).code
            self.outcomes[name] = self.ctx.report_failure(
                e,
                kind=name,
                service=kind.service,
                what=f"listing {name}",
                seconds=time.perf_counter() - started,
            )

    def _report_dependent(self, kind: Kind, dep: str, sort: str) -> None:
        """Report a kind not read because a kind it is computed from failed (grouped with that one)."""
        name = kind.cls.kind
        why = f"not read: it is computed from {dep}, which could not be read"
        dep_kind = all_kinds().get(dep)
        service = dep_kind.service if dep_kind is not None else kind.service
        code = self.codes.get(dep) or None
        if sort in ("not_available", "access"):
            self.ctx.reporter.skip(
                why, kind=name, service=service, complete=sort == "not_available", code=code
            )
        else:
            self.ctx.reporter.error(why, kind=name, service=service, code=code)

    def _list(self, kind: Kind) -> list[Json]:
        if kind.items is not None:
            return list(kind.items(self.ctx))
        assert kind.list is not None, f"{kind.cls.kind} has neither list nor items"
        if kind.parent is None:
            return self.ctx.list_items(kind.service, kind.list)
        parent = all_kinds()[kind.parent]
        out: list[Json] = []
        for pitem in self.ctx.items(kind.parent):
            args = {arg: search(path, pitem) for arg, path in kind.list.item_args.items()}
            pid = search(parent.id, pitem)
            for item in self.ctx.list_items(kind.service, kind.list, args):
                item["_parent_id"] = str(pid)
                item["_args"] = args  # what it was listed with (a grandchild may need them)
                out.append(item)
        return out

    def _emit(self, kind: Kind, items: list[Json]) -> None:
        ctx = self.ctx
        b = self.builder
        parent_kind = kind.parent
        for item in items:
            try:
                resource = to_resource(kind, item, ctx.partition, ctx.region, ctx.account)
            except ValidationError as e:
                ctx.reporter.error(
                    f"{kind.cls.kind}: an item does not fit the model: {e.errors()[:1]}", kind=kind.cls.kind
                )
                continue
            if resource is None:
                continue
            parent = (
                b.node_id(parent_kind, item["_parent_id"]) if parent_kind and "_parent_id" in item else None
            )
            nid = b.add(resource, parent=parent)
            with self._lock:
                self._added.add(nid)
            for link in kind.links:
                self._link(nid, link, item)

    def _foreign(self, link: Link, item: Json) -> tuple[str, str] | None:
        """(account, region) of the link's target when it lives outside this unit's account and
        region (``Link.account``/``Link.region``), else ``None``."""
        if link.account is None and link.region is None:
            return None

        def value(path: str | Callable[[Json], Any] | None) -> str | None:
            if path is None:
                return None
            found = path(item) if callable(path) else search(path, item)
            return str(found) if found else None

        account = value(link.account) or self.builder.account_id
        region = value(link.region) or (GLOBAL_REGION if link.global_ else self.ctx.region)
        if account == self.builder.account_id and region == self.ctx.region:
            return None
        return account, region

    def _link(self, nid: str, link: Link, item: Json) -> None:
        if link.kind not in self.selected or (link.when is not None and not link.when(item)):
            return
        raw = link.path(item) if callable(link.path) else search(link.path, item)
        values = raw if isinstance(raw, list) else [raw]
        b = self.builder
        region = GLOBAL_REGION if link.global_ else _SAME
        # a target in this unit is checked before its edge is sent (a snapshot's volume may be long gone)
        local = link.kind in self.emit and (link.global_ == (self.ctx.region == GLOBAL_REGION))
        for value in values:
            if value is None or value == "":
                continue
            tid = link.to_id(str(value)) if link.to_id else str(value)
            if not tid:
                continue
            foreign = self._foreign(link, item)
            if foreign is not None:
                other = b.ref(link.kind, tid, account=foreign[0], region=foreign[1])
            elif region is _SAME:
                other = b.node_id(link.kind, tid)
            else:
                other = b.node_id(link.kind, tid, region=region)
            if other == nid:
                continue
            edges: list[tuple[str, str, EdgeType]] = []
            if link.default == "in":
                edges.append((other, nid, EdgeType.default))
            elif link.default == "out":
                edges.append((nid, other, EdgeType.default))
            if link.delete == "in":
                edges.append((other, nid, EdgeType.delete))
            elif link.delete == "out":
                edges.append((nid, other, EdgeType.delete))
            if local and foreign is None:
                with self._lock:
                    self._local_edges.extend(edges)
            else:
                for a, c, et in edges:
                    b.add_edge(a, c, et)


def collect_unit(
    access: Access,
    region: str,
    config: AwsConfig,
    builder: GraphBuilder,
    reporter: Reporter,
    selected: dict[str, Kind],
) -> UnitCollector:
    ctx = UnitContext(access, region, config, reporter, builder)
    collector = UnitCollector(ctx, builder, selected)
    collector.collect()
    return collector
