"""Kind-scoped failures of a collect: what could not be read, where, and why.

The unit of failure is the kind in one account and region. A plugin names the kind when it reports
(``reporter.error(kind=...)``, ``reporter.skip(kind=...)``); the engine turns each report into a
:class:`KindFailure` of one of three classes:

* ``not-there``: the service or API does not exist or is not enabled here. The kind is complete and
  empty; logged at INFO.
* ``denied``: the credential may not read it. The kind is withheld: the core's last known good nodes
  are carried forward, marked stale. WARNING.
* ``failed``: anything else (5xx after retries, timeouts, an API the endpoint lacks, a bug). Withheld
  like ``denied``. ERROR.

Each failure is logged once and reaches the core once, as one line per (account, region, service,
error code) naming the kinds it withheld (:func:`group_messages`), when its account is assembled.
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from dataclasses import dataclass

log = logging.getLogger(__name__)

NOT_THERE = "not-there"
DENIED = "denied"
FAILED = "failed"
WITHHELD = frozenset({DENIED, FAILED})
LEVELS = {NOT_THERE: "info", DENIED: "warning", FAILED: "error"}
LOG_LEVELS = {"info": logging.INFO, "warning": logging.WARNING, "error": logging.ERROR}
_SEVERITY = {NOT_THERE: 0, DENIED: 1, FAILED: 2}
INFO_LIMIT = 500


@dataclass(frozen=True)
class KindFailure:
    """One kind that could not be read in one account and region."""

    cloud: str
    account: str
    region: str | None
    kind: str
    cls: str  # not-there | denied | failed
    message: str
    service: str | None = None
    code: str | None = None
    seconds: float = 0.0  # what trying to read it cost, as the plugin reported it

    @property
    def withheld(self) -> bool:
        return self.cls in WITHHELD

    @property
    def context(self) -> str:
        return "[" + ":".join(p for p in (self.cloud, self.account, self.region) if p) + "]"


def one_line(text: str, limit: int = 240) -> str:
    """The first line of ``text``, at most ``limit`` characters."""
    first = text.strip().splitlines()[0] if text.strip() else ""
    return first if len(first) <= limit else first[: limit - 3] + "..."


class FailureLog:
    """The kind failures of one collect (thread-safe). A kind keeps its most severe failure."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_key: dict[tuple[str, str, str | None, str], KindFailure] = {}

    def record(self, failure: KindFailure) -> bool:
        """Keep ``failure``; returns whether it is new or more severe than what the kind had."""
        key = (failure.cloud, failure.account, failure.region, failure.kind)
        with self._lock:
            old = self._by_key.get(key)
            if old is not None and _SEVERITY[old.cls] >= _SEVERITY[failure.cls]:
                return False
            self._by_key[key] = failure
        return True

    def extend(self, failures: list[KindFailure]) -> None:
        """Take over failures recorded elsewhere (a child process)."""
        with self._lock:
            for f in failures:
                key = (f.cloud, f.account, f.region, f.kind)
                old = self._by_key.get(key)
                if old is None or _SEVERITY[old.cls] < _SEVERITY[f.cls]:
                    self._by_key[key] = f

    def all(self) -> list[KindFailure]:
        with self._lock:
            return list(self._by_key.values())

    def withheld(self, cloud: str, account: str, region: str | None) -> dict[str, KindFailure]:
        """The kinds withheld in one account and region."""
        with self._lock:
            return {
                k[3]: f
                for k, f in self._by_key.items()
                if k[0] == cloud and k[1] == account and k[2] == region and f.withheld
            }

    def of_unit(self, cloud: str, account: str, region: str | None) -> list[KindFailure]:
        with self._lock:
            return [
                f for k, f in self._by_key.items() if k[0] == cloud and k[1] == account and k[2] == region
            ]

    @property
    def any_withheld(self) -> bool:
        with self._lock:
            return any(f.withheld for f in self._by_key.values())


def group_messages(failures: list[KindFailure], *, carried: bool = True) -> list[tuple[str, str]]:
    """``(level, message)`` per (account, region, service, error code), naming the kinds, <= 500 chars.

    :param carried: Whether withheld kinds are carried forward from the core (daemon mode), or
        just left out (one-shot mode).
    """
    groups: dict[tuple[str, str, str | None, str, str, str], list[KindFailure]] = defaultdict(list)
    for f in failures:
        groups[(f.cloud, f.account, f.region, f.service or "", f.code or "", f.cls)].append(f)
    out: list[tuple[str, str]] = []
    for (_, _, _, service, code, cls), members in sorted(groups.items(), key=lambda kv: str(kv[0])):
        first = members[0]
        kinds = sorted({m.kind for m in members})
        what = f"{service} " if service else ""
        why = f" ({code})" if code else ""
        if cls not in WITHHELD:
            tail = ": not there, collected as empty"
        elif carried:
            tail = " withheld; the core keeps their last known data, marked stale"
        else:
            tail = " left out"
        head = f"{first.context} {cls}: {what}{why.strip()}".rstrip() + ": "
        detail = f" - {one_line(first.message, 160)}"
        text = _fit(head, kinds, tail + detail)
        out.append((LEVELS[cls], text))
    return out


def _fit(head: str, kinds: list[str], tail: str) -> str:
    """``head + kinds + tail`` within :data:`INFO_LIMIT`: drop kinds (``+N more``), then cut the tail."""
    for shown in range(len(kinds), 0, -1):
        more = f" +{len(kinds) - shown} more" if shown < len(kinds) else ""
        text = head + ", ".join(kinds[:shown]) + more + tail
        if len(text) <= INFO_LIMIT:
            return text
    text = head + kinds[0] + (f" +{len(kinds) - 1} more" if len(kinds) > 1 else "") + tail
    return text[: INFO_LIMIT - 3] + "..."


def summary_lines(failures: list[KindFailure]) -> list[str]:
    """One line per (class, cloud, kind): class, kind, regions, seconds it cost, first message."""
    by_kind: dict[tuple[str, str, str], list[KindFailure]] = defaultdict(list)
    for f in failures:
        by_kind[(f.cls, f.cloud, f.kind)].append(f)
    order = {FAILED: 0, DENIED: 1, NOT_THERE: 2}
    rows = []
    for (cls, cloud, kind), members in sorted(by_kind.items(), key=lambda kv: (order[kv[0][0]], kv[0][1:])):
        regions = len({(m.account, m.region) for m in members})
        seconds = sum(m.seconds for m in members)
        rows.append(
            (cls, f"{kind} ({cloud})", f"{regions}", f"{seconds:.1f} s", one_line(members[0].message, 100))
        )
    if not rows:
        return []
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    return [
        f"  {c.ljust(widths[0])}  {k.ljust(widths[1])}  {n.rjust(widths[2])} region(s)  {t.rjust(widths[3])}  {m}"
        for c, k, n, t, m in rows
    ]
