"""The shape of a REST kind's table entry: how it is listed, identified, filed, linked, labelled, deleted.

Most Google APIs are resource oriented (AIP): ``GET {parent}/{collection}`` pages with
``pageToken``/``nextPageToken``, the resource's ``name`` is its path, ``DELETE {name}`` and
``PATCH {name}?updateMask=labels`` answer with the resource, ``Empty`` or a long-running
``Operation``. A :class:`RestSpec` says where one kind deviates from that.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from resoto_plugin_gcp.apis import RestApiInfo
from resoto_plugin_gcp.compute_model import DeleteOrder
from resoto_plugin_gcp.resources import GcpResource

Json = dict[str, Any]

Scope = Literal["project", "wildcard", "region", "catalogue"]
"""``project``: one list per project, no location (Pub/Sub, IAM); ``wildcard``: one list per project
over ``locations/-``; ``region``: each region unit lists its region (and the global unit the
multi-regions of ``locations``); ``catalogue``: once per run, by the catalogue project."""

LabelStyle = Literal["mask", "full", "merge", "wrapped"] | None
"""``mask``: ``PATCH ?updateMask=labels`` with the whole map; ``full``: ``PATCH`` with the whole
map and no mask (Cloud DNS); ``merge``: ``PATCH`` with
``{labels: {key: value-or-null}}``; ``wrapped``: ``PATCH`` with ``{<wrap>: {labels}, <mask>: "labels"}``."""

_PROJECT_PREFIX = re.compile(r"^projects/[^/]+/")
_LOCATION = re.compile(r"(?:^|/)locations/([^/]+)")


def strip_project(path: str) -> str:
    """A resource path below its project: ``projects/p/locations/l/x/y`` → ``locations/l/x/y``."""
    return _PROJECT_PREFIX.sub("", path, count=1)


def location_in(path: str) -> str | None:
    m = _LOCATION.search(path)
    return m.group(1) if m else None


@dataclass(frozen=True)
class RestLink:
    """An edge read from a field holding a resource name (``a.*.b`` walks lists).

    :param kind: The referenced kind; ``compute`` for Compute Engine links (any collection).
    :param owner: ``True``: the referenced resource owns this one (edge ref → this).
    :param delete: as :class:`compute_model.LinkRule`.
    """

    path: str
    kind: str
    owner: bool
    delete: DeleteOrder = "this_first"


@dataclass(frozen=True)
class RestSpec:
    cls: type[GcpResource]
    api: RestApiInfo
    path: str
    """List path below the API's version: ``{project}``, ``{location}``, ``{parent}`` (the parent's path)."""
    items: str
    scope: Scope = "wildcard"
    parent: type[GcpResource] | None = None
    """Listed once per collected resource of this kind (its path is ``{parent}``)."""
    when: Callable[[Json], bool] | None = None
    """For children: only list below parents for which this is true."""
    path_of: Callable[[Json, str], str] | None = None
    """The resource's path from its JSON and project; default: ``name``."""
    region_of: Callable[[Json], str | None] | None = None
    """The location of a resource; default: the ``locations/<l>`` segment of its path."""
    fields: Callable[[Json], Json] = lambda _: {}
    links: tuple[RestLink, ...] = ()
    labels: str | None = "labels"
    label_style: LabelStyle = None
    wrap: tuple[str, str] = ("", "updateMask")
    """For ``wrapped`` labels: the body field holding the resource, the mask field."""
    deletable: bool = False
    delete_params: tuple[tuple[str, str], ...] = ()
    locations: tuple[str, ...] = ()
    """For ``region`` scope: multi-region locations listed by the global unit (``us``, ``europe``)."""
    regions: frozenset[str] | None = None
    """For ``region`` scope: only these regions have the API (``None``: every region)."""
    size_param: str = "pageSize"
    params: tuple[tuple[str, str], ...] = ()
    limit: int | None = None
    """At most this many items per list (documents: a sample, not a database dump)."""
    ctime: str = "createTime"
    mtime: str = "updateTime"

    @property
    def kind(self) -> str:
        return self.cls.kind

    @property
    def service(self) -> str:
        return self.api.key

    def path_for(self, item: Json, project: str) -> str:
        return self.path_of(item, project) if self.path_of else str(item.get("name", ""))

    def location_for(self, item: Json, path: str) -> str | None:
        return self.region_of(item) if self.region_of else location_in(path)
