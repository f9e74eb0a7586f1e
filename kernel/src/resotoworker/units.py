"""Which collection unit stands behind a resource: the ``unit`` argument of the action hooks.

``collect`` gets a :class:`~resoto_hookspecs.CollectionUnit` whose payload says how to reach the
account (an AWS role, a GCP key file, a Slack token). Cleanup and tagging must use the same
credentials, so the kernel remembers the last unit of every (cloud, account, region) it collected
and hands it to ``pre_cleanup``, ``check_resource``, ``delete_resource``, ``update_tag`` and
``delete_tag``. After a restart (a tag task before any collect) the directory is empty: on a miss
it asks the plugin's ``collection_units`` once per account, and remembers the answer.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable

from resoto_hookspecs import CollectionUnit, ExpectedError, Location

log = logging.getLogger(__name__)

ASK_AGAIN_AFTER = 300.0
"""Seconds before an account the plugin did not know is looked up again (until a collect finds it)."""
RETRY_FAILED_AFTER = 30.0
"""Seconds before a lookup whose discovery failed is tried again."""


class UnitDirectory:
    """The last collection unit of each (cloud, account, region). Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._discovering = threading.Lock()
        self._units: dict[tuple[str, str], dict[str | None, CollectionUnit]] = {}
        self._asked: dict[tuple[str, str], float] = {}
        """Accounts a miss asked the plugin about -> when it may be asked again (monotonic time)."""
        self.discoveries = 0
        """How often a miss asked the plugin's ``collection_units``."""

    def __len__(self) -> int:
        """How many accounts have a known unit."""
        with self._lock:
            return len(self._units)

    def remember(self, units: Iterable[CollectionUnit]) -> None:
        """Take the units a collect ran; they replace what was known for their accounts."""
        fresh = _by_account(units)
        with self._lock:
            self._units.update(fresh)
            for key in fresh:
                self._asked.pop(key, None)

    def lookup(self, location: Location) -> CollectionUnit | None:
        """The unit of the location's region; else the account's unit without a region; else any
        unit of the account (the credentials belong to the account). ``None`` when none is known."""
        if location.account is None:
            return None
        with self._lock:
            by_region = self._units.get((location.cloud, location.account))
            if not by_region:
                return None
            found = by_region.get(location.region) or by_region.get(None)
            if found is None:
                found = by_region[min(by_region, key=lambda r: r or "")]
            return found

    def find(
        self, location: Location, discover: Callable[[], Iterable[CollectionUnit]]
    ) -> CollectionUnit | None:
        """:meth:`lookup`, asking ``discover`` (the plugin's ``collection_units``) once per account
        on a miss (again only after :data:`ASK_AGAIN_AFTER`, or :data:`RETRY_FAILED_AFTER` when the
        discovery failed). A failure is logged and answers ``None``."""
        found = self.lookup(location)
        if found is not None or location.account is None:
            return found
        key = (location.cloud, location.account)
        with self._discovering:  # one discovery at a time: parallel cleanup threads wait for it
            found = self.lookup(location)
            if found is not None:
                return found
            now = time.monotonic()
            with self._lock:
                if self._asked.get(key, 0.0) > now:
                    return None
                self._asked[key] = now + ASK_AGAIN_AFTER
                self.discoveries += 1
            try:
                units = [u for u in discover() if isinstance(u, CollectionUnit)]
            except ExpectedError as exc:
                log.info("[%s] no collection unit for account %s: %s", location.cloud, location.account, exc)
                return None
            except Exception as exc:
                with self._lock:  # a cloud that failed to answer is asked again sooner
                    self._asked[key] = now + RETRY_FAILED_AFTER
                log.warning(
                    "[%s] looking up the collection unit of account %s failed: %s: %s",
                    location.cloud,
                    location.account,
                    type(exc).__name__,
                    exc,
                )
                return None
            fresh = _by_account(units)
            with self._lock:
                for account, by_region in fresh.items():
                    self._units.setdefault(account, by_region)  # a collect's units stay authoritative
            if key not in fresh:
                log.info("[%s] account %s is not among the plugin's collection units", *key)
        return self.lookup(location)


def _by_account(units: Iterable[CollectionUnit]) -> dict[tuple[str, str], dict[str | None, CollectionUnit]]:
    result: dict[tuple[str, str], dict[str | None, CollectionUnit]] = {}
    for unit in units:
        result.setdefault((unit.cloud, unit.account.id), {})[unit.region.id if unit.region else None] = unit
    return result
