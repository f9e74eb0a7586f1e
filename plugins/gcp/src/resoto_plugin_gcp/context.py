"""The per-unit working context: clients, shared listings, node ids and error reporting."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from google.api_core.retry import Retry
from resoto_hookspecs import EdgeType, GraphBuilder, Reporter

from resoto_plugin_gcp.apis import ALL_APIS
from resoto_plugin_gcp.clients import Clients
from resoto_plugin_gcp.config import GcpConfig
from resoto_plugin_gcp.errors import error_code, is_forbidden, is_service_disabled, short_message, unwrap
from resoto_plugin_gcp.links import GLOBAL
from resoto_plugin_gcp.payload import UnitPayload
from resoto_plugin_gcp.shared import Item, Loader, RunState

SERVICE_NAMES = {
    "compute": "Compute Engine API",
    "storage": "Cloud Storage API",
    "container": "Kubernetes Engine API",
    "sqladmin": "Cloud SQL Admin API",
    **{api.key: api.title for api in ALL_APIS},
}


@dataclass
class UnitContext:
    config: GcpConfig
    payload: UnitPayload
    clients: Clients
    run: RunState
    builder: GraphBuilder
    reporter: Reporter
    retry: Retry
    disabled: set[str] = field(default_factory=set)

    @property
    def project(self) -> str:
        return self.payload.project

    @property
    def region(self) -> str:
        return self.payload.region

    def file_region(self, region: str) -> str | None:
        """The region id a resource of ``region`` is filed under, or ``None`` when it is not collected."""
        if region in self.payload.unit_regions:
            return region
        if region == GLOBAL or region not in self.payload.known_regions:
            return GLOBAL
        return None

    def items(
        self,
        service: str,
        name: str,
        loader: Loader,
        kind: str | None = None,
        key: Callable[[Item], str | None] | None = None,
    ) -> list[Item]:
        """This unit's share of a project-wide listing (loaded once per project and run).

        ``key`` (the same for every caller of a listing) indexes the items: ``Listing.keys``."""
        if self.service_off(service):
            return []
        listing = self.run.listing(self.project, name)
        listing.load(loader, key)
        if listing.error is not None:
            self.report_error(service, name, listing.error, kind=kind)
            return []
        return listing.take(self.region, self.payload.unit_regions)

    def service_off(self, service: str) -> bool:
        """The service is disabled in this project: found by discovery, this unit or another unit."""
        return (
            service in self.disabled
            or service in self.payload.disabled_services
            or self.run.reported(self.project, service, "disabled")
        )

    def report_error(self, service: str, what: str, exc: BaseException, kind: str | None = None) -> None:
        """Classify a failed call: disabled API and missing permission are quiet skips, the rest errors."""
        if is_service_disabled(exc):
            self.disabled.add(service)
            if self.run.first_report(self.project, service, "disabled"):
                label = SERVICE_NAMES.get(service, service)
                self.reporter.skip(
                    f"{label} is not enabled in project {self.project}", service=service, complete=True
                )
        elif is_forbidden(exc):
            # every unit reports it: the kernel withholds the kind in each unit's region, and logs
            # and forwards the denial once per project region, service and code
            self.reporter.skip(
                f"permission denied for {what} in project {self.project}: {short_message(exc)}",
                kind=kind,
                service=service,
                complete=False,
                code=error_code(exc),
            )
        else:
            self.reporter.error(
                f"{what} in project {self.project} failed: {type(unwrap(exc)).__name__}: {short_message(exc)}",
                kind=kind,
                service=service,
                code=error_code(exc),
            )

    def count(self, service: str, operation: str, exc: BaseException | None = None) -> None:
        self.reporter.api_call(service, operation, error=error_code(exc) if exc is not None else None)

    def node_id(self, kind: str, resource_id: str, region: str) -> str | None:
        filed = self.file_region(region)
        return None if filed is None else self.builder.node_id(kind, resource_id, region=filed)

    def link(self, this: str, other: str | None, *, owner: bool, delete: str | None) -> None:
        """Add the default edge (owner → owned) and, if asked, the delete edge between two nodes."""
        if other is None or other == this:
            return
        if owner:
            self.builder.add_edge(other, this)
        else:
            self.builder.add_edge(this, other)
        if delete == "this_first":
            self.builder.add_edge(other, this, EdgeType.delete)
        elif delete == "ref_first":
            self.builder.add_edge(this, other, EdgeType.delete)


def walk(data: Any, path: str) -> Iterable[str]:
    """The string values at a dotted path; ``*`` expands a list (``disks.*.source``)."""
    parts = path.split(".")

    def rec(value: Any, i: int) -> Iterable[str]:
        if value is None:
            return
        if i == len(parts):
            if isinstance(value, str) and value:
                yield value
            elif isinstance(value, list):
                yield from (v for v in value if isinstance(v, str) and v)
            return
        part = parts[i]
        if part == "*":
            if isinstance(value, list):
                for v in value:
                    yield from rec(v, i + 1)
        elif isinstance(value, dict):
            yield from rec(value.get(part), i + 1)

    yield from rec(data, 0)
