"""What a collect did: per unit its outcome, per account what was sent, and the summary table.

:class:`CollectReport` is filled by the engine while it runs (see :mod:`resotoworker.collect_record`)
and read afterwards: the daemon logs :meth:`CollectReport.summary` and fails the action when nothing
could be collected; the one-shot mode prints it.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from resoto_hookspecs.errors import error_line

from resotoworker.failures import KindFailure, summary_lines
from resotoworker.spool import AccountOutput


def context(cloud: str, account: str | None = None, region: str | None = None) -> str:
    """The ``[cloud:account:region]`` prefix of a report line."""
    return "[" + ":".join(p for p in (cloud, account, region) if p) + "]"


@dataclass
class UnitOutcome:
    plugin: str
    cloud: str
    account: str
    region: str | None
    name: str
    status: str = "pending"  # complete | partial | denied | failed | timeout | cancelled | pending
    error: str | None = None
    duration: float = 0.0
    nodes: int = 0
    edges: int = 0
    withheld: list[str] = field(default_factory=list)  # kinds that could not be read

    @property
    def complete(self) -> bool:
        return self.status == "complete"


@dataclass
class CollectReport:
    """What a collect did: per unit, per account, per kind and per API."""

    started: float = field(default_factory=time.time)
    duration: float = 0.0
    units: list[UnitOutcome] = field(default_factory=list)
    accounts: list[AccountOutput] = field(default_factory=list)
    account_errors: list[str] = field(default_factory=list)
    plugin_errors: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    skips: list[str] = field(default_factory=list)
    api_calls: Counter[tuple[str, str]] = field(default_factory=Counter)
    api_errors: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    failures: list[KindFailure] = field(default_factory=list)
    expired: list[str] = field(default_factory=list)
    cancelled: bool = False

    @property
    def nothing_collected(self) -> bool:
        return not self.accounts

    @property
    def withheld(self) -> list[KindFailure]:
        """The kind failures that withheld a kind (denied or failed)."""
        return [f for f in self.failures if f.withheld]

    @property
    def kinds(self) -> Counter[tuple[str, str]]:
        result: Counter[tuple[str, str]] = Counter()
        for acc in self.accounts:
            for kind, n in acc.kinds.items():
                result[(acc.cloud, kind)] += n
        return result

    def summary(self) -> str:
        """A plain-text table: per cloud and account, then the slowest units and API calls.

        An account's error count is what is listed below about it: the errors that name it, plus
        the (region, kind) pairs it could not read (counted in "could not be read (N)").
        """
        lines = []
        problems = self.plugin_errors + self.account_errors + self.errors
        rows = [
            ("cloud", "account", "units ok/all", "nodes", "edges", "kinds", "errors", "replace", "seconds")
        ]
        by_account: dict[tuple[str, str], list[UnitOutcome]] = {}
        for u in self.units:
            by_account.setdefault((u.cloud, u.account), []).append(u)
        sent = {(a.cloud, a.account_id): a for a in self.accounts}
        for (cloud, account), units in sorted(by_account.items()):
            acc = sent.get((cloud, account))
            ok = sum(1 for u in units if u.complete)
            errors = sum(1 for e in problems if _about(e, cloud, account)) + len(
                {(f.region, f.kind) for f in self.withheld if f.cloud == cloud and f.account == account}
            )
            rows.append(
                (
                    cloud,
                    acc.account_name if acc and acc.account_name != account else account,
                    f"{ok}/{len(units)}",
                    str(acc.nodes if acc else 0),
                    str(acc.edges if acc else 0),
                    str(len(acc.kinds) if acc else 0),
                    str(errors),
                    acc.replace if acc else "not sent",
                    f"{max((u.duration for u in units), default=0):.1f}",
                )
            )
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        for i, row in enumerate(rows):
            lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
            if i == 0:
                lines.append("  ".join("-" * w for w in widths))
        total_nodes = sum(a.nodes for a in self.accounts)
        lines.append(f"total: {total_nodes} nodes in {len(self.accounts)} account(s), {self.duration:.2f} s")
        if self.kinds:
            seconds: defaultdict[tuple[str, str], float] = defaultdict(float)
            for acc in self.accounts:
                for kind, secs in acc.kind_seconds.items():
                    seconds[(acc.cloud, kind)] += secs
            lines.append("")
            lines.append("kinds:     count   seconds")
            for (cloud, kind), n in sorted(self.kinds.items(), key=lambda kv: (-kv[1], kv[0])):
                lines.append(f"  {n:>12}  {seconds[(cloud, kind)]:8.2f}  {kind} ({cloud})")
        slow = sorted(self.units, key=lambda u: -u.duration)[:5]
        if slow:
            lines.append("")
            lines.append("slowest units:")
            for u in slow:
                lines.append(f"  {u.duration:8.2f} s  {u.cloud}/{u.name}  {u.status}")
        if self.api_calls:
            lines.append("")
            lines.append("API calls:")
            for (cloud, service), n in sorted(self.api_calls.items(), key=lambda kv: -kv[1]):
                errs = sum(c for (cl, sv, _), c in self.api_errors.items() if cl == cloud and sv == service)
                # every error answer, handled (a skip) or not; the failures among them are listed under errors
                lines.append(
                    f"  {n:>6}  {cloud}/{service}" + (f"  ({errs} answered with an error)" if errs else "")
                )
        if problems:
            lines.append("")
            lines.append(f"errors ({len(problems)}):")
            lines.extend(f"  {error_line(e)}" for e in problems[:50])
            if len(problems) > 50:
                lines.append(f"  ... and {len(problems) - 50} more")
        if self.skips:
            lines.append("")
            lines.append(f"skipped ({len(self.skips)}):")
            lines.extend(f"  {s}" for s in self.skips[:20])
        lines.extend(self.failure_summary())
        return "\n".join(lines)

    def failure_summary(self) -> list[str]:
        """The block of what could not be read: per class and kind, the regions and the first message."""
        rows = summary_lines(self.failures)
        if not rows:
            return []
        withheld = len({(f.cloud, f.kind) for f in self.withheld})
        pairs = len({(f.cloud, f.account, f.region, f.kind) for f in self.withheld})
        absent = len({(f.cloud, f.kind) for f in self.failures if not f.withheld})
        # pairs: what the summary table counts as errors besides the listed ones
        head = f"could not be read ({pairs}): {withheld} kind(s) left out (denied or failed)"
        if absent:
            head += f", {absent} kind(s) not there (empty)"
        lost = self.seconds_lost
        tail = (
            [f"  seconds lost to failing kinds: {lost:.2f} (summed over regions, retries included)"]
            if lost
            else []
        )
        return ["", head + ":", *rows, *(f"  {e}" for e in self.expired), *tail]

    @property
    def seconds_lost(self) -> float:
        """What trying to read the kinds that failed cost, summed (as their plugins reported it)."""
        return sum(f.seconds for f in self.failures)


def _about(text: str, cloud: str, account: str) -> bool:
    """Whether a report line is about this account (it starts with its context, see :func:`context`)."""
    return text.startswith((f"[{cloud}:{account}]", f"[{cloud}:{account}:"))
