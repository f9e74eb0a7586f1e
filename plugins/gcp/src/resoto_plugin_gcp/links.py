"""Resource references: turning ``selfLink`` URLs and API scopes into ids, regions and node ids."""

from __future__ import annotations

import re
from dataclasses import dataclass

GLOBAL = "global"

_LINK = re.compile(
    r"projects/(?P<project>[^/]+)/(?P<scope>zones/[^/]+|regions/[^/]+|global)/(?P<collection>[A-Za-z]+)/(?P<name>[^/?]+)"
)


@dataclass(frozen=True)
class Ref:
    """A parsed reference to a compute resource."""

    project: str
    scope: str
    collection: str
    name: str

    @property
    def id(self) -> str:
        return resource_id(self.scope, self.collection, self.name)

    @property
    def region(self) -> str:
        return region_of_scope(self.scope)

    @property
    def zone(self) -> str | None:
        return self.scope.split("/", 1)[1] if self.scope.startswith("zones/") else None


def parse_link(link: str | None) -> Ref | None:
    """Parse ``.../projects/p/zones/z/instances/vm`` (full URL or relative); ``None`` if it is not one."""
    if not link:
        return None
    m = _LINK.search(link)
    if m is None:
        return None
    return Ref(m["project"], m["scope"], m["collection"], m["name"])


def resource_id(scope: str, collection: str, name: str) -> str:
    """The id of a compute resource: its path below the project (``zones/us-east1-b/instances/vm``)."""
    return f"{scope}/{collection}/{name}"


def zone_region(zone: str) -> str:
    """``us-east1-b`` → ``us-east1``."""
    return zone.rsplit("-", 1)[0]


def region_of_scope(scope: str) -> str:
    """The region a compute scope belongs to: ``zones/us-east1-b`` → ``us-east1``, ``global`` → ``global``."""
    if scope.startswith("zones/"):
        return zone_region(scope.split("/", 1)[1])
    if scope.startswith("regions/"):
        return scope.split("/", 1)[1]
    return GLOBAL


def region_of_location(location: str | None, known_regions: set[str]) -> str:
    """The region a service location (bucket, cluster, SQL instance) is filed under.

    A zone (``us-east1-b``) maps to its region; a known region to itself; anything else (a
    multi-region such as ``US``) to ``global``.
    """
    if not location:
        return GLOBAL
    loc = location.lower()
    if loc in known_regions:
        return loc
    if zone_region(loc) in known_regions and loc.count("-") >= 2:
        return zone_region(loc)
    return GLOBAL


def last_segment(link: str | None) -> str | None:
    return link.rstrip("/").rsplit("/", 1)[-1] if link else None
