"""The shape of a Compute Engine kind's table entry (:class:`ComputeSpec`) and its edges (:class:`LinkRule`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from resoto_plugin_gcp import resources as r

Json = dict[str, Any]

DeleteOrder = Literal["this_first", "ref_first"] | None


@dataclass(frozen=True)
class LinkRule:
    """An edge read from a field holding a link (``a.*.b`` walks lists).

    :param path: Dotted path of the field in the API's JSON (camelCase).
    :param owner: ``True``: the referenced resource owns this one (edge ref → this);
        ``False``: this one uses the referenced one (edge this → ref).
    :param delete: ``this_first``: this resource must be deleted before the referenced one
        (ref -delete-> this); ``ref_first``: the other way round (this -delete-> ref).
    """

    path: str
    owner: bool
    delete: DeleteOrder = "this_first"


@dataclass(frozen=True)
class ComputeSpec:
    cls: type[r.GcpResource]
    collection: str
    aggregated: str | None = None
    agg_global: bool = False
    global_list: str | None = None
    zone: str | None = None
    region: str | None = None
    global_: str | None = None
    fields: Callable[[Json], Json] = lambda _: {}
    links: tuple[LinkRule, ...] = ()
    scoped_field: str | None = None
    """The list field of the aggregated list's scopes, when it is not named for the collection."""
    catalogue: bool = False
    """Reference data the same in every project (types, locations): collected by one project only."""
    rest: bool = False
    """Not in google-cloud-compute: listed, read and deleted through the REST API directly."""

    @property
    def kind(self) -> str:
        return self.cls.kind

    def client_for(self, scope: str) -> str | None:
        """The client stem serving resources of this scope (``zones/...``, ``regions/...``, ``global``)."""
        if scope.startswith("zones/"):
            return self.zone
        if scope.startswith("regions/"):
            return self.region
        return self.global_


def to_int(v: Any) -> int | None:
    try:
        return int(v) if v is not None else None
    except (TypeError, ValueError):
        return None
