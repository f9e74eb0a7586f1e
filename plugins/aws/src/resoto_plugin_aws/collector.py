"""Collects one unit (an account in a region, or an account's ``global`` resources).

The unit's kinds are listed concurrently on a small pool (``unit_pool_size``); a kind starts once
the kinds it reads (``parent``, ``after``) are done. Every API call goes through the unit's
:class:`UnitContext`, an :class:`~resoto_plugin_aws.calls.ApiContext` (limiter and counting);
identical list calls of several kinds (IAM's ``GetAccountAuthorizationDetails``) are made once
per unit. Items become resources through :mod:`resoto_plugin_aws.convert`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any, Generic, TypeVar

from botocore.exceptions import BotoCoreError, ClientError
from pydantic import ValidationError
from resoto_hookspecs import EdgeType, GraphBuilder, NotAvailable, Reporter
from resoto_hookspecs.errors import CollectionCancelled

from resoto_plugin_aws.calls import ApiContext
from resoto_plugin_aws.config import AwsConfig
from resoto_plugin_aws.convert import complete, plain_arn, shape, to_resource
from resoto_plugin_aws.errors import classify, describe
from resoto_plugin_aws.findings import FindingIndex, read_findings
from resoto_plugin_aws.registry import all_kinds
from resoto_plugin_aws.resources import GLOBAL_REGION
from resoto_plugin_aws.sessions import Access
from resoto_plugin_aws.spec import TAGGING_API, Json, Kind, Link, search

log = logging.getLogger(__name__)

_SAME: Any = object()
T = TypeVar("T")


class _Once(Generic[T]):
    """A value of a unit made by the first thread that asks for it; the others wait for it. If
    making it raises (a cancel), the error goes to that caller and everyone gets ``fallback``
    from then on: it is not tried again."""

    def __init__(self, make: Callable[[], T], fallback: T) -> None:
        self._make = make
        self._value = fallback
        self._made = False
        self._lock = threading.Lock()

    def get(self) -> T:
        with self._lock:
            if not self._made:
                self._made = True
                self._value = self._make()
            return self._value


class UnitContext(ApiContext):
    """The API of one unit (satisfies :class:`~resoto_plugin_aws.spec.UnitApi`): calls with limits
    and counting, the raw items of kinds listed before, and the unit's failure reports."""

    def __init__(
        self,
        access: Access,
        region: str,
        config: AwsConfig,
        reporter: Reporter,
        builder: GraphBuilder,
    ) -> None:
        super().__init__(access, region, config, reporter, builder.check_cancelled)
        self._items: dict[str, list[Json]] = {}
        self.tag_services: tuple[str, ...] = ()
        """The services whose tags the unit reads through the Tagging API (``Enrich.tagging_api``)."""
        self._tags = _Once(self._read_tag_index, None)
        self._findings: _Once[FindingIndex] = _Once(lambda: read_findings(self), {})

    def tag_index(self) -> dict[str, list[Json]] | None:
        """ARN -> tags of the unit's resources in :attr:`tag_services`: one paged
        ``tag:GetResources`` call, made by the first kind that asks; ``None`` if it failed (the
        kinds then read their tags per item, as they would without it)."""
        return self._tags.get() if self.tag_services else None

    def _read_tag_index(self) -> dict[str, list[Json]] | None:
        index: dict[str, list[Json]] = {}
        args = {"ResourceTypeFilters": list(self.tag_services)}
        try:
            for page in self.pages(TAGGING_API, "GetResources", args, page_size=100):
                for mapping in page.get("ResourceTagMappingList") or []:
                    arn = plain_arn(mapping.get("ResourceARN"))
                    if arn:
                        index[arn] = mapping.get("Tags") or []
        except (ClientError, BotoCoreError) as e:
            log.debug(
                "%s/%s: tag:GetResources failed (%s): tags are read per resource",
                self.account,
                self.region,
                describe(e),
            )
            return None
        return index

    def finding_index(self) -> FindingIndex:
        """Resource ARN -> GuardDuty and Inspector findings of this region unit, read by the first
        kind that emits a resource (empty: ``aws.findings`` is off, or the ``global`` unit)."""
        if not self.config.findings or self.region == GLOBAL_REGION:
            return {}
        return self._findings.get()

    def items(self, kind: str) -> list[Json]:
        """The raw items of a kind listed before (a ``parent`` or ``after`` kind)."""
        return self._items.get(kind, [])

    def keep_items(self, kind: str, items: list[Json]) -> None:
        """Remember a kind's raw items for the kinds that read them."""
        self._items[kind] = items

    def report_failure(
        self, exc: BaseException, *, kind: str, service: str, what: str, seconds: float | None = None
    ) -> str:
        """Report that ``kind`` could not be read (the kernel withholds it here). Returns the sort.

        Access denied and not-available are skips (the kernel logs them once); anything else is an
        error of the kind.
        """
        c = classify(exc)
        reason = {"access": "access denied", "not_available": "not available here"}.get(c.sort)
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
        ctx.tag_services = tuple(
            sorted({e.tagging_api for k in run.values() for e in k.enrich if e.tagging_api})
        )
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
            items = shape(kind, self._list(kind))
            complete(self.ctx, kind, items)
            if name in self.needed:
                self.ctx.keep_items(name, items)
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
        findings = ctx.finding_index() if items else {}
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
            if resource.arn and resource.arn in findings:
                resource.findings = findings[resource.arn]
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
