"""Last known good data of withheld kinds, read back from the core and carried forward.

When a kind cannot be read in one account and region (denied, failed), the engine still replaces
the account as usual, and sends the nodes the core holds of that kind again, unchanged except for
``metadata.stale: true`` and ``metadata.last_seen`` (when a collect last read them), with their
edges to nodes that are still there. So nothing good is lost, and nothing stale looks fresh.

The nodes come from the core itself (``POST /graph/{g}/search/graph``, scoped by cloud, account,
region and kind), not from local state: a restarted worker, or one on another machine, carries the
same data. ``last_seen`` of a node read fresh is the ``exported_at`` of its region (or account)
node, which the engine sets on every region it sends. Nodes whose ``last_seen`` is older than
``resotoworker.stale_max_age`` are dropped, and the engine reports that.
"""

from __future__ import annotations

import json
import logging
import time
from calendar import timegm
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

Search = Callable[[str], Awaitable[list[dict[str, Any]]]]
"""Runs one graph search against the core and returns its result lines."""

CARRIED_SECTIONS = ("reported", "metadata", "desired")


@dataclass
class Carried:
    """What the core held of the withheld kinds in one account and region."""

    lines: list[bytes] = field(default_factory=list)  # node lines, ready to send
    line_ids: list[str] = field(default_factory=list)  # the node id of each line
    ids: set[str] = field(default_factory=set)
    kinds: Counter[str] = field(default_factory=Counter)
    edges: list[tuple[str, str, str]] = field(default_factory=list)  # edges touching a carried node
    expired: Counter[str] = field(default_factory=Counter)  # kind -> nodes dropped (stale_max_age)
    oldest: dict[str, str] = field(default_factory=dict)  # kind -> oldest last_seen dropped


def _quote(value: str) -> str:
    return json.dumps(value)


def scope_query(cloud: str, account: str, region: str | None, kinds: list[str]) -> str:
    """The search for the nodes of ``kinds`` in one cloud, account and region."""
    parts = [
        f"is({', '.join(sorted(kinds))})",
        f"/ancestors.cloud.reported.id == {_quote(cloud)}",
        f"/ancestors.account.reported.id == {_quote(account)}",
    ]
    if region is not None:
        parts.append(f"/ancestors.region.reported.id == {_quote(region)}")
    return " and ".join(parts)


def parse_time(text: Any) -> float | None:
    """Epoch seconds of a UTC ``%Y-%m-%dT%H:%M:%SZ`` string (``None`` if it is not one)."""
    if not isinstance(text, str):
        return None
    try:
        return float(timegm(time.strptime(text[:19], "%Y-%m-%dT%H:%M:%S")))
    except ValueError:
        return None


def format_time(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


async def read_back(
    search: Search,
    cloud: str,
    account: str,
    region: str | None,
    kinds: list[str],
    *,
    max_age: float,
    now: float | None = None,
) -> Carried:
    """The nodes to carry forward for ``kinds`` (raises whatever ``search`` raises).

    :param max_age: Seconds after ``last_seen`` that a node is no longer carried.
    """
    now = time.time() if now is None else now
    base = scope_query(cloud, account, region, kinds)
    nodes = [n for n in await search(base) if n.get("type", "node") == "node" and "id" in n]
    if not nodes:
        return Carried()
    around = await search(base + " <-default,delete[0:1]->")
    seen_at = await _exported_at(search, cloud, account, region)
    result = Carried()
    wanted = set(kinds)
    for node in nodes:
        reported = node.get("reported") or {}
        kind = reported.get("kind")
        if kind not in wanted:
            continue
        metadata = dict(node.get("metadata") or {})
        stamp = metadata.get("last_seen") if metadata.get("stale") else None
        seen = parse_time(stamp or seen_at)
        if seen is None:  # no record of when it was read: treat it as read by the last collect
            seen = now
        last_seen = format_time(seen)
        if now - seen > max_age:
            result.expired[kind] += 1
            if kind not in result.oldest or last_seen < result.oldest[kind]:
                result.oldest[kind] = last_seen
            continue
        metadata.pop("replace", None)
        metadata["stale"] = True
        metadata["last_seen"] = last_seen
        line: dict[str, Any] = {"id": node["id"], "reported": reported, "metadata": metadata, "usage": {}}
        desired = node.get("desired") or {}
        if desired.get("clean") is True:
            line["desired"] = {"clean": True}
        result.lines.append(json.dumps(line, separators=(",", ":")).encode() + b"\n")
        result.ids.add(node["id"])
        result.line_ids.append(node["id"])
        result.kinds[kind] += 1
    for item in around:
        if item.get("type") == "edge" or ("from" in item and "to" in item and "id" not in item):
            f, t = item.get("from"), item.get("to")
            et = item.get("edge_type") or "default"
            if isinstance(f, str) and isinstance(t, str) and (f in result.ids or t in result.ids):
                result.edges.append((f, t, str(et)))
    return result


async def _exported_at(search: Search, cloud: str, account: str, region: str | None) -> str | None:
    """When the region (else the account) was last sent: its node's ``metadata.exported_at``."""
    cloud_q, account_q = _quote(cloud), _quote(account)
    query = (
        f"(is(account) and /reported.id == {account_q} and /ancestors.cloud.reported.id == {cloud_q})"
        f" or (is(region) and /ancestors.account.reported.id == {account_q}"
        f" and /ancestors.cloud.reported.id == {cloud_q})"
    )
    stamps: dict[str, str] = {}
    for node in await search(query):
        rid = (node.get("reported") or {}).get("id")
        stamp = (node.get("metadata") or {}).get("exported_at")
        if isinstance(rid, str) and isinstance(stamp, str):
            stamps[rid] = stamp
    if region is not None and region in stamps:
        return stamps[region]
    return stamps.get(account)
