"""Listings shared by the units of one project in one collect run.

Aggregated-list calls return a whole project at once. The first unit of a project that needs a
listing makes the call; the result is partitioned by region and every unit takes its own part,
so each list call is made once per project and run, not once per region or zone.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from resoto_plugin_gcp.links import GLOBAL

Item = Any
Loader = Callable[[], Iterable[tuple[str, Item]]]
"""Yields ``(region, item)`` for every item of a project; ``region`` is ``global`` for global items."""

MAX_RUNS = 4


class Listing:
    """One listing of one project: loaded once, then handed out region by region."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.loaded = False
        self.error: BaseException | None = None
        self.by_region: dict[str, list[Item]] = {}
        self.keys: set[str] = set()
        """What ``key`` of :meth:`load` returned for every item (e.g. links), kept after ``take``."""

    def load(self, loader: Loader, key: Callable[[Item], str | None] | None = None) -> None:
        with self.lock:
            if self.loaded:
                return
            try:
                parts: dict[str, list[Item]] = defaultdict(list)
                for region, item in loader():
                    parts[region].append(item)
                    k = key(item) if key is not None else None
                    if k:
                        self.keys.add(k)
                self.by_region = dict(parts)
            except Exception as e:
                self.error = e
            self.loaded = True

    def take(self, region: str, unit_regions: frozenset[str]) -> list[Item]:
        """The items of ``region``; the ``global`` unit also takes those of regions without a unit."""
        with self.lock:
            if region != GLOBAL:
                return self.by_region.pop(region, [])
            out = self.by_region.pop(GLOBAL, [])
            for other in [r for r in self.by_region if r not in unit_regions]:
                out.extend(self.by_region.pop(other))
            return out


class RunState:
    """What the units of one collect run share: listings and which skips were already reported."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listings: dict[tuple[str, str], Listing] = {}
        self._reported: set[tuple[str, ...]] = set()

    def listing(self, project: str, name: str) -> Listing:
        with self._lock:
            key = (project, name)
            listing = self._listings.get(key)
            if listing is None:
                listing = self._listings[key] = Listing()
            return listing

    def reported(self, *key: str) -> bool:
        """Whether :meth:`first_report` has seen this key in the run."""
        with self._lock:
            return key in self._reported

    def first_report(self, *key: str) -> bool:
        """True the first time this key is seen in the run (for once-per-project-and-API skips)."""
        with self._lock:
            if key in self._reported:
                return False
            self._reported.add(key)
            return True


_runs_lock = threading.Lock()
_runs: OrderedDict[str, RunState] = OrderedDict()


def new_run() -> str:
    """Start a collect run: a fresh id; the oldest runs' leftovers are dropped."""
    run_id = uuid.uuid4().hex
    with _runs_lock:
        _runs[run_id] = RunState()
        while len(_runs) > MAX_RUNS:
            _runs.popitem(last=False)
    return run_id


def run_state(run_id: str) -> RunState:
    """The shared state of a run (created on first use, e.g. in a child process)."""
    with _runs_lock:
        state = _runs.get(run_id)
        if state is None:
            state = _runs[run_id] = RunState()
            while len(_runs) > MAX_RUNS:
                _runs.popitem(last=False)
        return state
