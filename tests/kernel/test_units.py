"""The unit directory: the last collected unit per account, and one discovery per unknown account."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest
from resoto_hookspecs import BaseAccount, BaseRegion, CollectionUnit, Location
from resotoworker import units as units_module
from resotoworker.units import UnitDirectory


class UAccount(BaseAccount):
    kind: ClassVar[str] = "u_account"


class URegion(BaseRegion):
    kind: ClassVar[str] = "u_region"


def unit(account: str, region: str | None, payload: str = "") -> CollectionUnit:
    return CollectionUnit(
        "u", UAccount(id=account), URegion(id=region) if region else None, f"{account}/{region}", payload
    )


def test_lookup_prefers_the_region_then_the_account() -> None:
    units = UnitDirectory()
    units.remember([unit("a", None, "acc"), unit("a", "r1", "r1"), unit("b", "r2", "b-r2")])
    assert units.lookup(Location("u", "a", "r1")).payload == "r1"  # type: ignore[union-attr]
    assert units.lookup(Location("u", "a", "r9")).payload == "acc"  # type: ignore[union-attr]
    assert units.lookup(Location("u", "b", "r9")).payload == "b-r2"  # type: ignore[union-attr]
    assert units.lookup(Location("u", "c", "r1")) is None
    assert units.lookup(Location("other", "a", "r1")) is None
    units.remember([unit("a", "r1", "newer")])  # a new collect replaces the account's units
    assert units.lookup(Location("u", "a", "r9")).payload == "newer"  # type: ignore[union-attr]


def test_a_miss_asks_once_per_account() -> None:
    units = UnitDirectory()
    asked: list[str] = []

    def discover() -> list[CollectionUnit]:
        asked.append("x")
        return [unit("a", "r1", "found")]

    assert units.find(Location("u", "a", "r1"), discover).payload == "found"  # type: ignore[union-attr]
    assert units.find(Location("u", "a", "r1"), discover) is not None
    assert units.find(Location("u", "z", "r1"), discover) is None  # unknown to the plugin
    assert units.find(Location("u", "z", "r1"), discover) is None  # ... and not asked again
    assert len(asked) == 2 and units.discoveries == 2

    def broken() -> list[CollectionUnit]:
        raise RuntimeError("cloud down")

    assert units.find(Location("u", "y", "r1"), broken) is None  # logged, not raised


def test_a_failed_discovery_is_tried_again_later(monkeypatch: pytest.MonkeyPatch) -> None:
    units = UnitDirectory()
    answers: list[Any] = [RuntimeError("cloud down"), [unit("y", "r1", "back")]]

    def flaky() -> list[CollectionUnit]:
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return list(answer)

    assert units.find(Location("u", "y", "r1"), flaky) is None
    assert units.find(Location("u", "y", "r1"), flaky) is None  # not again right away
    assert len(answers) == 1
    monkeypatch.setattr(units_module, "RETRY_FAILED_AFTER", -1.0)
    assert units.find(Location("u", "z", "r1"), lambda: (_ for _ in ()).throw(RuntimeError("x"))) is None
    assert units.find(Location("u", "z", "r1"), lambda: [unit("z", "r1", "now")]).payload == "now"  # type: ignore[union-attr]
